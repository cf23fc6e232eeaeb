"""The simulation of a dossier on a flow (approvals.simulation): who gets which task, when it is
due in working days, which stages are skipped and why, where nobody is found; and the
validator's problems with the path of the field they concern (what the designer shows)."""

from __future__ import annotations

from datetime import date

import pytest

from approvals.errors import FlowValidationError
from approvals.flows.definition import StageDef
from approvals.flows.yaml_io import check_flow, dump_data, flow_data, parse_flow
from approvals.identity import Person
from approvals.simulation import Outcome, simulate
from approvals.workdays import WorkingCalendar
from tests.support.domain_kit import (
    ALDERMAN,
    ANNA,
    DIRECTOR,
    FINANCE,
    GROUPS,
    HEAD,
    JURIST,
    JURIST2,
    MAYOR,
    college_flow,
)

MONDAY = date(2026, 12, 7)
CALENDAR = WorkingCalendar()


def resolve(stage: StageDef) -> tuple[Person, ...]:
    return GROUPS.get(stage.id, ())


def run(fields: dict[str, object], groups: dict[str, tuple[Person, ...]] | None = None,
        initiator: Person = ANNA, start: date = MONDAY):
    found = GROUPS if groups is None else groups
    return simulate(college_flow(), fields, initiator, start,
                    lambda stage: found.get(stage.id, ()), CALENDAR.add_working_days)


def test_a_large_amount_passes_every_stage_with_its_assignees_and_dates() -> None:
    result = run({"bedrag": 25000})
    by_id = {s.stage.id: s for s in result.stages}
    assert [s.stage.id for s in result.stages] == [
        "juridisch_advies", "financieel_advies", "paraaf", "accord", "besluit"]
    assert all(s.outcome is Outcome.TASK for s in result.stages)
    assert by_id["juridisch_advies"].assignees == (JURIST, JURIST2)
    assert by_id["financieel_advies"].assignees == (FINANCE,)
    assert by_id["juridisch_advies"].parallel and by_id["financieel_advies"].parallel
    assert not by_id["paraaf"].parallel
    # the advice step starts on the start day; juridisch advies is due 5 working days later
    assert by_id["juridisch_advies"].starts == MONDAY
    assert by_id["juridisch_advies"].due == date(2026, 12, 14)
    assert by_id["financieel_advies"].due is None  # no deadline
    # the paraaf starts when the advice step is due at the latest, and takes 2 working days
    assert by_id["paraaf"].starts == date(2026, 12, 14)
    assert by_id["paraaf"].due == date(2026, 12, 16)
    assert by_id["besluit"].assignees == (MAYOR, ALDERMAN)
    assert result.end == date(2026, 12, 16)
    assert result.nobody == ()


def test_working_days_skip_the_weekend_and_christmas() -> None:
    result = run({"bedrag": 25000}, start=date(2026, 12, 21))
    advice = result.stages[0]
    # 21 Dec + 5 working days: 22, 23, 24, (25, 26 Christmas, 27 Sunday), 28, 29
    assert advice.due == date(2026, 12, 29)


def test_a_small_amount_skips_the_financial_advice_and_says_why() -> None:
    result = run({"bedrag": 8000})
    skipped = [s for s in result.stages if s.outcome is Outcome.SKIPPED]
    assert [s.stage.id for s in skipped] == ["financieel_advies"]
    reason = skipped[0].skip
    assert reason is not None
    assert (reason.field, reason.relation, reason.limit, reason.value) == (
        "bedrag", "<", 10000, 8000)
    assert skipped[0].assignees == () and skipped[0].due is None


def test_an_empty_field_in_a_condition_skips_the_stage_with_no_value() -> None:
    result = run({})
    skipped = next(s for s in result.stages if s.stage.id == "financieel_advies")
    assert skipped.outcome is Outcome.SKIPPED
    assert skipped.skip is not None and skipped.skip.value is None


def test_a_stage_whose_rules_find_nobody_is_where_the_dossier_would_wait() -> None:
    groups = {**GROUPS, "accord": ()}
    result = run({"bedrag": 25000}, groups)
    accord = next(s for s in result.stages if s.stage.id == "accord")
    assert accord.outcome is Outcome.NOBODY and accord.assignees == ()
    assert result.nobody == ("accord",)


def test_four_eyes_keeps_the_initiator_out_of_a_deciding_stage_not_out_of_advice() -> None:
    # the head of department starts a dossier in which they are also the paraaf and an adviser
    groups = {**GROUPS, "paraaf": (HEAD,), "juridisch_advies": (HEAD, JURIST)}
    result = run({"bedrag": 25000}, groups, initiator=HEAD)
    by_id = {s.stage.id: s for s in result.stages}
    assert by_id["juridisch_advies"].assignees == (HEAD, JURIST)
    assert by_id["paraaf"].outcome is Outcome.NOBODY
    assert by_id["paraaf"].left_out == (HEAD,)
    assert by_id["accord"].assignees == (DIRECTOR,)


def test_the_simulation_is_pure_the_same_input_gives_the_same_run() -> None:
    assert run({"bedrag": 25000}) == run({"bedrag": 25000})


# --- the validator's problems as the designer shows them: at the path of their field -------

GOOD = """schema: paraaf/flow/v1
id: inkoop
version: 1
title: Inkoop
fields:
  - name: bedrag
    type: money
stages:
  - id: advies
    parallel:
      - id: juridisch
        kind: advise
        assignees:
          - group: juristen
      - id: financieel
        kind: advise
        assignees:
          - group: financien
        condition: bedrag >= 10000
  - id: paraaf
    kind: initial
    assignees:
      - manager: 1
    deadline_days: 3
    return_to: [juridisch]
"""


def paths(text: str) -> dict[str, str]:
    with pytest.raises(FlowValidationError) as error:
        check_flow(text)
    return {issue.path: issue.code for issue in error.value.issues}


def test_a_good_flow_reads_back_from_its_data_unchanged() -> None:
    flow = parse_flow(GOOD)
    assert parse_flow(dump_data(flow_data(flow))) == flow


def test_each_problem_names_the_path_of_its_field() -> None:
    found = paths(GOOD.replace("kind: initial", "kind: paraferen")
                  .replace("condition: bedrag >= 10000", "condition: bedrag >= ")
                  .replace("return_to: [juridisch]", "return_to: [besluit]")
                  .replace("- group: financien", "- team: financien"))
    assert "stages[1].kind" in found
    assert "stages[0].parallel[1].condition" in found
    assert "stages[1].return_to[0]" in found
    assert "stages[0].parallel[1].assignees[0].team" in found


def test_a_condition_on_an_unknown_field_is_reported_at_the_condition() -> None:
    found = paths(GOOD.replace("condition: bedrag >= 10000", "condition: budget >= 10000"))
    assert list(found) == ["stages[0].parallel[1].condition"]


def test_a_form_with_a_missing_stage_list_is_reported_at_the_top() -> None:
    data = flow_data(parse_flow(GOOD))
    del data["stages"]
    found = paths(dump_data(data))
    assert any(path in ("", "stages") for path in found)
