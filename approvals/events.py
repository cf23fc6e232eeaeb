"""Events: what happened to a dossier, as recorded in its tamper-evident log.

Every event carries the envelope of DESIGN.md: event id (the idempotency key), dossier id,
sequence number, type, payload, actor, on-behalf-of, channel, UTC timestamp, previous hash
and hash. The hash is SHA-256 over the canonical JSON of every other envelope field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from approvals.event_payloads import Payload, payload_from_json, payload_json
from approvals.identity import Person

GENESIS_HASH = "0" * 64
"""The previous hash of a dossier's first event."""


class EventType(StrEnum):
    """Every kind of event a dossier can record."""

    DOSSIER_STARTED = "DossierStarted"
    STAGE_STARTED = "StageStarted"
    STAGE_SKIPPED = "StageSkipped"
    ADVICE_GIVEN = "AdviceGiven"
    INITIALLED = "Initialled"
    APPROVED = "Approved"
    DECIDED = "Decided"
    SIGNED = "Signed"
    ACKNOWLEDGED = "Acknowledged"
    STAGE_COMPLETED = "StageCompleted"
    DOSSIER_RETURNED = "DossierReturned"
    DOSSIER_REJECTED = "DossierRejected"
    DOSSIER_WITHDRAWN = "DossierWithdrawn"
    DOSSIER_COMPLETED = "DossierCompleted"
    COMMENT_ADDED = "CommentAdded"
    DOCUMENT_ATTACHED = "DocumentAttached"
    DOCUMENT_SIGNED = "DocumentSigned"
    SIGNING_SENT = "SigningSent"
    SIGNING_STOPPED = "SigningStopped"
    DELEGATED = "Delegated"
    REASSIGNED = "Reassigned"
    DUE_DATE_CHANGED = "DueDateChanged"
    REMINDER_SENT = "ReminderSent"
    ESCALATED = "Escalated"
    FLOW_VERSION_CHANGED = "FlowVersionChanged"
    DECISION_REGISTERED = "DecisionRegistered"


class Channel(StrEnum):
    """Where an action came from."""

    CARD = "card"
    TAB = "tab"
    API = "api"
    CLI = "cli"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event the engine decided on, before it is sealed into the chain."""

    payload: Payload
    on_behalf_of: Person | None = None

    @property
    def type(self) -> EventType:
        return EventType(self.payload.TYPE)


@dataclass(frozen=True, slots=True)
class Event:
    """A sealed event: envelope, payload and its place in the dossier's hash chain."""

    event_id: str
    dossier_id: str
    seq: int
    type: EventType
    payload: Payload
    actor: Person
    on_behalf_of: Person | None
    channel: str
    timestamp: str  # ISO 8601 UTC with microseconds and a trailing Z
    prev_hash: str
    hash: str = field(default="", compare=False)
    record: str = field(default="", compare=False, repr=False)

    def envelope(self) -> dict[str, Any]:
        """Every field that the hash covers."""
        return {
            "actor": self.actor.to_json(),
            "channel": self.channel,
            "dossier_id": self.dossier_id,
            "event_id": self.event_id,
            "on_behalf_of": None if self.on_behalf_of is None else self.on_behalf_of.to_json(),
            "payload": payload_json(self.payload),
            "prev_hash": self.prev_hash,
            "seq": self.seq,
            "timestamp": self.timestamp,
            "type": self.type.value,
        }


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(record: str) -> str:
    """The SHA-256 hex digest of a canonical record."""
    return hashlib.sha256(record.encode("utf-8")).hexdigest()


def sealed(event: Event) -> Event:
    """The event with its canonical record and hash filled in."""
    record = canonical_json(event.envelope())
    return Event(
        event_id=event.event_id,
        dossier_id=event.dossier_id,
        seq=event.seq,
        type=event.type,
        payload=event.payload,
        actor=event.actor,
        on_behalf_of=event.on_behalf_of,
        channel=event.channel,
        timestamp=event.timestamp,
        prev_hash=event.prev_hash,
        hash=digest(record),
        record=record,
    )


def event_from_record(record: str, stored_hash: str) -> Event:
    """Parse a stored canonical record back into an event (the hash is not checked here)."""
    data = json.loads(record)
    behalf = data.get("on_behalf_of")
    return Event(
        event_id=data["event_id"],
        dossier_id=data["dossier_id"],
        seq=int(data["seq"]),
        type=EventType(data["type"]),
        payload=payload_from_json(data["type"], data["payload"]),
        actor=Person.from_json(data["actor"]),
        on_behalf_of=None if behalf is None else Person.from_json(behalf),
        channel=data["channel"],
        timestamp=data["timestamp"],
        prev_hash=data["prev_hash"],
        hash=stored_hash,
        record=record,
    )


def seal_all(
    pending: list[PendingEvent],
    *,
    dossier_id: str,
    after_seq: int,
    prev_hash: str,
    actor: Person,
    channel: str,
    timestamp: str,
    first_event_id: str,
) -> list[Event]:
    """Number, chain and hash the pending events of one command.

    The first event's id is the command's idempotency key; the others derive from it, so a
    retried command produces exactly the same event ids.
    """
    events: list[Event] = []
    for index, item in enumerate(pending):
        event = sealed(
            Event(
                event_id=first_event_id if index == 0 else f"{first_event_id}.{index}",
                dossier_id=dossier_id,
                seq=after_seq + index + 1,
                type=item.type,
                payload=item.payload,
                actor=actor,
                on_behalf_of=item.on_behalf_of,
                channel=channel,
                timestamp=timestamp,
                prev_hash=prev_hash,
            )
        )
        prev_hash = event.hash
        events.append(event)
    return events
