"""Moving a running dossier to another version of its flow: only where its progress fits
(approvals.version_moves), only by a beheerder, recorded as its own event."""

from __future__ import annotations

from dataclasses import replace

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.engine import decide
from approvals.errors import ActionNotAllowed, InvalidInput, NotEntitled
from approvals.events import PendingEvent
from approvals.flows.definition import FlowDefinition, StageKind, Step
from approvals.identity import Person
from approvals.version_moves import misfit
from tests.support.domain_kit import ADMIN, ANNA, FINANCE, HEAD, JURIST, Dossier, college_flow


def without_accord(version: int = 2) -> FlowDefinition:
    flow = college_flow(version)
    return replace(flow, steps=tuple(s for s in flow.steps if s.id != "accord"))


def in_advice() -> Dossier:
    d = Dossier()
    d.start(25000)
    return d


def test_a_dossier_in_its_advice_fits_a_version_that_changes_only_later_steps() -> None:
    d = in_advice()
    assert misfit(d.state, d.flow, without_accord()) is None


def test_a_changed_stage_in_a_step_the_dossier_reached_does_not_fit() -> None:
    d = in_advice()
    flow = college_flow(2)
    advice = flow.steps[0]
    renamed = Step(advice.id, (advice.stages[0], replace(advice.stages[1], id="begroting")))
    assert misfit(d.state, d.flow, replace(flow, steps=(renamed, *flow.steps[1:]))) == (
        "financieel_advies")
    other_kind = Step(advice.id, (replace(advice.stages[0], kind=StageKind.ACKNOWLEDGE),
                                  advice.stages[1]))
    assert misfit(d.state, d.flow, replace(flow, steps=(other_kind, *flow.steps[1:]))) == (
        "juridisch_advies")


def test_a_dossier_past_a_step_the_new_version_drops_does_not_fit() -> None:
    d = in_advice()
    d.act(JURIST, c.Action.ADVISE, stage_id="juridisch_advies", advice=c.Advice.POSITIEF)

    d.act(FINANCE, c.Action.ADVISE, stage_id="financieel_advies", advice=c.Advice.POSITIEF)
    d.act(HEAD, c.Action.INITIAL, stage_id="paraaf")
    assert d.state.stages["accord"].status.value == "active"
    assert misfit(d.state, d.flow, without_accord()) == "accord"


def move(d: Dossier, actor: Person, target: FlowDefinition,
         reason: str = "nieuwe regels") -> list[PendingEvent]:
    cmd = c.MoveToVersion(dossier_id=d.dossier_id, actor=actor, command_id="move-1",
                          to_version=target.version, reason=reason)
    return decide(d.state, cmd, replace(d.context(actor), target=target))


def test_a_beheerder_moves_it_recorded_as_its_own_event() -> None:
    d = in_advice()
    pending = move(d, ADMIN, without_accord())
    assert [p.payload.TYPE for p in pending] == ["FlowVersionChanged"]
    payload = pending[0].payload
    assert isinstance(payload, ev.FlowVersionChanged)
    assert (payload.from_version, payload.to_version, payload.reason) == (
        1, 2, "nieuwe regels")


def test_only_a_beheerder_with_a_reason_to_another_version_of_an_open_dossier() -> None:
    d = in_advice()
    with pytest.raises(NotEntitled):
        move(d, ANNA, without_accord())
    with pytest.raises(InvalidInput):
        move(d, ADMIN, without_accord(), reason=" ")
    with pytest.raises(InvalidInput) as same:
        move(d, ADMIN, college_flow(1))
    assert same.value.refusal == "flow_move_same"
    with pytest.raises(ActionNotAllowed) as other_flow:
        move(d, ADMIN, replace(without_accord(), id="andere"))
    assert other_flow.value.refusal == "flow_version_not_published"
