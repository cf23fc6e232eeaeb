"""The contract of a ConversationStore: references, posted cards, unreachable people; run
against each backend: the in-memory fake, SQLite (local), and the Gesprekken and Kaarten lists
on the Graph test server (graph) as ``graph.provision`` makes them, driven by the real
msgraph-sdk over HTTP, also while about one request in ten fails; plus what only the list
adapter must get right.

A backend is a subclass of :class:`ConversationStoreContract` below that implements
``make_conversations``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from approvals.ports import CardCopy, ConversationRef, ConversationStore
from graph.conversations import KEEP_CARDS, GraphConversationStore
from graph.schema import CARD_COPIES, CONVERSATIONS
from local.conversations import SqliteConversationStore
from tests.support.fakes import InMemoryConversationStore
from tests.support.graph_fixtures import OnListsSite, WithFaults

TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"


def _ref(oid: str, conversation: str, tenant: str = TENANT) -> ConversationRef:
    reference: dict[str, object] = {
        "conversation": {"id": conversation}, "user": {"id": f"29:{oid}"},
        "serviceUrl": "http://127.0.0.1:9/_connector", "locale": "nl-NL"}
    return ConversationRef(oid, tenant, conversation, reference)


class ConversationStoreContract:
    async def make_conversations(self, tmp_path: Path) -> ConversationStore:
        raise NotImplementedError

    @pytest.fixture
    async def store(self, tmp_path: Path) -> ConversationStore:
        return await self.make_conversations(tmp_path)

    async def test_a_saved_reference_is_found_and_replaced(self, store: ConversationStore) -> None:
        assert await store.reference("u1") is None
        await store.save_reference(_ref("u1", "a:1"))
        assert await store.reference("u1") == _ref("u1", "a:1")
        await store.save_reference(_ref("u1", "a:2"))
        found = await store.reference("u1")
        assert found is not None and found.conversation_id == "a:2"
        assert found.reference["locale"] == "nl-NL"

    async def test_any_reference_is_of_the_tenant(self, store: ConversationStore) -> None:
        assert await store.any_reference(TENANT) is None
        await store.save_reference(_ref("u1", "a:1"))
        await store.save_reference(_ref("u2", "a:2", tenant="other-tenant"))
        found = await store.any_reference(TENANT)
        assert found is not None and found.tenant == TENANT
        assert await store.any_reference("third-tenant") is None

    async def test_cards_are_kept_in_order_once_the_first_and_the_latest_few(
        self, store: ConversationStore
    ) -> None:
        """The first card a person got about a dossier (the initiator's start card, the
        first task card) is kept with the latest ones, so it is brought up to date too."""
        for n in range(8):
            await store.record_card(CardCopy("D-1", "u1", "a:1", f"act-{n}"))
        await store.record_card(CardCopy("D-1", "u1", "a:1", "act-7"))  # again: no copy
        await store.record_card(CardCopy("D-1", "u2", "a:2", "act-x"))
        await store.record_card(CardCopy("D-2", "u1", "a:1", "act-y"))
        mine = [c.activity_id for c in await store.cards("D-1") if c.oid == "u1"]
        assert mine == ["act-0", "act-4", "act-5", "act-6", "act-7"]
        assert [c.oid for c in await store.cards("D-1")].count("u2") == 1
        assert await store.cards("D-3") == []

    async def test_unreachable_until_a_reference_arrives(self, store: ConversationStore) -> None:
        await store.mark_unreachable("u1", "app not installed")
        assert await store.unreachable() == {"u1": "app not installed"}
        await store.save_reference(_ref("u1", "a:1"))
        assert await store.unreachable() == {}


# --- the backends ------------------------------------------------------------------------------


class TestInMemoryConversationStore(ConversationStoreContract):
    async def make_conversations(self, tmp_path: Path) -> ConversationStore:
        return InMemoryConversationStore()


class TestSqliteConversationStore(ConversationStoreContract):
    async def make_conversations(self, tmp_path: Path) -> ConversationStore:
        return SqliteConversationStore(tmp_path / "paraaf.db")


class GraphConversations(OnListsSite, ConversationStoreContract):
    async def make_conversations(self, tmp_path: Path) -> ConversationStore:
        return GraphConversationStore(self.site.connection.graph, self.site.site_id)


class TestGraphConversationStoreUnderFaults(WithFaults, GraphConversations):
    """The ConversationStore contract while requests fail."""


class TestGraphConversationStore(GraphConversations):
    async def test_one_item_per_user_holds_reference_and_reason(
        self, store: ConversationStore
    ) -> None:
        await store.mark_unreachable("u1", "app not installed")
        await store.save_reference(_ref("u1", "a:1"))
        await store.save_reference(_ref("u1", "a:2"))
        [item] = self.site.server.items(CONVERSATIONS.title)
        assert (item["UserOid"], item["ConversationId"]) == ("u1", "a:2")
        assert "UnreachableReason" not in item  # cleared by the reference

    async def test_an_unreachable_user_keeps_their_reference(
        self, store: ConversationStore
    ) -> None:
        await store.save_reference(_ref("u1", "a:1"))
        await store.mark_unreachable("u1", "blocked the app")
        assert await store.unreachable() == {"u1": "blocked the app"}
        found = await store.reference("u1")
        assert found is not None and found.conversation_id == "a:1"

    async def test_a_long_conversation_id_is_kept_whole(self, store: ConversationStore) -> None:
        long_id = "a:1" + "x" * 200
        await store.record_card(CardCopy("D-1", "u1", long_id, "1690000000000"))
        await store.record_card(CardCopy("D-1", "u1", long_id, "1690000000000"))
        assert [c.conversation_id for c in await store.cards("D-1")] == [long_id]

    async def test_only_the_latest_cards_are_stored(self, store: ConversationStore) -> None:
        for n in range(KEEP_CARDS + 3):
            await store.record_card(CardCopy("D-1", "u1", "a:1", f"act-{n}"))
        assert len(self.site.server.items(CARD_COPIES.title)) == KEEP_CARDS

    async def test_creates_whose_answer_was_lost_are_made_once(
        self, store: ConversationStore
    ) -> None:
        server = self.site.server
        dropped = server.faults.drop_after(method="POST", path="/sites/*/items", times=2)
        await store.save_reference(_ref("u1", "a:1"))
        await store.record_card(CardCopy("D-1", "u1", "a:1", "act-1"))
        assert dropped.fired == 2
        assert await store.reference("u1") == _ref("u1", "a:1")
        assert [c.activity_id for c in await store.cards("D-1")] == ["act-1"]
        never = server.faults.drop_before(method="POST", path="/sites/*/items", times=2)
        await store.mark_unreachable("u2", "blocked the app")
        await store.record_card(CardCopy("D-1", "u1", "a:1", "act-2"))
        assert never.fired == 2
        assert await store.unreachable() == {"u2": "blocked the app"}
        assert [c.activity_id for c in await store.cards("D-1")] == ["act-1", "act-2"]
        assert len(server.items(CONVERSATIONS.title)) == 2
        assert len(server.items(CARD_COPIES.title)) == 2
