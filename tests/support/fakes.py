"""In-memory fakes of the ports: plain dicts and lists with the adapters' semantics.

The adapter-contract suite (tests/contract) runs against these too, so a test that uses a
fake relies on exactly the behaviour the real adapters promise (cosmicpython's
``FakeRepository``; no mocks of our own ports).

The rules every backend shares (flow status transitions, document names, append batches) come
from the domain, as they do for the real adapters.

Each fake subclasses the Protocol of its port, so mypy checks it against the port: a fake that
drifts from it (a method missing, or with another signature) fails type checking.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import yaml

from approvals.access import Access, apply_access
from approvals.anchors import AnchorConflict, AnchorRecord
from approvals.append_rules import check_batch
from approvals.audit import ChainRecord
from approvals.documents import check_document_name, check_dossier_id, check_size, merge_access
from approvals.errors import ConcurrencyConflict, InvalidInput, UnknownFlow
from approvals.events import Event
from approvals.facts import DossierFacts, advance
from approvals.flow_versions import check_resave, check_transition
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person
from approvals.insight import DossierRow, Insight, InsightQuery, SpanRow, insight
from approvals.insight import rows as insight_rows
from approvals.ports import (
    AnchorLog,
    CardCopy,
    Clock,
    ConversationRef,
    ConversationStore,
    Directory,
    DirectoryEntry,
    DirectorySearch,
    DocumentComment,
    DocumentStore,
    DossierQueries,
    DossierStore,
    FactsQueries,
    FlowRecord,
    FlowRepository,
    FlowStatus,
    Notification,
    Outbox,
    OutboxItem,
    PeopleDirectory,
    StoredDocument,
)
from approvals.readmodels import (
    DossierSummary,
    SummaryPage,
    SummaryQuery,
    cursor_offset,
    matches,
    offset_page,
)
from approvals.register import RegisterLine, RegisterQuery, register
from approvals.signatures import DecisionRecord, DecisionRegistry, RegistryEntry
from approvals.substitutes import Absence, SubstituteStore
from approvals.zgw import ZgwDecision, ZgwOrganisation, to_zgw
from bot.teams.gateway import Card, TeamsGateway
from local.clock import SystemClock, utc_iso
from local.sqlite_store import CHAIN_BATCH
from word.comment_cache import CommentCache
from word.comments import is_word_document

# --- dossier store and outbox -------------------------------------------------------------


@dataclass
class _OutboxRow:
    id: int
    notification: Notification
    not_before: float
    claimed_by: str | None = None
    lease_until: float | None = None
    attempts: int = 0
    last_error: str | None = None
    sent: bool = False


class InMemoryDossierStore(DossierStore, DossierQueries, Outbox):
    """``DossierStore`` and ``Outbox`` in dicts."""

    def __init__(self, clock: Clock | None = None, batch: int = CHAIN_BATCH) -> None:
        self._clock: Clock = clock or SystemClock()
        self._batch = batch
        self.events: dict[str, list[Event]] = {}
        self.by_event_id: dict[str, Event] = {}
        self.summaries: dict[str, DossierSummary] = {}
        self.outbox: dict[int, _OutboxRow] = {}
        self._outbox_keys: set[tuple[str, str, str]] = set()

    async def load(self, dossier_id: str, after: int = 0) -> Sequence[Event]:
        return [e for e in self.events.get(dossier_id, []) if e.seq > after]

    async def append(
        self,
        dossier_id: str,
        expected_version: int,
        events: Sequence[Event],
        summary: DossierSummary,
        notifications: Sequence[Notification] = (),
    ) -> None:
        check_batch(dossier_id, expected_version, events, summary)
        current = self.summaries.get(dossier_id)
        stored = self.events.get(dossier_id, [])
        if (current.version if current else 0) != expected_version or len(stored) > (
            expected_version
        ):
            raise ConcurrencyConflict(dossier_id, expected_version)
        if any(e.event_id in self.by_event_id for e in events):
            raise ConcurrencyConflict(dossier_id, expected_version)
        self.events[dossier_id] = [*stored, *events]
        self.by_event_id.update((e.event_id, e) for e in events)
        self.summaries[dossier_id] = summary
        now = self._clock.now().timestamp()
        for note in notifications:
            key = (note.event_id, note.recipient.oid, note.kind)
            if key not in self._outbox_keys:
                self._outbox_keys.add(key)
                row_id = len(self.outbox) + 1
                self.outbox[row_id] = _OutboxRow(row_id, note, not_before=now)

    async def find_event(self, event_id: str) -> Event | None:
        return self.by_event_id.get(event_id)

    async def load_for_command(
        self, dossier_id: str, after: int, command_id: str
    ) -> tuple[Sequence[Event], Event | None]:
        return await self.load(dossier_id, after), await self.find_event(command_id)

    async def get_summary(self, dossier_id: str) -> DossierSummary | None:
        return self.summaries.get(dossier_id)

    async def list_summaries(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[DossierSummary]:
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative.")
        found = [s for s in self.summaries.values() if status is None or s.status == status]
        found.sort(key=lambda s: s.id)
        found.sort(key=lambda s: s.updated_at, reverse=True)
        return found[offset : offset + limit]

    async def query_summaries(self, query: SummaryQuery, *, limit: int,
                              offset: int) -> tuple[Sequence[DossierSummary], int]:
        listed = [s for s in await self.list_summaries(limit=len(self.summaries))
                  if matches(s, query)]
        return listed[offset:offset + limit], len(listed)

    async def page_summaries(self, query: SummaryQuery, *, limit: int,
                             after: str | None = None) -> SummaryPage:
        offset = cursor_offset(query, after)
        found, total = await self.query_summaries(query, limit=limit, offset=offset)
        return offset_page(found, total, query, offset)

    async def tasks_for(self, oid: str) -> Sequence[DossierSummary]:
        mine = [s for s in self.summaries.values() if s.status == "open" and oid in s.actors()]
        return sorted(mine, key=lambda s: (s.due or "9999-12-31", s.created_at, s.id))

    async def chain_records(
        self, dossier_id: str | None = None
    ) -> AsyncIterator[list[ChainRecord]]:
        ids = sorted(self.events) if dossier_id is None else [dossier_id]
        batch: list[ChainRecord] = []
        for one in ids:
            for e in self.events.get(one, []):
                batch.append(ChainRecord(e.dossier_id, e.seq, e.record, e.hash))
                if len(batch) == self._batch:
                    yield batch
                    batch = []
        if batch:
            yield batch

    async def chain_heads(self, dossier_id: str | None = None) -> dict[str, tuple[int, str]]:
        return {
            s.id: (s.version, s.head_hash)
            for s in self.summaries.values()
            if dossier_id is None or s.id == dossier_id
        }

    async def claim(self, worker: str, limit: int, lease_seconds: float) -> Sequence[OutboxItem]:
        now = self._clock.now().timestamp()
        free = [
            row for row in self.outbox.values()
            if not row.sent and row.not_before <= now
            and (row.lease_until is None or row.lease_until <= now)
        ]
        free.sort(key=lambda row: (row.not_before, row.id))
        claimed = []
        for row in free[: max(limit, 0)]:
            row.claimed_by, row.lease_until = worker, now + lease_seconds
            row.attempts += 1
            claimed.append(OutboxItem(row.id, row.notification, row.attempts))
        return sorted(claimed, key=lambda item: int(item.id))

    async def mark_sent(self, item_id: int | str) -> None:
        row = self.outbox.get(int(item_id))
        if row is not None:
            row.sent, row.claimed_by, row.lease_until = True, None, None

    async def release(self, item_id: int | str, error: str, retry_after: float) -> None:
        row = self.outbox.get(int(item_id))
        if row is not None and not row.sent:
            row.claimed_by, row.lease_until, row.last_error = None, None, error
            row.not_before = self._clock.now().timestamp() + max(retry_after, 0.0)

    async def hurry(self, item_ids: Sequence[int | str]) -> None:
        now = self._clock.now().timestamp()
        for item_id in item_ids:
            row = self.outbox.get(int(item_id))
            if row is not None and not row.sent:
                row.not_before = min(row.not_before, now)

    async def pending_count(self) -> int:
        return sum(1 for row in self.outbox.values() if not row.sent)

    def close(self) -> None:
        pass


# --- flows ---------------------------------------------------------------------------------


@dataclass
class InMemoryFactsQueries(FactsQueries):
    """``FactsQueries`` over an in-memory store's summaries and events, folded per question
    with the domain's own functions (:func:`approvals.facts.advance`, ``register``, ``rows``)."""

    store: InMemoryDossierStore

    def _facts(self) -> list[DossierFacts]:
        found = []
        for dossier_id, summary in self.store.summaries.items():
            facts = advance(None, self.store.events.get(dossier_id, ()), summary.flow_title)
            if facts is not None:
                found.append(facts)
        return found

    async def query_decisions(self, query: RegisterQuery, *, limit: int,
                              offset: int) -> tuple[Sequence[RegisterLine], int]:
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative.")
        lines = register(self._facts(), query)
        return lines[offset:offset + limit], len(lines)

    async def insight_rows(self, since: date | None, until: date | None,
                           ) -> tuple[Sequence[DossierRow], Sequence[SpanRow]]:
        started = [f for f in self._facts()
                   if (since is None or f.started[:10] >= since.isoformat())
                   and (until is None or f.started[:10] <= until.isoformat())]
        return insight_rows(started)

    async def insight(self, query: InsightQuery, now: datetime,
                      department_of: Callable[[str], str] | Mapping[str, str]) -> Insight:
        return insight(*await self.insight_rows(query.since, query.until), query, now,
                       department_of)


class InMemoryFlowRepository(FlowRepository):
    """``FlowRepository`` in a dict keyed by (id, version)."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, int], FlowRecord] = {}

    async def save(self, flow: FlowDefinition, source: str) -> FlowRecord:
        existing = self.records.get((flow.id, flow.version))
        if existing is not None and check_resave(existing, source):
            return existing
        record = FlowRecord(flow.id, flow.version, flow.title, FlowStatus.CONCEPT, source)
        self.records[(flow.id, flow.version)] = record
        return record

    async def set_status(
        self, flow_id: str, version: int, status: FlowStatus, by: Person, at: datetime
    ) -> FlowRecord:
        existing = self.records.get((flow_id, version))
        if existing is None:
            raise UnknownFlow(f"There is no version {version} of flow '{flow_id}'.")
        status = FlowStatus(status)
        check_transition(existing, status)
        published = status is FlowStatus.PUBLISHED
        record = FlowRecord(
            existing.id, existing.version, existing.title, status, existing.source,
            by.upn if published else existing.published_by,
            utc_iso(at) if published else existing.published_at,
        )
        self.records[(flow_id, version)] = record
        return record

    async def get(self, flow_id: str, version: int | None = None) -> FlowRecord | None:
        if version is not None:
            return self.records.get((flow_id, version))
        published = [
            r for (i, _), r in self.records.items()
            if i == flow_id and r.status is FlowStatus.PUBLISHED
        ]
        return max(published, key=lambda r: r.version, default=None)

    async def list(self) -> Sequence[FlowRecord]:
        return [self.records[key] for key in sorted(self.records)]


# --- documents -----------------------------------------------------------------------------


class InMemoryDocumentStore(DocumentStore):
    """``DocumentStore`` in a dict: every version of every document, and who has access."""

    def __init__(self, base_url: str = "memory://paraaf") -> None:
        self.base_url = base_url.rstrip("/")
        self.versions: dict[tuple[str, str], list[bytes]] = {}
        self.grants: dict[str, dict[str, str]] = {}
        self.comment_cache = CommentCache()

    def _stored(self, dossier_id: str, name: str) -> StoredDocument:
        versions = self.versions[(dossier_id, name)]
        return StoredDocument(
            name=name, uri=f"{self.base_url}/documents/{dossier_id}/{quote(name)}",
            sha256=hashlib.sha256(versions[-1]).hexdigest(), size=len(versions[-1]),
            version=str(len(versions)),
        )

    async def put(self, dossier_id: str, name: str, content: bytes) -> StoredDocument:
        check_dossier_id(dossier_id)
        check_document_name(name)
        check_size(name, content)
        self.versions.setdefault((dossier_id, name), []).append(bytes(content))
        stored = self._stored(dossier_id, name)
        if is_word_document(name):
            self.comment_cache.read(stored.sha256, name, content)
        return stored

    async def get(self, dossier_id: str, name: str) -> bytes:
        check_dossier_id(dossier_id)
        check_document_name(name)
        versions = self.versions.get((dossier_id, name))
        if not versions:
            raise InvalidInput(refusal="document_missing", name=name, dossier=dossier_id)
        return versions[-1]

    async def get_version(self, dossier_id: str, name: str, version: str) -> bytes:
        check_dossier_id(dossier_id)
        check_document_name(name)
        versions = self.versions.get((dossier_id, name), [])
        if not version.isdigit() or not 1 <= int(version) <= len(versions):
            raise InvalidInput(refusal="document_missing", name=name, dossier=dossier_id)
        return versions[int(version) - 1]

    async def list(self, dossier_id: str) -> Sequence[StoredDocument]:
        check_dossier_id(dossier_id)
        names = sorted((name for (d, name) in self.versions if d == dossier_id),
                       key=lambda name: (name.casefold(), name))
        return [self._stored(dossier_id, name) for name in names]

    async def grant(self, dossier_id: str, people: Sequence[Person], write: bool) -> None:
        check_dossier_id(dossier_id)
        self.grants[dossier_id] = merge_access(self.grants.get(dossier_id, {}), people, write)

    async def set_access(self, dossier_id: str, wanted: Mapping[str, Access]) -> None:
        check_dossier_id(dossier_id)
        result = apply_access(self.grants.get(dossier_id, {}), wanted)
        if result or dossier_id in self.grants:
            self.grants[dossier_id] = result

    async def access(self, dossier_id: str) -> dict[str, str]:
        check_dossier_id(dossier_id)
        return dict(self.grants.get(dossier_id, {}))

    async def comments(self, dossier_id: str) -> Sequence[DocumentComment]:
        found: list[DocumentComment] = []
        for document in await self.list(dossier_id):
            if is_word_document(document.name):
                found += self.comment_cache.read(document.sha256, document.name,
                                                 self.versions[(dossier_id, document.name)][-1])
        return found


# --- directory -----------------------------------------------------------------------------


@dataclass
class InMemoryDirectory(Directory, DirectorySearch, PeopleDirectory):
    """``Directory`` (and ``DirectorySearch``) over plain mappings; everything is keyed by
    object id.

    ``groups`` maps a group id to member oids, ``nested`` to nested group ids,
    ``group_names`` to its name; ``details`` an oid to what the picker shows beside the name.
    """

    people: Sequence[Person]
    managers: Mapping[str, str] = field(default_factory=dict)  # oid -> manager oid
    groups: Mapping[str, Sequence[str]] = field(default_factory=dict)
    nested: Mapping[str, Sequence[str]] = field(default_factory=dict)
    roles: Mapping[str, Sequence[str]] = field(default_factory=dict)  # role -> oids
    admins: frozenset[str] = frozenset()
    guests: frozenset[str] = frozenset()
    mails: Mapping[str, str] = field(default_factory=dict)  # oid -> e-mail address
    group_names: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, str] = field(default_factory=dict)  # oid -> "title · department"
    department_of: Mapping[str, str] = field(default_factory=dict)  # oid -> department

    @classmethod
    def from_yaml_text(cls, text: str) -> InMemoryDirectory:
        """The directory YAML format of ``local/demo/directory.yaml``, without validation."""
        data: dict[str, Any] = yaml.safe_load(text)
        tenant = str(data.get("tenant", ""))
        users = data.get("users") or []
        people = [Person(str(u["oid"]).lower(), u["upn"], u["name"], tenant) for u in users]
        oid_of = {p.upn.lower(): p.oid for p in people}
        roles: dict[str, list[str]] = {}
        for user, person in zip(users, people, strict=True):
            for role in user.get("roles") or []:
                roles.setdefault(role.lower(), []).append(person.oid)
        return cls(
            people=people,
            managers={p.oid: oid_of[u["manager"].lower()]
                      for u, p in zip(users, people, strict=True) if u.get("manager")},
            groups={g["id"]: [oid_of[m.lower()] for m in g.get("members") or []]
                    for g in data.get("groups") or []},
            nested={g["id"]: list(g.get("groups") or []) for g in data.get("groups") or []},
            roles=roles,
            admins=frozenset(p.oid for u, p in zip(users, people, strict=True) if u.get("admin")),
            guests=frozenset(p.oid for u, p in zip(users, people, strict=True) if u.get("guest")),
            mails={p.oid: u["mail"] for u, p in zip(users, people, strict=True) if u.get("mail")},
            group_names={g["id"]: g.get("name") or g["id"] for g in data.get("groups") or []},
            details={p.oid: " · ".join(str(u[k]) for k in ("title", "department") if u.get(k))
                     for u, p in zip(users, people, strict=True)},
            department_of={p.oid: str(u["department"])
                           for u, p in zip(users, people, strict=True) if u.get("department")},
        )

    def _find(self, key: str) -> Person | None:
        wanted = key.strip().casefold()
        if not wanted:
            return None
        for person in self.people:
            mail = self.mails.get(person.oid, "")
            if wanted in (person.oid.casefold(), person.upn.casefold(), mail.casefold()):
                return person
        return None

    async def user(self, key: str) -> Person | None:
        return self._find(key)

    async def manager(self, oid: str) -> Person | None:
        person = self._find(oid)
        boss = self.managers.get(person.oid) if person else None
        return self._find(boss) if boss else None

    async def group_members(self, group_id: str) -> Sequence[Person]:
        oids: set[str] = set()
        seen: set[str] = set()
        todo = [group_id]
        while todo:
            group = todo.pop()
            if group in seen:
                continue
            seen.add(group)
            oids.update(self.groups.get(group, ()))
            todo.extend(self.nested.get(group, ()))
        return _by_name(p for p in self.people if p.oid in oids)

    async def role_members(self, role: str) -> Sequence[Person]:
        oids = set(self.roles.get(role.strip().lower(), ()))
        return _by_name(p for p in self.people if p.oid in oids)

    async def is_admin(self, oid: str) -> bool:
        person = self._find(oid)
        return person is not None and person.oid in self.admins

    async def list_admins(self) -> Sequence[Person]:
        return _by_name(p for p in self.people if p.oid in self.admins)

    async def is_guest(self, oid: str) -> bool:
        person = self._find(oid)
        return person is not None and person.oid in self.guests

    async def search(self, text: str, limit: int) -> Sequence[DirectoryEntry]:
        """What holds the text in a name, UPN or id, people first, as the YAML directory."""
        wanted = text.strip().casefold()
        found = [DirectoryEntry("user", p.upn, p.name, self.details.get(p.oid, ""))
                 for p in self.people
                 if wanted in p.name.casefold() or wanted in p.upn.casefold()]
        for group in self.groups:
            name = self.group_names.get(group, group)
            if wanted in name.casefold() or wanted in group.casefold():
                found.append(DirectoryEntry("group", group, name, group))
        found += [DirectoryEntry("role", role, role, "") for role in sorted(self.roles)
                  if wanted in role.casefold()]
        return found[:max(limit, 0)]

    async def departments(self) -> Mapping[str, str]:
        """Each person's department (``PeopleDirectory``), for those who have one."""
        return {p.oid: self.department_of[p.oid] for p in self.people
                if self.department_of.get(p.oid)}

    def users(self) -> list[Person]:
        return list(self.people)


def _by_name(people: Iterable[Person]) -> list[Person]:
    return sorted(people, key=lambda p: (p.name.casefold(), p.oid))


@dataclass
class InMemoryConversationStore(ConversationStore):
    """Conversation references, posted cards and unreachable people, in dicts."""

    refs: dict[str, ConversationRef] = field(default_factory=dict)
    copies: list[CardCopy] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    keep: int = 5

    async def save_reference(self, ref: ConversationRef) -> None:
        self.refs.pop(ref.oid, None)
        self.refs[ref.oid] = ref  # the newest last, as any_reference prefers it
        self.missing.pop(ref.oid, None)

    async def reference(self, oid: str) -> ConversationRef | None:
        return self.refs.get(oid)

    async def any_reference(self, tenant: str) -> ConversationRef | None:
        return next((r for r in reversed(self.refs.values()) if r.tenant == tenant), None)

    async def record_card(self, copy: CardCopy) -> None:
        if copy in self.copies:
            return
        self.copies.append(copy)
        mine = [c for c in self.copies if (c.dossier_id, c.oid) == (copy.dossier_id, copy.oid)]
        for old in mine[1: max(1, len(mine) - (self.keep - 1))]:  # keep the first, latest
            self.copies.remove(old)

    async def cards(self, dossier_id: str) -> Sequence[CardCopy]:
        return [c for c in self.copies if c.dossier_id == dossier_id]

    async def mark_unreachable(self, oid: str, reason: str) -> None:
        self.missing[oid] = reason

    async def unreachable(self) -> dict[str, str]:
        return dict(self.missing)


class InMemoryAnchorLog(AnchorLog):
    """AnchorLog in memory (a list of records)."""

    def __init__(self) -> None:
        self.stored: list[AnchorRecord] = []

    async def records(self) -> Sequence[AnchorRecord]:
        return list(self.stored)

    async def append(self, record: AnchorRecord) -> None:
        if len(self.stored) >= record.seq and self.stored[record.seq - 1] == record:
            return
        if len(self.stored) != record.seq - 1:
            raise AnchorConflict(record.seq)
        self.stored.append(record)
# --- standing substitutes ----------------------------------------------------------------------


class InMemorySubstituteStore(SubstituteStore):
    """``SubstituteStore`` in a dict."""

    def __init__(self) -> None:
        self.periods: dict[str, Absence] = {}

    async def add(self, absence: Absence) -> None:
        self.periods[absence.id] = absence

    async def for_person(self, oid: str) -> Sequence[Absence]:
        found = [a for a in self.periods.values() if a.person.oid == oid]
        return sorted(found, key=lambda a: (a.start, a.id))

    async def active_on(self, day: date, oids: Collection[str]) -> Mapping[str, Absence]:
        found: dict[str, Absence] = {}
        for absence in sorted(self.periods.values(), key=lambda a: (a.start, a.id)):
            if absence.person.oid in oids and absence.covers(day):
                found.setdefault(absence.person.oid, absence)
        return found

    async def current(self, since: date) -> Sequence[Absence]:
        found = [a for a in self.periods.values() if a.end >= since]
        return sorted(found, key=lambda a: (a.start, a.id))

    async def remove(self, absence_id: str) -> bool:
        return self.periods.pop(absence_id, None) is not None


# --- the Teams gateway before anyone installed the app --------------------------------------


class NoTeams(TeamsGateway):
    """The Teams gateway before anyone installed the app: nothing can be delivered yet."""

    async def send(self, ref: ConversationRef, card: Card) -> str:
        raise AssertionError("nobody can be reached")

    async def update(self, ref: ConversationRef, activity_id: str, card: Card) -> None:
        raise AssertionError("nobody can be reached")

    async def open_chat(self, user: Person, template: ConversationRef | None) -> ConversationRef:
        raise AssertionError("no chat can be opened without an installation")


# --- the decision register ---------------------------------------------------------------------


class InMemoryDecisionRegistry(DecisionRegistry):
    """``DecisionRegistry`` in a dict, by identificatie. It refuses what the ZGW register
    refuses, before "sending" (the same :func:`approvals.zgw.to_zgw`); ``sent`` counts the
    registrations that got through, ``objects`` keeps what they would have sent."""

    def __init__(self, organisation: ZgwOrganisation, today: date) -> None:
        self.organisation = organisation
        self.today = today
        self.entries: dict[str, RegistryEntry] = {}
        self.objects: dict[str, ZgwDecision] = {}
        self.sent = 0

    async def register(self, decision: DecisionRecord) -> RegistryEntry:
        zgw = to_zgw(decision, self.organisation, self.today)
        self.sent += 1
        found = self.entries.get(zgw.identificatie)
        if found is None:
            key = quote(zgw.identificatie, safe="")
            found = RegistryEntry(
                zgw.identificatie, f"memory://besluiten/{key}", f"memory://documenten/{key}")
            self.entries[zgw.identificatie] = found
            self.objects[zgw.identificatie] = zgw
        return found

    async def entry(self, identificatie: str) -> RegistryEntry | None:
        return self.entries.get(identificatie)
