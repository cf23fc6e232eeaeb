"""What every FlowRepository promises: versions, statuses, and a published version never changes;
run against each backend: the in-memory fake, SQLite (local), and the Processtromen list on the
Graph test server (graph) as ``graph.provision`` makes it, driven by the real msgraph-sdk over
HTTP, also while about one request in ten fails; plus what only the list adapter must get right
(conditional writes that lose a race, throttling, what is stored where).

A backend is a subclass of :class:`FlowRepositoryContract` below that implements ``make_flows``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from approvals.errors import InvalidInput, UnknownFlow
from approvals.ports import FlowRecord, FlowRepository, FlowStatus
from graph.flows import GraphFlowRepository
from graph.schema import FLOWS
from local.flows import SqliteFlowRepository
from tests.support.contract_kit import ANNA, CHRIS, flow
from tests.support.fakes import InMemoryFlowRepository
from tests.support.graph_fixtures import OnListsSite, WithFaults

PUBLISHED, WITHDRAWN, CONCEPT = FlowStatus.PUBLISHED, FlowStatus.WITHDRAWN, FlowStatus.CONCEPT
AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


class FlowRepositoryContract:
    async def make_flows(self, tmp_path: Path) -> FlowRepository:
        raise NotImplementedError

    @pytest.fixture
    async def flows(self, tmp_path: Path) -> AsyncIterator[FlowRepository]:
        repository = await self.make_flows(tmp_path)
        yield repository
        close = getattr(repository, "close", None)
        if close is not None:
            close()

    async def _published(self, flows: FlowRepository, version: int = 1,
                         flow_id: str = "melding") -> FlowRecord:
        definition, source = flow(flow_id, version)
        await flows.save(definition, source)
        return await flows.set_status(flow_id, version, PUBLISHED, ANNA, AT)

    async def test_a_saved_flow_is_a_concept(self, flows: FlowRepository) -> None:
        definition, source = flow("melding", 1)
        record = await flows.save(definition, source)
        assert record == FlowRecord("melding", 1, "Melding aan het college", CONCEPT, source)
        assert await flows.get("melding", 1) == record
        assert await flows.get("melding") is None  # nothing published yet

    async def test_a_concept_can_be_replaced(self, flows: FlowRepository) -> None:
        await flows.save(*flow("melding", 1))
        definition, source = flow("melding", 1, title="Melding (herzien)")
        record = await flows.save(definition, source)
        assert (record.title, record.source, record.status) == ("Melding (herzien)", source,
                                                                 CONCEPT)
        assert await flows.get("melding", 1) == record

    async def test_publishing_records_who_and_when(self, flows: FlowRepository) -> None:
        record = await self._published(flows)
        assert record.status is PUBLISHED
        assert record.published_by == ANNA.upn
        assert datetime.fromisoformat(record.published_at) == AT
        assert await flows.get("melding") == record
        assert await flows.get("melding", 1) == record

    async def test_a_published_version_cannot_change(self, flows: FlowRepository) -> None:
        record = await self._published(flows)
        definition, source = flow("melding", 1, title="Iets anders")
        with pytest.raises(InvalidInput, match="raise the version number"):
            await flows.save(definition, source)
        assert await flows.get("melding", 1) == record

    async def test_saving_the_same_published_text_changes_nothing(
        self, flows: FlowRepository
    ) -> None:
        record = await self._published(flows)
        assert await flows.save(*flow("melding", 1)) == record
        assert await flows.get("melding", 1) == record

    async def test_a_withdrawn_version_cannot_change(self, flows: FlowRepository) -> None:
        await self._published(flows)
        await flows.set_status("melding", 1, WITHDRAWN, CHRIS, AT)
        with pytest.raises(InvalidInput, match="raise the version number"):
            await flows.save(*flow("melding", 1, title="Iets anders"))

    async def test_get_without_version_is_the_highest_published(
        self, flows: FlowRepository
    ) -> None:
        await self._published(flows, 1)
        two = await self._published(flows, 2)
        await flows.save(*flow("melding", 3))
        await self._published(flows, 7, flow_id="ander")
        assert await flows.get("melding") == two
        await flows.set_status("melding", 2, WITHDRAWN, CHRIS, AT)
        found = await flows.get("melding")
        assert found is not None and found.version == 1
        await flows.set_status("melding", 1, WITHDRAWN, CHRIS, AT)
        assert await flows.get("melding") is None

    async def test_a_withdrawn_version_can_be_published_again(
        self, flows: FlowRepository
    ) -> None:
        await self._published(flows)
        withdrawn = await flows.set_status("melding", 1, WITHDRAWN, CHRIS, AT)
        assert withdrawn.status is WITHDRAWN
        again = await flows.set_status("melding", 1, PUBLISHED, CHRIS, AT)
        assert (again.status, again.published_by) == (PUBLISHED, CHRIS.upn)

    @pytest.mark.parametrize(
        ("path", "target"),
        [((), WITHDRAWN), ((), CONCEPT), ((PUBLISHED,), CONCEPT), ((PUBLISHED,), PUBLISHED),
         ((PUBLISHED, WITHDRAWN), WITHDRAWN), ((PUBLISHED, WITHDRAWN), CONCEPT)],
    )
    async def test_other_status_changes_are_refused(
        self, flows: FlowRepository, path: tuple[FlowStatus, ...], target: FlowStatus
    ) -> None:
        await flows.save(*flow("melding", 1))
        for status in path:
            await flows.set_status("melding", 1, status, ANNA, AT)
        before = await flows.get("melding", 1)
        with pytest.raises(InvalidInput):
            await flows.set_status("melding", 1, target, ANNA, AT)
        assert await flows.get("melding", 1) == before

    async def test_an_unknown_version_cannot_change_status(self, flows: FlowRepository) -> None:
        await flows.save(*flow("melding", 1))
        with pytest.raises(UnknownFlow):
            await flows.set_status("melding", 2, PUBLISHED, ANNA, AT)
        assert await flows.get("onbekend", 1) is None

    async def test_list_has_every_version_by_id_and_version(
        self, flows: FlowRepository
    ) -> None:
        for flow_id, version in (("melding", 2), ("ander", 1), ("melding", 10), ("melding", 1)):
            await flows.save(*flow(flow_id, version))
        await flows.set_status("melding", 2, PUBLISHED, ANNA, AT)
        listed = [(r.id, r.version, r.status) for r in await flows.list()]
        assert listed == [("ander", 1, CONCEPT), ("melding", 1, CONCEPT),
                          ("melding", 2, PUBLISHED), ("melding", 10, CONCEPT)]


# --- the backends ------------------------------------------------------------------------------


class TestInMemoryFlowRepository(FlowRepositoryContract):
    async def make_flows(self, tmp_path: Path) -> FlowRepository:
        return InMemoryFlowRepository()


class TestSqliteFlowRepository(FlowRepositoryContract):
    async def make_flows(self, tmp_path: Path) -> FlowRepository:
        return SqliteFlowRepository(tmp_path / "paraaf.db")


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
