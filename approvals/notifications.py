"""Which notifications the outbox gets for newly recorded events, and the document access
work (one ``access`` row per commit that can change who may open the documents)."""

from __future__ import annotations

from collections.abc import Iterable

from approvals.access import ACCESS_KIND, changes_access
from approvals.dossier import DossierState, StageStatus
from approvals.events import Event, EventType
from approvals.identity import SYSTEM, Person
from approvals.ports import Notification


def _people(data: Iterable[dict[str, str]]) -> list[Person]:
    return [Person.from_json(item) for item in data]


def _recipients(event: Event, state: DossierState) -> tuple[str, list[Person]]:
    p = event.payload
    match event.type:
        case EventType.STAGE_STARTED if not p["assignees"]:
            return "unstaffed", _people(p.get("notify", []))
        case EventType.STAGE_STARTED:
            standing = p.get("substitutes", {})
            return "task", [Person.from_json(standing[a["oid"]]["to"]) if a["oid"] in standing
                            else Person.from_json(a) for a in p["assignees"]]
        case EventType.DELEGATED | EventType.REASSIGNED:
            return "task", [Person.from_json(p["to"])]
        case EventType.REMINDER_SENT:
            return "reminder", _people(p["recipients"])
        case EventType.ESCALATED:
            return "escalation", _people(p["recipients"])
        case EventType.DOSSIER_RETURNED | EventType.DOSSIER_REJECTED | EventType.DOSSIER_COMPLETED:
            return "status", [state.initiator]
        case EventType.DOSSIER_WITHDRAWN:
            closed = [s for s in state.stages.values() if s.status is StageStatus.CLOSED]
            return "status", [person for stage in closed for person in stage.open_slots()]
        case _:
            return "", []


def _substituted(event: Event) -> list[Person]:
    """Assignees who are away: told that their new task went to their standing substitute."""
    if event.type is not EventType.STAGE_STARTED:
        return []
    standing = event.payload.get("substitutes", {})
    return [Person.from_json(a) for a in event.payload["assignees"] if a["oid"] in standing]


def notifications_for(events: Iterable[Event], state: DossierState) -> list[Notification]:
    """One notification per (event, recipient); the actor is not told of their own action.
    Events that can change document access add one ``access`` row (addressed to the system:
    the worker that takes it brings the folder in line with the dossier as it is then)."""
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
    return result
