"""The outbox on the Meldingen list: claim with a conditional write, lease, send, release.

A claim reads the rows that are due (``State eq 'pending' and NotBefore le now``, indexed),
then sets ClaimedBy, LeaseUntil and Attempts with ``If-Match``: a 412 means another worker
was first (or the row changed): the row is read again and taken only if it is still free.
A claim also moves NotBefore to the end of the lease, so a held row is not due until its
lease runs out (LeaseUntil is checked on read as well).

An idle instance does not run that query on every look: :meth:`ListOutbox.changes` asks a
delta query of the list (``items/delta``, following ``@odata.nextLink`` and keeping the
``@odata.deltaLink``) which rows changed since the last look, and the due rows are read and
claimed only when a change shows a pending row. With no delta link yet, or one the service
no longer knows (410 Gone), a new delta starts at the list's latest state and the caller
reads the due rows in full once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import quote

from approvals.ports import Clock, OutboxItem
from graph.dossier_rows import (
    DOSSIERS_LIST,
    HEAD_COLUMNS,
    NOTE_COLUMNS,
    OUTBOX_LIST,
    Pending,
    Row,
    notification_of,
    row,
)
from graph.list_requests import ListRequests, Part, checked, odata_number
from graph.lists import NotFound
from graph.rest import GraphError, GraphUnavailable

log = logging.getLogger("paraaf.outbox")

CLAIM_ROUNDS = 3
ERROR_MAX = 2000
DELTA_COLUMNS = ("State", "NotBefore", "LeaseUntil")
GONE = 410  # the service no longer has the changes since that token
# the service does not offer the delta query here (or not to this app): each look reads the
# due rows instead, as on a store without one
REFUSED = (400, 403, 404, 405, 501)

Recover = Callable[[list[Row]], Awaitable[None]]


class ListOutbox:
    """``Outbox`` over Meldingen; ``recover`` rolls forward dossiers whose commit was left
    half done (their notifications are not rows yet)."""

    def __init__(self, lists: ListRequests, clock: Clock, recover: Recover,
                 recover_after: float) -> None:
        self.lists = lists
        self.clock = clock
        self.recover = recover
        self.recover_after = recover_after
        self.delta_link: str | None = None  # where the changes since the last look are
        self.delta_refused = False

    async def changes(self) -> float | None:
        """Seconds until the soonest pending row among the changes since the last look is
        free (0: now); None when the changes hold no pending row. One request when nothing
        changed.

        Without a delta link (the first look, or after a 410) a new delta starts at the latest
        state and 0 is returned: what changed before it is found by reading the due rows.
        """
        if self.delta_refused:
            return 0.0
        try:
            if self.delta_link is None:
                await self._follow(await self._delta_start())
                return 0.0
            try:
                values = await self._follow(self.delta_link)
            except GraphError as error:
                if error.status != GONE:
                    raise
                self.delta_link = None
                await self._follow(await self._delta_start())
                return 0.0
        except GraphError as error:
            if error.status not in REFUSED:
                raise
            log.warning("no delta query of the outbox: each look reads the due rows",
                        extra={"status": error.status, "error": str(error)[:200]})
            self.delta_refused = True
            return 0.0
        now = self.clock.now().timestamp()
        soonest: float | None = None
        for value in values:
            if "@removed" in value or "deleted" in value:
                continue  # a row that is gone needs nothing
            fields = value.get("fields")
            if not isinstance(fields, dict):
                return 0.0  # a change without its columns: read the due rows to be sure
            if fields.get("State") != "pending":
                continue
            free_at = max(float(fields.get("NotBefore") or 0), float(fields.get("LeaseUntil")
                                                                     or 0))
            wait = max(0.0, free_at - now)
            soonest = wait if soonest is None else min(soonest, wait)
        return soonest

    async def _delta_start(self) -> str:
        expand = quote(f"fields(select={','.join(DELTA_COLUMNS)})", safe="(),=")
        return f"{await self.lists.items(OUTBOX_LIST)}/delta?token=latest&expand={expand}"

    async def _follow(self, url: str) -> list[dict[str, Any]]:
        """The changes at ``url`` and its next pages; keeps the delta link of the last one."""
        values: list[dict[str, Any]] = []
        next_url: str | None = url
        while next_url:
            page = await self.lists.call("outbox", "GET", next_url, idempotent=True) or {}
            values.extend(page.get("value", []))
            next_url = page.get("@odata.nextLink")
            if not next_url:
                self.delta_link = page.get("@odata.deltaLink")
        return values

    async def _due(self, now: float, top: int, *, sweep: bool) -> list[Row]:
        """Rows due for delivery, oldest first; with ``sweep`` stale commits are finished
        first (in the same round trip when there are none)."""
        due_url = await self.lists.query(
            OUTBOX_LIST, select=NOTE_COLUMNS, orderby="fields/NotBefore", top=top,
            filter=f"fields/State eq 'pending' and fields/NotBefore le {odata_number(now)}")
        parts = [Part("due", "GET", due_url)]
        if sweep:
            stale = now - self.recover_after
            parts.append(Part("stale", "GET", await self.lists.query(
                DOSSIERS_LIST, select=HEAD_COLUMNS, top=50,
                filter=f"fields/PendingSince gt 0 and fields/PendingSince le "
                       f"{odata_number(stale)}")))
        answers = checked(await self.lists.batch("claim", parts, idempotent=True))
        if sweep and answers["stale"].values():
            await self.recover([row(x) for x in answers["stale"].values()])
            return await self._due(now, top, sweep=False)
        rows = [row(x) for x in answers["due"].values()]
        free = [r for r in rows if float(r.fields.get("LeaseUntil") or 0) <= now]
        return sorted(free, key=lambda r: (float(r.fields.get("NotBefore") or 0), int(r.id)))

    async def claim(self, worker: str, limit: int, lease_seconds: float) -> Sequence[OutboxItem]:
        if limit <= 0:
            return []
        now = self.clock.now().timestamp()
        lease = now + lease_seconds
        candidates = await self._due(now, max(2 * limit, 20), sweep=True)
        order = {r.id: n for n, r in enumerate(candidates)}  # due first, then created first
        claimed: dict[str, OutboxItem] = {}
        tried: set[str] = set()
        for _ in range(CLAIM_ROUNDS):
            batch = [r for r in candidates if r.id not in tried][: limit - len(claimed)]
            if not batch:
                break
            tried.update(r.id for r in batch)
            answers = await self._take(batch, worker, lease)
            lost = [r for r in batch if answers[r.id] is None]
            for r in batch:
                item = answers[r.id]
                if item is not None:
                    claimed[r.id] = item
            for fresh in await self._reread(lost):
                if _free(fresh, now):  # the 412 came from another change: try again
                    tried.discard(fresh.id)
                    candidates = [fresh if c.id == fresh.id else c for c in candidates]
        return sorted(claimed.values(), key=lambda item: order[str(item.id)])

    async def _take(self, rows: list[Row], worker: str, lease: float
                    ) -> dict[str, OutboxItem | None]:
        """Conditional writes of the claim: the item for each row won, else None."""
        url = await self.lists.items(OUTBOX_LIST)
        parts = [Part(r.id, "PATCH", f"{url}/{r.id}/fields",
                      {"ClaimedBy": worker[:255], "LeaseUntil": lease, "NotBefore": lease,
                       "Attempts": int(r.fields.get("Attempts") or 0) + 1},
                      {"If-Match": r.etag}) for r in rows]
        try:
            answers = await self.lists.batch("claim", parts, idempotent=False)
        except GraphUnavailable:  # applied or not: what is stored now says which are ours
            fresh = {r.id: r for r in await self._reread(rows)}
            return {r.id: _item(fresh[r.id]) if r.id in fresh and _ours(fresh[r.id], worker, lease)
                    else None for r in rows}
        return {r.id: _item(row({"id": r.id, "fields": answers[r.id].body}))
                if answers[r.id].ok else None for r in rows}

    async def _reread(self, rows: list[Row]) -> list[Row]:
        if not rows:
            return []
        url = await self.lists.items(OUTBOX_LIST)
        select = ",".join(NOTE_COLUMNS)
        parts = [Part(r.id, "GET", f"{url}/{r.id}?expand=fields(select={select})") for r in rows]
        answers = await self.lists.batch("claim", parts, idempotent=True)
        return [row(answers[r.id].body) for r in rows if answers[r.id].ok]

    async def mark_sent(self, item_id: int | str) -> None:
        await self._set(str(item_id), {"State": "sent", "ClaimedBy": None, "LeaseUntil": None})

    async def release(self, item_id: int | str, error: str, retry_after: float) -> None:
        not_before = self.clock.now().timestamp() + max(retry_after, 0.0)
        await self._set(str(item_id), {"ClaimedBy": None, "LeaseUntil": None,
                                       "LastError": error[:ERROR_MAX], "NotBefore": not_before})

    async def hurry(self, item_ids: Sequence[int | str]) -> None:
        """NotBefore now; a held row stays held (a claim reads LeaseUntil too)."""
        now = self.clock.now().timestamp()
        for item_id in item_ids:
            await self._set(str(item_id), {"NotBefore": now})

    async def _set(self, item_id: str, fields: dict[str, Any]) -> None:
        with contextlib.suppress(NotFound):  # a row that is gone needs nothing more
            await self.lists.call("outbox", "PATCH",
                                  await self.lists.fields(OUTBOX_LIST, item_id), fields,
                                  idempotent=True)

    async def pending_count(self) -> int:
        """Rows not sent, plus notifications of commits whose rows are not written yet."""
        parts = [
            Part("p", "GET", await self.lists.query(
                DOSSIERS_LIST, select=("DossierId", "PendingEvents"),
                filter="fields/PendingSince gt 0")),
            Part("o", "GET", await self.lists.query(
                OUTBOX_LIST, select=("NotificationKey",), filter="fields/State eq 'pending'"),
                 depends_on=("p",)),
        ]
        answers = checked(await self.lists.batch("outbox", parts, idempotent=True))
        keys = {str(row(x).fields.get("NotificationKey"))
                for x in await self.lists.get_all("outbox", "", answers["o"])}
        for x in await self.lists.get_all("outbox", "", answers["p"]):
            keys |= {n.key for n in Pending.from_text(row(x).fields.get("PendingEvents")).notes}
        return len(keys)


def _free(r: Row, now: float) -> bool:
    f = r.fields
    return (f.get("State") == "pending" and float(f.get("NotBefore") or 0) <= now
            and float(f.get("LeaseUntil") or 0) <= now)


def _ours(r: Row, worker: str, lease: float) -> bool:
    f = r.fields
    held = float(f.get("LeaseUntil") or 0)
    return f.get("ClaimedBy") == worker[:255] and abs(held - lease) < 1e-3


def _item(r: Row) -> OutboxItem:
    return OutboxItem(r.id, notification_of(r.fields), int(r.fields.get("Attempts") or 0))
