"""Where the bot reaches people (list Gesprekken) and the cards it posted (list Kaarten).

Gesprekken has one item per user (``UserOid``, unique): the Bot Framework conversation
reference as JSON, its ``Tenant`` and ``UpdatedAt`` (when the reference was saved), and
``UnreachableReason`` while the bot cannot reach them. Saving a reference clears the reason.

Kaarten has one item per posted card, unique by ``CopyKey`` (a hash of conversation and
activity id, so recording a card twice stores it once); per dossier and user only the latest
:data:`KEEP_CARDS` are kept, in the order they were recorded (item ids only grow).
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
from graph.rest import Graph, GraphError
from graph.schema import CARD_COPIES, CONVERSATIONS

PEOPLE = CONVERSATIONS.title
CARDS = CARD_COPIES.title
KEEP_CARDS = 5  # per dossier and user: older copies are not updated any more
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
        items = await self.lists.query(PEOPLE, f"fields/UserOid eq {odata_text(oid)}", top=2)
        return next((i for i in items if i.fields.get("UserOid") == oid), None)

    async def _upsert(self, oid: str, fields: dict[str, Any]) -> None:
        """Set fields on the user's item, creating it when there is none (unconditional: the
        last write wins, as a reference or reason replaces the one before)."""
        for _ in range(3):
            found = await self._person(oid)
            try:
                if found is None:
                    await self.lists.create(PEOPLE, {"Title": oid, "UserOid": oid, **fields})
                else:
                    await self.lists.update(PEOPLE, found.id, fields)
                return
            except (Duplicate, NotFound):  # created, or deleted, by someone else just now
                continue
        raise GraphError(409, "conflict", f"The conversation item of {oid} keeps changing.")

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
        items = await self.lists.query(PEOPLE, f"fields/Tenant eq {odata_text(tenant)}",
                                       orderby="fields/UpdatedAt desc", top=20, limit=20)
        for item in items:
            ref = _ref(item)
            if ref is not None and ref.tenant == tenant:
                return ref
        return None

    async def record_card(self, copy: CardCopy) -> None:
        try:
            await self.lists.create(CARDS, {
                "Title": copy.dossier_id,
                "CopyKey": copy_key(copy.conversation_id, copy.activity_id),
                "DossierId": copy.dossier_id, "UserOid": copy.oid,
                "ConversationId": copy.conversation_id, "ActivityId": copy.activity_id,
            })
        except Duplicate:
            pass  # recorded before: keep the one copy
        except GraphError:  # refused otherwise, or no answer: stored after all?
            key = copy_key(copy.conversation_id, copy.activity_id)
            if not await self.lists.query(CARDS, f"fields/CopyKey eq {odata_text(key)}", top=1,
                                          limit=1):
                raise
        filter = (f"fields/DossierId eq {odata_text(copy.dossier_id)} and "
                  f"fields/UserOid eq {odata_text(copy.oid)}")
        mine = [i for i in await self.lists.query(CARDS, filter)
                if i.fields.get("DossierId") == copy.dossier_id
                and i.fields.get("UserOid") == copy.oid]
        for old in _by_id(mine)[:-KEEP_CARDS]:
            with contextlib.suppress(NotFound):  # pruned by a concurrent call
                await self.lists.delete(CARDS, old.id)

    async def cards(self, dossier_id: str) -> Sequence[CardCopy]:
        items = await self.lists.query(CARDS, f"fields/DossierId eq {odata_text(dossier_id)}")
        return [_card(i) for i in _by_id(items) if i.fields.get("DossierId") == dossier_id]

    async def mark_unreachable(self, oid: str, reason: str) -> None:
        await self._upsert(oid, {"UnreachableReason": reason[:MAX_REASON] or "unreachable"})

    async def unreachable(self) -> dict[str, str]:
        """Reads every item's two small columns: the reason cannot be indexed (multiple lines
        of text), so it cannot be filtered on."""
        path = (await self.lists.items_path(PEOPLE)
                + "?expand=fields(select=UserOid,UnreachableReason)&$top=500")
        rows = await self.lists.graph.get_all(path)
        found = {}
        for row in rows:
            fields = row.get("fields") or {}
            if fields.get("UnreachableReason") and fields.get("UserOid"):
                found[str(fields["UserOid"])] = str(fields["UnreachableReason"])
        return found
