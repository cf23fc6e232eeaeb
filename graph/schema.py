"""The SharePoint shape of paraaf: its lists, their columns, and the document library.

Pure data. ``paraaf provision`` creates what is missing from it (never dropping anything),
and the adapters read and write exactly these columns. Every column a query filters or
sorts on is indexed: SharePoint refuses a ``$filter`` on a non-indexed column, and any query
on a list past 5,000 items that is not served by an index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Column:
    """One list column."""

    name: str
    kind: str  # text | note | number | datetime | choice | boolean
    indexed: bool = False
    unique: bool = False  # enforceUniqueValues (needs indexed)
    choices: tuple[str, ...] = ()
    description: str = ""

    def definition(self) -> dict[str, Any]:
        """The Graph ``columnDefinition`` that creates this column."""
        body: dict[str, Any] = {"name": self.name, "displayName": self.name}
        if self.description:
            body["description"] = self.description
        if self.kind == "text":
            body["text"] = {"maxLength": 255}
        elif self.kind == "note":
            body["text"] = {"allowMultipleLines": True, "linesForEditing": 6}
        elif self.kind == "number":
            body["number"] = {"decimalPlaces": "none"}
        elif self.kind == "datetime":
            body["dateTime"] = {"format": "dateTime"}
        elif self.kind == "boolean":
            body["boolean"] = {}
        elif self.kind == "choice":
            body["choice"] = {"choices": list(self.choices), "displayAs": "dropDownMenu"}
        else:  # pragma: no cover - a programming error in the table below
            raise ValueError(f"unknown column kind {self.kind}")
        if self.indexed or self.unique:
            body["indexed"] = True
        if self.unique:
            body["enforceUniqueValues"] = True
        return body


@dataclass(frozen=True, slots=True)
class ListSpec:
    """A list (or, with template documentLibrary, a library) and its columns."""

    title: str
    columns: tuple[Column, ...]
    template: str = "genericList"
    description: str = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


DOSSIER_STATUSES = ("open", "completed", "rejected", "withdrawn")
FLOW_STATUSES = ("concept", "gepubliceerd", "ingetrokken")

DOSSIERS = ListSpec(
    "Dossiers",
    (
        Column("DossierId", "text", indexed=True, unique=True),
        Column("FlowId", "text", indexed=True),
        Column("FlowVersion", "number"),
        Column("Status", "choice", indexed=True, choices=DOSSIER_STATUSES),
        Column("CurrentStages", "text"),
        Column("DueDate", "datetime", indexed=True),
        Column("InitiatorOid", "text", indexed=True),
        Column("StartedAt", "datetime", indexed=True,
               description="when the dossier started (the overview's period)"),
        Column("Version", "number"),
        Column("HeadHash", "text"),
        Column("UpdatedAt", "datetime", indexed=True),
        Column("Summary", "note", description="The projection as JSON"),
        Column("PendingEvents", "note",
               description="Events committed but not yet written as items (JSON)"),
        Column("PendingSince", "number", indexed=True,
               description="epoch seconds of the oldest commit in PendingEvents; empty when "
                           "there is none (finds half-done commits)"),
    ),
    description="Dossiers: status, current stages, who is to act (projection of the events)",
)

EVENTS = ListSpec(
    "Dossiergebeurtenissen",
    (
        Column("EventId", "text", indexed=True, unique=True),
        Column("SeqKey", "text", indexed=True, unique=True,
               description="dossier id and sequence number: one event per position"),
        Column("DossierId", "text", indexed=True),
        Column("Seq", "number", indexed=True),
        Column("EventType", "text"),
        Column("ActorOid", "text", indexed=True),
        Column("ActorUpn", "text"),
        Column("Timestamp", "datetime"),
        Column("PrevHash", "text"),
        Column("Hash", "text"),
        Column("Record", "note", description="The event as canonical JSON (hashed)"),
    ),
    description="The tamper-evident history of every dossier",
)

TASKS = ListSpec(
    "Dossiertaken",
    (
        Column("TaskKey", "text", indexed=True, unique=True),
        Column("DossierId", "text", indexed=True),
        Column("ActorOid", "text", indexed=True),
        Column("DueDate", "datetime", indexed=True),
    ),
    description="Who is to act in which open dossier (for 'my tasks')",
)

FLOWS = ListSpec(
    "Processtromen",
    (
        Column("FlowKey", "text", indexed=True, unique=True, description="id@version"),
        Column("FlowId", "text", indexed=True),
        Column("FlowVersion", "number", indexed=True),
        Column("Status", "choice", indexed=True, choices=FLOW_STATUSES),
        Column("PublishedBy", "text"),
        Column("PublishedAt", "datetime"),
        Column("Body", "note", description="The flow definition as YAML"),
    ),
    description="Flow definitions: versions and their status",
)

OUTBOX = ListSpec(
    "Meldingen",
    (
        Column("NotificationKey", "text", indexed=True, unique=True),
        Column("State", "choice", indexed=True, choices=("pending", "sent")),
        Column("NotBefore", "number", indexed=True, description="epoch seconds"),
        Column("DossierId", "text", indexed=True),
        Column("EventId", "text"),
        Column("RecipientOid", "text", indexed=True),
        Column("Recipient", "note"),
        Column("Kind", "text"),
        Column("ClaimedBy", "text"),
        Column("LeaseUntil", "number"),
        Column("Attempts", "number"),
        Column("LastError", "note"),
    ),
    description="Notifications to deliver in Teams (the outbox)",
)

CONVERSATIONS = ListSpec(
    "Gesprekken",
    (
        Column("UserOid", "text", indexed=True, unique=True),
        Column("Tenant", "text", indexed=True),
        Column("ConversationId", "text"),
        Column("Reference", "note"),
        Column("UnreachableReason", "note"),
        Column("UpdatedAt", "datetime", indexed=True),
    ),
    description="Where the bot reaches each user in Teams",
)

CARD_COPIES = ListSpec(
    "Kaarten",
    (
        Column("CopyKey", "text", indexed=True, unique=True),
        Column("DossierId", "text", indexed=True),
        Column("UserOid", "text", indexed=True),
        Column("ConversationId", "text"),
        Column("ActivityId", "text"),
    ),
    description="Cards posted in chats, to update them when the dossier changes",
)

ANCHORS = ListSpec(
    "Auditankers",
    (
        Column("AnchorKey", "text", indexed=True, unique=True,
               description="the anchor's number, zero-padded: one anchor per position"),
        Column("AnchorSeq", "number", indexed=True),
        Column("AnchorHash", "text"),
        Column("Record", "note", description="The anchor as canonical JSON (hashed)"),
    ),
    description="Audit anchors: where every dossier's history ended, chained; append only",
)

SUBSTITUTES = ListSpec(
    "Vervangers",
    (
        Column("AbsenceId", "text", indexed=True, unique=True),
        Column("PersonOid", "text", indexed=True),
        Column("StartDate", "text", indexed=True, description="ISO date"),
        Column("EndDate", "text", indexed=True, description="ISO date"),
        Column("Body", "note"),
    ),
    description="Standing substitutes: who takes someone's new tasks while they are away",
)

DOCUMENTS = ListSpec(
    "Dossierstukken", (), template="documentLibrary",
    description="The documents of every dossier: one folder per dossier",
)

ALL_LISTS = (DOSSIERS, EVENTS, TASKS, FLOWS, OUTBOX, CONVERSATIONS, CARD_COPIES, ANCHORS,
             SUBSTITUTES, DOCUMENTS)
