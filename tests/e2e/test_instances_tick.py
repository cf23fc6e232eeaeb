"""Two instances running ``paraaf tick`` at the same moment on one store (SQLite, and
SharePoint lists on the Graph test server): each reminder and
escalation is recorded once (the tick's command id is the dossier's version, and the append
is conditional), and the audit anchor after it is stored once (an anchor claims its position
in the log; the instance that lost reads the log again and finds nothing left to anchor)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from approvals import commands as c
from approvals.anchors import AnchorRecord
from approvals.deadlines import tick
from approvals.readmodels import DossierSummary
from approvals.service import execute
from bot.cli.audit import anchor
from bot.settings import Settings
from bot.wiring import Wiring, build
from local.clock import FixedClock, SystemClock
from tests.e2e.bot_http import CountingStore
from tests.e2e.test_instances import DIRECTORY, graph_env, publish
from tests.support.graph_fixtures import graph_site
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS

pytestmark = SDK_IMPORT_DEPRECATIONS

LATER = timedelta(days=60)  # every demo deadline has passed by then


async def _pair(env: dict[str, str], data: Path) -> list[Wiring]:
    later = FixedClock(SystemClock().now() + LATER)
    pair = []
    for _ in range(2):
        wiring = build(Settings.from_env(env, data_dir=str(data)))
        wiring.services.clock = later
        pair.append(wiring)
    return pair


@pytest.fixture(params=["sqlite", "graph"])
async def instances(request: pytest.FixtureRequest, demo_template: Path,
                    tmp_path: Path) -> AsyncIterator[tuple[Wiring, Wiring]]:
    """Two instances on one store with dossiers that have deadlines, both 60 days on: a copy
    of the demo data, or SharePoint lists on the Graph test server."""
    data = tmp_path / "data"
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            shutil.copytree(demo_template, data)
            pair = await _pair({}, data)
        else:
            site = await stack.enter_async_context(graph_site(directory=DIRECTORY))
            await publish(site)
            pair = await _pair(graph_env(site), data)
            await _start(pair[0])
        try:
            yield pair[0], pair[1]
        finally:
            for wiring in pair:
                await wiring.close()


async def _start(wiring: Wiring) -> None:
    services = wiring.services
    initiator = await services.directory.user("t.dejong@voorbeeldstad.nl")
    assert initiator is not None
    now = services.clock
    services.clock = SystemClock()  # started today, ticked 60 days on
    for n in range(2):
        await execute(c.StartDossier(
            dossier_id=f"TICK-{n}", actor=initiator, command_id=f"start-{n}",
            flow_id="collegevoorstel", title=f"Termijn {n}",
            fields={"onderwerp": "Termijn", "bedrag": "25000"}), services)
    services.clock = now


class ListedBefore(CountingStore):
    """The store of an instance that listed the open dossiers before the other one ticked."""

    def __init__(self, store: object, listed: Sequence[DossierSummary]) -> None:
        super().__init__(store)
        self.listed = listed

    async def list_summaries(self, *, status: str | None = None, limit: int = 100,
                             offset: int = 0) -> Sequence[DossierSummary]:
        return self.listed[offset:offset + limit]


async def _events(wiring: Wiring, kinds: tuple[str, ...]) -> int:
    store = wiring.services.store
    total = 0
    for summary in await store.list_summaries(limit=1000):
        total += sum(e.type.value in kinds for e in await store.load(summary.id))
    return total


async def test_two_ticks_at_once_record_each_reminder_once(
    instances: tuple[Wiring, Wiring],
) -> None:
    first, second = instances
    listed = await second.services.store.list_summaries(status="open", limit=500)
    second.services.store = ListedBefore(second.services.store, listed)
    done = await tick(first.services)
    assert done.reminders + done.escalations > 0
    late = await tick(second.services)  # the same dossiers at the versions it listed
    assert (late.reminders, late.escalations, late.failed) == (0, 0, ())
    kinds = ("ReminderSent", "Escalated")
    assert await _events(first, kinds) == done.reminders + done.escalations


class AnchorsRacedBy:
    """The anchor log of an instance whose first append is raced by ``other``'s anchoring."""

    def __init__(self, log: object, other: Wiring) -> None:
        self.log = log
        self.other: Wiring | None = other

    async def records(self) -> Sequence[AnchorRecord]:
        return await self.log.records()  # type: ignore[attr-defined]

    async def append(self, record: AnchorRecord) -> None:
        if self.other is not None:
            other, self.other = self.other, None
            assert (await anchor(other)).new  # it stores its anchor at this position first
        await self.log.append(record)  # type: ignore[attr-defined]


async def test_two_instances_anchoring_at_once_store_one_anchor(
    instances: tuple[Wiring, Wiring],
) -> None:
    first, second = instances
    second.services.clock = FixedClock(first.services.clock.now() + timedelta(seconds=1))
    first = replace(first, anchors=AnchorsRacedBy(first.anchors, second))
    outcome = await anchor(first)
    assert outcome.refused is None
    assert outcome.new == []  # the other one's anchor covers every head: nothing left
    stored = await second.anchors.records()
    assert len(stored) == 1
    assert outcome.latest is not None and outcome.latest.seq == 1
