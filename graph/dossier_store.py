"""The SharePoint system of record: ``DossierStore`` and ``Outbox`` on the lists of
:mod:`graph.schema`, through Microsoft Graph.

Writes follow the commit protocol of :mod:`graph.commit`. Every read takes the event items
plus the pending events of the Dossiers item (deduplicated), reading the Dossiers item first
(``dependsOn``): an event leaves the pending batch only after it became an item, so reading
in that order never misses one. A reader that finds a pending batch older than
``roll_forward_after`` seconds finishes its roll-forward; so does the outbox's claim.

Round trips (HTTP requests) of a command through ``approvals.service.execute``:
``load_for_command`` 1 (the command id check and the load in one ``$batch``), the commit 1,
then the roll-forward 1 (a single ``$batch``). An appended event id is checked against the
store before the commit, except when this store has just seen it missing (``find_event``,
or the check of ``load_for_command``) and read the dossier (``load``) since: then the
conditional commit itself is the check. Filters and sorts use indexed columns only.

A page of the tab's overview (``page_summaries``) is at most 2 requests, without a count
(list items have no ``$count``); the next page follows Graph's ``$skiptoken``, kept in the
page's cursor. A query on someone reads their task rows: 2 requests for up to 200 dossiers
to act in (10 ids to a batch part, 20 parts to a batch).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from approvals.append_rules import check_batch
from approvals.audit import ChainRecord
from approvals.errors import ConcurrencyConflict, InvalidInput
from approvals.events import Event
from approvals.ports import Clock, Notification, OutboxItem
from approvals.readmodels import (
    BadCursor,
    DossierSummary,
    SummaryPage,
    SummaryQuery,
    cursor_offset,
    decode_cursor,
    encode_cursor,
    matches,
    offset_page,
    query_key,
)
from graph.commit import Commits, Head, Written, exact_head, head_of
from graph.dossier_rows import (
    DOSSIERS_LIST,
    EVENT_COLUMNS,
    EVENTS_LIST,
    HEAD_COLUMNS,
    TASKS_LIST,
    Pending,
    Row,
    TaskRows,
    event_of,
    key_text,
    notes_for,
    row,
    summary_of,
)
from graph.list_requests import MAX_TOP, Answer, ListRequests, Part, checked, odata_text
from graph.outbox import ListOutbox
from graph.rest import Graph, GraphError
from graph.sightings import Lru, Sightings

log = logging.getLogger("paraaf.graph")

CHAIN_BATCH = 5000
SUMMARY_COLUMNS = ("DossierId", "UpdatedAt", "Summary")


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class GraphDossierStore:
    """``DossierStore`` and ``Outbox`` on one SharePoint site (``site_id`` as Graph knows it)."""

    def __init__(self, graph: Graph, site_id: str, *, clock: Clock | None = None,
                 roll_forward_after: float = 10.0, attempts: int = 5,
                 chain_batch: int = CHAIN_BATCH, cache_size: int = 2000) -> None:
        self.lists = ListRequests(graph, site_id, attempts=attempts)
        self.clock: Clock = clock or _SystemClock()
        self.roll_forward_after = roll_forward_after
        self.chain_batch = chain_batch
        self.commits = Commits(self.lists, self.clock)
        self.outbox = ListOutbox(self.lists, self.clock, self._recover, roll_forward_after)
        self._heads = Lru(cache_size)  # dossier id -> Head
        self._tasks = Lru(cache_size)  # dossier id -> TaskRows
        self._sightings = Sightings(cache_size)

    @property
    def round_trips(self) -> dict[str, int]:
        """HTTP requests sent so far, by operation."""
        return dict(self.lists.round_trips)

    # --- the event log ---------------------------------------------------------------------

    async def load(self, dossier_id: str, after: int = 0) -> Sequence[Event]:
        begun = self._sightings.tick()
        events_url = await self._events_query(dossier_id, after)
        answers = checked(await self.lists.batch(
            "load", await self._load_parts(dossier_id, events_url), idempotent=True))
        return await self._loaded(dossier_id, after, events_url, answers, begun)

    async def load_for_command(
        self, dossier_id: str, after: int, command_id: str
    ) -> tuple[Sequence[Event], Event | None]:
        """``find_event`` and then ``load`` in one ``$batch``: the parts of the load depend
        on those of the check (``dependsOn``), so the load reads after the check, as if
        the two were sent one after the other."""
        begun = self._sightings.tick()
        events_url = await self._events_query(dossier_id, after)
        answers = checked(await self.lists.batch("load", [
            *await self._find_parts(command_id),
            *await self._load_parts(dossier_id, events_url, depends_on=("f",)),
        ], idempotent=True))
        heads = [head_of(row(x)) for x in await self.lists.get_all("load", "", answers["p"])]
        found = _found(answers["f"], heads, command_id)
        if found is None:
            self._sightings.missed(command_id, begun)
        events = await self._loaded(dossier_id, after, events_url, answers,
                                    self._sightings.tick())
        others = [h for h in heads if h.dossier_id != dossier_id and self._stale(h)]
        for head in others[:5]:
            await self._roll(head)
        return events, found

    async def _load_parts(self, dossier_id: str, events_url: str,
                          depends_on: tuple[str, ...] = ()) -> list[Part]:
        """The Dossiers item, then the events (after it), and the task rows."""
        return [
            Part("d", "GET", await self.commits.head_query(dossier_id), depends_on=depends_on),
            Part("e", "GET", events_url, depends_on=("d",)),
            Part("t", "GET", await self.commits.task_query(dossier_id)),
        ]

    async def _loaded(self, dossier_id: str, after: int, events_url: str,
                      answers: dict[str, Answer], begun: int) -> list[Event]:
        """The events the parts of :meth:`_load_parts` read (a stale pending batch of the
        dossier is rolled forward)."""
        head = exact_head(answers["d"].values(), dossier_id)
        if head is None:
            self._sightings.loaded(dossier_id, begun, after, 0, ())
            return []
        items = await self.lists.get_all("load", events_url, answers["e"])
        written = self.commits.written
        events = _merge(items, head.pending, dossier_id, after, head.version, written)
        if [e.seq for e in events] != list(range(after + 1, head.version + 1)):
            items = await self.lists.get_all("load", events_url)  # once more, in full
            events = _merge(items, head.pending, dossier_id, after, head.version, written)
        self._know(head)
        rows = TaskRows.of([row(x) for x in answers["t"].values()], dossier_id)
        self._tasks.put(dossier_id, rows)
        self._sightings.loaded(dossier_id, begun, after, head.version, events)
        if head.pending and self._stale(head):
            await self._roll(head)
        return events

    async def _events_query(self, dossier_id: str, after: int) -> str:
        return await self.lists.query(
            EVENTS_LIST, select=EVENT_COLUMNS, orderby="fields/Seq",
            filter=f"fields/DossierId eq {odata_text(dossier_id)} and fields/Seq gt {after}")

    async def append(
        self,
        dossier_id: str,
        expected_version: int,
        events: Sequence[Event],
        summary: DossierSummary,
        notifications: Sequence[Notification] = (),
    ) -> None:
        check_batch(dossier_id, expected_version, events, summary)
        known_new = self._sightings.proven_new(dossier_id, expected_version, events)
        self._sightings.forget(events)
        if not known_new and await self._stored([e.event_id for e in events]):
            raise ConcurrencyConflict(dossier_id, expected_version)
        head: Head | None = self._heads.get(dossier_id)
        if expected_version == 0 and head is not None:
            raise ConcurrencyConflict(dossier_id, 0)  # it exists (dossiers are never removed)
        if expected_version > 0 and (head is None or head.version != expected_version):
            head = await self.commits.read_head(dossier_id, "commit")
            if head is None or head.version != expected_version:
                raise ConcurrencyConflict(dossier_id, expected_version)
        notes = notes_for(notifications, self.clock.now().timestamp())
        try:
            head = await self.commits.commit(head, dossier_id, expected_version, events,
                                             summary, notes)
        except ConcurrencyConflict:
            self._heads.pop(dossier_id, None)
            raise
        self._know(head)
        await self._roll(head)

    async def _roll(self, head: Head) -> Head:
        """Finish a commit; a failure leaves it pending for the next writer or reader."""
        rows: TaskRows | None = self._tasks.get(head.dossier_id)  # as the last load saw them
        if rows is None and head.version == len(head.pending.events):
            rows = TaskRows()  # nothing of it was rolled forward yet: no task rows
        try:
            head, rows = await self.commits.roll_forward(head, rows)
        except GraphError as error:
            if error.status not in (0, 429, 503, 504):
                raise
            log.warning("roll-forward left for later", extra={"dossier": head.dossier_id,
                                                              "error": str(error)})
            return head
        self._know(head)
        self._tasks.put(head.dossier_id, rows)
        return head

    async def _recover(self, stale: list[Row]) -> None:
        for item in stale:
            head = head_of(item)
            if head.pending:
                await self._roll(head)

    def _stale(self, head: Head) -> bool:
        since = head.pending_since or 0.0
        return self.clock.now().timestamp() - since >= self.roll_forward_after

    def _know(self, head: Head) -> None:
        if head.etag:
            self._heads.put(head.dossier_id, head)
        else:  # its eTag is unknown: the next commit reads the item again
            self._heads.pop(head.dossier_id, None)
        self._sightings.saw(head.dossier_id, head.version)

    async def _stored(self, event_ids: list[str]) -> bool:
        """Whether any of these ids is stored, as an item or pending. One that differs only
        in case is refused: the unique EventId column ignores case, so a retry cannot help."""
        exact = {key_text(i) for i in event_ids}
        wanted = {i.casefold() for i in exact}
        parts = [Part("p", "GET", await self._pending_query(("DossierId", "PendingEvents")))]
        for n in range(0, len(event_ids), 10):
            test = " or ".join(f"fields/EventId eq {odata_text(key_text(i))}"
                               for i in event_ids[n:n + 10])
            parts.append(Part(f"e{n}", "GET", await self.lists.query(
                EVENTS_LIST, select=("EventId",), filter=test), depends_on=("p",)))
        answers = checked(await self.lists.batch("check", parts, idempotent=True))
        found = {str(row(x).fields.get("EventId", "")) for key, answer in answers.items()
                 if key != "p" for x in answer.values()}
        for x in await self.lists.get_all("check", "", answers["p"]):
            found |= {e.event_id for e in Pending.from_text(row(x).fields.get("PendingEvents"))
                      .events}
        if found & exact:
            return True
        if any(i.casefold() in wanted for i in found):
            raise InvalidInput("An event id differs only in upper and lower case from a stored "
                               "one.")
        return False

    async def _pending_query(self, select: Sequence[str]) -> str:
        return await self.lists.query(DOSSIERS_LIST, select=select,
                                      filter="fields/PendingSince gt 0")

    async def find_event(self, event_id: str) -> Event | None:
        begun = self._sightings.tick()
        answers = checked(await self.lists.batch(
            "find_event", await self._find_parts(event_id), idempotent=True))
        heads = [head_of(row(x)) for x in
                 await self.lists.get_all("find_event", "", answers["p"])]
        for head in [h for h in heads if self._stale(h)][:5]:
            await self._roll(head)
        found = _found(answers["f"], heads, event_id)
        if found is None:
            self._sightings.missed(event_id, begun)
        return found

    async def _find_parts(self, event_id: str) -> list[Part]:
        """The dossiers with a pending batch, then (after them) the items with this id."""
        found_url = await self.lists.query(
            EVENTS_LIST, select=EVENT_COLUMNS, top=20,
            filter=f"fields/EventId eq {odata_text(key_text(event_id))}")
        return [Part("p", "GET", await self._pending_query(HEAD_COLUMNS)),
                Part("f", "GET", found_url, depends_on=("p",))]

    # --- the projection --------------------------------------------------------------------

    async def get_summary(self, dossier_id: str) -> DossierSummary | None:
        data = await self.lists.call("summary", "GET", await self._summary_query(dossier_id),
                                     idempotent=True)
        for value in (data or {}).get("value", []):
            fields = row(value).fields
            if fields.get("DossierId") == dossier_id:
                return summary_of(fields)
        return None

    async def _summary_query(self, dossier_id: str) -> str:
        return await self.lists.query(DOSSIERS_LIST, select=SUMMARY_COLUMNS, top=5,
                                      filter=f"fields/DossierId eq {odata_text(dossier_id)}")

    async def list_summaries(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[DossierSummary]:
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative.")
        if offset + limit == 0:
            return []
        found = await self._newest_first(
            "summaries", None if status is None else f"fields/Status eq {odata_text(status)}",
            enough=offset + limit)
        return found[offset:offset + limit]

    async def query_summaries(self, query: SummaryQuery, *, limit: int,
                              offset: int) -> tuple[Sequence[DossierSummary], int]:
        """The overview with its count: every dossier the query's indexed columns select is
        read (a query on someone, see :meth:`_people`, reads only theirs), the rest of the
        query is the domain's rule. :meth:`page_summaries` reads one page."""
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative.")
        if query.to_act is not None or query.viewer is not None:
            listed = await self._people(query)
        else:
            listed = [s for s in await self._newest_first("overview", _indexed(query))
                      if matches(s, query)]
        return listed[offset:offset + limit], len(listed)

    async def page_summaries(self, query: SummaryQuery, *, limit: int,
                             after: str | None = None) -> SummaryPage:
        """One page of the overview in at most two requests, without a count (list items
        have no ``$count``).

        A query on someone (who is to act, or what a viewer may see) reads that person's
        task rows and the dossiers they started (:meth:`_people`); its cursor is an offset
        and it has a count. Any other query asks the Dossiers list's indexed columns (status,
        flow, initiator, overdue) for ``limit`` items, newest first (``$orderby`` UpdatedAt),
        and the next page by the ``$skiptoken`` of ``@odata.nextLink``, which the cursor
        carries. Stage, search and "not overdue" are not indexed: such a query reads up to
        5,000 items a request and applies the domain's rule, and a page may then hold fewer
        dossiers than ``limit`` while more follow."""
        if limit < 1:
            raise ValueError("limit must be positive.")
        if query.to_act is not None or query.viewer is not None:
            offset = cursor_offset(query, after)
            listed = await self._people(query)
            return offset_page(listed[offset:offset + limit], len(listed), query, offset)
        return await self._list_page(query, limit, after)

    async def _list_page(self, query: SummaryQuery, limit: int,
                         after: str | None) -> SummaryPage:
        key = query_key(query)
        token, skip, top = "", 0, limit if _indexed_only(query) else MAX_TOP
        if after is not None:
            token, skip, top = _list_cursor(after, key)
        url = await self.lists.query(DOSSIERS_LIST, select=SUMMARY_COLUMNS, top=top,
                                     orderby="fields/UpdatedAt desc", filter=_indexed(query))
        found: list[DossierSummary] = []
        for _ in range(2):
            try:
                page = await self.lists.call(
                    "overview", "GET",
                    url + (f"&$skiptoken={quote(token, safe='')}" if token else ""),
                    idempotent=True) or {}
            except GraphError as error:  # a $skiptoken Graph did not hand out
                if error.status == 400 and token and after is not None:
                    raise BadCursor("This page cursor cannot be read.") from error
                raise
            values = page.get("value", [])
            following = _skiptoken(page.get("@odata.nextLink"))
            for index in range(skip, len(values)):
                summary = summary_of(row(values[index]).fields)
                if summary is None or not matches(summary, query):
                    continue
                found.append(summary)
                if len(found) == limit:
                    if index + 1 < len(values):
                        following, rest = token, index + 1
                    else:
                        rest = 0
                    return SummaryPage(tuple(found), None if following is None else
                                       encode_cursor({"q": key, "t": following, "k": rest,
                                                      "n": top}), None)
            if following is None:
                return SummaryPage(tuple(found), None, None)
            token, skip = following, 0
        return SummaryPage(tuple(found), encode_cursor({"q": key, "t": token, "k": 0, "n": top}),
                           None)

    async def _newest_first(self, op: str, filter: str | None, *,
                            enough: int | None = None) -> list[DossierSummary]:
        """The summaries of the Dossiers items the filter selects, newest first: ordered by
        UpdatedAt (whole seconds) on the server and by the full timestamp here. With
        ``enough``, the reading stops once that many are read and the rows of the last
        one's second."""
        url: str | None = await self.lists.query(
            DOSSIERS_LIST, select=SUMMARY_COLUMNS, orderby="fields/UpdatedAt desc",
            top=MAX_TOP if enough is None else min(enough + 1, MAX_TOP), filter=filter)
        rows: list[dict[str, Any]] = []
        while url:
            page = await self.lists.call(op, "GET", url, idempotent=True) or {}
            rows.extend(row(x).fields for x in page.get("value", []))
            url = page.get("@odata.nextLink")
            if enough is not None and len(rows) > enough and (
                    rows[-1].get("UpdatedAt") != rows[enough - 1].get("UpdatedAt")):
                break
        return _newest([s for s in (summary_of(f) for f in rows) if s is not None])

    async def _people(self, query: SummaryQuery) -> list[DossierSummary]:
        """What a query on someone lists, newest first, in two requests: the task rows of
        who is to act (or of the viewer) with the dossiers that have a pending commit (their
        rows may lag) and, for a viewer, the dossiers they started (indexed filters); then
        the other dossiers of those task rows, ten to a batch part."""
        person = query.to_act if query.to_act is not None else query.viewer
        assert person is not None
        parts = [
            Part("p", "GET", await self._pending_query(SUMMARY_COLUMNS)),
            Part("t", "GET", await self.lists.query(
                TASKS_LIST, select=("DossierId",),
                filter=f"fields/ActorOid eq {odata_text(person)}"), depends_on=("p",)),
        ]
        if query.to_act is None and query.viewer is not None:
            started = [f"fields/InitiatorOid eq {odata_text(query.viewer)}"]
            parts.append(Part("i", "GET", await self.lists.query(
                DOSSIERS_LIST, select=SUMMARY_COLUMNS, orderby="fields/UpdatedAt desc",
                filter=" and ".join(filter(None, [_indexed(query), *started])))))
        answers = checked(await self.lists.batch("overview", parts, idempotent=True))
        found: dict[str, DossierSummary] = {}
        for key in ("p", "i"):
            if key in answers:
                for value in await self.lists.get_all("overview", "", answers[key]):
                    summary = summary_of(row(value).fields)
                    if summary is not None:
                        found.setdefault(summary.id, summary)
        tasks = await self.lists.get_all("overview", "", answers["t"])
        ids = sorted({str(row(x).fields.get("DossierId")) for x in tasks} - set(found))
        wanted = [ids[n:n + 10] for n in range(0, len(ids), 10)]
        chunks = []
        for n, chunk in enumerate(wanted):
            test = " or ".join(f"fields/DossierId eq {odata_text(d)}" for d in chunk)
            chunks.append(Part(str(n), "GET", await self.lists.query(
                DOSSIERS_LIST, select=SUMMARY_COLUMNS, filter=test)))
        for part, answer in checked(await self.lists.batch("overview", chunks,
                                                           idempotent=True)).items():
            for value in await self.lists.get_all("overview", "", answer):
                summary = summary_of(row(value).fields)
                if summary is not None and summary.id in wanted[int(part)]:
                    found.setdefault(summary.id, summary)
        return _newest([s for s in found.values() if matches(s, query)])

    async def tasks_for(self, oid: str) -> Sequence[DossierSummary]:
        """Task rows by actor plus the dossiers with a pending commit (their rows may lag),
        then those dossiers' projections in one batch: two round trips for up to 20."""
        answers = checked(await self.lists.batch("tasks", [
            Part("p", "GET", await self._pending_query(SUMMARY_COLUMNS)),
            Part("t", "GET", await self.lists.query(
                TASKS_LIST, select=("DossierId",), filter=f"fields/ActorOid eq {odata_text(oid)}"),
                 depends_on=("p",)),
        ], idempotent=True))
        found: dict[str, DossierSummary] = {}
        for value in await self.lists.get_all("tasks", "", answers["p"]):
            summary = summary_of(row(value).fields)
            if summary is not None:
                found[summary.id] = summary
        rows = await self.lists.get_all("tasks", "", answers["t"])
        ids = sorted({str(row(x).fields.get("DossierId")) for x in rows} - set(found))
        parts = [Part(str(n), "GET", await self._summary_query(d)) for n, d in enumerate(ids)]
        for n, answer in (await self.lists.batch("tasks", parts, idempotent=True)).items():
            if not answer.ok:
                raise answer.error()
            for value in answer.values():
                fields = row(value).fields
                if fields.get("DossierId") == ids[int(n)]:
                    summary = summary_of(fields)
                    if summary is not None:
                        found[summary.id] = summary
        mine = [s for s in found.values() if s.status == "open" and oid in s.actors()]
        return sorted(mine, key=lambda s: (s.due or "9999-12-31", s.created_at, s.id))

    # --- audit -----------------------------------------------------------------------------

    async def chain_records(
        self, dossier_id: str | None = None
    ) -> AsyncIterator[list[ChainRecord]]:
        """Per dossier (by id) its items plus its pending events, up to the version its
        Dossiers item had when read; in batches of at most ``chain_batch``."""
        if dossier_id is not None:
            head = await self.commits.read_head(dossier_id, "chain")
            heads = [head] if head is not None else []
        else:
            found = await self.lists.get_all("chain", await self.lists.query(
                DOSSIERS_LIST, select=("DossierId", "Version", "HeadHash", "PendingEvents")))
            heads = sorted((head_of(row(x)) for x in found), key=lambda h: h.dossier_id)
        out: list[ChainRecord] = []
        for n in range(0, len(heads), 20):
            chunk = heads[n:n + 20]
            urls = [await self._events_query(h.dossier_id, 0) for h in chunk]
            answers = await self.lists.batch(
                "chain", [Part(str(k), "GET", url) for k, url in enumerate(urls)],
                idempotent=True)
            for k, head in enumerate(chunk):
                answer = answers[str(k)]
                if not answer.ok:
                    raise answer.error()
                items = await self.lists.get_all("chain", urls[k], answer)
                for e in _merge(items, head.pending, head.dossier_id, 0, head.version):
                    out.append(ChainRecord(e.dossier_id, e.seq, e.record, e.hash))
                while len(out) >= self.chain_batch:
                    yield out[:self.chain_batch]
                    out = out[self.chain_batch:]
        if out:
            yield out

    async def chain_heads(self, dossier_id: str | None = None) -> dict[str, tuple[int, str]]:
        query = await self.lists.query(
            DOSSIERS_LIST, select=("DossierId", "Version", "HeadHash"),
            filter=None if dossier_id is None else f"fields/DossierId eq {odata_text(dossier_id)}")
        heads = {}
        for value in await self.lists.get_all("chain", query):
            f = row(value).fields
            if dossier_id is None or f.get("DossierId") == dossier_id:
                heads[str(f["DossierId"])] = (int(f.get("Version") or 0), str(f.get("HeadHash")))
        return heads

    # --- the outbox ------------------------------------------------------------------------

    async def claim(self, worker: str, limit: int, lease_seconds: float) -> Sequence[OutboxItem]:
        return await self.outbox.claim(worker, limit, lease_seconds)

    async def mark_sent(self, item_id: int | str) -> None:
        await self.outbox.mark_sent(item_id)

    async def release(self, item_id: int | str, error: str, retry_after: float) -> None:
        await self.outbox.release(item_id, error, retry_after)

    async def hurry(self, item_ids: Sequence[int | str]) -> None:
        await self.outbox.hurry(item_ids)

    async def pending_count(self) -> int:
        return await self.outbox.pending_count()

    async def changes(self) -> float | None:
        """What changed in the outbox since the last look (graph.outbox.ListOutbox.changes)."""
        return await self.outbox.changes()


def _found(items: Answer, heads: Sequence[Head], event_id: str) -> Event | None:
    """The event with exactly this id among the items (the filter ignores case) or the
    pending batches."""
    for value in items.values():
        event = event_of(row(value).fields)
        if event.event_id == event_id:
            return event
    for head in heads:
        for event in head.pending.events:
            if event.event_id == event_id:
                return event
    return None


def _merge(items: list[dict[str, Any]], pending: Pending, dossier_id: str, after: int,
           version: int, written: Written | None = None) -> list[Event]:
    """The dossier's events after ``after`` up to ``version``: items plus pending events
    (the ids of those found as items are added to ``written``)."""
    by_seq: dict[int, Event] = {}
    for value in items:
        fields = row(value).fields
        if fields.get("DossierId") == dossier_id and fields.get("Record"):
            event = event_of(fields)
            by_seq.setdefault(event.seq, event)
            if written is not None:
                written.add_event(event)
    for event in pending.events:
        by_seq.setdefault(event.seq, event)
    return [by_seq[seq] for seq in sorted(by_seq)
            if after < seq <= version and by_seq[seq].dossier_id == dossier_id]


# a department with more people than this is filtered by the rule, not by the server (the
# request's length: one test of InitiatorOid per person)
MAX_INITIATORS = 40


def _newest(summaries: list[DossierSummary]) -> list[DossierSummary]:
    """Most recently changed first (then by id, as the other stores)."""
    summaries.sort(key=lambda s: s.id)
    summaries.sort(key=lambda s: s.updated_at, reverse=True)
    return summaries


def _indexed(query: SummaryQuery) -> str | None:
    """The part of the overview's query the Dossiers list's indexed columns answer: a
    superset of what the domain's rule lists."""
    wanted = [f"fields/{column} eq {odata_text(value)}" for column, value in (
        ("Status", query.status), ("FlowId", query.flow_id),
        ("InitiatorOid", query.initiator)) if value is not None]
    if query.overdue and query.today is not None:  # the earliest due date is before today
        wanted.append(f"fields/DueDate lt {odata_text(query.today.isoformat() + 'T00:00:00Z')}")
    if query.initiators is not None and len(query.initiators) <= MAX_INITIATORS:
        # a department: its people, one test each (none: no oid is empty)
        wanted.append("(" + (" or ".join(
            f"fields/InitiatorOid eq {odata_text(oid)}" for oid in query.initiators)
            or "fields/InitiatorOid eq ''") + ")")
    # StartedAt is in whole seconds: from the second of the start, before the one after the end
    if query.started_from is not None:
        wanted.append(f"fields/StartedAt ge {_second(query.started_from, up=False)}")
    if query.started_before is not None:
        wanted.append(f"fields/StartedAt lt {_second(query.started_before, up=True)}")
    return " and ".join(wanted) or None


def _second(moment: datetime, *, up: bool) -> str:
    """The moment as a dateTime literal in whole seconds (rounded up with ``up``)."""
    at = moment.astimezone(UTC)
    if up and at.microsecond:
        at += timedelta(seconds=1)
    return odata_text(at.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _indexed_only(query: SummaryQuery) -> bool:
    """Whether :func:`_indexed` answers the whole query (who is to act and the viewer are
    read from the task rows)."""
    return query.stage_id is None and not query.text and (
        query.overdue is None or query.today is None or query.overdue) and (
        query.initiators is None or len(query.initiators) <= MAX_INITIATORS)


def _list_cursor(cursor: str, key: str) -> tuple[str, int, int]:
    """The ``$skiptoken`` (empty: the first items), how many of its items to pass over and
    the ``$top`` a cursor of :meth:`GraphDossierStore._list_page` holds."""
    data = decode_cursor(cursor)
    token, skip, top = data.get("t"), data.get("k"), data.get("n")
    if (data.get("q") != key or not isinstance(token, str) or not isinstance(skip, int)
            or not isinstance(top, int) or skip < 0 or not 0 < top <= MAX_TOP):
        raise BadCursor("This page cursor belongs to another query.")
    return token, skip, top


def _skiptoken(next_link: str | None) -> str | None:
    """The ``$skiptoken`` of an ``@odata.nextLink`` (None: no page follows)."""
    if not next_link:
        return None
    found = parse_qs(urlsplit(next_link).query).get("$skiptoken")
    if not found:
        raise GraphError(502, "badNextLink", "A next page link without a $skiptoken.")
    return found[0]
