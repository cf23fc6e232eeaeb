"""The contract of a ConversationStore: references, posted cards, unreachable people.

A backend subclasses :class:`ConversationStoreContract` and implements ``make_conversations``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from approvals.ports import CardCopy, ConversationRef, ConversationStore

TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"


def _ref(oid: str, conversation: str, tenant: str = TENANT) -> ConversationRef:
    reference = {"conversation": {"id": conversation}, "user": {"id": f"29:{oid}"},
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
