"""The ports: what the domain needs from the outside world, as ``typing.Protocol`` classes.

``local/`` (SQLite, a folder, a YAML directory) and ``graph/`` (Microsoft 365) implement
them; one adapter-contract suite in ``tests/contract`` holds both to the same behaviour.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal, Protocol, runtime_checkable

from approvals.access import Access
from approvals.anchors import AnchorRecord
from approvals.audit import ChainRecord
from approvals.events import Event
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person
from approvals.insight import DossierRow, Insight, InsightQuery, SpanRow
from approvals.readmodels import DossierSummary, SummaryPage, SummaryQuery
from approvals.register import RegisterLine, RegisterQuery


@dataclass(frozen=True, slots=True)
class Notification:
    """An outbox row: tell ``recipient`` about ``dossier_id`` because of ``event_id``.

    The card itself is built when the row is delivered, from the dossier as it is then.
    """

    dossier_id: str
    event_id: str
    recipient: Person
    kind: str  # task | status | reminder | escalation | unstaffed (to the beheerders) | substituted


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed outbox row."""

    id: int | str
    notification: Notification
    attempts: int


class DossierStore(Protocol):
    """The event log of every dossier, its projection for queries, and the outbox."""

    async def load(self, dossier_id: str, after: int = 0) -> Sequence[Event]:
        """The dossier's events with a sequence number above ``after``, in order (empty when
        there is no such dossier)."""
        ...

    async def append(
        self,
        dossier_id: str,
        expected_version: int,
        events: Sequence[Event],
        summary: DossierSummary,
        notifications: Sequence[Notification] = (),
    ) -> None:
        """Append atomically if the dossier is still at ``expected_version``.

        Raises ConcurrencyConflict when it is not, and when an event id is already stored.
        """
        ...

    async def find_event(self, event_id: str) -> Event | None:
        """The stored event with this id (the idempotency check of a retried command)."""
        ...

    async def load_for_command(
        self, dossier_id: str, after: int, command_id: str
    ) -> tuple[Sequence[Event], Event | None]:
        """The dossier's events after ``after`` and the stored event with id ``command_id``
        (in any dossier), in one go: as ``find_event(command_id)`` followed by
        ``load(dossier_id, after)``."""
        ...

    async def get_summary(self, dossier_id: str) -> DossierSummary | None: ...

    async def list_summaries(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[DossierSummary]:
        """Dossiers, most recently changed first."""
        ...

    async def tasks_for(self, oid: str) -> Sequence[DossierSummary]:
        """Open dossiers in which this person (or someone they substitute) is to act."""
        ...

    def chain_records(self, dossier_id: str | None = None) -> AsyncIterator[list[ChainRecord]]:
        """Stored records in batches, ordered by dossier and sequence number, for audit."""
        ...

    async def chain_heads(self, dossier_id: str | None = None) -> dict[str, tuple[int, str]]:
        """Per dossier the (version, hash) its projection last recorded."""
        ...


class DossierQueries(Protocol):
    """The dossiers overview answered by the store itself (its indexes), page by page; a
    store without it is read through ``list_summaries`` and filtered with
    :func:`approvals.readmodels.matches`, which this answers alike."""

    async def query_summaries(self, query: SummaryQuery, *, limit: int,
                              offset: int) -> tuple[Sequence[DossierSummary], int]:
        """One page of the dossiers the query lists, most recently changed first, and how
        many it lists in all."""
        ...

    async def page_summaries(self, query: SummaryQuery, *, limit: int,
                             after: str | None = None) -> SummaryPage:
        """The page after the cursor ``after`` (None: the first page), most recently changed
        first, with the cursor of the next page: paging through from the first page gives
        every dossier the query lists once. A store that cannot count without reading every
        dossier leaves the total out (None). A cursor not handed out for this query raises
        :class:`approvals.readmodels.BadCursor`."""
        ...


class FactsQueries(Protocol):
    """The decision register and the insight answered from facts the store keeps beside the
    events (approvals/facts.py); a store without them is read dossier by dossier and folded
    with :func:`approvals.facts.advance`, which this answers alike."""

    async def query_decisions(self, query: RegisterQuery, *, limit: int,
                              offset: int) -> tuple[Sequence[RegisterLine], int]:
        """One page of the decisions the query lists, the most recent first, and how many
        it lists in all."""
        ...

    async def insight_rows(self, since: date | None, until: date | None,
                           ) -> tuple[Sequence[DossierRow], Sequence[SpanRow]]:
        """The dossiers started in the period (UTC days, both included) and their stage
        rounds, as :func:`approvals.insight.rows` makes them of the facts."""
        ...

    async def insight(self, query: InsightQuery, now: datetime,
                      department_of: Callable[[str], str] | Mapping[str, str]) -> Insight:
        """The insight of the dossiers the query counts, as of ``now``: what
        :func:`approvals.insight.insight` gives of :meth:`insight_rows` of its period, from
        what the store keeps in order (without folding every stage round)."""
        ...


class Outbox(Protocol):
    """Notifications written in the same commit as their events, delivered afterwards."""

    async def claim(self, worker: str, limit: int, lease_seconds: float) -> Sequence[OutboxItem]:
        """Rows nobody holds (or whose lease ran out); no two workers get the same row."""
        ...

    async def mark_sent(self, item_id: int | str) -> None: ...

    async def release(self, item_id: int | str, error: str, retry_after: float) -> None:
        """Give a row back after a failed delivery, to be retried later."""
        ...

    async def hurry(self, item_ids: Sequence[int | str]) -> None:
        """Make these rows due now (those not sent; one held by a worker stays its own until
        the lease runs out): what waited for an installation can go once there is one."""
        ...

    async def pending_count(self) -> int: ...


class FlowStatus(StrEnum):
    """Dutch, as shown to beheerders and stored in the Processtromen list."""

    CONCEPT = "concept"
    PUBLISHED = "gepubliceerd"
    WITHDRAWN = "ingetrokken"


@dataclass(frozen=True, slots=True)
class FlowRecord:
    """A stored flow version with its status."""

    id: str
    version: int
    title: str
    status: FlowStatus
    source: str  # the YAML as written
    published_by: str = ""
    published_at: str = ""


class FlowRepository(Protocol):
    """Versioned flow definitions. A published version never changes."""

    async def save(self, flow: FlowDefinition, source: str) -> FlowRecord:
        """Store a concept version (replacing a concept of the same id and version)."""
        ...

    async def set_status(
        self, flow_id: str, version: int, status: FlowStatus, by: Person, at: datetime
    ) -> FlowRecord: ...

    async def get(self, flow_id: str, version: int | None = None) -> FlowRecord | None:
        """A version, or (version None) the latest published one."""
        ...

    async def list(self) -> Sequence[FlowRecord]:
        """Every stored version, by id and version."""
        ...


class Directory(Protocol):
    """People, their managers, groups and roles (Entra ID, or the YAML demo directory)."""

    async def user(self, key: str) -> Person | None:
        """A user by object id, UPN or e-mail address (case-insensitive)."""
        ...

    async def manager(self, oid: str) -> Person | None: ...

    async def group_members(self, group_id: str) -> Sequence[Person]:
        """Transitive members of a group."""
        ...

    async def role_members(self, role: str) -> Sequence[Person]: ...

    async def is_admin(self, oid: str) -> bool:
        """Holds the beheerder role."""
        ...

    async def list_admins(self) -> Sequence[Person]:
        """Everyone who holds the beheerder role (they are told when nobody can be found for
        a stage)."""
        ...

    async def is_guest(self, oid: str) -> bool:
        """A guest of the tenant (a B2B chain partner), not one of its employees; False for
        an unknown user."""
        ...


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """What a flow's assignee rule may name: a person (``value`` their UPN), a group (its id)
    or a role (its name), with a name and a detail (title, department) to choose by."""

    kind: Literal["user", "group", "role"]
    value: str
    name: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ListedUser:
    """A user as a directory that lists everyone in it gives them (the demo directory of
    local mode, for the tab's user picker): with their department and whether they are a
    beheerder."""

    person: Person
    department: str = ""
    beheerder: bool = False


@runtime_checkable
class DirectorySearch(Protocol):
    """A directory that can be searched for people, groups and roles (the flow designer's
    picker). Optional: a directory without it leaves the beheerder to type the value."""

    async def search(self, text: str, limit: int) -> Sequence[DirectoryEntry]:
        """People, groups and roles whose name, UPN or id starts with ``text``
        (case-insensitive; all for an empty text), people first, then groups, then roles, at
        most ``limit``. A directory may find more: the YAML one finds the text anywhere in
        them; Microsoft 365 only from the start (Graph's ``startswith``), and by mail too."""
        ...


@runtime_checkable
class PeopleDirectory(Protocol):
    """A directory that lists its people with their department (the tab's overview filter
    and the insight per department): the YAML directory of local mode, and Entra ID (the
    tenant's users, read as a whole and kept for a while)."""

    async def departments(self) -> Mapping[str, str]:
        """Each person's department: object id (lower case) -> the department's name, for
        everyone in the directory who has one (a person without one, a guest say, is left
        out)."""
        ...


@dataclass(frozen=True, slots=True)
class StoredDocument:
    name: str
    uri: str
    sha256: str
    size: int
    version: str


@dataclass(frozen=True, slots=True)
class DocumentComment:
    """A comment someone made in one of the dossier's Word documents.

    ``date`` is ISO 8601 as Word recorded it ("" when it did not); ``passage`` is the text
    the comment is anchored to ("" for a comment on no text). ``unreadable`` marks the one
    stand-in for a document whose comments could not be read (damaged, not a Word document,
    or over a cap on what reading may cost); it has no author, date, text or passage.
    """

    document: str
    author: str
    date: str
    text: str
    passage: str
    unreadable: bool = False


class DocumentStore(Protocol):
    """A folder of documents per dossier."""

    async def put(self, dossier_id: str, name: str, content: bytes) -> StoredDocument: ...

    async def get(self, dossier_id: str, name: str) -> bytes:
        """The document's current content (InvalidInput "document_missing" without it)."""
        ...

    async def get_version(self, dossier_id: str, name: str, version: str) -> bytes:
        """The content of one version of the document, as :meth:`put` numbered it
        (``StoredDocument.version``): what was stored then, whatever was stored since.
        InvalidInput "document_missing" when the document or that version is not there."""
        ...

    async def list(self, dossier_id: str) -> Sequence[StoredDocument]: ...

    async def grant(self, dossier_id: str, people: Sequence[Person], write: bool) -> None:
        """Give people read (or read/write) access to the dossier's folder (idempotent)."""
        ...

    async def set_access(self, dossier_id: str, wanted: Mapping[str, Access]) -> None:
        """Make the folder's access match ``wanted`` for the people in it: each gets exactly
        their level, ``none`` removes what the folder gave them; nobody else is touched.
        Idempotent: running it again, or after an interrupted run, ends in the same state.
        A folder that does not exist yet is made only when someone is to get access."""
        ...

    async def access(self, dossier_id: str) -> dict[str, str]:
        """Who has access to the dossier's folder: object id -> "read" or "write"."""
        ...

    async def comments(self, dossier_id: str) -> Sequence[DocumentComment]:
        """The comments in the folder's current Word documents (.docx), by document name,
        each document's comments in their order in the document."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, UTC."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ConversationRef:
    """How to reach a user in Teams: their Bot Framework conversation reference (JSON)."""

    oid: str
    tenant: str
    conversation_id: str
    reference: dict[str, object]


@dataclass(frozen=True, slots=True)
class CardCopy:
    """A card about a dossier that the bot posted in someone's chat (to update it later)."""

    dossier_id: str
    oid: str
    conversation_id: str
    activity_id: str


class ConversationStore(Protocol):
    """Where the bot can reach people, which cards it posted, and who it cannot reach."""

    async def save_reference(self, ref: ConversationRef) -> None:
        """Store (or replace) the user's personal-chat reference."""
        ...

    async def reference(self, oid: str) -> ConversationRef | None: ...

    async def any_reference(self, tenant: str) -> ConversationRef | None:
        """Some conversation in the tenant (its service URL opens new chats there)."""
        ...

    async def record_card(self, copy: CardCopy) -> None:
        """Remember a posted card (idempotent); only the latest few per user are kept."""
        ...

    async def cards(self, dossier_id: str) -> Sequence[CardCopy]:
        """The posted cards about a dossier, oldest first."""
        ...

    async def mark_unreachable(self, oid: str, reason: str) -> None:
        """The app is not installed for this user: the tab shows their tasks instead."""
        ...

    async def unreachable(self) -> dict[str, str]:
        """Object id -> reason, for everyone the bot could not reach."""
        ...


class AnchorLog(Protocol):
    """Audit anchors, in order, kept apart from the store they protect (append-only)."""

    async def records(self) -> Sequence[AnchorRecord]:
        """Every stored anchor, in the order of its position (1, 2, ...), text as stored."""
        ...

    async def append(self, record: AnchorRecord) -> None:
        """Store the anchor at position ``record.seq``, durably, after the last one.

        Raises AnchorConflict when that position is taken by another anchor (storing the same
        record again is not a conflict) or when the log does not end at ``record.seq - 1``.
        """
        ...
