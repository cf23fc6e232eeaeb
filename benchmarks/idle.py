"""Graph requests per idle hour per instance: the delivery worker on the Microsoft 365
backend, with nothing to do, counted at the Graph test server.

An idle instance looks at the outbox once per poll interval (``PARAAF_OUTBOX_POLL_SECONDS``,
30 s) with one delta query of the outbox list (every SWEEP_LOOKS-th look one claim ``$batch``
instead); its own commits wake it at once. The bounded window runs the same
loop with a short interval and counts requests per look; the hour is that times the looks an
hour has at the product's interval. Notifications that cannot be delivered yet (nobody has
installed the app) are tried again at most once per BACKOFF_CAP: what such a try costs is
measured too and shown beside it, per hour, at the cap.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from approvals import commands as c
from approvals.service import execute
from benchmarks.stats import Result
from bot.teams.context import BotContext
from bot.teams.delivery import BACKOFF_CAP, POLL_SECONDS, SWEEP_LOOKS, Delivery, RateLimiter
from bot.wiring import teams_outbox_work
from graph.dossier_store import GraphDossierStore
from graph.schema import OUTBOX
from local.clock import SystemClock
from tests.support.fakes import InMemoryConversationStore, InMemoryDocumentStore, NoTeams
from tests.support.graph_fixtures import demo_services, graph_site

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = ROOT / "local" / "demo" / "directory.yaml"
HOUR = 3600.0




async def _until(condition: Any, turns: int = 5000) -> None:
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise RuntimeError("the delivery worker did not get there")


async def _measure(looks: int) -> dict[str, float]:
    async with graph_site(directory=DIRECTORY) as site:
        clock = SystemClock()
        store = GraphDossierStore(site.graph(), site.site_id, clock=clock)
        services = await demo_services(store, clock)
        initiator = await services.directory.user("t.dejong@voorbeeldstad.nl")
        assert initiator is not None
        await execute(c.StartDossier(
            dossier_id="IDLE-1", actor=initiator, command_id="start",
            flow_id="collegevoorstel", title="Speeltuin",
            fields={"onderwerp": "Speeltuin", "bedrag": "25000"}), services)
        ctx = BotContext(services, InMemoryConversationStore(), InMemoryDocumentStore())
        delivery = Delivery(store, teams_outbox_work(ctx, NoTeams(), RateLimiter(1000, 1000)),
                            "bench", asyncio.Event(), poll_seconds=0.02)
        await delivery.run_once(limit=50)  # the access work is done, the cards wait
        server = site.server
        waiting = [r for r in server.items(OUTBOX.title) if r.get("State") != "sent"]
        # one try of the waiting rows, as it comes once per BACKOFF_CAP
        for r in waiting:
            server.touch_item(OUTBOX.title, int(r["id"]), NotBefore=0.0)
        server.stats.reset()
        await delivery.run_once(limit=50)
        retry_requests = server.stats.http_requests
        # each delta look notes, before its request, (looks, claims, requests so far): the
        # requests between two such notes are exactly those of the looks between them
        notes: list[tuple[int, int, int]] = []
        ask = delivery.watch
        assert ask is not None

        async def noted() -> float | None:
            notes.append((delivery.looks, delivery.rounds, server.stats.http_requests))
            return await ask()

        delivery.watch = noted
        stop = asyncio.Event()
        worker = asyncio.create_task(delivery.run(stop))
        await _until(lambda: len(notes) >= 4)  # past the first looks
        start = len(notes) - 1
        await _until(lambda: notes[-1][0] >= notes[start][0] + looks)
        stop.set()
        await worker
        (first, claims, before), (last, claims_after, after) = notes[start], notes[-1]
        requests, counted, claimed = after - before, last - first, claims_after - claims
    return {"looks": counted, "requests": requests, "claims": claimed, "waiting": len(waiting),
            "retry_requests": retry_requests}


def run(looks: int = 100) -> list[Result]:
    m = asyncio.run(_measure(looks))
    per_look = m["requests"] / m["looks"]
    per_hour = per_look * HOUR / POLL_SECONDS
    retries_per_hour = m["retry_requests"] * HOUR / BACKOFF_CAP
    return [Result(
        "Graph requests per idle hour per instance", per_hour, "requests", HOUR / POLL_SECONDS,
        higher_is_better=False,
        details={"looks measured": int(m["looks"]), "requests in them": int(m["requests"]),
                 "requests per look": round(per_look, 3),
                 "of them claims (full reads)": int(m["claims"]),
                 "full read every (looks)": SWEEP_LOOKS,
                 "poll interval (s)": POLL_SECONDS,
                 "undeliverable rows waiting": int(m["waiting"]),
                 "requests of one try of them": int(m["retry_requests"]),
                 "their tries per hour at the cap": round(HOUR / BACKOFF_CAP, 1),
                 "with them, per hour": round(per_hour + retries_per_hour, 1)})]
