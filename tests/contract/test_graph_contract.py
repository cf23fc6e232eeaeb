"""The adapter contracts, run against the Microsoft 365 adapters on the Graph test server.

Every test gets a fresh server with the lists of ``graph.schema`` (the ``graph_site``
fixture); a class reads it as ``self.site`` through the autouse fixture of
:class:`OnGraphSite`. Add further adapters as classes below, in the same shape.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from approvals.ports import AnchorLog, Clock
from graph.anchors import GraphAnchorLog
from graph.dossier_store import GraphDossierStore
from tests.contract.anchor_log_contract import AnchorLogContract
from tests.contract.dossier_store_contract import DossierStoreContract, Store
from tests.support.graph_fixtures import GraphSite, graph_site
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS

pytestmark = SDK_IMPORT_DEPRECATIONS


@pytest.fixture
async def site(request: pytest.FixtureRequest) -> AsyncIterator[GraphSite]:
    """A fresh site per test, seeded by the test's name (faults differ from test to test)."""
    seed = zlib.crc32(request.node.name.encode("utf-8"))
    async with graph_site(seed=seed, retry_delay=0.05) as started:
        yield started


class OnGraphSite:
    """Gives the test class the running site as ``self.site``."""

    site: GraphSite

    @pytest.fixture(autouse=True)
    def _on_site(self, site: GraphSite) -> None:
        self.site = site


# --- DossierStore and Outbox -----------------------------------------------------------------


class TestGraphDossierStore(OnGraphSite, DossierStoreContract):
    max_batch = 50  # one append of max_batch + 3 events stays quick to roll forward

    async def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return GraphDossierStore(self.site.graph(), self.site.site_id, clock=clock,
                                 chain_batch=self.max_batch)

    async def open_peer(self, store: Store, tmp_path: Path, clock: Clock) -> Store:
        return await self.make_store(tmp_path, clock)


class TestGraphDossierStoreUnderFaults(TestGraphDossierStore):
    """The same promises while about one request in ten fails: throttled (429 with
    Retry-After 1), unavailable (503), dropped before or after it was applied, or a
    conditional write that loses a race."""

    @pytest.fixture(autouse=True)
    def _faults(self, site: GraphSite) -> None:
        faults = site.server.faults
        faults.throttle(retry_after=1, rate=0.005, times=None)
        faults.unavailable(rate=0.02, times=None)
        faults.drop_before(rate=0.03, times=None)
        faults.drop_after(method="POST", rate=0.04, times=None)
        faults.drop_after(method="PATCH", rate=0.06, times=None)
        faults.race(rate=0.12, times=None)  # only conditional writes can lose a race


# --- AnchorLog -----------------------------------------------------------------------------------


class TestGraphAnchorLog(OnGraphSite, AnchorLogContract):
    async def make_log(self, tmp_path: Path) -> AnchorLog:
        return GraphAnchorLog(self.site.graph(), self.site.site_id)

    async def open_peer(self, log: AnchorLog, tmp_path: Path) -> AnchorLog:
        return GraphAnchorLog(self.site.graph(), self.site.site_id)


class TestGraphAnchorLogUnderFaults(TestGraphAnchorLog):
    """The same promises while about one request in ten fails (as the dossier store's)."""

    @pytest.fixture(autouse=True)
    def _faults(self, site: GraphSite) -> None:
        faults = site.server.faults
        faults.throttle(retry_after=1, rate=0.005, times=None)
        faults.unavailable(rate=0.02, times=None)
        faults.drop_before(rate=0.03, times=None)
        faults.drop_after(method="POST", rate=0.2, times=None)
