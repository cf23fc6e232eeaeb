"""``allow_initiator`` in a flow: four eyes off for one stage, reported as a warning."""

from __future__ import annotations

import pytest

from approvals.errors import FlowValidationError
from approvals.flows.yaml_io import check_flow, dump_flow, parse_flow

HEAD = """\
schema: paraaf/flow/v1
id: eigen-besluit
version: 1
title: Eigen besluit
stages:
  - id: advies
    kind: advise
    assignees: [{group: juristen}]
"""


def _stage(kind: str, extra: str = "", assignee: str = "initiator: true") -> str:
    return HEAD + f"  - id: stap\n    kind: {kind}\n    assignees:\n      - {assignee}\n" + extra


@pytest.mark.parametrize("kind", ["initial", "approve", "decide", "sign"])
def test_allow_initiator_is_a_warning_with_its_line(kind: str) -> None:
    flow, warnings = check_flow(_stage(kind, "    allow_initiator: true\n"), "f.yaml")
    assert flow.stage("stap").allow_initiator
    assert [(w.path, w.line) for w in warnings] == [("stages[1].allow_initiator", 13)]
    assert "four eyes is off" in warnings[0].message
    assert warnings[0].format("f.yaml").startswith("f.yaml:13: stages[1].allow_initiator:")
    assert parse_flow(dump_flow(flow)) == flow  # it survives export and import


@pytest.mark.parametrize("kind", ["initial", "approve", "decide", "sign"])
def test_a_deciding_stage_for_the_initiator_needs_allow_initiator(kind: str) -> None:
    with pytest.raises(FlowValidationError, match=f"a {kind} stage cannot be assigned to the "
                                                  "initiator") as refused:
        parse_flow(_stage(kind), "f.yaml")
    assert refused.value.issues[0].line == 12
    assert "allow_initiator: true" in refused.value.issues[0].hint


@pytest.mark.parametrize("kind", ["advise", "acknowledge"])
def test_the_initiator_may_advise_or_take_note_without_it(kind: str) -> None:
    flow, warnings = check_flow(_stage(kind))
    assert not flow.stage("stap").allow_initiator and warnings == ()


def test_allow_initiator_on_a_stage_that_decides_nothing_is_an_error() -> None:
    with pytest.raises(FlowValidationError, match="only applies to approve, decide, initial, "
                                                  "sign stages"):
        parse_flow(_stage("advise", "    allow_initiator: true\n"))


def test_allow_initiator_is_true_or_false() -> None:
    with pytest.raises(FlowValidationError, match="expected true or false"):
        parse_flow(_stage("decide", "    allow_initiator: ja\n", "group: college"))
    flow, warnings = check_flow(_stage("decide", "    allow_initiator: false\n",
                                       "group: college"))
    assert not flow.stage("stap").allow_initiator and warnings == ()


def test_a_flow_without_it_has_no_warnings() -> None:
    assert check_flow(HEAD)[1] == ()
