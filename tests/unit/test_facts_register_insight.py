"""The dossiers' facts (folded from events), the decision register's rules and its CSV, and
the insight's numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from approvals import commands as c
from approvals.facts import (
    COMPLETED,
    ENDED,
    OPEN,
    RETURNED,
    DossierFacts,
    StageSpan,
    advance,
    changes_facts,
)
from approvals.identity import Person
from approvals.insight import InsightQuery, insight, percentile, rows
from approvals.register import FORMULA_START, RegisterQuery, matches, register, safe_cell, to_csv
from tests.support.domain_kit import ANNA, DIRECTOR, FINANCE, HEAD, JURIST, MAYOR, OUTSIDER, Dossier

A = c.Action


def _decided() -> Dossier:
    d = Dossier()
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF, text="Juridisch akkoord")
    d.act(FINANCE, A.ADVISE, advice=c.Advice.NEUTRAAL, text="Dekking")
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE, text="Akkoord")
    d.act(MAYOR, A.DECIDE, text="Het college besluit conform")
    return d


def test_the_facts_hold_the_decision_and_whoever_the_dossier_involves() -> None:
    d = _decided()
    facts = advance(None, d.events, "Collegevoorstel")
    assert facts is not None
    state = d.state
    assert facts.participants == state.participants
    assert facts.decision is not None and state.decision is not None
    assert (facts.decision.text, facts.decision.by, facts.decision.at) == (
        state.decision.text, state.decision.by, state.decision.at)
    assert facts.status == "completed" and facts.ended == d.events[-1].timestamp
    assert facts.flow_title == "Collegevoorstel"
    assert {s.outcome for s in facts.spans} == {COMPLETED}
    assert [s.stage_id for s in facts.spans][-1] == "besluit"


def test_the_facts_fold_alike_event_by_event_and_survive_json() -> None:
    d = _decided()
    whole = advance(None, d.events, "Collegevoorstel")
    step: DossierFacts | None = None
    for event in d.events:
        step = advance(step, [event], "Collegevoorstel")
        assert step is not None
        step = DossierFacts.from_json(step.to_json())
    assert step == whole


def test_a_comment_changes_no_facts_and_every_step_does() -> None:
    d = Dossier()
    d.start()
    facts = advance(None, d.events)
    d.run(c.AddComment(dossier_id=d.dossier_id, actor=ANNA, command_id="k1", text="Klaar"))
    assert not changes_facts(d.events[-1:])
    assert advance(facts, d.events[-1:]) == facts
    assert all(changes_facts([e]) for e in _decided().events)


def test_a_return_and_a_rejection_close_the_open_stage_rounds() -> None:
    d = Dossier()
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    d.run(c.Return(dossier_id=d.dossier_id, actor=HEAD, command_id="r1", stage_id="paraaf",
                   to_stage="juridisch_advies", reason="Onvolledig"))
    facts = advance(None, d.events)
    assert facts is not None
    paraaf = [s for s in facts.spans if s.stage_id == "paraaf"]
    assert [s.outcome for s in paraaf] == [RETURNED]
    assert facts.spans[-1].outcome == OPEN
    d.run(c.Withdraw(dossier_id=d.dossier_id, actor=ANNA, command_id="w1", reason="Vervallen"))
    facts = advance(facts, d.events[-1:])
    assert facts is not None and facts.status == "withdrawn"
    assert facts.spans[-1].outcome == ENDED and facts.decision is None


# --- the register -------------------------------------------------------------------------


def _facts(n: int, *, at: str, flow: str = "college", by: Person = MAYOR,
           for_: Person | None = None, text: str = "Besloten", involved: tuple[str, ...] = (),
           title: str = "Marktplein") -> DossierFacts:
    d = _decided()
    facts = advance(None, d.events, flow)
    assert facts is not None and facts.decision is not None
    decision = replace(facts.decision, dossier_id=f"D-{n}", at=at, by=by, on_behalf_of=for_,
                       text=text, title=title)
    return replace(facts, dossier_id=f"D-{n}", flow_id=flow, decision=decision, title=title,
                   participants=frozenset({*involved, by.oid}))


def test_the_register_filters_by_period_flow_decider_search_and_viewer() -> None:
    a = _facts(1, at="2026-01-10T10:00:00Z", involved=(ANNA.oid,), title="Kermis")
    b = _facts(2, at="2026-02-10T10:00:00Z", flow="subsidie", by=DIRECTOR, for_=MAYOR)
    c_ = _facts(3, at="2026-03-10T10:00:00Z", text="Verleend onder voorwaarden")
    everything = [a, b, c_]
    ids = lambda q: [line.decision.dossier_id for line in register(everything, q)]  # noqa: E731
    assert ids(RegisterQuery()) == ["D-3", "D-2", "D-1"]  # the most recent first
    assert ids(RegisterQuery(since=date(2026, 2, 10), until=date(2026, 2, 10))) == ["D-2"]
    assert ids(RegisterQuery(flow_id="subsidie")) == ["D-2"]
    assert ids(RegisterQuery(decider=MAYOR.oid)) == ["D-3", "D-2", "D-1"]  # or for whom
    assert ids(RegisterQuery(decider=DIRECTOR.oid)) == ["D-2"]
    assert ids(RegisterQuery(text="VOORWAARDEN")) == ["D-3"]
    assert ids(RegisterQuery(text="kermis")) == ["D-1"]
    assert ids(RegisterQuery(text="d-2")) == ["D-2"]
    assert ids(RegisterQuery(viewer=ANNA.oid)) == ["D-1"]
    assert ids(RegisterQuery(viewer=OUTSIDER.oid)) == []
    assert not matches(replace(a, decision=None), RegisterQuery())


@pytest.mark.parametrize("start", FORMULA_START)
@pytest.mark.parametrize("rest", ["1+1", "cmd|' /C calc'!A0", "HYPERLINK(\"http://x\")", ""])
def test_every_cell_that_starts_as_a_formula_is_text_in_the_csv(start: str, rest: str) -> None:
    value = start + rest
    for cell in (value, "  " + value):
        out = to_csv(["Besluit"], [[cell]])
        read = next(row for i, row in enumerate(csv.reader(io.StringIO(out))) if i == 1)
        assert read == ["'" + cell]
        assert not read[0].startswith(FORMULA_START)


def test_ordinary_cells_stay_as_they_are_and_the_csv_is_rfc_4180() -> None:
    rows = [["Kermis 2026", "3", "Zei: \"ja\", en\nverder", "12-3"]]
    out = to_csv(["A", "B", "C", "D"], rows)
    assert out.endswith("\r\n")
    assert list(csv.reader(io.StringIO(out)))[1] == rows[0]
    assert safe_cell("-5") == "'-5" and safe_cell("5-") == "5-"


# --- insight ------------------------------------------------------------------------------


def _dossier(n: int, started: str, spans: list[tuple[str, str, str | None, str | None]],
             ended: str | None, initiator: Person = ANNA, flow: str = "college") -> DossierFacts:
    return DossierFacts(
        dossier_id=f"D-{n}", title="x", flow_id=flow, flow_title=flow.title(),
        initiator=initiator, started=started, ended=ended,
        status="completed" if ended else "open",
        spans=tuple(StageSpan(stage_id=stage, round=1, kind="advise", started=s, due=due,
                              ended=e, outcome=COMPLETED if e else OPEN)
                    for stage, s, e, due in spans))


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.9) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([float(i) for i in range(1, 11)], 0.9) == 9.0
    assert percentile([float(i) for i in range(1, 21)], 0.9) == 18.0


def test_insight_gives_lead_times_overdue_and_longest_waits() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    facts = [
        # 2 days, advies 1 day (on time)
        _dossier(1, "2026-01-01T00:00:00Z", [("advies", "2026-01-01T00:00:00Z",
                                              "2026-01-02T00:00:00Z", "2026-01-05")],
                 "2026-01-03T00:00:00Z"),
        # 4 days, advies 3 days (late: due the 2nd)
        _dossier(2, "2026-01-01T00:00:00Z", [("advies", "2026-01-01T00:00:00Z",
                                              "2026-01-04T00:00:00Z", "2026-01-02")],
                 "2026-01-05T00:00:00Z", initiator=HEAD),
        # open: besluit waiting since 10 February, due 20 February: overdue now
        _dossier(3, "2026-02-01T00:00:00Z", [("besluit", "2026-02-10T12:00:00Z", None,
                                              "2026-02-20")], None),
        # another flow, started before the period
        _dossier(4, "2025-06-01T00:00:00Z", [], "2025-06-02T00:00:00Z", flow="subsidie"),
    ]
    departments = {ANNA.oid: "Ruimte", HEAD.oid: "Financiën"}
    report = insight(*rows(facts), InsightQuery(since=date(2026, 1, 1), until=date(2026, 3, 1)),
                     now, departments)
    assert report.dossiers == 3
    (flow,) = report.flows
    assert (flow.flow_id, flow.started, flow.closed, flow.overdue) == ("college", 3, 2, 2)
    assert (flow.lead.count, flow.lead.median, flow.lead.p90) == (2, 3.0, 4.0)
    advies, besluit = report.stages
    assert (advies.stage_id, advies.lead.median, advies.lead.p90, advies.overdue) == (
        "advies", 2.0, 3.0, 1)
    assert (besluit.lead.count, besluit.wait.median, besluit.open, besluit.overdue) == (
        0, 19.0, 1, 1)
    assert [s.stage_id for s in report.longest] == ["besluit", "advies"]
    deps = {d.department: d for d in report.departments}
    assert deps["Ruimte"].started == 2 and deps["Ruimte"].lead.median == 2.0
    assert deps["Financiën"].lead.median == 4.0 and deps["Financiën"].overdue == 1
    only = insight(*rows(facts), InsightQuery(department="Financiën"), now, departments)
    assert only.dossiers == 1
    assert insight(*rows(facts), InsightQuery(flow_id="subsidie"), now).flows[0].lead.median == 1.0
