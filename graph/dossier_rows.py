"""How dossiers, events, pending batches, tasks and notifications are stored as list items
(the columns of :mod:`graph.schema`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from approvals.events import Event, canonical_json, event_from_record
from approvals.identity import Person
from approvals.ports import Notification
from approvals.readmodels import DossierSummary, summary_from_json, summary_to_json
from graph.schema import DOSSIERS, EVENTS, OUTBOX, TASKS

TEXT_MAX = 255
HEAD_COLUMNS = ("DossierId", "Version", "HeadHash", "PendingEvents", "PendingSince", "Summary")
EVENT_COLUMNS = ("DossierId", "Seq", "EventId", "Hash", "Record")
TASK_COLUMNS = ("DossierId", "ActorOid", "DueDate")
NOTE_COLUMNS = ("NotificationKey", "State", "NotBefore", "DossierId", "EventId", "Recipient",
                "Kind", "ClaimedBy", "LeaseUntil", "Attempts")
DOSSIERS_LIST, EVENTS_LIST, TASKS_LIST, OUTBOX_LIST = (DOSSIERS.title, EVENTS.title,
                                                        TASKS.title, OUTBOX.title)


@dataclass(frozen=True)
class Row:
    """A list item: id, eTag and the selected column values."""

    id: str
    etag: str
    fields: dict[str, Any]


def row(data: dict[str, Any]) -> Row:
    fields = dict(data.get("fields") or {})
    etag = data.get("eTag") or data.get("@odata.etag") or fields.get("@odata.etag") or ""
    return Row(str(data.get("id") or fields.get("id")), str(etag), fields)


def key_text(value: str) -> str:
    """A value for a unique text column: itself, or a digest when it is too long."""
    if len(value) <= TEXT_MAX:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def _short(value: str) -> str:
    return value if len(value) <= TEXT_MAX else value[: TEXT_MAX - 1] + "…"


def _datetime(stamp: str | None) -> str | None:
    """A timestamp or date for a dateTime column, in whole seconds (as SharePoint keeps it)."""
    if not stamp:
        return None
    if len(stamp) == 10:
        return f"{stamp}T00:00:00Z"
    return stamp[:19] + "Z"


# --- events --------------------------------------------------------------------------------


def seq_key(dossier_id: str, seq: int) -> str:
    """One event per position of a dossier's chain (unique column SeqKey)."""
    return key_text(f"{dossier_id}|{seq:010d}")


def event_fields(event: Event, event_id: str | None = None) -> dict[str, Any]:
    """A Dossiergebeurtenissen item; ``event_id`` overrides the EventId column (see commit)."""
    return {
        "Title": _short(f"{event.dossier_id} #{event.seq} {event.type.value}"),
        "EventId": key_text(event_id or event.event_id),
        "SeqKey": seq_key(event.dossier_id, event.seq),
        "DossierId": event.dossier_id,
        "Seq": event.seq,
        "EventType": event.type.value,
        "ActorOid": event.actor.oid,
        "ActorUpn": _short(event.actor.upn),
        "Timestamp": _datetime(event.timestamp),
        "PrevHash": event.prev_hash,
        "Hash": event.hash,
        "Record": event.record,
    }


def event_of(fields: dict[str, Any]) -> Event:
    return event_from_record(str(fields["Record"]), str(fields["Hash"]))


# --- notifications (Meldingen) ---------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A notification to write as a Meldingen item, with its unique key and first send time."""

    key: str
    notification: Notification
    not_before: float

    def to_json(self) -> dict[str, Any]:
        n = self.notification
        return {"dossier_id": n.dossier_id, "event_id": n.event_id,
                "recipient": n.recipient.to_json(), "kind": n.kind, "not_before": self.not_before}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Note:
        n = Notification(str(data["dossier_id"]), str(data["event_id"]),
                         Person.from_json(data["recipient"]), str(data["kind"]))
        return cls(note_key(n), n, float(data["not_before"]))


def note_key(n: Notification) -> str:
    """The same notification (event, recipient, kind) is written once."""
    return key_text(f"{n.event_id}|{n.recipient.oid}|{n.kind}")


def notes_for(notifications: Iterable[Notification], at: float) -> tuple[Note, ...]:
    """Each notification once; the rows of one commit are due 0.1 ms apart (the last at
    ``at``), so the outbox hands them out in the order given, as batch parts are created in
    any order."""
    unique: dict[str, Notification] = {}
    for n in notifications:
        unique.setdefault(note_key(n), n)
    last = len(unique) - 1
    return tuple(Note(key, n, round(at - (last - k) * 1e-4, 4))
                 for k, (key, n) in enumerate(unique.items()))


def note_fields(note: Note) -> dict[str, Any]:
    n = note.notification
    return {
        "Title": _short(f"{n.kind}: {n.dossier_id} -> {n.recipient.name}"),
        "NotificationKey": note.key,
        "State": "pending",
        "NotBefore": note.not_before,
        "DossierId": n.dossier_id,
        "EventId": _short(n.event_id),
        "RecipientOid": n.recipient.oid,
        "Recipient": canonical_json(n.recipient.to_json()),
        "Kind": n.kind,
        "Attempts": 0,
    }


def notification_of(fields: dict[str, Any]) -> Notification:
    return Notification(str(fields["DossierId"]), str(fields["EventId"]),
                        Person.from_json(json.loads(fields["Recipient"])), str(fields["Kind"]))


# --- the pending batch of a dossier ---------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """Events committed on the Dossiers item but perhaps not yet written as items, with the
    notifications of their commits (column PendingEvents)."""

    events: tuple[Event, ...] = ()
    notes: tuple[Note, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.events or self.notes)

    def keys(self) -> frozenset[str]:
        return frozenset([e.event_id for e in self.events] + [n.key for n in self.notes])

    def to_text(self) -> str | None:
        if not self:
            return None
        return canonical_json({
            "events": [{"record": e.record, "hash": e.hash} for e in self.events],
            "notifications": [n.to_json() for n in self.notes],
        })

    @classmethod
    def from_text(cls, text: str | None) -> Pending:
        if not text:
            return cls()
        data = json.loads(text)
        return cls(
            tuple(event_from_record(e["record"], e["hash"]) for e in data.get("events", [])),
            tuple(Note.from_json(n) for n in data.get("notifications", [])),
        )


# --- the dossier projection -----------------------------------------------------------------


def dossier_fields(s: DossierSummary) -> dict[str, Any]:
    """The projection columns of a Dossiers item (set by the commit)."""
    return {
        "Title": _short(s.title),
        "DossierId": s.id,
        "FlowId": _short(s.flow_id),
        "FlowVersion": s.flow_version,
        "Status": s.status,
        "CurrentStages": _short(", ".join(a.stage_id for a in s.active)) or None,
        "DueDate": _datetime(s.due),
        "InitiatorOid": s.initiator.oid,
        "StartedAt": _datetime(s.created_at),
        "Version": s.version,
        "HeadHash": s.head_hash,
        "UpdatedAt": _datetime(s.updated_at),
        "Summary": canonical_json(summary_to_json(s)),
    }


def summary_of(fields: dict[str, Any]) -> DossierSummary | None:
    text = fields.get("Summary")
    return summary_from_json(json.loads(text)) if text else None


# --- tasks (Dossiertaken) -------------------------------------------------------------------


@dataclass
class TaskRows:
    """The Dossiertaken items of one dossier: actor oid -> (item id, due date)."""

    rows: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[Row], dossier_id: str) -> TaskRows:
        return cls({str(r.fields["ActorOid"]): (r.id, (r.fields.get("DueDate") or "")[:10]
                                                or None)
                    for r in items if r.fields.get("DossierId") == dossier_id
                    and r.fields.get("ActorOid")})


def task_key(dossier_id: str, oid: str) -> str:
    return key_text(f"{dossier_id}|{oid}")


def task_fields(dossier_id: str, oid: str, due: str | None) -> dict[str, Any]:
    return {"Title": _short(f"{dossier_id} {oid}"), "TaskKey": task_key(dossier_id, oid),
            "DossierId": dossier_id, "ActorOid": oid, "DueDate": _datetime(due)}


def wanted_tasks(summary: DossierSummary | None) -> dict[str, str | None]:
    """Who is to act in the dossier (oid -> due date); nobody once it is closed."""
    if summary is None or summary.status != "open":
        return {}
    return {oid: summary.due for oid in sorted(summary.actors())}
