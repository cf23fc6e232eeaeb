"""What every AnchorLog promises: append-only, in order, durable, one anchor per position; run
against each backend: the in-memory fake, a JSON-lines file (local), and a list on the Graph
test server (graph), also while about one request in ten fails.

A backend is a subclass of :class:`AnchorLogContract` below that implements ``make_log`` (and
``open_peer`` when another process's view of the same log differs from the first).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from approvals.anchors import AnchorConflict, AnchorRecord, Ledger, next_anchors, read_ledger
from approvals.ports import AnchorLog
from graph.anchors import GraphAnchorLog
from local.anchors import FileAnchorLog
from tests.support.fakes import InMemoryAnchorLog
from tests.support.graph_fixtures import OnGraphSite

AT = "2026-11-23T09:00:00.000000Z"


def anchors(count: int) -> list[AnchorRecord]:
    """``count`` real sealed anchors, one dossier each (with a non-ASCII id)."""
    heads = {f"2026-Ø{n:04d}": (n + 1, f"{n:064x}") for n in range(count)}
    made = next_anchors(Ledger(), heads, AT, max_changes=1)
    return [a.record() for a in made]


class AnchorLogContract:
    async def make_log(self, tmp_path: Path) -> AnchorLog:
        raise NotImplementedError

    async def open_peer(self, log: AnchorLog, tmp_path: Path) -> AnchorLog:
        """The same log as another process sees it (default: the same object)."""
        return log

    @pytest.fixture
    async def log(self, tmp_path: Path) -> AsyncIterator[AnchorLog]:
        made = await self.make_log(tmp_path)
        yield made
        close = getattr(made, "close", None)
        if close is not None:
            close()

    async def test_a_new_log_is_empty(self, log: AnchorLog) -> None:
        assert list(await log.records()) == []

    async def test_anchors_come_back_in_order_exactly_as_stored(
        self, log: AnchorLog, tmp_path: Path
    ) -> None:
        made = anchors(3)
        for record in made:
            await log.append(record)
        assert list(await log.records()) == made
        peer = await self.open_peer(log, tmp_path)
        assert list(await peer.records()) == made
        assert read_ledger(await peer.records()).problem is None

    async def test_a_taken_position_is_refused_and_nothing_changes(
        self, log: AnchorLog, tmp_path: Path
    ) -> None:
        first, second = anchors(2)
        await log.append(first)
        rival = next_anchors(Ledger(), {"ander": (1, "f" * 64)}, AT)[0].record()
        assert rival.seq == 1 and rival != first
        with pytest.raises(AnchorConflict):
            await log.append(rival)
        await log.append(second)
        assert list(await (await self.open_peer(log, tmp_path)).records()) == [first, second]

    async def test_storing_the_same_anchor_again_changes_nothing(self, log: AnchorLog) -> None:
        [first] = anchors(1)
        await log.append(first)
        await log.append(first)  # a retried write
        assert list(await log.records()) == [first]

    async def test_a_gap_is_refused(self, log: AnchorLog) -> None:
        first, _, third = anchors(3)
        await log.append(first)
        with pytest.raises(AnchorConflict):
            await log.append(third)
        assert list(await log.records()) == [first]

    async def test_two_writers_at_one_position_one_wins(
        self, log: AnchorLog, tmp_path: Path
    ) -> None:
        peer = await self.open_peer(log, tmp_path)
        mine = anchors(1)[0]
        theirs = next_anchors(Ledger(), {"ander": (1, "f" * 64)}, AT)[0].record()
        results = await asyncio.gather(log.append(mine), peer.append(theirs),
                                       return_exceptions=True)
        assert sorted(type(r).__name__ for r in results) == ["AnchorConflict", "NoneType"]
        stored = list(await log.records())
        assert stored in ([mine], [theirs])


# --- the backends ------------------------------------------------------------------------------


class TestInMemoryAnchorLog(AnchorLogContract):
    async def make_log(self, tmp_path: Path) -> AnchorLog:
        return InMemoryAnchorLog()


class TestFileAnchorLog(AnchorLogContract):
    async def make_log(self, tmp_path: Path) -> AnchorLog:
        return FileAnchorLog(tmp_path / "anchors" / "paraaf-anchors.jsonl")

    async def open_peer(self, log: AnchorLog, tmp_path: Path) -> AnchorLog:
        return FileAnchorLog(tmp_path / "anchors" / "paraaf-anchors.jsonl")


class TestGraphAnchorLog(OnGraphSite, AnchorLogContract):
    async def make_log(self, tmp_path: Path) -> AnchorLog:
        return GraphAnchorLog(self.site.graph(), self.site.site_id)

    async def open_peer(self, log: AnchorLog, tmp_path: Path) -> AnchorLog:
        return GraphAnchorLog(self.site.graph(), self.site.site_id)


class TestGraphAnchorLogUnderFaults(TestGraphAnchorLog):
    """The same promises while about one request in ten fails (as the dossier store's)."""

    @pytest.fixture(autouse=True)
    def _faults(self, _on_site: None) -> None:
        faults = self.site.server.faults
        faults.throttle(retry_after=1, rate=0.005, times=None)
        faults.unavailable(rate=0.02, times=None)
        faults.drop_before(rate=0.03, times=None)
        faults.drop_after(method="POST", rate=0.2, times=None)
