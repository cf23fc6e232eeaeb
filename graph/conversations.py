"""Where the bot reaches people (list Gesprekken) and the cards it posted (list Kaarten).

Gesprekken has one item per user (``UserOid``, unique): the Bot Framework conversation
reference as JSON, its ``Tenant`` and ``UpdatedAt`` (when the reference was saved), and
``UnreachableReason`` while the bot cannot reach them. Saving a reference clears the reason.

Kaarten has one item per posted card, unique by ``CopyKey`` (a hash of conversation and
activity id, so recording a card twice stores it once); per dossier and user only the first
(such as the start card) and the latest make :data:`KEEP_CARDS`, in the order they were
recorded (item ids only grow).

A dropped connection (:mod:`graph.retry`): reads, updates of a user's item (the same values
again) and deletes by id are sent again; a create is made again only after a re-read found
it missing, and a 409 on the unique column then means it was stored after all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from approvals.ports import CardCopy, ConversationRef
from graph.lists import Duplicate, Item, NotFound, SiteLists, odata_text
from graph.rest import Graph, GraphError, GraphUnavailable
from graph.retry import ATTEMPTS, retry_idempotent, retry_write
from graph.schema import CARD_COPIES, CONVERSATIONS

PEOPLE = CONVERSATIONS.title
CARDS = CARD_COPIES.title
KEEP_CARDS = 5  # per dossier and user: the first and the latest; others are not updated
MAX_REASON = 500


def copy_key(conversation_id: str, activity_id: str) -> str:
    return hashlib.sha256(f"{conversation_id}\n{activity_id}".encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ref(item: Item) -> ConversationRef | None:
    raw = item.fields.get("Reference")
    if not raw:
        return None
    return ConversationRef(str(item.fields.get("UserOid") or ""),
                           str(item.fields.get("Tenant") or ""),
                           str(item.fields.get("ConversationId") or ""), json.loads(raw))


def _card(item: Item) -> CardCopy:
    f = item.fields
    return CardCopy(str(f.get("DossierId") or ""), str(f.get("UserOid") or ""),
                    str(f.get("ConversationId") or ""), str(f.get("ActivityId") or ""))


def _by_id(items: Sequence[Item]) -> list[Item]:
    return sorted(items, key=lambda item: int(item.id))


class GraphConversationStore:
    """``ConversationStore`` over the Gesprekken and Kaarten lists of one site."""

    def __init__(self, graph: Graph, site_id: str) -> None:
        self.lists = SiteLists(graph, site_id)

    async def _person(self, oid: str) -> Item | None:
        async def find() -> Item | None:
            items = await self.lists.query(PEOPLE, f"fields/UserOid eq {odata_text(oid)}", top=2)
            return next((i for i in items if i.fields.get("UserOid") == oid), None)

        return await retry_idempotent(find)

    async def _upsert(self, oid: str, fields: dict[str, Any]) -> None:
        """Set fields on the user's item, creating it when there is none (unconditional: the
        last write wins, as a reference or reason replaces the one before). Each try reads the
        item first, so a create whose answer was lost is not made twice."""
        failure: GraphError = GraphError(
            409, "conflict", f"The conversation item of {oid} keeps changing.")
        for _ in range(ATTEMPTS):
            found = await self._person(oid)
            if found is not None and isinstance(failure, GraphUnavailable) and all(
                    found.fields.get(name) == value for name, value in fields.items()):
                return  # the write whose answer was lost is in place
            try:
                if found is None:
                    await self.lists.create(PEOPLE, {"Title": oid, "UserOid": oid, **fields})
                else:
                    await self.lists.update(PEOPLE, found.id, fields)
                return
            except (Duplicate, NotFound, GraphUnavailable) as error:
                failure = error  # created or deleted by someone else just now, or no answer
                continue
        raise failure

    async def save_reference(self, ref: ConversationRef) -> None:
        await self._upsert(ref.oid, {
            "Tenant": ref.tenant, "ConversationId": ref.conversation_id,
            "Reference": json.dumps(ref.reference, separators=(",", ":")),
            "UnreachableReason": None, "UpdatedAt": _now(),
        })

    async def reference(self, oid: str) -> ConversationRef | None:
        found = await self._person(oid)
        return None if found is None else _ref(found)

    async def any_reference(self, tenant: str) -> ConversationRef | None:
        items = await retry_idempotent(lambda: self.lists.query(
            PEOPLE, f"fields/Tenant eq {odata_text(tenant)}", orderby="fields/UpdatedAt desc",
            top=20, limit=20))
        for item in items:
            ref = _ref(item)
            if ref is not None and ref.tenant == tenant:
                return ref
        return None

    async def record_card(self, copy: CardCopy) -> None:
        key = copy_key(copy.conversation_id, copy.activity_id)

        async def create() -> bool:
            # a 409: recorded before (the key is of this very card), keep the one copy
            with contextlib.suppress(Duplicate):
                await self.lists.create(CARDS, {
                    "Title": copy.dossier_id, "CopyKey": key, "DossierId": copy.dossier_id,
                    "UserOid": copy.oid, "ConversationId": copy.conversation_id,
                    "ActivityId": copy.activity_id,
                })
            return True

        async def stored() -> bool | None:
            found = await self.lists.query(CARDS, f"fields/CopyKey eq {odata_text(key)}",
                                           top=1, limit=1)
            return True if found else None

        try:
            await retry_write(create, stored)
        except GraphUnavailable:
            raise
        except GraphError:  # refused otherwise: stored after all?
            if not await retry_idempotent(stored):
                raise
        filter = (f"fields/DossierId eq {odata_text(copy.dossier_id)} and "
                  f"fields/UserOid eq {odata_text(copy.oid)}")
        mine = [i for i in await retry_idempotent(lambda: self.lists.query(CARDS, filter))
                if i.fields.get("DossierId") == copy.dossier_id
                and i.fields.get("UserOid") == copy.oid]
        for old in _by_id(mine)[1:-(KEEP_CARDS - 1)]:  # keep the first and the latest
            await self._delete_card(old.id)

    async def _delete_card(self, item_id: str) -> None:
        async def delete() -> None:
            with contextlib.suppress(NotFound):  # pruned by a concurrent call, or by this one
                await self.lists.delete(CARDS, item_id)

        await retry_idempotent(delete)

    async def cards(self, dossier_id: str) -> Sequence[CardCopy]:
        items = await retry_idempotent(lambda: self.lists.query(
            CARDS, f"fields/DossierId eq {odata_text(dossier_id)}"))
        return [_card(i) for i in _by_id(items) if i.fields.get("DossierId") == dossier_id]

    async def mark_unreachable(self, oid: str, reason: str) -> None:
        await self._upsert(oid, {"UnreachableReason": reason[:MAX_REASON] or "unreachable"})

    async def unreachable(self) -> dict[str, str]:
        """Reads every item's two small columns: the reason cannot be indexed (multiple lines
        of text), so it cannot be filtered on."""
        path = (await retry_idempotent(lambda: self.lists.items_path(PEOPLE))
                + "?expand=fields(select=UserOid,UnreachableReason)&$top=500")
        rows = await retry_idempotent(lambda: self.lists.graph.get_all(path))
        found = {}
        for row in rows:
            fields = row.get("fields") or {}
            if fields.get("UnreachableReason") and fields.get("UserOid"):
                found[str(fields["UserOid"])] = str(fields["UnreachableReason"])
        return found
