"""Property: whatever the groups and whatever random people do (act, delegate, reassign, send
back), in a round of a dossier nobody holds two deciding parts and the initiator none."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import event as observe
from hypothesis import strategies as st

from approvals import commands as c
from approvals.dossier import DossierState, DossierStatus, StageStatus
from approvals.errors import DomainError
from approvals.flows.definition import DECIDING, FlowDefinition
from tests.support.domain_kit import (
    ADMIN,
    ALDERMAN,
    ANNA,
    DIRECTOR,
    FINANCE,
    HEAD,
    JURIST,
    JURIST2,
    MAYOR,
    OUTSIDER,
    Dossier,
)

PEOPLE = (ANNA, HEAD, DIRECTOR, MAYOR, ALDERMAN, OUTSIDER, JURIST)
DECIDING_STAGES = ("paraaf", "accord", "besluit")
RETURN_TARGETS = ("juridisch_advies", "paraaf", "accord")


def _round_stages(state: DossierState) -> list[str]:
    """The stages whose parts count in the current round."""
    if state.status is DossierStatus.COMPLETED:
        return [s.stage_id for s in state.stages.values() if s.status is StageStatus.COMPLETED]
    if state.step is None:
        return []
    return [s.stage_id for s in state.stages.values()
            if s.status in (StageStatus.ACTIVE, StageStatus.COMPLETED) and s.step <= state.step]


def _check_four_eyes(state: DossierState, flow: FlowDefinition) -> None:
    held: dict[str, set[str]] = {}
    for stage_id in _round_stages(state):
        if flow.stage(stage_id).kind not in DECIDING:
            continue
        for act in state.stages[stage_id].acted:
            for person in (act.actor, act.on_behalf_of):
                if person is not None:
                    held.setdefault(person.oid, set()).add(stage_id)
    # invariant: one deciding part per person per round, none for the initiator
    assert all(len(stages) == 1 for stages in held.values()), held
    assert ANNA.oid not in held
    # invariant: nobody has an open deciding task who may not hold it
    for stage in state.active_stages():
        if flow.stage(stage.stage_id).kind not in DECIDING:
            continue
        for slot in stage.open_slots():
            for oid in stage.holders(slot.oid):
                assert oid != ANNA.oid, stage.stage_id
                assert held.get(oid, {stage.stage_id}) == {stage.stage_id}, (oid, held)


def _command(d: Dossier, n: int, draw: int, actor_i: int, other_i: int,
             target_i: int) -> c.Command:
    kind = (0, 0, 0, 0, 0, 1, 2, 3, 4, 4)[draw]  # mostly the stage's own action: progress
    actor, other = PEOPLE[actor_i], PEOPLE[other_i]
    base: dict[str, Any] = {"dossier_id": d.dossier_id, "command_id": f"q{n}"}
    active = d.state.active_stages()
    if kind == 0 and active:  # the stage's own action, by whoever may do it now
        stage = active[0]
        holders = [oid for p in stage.open_slots() for oid in stage.holders(p.oid)]
        doer = next((p for p in (*PEOPLE, JURIST2, FINANCE) if p.oid in holders), actor)
        action = c.Action(d.flow.stage(stage.stage_id).kind.value)
        advice = c.Advice.POSITIEF if action is c.Action.ADVISE else None
        return c.Act(**base, actor=doer, action=action, stage_id=stage.stage_id,
                     advice=advice)
    if kind == 1:  # someone hands their task to someone else
        return c.Delegate(**base, actor=actor, to=other, reason="Met verlof")
    if kind == 2 and active:  # a beheerder reassigns a task
        stage = active[0]
        slots = stage.open_slots()
        source = slots[actor_i % len(slots)] if slots else actor
        return c.Reassign(**base, actor=ADMIN, stage_id=stage.stage_id, from_oid=source.oid,
                          to=other, reason="Ziek")
    if kind == 3:
        return c.Return(**base, actor=actor, to_stage=RETURN_TARGETS[target_i],
                        reason="Graag aanvullen")
    action = c.Action(d.flow.stage(DECIDING_STAGES[target_i]).kind.value)
    return c.Act(**base, actor=actor, action=action)


groups = st.tuples(*(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3,
                              unique=True).map(tuple) for _ in DECIDING_STAGES))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups, st.lists(st.tuples(st.integers(0, 9), st.integers(0, len(PEOPLE) - 1),
                                  st.integers(0, len(PEOPLE) - 1), st.integers(0, 2)),
                        min_size=10, max_size=40))
def test_nobody_holds_two_deciding_parts_in_a_round(
        assigned: tuple[tuple[object, ...], ...],
        steps: list[tuple[int, int, int, int]]) -> None:
    d = Dossier(groups={"juridisch_advies": (JURIST, JURIST2), "financieel_advies": (FINANCE,),
                        **dict(zip(DECIDING_STAGES, assigned, strict=True))})  # type: ignore[arg-type]
    try:
        d.start()
    except DomainError:
        observe("start refused")
        return
    for n, (kind, actor_i, other_i, target_i) in enumerate(steps):
        if not d.state.is_open:
            break
        before = list(d.events)
        try:
            d.run(_command(d, n, kind, actor_i, other_i, target_i))
        except DomainError:
            assert d.events == before  # a refused command records nothing
            continue
        _check_four_eyes(d.state, d.flow)
    observe(f"status: {d.state.status.value}")
