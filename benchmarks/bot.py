"""The Teams bot in local mode: invoke latency with 10,000 dossiers, commit-to-card time, RSS.

The server runs as its own process (``paraaf serve``); a connector stand-in on 127.0.0.1
receives the cards it sends.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from approvals import commands as c
from approvals.service import execute
from benchmarks.stats import Result, latency_ms, percentile
from bot.cli.demo import create_demo
from bot.settings import Settings
from bot.wiring import build
from tests.e2e.bot_http import activity
from tests.e2e.connector import Connector

INITIATOR = "t.dejong@voorbeeldstad.nl"
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"


async def _fill(data: Path, dossiers: int) -> list[str]:
    settings = Settings.from_env({}, data_dir=str(data))
    await create_demo(settings, samples=False)
    wiring = build(settings)
    try:
        actor = await wiring.directory.user(INITIATOR)
        assert actor is not None
        ids = []
        for n in range(dossiers):
            outcome = await execute(c.StartDossier(
                dossier_id=f"B-{n:05d}", actor=actor, command_id=f"bench-{n}",
                flow_id="collegevoorstel", title=f"Voorstel {n}",
                fields={"onderwerp": "Benchmark", "bedrag": "5000"}), wiring.services)
            ids.append(outcome.state.id)
        outbox: Any = wiring.services.store  # the set-up's own notifications are not measured
        while items := await outbox.claim("bench-setup", 1000, 600):
            for item in items:
                await outbox.mark_sent(item.id)
        return ids
    finally:
        await wiring.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


async def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError("the server stopped during start-up")
            try:
                async with session.get(f"{url}/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not become ready")


async def _drained(connector: Connector, count: int, timeout: float = 300) -> None:
    deadline = time.time() + timeout
    while len(connector.posted) < count and time.time() < deadline:
        await asyncio.sleep(0.05)


async def _clicks(url: str, connector: Connector, dossiers: list[str], clicks: int,
                  paced_clicks: int, pace: float) -> dict[str, Any]:
    server_ms: list[float] = []
    client_s: list[float] = []
    async with aiohttp.ClientSession() as session:
        for upn in (JURIST, HEAD):  # each says hello once: the bot learns their chat
            body = activity(upn, "message", text="help")
            body["serviceUrl"] = connector.url
            async with session.post(f"{url}/api/messages", json=body) as response:
                assert response.status in (200, 201), await response.text()
        await asyncio.sleep(1.0)
        connector.posted.clear()
        for index, dossier in enumerate(dossiers[:clicks]):
            if index == clicks - paced_clicks:  # the backlog of cards goes out first
                await _drained(connector, index)
            if index >= clicks - paced_clicks:  # then clicks at a pace Teams allows
                await asyncio.sleep(1 / pace)
            data = {"dossier_id": dossier, "stage_id": "juridisch_advies", "round": 1,
                    "version": 3, "advice": "positief", "text": "Akkoord"}
            body = activity(JURIST, verb="advise", data=data)
            body["serviceUrl"] = connector.url
            t0 = time.perf_counter()
            async with session.post(f"{url}/api/messages", json=body) as response:
                payload = await response.json()
                timing = response.headers.get("Server-Timing", "app;dur=0")
            client_s.append(time.perf_counter() - t0)
            assert payload["statusCode"] == 200
            server_ms.append(float(timing.split("dur=")[1]))
        await _drained(connector, clicks)
    return {"server_ms": server_ms, "client_s": client_s, "posted": list(connector.posted)}


async def _commit_times(data: Path, posted: list[tuple[float, str, dict[str, Any]]],
                        dossiers: list[str]) -> list[float]:
    """Seconds from each commit (the event's timestamp) to the next assignee's card."""
    wiring = build(Settings.from_env({}, data_dir=str(data)))
    try:
        by_dossier: dict[str, float] = {}
        for received, _, body in posted:
            card = (body.get("attachments") or [{}])[0].get("content") or {}
            found = next((d for d in dossiers if d in str(card)[:4000]), None)
            if found and found not in by_dossier:
                by_dossier[found] = received
        delays = []
        for dossier, received in by_dossier.items():
            events = await wiring.services.store.load(dossier)
            started = next(e for e in events if e.type.value == "StageStarted"
                           and getattr(e.payload, "stage", "") == "paraaf_afdelingshoofd")
            committed = datetime.strptime(started.timestamp, "%Y-%m-%dT%H:%M:%S.%fZ")
            delays.append(received - committed.replace(tzinfo=UTC).timestamp())
        return delays
    finally:
        await wiring.close()


def run(workdir: Path, dossiers: int = 10_000, clicks: int = 1000, paced: int = 100,
        pace: float = 5.0) -> list[Result]:
    """``clicks`` advise clicks back to back; the last ``paced`` of them at ``pace`` per
    second, for commit-to-card: every card goes to the same afdelingshoofd, and Teams allows
    about 7 messages a second in one conversation, so faster clicks only measure the queue."""
    data = workdir / "bot"
    if data.exists():
        shutil.rmtree(data)
    ids = asyncio.run(_fill(data, dossiers))
    port = _free_port()
    env = {**os.environ, "PARAAF_DATA": str(data), "PARAAF_PORT": str(port),
           "PARAAF_LOG_LEVEL": "warning", "TZ": "UTC"}
    process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve"], env=env,
                               stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        async def measure() -> dict[str, Any]:
            connector = Connector()
            await connector.start()
            try:
                await _wait_ready(url, process)
                return await _clicks(url, connector, ids, clicks, paced, pace)
            finally:
                await connector.stop()

        measured = asyncio.run(measure())
        rss = _rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    delays = asyncio.run(_commit_times(data, measured["posted"], ids[clicks - paced:clicks]))
    server = [ms / 1000 for ms in measured["server_ms"]]
    stats = latency_ms(server)
    return [
        Result(f"invoke: server time, p95 of {clicks} clicks, {dossiers:,} dossiers",
               stats["p95"], "ms", 50, higher_is_better=False,
               details={**{f"{k} ms": round(v, 2) for k, v in stats.items()},
                        "client round trip p95 ms":
                        round(percentile(measured["client_s"], 95) * 1000, 2)}),
        Result(f"commit to next assignee's card posted, p95 ({paced} clicks at {pace:g}/s)",
               percentile(delays, 95) * 1000 if delays else float("inf"), "ms", 300,
               higher_is_better=False,
               details={"cards": len(delays),
                        **{f"{k} ms": round(v, 1) for k, v in latency_ms(delays).items()}}
               if delays else {"cards": 0}),
        Result("server RSS after the clicks", rss, "MB", 150, higher_is_better=False),
    ]
