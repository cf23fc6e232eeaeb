"""Reading and writing flow definitions in YAML (approvals.flows.yaml_io)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from approvals.errors import DomainError, FlowValidationError
from approvals.flows.definition import (
    AssigneeKind,
    AssigneeRule,
    CompletionMode,
    CompletionRule,
    FieldType,
    FlowDefinition,
    StageKind,
)
from approvals.flows.yaml_io import MAX_BYTES, dump_flow, parse_flow

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "local" / "demo"
DEMO_FLOWS = sorted((DEMO / "flows").glob("*.yaml"))
BAD_FLOWS = sorted((ROOT / "tests" / "data" / "bad_flows").glob("*.yaml"))

MINIMAL = """\
schema: paraaf/flow/v1
id: minimaal
version: 1
title: Minimaal
stages:
  - id: paraaf
    kind: initial
    assignees: [{manager: 1}]
"""


def problems(text: str) -> FlowValidationError:
    with pytest.raises(FlowValidationError) as caught:
        parse_flow(text, "test.yaml")
    return caught.value


def with_stage(stage: str, fields: str = "") -> str:
    """MINIMAL with one more stage (indented YAML lines) and optional field lines."""
    text = MINIMAL + stage
    if fields:
        text = text.replace("stages:\n", f"fields:\n{fields}stages:\n")
    return text


# --- the demo flows -------------------------------------------------------------------------


def test_there_are_three_demo_flows() -> None:
    assert [path.stem for path in DEMO_FLOWS] == [
        "collegevoorstel",
        "energietoeslag",
        "subsidiebeschikking",
    ]


@pytest.mark.parametrize("path", DEMO_FLOWS, ids=lambda path: path.stem)
def test_demo_flow_parses(path: Path) -> None:
    flow = parse_flow(path.read_text("utf-8"), path.name)
    assert flow.id == path.stem
    assert flow.steps


@pytest.mark.parametrize("path", DEMO_FLOWS, ids=lambda path: path.stem)
def test_demo_flow_round_trips_through_dump(path: Path) -> None:
    flow = parse_flow(path.read_text("utf-8"), path.name)
    again = parse_flow(dump_flow(flow))
    assert again == flow
    assert dump_flow(again) == dump_flow(flow)


def test_collegevoorstel_has_the_agreed_shape() -> None:
    flow = parse_flow((DEMO / "flows" / "collegevoorstel.yaml").read_text("utf-8"))
    assert [step.id for step in flow.steps] == [
        "advies",
        "paraaf_afdelingshoofd",
        "accord_directeur",
        "besluit_college",
    ]
    assert flow.steps[0].parallel
    financieel = flow.stage("financieel_advies")
    assert financieel.condition is not None
    assert financieel.condition.source == "bedrag >= 10000"
    assert financieel.completion.mode is CompletionMode.ANY
    assert financieel.deadline_days == 5
    assert flow.stage("paraaf_afdelingshoofd").assignees == (AssigneeRule(AssigneeKind.MANAGER),)
    assert flow.stage("paraaf_afdelingshoofd").return_to == (
        "juridisch_advies",
        "financieel_advies",
    )
    assert flow.stage("besluit_college").kind is StageKind.DECIDE
    assert flow.field_def("portefeuillehouder") is not None
    assert [f.name for f in flow.fields] == [
        "onderwerp",
        "bedrag",
        "portefeuillehouder",
        "toelichting",
    ]


# --- the demo directory ---------------------------------------------------------------------


def load_directory() -> dict[str, Any]:
    data = yaml.safe_load((DEMO / "directory.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_demo_directory_ids_are_unique_v4_guids() -> None:
    directory = load_directory()
    oids = [user["oid"] for user in directory["users"]]
    for value in [directory["tenant"], *oids]:
        assert uuid.UUID(value).version == 4
    assert len(set(oids)) == len(oids)
    upns = [user["upn"] for user in directory["users"]]
    assert len(set(upns)) == len(upns)


def test_demo_directory_managers_exist_and_form_no_cycle() -> None:
    users = {user["upn"]: user for user in load_directory()["users"]}
    for upn in users:
        seen = {upn}
        manager = users[upn].get("manager")
        while manager:
            assert manager in users, f"{upn}: unknown manager {manager}"
            assert manager not in seen, f"{upn}: manager cycle"
            seen.add(manager)
            manager = users[manager].get("manager")


def test_beleidsadviseurs_have_a_manager_chain_of_at_least_two() -> None:
    users = {user["upn"]: user for user in load_directory()["users"]}
    advisers = [u for u in users.values() if u["title"].lower().startswith("beleidsadviseur")]
    assert advisers
    for adviser in advisers:
        manager = users[adviser["manager"]]
        assert manager.get("manager"), adviser["upn"]


def test_demo_directory_has_the_people_the_demo_needs() -> None:
    directory = load_directory()
    users = directory["users"]
    assert len(users) >= 14
    assert sum(1 for user in users if user["admin"]) == 1
    guests = [user for user in users if user.get("guest")]
    assert len(guests) == 1
    assert "#EXT#@" in guests[0]["upn"]
    assert all(user["locale"] == "nl-NL" for user in users)
    assert {group["id"] for group in directory["groups"]} >= {"juristen", "financien", "subsidies"}


def resolve(rule: AssigneeRule, directory: dict[str, Any]) -> list[str]:
    """A minimal resolver: who a rule can reach in the demo directory."""
    users = directory["users"]
    if rule.kind is AssigneeKind.USER:
        return [u["upn"] for u in users if u["upn"] == rule.value]
    if rule.kind is AssigneeKind.GROUP:
        members = next(g["members"] for g in directory["groups"] if g["id"] == rule.value)
        return [u["upn"] for u in users if u["upn"] in members]
    if rule.kind is AssigneeKind.ROLE:
        return [u["upn"] for u in users if rule.value in u["roles"]]
    if rule.kind is AssigneeKind.MANAGER:
        return [u["manager"] for u in users if u.get("manager")]
    return [u["upn"] for u in users if not u.get("guest")]  # field / initiator: any employee


@pytest.mark.parametrize("path", DEMO_FLOWS, ids=lambda path: path.stem)
def test_every_demo_assignee_rule_reaches_someone(path: Path) -> None:
    directory = load_directory()
    flow = parse_flow(path.read_text("utf-8"))
    for stage in flow.all_stages():
        for rule in stage.assignees:
            assert resolve(rule, directory), f"{stage.id}: {rule} reaches nobody"


# --- the corpus of malformed flows -----------------------------------------------------------


def expectation(path: Path) -> tuple[str, int | None]:
    text = path.read_text("utf-8")
    fragment = re.match(r"# expect: (.+)\n", text)
    line = re.search(r"^# line: (\d+|-)$", text, re.MULTILINE)
    assert fragment and line, f"{path.name} needs '# expect:' and '# line:' comments"
    return fragment.group(1), None if line.group(1) == "-" else int(line.group(1))


def test_the_bad_flow_corpus_is_large_enough() -> None:
    assert len(BAD_FLOWS) >= 18


@pytest.mark.parametrize("path", BAD_FLOWS, ids=lambda path: path.stem)
def test_bad_flow_is_rejected_with_the_expected_message(path: Path) -> None:
    fragment, line = expectation(path)
    with pytest.raises(FlowValidationError) as caught:
        parse_flow(path.read_text("utf-8"), path.name)
    error = caught.value
    assert fragment in str(error)
    issue = next(issue for issue in error.issues if fragment in issue.format(path.name))
    assert issue.line == line
    assert issue.hint, "every issue says how to fix it"
    assert error.source == path.name


# --- document-level problems ----------------------------------------------------------------


def test_oversized_document_is_rejected_before_parsing() -> None:
    text = MINIMAL + "description: |\n" + ("  " + "x" * 98 + "\n") * (MAX_BYTES // 100 + 1)
    error = problems(text)
    (issue,) = error.issues
    assert issue.line is None
    assert issue.message == "the flow definition is too large (259 KiB, at most 256 KiB)"
    assert str(error).startswith("test.yaml: the flow definition is too large")


def test_document_of_exactly_the_limit_is_read() -> None:
    text = MINIMAL + "description: x\n"
    text += "#" * (MAX_BYTES - len(text))
    assert len(text.encode("utf-8")) == MAX_BYTES
    assert parse_flow(text).description == "x"


def test_multibyte_text_counts_in_bytes() -> None:
    text = MINIMAL + "description: " + "é" * (MAX_BYTES // 2) + "\n"
    assert len(text) < MAX_BYTES
    assert "too large" in str(problems(text))


def test_deeply_nested_document_is_rejected() -> None:
    text = MINIMAL + "description: " + "[" * 40 + "]" * 40 + "\n"
    assert "nested more than 24 levels deep" in str(problems(text))


def test_aliases_chained_into_depth_are_rejected() -> None:
    chain = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 40))
    assert "nested more than 24 levels deep" in str(problems(chain))


def test_small_aliases_are_allowed() -> None:
    text = MINIMAL.replace("[{manager: 1}]", "&hoofd [{manager: 1}]") + (
        "  - id: accord\n    kind: approve\n    assignees: *hoofd\n"
    )
    flow = parse_flow(text)
    assert flow.stage("accord").assignees == flow.stage("paraaf").assignees


def test_control_characters_are_rejected_with_a_line() -> None:
    error = problems(MINIMAL + "description: a\x01b\n")
    assert error.issues[0].line == 9
    assert "not valid YAML" in error.issues[0].message


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("title: Paraaf: hoofd: x\n", 9, "put text that contains ': ' in quotes"),
        ("description: *onbekend\n", 9, "define the anchor (&name) before using the alias"),
    ],
)
def test_yaml_syntax_errors_get_a_specific_hint(text: str, line: int, hint: str) -> None:
    (issue,) = problems(MINIMAL + text).issues
    assert issue.line == line
    assert issue.hint.startswith(hint)


def test_scalar_document_is_not_a_mapping() -> None:
    assert "must be a mapping of keys, got the text 'hallo'" in str(problems("hallo\n"))


def test_merge_keys_are_refused() -> None:
    text = MINIMAL.replace("    kind: initial\n", "    <<: {kind: initial}\n")
    assert "merge keys (<<) are not supported" in str(problems(text))


def test_keys_must_be_text() -> None:
    text = MINIMAL + "yes: 1\n[a]: 2\n"
    message = str(problems(text))
    assert "the key 'yes' is not text" in message
    assert "the key 'a collection' is not text" in message


def test_custom_tags_are_refused() -> None:
    assert "unsupported YAML tag '!secret'" in str(problems(MINIMAL + "description: !secret x\n"))
    assert "unsupported YAML tag '!lijst'" in str(problems(MINIMAL + "fields: !lijst []\n"))


def test_unreadable_values_are_reported() -> None:
    message = str(problems(MINIMAL.replace("version: 1", "version: 2024-13-45")))
    assert "version: cannot read the value '2024-13-45'" in message
    huge = "9" * 5000
    assert "cannot read the value" in str(
        problems(MINIMAL.replace("version: 1", f"version: {huge}"))
    )


# --- collecting every problem ---------------------------------------------------------------


def test_all_problems_are_reported_at_once_in_line_order() -> None:
    text = """\
schema: paraaf/flow/v1
id: Fout
version: nul
titel: Fout
fields:
  - {name: bedrag, type: bedrag}
stages:
  - id: paraaf
    kind: paraferen
    assignees: []
    return_to: [besluit]
"""
    error = problems(text)
    paths = [issue.path for issue in error.issues]
    assert paths == [
        "",
        "id",
        "version",
        "titel",
        "fields[0].type",
        "stages[0].kind",
        "stages[0].assignees",
        "stages[0].return_to[0]",
    ]
    lines = [issue.line for issue in error.issues]
    assert None not in lines and lines == sorted(line or 0 for line in lines)
    assert "did you mean 'title'?" in error.issues[3].hint
    assert len(str(error).splitlines()) == len(error.issues)


def test_flow_validation_error_is_a_domain_error_with_a_code() -> None:
    error = problems("- a\n")
    assert isinstance(error, DomainError)
    assert error.code == "flow_invalid"
    assert error.message == str(error)


# --- top level ------------------------------------------------------------------------------


def test_minimal_flow_gets_the_defaults() -> None:
    flow = parse_flow(MINIMAL)
    assert flow.key == "minimaal@1"
    assert flow.fields == ()
    assert flow.description == ""
    stage = flow.stage("paraaf")
    assert stage.title == "paraaf"
    assert stage.completion == CompletionRule()
    assert stage.condition is None
    assert stage.deadline_days is None
    assert stage.return_to == ()


def test_missing_stages_and_empty_stages_are_rejected() -> None:
    without = MINIMAL.split("stages:")[0]
    assert "missing required key 'stages'" in str(problems(without))
    assert "must be a non-empty list of stages, got an empty list" in str(
        problems(without + "stages: []\n")
    )
    assert "got the text 'geen'" in str(problems(without + "stages: geen\n"))


def test_title_may_be_a_number_but_not_empty_or_too_long() -> None:
    assert parse_flow(MINIMAL.replace("title: Minimaal", "title: 2026")).title == "2026"
    assert "title: must not be empty" in str(problems(MINIMAL.replace("Minimaal", "''")))
    long_title = "x" * 201
    assert "longer than 200 characters" in str(problems(MINIMAL.replace("Minimaal", long_title)))
    assert "expected text, got an empty value" in str(problems(MINIMAL.replace("Minimaal", "")))


def test_description_keeps_its_text() -> None:
    flow = parse_flow(MINIMAL + "description: |\n  Regel een.\n  Regel twee.\n")
    assert flow.description == "Regel een.\nRegel twee.\n"


def test_id_must_be_text() -> None:
    assert "id: expected text, got the number 12" in str(
        problems(MINIMAL.replace("minimaal", "12"))
    )


def test_date_where_text_is_expected_is_reported() -> None:
    message = str(problems(MINIMAL.replace("id: minimaal", "id: 2026-01-01")))
    assert "id: expected text, got the date 2026-01-01 (put the value in quotes)" in message


def test_boolean_version_is_not_a_number() -> None:
    message = str(problems(MINIMAL.replace("version: 1", "version: yes")))
    assert "version: expected a whole number, got the boolean 'yes'" in message


# --- fields ---------------------------------------------------------------------------------


def test_fields_get_their_types_labels_and_options() -> None:
    fields = (
        "  - {name: regeling, type: choice, options: [Sport, 'yes', 2026], required: true}\n"
        "  - {name: toelichting, type: text, label: Toelichting, max_length: 500}\n"
        "  - {name: ontvangen_op, type: date}\n"
    )
    flow = parse_flow(with_stage("", fields))
    regeling, toelichting, ontvangen = flow.fields
    assert regeling.type is FieldType.CHOICE
    assert regeling.options == ("Sport", "yes", "2026")
    assert regeling.required
    assert regeling.label == "regeling"
    assert toelichting.label == "Toelichting"
    assert toelichting.max_length == 500
    assert ontvangen.type is FieldType.DATE
    assert parse_flow(dump_flow(flow)) == flow


def test_fields_must_be_a_list_of_mappings() -> None:
    assert "fields: must be a list of fields, got a mapping" in str(
        problems(MINIMAL + "fields: {bedrag: money}\n")
    )
    assert "fields[0]: a field must be a mapping of keys, got the text 'bedrag'" in str(
        problems(MINIMAL + "fields: [bedrag]\n")
    )


def test_field_needs_a_valid_name_and_type() -> None:
    message = str(
        problems(with_stage("", "  - {name: Bedrag, type: money, kleur: rood}\n  - {}\n"))
    )
    assert "fields[0].name: invalid field name 'Bedrag'" in message
    assert "fields[0].kleur: unknown key 'kleur'" in message
    assert "fields[1]: missing required key 'name'" in message
    assert "fields[1]: missing required key 'type'" in message


def test_field_details_are_checked() -> None:
    fields = (
        "  - {name: a, type: text, required: ja, max_length: 0}\n"
        "  - {name: b, type: money, max_length: 10}\n"
        "  - {name: c, type: choice, options: []}\n"
        "  - {name: d, type: choice, options: [x, x]}\n"
    )
    message = str(problems(with_stage("", fields)))
    assert "fields[0].required: expected true or false, got the text 'ja'" in message
    assert "fields[0].max_length: must be between 1 and 100000, got 0" in message
    assert (
        "fields[1].max_length: max_length is only allowed on text fields, not on money" in message
    )
    assert "fields[2].options: must be a non-empty list of options" in message
    assert "fields[3].options[1]: duplicate option 'x'" in message


def test_dutch_field_type_gets_a_translation_hint() -> None:
    error = problems(with_stage("", "  - {name: wanneer, type: datum}\n"))
    assert error.issues[0].hint.startswith("did you mean 'date'?")


# --- stages ---------------------------------------------------------------------------------


def test_stage_must_be_a_mapping_with_id_kind_and_assignees() -> None:
    message = str(problems(MINIMAL + "  - paraaf\n  - {title: Leeg}\n"))
    assert "stages[1]: a stage must be a mapping of keys, got the text 'paraaf'" in message
    assert "stages[2]: missing required key 'id'" in message
    assert "stages[2]: missing required key 'kind'" in message
    assert "stages[2]: missing required key 'assignees'" in message


def test_stage_options_are_read() -> None:
    stage = (
        "  - id: besluit\n    kind: decide\n    title: Besluit college\n"
        "    assignees: {role: college}\n    completion: {quorum: 2}\n"
        "    deadline_days: 10\n    return_to: paraaf\n"
        "    instructions: |\n      Eerst lezen.\n      Dan besluiten.\n"
    )
    flow = parse_flow(with_stage(stage))
    besluit = flow.stage("besluit")
    assert besluit.title == "Besluit college"
    assert besluit.assignees == (AssigneeRule(AssigneeKind.ROLE, "college"),)
    assert besluit.completion == CompletionRule(CompletionMode.QUORUM, 2)
    assert besluit.deadline_days == 10
    assert besluit.return_to == ("paraaf",)
    assert besluit.instructions == "Eerst lezen.\nDan besluiten.\n"
    dumped = dump_flow(flow)
    assert "instructions: |" in dumped
    assert parse_flow(dumped) == flow


def test_decide_stage_may_come_before_other_stages() -> None:
    stage = "  - {id: besluit, kind: decide, assignees: [{role: directeur}]}\n"
    stage += "  - {id: ondertekenen, kind: sign, assignees: [{role: directeur}]}\n"
    flow = parse_flow(with_stage(stage))
    assert [s.kind for s in flow.all_stages()][-2:] == [StageKind.DECIDE, StageKind.SIGN]


def test_stage_id_must_match_the_pattern() -> None:
    message = str(problems(MINIMAL.replace("id: paraaf", "id: Paraaf Hoofd")))
    assert "stages[0].id: invalid id 'Paraaf Hoofd'" in message


def test_deadline_must_be_a_whole_number() -> None:
    message = str(problems(with_stage("    deadline_days: 2.5\n")))
    assert "stages[0].deadline_days: expected a whole number, got the number 2.5" in message


def test_parallel_group_must_hold_a_list() -> None:
    message = str(problems(MINIMAL + "  - {id: advies, parallel: {id: x}, kleur: rood}\n"))
    assert "stages[1].parallel: a parallel group needs at least 2 stages, got 1" in message
    assert "stages[1].kleur: unknown key 'kleur'" in message


def test_parallel_group_needs_an_id() -> None:
    group = "  - parallel:\n"
    group += "      - {id: a1, kind: advise, assignees: [{group: g}]}\n"
    group += "      - {id: a2, kind: advise, assignees: [{group: g}]}\n"
    assert "stages[1]: missing required key 'id' (add e.g. id: advies)" in str(
        problems(with_stage(group))
    )


# --- assignees ------------------------------------------------------------------------------


def test_every_assignee_source_is_read() -> None:
    stage = (
        "  - id: kennisname\n    kind: acknowledge\n    assignees:\n"
        "      - user: j.jansen@voorbeeldstad.nl\n      - group: juristen\n"
        "      - role: directeur\n      - manager: 2\n      - field: portefeuillehouder\n"
        "      - initiator: true\n"
    )
    flow = parse_flow(with_stage(stage, "  - {name: portefeuillehouder, type: user}\n"))
    assert flow.stage("kennisname").assignees == (
        AssigneeRule(AssigneeKind.USER, "j.jansen@voorbeeldstad.nl"),
        AssigneeRule(AssigneeKind.GROUP, "juristen"),
        AssigneeRule(AssigneeKind.ROLE, "directeur"),
        AssigneeRule(AssigneeKind.MANAGER, levels=2),
        AssigneeRule(AssigneeKind.FIELD, "portefeuillehouder"),
        AssigneeRule(AssigneeKind.INITIATOR),
    )
    assert parse_flow(dump_flow(flow)) == flow


def test_assignee_shapes_are_checked() -> None:
    stage = (
        "  - id: x\n    kind: advise\n    assignees:\n"
        "      - j.jansen@voorbeeldstad.nl\n      - juristen\n"
        "      - {group: juristen, role: directeur}\n      - {}\n"
        "      - user: jjansen\n      - role: ''\n      - initiator: ja\n      - manager: twee\n"
    )
    message = str(problems(with_stage(stage)))
    assert "assignees[0]: an assignee is a mapping with one key" in message
    assert "(write {user: j.jansen@voorbeeldstad.nl})" in message
    assert "assignees[1]: an assignee is a mapping with one key, got the text 'juristen'" in message
    assert "assignees[2]: an assignee has exactly one key, got 2 (group, role)" in message
    assert "assignees[3]: an assignee has exactly one key, got 0 (none)" in message
    assert "assignees[4].user: expected a user principal name, got 'jjansen'" in message
    assert "assignees[5].role: must not be empty" in message
    assert "assignees[6].initiator: expected true, got the text 'ja'" in message
    assert "assignees[7].manager: expected a whole number, got the text 'twee'" in message


def test_empty_assignees_value_means_no_assignees() -> None:
    error = problems(MINIMAL.replace("assignees: [{manager: 1}]", "assignees:"))
    assert error.issues[0].message == "a stage needs at least one assignee"


def test_parallel_group_without_stages_is_rejected() -> None:
    error = problems(MINIMAL + "  - {id: advies, parallel: }\n")
    assert error.issues[0].message == "a parallel group needs at least 2 stages, got 0"


def test_assignee_field_suggests_a_user_field() -> None:
    fields = "  - {name: behandelaar, type: user}\n"
    stage = "  - {id: besluit, kind: decide, assignees: [{field: behandelar}]}\n"
    error = problems(with_stage(stage, fields))
    assert error.issues[0].hint.startswith("did you mean 'behandelaar'?")


def test_assignee_field_with_an_invalid_type_is_reported_once() -> None:
    fields = "  - {name: behandelaar, type: persoon}\n"
    stage = "  - {id: besluit, kind: decide, assignees: [{field: behandelaar}]}\n"
    error = problems(with_stage(stage, fields))
    assert [issue.path for issue in error.issues] == ["fields[0].type"]
    assert error.issues[0].hint.startswith("did you mean 'user'?")


# --- completion -----------------------------------------------------------------------------


def test_completion_variants() -> None:
    assert "completion: a quorum needs a number" in str(
        problems(with_stage("    completion: quorum\n"))
    )
    error = problems(with_stage("    completion: iedereen\n"))
    assert error.issues[0].hint.startswith("did you mean 'all'?")
    flow = parse_flow(with_stage("    completion: all\n"))
    assert flow.stage("paraaf").completion == CompletionRule()


def test_quorum_larger_than_the_named_users_is_rejected() -> None:
    stage = (
        "  - id: besluit\n    kind: decide\n    completion: {quorum: 3}\n    assignees:\n"
        "      - user: a@voorbeeldstad.nl\n      - user: b@voorbeeldstad.nl\n"
    )
    assert "a quorum of 3 is more than the 2 named users" in str(problems(with_stage(stage)))


def test_quorum_larger_than_a_group_is_allowed() -> None:
    stage = (
        "  - {id: besluit, kind: decide, completion: {quorum: 5}, assignees: [{role: college}]}\n"
    )
    assert parse_flow(with_stage(stage)).stage("besluit").completion.quorum == 5


# --- conditions -----------------------------------------------------------------------------


CONDITION_FIELDS = (
    "  - {name: bedrag, type: money}\n"
    "  - {name: regeling, type: choice, options: [Sport, Cultuur]}\n"
    "  - {name: ontvangen_op, type: date}\n"
    "  - {name: aanvrager, type: text}\n"
)


def condition_flow(condition: str) -> str:
    stage = "  - id: toets\n    kind: advise\n    assignees: [{group: g}]\n"
    stage += f"    condition: {condition}\n"
    return with_stage(stage, CONDITION_FIELDS)


@pytest.mark.parametrize(
    "condition",
    [
        "bedrag >= 10000",
        "regeling in ['Sport', 'Cultuur'] and bedrag < 2500.50",
        "ontvangen_op >= '2026-01-01' or aanvrager == 'Stichting Sportief'",
        "\"(bedrag > 1 or bedrag < -1) and regeling != 'Sport'\"",
    ],
)
def test_valid_conditions_are_accepted(condition: str) -> None:
    flow = parse_flow(condition_flow(condition))
    assert flow.stage("toets").condition is not None
    assert parse_flow(dump_flow(flow)) == flow


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("\"regeling == 'Muziek'\"", "'Muziek' is not an option of field 'regeling'"),
        ("\"regeling not in ['Sport', 'Dans']\"", "'Dans' is not an option of field 'regeling'"),
        ("\"ontvangen_op < '1-1-2026'\"", "'1-1-2026' is not a date"),
        ("ontvangen_op < 2026", "compares date field 'ontvangen_op' with the number 2026"),
        ("aanvrager == 12.5", "compares text field 'aanvrager' with the number 12.5"),
        ("\"bedrag in ['1', '2']\"", "'in' compares money field 'bedrag' with text"),
        ("yes", "condition: expected text, got the boolean 'yes'"),
        ('""', "condition: must not be empty"),
    ],
)
def test_invalid_conditions_are_reported(condition: str, message: str) -> None:
    assert message in str(problems(condition_flow(condition)))


def test_condition_on_a_field_with_an_invalid_type_is_not_reported_twice() -> None:
    stage = "  - {id: toets, kind: advise, assignees: [{group: g}], condition: bedrag > 1}\n"
    error = problems(with_stage(stage, "  - {name: bedrag, type: geld}\n"))
    assert [issue.path for issue in error.issues] == ["fields[0].type"]


def test_condition_without_fields_hints_to_define_them() -> None:
    stage = "  - {id: toets, kind: advise, assignees: [{group: g}], condition: bedrag > 1}\n"
    error = problems(with_stage(stage))
    assert error.issues[0].hint == "define the field under fields"


# --- return_to ------------------------------------------------------------------------------


def test_return_to_named_twice_is_reported() -> None:
    stage = "  - {id: accord, kind: approve, assignees: [{role: r}], return_to: [paraaf, paraaf]}\n"
    assert "return_to[1]: 'paraaf' is named twice" in str(problems(with_stage(stage)))


def test_return_to_an_earlier_stage_is_allowed() -> None:
    stage = "  - {id: accord, kind: approve, assignees: [{role: r}], return_to: [paraaf]}\n"
    assert parse_flow(with_stage(stage)).stage("accord").return_to == ("paraaf",)


def test_return_to_later_stage_is_rejected() -> None:
    text = MINIMAL + "    return_to: [accord]\n"
    text += "  - {id: accord, kind: approve, assignees: [{role: r}]}\n"
    error = problems(text)
    assert (
        error.issues[0].message == "impossible return target 'accord': it runs later, not earlier"
    )
    assert error.issues[0].hint == "this stage is in the first step: remove return_to"


# --- dumping --------------------------------------------------------------------------------


def test_dump_writes_the_schema_first_and_leaves_defaults_out() -> None:
    dumped = dump_flow(parse_flow(MINIMAL))
    assert dumped.splitlines()[0] == "schema: paraaf/flow/v1"
    assert "completion" not in dumped
    assert "title: paraaf" not in dumped


def test_dump_quotes_text_that_yaml_would_read_otherwise() -> None:
    flow = parse_flow(MINIMAL.replace("Minimaal", "'yes'"))
    assert flow.title == "yes"
    assert parse_flow(dump_flow(flow)).title == "yes"


def test_dumped_flow_is_plain_safe_yaml() -> None:
    flow = parse_flow((DEMO / "flows" / "subsidiebeschikking.yaml").read_text("utf-8"))
    data = yaml.safe_load(dump_flow(flow))
    assert data["stages"][0]["parallel"][1]["condition"] == (
        "bedrag >= 50000 or regeling == 'Evenementen'"
    )
    assert isinstance(flow, FlowDefinition)
