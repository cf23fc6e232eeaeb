"""Whose turn it is (approvals.turns): the one rule the engine, the cards and a click use."""

from __future__ import annotations

from dataclasses import replace

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.dossier import DossierState, DossierStatus, SlotAction, StageState, StageStatus
from approvals.errors import DossierClosed, NotEntitled, NotYourTurn, StaleTask
from approvals.turns import click_refusal, open_tasks, slot_for, viewer_task
from tests.support.domain_kit import ANNA, FINANCE, HEAD, JURIST, JURIST2, OUTSIDER, Dossier


def _stage(stage_id: str, *assignees: object, round_no: int = 1, step: int = 0,
           **changes: object) -> StageState:
    stage = StageState(stage_id=stage_id, step=step, round=round_no,
                       assignees=tuple(assignees), due=None)  # type: ignore[arg-type]
    return replace(stage, **changes)  # type: ignore[arg-type]


def _state(*stages: StageState, status: DossierStatus = DossierStatus.OPEN) -> DossierState:
    return DossierState(id="D-1", flow_id="f", flow_version=1, title="T", fields={},
                        initiator=ANNA, created_at="", updated_at="", status=status,
                        stages={s.stage_id: s for s in stages})


def _acted(stage: StageState, slot: str, actor: object) -> StageState:
    act = SlotAction(slot=slot, actor=actor, on_behalf_of=None, action="advise",  # type: ignore[arg-type]
                     text="", advice="positief", at="", seq=9)
    return replace(stage, acted=(*stage.acted, act))


def test_an_assignee_holds_their_own_open_slot() -> None:
    stage = _stage("advies", JURIST, JURIST2)
    assert slot_for(stage, JURIST.oid, None) == JURIST.oid
    task = viewer_task(_state(stage), JURIST.oid)
    assert task is not None and (task.slot, task.behalf) == (JURIST.oid, None)
    assert slot_for(stage, OUTSIDER.oid, None) is None
    assert viewer_task(_state(stage), OUTSIDER.oid) is None


def test_a_substitute_holds_the_slot_on_behalf_of_the_assignee() -> None:
    # a delegation and a standing substitute are both recorded as the slot's holder
    stage = _stage("paraaf", HEAD, delegations={HEAD.oid: OUTSIDER})
    assert open_tasks(stage, OUTSIDER.oid) == (HEAD.oid,)
    assert slot_for(stage, OUTSIDER.oid, None) == HEAD.oid
    assert slot_for(stage, OUTSIDER.oid, HEAD.oid) == HEAD.oid
    assert slot_for(stage, HEAD.oid, None) == HEAD.oid  # the assignee keeps their own slot
    task = viewer_task(_state(stage), OUTSIDER.oid)
    assert task is not None and task.slot == HEAD.oid and task.behalf == HEAD


def test_someone_who_substitutes_two_assignees_must_name_the_slot() -> None:
    stage = _stage("advies", JURIST, JURIST2,
                   delegations={JURIST.oid: OUTSIDER, JURIST2.oid: OUTSIDER})
    assert slot_for(stage, OUTSIDER.oid, None) is None  # a command must say for whom
    assert slot_for(stage, OUTSIDER.oid, JURIST2.oid) == JURIST2.oid
    assert slot_for(stage, OUTSIDER.oid, HEAD.oid) is None  # not a slot they hold
    task = viewer_task(_state(stage), OUTSIDER.oid)  # the card shows the first
    assert task is not None and task.slot == JURIST.oid


def test_own_slot_before_a_substituted_one() -> None:
    stage = _stage("advies", JURIST, JURIST2, delegations={JURIST2.oid: JURIST})
    assert open_tasks(stage, JURIST.oid) == (JURIST.oid, JURIST2.oid)
    assert slot_for(stage, JURIST.oid, None) == JURIST.oid
    assert slot_for(stage, JURIST.oid, JURIST2.oid) == JURIST2.oid


def test_a_slot_once_filled_is_nobodys_task() -> None:
    stage = _acted(_stage("paraaf", HEAD, delegations={HEAD.oid: OUTSIDER}), HEAD.oid, HEAD)
    assert slot_for(stage, HEAD.oid, None) is None
    assert slot_for(stage, OUTSIDER.oid, HEAD.oid) is None
    assert viewer_task(_state(stage), OUTSIDER.oid) is None


def test_parallel_advice_gives_a_task_per_stage() -> None:
    legal = _stage("juridisch_advies", JURIST, FINANCE)
    money = _stage("financieel_advies", FINANCE)
    state = _state(legal, money)
    first = viewer_task(state, FINANCE.oid)
    assert first is not None and first.stage.stage_id == "financieel_advies"  # flow order
    chosen = viewer_task(state, FINANCE.oid, "juridisch_advies")
    assert chosen is not None and chosen.stage.stage_id == "juridisch_advies"
    assert viewer_task(state, JURIST.oid, "financieel_advies") is None
    assert click_refusal(state, FINANCE.oid, "juridisch_advies", 1) is None
    assert isinstance(click_refusal(state, JURIST.oid, "financieel_advies", 1), NotYourTurn)


def test_a_click_on_a_stage_that_started_again_is_stale() -> None:
    state = _state(_stage("paraaf", HEAD, round_no=2))
    refusal = click_refusal(state, HEAD.oid, "paraaf", 1)
    assert isinstance(refusal, StaleTask)
    assert (refusal.round, refusal.current_round, refusal.done_by) == (1, 2, "")
    assert refusal.refusal == "stale_round"  # the stage started again: no one handled it
    assert click_refusal(state, HEAD.oid, "paraaf", 2) is None


def test_a_click_on_a_task_a_colleague_handled_says_who() -> None:
    stage = _acted(_stage("advies", JURIST, JURIST2), JURIST.oid, JURIST)
    done = replace(stage, status=StageStatus.COMPLETED)  # one advice was enough
    refusal = click_refusal(_state(done), JURIST2.oid, "advies", 1)
    assert isinstance(refusal, StaleTask)
    assert (refusal.done_by, refusal.done_by_oid) == (JURIST.name, JURIST.oid)
    # still active (both must advise): the colleague's own task is still open
    assert click_refusal(_state(stage), JURIST2.oid, "advies", 1) is None
    again = click_refusal(_state(stage), JURIST.oid, "advies", 1)  # their own, clicked twice
    assert isinstance(again, StaleTask) and again.done_by == JURIST.name


def test_a_click_by_the_substitute_after_the_assignee_acted() -> None:
    stage = _acted(_stage("paraaf", HEAD, delegations={HEAD.oid: OUTSIDER}), HEAD.oid, HEAD)
    refusal = click_refusal(_state(stage), OUTSIDER.oid, "paraaf", 1, HEAD.oid)
    assert isinstance(refusal, StaleTask) and refusal.done_by == HEAD.name


def test_a_click_on_a_closed_dossier_or_by_someone_else() -> None:
    closed = _state(_stage("paraaf", HEAD, status=StageStatus.CLOSED),
                    status=DossierStatus.WITHDRAWN)
    refusal = click_refusal(closed, HEAD.oid, "paraaf", 1)
    assert isinstance(refusal, DossierClosed) and refusal.status == "withdrawn"
    open_one = _state(_stage("paraaf", HEAD))
    assert isinstance(click_refusal(open_one, OUTSIDER.oid, "paraaf", 1), NotYourTurn)
    assert isinstance(click_refusal(open_one, HEAD.oid, "no_such_stage", 1), NotYourTurn)
    assert isinstance(NotYourTurn("D-1"), NotEntitled)  # callers that catch it still do


def test_the_engine_follows_the_same_rule_for_a_substitute() -> None:
    d = Dossier()
    d.start()
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    d.run(c.Delegate(dossier_id=d.dossier_id, actor=HEAD, command_id="del", to=OUTSIDER,
                     reason="Vakantie"))
    task = viewer_task(d.state, OUTSIDER.oid)
    assert task is not None and task.behalf == HEAD
    with pytest.raises(NotEntitled):
        d.act(JURIST2, c.Action.INITIAL)
    [initialled, *_] = d.act(OUTSIDER, c.Action.INITIAL, on_behalf_of=task.slot)
    assert isinstance(initialled.payload, ev.Initialled)
    assert initialled.on_behalf_of == HEAD and initialled.payload.slot == HEAD.oid
