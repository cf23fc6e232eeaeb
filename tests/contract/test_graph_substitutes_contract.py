"""The SubstituteStore contract against Microsoft Graph: the Vervangers list on the Graph test
server, provisioned by ``graph.provision`` and driven by the real msgraph-sdk over HTTP, also
while about one request in ten fails."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from approvals.substitutes import SubstituteStore
from graph.client import GraphConfig, GraphConnection, connect
from graph.provision import provision
from graph.schema import SUBSTITUTES
from graph.site import site_path_id
from graph.substitutes import GraphSubstituteStore
from tests.contract.substitute_store_contract import (
    HANNEKE,
    SubstituteStoreContract,
    _absence,
)
from tests.support.graph_fixtures import DROPPED_ANSWERS, LOST_READS, fault_seed, one_in_ten_faults
from tests.support.graph_server import GraphServer

SITE = "https://contoso.sharepoint.com/sites/paraaf"


@dataclass
class ListsSite:
    server: GraphServer
    connection: GraphConnection
    site_id: str


@pytest.fixture
async def lists_site(request: pytest.FixtureRequest) -> AsyncIterator[ListsSite]:
    async with GraphServer(seed=fault_seed(request.node.name)) as server:
        connection = connect(GraphConfig(auth="none", base_url=server.base_url, retry_delay=0))
        try:
            outcome = await provision(connection.graph, server.site.id)
            assert not outcome.problems
            yield ListsSite(server, connection, site_path_id(SITE))
        finally:
            await connection.close()


class GraphSubstitutes(SubstituteStoreContract):
    site: ListsSite

    @pytest.fixture(autouse=True)
    def _site(self, lists_site: ListsSite) -> None:
        self.site = lists_site

    async def make_substitutes(self, tmp_path: Path) -> SubstituteStore:
        return GraphSubstituteStore(self.site.connection.graph, self.site.site_id)


class TestGraphSubstituteStore(GraphSubstitutes):
    async def test_a_period_is_one_item_with_indexed_columns(
        self, store: SubstituteStore
    ) -> None:
        await store.add(_absence("a1", HANNEKE, "2026-12-01", "2026-12-14"))
        [item] = self.site.server.items(SUBSTITUTES.title)
        assert (item["AbsenceId"], item["PersonOid"], item["StartDate"], item["EndDate"]) == (
            "a1", HANNEKE.oid, "2026-12-01", "2026-12-14")

    async def test_an_add_whose_answer_was_lost_is_stored_once(
        self, store: SubstituteStore
    ) -> None:
        drop = self.site.server.faults.drop_after(method="POST", path="/sites/*/items")
        await store.add(_absence("a1", HANNEKE, "2026-12-01", "2026-12-14"))
        assert drop.fired == 1
        assert len(self.site.server.items(SUBSTITUTES.title)) == 1


class TestGraphSubstituteStoreUnderFaults(GraphSubstitutes):
    """The contract while about one request in ten fails."""

    @pytest.fixture(autouse=True)
    def _faults(self, _site: None) -> None:
        one_in_ten_faults(self.site.server.faults,
                          dropped_answers={**DROPPED_ANSWERS, "DELETE": 0.05, **LOST_READS})
