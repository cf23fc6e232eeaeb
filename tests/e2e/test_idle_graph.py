"""An idle instance on the Microsoft 365 backend makes one Graph request per poll interval,
counted at the Graph test server: the outbox look is one ``$batch``, and notifications that
cannot be delivered yet (nobody has installed the app) wait with a growing ``NotBefore``
instead of being tried on every look.

The poll interval is short here (the product's is 30 s); the count is by construction:
requests in the idle window == the worker's looks in it, whatever the time they took.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from approvals import commands as c
from approvals.service import execute
from bot.teams.context import BotContext
from bot.teams.delivery import Delivery, RateLimiter
from bot.wiring import teams_outbox_work
from graph.dossier_store import GraphDossierStore
from graph.schema import OUTBOX
from local.clock import SystemClock
from tests.support.fakes import InMemoryConversationStore, InMemoryDocumentStore, NoTeams
from tests.support.graph_fixtures import GraphSite, demo_services, graph_site
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS

pytestmark = SDK_IMPORT_DEPRECATIONS

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "local" / "demo" / "directory.yaml"
LOOKS = 15  # idle looks in the measured window
TURNS = 3000  # bound on the waits for the worker (each 10 ms), never a timed assertion




@pytest.fixture
async def site() -> AsyncIterator[GraphSite]:
    async with graph_site(directory=DIRECTORY) as running:
        yield running


async def _until(condition: Any) -> None:
    for _ in range(TURNS):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the delivery worker did not get there")


async def test_an_idle_instance_makes_one_graph_request_per_poll(site: GraphSite) -> None:
    clock = SystemClock()
    store = GraphDossierStore(site.graph(), site.site_id, clock=clock)
    services = await demo_services(store, clock)
    initiator = await services.directory.user("t.dejong@voorbeeldstad.nl")
    assert initiator is not None
    await execute(c.StartDossier(
        dossier_id="IDLE-1", actor=initiator, command_id="start", flow_id="collegevoorstel",
        title="Speeltuin", fields={"onderwerp": "Speeltuin", "bedrag": "25000"}), services)
    ctx = BotContext(services, InMemoryConversationStore(), InMemoryDocumentStore())
    delivery = Delivery(store, teams_outbox_work(ctx, NoTeams(), RateLimiter(1000, 1000)),
                        "instance-1", asyncio.Event(), poll_seconds=0.02)
    stop = asyncio.Event()
    worker = asyncio.create_task(delivery.run(stop))
    try:
        def settled() -> bool:  # every task card waits for an installation
            rows = site.server.items(OUTBOX.title)
            return bool(rows) and all(r.get("State") == "sent" or r.get("LastError")
                                      for r in rows)

        await _until(settled)
        waiting = [r for r in site.server.items(OUTBOX.title) if r.get("State") != "sent"]
        assert len(waiting) == 5  # two financial advisors, three jurists
        await _until(lambda: not delivery.wake.is_set())
        start = delivery.rounds + 1  # from the next look on
        await _until(lambda: delivery.rounds >= start)
        site.server.stats.reset()
        looked = delivery.rounds
        await _until(lambda: delivery.rounds >= looked + LOOKS)
        stop.set()
        await worker
        looks = delivery.rounds - looked
        records = list(site.server.stats.records)
    finally:
        stop.set()
        await worker
    network = [r for r in records if not r.in_batch]
    # one request per look (a look that had begun when counting started may add its own)
    assert looks <= len(network) <= looks + 1, [r.route for r in network]
    assert {r.route for r in network} == {"POST /$batch"}
    assert all(r.method == "GET" for r in records if r.in_batch)  # looks only: no retries
    later = [float(r["NotBefore"]) for r in site.server.items(OUTBOX.title)
             if r.get("State") != "sent"]
    assert min(later) > clock.now().timestamp()  # the waiting rows are not due yet
