"""Property: random commands by random actors never break the dossier's invariants."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import event as observe
from hypothesis import strategies as st

from approvals import commands as c
from approvals.audit import ChainRecord, verify_chain
from approvals.dossier import DossierState, StageStatus, apply, fold
from approvals.errors import DomainError
from approvals.events import Event, EventType
from tests.support.domain_kit import ADMIN, EVERYONE, Dossier

STAGES = ["juridisch_advies", "financieel_advies", "paraaf", "accord", "besluit", "nergens"]
ACTS = {EventType.ADVICE_GIVEN, EventType.INITIALLED, EventType.APPROVED, EventType.DECIDED,
        EventType.SIGNED, EventType.ACKNOWLEDGED, EventType.DOSSIER_RETURNED,
        EventType.DOSSIER_REJECTED}


def _command(d: Dossier, n: int, actor_i: int, kind: int, stage_i: int, flag: bool,
             other_i: int) -> c.Command:
    actor, other, stage = EVERYONE[actor_i], EVERYONE[other_i], STAGES[stage_i]
    base: dict[str, Any] = {"dossier_id": d.dossier_id, "actor": actor, "command_id": f"p{n}"}
    reason = "Omdat het moet" if flag else ""
    maybe_stage = stage if stage_i % 2 else None
    if kind < 6:
        action = sorted(c.STAGE_ACTIONS)[kind]
        if action is c.Action.ADVISE:
            advice = c.Advice.POSITIEF if flag else None  # no advice: must be refused
        else:
            advice = None if flag else c.Advice.NEGATIEF  # an advice here: must be refused
        return c.Act(**base, action=action, stage_id=maybe_stage, advice=advice)
    return [
        lambda: c.Return(**base, to_stage=stage, reason=reason),
        lambda: c.Reject(**base, reason=reason),
        lambda: c.Withdraw(**base, reason=reason),
        lambda: c.Delegate(**base, to=other, reason=reason, stage_id=maybe_stage),
        lambda: c.AddComment(**base, text=reason),
        lambda: c.Reassign(**base, stage_id=stage, from_oid=other.oid, to=actor, reason=reason),
        lambda: c.Tick(**base, escalate_to={}),
    ][kind - 6]()


def _entitled(before: DossierState, event: Event) -> bool:
    """Was the event's actor allowed to cause it, judged on the state before it?"""
    p: Any = event.payload
    if event.type in ACTS:
        stage = before.stages[getattr(p, "stage", "") or p.from_stage]
        open_slots = {person.oid for person in stage.open_slots()}
        return (stage.status is StageStatus.ACTIVE and p.slot in open_slots
                and event.actor.oid in stage.holders(p.slot))
    if event.type is EventType.DOSSIER_WITHDRAWN:
        return event.actor.oid in (before.initiator.oid, ADMIN.oid)
    if event.type in (EventType.REASSIGNED, EventType.DUE_DATE_CHANGED):
        return event.actor.oid == ADMIN.oid
    if event.type is EventType.DELEGATED:
        return bool(p.slot == event.actor.oid)
    return True  # consequences of the above (stage started/completed) and ticks


def _likely_actor(d: Dossier, data: st.DataObject) -> int:
    """Half the time someone who may act now, so that long dossiers happen too."""
    holders = [oid for s in d.state.active_stages() for p in s.open_slots()
               for oid in s.holders(p.oid)]
    if len(holders) > 0 and data.draw(st.booleans()):
        oid = data.draw(st.sampled_from(holders))
        return next(i for i, p in enumerate(EVERYONE) if p.oid == oid)
    return data.draw(st.integers(0, len(EVERYONE) - 1))


def _likely_kind(d: Dossier, data: st.DataObject) -> int:
    active = d.state.active_stages()
    if active and data.draw(st.integers(0, 3)) > 0:
        kind = d.flow.stage(data.draw(st.sampled_from(active)).stage_id).kind
        return sorted(c.STAGE_ACTIONS).index(c.Action(kind.value))
    return data.draw(st.integers(0, 12))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(0, 20), st.integers(1, 60))
def test_random_commands_keep_every_invariant(data: st.DataObject, days: int,
                                              length: int) -> None:
    d = Dossier()
    d.start(bedrag=data.draw(st.sampled_from([5_000, 50_000])))
    d.today = date(2026, 11, 23) + timedelta(days=days)
    state = d.state
    for n in range(length):
        if not state.is_open and data.draw(st.booleans()):
            break
        args = (_likely_actor(d, data), _likely_kind(d, data),
                data.draw(st.integers(0, len(STAGES) - 1)),
                data.draw(st.integers(0, 4)) > 0, data.draw(st.integers(0, len(EVERYONE) - 1)))
        before_events = list(d.events)
        try:
            new = d.run(_command(d, n, *args))
        except DomainError:
            assert d.events == before_events  # a refused command records nothing
            continue
        for event in new:
            # invariant: an event only from an entitled actor
            assert _entitled(state, event), (event.type, event.payload)
            state = apply(state, event)
    observe(f"events recorded: {min(len(d.events) // 10 * 10, 30)}+")
    observe(f"status: {state.status.value}")
    # invariant: dense sequence numbers
    assert [e.seq for e in d.events] == list(range(1, len(d.events) + 1))
    # invariant: state == fold(events)
    assert fold(d.events) == state
    # invariant: the chain verifies, and its head is the state's
    records = [ChainRecord(e.dossier_id, e.seq, e.record, e.hash) for e in d.events]
    assert verify_chain(records, {d.dossier_id: (state.version, state.head_hash)}) == []


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_changed_byte_is_found_at_its_event(data: st.DataObject) -> None:
    d = Dossier()
    d.start()
    d.act(EVERYONE[1], c.Action.ADVISE, advice=c.Advice.POSITIEF, text="Akkoord")
    records = [ChainRecord(e.dossier_id, e.seq, e.record, e.hash) for e in d.events]
    victim = data.draw(st.integers(0, len(records) - 1))
    position = data.draw(st.integers(0, len(records[victim].record) - 1))
    text = records[victim].record
    changed = text[:position] + chr((ord(text[position]) + 1) % 0x7F or 1) + text[position + 1:]
    records[victim] = ChainRecord(d.dossier_id, victim + 1, changed, records[victim].hash)
    breaks = verify_chain(records)
    assert [(b.dossier_id, b.seq) for b in breaks] == [(d.dossier_id, victim + 1)]
