"""The commit protocol of a dossier on SharePoint lists (DESIGN.md section 4).

Invariant: every committed event is a Dossiergebeurtenissen item, or is in the PendingEvents
of its Dossiers item, or both. Readers take the items plus the pending events.

1. The commit point is one conditional write of the Dossiers item (``If-Match``; a new
   dossier: its create, DossierId unique): Version, projection, and PendingEvents = the
   pending events it had that are not known to be written, plus the new events and their
   notifications. The eTag covers what is carried over, so nothing pending is ever lost.
2. Roll forward: create the event items (EventId and SeqKey unique), the Meldingen items
   (NotificationKey unique) and the Dossiertaken changes in one ``$batch``; its last part
   clears PendingEvents with ``If-Match`` and runs only after the creates (``dependsOn``).
   An item that exists already counts as written; a lost clear means another writer moved
   on (it carries what is left over).

After a dropped connection the commit re-reads the Dossiers item: its head hash tells whether
the write was applied; if the item did not move it is written again, else it is a conflict.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from approvals.errors import ConcurrencyConflict, InvalidInput
from approvals.events import Event
from approvals.ports import Clock
from approvals.readmodels import DossierSummary
from graph.dossier_rows import (
    DOSSIERS_LIST,
    EVENT_COLUMNS,
    EVENTS_LIST,
    HEAD_COLUMNS,
    OUTBOX_LIST,
    TASK_COLUMNS,
    TASKS_LIST,
    Note,
    Pending,
    Row,
    TaskRows,
    dossier_fields,
    event_fields,
    key_text,
    note_fields,
    row,
    summary_of,
    task_fields,
    wanted_tasks,
)
from graph.list_requests import BATCH_LIMIT, ListRequests, Part, odata_number, odata_text
from graph.lists import Duplicate, PreconditionFailed
from graph.rest import GraphError, GraphUnavailable

log = logging.getLogger("paraaf.graph")

COMMIT_ATTEMPTS = 4
ROLL_ROUNDS = 4


class BrokenLog(GraphError):
    """Another event holds this position of the dossier's log: the lists were changed by hand."""


@dataclass(frozen=True)
class Head:
    """A Dossiers item as last read or written: where the next commit starts from."""

    dossier_id: str
    item_id: str
    etag: str
    version: int
    head_hash: str
    pending: Pending
    pending_since: float | None
    summary: DossierSummary | None


def head_of(item: Row) -> Head:
    f = item.fields
    since = f.get("PendingSince")
    return Head(str(f["DossierId"]), item.id, item.etag, int(f.get("Version") or 0),
                str(f.get("HeadHash") or ""), Pending.from_text(f.get("PendingEvents")),
                float(since) if since else None, summary_of(f))


class Written:
    """Events (by dossier and id) and notifications (by key) known to be written as items;
    bounded memory."""

    def __init__(self, size: int = 20_000) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def _add(self, key: str) -> None:
        self._keys[key] = None
        self._keys.move_to_end(key)
        if len(self._keys) > self._size:
            self._keys.popitem(last=False)

    def add_event(self, event: Event) -> None:
        self._add(f"event\n{event.dossier_id}\n{event.event_id}")

    def add_note(self, note: Note) -> None:
        self._add(f"note\n{note.key}")

    def has_event(self, event: Event) -> bool:
        return f"event\n{event.dossier_id}\n{event.event_id}" in self._keys

    def has_note(self, note: Note) -> bool:
        return f"note\n{note.key}" in self._keys

    def unwritten(self, pending: Pending) -> Pending:
        return Pending(tuple(e for e in pending.events if not self.has_event(e)),
                       tuple(n for n in pending.notes if not self.has_note(n)))


class Commits:
    """Commit and roll forward dossiers on one site."""

    def __init__(self, lists: ListRequests, clock: Clock) -> None:
        self.lists = lists
        self.clock = clock
        self.written = Written()
        # (dossier id, event id) -> its EventId column value, when the id is taken elsewhere
        self._event_ids: dict[tuple[str, str], str] = {}

    async def head_query(self, dossier_id: str) -> str:
        return await self.lists.query(DOSSIERS_LIST, select=HEAD_COLUMNS, top=5,
                                      filter=f"fields/DossierId eq {odata_text(dossier_id)}")

    async def read_head(self, dossier_id: str, op: str) -> Head | None:
        data = await self.lists.call(op, "GET", await self.head_query(dossier_id),
                                     idempotent=True)
        return exact_head((data or {}).get("value", []), dossier_id)

    async def task_query(self, dossier_id: str) -> str:
        return await self.lists.query(TASKS_LIST, select=TASK_COLUMNS, top=500,
                                      filter=f"fields/DossierId eq {odata_text(dossier_id)}")

    # --- the commit point ----------------------------------------------------------------------

    async def commit(self, head: Head | None, dossier_id: str, expected: int,
                     events: Sequence[Event], summary: DossierSummary,
                     notes: Sequence[Note]) -> Head:
        """Write the commit point; raises ConcurrencyConflict if the dossier moved on."""
        if expected == 0:
            return await self._create(dossier_id, events, summary, notes)
        assert head is not None and head.version == expected and head.etag  # never unconditional
        for attempt in range(COMMIT_ATTEMPTS):
            pending, since, fields = self._commit_fields(head, events, summary, notes)
            url = await self.lists.fields(DOSSIERS_LIST, head.item_id)
            try:
                data = await self.lists.call("commit", "PATCH", url, fields,
                                             {"If-Match": head.etag}, idempotent=False)
                return Head(dossier_id, head.item_id, str(data.get("@odata.etag") or ""),
                            summary.version, summary.head_hash, pending, since, summary)
            except PreconditionFailed:
                unreachable = False
            except GraphUnavailable:
                unreachable = True
            current = await self.read_head(dossier_id, "commit")  # re-read before writing again
            if current is not None and _holds(current, events):
                return current  # our write was applied (the answer was lost)
            if current is None or current.version != expected:
                raise ConcurrencyConflict(dossier_id, expected)
            if unreachable and attempt == COMMIT_ATTEMPTS - 1:
                raise GraphUnavailable(0, "unavailable", "The commit could not be sent.")
            head = current  # only its eTag moved (pending cleared), or nothing was applied
            if not head.etag:
                raise ConcurrencyConflict(dossier_id, expected)
        raise ConcurrencyConflict(dossier_id, expected)

    def _commit_fields(self, head: Head | None, events: Sequence[Event],
                       summary: DossierSummary, notes: Sequence[Note]
                       ) -> tuple[Pending, float, dict[str, Any]]:
        carried = self.written.unwritten(head.pending) if head else Pending()
        pending = Pending(carried.events + tuple(events), carried.notes + tuple(notes))
        now = self.clock.now().timestamp()
        since = head.pending_since if head and carried and head.pending_since else now
        fields = {**dossier_fields(summary), "PendingEvents": pending.to_text(),
                  "PendingSince": since}
        return pending, since, fields

    async def _create(self, dossier_id: str, events: Sequence[Event], summary: DossierSummary,
                      notes: Sequence[Note]) -> Head:
        pending, since, fields = self._commit_fields(None, events, summary, notes)
        url = await self.lists.items(DOSSIERS_LIST)
        for attempt in range(COMMIT_ATTEMPTS):
            try:
                item = row(await self.lists.call("commit", "POST", url, {"fields": fields},
                                                 idempotent=False))
                return Head(dossier_id, item.id, item.etag, summary.version, summary.head_hash,
                            pending, since, summary)
            except Duplicate:
                current = await self.read_head(dossier_id, "commit")
                if current is not None and _holds(current, events):
                    return current
                if current is None:  # unique columns ignore case: no retry can succeed
                    raise InvalidInput(f"Dossier id '{dossier_id}' differs only in upper and "
                                       "lower case from a stored one.") from None
                raise ConcurrencyConflict(dossier_id, 0) from None
            except GraphUnavailable:
                current = await self.read_head(dossier_id, "commit")
                if current is not None:
                    if _holds(current, events):
                        return current
                    raise ConcurrencyConflict(dossier_id, 0) from None
                if attempt == COMMIT_ATTEMPTS - 1:
                    raise  # not applied, and the service stays unreachable
        raise ConcurrencyConflict(dossier_id, 0)

    # --- roll forward ------------------------------------------------------------------------

    async def roll_forward(self, head: Head, tasks: TaskRows | None
                           ) -> tuple[Head, TaskRows]:
        """Write the head's pending batch as items, sync its tasks, then clear it.

        Idempotent, and safe to run by several writers at once. Returns the head after it
        (still pending when the writes did not all succeed: readers see the events anyway)
        and the dossier's task rows (read first when ``tasks`` is None).
        """
        if tasks is None:
            data = await self.lists.call("roll_forward", "GET",
                                         await self.task_query(head.dossier_id),
                                         idempotent=True)
            tasks = TaskRows.of([row(x) for x in (data or {}).get("value", [])],
                                head.dossier_id)
        for _ in range(ROLL_ROUNDS):
            parts, meaning = await self._writes(head, tasks)
            clear = None
            if len(parts) < BATCH_LIMIT and head.etag:  # the clear is never unconditional
                needed = tuple(p.id for p in parts if p.method != "DELETE")
                url = await self.lists.fields(DOSSIERS_LIST, head.item_id)
                clear = Part("clear", "PATCH", url, {"PendingEvents": None, "PendingSince": None},
                             {"If-Match": head.etag}, needed)
            answers = await self.lists.batch("roll_forward", [*parts, *([clear] if clear else [])],
                                             idempotent=True)
            taken = self._absorb(parts, meaning, answers, tasks, head.dossier_id)
            if taken:
                await self._settle(head.dossier_id, taken)
            if clear is None:
                if not head.etag and not parts:
                    return head, tasks
                continue
            answer = answers["clear"]
            if answer.ok:
                return replace(head, etag=str((answer.body or {}).get("@odata.etag") or ""),
                               pending=Pending(), pending_since=None), tasks
            if answer.status == 412:
                # Another writer committed (and carries what is not written) or cleared it
                # already. Anything else that changed the item leaves the batch pending for
                # the next writer or the outbox's sweep: readers see it either way.
                return replace(head, etag=""), tasks
        log.warning("roll-forward unfinished", extra={"dossier": head.dossier_id})
        return head, tasks

    async def _writes(self, head: Head, tasks: TaskRows
                      ) -> tuple[list[Part], dict[str, tuple[str, Any]]]:
        parts: list[Part] = []
        meaning: dict[str, tuple[str, Any]] = {}
        events_url = await self.lists.items(EVENTS_LIST)
        for n, event in enumerate(head.pending.events):
            if not self.written.has_event(event):
                column = self._event_ids.get((event.dossier_id, event.event_id))
                parts.append(Part(f"e{n}", "POST", events_url,
                                  {"fields": event_fields(event, column)}))
                meaning[f"e{n}"] = ("event", event)
        notes_url = await self.lists.items(OUTBOX_LIST)
        for n, note in enumerate(head.pending.notes):
            if not self.written.has_note(note):
                parts.append(Part(f"n{n}", "POST", notes_url, {"fields": note_fields(note)}))
                meaning[f"n{n}"] = ("note", note)
        tasks_url = await self.lists.items(TASKS_LIST)
        wanted = wanted_tasks(head.summary)
        for n, (oid, due) in enumerate(sorted(wanted.items())):
            have = tasks.rows.get(oid)
            if have is None:
                body = {"fields": task_fields(head.dossier_id, oid, due)}
                parts.append(Part(f"t{n}", "POST", tasks_url, body))
            elif have[1] != due and have[0]:
                parts.append(Part(f"t{n}", "PATCH", f"{tasks_url}/{have[0]}/fields",
                                  {"DueDate": task_fields(head.dossier_id, oid, due)["DueDate"]}))
            else:
                continue
            meaning[f"t{n}"] = ("task", (oid, due))
        for n, (oid, (item_id, _)) in enumerate(sorted(tasks.rows.items())):
            if oid not in wanted and item_id:  # an id unknown here: left for a later sync
                parts.append(Part(f"d{n}", "DELETE", f"{tasks_url}/{item_id}"))
                meaning[f"d{n}"] = ("gone", oid)
        return parts, meaning

    def _absorb(self, parts: Sequence[Part], meaning: dict[str, tuple[str, Any]],
                answers: dict[str, Any], tasks: TaskRows, dossier_id: str) -> list[Event]:
        """Record what the batch did; returns the events whose create met a duplicate."""
        taken: list[Event] = []
        for part in parts:
            answer = answers[part.id]
            kind, value = meaning[part.id]
            status = answer.status
            if kind == "event" and answer.ok:
                self.written.add_event(value)
            elif kind == "event" and status == 409:
                taken.append(value)
            elif kind == "note" and (answer.ok or status == 409):
                self.written.add_note(value)
            elif kind == "task" and part.method == "POST" and (answer.ok or status == 409):
                item_id = str((answer.body or {}).get("id") or "") if answer.ok else ""
                tasks.rows[value[0]] = (item_id, value[1]) if item_id else ("", value[1])
            elif kind == "task" and answer.ok:
                tasks.rows[value[0]] = (tasks.rows[value[0]][0], value[1])
            elif kind == "task" and status == 404:
                tasks.rows.pop(value[0], None)  # gone meanwhile: created in the next round
            elif kind == "gone" and (answer.ok or status == 404):
                tasks.rows.pop(value, None)
            elif status not in (424, 429, 503, 504) and not answer.ok:
                raise answer.error()
        return taken

    async def _settle(self, dossier_id: str, taken: list[Event]) -> None:
        """An event create met a duplicate: written already, or its id is taken elsewhere."""
        low, high = min(e.seq for e in taken), max(e.seq for e in taken)
        query = await self.lists.query(
            EVENTS_LIST, select=EVENT_COLUMNS, orderby="fields/Seq",
            filter=f"fields/DossierId eq {odata_text(dossier_id)} and fields/Seq ge "
                   f"{odata_number(low)} and fields/Seq le {odata_number(high)}")
        found = await self.lists.get_all("roll_forward", query)
        stored = {int(f["Seq"]): f for f in (row(x).fields for x in found)
                  if f.get("DossierId") == dossier_id}
        for event in taken:
            there = stored.get(event.seq)
            if there is not None and there.get("Hash") == event.hash:
                self.written.add_event(event)
            elif there is not None:
                raise BrokenLog(409, "brokenLog", f"Dossier '{dossier_id}' holds another event "
                                f"at position {event.seq} than the one committed there.")
            else:
                # The id was recorded in another dossier between the check and the commit (a
                # reused command id). The event is committed here: store it under a unique
                # EventId column value; its record keeps the real id.
                self._event_ids[(dossier_id, event.event_id)] = key_text(
                    f"{event.event_id}#{dossier_id}#{event.seq}")
                log.warning("event id used in two dossiers",
                            extra={"dossier": dossier_id, "event": event.event_id})


def exact_head(values: list[dict[str, Any]], dossier_id: str) -> Head | None:
    """The Dossiers item of exactly this id (text filters ignore case)."""
    for value in values:
        item = row(value)
        if item.fields.get("DossierId") == dossier_id:
            return head_of(item)
    return None


def _holds(head: Head, events: Sequence[Event]) -> bool:
    """Whether the Dossiers item is at exactly the commit of these events."""
    return head.version == events[-1].seq and head.head_hash == events[-1].hash
