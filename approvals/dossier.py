"""The dossier aggregate: its state is a fold of its events.

``apply`` checks the chain invariants (dense sequence numbers, linked hashes) for every
event and then hands it to the handler for its type. Handlers never decide anything; they
record what the engine already decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from approvals import event_payloads as ev
from approvals.errors import ChainBroken
from approvals.events import GENESIS_HASH, Event, EventType
from approvals.identity import SYSTEM, Person


class DossierStatus(StrEnum):
    """Where a dossier stands as a whole."""

    OPEN = "open"
    COMPLETED = "completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class StageStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    SKIPPED = "skipped"
    CLOSED = "closed"  # interrupted: the dossier was returned, rejected or withdrawn


@dataclass(frozen=True, slots=True)
class SlotAction:
    """What one assignee (or their substitute) did in a stage."""

    slot: str  # the object id of the assignee whose slot this fills
    actor: Person
    on_behalf_of: Person | None
    action: str
    text: str
    advice: str | None
    at: str
    seq: int


@dataclass(frozen=True, slots=True)
class StageState:
    """One stage's latest round."""

    stage_id: str
    step: int
    round: int
    assignees: tuple[Person, ...]
    due: str | None
    status: StageStatus = StageStatus.ACTIVE
    acted: tuple[SlotAction, ...] = ()
    delegations: Mapping[str, Person] = field(default_factory=dict)
    reminders: frozenset[str] = frozenset()

    def open_slots(self) -> tuple[Person, ...]:
        """The assignees who have not acted yet in this round."""
        done = {act.slot for act in self.acted}
        return tuple(p for p in self.assignees if p.oid not in done)

    def holders(self, slot: str) -> tuple[str, ...]:
        """Who may fill a slot: the assignee and their substitute, if any."""
        delegate = self.delegations.get(slot)
        return (slot,) if delegate is None else (slot, delegate.oid)


@dataclass(frozen=True, slots=True)
class AdviceRecord:
    stage_id: str
    round: int
    by: Person
    on_behalf_of: Person | None
    advice: str
    text: str
    at: str


@dataclass(frozen=True, slots=True)
class DocumentRef:
    name: str
    uri: str
    sha256: str
    size: int
    version: str
    added_by: Person
    at: str


@dataclass(frozen=True, slots=True)
class Decision:
    stage_id: str
    text: str
    by: Person
    on_behalf_of: Person | None
    at: str


@dataclass(frozen=True, slots=True)
class DossierState:
    """Everything the engine and the read models need to know about one dossier."""

    id: str
    flow_id: str
    flow_version: int
    title: str
    fields: Mapping[str, Any]
    initiator: Person
    created_at: str
    updated_at: str
    version: int = 0
    head_hash: str = GENESIS_HASH
    status: DossierStatus = DossierStatus.OPEN
    step: int | None = None
    stages: Mapping[str, StageState] = field(default_factory=dict)
    advice: tuple[AdviceRecord, ...] = ()
    documents: tuple[DocumentRef, ...] = ()
    decision: Decision | None = None
    participants: frozenset[str] = frozenset()
    end_reason: str = ""
    acted_by: Mapping[str, Person] = field(default_factory=dict)
    """Everyone who recorded something in the dossier themselves (not the system, and not
    by only handing their task to a substitute), by object id."""
    signings: tuple[ev.DocumentSigned, ...] = ()
    """Every signature put on the decision, in order (the last one names the PDF as it is)."""
    registered: ev.DecisionRegistered | None = None
    """Where a decision register keeps the decision (None: not registered outside paraaf)."""
    signing_open: Mapping[str, ev.SigningSent] = field(default_factory=dict)
    """The packages a signing service is asking signers to sign now, by package id."""

    @property
    def is_open(self) -> bool:
        return self.status is DossierStatus.OPEN

    def active_stages(self) -> tuple[StageState, ...]:
        """The stages someone is to act in now, in flow order."""
        active = [s for s in self.stages.values() if s.status is StageStatus.ACTIVE]
        return tuple(sorted(active, key=lambda s: (s.step, s.stage_id)))


def _stage_update(state: DossierState, stage: StageState, **changes: Any) -> DossierState:
    stages = dict(state.stages)
    stages[stage.stage_id] = replace(stage, **changes)
    return replace(state, stages=stages)


def _person(data: Any) -> Person:
    return Person.from_json(data)


def _stage_started(state: DossierState, p: ev.StageStarted) -> DossierState:
    # standing substitutes of assignees who are away take the task as for a delegation
    standing = {slot: _person(sub["to"]) for slot, sub in (p.substitutes or {}).items()}
    stage = StageState(
        stage_id=p.stage, step=p.step, round=p.round, assignees=p.assignees, due=p.due,
        delegations=standing,
    )
    stages = dict(state.stages)
    stages[stage.stage_id] = stage
    participants = state.participants | {a.oid for a in p.assignees}
    participants |= {sub.oid for sub in standing.values()}
    return replace(state, stages=stages, step=p.step, participants=participants)


def _stage_skipped(state: DossierState, p: ev.StageSkipped) -> DossierState:
    stage = StageState(
        stage_id=p.stage, step=p.step, round=p.round, assignees=(), due=None,
        status=StageStatus.SKIPPED,
    )
    stages = dict(state.stages)
    stages[stage.stage_id] = stage
    return replace(state, stages=stages, step=p.step)


def _acted(state: DossierState, event: Event, p: ev.StageAction) -> DossierState:
    stage = state.stages[p.stage]
    advice = p.advice if isinstance(p, ev.AdviceGiven) else None
    act = SlotAction(
        slot=p.slot, actor=event.actor, on_behalf_of=event.on_behalf_of,
        action=p.action, text=p.text or "", advice=advice,
        at=event.timestamp, seq=event.seq,
    )
    state = _stage_update(state, stage, acted=(*stage.acted, act))
    if isinstance(p, ev.AdviceGiven):
        record = AdviceRecord(
            stage_id=stage.stage_id, round=stage.round, by=event.actor,
            on_behalf_of=event.on_behalf_of, advice=p.advice or "", text=p.text or "",
            at=event.timestamp,
        )
        state = replace(state, advice=(*state.advice, record))
    return state


def _stage_completed(state: DossierState, p: ev.StageCompleted) -> DossierState:
    stage = state.stages[p.stage]
    state = _stage_update(state, stage, status=StageStatus.COMPLETED)
    decided = [act for act in stage.acted if act.action == "decide"]
    if not decided:
        return state
    # the decision is taken when its stage completes (with a quorum, by the last vote)
    last = decided[-1]
    decision = Decision(stage_id=stage.stage_id, text=last.text, by=last.actor,
                        on_behalf_of=last.on_behalf_of, at=last.at)
    return replace(state, decision=decision)


def _close_active(state: DossierState) -> dict[str, StageState]:
    return {
        key: replace(s, status=StageStatus.CLOSED) if s.status is StageStatus.ACTIVE else s
        for key, s in state.stages.items()
    }


def _returned(state: DossierState) -> DossierState:
    return replace(state, stages=_close_active(state), decision=None, signing_open={})


def _ended(state: DossierState, status: DossierStatus, reason: str) -> DossierState:
    decision = state.decision if status is DossierStatus.COMPLETED else None
    return replace(state, status=status, stages=_close_active(state), step=None,
                   end_reason=reason, decision=decision, signing_open={})


def _document(state: DossierState, event: Event, p: ev.DocumentAttached) -> DossierState:
    ref = DocumentRef(
        name=p.name, uri=p.uri, sha256=p.sha256, size=p.size, version=p.version,
        added_by=event.actor, at=event.timestamp,
    )
    kept = tuple(d for d in state.documents if d.name != ref.name)
    return replace(state, documents=(*kept, ref))


def _signed_document(state: DossierState, event: Event, p: ev.DocumentSigned) -> DossierState:
    """The signed PDF joins (or replaces, by name) the documents; the signature is kept."""
    ref = DocumentRef(
        name=p.name, uri=p.uri, sha256=p.sha256, size=p.size, version=p.version,
        added_by=event.actor, at=event.timestamp,
    )
    kept = tuple(d for d in state.documents if d.name != ref.name)
    still_open = {package: sent for package, sent in state.signing_open.items()
                  if (sent.stage, sent.round, sent.slot) != (p.stage, p.round, p.slot)}
    return replace(state, documents=(*kept, ref), signings=(*state.signings, p),
                   signing_open=still_open)


def _delegated(state: DossierState, p: ev.Delegated) -> DossierState:
    stage = state.stages[p.stage]
    delegations = {**stage.delegations, p.slot: p.to}
    state = _stage_update(state, stage, delegations=delegations)
    return replace(state, participants=state.participants | {p.to.oid})


def _reassigned(state: DossierState, p: ev.Reassigned) -> DossierState:
    stage = state.stages[p.stage]
    assignees = tuple(p.to if a.oid == p.slot else a for a in stage.assignees)
    if not p.slot:  # an unstaffed stage gets its first assignee
        assignees = (*stage.assignees, p.to)
    delegations = {k: v for k, v in stage.delegations.items() if k != p.slot}
    state = _stage_update(state, stage, assignees=assignees, delegations=delegations)
    # a package sent for the slot's former holder is no longer waited for: the new one signs
    still_open = {package: sent for package, sent in state.signing_open.items()
                  if (sent.stage, sent.round, sent.slot) != (p.stage, p.round, p.slot)}
    return replace(state, participants=state.participants | {p.to.oid},
                   signing_open=still_open)


def _due_changed(state: DossierState, p: ev.DueDateChanged) -> DossierState:
    stage = state.stages[p.stage]
    return _stage_update(state, stage, due=p.due, reminders=frozenset())


def _reminded(state: DossierState, p: ev.ReminderSent | ev.Escalated) -> DossierState:
    stage = state.stages[p.stage]
    state = _stage_update(state, stage, reminders=stage.reminders | {p.TYPE})
    if isinstance(p, ev.Escalated):  # the managers it went to are involved now
        state = replace(state, participants=state.participants | {m.oid for m in p.recipients})
    return state


def _apply_payload(state: DossierState, event: Event) -> DossierState:
    """The state after what the event says, by the type of its payload."""
    match event.payload:
        case ev.StageStarted() as p:
            return _stage_started(state, p)
        case ev.StageSkipped() as p:
            return _stage_skipped(state, p)
        case ev.StageAction() as p:
            return _acted(state, event, p)
        case ev.StageCompleted() as p:
            return _stage_completed(state, p)
        case ev.DossierReturned():
            return _returned(state)
        case ev.DossierRejected() as p:
            return _ended(state, DossierStatus.REJECTED, p.reason)
        case ev.DossierWithdrawn() as p:
            return _ended(state, DossierStatus.WITHDRAWN, p.reason)
        case ev.DossierCompleted():
            return _ended(state, DossierStatus.COMPLETED, "")
        case ev.DocumentAttached() as p:
            return _document(state, event, p)
        case ev.DocumentSigned() as p:
            return _signed_document(state, event, p)
        case ev.SigningSent() as p:
            return replace(state, signing_open={**state.signing_open, p.package: p})
        case ev.SigningStopped() as p:
            return replace(state, signing_open={k: v for k, v in state.signing_open.items()
                                                if k != p.package})
        case ev.Delegated() as p:
            return _delegated(state, p)
        case ev.Reassigned() as p:
            return _reassigned(state, p)
        case ev.DueDateChanged() as p:
            return _due_changed(state, p)
        case ev.ReminderSent() | ev.Escalated() as p:
            return _reminded(state, p)
        case ev.DecisionRegistered() as p:
            return replace(state, registered=p)
        case ev.FlowVersionChanged() as p:
            return replace(state, flow_version=p.to_version)
        case ev.DossierStarted() | ev.CommentAdded():
            return state  # the start builds the first state; comments live in the timeline
    raise ChainBroken(event.dossier_id, event.seq, "unknown_event_type", type=str(event.type))


def start_state(event: Event) -> DossierState:
    """The state right after a DossierStarted event."""
    if event.type is not EventType.DOSSIER_STARTED or event.seq != 1:
        raise ChainBroken(event.dossier_id, event.seq, "no_start")
    p = event.payload
    assert isinstance(p, ev.DossierStarted)
    initiator = p.initiator
    return DossierState(
        id=event.dossier_id, flow_id=p.flow_id, flow_version=p.flow_version,
        title=p.title, fields=p.fields, initiator=initiator,
        created_at=event.timestamp, updated_at=event.timestamp,
        participants=frozenset({initiator.oid}),
    )


def apply(state: DossierState | None, event: Event) -> DossierState:
    """The state after one more event; checks the chain invariants first."""
    if state is None:
        state = start_state(event)
    elif event.type is EventType.DOSSIER_STARTED:
        raise ChainBroken(event.dossier_id, event.seq, "second_start")
    # Invariant: sequence numbers are dense, starting at 1.
    if event.seq != state.version + 1:
        raise ChainBroken(event.dossier_id, event.seq, "expected_event",
                          expected=state.version + 1)
    # Invariant: every event names the hash of the one before it.
    if event.prev_hash != state.head_hash:
        raise ChainBroken(event.dossier_id, event.seq, "prev_hash_mismatch")
    state = _apply_payload(state, event)
    acted_by = state.acted_by
    if event.actor.oid not in acted_by and event.actor.oid != SYSTEM.oid \
            and event.type is not EventType.DELEGATED:
        acted_by = {**acted_by, event.actor.oid: event.actor}
    return replace(state, version=event.seq, head_hash=event.hash, updated_at=event.timestamp,
                   acted_by=acted_by)


def fold(events: Iterable[Event], state: DossierState | None = None) -> DossierState | None:
    """The state after all events (None for no events)."""
    for event in events:
        state = apply(state, event)
    return state


def dropped_packages(events: Iterable[Event],
                     state: DossierState | None = None) -> dict[str, ev.SigningSent]:
    """The signing packages that ``events`` (applied to ``state``) stopped waiting for
    without their outcome: sent, then dropped because the dossier was sent back, withdrawn,
    rejected or its signer's task reassigned (not those that completed or stopped). Such a
    package is still live at its provider until it is taken back."""
    found: dict[str, ev.SigningSent] = {}
    for event in events:
        after = apply(state, event)
        settles = isinstance(event.payload, (ev.SigningStopped, ev.DocumentSigned))
        if state is not None and not settles:
            found.update((package, sent) for package, sent in state.signing_open.items()
                         if package not in after.signing_open)
        state = after
    return found
