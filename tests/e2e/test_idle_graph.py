"""An idle instance on the Microsoft 365 backend makes one Graph request per poll interval,
counted at the Graph test server: a look is one delta query of the outbox list
(``items/delta`` with the kept ``@odata.deltaLink``), every SWEEP_LOOKS-th look one claim
``$batch`` instead; notifications that cannot be delivered yet (nobody has installed the app)
wait with a growing ``NotBefore`` instead of being tried on every look. Another instance's
commits are learned from the delta, and only then are the due rows read and claimed.

The poll interval is short here (the product's is 30 s); the count is by construction:
requests in the idle window == the worker's looks in it, whatever the time they took.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from approvals import commands as c
from approvals.service import execute
from bot.teams.context import BotContext
from bot.teams.delivery import SWEEP_LOOKS, Delivery, RateLimiter
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
DELTA = "GET /sites/{site}/lists/{list}/items/delta"




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
        start = delivery.looks + 3  # past the first looks (the first one starts the delta)
        await _until(lambda: delivery.looks >= start)
        site.server.stats.reset()
        looked, claimed = delivery.looks, delivery.rounds
        await _until(lambda: delivery.looks >= looked + LOOKS)
        stop.set()
        await worker
        looks, claims = delivery.looks - looked, delivery.rounds - claimed
        records = list(site.server.stats.records)
    finally:
        stop.set()
        await worker
    network = [r for r in records if not r.in_batch]
    # one request per look (a look that had begun when counting started may add its own)
    assert looks <= len(network) <= looks + 1, [r.route for r in network]
    routes = Counter(r.route for r in network)
    assert set(routes) == {DELTA, "POST /$batch"}, routes
    # the looks are delta queries; a claim only every SWEEP_LOOKS-th look (nothing changed)
    # (a claim of the look that had begun may come first)
    assert claims <= routes["POST /$batch"] <= min(claims + 1, looks // SWEEP_LOOKS + 2)
    assert routes[DELTA] >= looks - claims
    assert all(r.method == "GET" for r in records if r.in_batch)  # looks only: no retries
    later = [float(r["NotBefore"]) for r in site.server.items(OUTBOX.title)
             if r.get("State") != "sent"]
    assert min(later) > clock.now().timestamp()  # the waiting rows are not due yet


async def _start(services: Any, n: int) -> None:
    initiator = await services.directory.user("t.dejong@voorbeeldstad.nl")
    await execute(c.StartDossier(
        dossier_id=f"OTHER-{n}", actor=initiator, command_id=f"start-{n}",
        flow_id="collegevoorstel", title=f"Bankje {n}",
        fields={"onderwerp": "Bankje", "bedrag": "25000"}), services)


def _held_by(site: GraphSite, worker: str, dossier: str) -> int:
    return sum(1 for r in site.server.items(OUTBOX.title)
               if r.get("DossierId") == dossier and (r.get("ClaimedBy") == worker
                                                     or int(r.get("Attempts") or 0) > 0))


async def test_the_outbox_changes_say_when_other_instances_gave_work(site: GraphSite) -> None:
    """ListOutbox.changes: 0 once to start, None while nothing changed, 0 when another
    instance's commit wrote pending rows, the wait when the pending rows are not due yet, and
    after a 410 (the service forgot the token) 0 again with a new delta."""
    clock = SystemClock()
    mine = GraphDossierStore(site.graph(), site.site_id, clock=clock)
    other = GraphDossierStore(site.graph(), site.site_id, clock=clock)
    services = await demo_services(other, clock)
    assert await mine.changes() == 0.0  # no delta link yet: a new one, read the due rows
    first = mine.outbox.delta_link
    assert first is not None
    site.server.stats.reset()
    assert await mine.changes() is None  # nothing changed: one request
    assert [r.route for r in site.server.stats.records] == [DELTA]
    await _start(services, 1)
    site.server.state.config.item_page_default = 2  # the changes come in pages
    site.server.stats.reset()
    assert await mine.changes() == 0.0  # the other's rows are pending and due
    pages = [r.route for r in site.server.stats.records]
    assert pages == [DELTA] * 3  # six rows, two a page: the next links followed
    site.server.state.config.item_page_default = 200
    claimed = await mine.claim("mine", 50, 60.0)
    assert claimed
    for item in claimed:  # nobody reachable yet: put back for a minute
        await mine.release(item.id, "not yet", 60.0)
    wait = await mine.changes()  # its own writes, seen as changes: pending, due later
    assert wait is not None and 50.0 < wait <= 60.0
    for item in claimed:
        await mine.mark_sent(item.id)
    assert await mine.changes() is None  # sent rows are no work
    site.server.expire_delta_tokens(OUTBOX.title)
    link = mine.outbox.delta_link
    assert await mine.changes() == 0.0  # 410: a new delta, and a full read to be sure
    assert mine.outbox.delta_link not in (None, link)
    assert await mine.changes() is None


async def test_an_idle_instance_claims_what_another_committed_when_the_delta_shows_it(
        site: GraphSite) -> None:
    clock = SystemClock()
    mine = GraphDossierStore(site.graph(), site.site_id, clock=clock)
    other = GraphDossierStore(site.graph(), site.site_id, clock=clock)
    my_services = await demo_services(mine, clock)
    services = await demo_services(other, clock)
    ctx = BotContext(my_services, InMemoryConversationStore(), InMemoryDocumentStore())
    delivery = Delivery(mine, teams_outbox_work(ctx, NoTeams(), RateLimiter(1000, 1000)),
                        "mine", asyncio.Event(), poll_seconds=0.02,
                        sweep_looks=10**9)  # no full read but the first: only the delta tells
    stop = asyncio.Event()
    worker = asyncio.create_task(delivery.run(stop))
    try:
        await _until(lambda: mine.outbox.delta_link is not None and delivery.looks >= 3)
        looked = delivery.looks
        await _until(lambda: delivery.looks >= looked + 5)
        site.server.stats.reset()  # idle: deltas only, no claim
        claims, looked = delivery.rounds, delivery.looks
        await _until(lambda: delivery.looks >= looked + 5)
        assert delivery.rounds == claims
        assert {r.route for r in site.server.stats.records} == {DELTA}
        await _start(services, 2)  # the other instance: nothing wakes this one
        await _until(lambda: _held_by(site, "mine", "OTHER-2") == 5 + 1)  # cards and access
        assert delivery.rounds > claims
        # the service forgets the token: a full read, a new delta, and work is still found
        site.server.expire_delta_tokens(OUTBOX.title)
        link = mine.outbox.delta_link
        await _until(lambda: mine.outbox.delta_link not in (None, link))
        await _start(services, 3)
        await _until(lambda: _held_by(site, "mine", "OTHER-3") == 5 + 1)
    finally:
        stop.set()
        await worker


async def test_where_the_delta_query_is_refused_each_look_reads_the_due_rows(
        site: GraphSite) -> None:
    """A tenant or service that refuses ``items/delta`` (403 here): the outbox says so once,
    and from then on each look is one full read, as on a store without a delta query."""
    clock = SystemClock()
    mine = GraphDossierStore(site.graph(), site.site_id, clock=clock)
    site.server.faults.error(403, code="accessDenied", path="*/items/delta", times=None)
    assert await mine.changes() == 0.0
    site.server.stats.reset()
    assert await mine.changes() == 0.0  # no request any more: read the due rows
    assert list(site.server.stats.records) == []
    assert mine.outbox.delta_refused
