"""Four eyes across the whole dossier: one deciding part per person per round, none for the
initiator (unless the stage allows it), also through delegation and reassignment."""

from __future__ import annotations

from dataclasses import replace

import pytest

from approvals import commands as c
from approvals.errors import FourEyesViolation, InvalidInput, NotEntitled
from approvals.flows.definition import FlowDefinition, StageKind
from tests.support.domain_kit import (
    ADMIN,
    ALDERMAN,
    ANNA,
    DIRECTOR,
    FINANCE,
    GROUPS,
    HEAD,
    JURIST,
    MAYOR,
    OUTSIDER,
    Dossier,
    college_flow,
)

A = c.Action


def _dossier(**groups: tuple[object, ...]) -> Dossier:
    return Dossier(groups={**GROUPS, **groups})  # type: ignore[dict-item]


def _to_paraaf(d: Dossier) -> None:
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)


def _delegate(d: Dossier, actor: object, to: object, command_id: str = "del-1") -> None:
    d.run(c.Delegate(dossier_id=d.dossier_id, actor=actor, command_id=command_id,  # type: ignore[arg-type]
                     to=to, reason="Met verlof"))  # type: ignore[arg-type]


def _allowing(flow: FlowDefinition, stage_id: str) -> FlowDefinition:
    steps = tuple(replace(step, stages=tuple(
        replace(s, allow_initiator=True) if s.id == stage_id else s for s in step.stages))
        for step in flow.steps)
    return replace(flow, steps=steps, _stage_index={})


def test_the_paraaf_cannot_be_delegated_to_the_only_director() -> None:
    d = _dossier()
    _to_paraaf(d)
    before = len(d.events)
    with pytest.raises(FourEyesViolation) as refused:
        _delegate(d, HEAD, DIRECTOR)
    error = refused.value
    assert (error.rule, error.holder_name, error.held_stage, error.held_kind) == (
        "one_part", "Director", "accord", "approve")
    assert "Director" in error.message and "accord" in error.message
    assert len(d.events) == before  # nothing recorded


def test_a_director_who_initialled_as_substitute_does_not_also_approve() -> None:
    d = _dossier(accord=(DIRECTOR, OUTSIDER))
    _to_paraaf(d)
    _delegate(d, HEAD, DIRECTOR)
    d.act(DIRECTOR, A.INITIAL)
    accord = d.state.stages["accord"]
    assert accord.assignees == (OUTSIDER,)  # the director holds the paraaf already
    with pytest.raises(NotEntitled):  # so the accord is not his to give
        d.act(DIRECTOR, A.APPROVE)


def test_the_only_decider_cannot_also_approve() -> None:
    d = _dossier(besluit=(DIRECTOR,))
    _to_paraaf(d)
    d.act(HEAD, A.INITIAL)
    before = len(d.events)
    with pytest.raises(FourEyesViolation) as refused:
        d.act(DIRECTOR, A.APPROVE)
    assert (refused.value.held_stage, refused.value.holder_name) == ("besluit", "Director")
    assert len(d.events) == before


def test_someone_who_approved_is_left_out_of_the_decision() -> None:
    d = _dossier(besluit=(DIRECTOR, MAYOR))
    _to_paraaf(d)
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE)
    assert d.state.stages["besluit"].assignees == (MAYOR,)


def test_the_initiator_cannot_start_a_dossier_they_alone_would_initial() -> None:
    d = _dossier(paraaf=(ANNA,))
    with pytest.raises(FourEyesViolation) as refused:
        d.start()
    error = refused.value
    assert (error.rule, error.holder_name, error.held_stage, error.held_kind) == (
        "initiator", "Anna", "paraaf", "initial")
    assert d.events == []


def test_the_initiator_is_left_out_of_a_deciding_group() -> None:
    d = _dossier(besluit=(ANNA, MAYOR))
    _to_paraaf(d)
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE)
    assert d.state.stages["besluit"].assignees == (MAYOR,)


def test_allow_initiator_lets_the_initiator_hold_that_part() -> None:
    d = Dossier(flow=_allowing(college_flow(), "paraaf"), groups={**GROUPS, "paraaf": (ANNA,)})
    _to_paraaf(d)
    assert d.state.stages["paraaf"].assignees == (ANNA,)
    d.act(ANNA, A.INITIAL)
    assert [s.stage_id for s in d.state.active_stages()] == ["accord"]


def test_the_initiator_cannot_be_made_substitute_or_assignee_of_a_deciding_part() -> None:
    d = _dossier()
    _to_paraaf(d)
    with pytest.raises(FourEyesViolation, match="started this dossier"):
        _delegate(d, HEAD, ANNA)
    with pytest.raises(FourEyesViolation, match="started this dossier"):
        d.run(c.Reassign(dossier_id=d.dossier_id, actor=ADMIN, command_id="r-1",
                         stage_id="paraaf", from_oid=HEAD.oid, to=ANNA, reason="Ziek"))


def test_a_beheerder_cannot_reassign_a_part_to_someone_holding_another() -> None:
    d = _dossier(accord=(DIRECTOR, OUTSIDER))
    _to_paraaf(d)
    d.act(HEAD, A.INITIAL)
    with pytest.raises(FourEyesViolation) as refused:
        d.run(c.Reassign(dossier_id=d.dossier_id, actor=ADMIN, command_id="r-1",
                         stage_id="accord", from_oid=DIRECTOR.oid, to=HEAD, reason="Ziek"))
    assert (refused.value.holder_name, refused.value.held_stage) == ("Head", "paraaf")


def test_a_return_voids_the_parts_of_the_stages_done_again() -> None:
    d = _dossier(accord=(DIRECTOR, OUTSIDER))
    _to_paraaf(d)
    d.act(HEAD, A.INITIAL)
    d.run(c.Return(dossier_id=d.dossier_id, actor=DIRECTOR, command_id="ret-1",
                   to_stage="paraaf", reason="Graag de dekking toelichten"))
    # the paraaf is done again: in this round nobody holds it yet, so the head may
    # hand it to the director (the outsider can still give the accord)
    _delegate(d, HEAD, DIRECTOR, "del-2")
    d.act(DIRECTOR, A.INITIAL)
    assert d.state.stages["accord"].assignees == (OUTSIDER,)


def test_a_part_before_the_return_target_still_counts() -> None:
    d = _dossier(accord=(DIRECTOR, OUTSIDER))
    _to_paraaf(d)
    d.act(HEAD, A.INITIAL)
    d.act(OUTSIDER, A.APPROVE)
    d.act(DIRECTOR, A.APPROVE)  # the accord needs both
    d.run(c.Return(dossier_id=d.dossier_id, actor=MAYOR, command_id="ret-1",
                   to_stage="accord", reason="Graag de planning erbij"))
    with pytest.raises(FourEyesViolation, match="Head already holds the initial"):
        _delegate(d, DIRECTOR, HEAD, "del-2")


def test_advice_is_not_a_deciding_part() -> None:
    d = _dossier(juridisch_advies=(JURIST, HEAD))
    d.start()
    d.act(HEAD, A.ADVISE, advice=c.Advice.POSITIEF, stage_id="juridisch_advies")
    d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    d.act(HEAD, A.INITIAL)  # an adviser may still initial
    assert [s.stage_id for s in d.state.active_stages()] == ["accord"]


def test_the_existing_same_stage_rule_still_holds() -> None:
    d = _dossier(besluit=(MAYOR, ALDERMAN))
    _to_paraaf(d)
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE)
    with pytest.raises(InvalidInput, match="already has a task"):
        _delegate(d, MAYOR, ALDERMAN)


def test_deciding_kinds_are_initial_approve_decide_and_sign() -> None:
    from approvals.flows.definition import DECIDING

    assert frozenset({StageKind.INITIAL, StageKind.APPROVE, StageKind.DECIDE,
                      StageKind.SIGN}) == DECIDING
