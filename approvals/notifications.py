"""Which notifications the outbox gets for newly recorded events, the document access work
(one ``access`` row per commit that can change who may open the documents) and, where a
decision register is configured, its registration (one ``register`` row when a dossier with
a decision is done: decided, and signed when its flow signs)."""

from __future__ import annotations

from collections.abc import Iterable

from approvals import event_payloads as ev
from approvals.access import ACCESS_KIND, changes_access
from approvals.dossier import DossierState, StageStatus, dropped_packages
from approvals.events import Event
from approvals.identity import SYSTEM, Person
from approvals.ports import Notification

REGISTER_KIND = "register"
"""The outbox row that registers a decided dossier in the decision register."""
RECALL_KIND = "signing_recall"
"""The outbox row that takes back the signing packages a dossier no longer waits for."""


def _recipients(event: Event, state: DossierState) -> tuple[str, list[Person]]:
    match event.payload:
        case ev.StageStarted(assignees=()) as p:
            return "unstaffed", list(p.notify or ())
        case ev.StageStarted() as p:
            standing = p.substitutes or {}
            return "task", [Person.from_json(standing[a.oid]["to"]) if a.oid in standing
                            else a for a in p.assignees]
        case ev.TaskMoved() as p:
            return "task", [p.to]
        case ev.ReminderSent() as p:
            return "reminder", list(p.recipients)
        case ev.Escalated() as p:
            return "escalation", list(p.recipients)
        case ev.DossierReturned() | ev.DossierRejected() | ev.DossierCompleted():
            return "status", [state.initiator]
        case ev.DossierWithdrawn():
            closed = [s for s in state.stages.values() if s.status is StageStatus.CLOSED]
            return "status", [person for stage in closed for person in stage.open_slots()]
        case _:
            return "", []


def _substituted(event: Event) -> list[Person]:
    """Assignees who are away: told that their new task went to their standing substitute."""
    p = event.payload
    if not isinstance(p, ev.StageStarted) or not p.substitutes:
        return []
    return [a for a in p.assignees if a.oid in p.substitutes]


def notifications_for(events: Iterable[Event], state: DossierState, *,
                      register: bool = False,
                      before: DossierState | None = None) -> list[Notification]:
    """One notification per (event, recipient); the actor is not told of their own action.
    Events that can change document access add one ``access`` row (addressed to the system:
    the worker that takes it brings the folder in line with the dossier as it is then). With
    ``register`` (a decision register is configured), the end of a dossier with a decision
    adds one ``register`` row. Events that drop a signing package still out (the dossier as
    it was ``before`` them had it open) add one ``signing_recall`` row: its worker takes the
    package back at its provider, so that nobody signs what the dossier no longer asks."""
    events = list(events)
    result: list[Notification] = []
    for event in events:
        kind, people = _recipients(event, state)
        seen: set[str] = set()
        for person in _substituted(event):
            seen.add(person.oid)
            result.append(Notification(state.id, event.event_id, person, "substituted"))
        for person in people:
            own_status = kind == "status" and person.oid == event.actor.oid
            if person.oid in seen or own_status:
                continue
            seen.add(person.oid)
            result.append(Notification(state.id, event.event_id, person, kind))
    last = changes_access(events)
    if last is not None:
        result.append(Notification(state.id, last.event_id, SYSTEM, ACCESS_KIND))
    done = [e for e in events if isinstance(e.payload, ev.DossierCompleted)]
    if register and done and state.decision is not None:
        result.append(Notification(state.id, done[-1].event_id, SYSTEM, REGISTER_KIND))
    if before is not None and before.signing_open and dropped_packages(events, before):
        result.append(Notification(state.id, events[-1].event_id, SYSTEM, RECALL_KIND))
    return result
