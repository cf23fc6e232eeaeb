"""The FlowRepository and ConversationStore contracts against Microsoft Graph: the Processtromen,
Gesprekken and Kaarten lists on the Graph test server, provisioned by ``graph.provision`` and
driven by the real msgraph-sdk over HTTP, also while about one request in ten fails; plus what
only the list adapters must get right (conditional writes that lose a race, throttling, what is
stored where)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from approvals.ports import CardCopy, ConversationStore, FlowRepository, FlowStatus
from graph.client import GraphConfig, GraphConnection, connect
from graph.conversations import KEEP_CARDS, GraphConversationStore
from graph.flows import GraphFlowRepository
from graph.provision import provision
from graph.schema import CARD_COPIES, CONVERSATIONS, FLOWS
from graph.site import site_path_id
from tests.contract.conversation_store_contract import ConversationStoreContract, _ref
from tests.contract.flow_repository_contract import AT, FlowRepositoryContract
from tests.support.contract_kit import ANNA, flow
from tests.support.graph_fixtures import DROPPED_ANSWERS, LOST_READS, fault_seed, one_in_ten_faults
from tests.support.graph_server import GraphServer

SITE = "https://contoso.sharepoint.com/sites/paraaf"


@dataclass
class ListsSite:
    server: GraphServer
    connection: GraphConnection
    site_id: str  # in path form, as the wiring addresses it


@pytest.fixture
async def lists_site(request: pytest.FixtureRequest) -> AsyncIterator[ListsSite]:
    async with GraphServer(seed=fault_seed(request.node.name)) as server:
        connection = connect(GraphConfig(auth="none", base_url=server.base_url, retry_delay=0))
        try:
            outcome = await provision(connection.graph, server.site.id)
            assert not outcome.problems
            server.stats.reset()
            yield ListsSite(server, connection, site_path_id(SITE))
        finally:
            await connection.close()


class OnListsSite:
    """Gives the test class the provisioned site as ``self.site``."""

    site: ListsSite

    @pytest.fixture(autouse=True)
    def _site(self, lists_site: ListsSite) -> None:
        self.site = lists_site


class WithFaults(OnListsSite):
    """About one request in ten fails once the lists are provisioned (see
    ``one_in_ten_faults``); a write or read may lose its answer after it was applied."""

    @pytest.fixture(autouse=True)
    def _faults(self, _site: None) -> None:
        one_in_ten_faults(self.site.server.faults,
                          dropped_answers={**DROPPED_ANSWERS, "DELETE": 0.05, **LOST_READS})


class GraphFlows(OnListsSite, FlowRepositoryContract):
    async def make_flows(self, tmp_path: Path) -> FlowRepository:
        return GraphFlowRepository(self.site.connection.graph, self.site.site_id)


class TestGraphFlowRepositoryUnderFaults(WithFaults, GraphFlows):
    """The FlowRepository contract while requests fail."""


class TestGraphFlowRepository(GraphFlows):
    async def test_a_version_is_one_item_with_typed_columns(self, flows: FlowRepository) -> None:
        await self._published(flows)
        [item] = self.site.server.items(FLOWS.title)
        assert (item["FlowKey"], item["FlowId"], item["FlowVersion"], item["Status"]) == (
            "melding@1", "melding", 1, "gepubliceerd")
        assert item["PublishedBy"] == ANNA.upn
        assert item["Body"] == flow("melding", 1)[1]

    async def test_a_status_change_that_loses_a_race_is_decided_again(
        self, flows: FlowRepository
    ) -> None:
        await flows.save(*flow("melding", 1))
        race = self.site.server.faults.race(path="*/fields")
        record = await flows.set_status("melding", 1, FlowStatus.PUBLISHED, ANNA, AT)
        assert race.fired == 1
        assert record == await flows.get("melding", 1)
        assert record.status is FlowStatus.PUBLISHED

    async def test_a_write_whose_answer_was_lost_is_not_made_twice(
        self, flows: FlowRepository
    ) -> None:
        server = self.site.server
        drops = [server.faults.drop_after(method="POST", path="/sites/*/items"),
                 server.faults.drop_after(method="PATCH", path="/sites/*/fields")]
        record = await self._published(flows)
        assert [rule.fired for rule in drops] == [1, 1]
        assert record == await flows.get("melding")
        [item] = server.items(FLOWS.title)
        assert item["Status"] == "gepubliceerd"

    async def test_writes_and_reads_that_never_arrived_are_sent_again(
        self, flows: FlowRepository
    ) -> None:
        server = self.site.server
        lost = [server.faults.drop_before(method="POST", path="/sites/*/items"),
                server.faults.drop_before(method="PATCH", path="/sites/*/fields"),
                server.faults.drop_before(method="GET", path="/sites/*/items", skip=2)]
        record = await self._published(flows)
        assert [rule.fired for rule in lost] == [1, 1, 1]
        assert record.status is FlowStatus.PUBLISHED
        assert record == await flows.get("melding")
        assert len(server.items(FLOWS.title)) == 1

    async def test_a_status_change_whose_answer_was_lost_is_not_refused(
        self, flows: FlowRepository
    ) -> None:
        """Applied, but unanswered: read again, the version is withdrawn already, and a
        change from withdrawn to withdrawn would be refused."""
        await self._published(flows)
        dropped = self.site.server.faults.drop_after(method="PATCH", path="/sites/*/fields")
        record = await flows.set_status("melding", 1, FlowStatus.WITHDRAWN, ANNA, AT)
        assert dropped.fired == 1
        assert record == await flows.get("melding", 1)
        assert record.status is FlowStatus.WITHDRAWN

    async def test_throttled_reads_and_writes_complete(self, flows: FlowRepository) -> None:
        server = self.site.server
        server.faults.throttle(retry_after=1, method="POST", path="/sites/*/items", times=1)
        server.faults.unavailable(method="GET", path="/sites/*/items", times=1)
        await self._published(flows)
        assert [r.status for r in await flows.list()] == [FlowStatus.PUBLISHED]
        assert self.site.connection.throttling.attempts == {429: 1, 503: 1}
        assert len(server.items(FLOWS.title)) == 1

    async def test_queries_use_indexed_columns_only(self, flows: FlowRepository) -> None:
        """The test server refuses a filter on a column without an index, as SharePoint does;
        on a list past the view threshold any such query fails."""
        self.site.server.config.list_view_threshold = 3
        for version in range(1, 6):
            await self._published(flows, version)
        found = await flows.get("melding")
        assert found is not None and found.version == 5
        assert len(await flows.list()) == 5


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
