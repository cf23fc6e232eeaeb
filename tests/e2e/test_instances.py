"""Two `paraaf serve` processes on one store share one outbox: dossiers are started through
both at once, one of them is killed (SIGKILL) while it delivers, and every notification
reaches the Bot Connector stand-in exactly once, apart from the documented window between a
send and its mark (at most the rows the killed instance held at that moment).

Once on one SQLite folder, once on the Graph test server (SharePoint lists). Bounded waits,
127.0.0.1 only, no timed assertions.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from approvals.flows.yaml_io import parse_flow
from approvals.ports import FlowStatus
from graph.flows import GraphFlowRepository
from graph.schema import DOSSIERS, OUTBOX
from local.clock import SystemClock
from tests.e2e.bot_http import TENANT, activity, card_text
from tests.e2e.connector import Connector
from tests.e2e.server_process import free_port, kill, start_server
from tests.support.graph_fixtures import ADMIN, GraphSite, graph_site
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS

pytestmark = SDK_IMPORT_DEPRECATIONS

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "local" / "demo" / "directory.yaml"
INITIATOR = "t.dejong@voorbeeldstad.nl"
PER_DOSSIER = 5  # task cards of a collegevoorstel of 25.000: three jurists, two advisors
BEFORE, AFTER = 12, 8  # dossiers started before the kill (through both), after (the survivor)
WAITS = 600  # bound on the waits for delivery to finish (0.25 s each)
FAST = {"PARAAF_OUTBOX_POLL_SECONDS": "1", "PARAAF_OUTBOX_LEASE_SECONDS": "5"}


@dataclass
class Store:
    """What the test needs to know of the shared store, per backend."""

    env: dict[str, str]
    pending: Callable[[], int]  # notifications not yet sent
    held: Callable[[str], Counter[str]]  # per dossier, task rows a worker holds unsent


def _title(n: int) -> str:
    return f"Gedeelde wachtrij {n:03d}x"


@asynccontextmanager
async def sqlite_store(tmp_path: Path, data: Path) -> AsyncIterator[Store]:
    def query(sql: str, *args: Any) -> list[Any]:
        with sqlite3.connect(data / "paraaf.db") as db:
            return db.execute(sql, args).fetchall()

    def pending() -> int:
        return int(query("SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0])

    def held(worker: str) -> Counter[str]:
        rows = query("SELECT d.title FROM outbox o JOIN dossiers d ON d.id = o.dossier_id"
                     " WHERE o.claimed_by = ? AND o.sent_at IS NULL AND o.kind != 'access'",
                     worker)
        return Counter(title for (title,) in rows)

    yield Store({"PARAAF_DATA": str(data)}, pending, held)


@asynccontextmanager
async def graph_store(tmp_path: Path, data: Path) -> AsyncIterator[Store]:
    async with graph_site(directory=DIRECTORY) as site:
        await publish(site)
        server = site.server

        def pending() -> int:
            waiting = [r for r in server.items(OUTBOX.title) if r.get("State") != "sent"]
            half_done = [d for d in server.items(DOSSIERS.title)
                         if float(d.get("PendingSince") or 0) > 0]
            return len(waiting) + len(half_done)

        def held(worker: str) -> Counter[str]:
            titles = {d["DossierId"]: d["Title"] for d in server.items(DOSSIERS.title)}
            return Counter(titles.get(r["DossierId"], "") for r in server.items(OUTBOX.title)
                           if r.get("ClaimedBy") == worker and r.get("State") != "sent"
                           and r.get("Kind") != "access")

        yield Store({**graph_env(site), "PARAAF_DATA": str(data)}, pending, held)


def graph_env(site: GraphSite) -> dict[str, str]:
    """The settings of an instance on the Graph test server's site (no real credential)."""
    return {"PARAAF_BACKEND": "graph", "PARAAF_GRAPH_AUTH": "none",
            "PARAAF_GRAPH_BASE_URL": site.server.base_url, "PARAAF_GRAPH_TENANT_ID": TENANT,
            "PARAAF_SITE_URL": "https://contoso.sharepoint.com/sites/paraaf"}


async def publish(site: GraphSite) -> None:
    """The collegevoorstel flow, published on the site."""
    flows = GraphFlowRepository(site.graph(), site.site_id)
    source = (ROOT / "local/demo/flows/collegevoorstel.yaml").read_text("utf-8")
    flow = parse_flow(source)
    await flows.save(flow, source)
    await flows.set_status(flow.id, flow.version, FlowStatus.PUBLISHED, ADMIN,
                           SystemClock().now())


async def _post(session: aiohttp.ClientSession, port: int, body: dict[str, Any]) -> Any:
    async with session.post(f"http://127.0.0.1:{port}/api/messages", json=body) as response:
        assert response.status == 200, (response.status, await response.text())
        return await response.json(content_type=None)


async def _start(session: aiohttp.ClientSession, port: int, n: int, url: str) -> None:
    data = {"flow_id": "collegevoorstel", "flow_version": 1, "title": _title(n),
            "field.onderwerp": "Gedeelde wachtrij", "field.bedrag": "25000"}
    answer = await _post(session, port, activity(INITIATOR, verb="start", data=data,
                                                 service_url=url))
    assert "is gestart" in card_text(answer["value"]), card_text(answer["value"])


def _posts_per_title(connector: Connector) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _, _, body in connector.posted:
        text = card_text(body)
        counts.update(t for t in map(_title, range(BEFORE + AFTER)) if t in text)
    return counts


@pytest.mark.parametrize("backend", [sqlite_store, graph_store], ids=["sqlite", "graph"])
async def test_two_instances_deliver_every_notification_once_when_one_dies(
    backend: Callable[[Path, Path], Any], tmp_path: Path, data: Path, connector: Connector,
) -> None:
    async with backend(tmp_path, data) as store:
        ports = free_port(), free_port()
        env = {**store.env, **FAST}
        servers: list[subprocess.Popen[bytes]] = []
        try:
            for port in ports:
                servers.append(await start_server(tmp_path, port, "on", env))
            doomed, survivor = servers
            worker = f"{socket.gethostname()}-{doomed.pid}"
            async with aiohttp.ClientSession() as session:
                # the initiator's chat: a template for opening the others' chats
                await _post(session, ports[1], activity(
                    INITIATOR, verb="refresh", data={"dossier_id": "NIEMAND"},
                    service_url=connector.url))
                await asyncio.gather(*(_start(session, ports[n % 2], n, connector.url)
                                       for n in range(BEFORE)))
                for _ in range(WAITS):  # both deliver: kill one in the middle of it
                    if len(connector.posted) >= BEFORE:
                        break
                    await asyncio.sleep(0.05)
                kill(doomed)
                in_flight = store.held(worker)
                await asyncio.gather(*(_start(session, ports[1], n, connector.url)
                                       for n in range(BEFORE, BEFORE + AFTER)))
            for _ in range(WAITS):
                if store.pending() == 0:
                    break
                await asyncio.sleep(0.25)
            assert store.pending() == 0, "the survivor did not deliver everything"
            assert survivor.poll() is None
        finally:
            for server in servers:
                if server.poll() is None:
                    kill(server)
    posts = _posts_per_title(connector)
    for n in range(BEFORE + AFTER):
        title = _title(n)
        extra = posts[title] - PER_DOSSIER
        # every task card arrived; a repeat only for a row the killed instance held
        assert 0 <= extra <= in_flight[title], (title, posts[title], in_flight[title])
