"""The bot on each SDK (PARAAF_BOT_SDK=botbuilder and agents), in the same run, each measured
against a bare bot on the same SDK: card action p95, commit-to-next-card p95, server RSS.

The bare bot is the SDK with paraaf's thin gateway module and nothing else: it answers every
card action with one fixed card and sends one fixed card to the clicker's chat right after
(so the SDK's proactive path is measured too). Each runs as its own process
(``python -m benchmarks.sdks --bare SDK --port N``); paraaf runs as ``paraaf serve``; all four
run at once and take the clicks in turn, so the load of a shared machine falls on all alike.
A connector stand-in on 127.0.0.1 per server receives the cards. Ratios say what paraaf adds
on top of the SDK it runs on, so the two SDKs can be compared on the same footing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bot import (  # noqa: E402
    _commit_times,
    _drained,
    _fill,
    _free_port,
    _rss_mb,
    _wait_ready,
)
from benchmarks.stats import Result, latency_ms, percentile  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.e2e.bot_http import activity  # noqa: E402
from tests.e2e.connector import Connector  # noqa: E402

SDKS = ("botbuilder", "agents")
INITIATOR = "t.dejong@voorbeeldstad.nl"
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"
# paraaf on an SDK may take at most this many times the bare bot on the same SDK
TARGETS = {"card action": 10.0, "commit to next card": 25.0, "RSS": 3.0}


# ---------------------------------------------------------------- the bare bot


def _fixed_card(text: str) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "version": "1.5",
            "body": [{"type": "TextBlock", "text": text, "wrap": True}]}


def serve_bare(sdk: str, port: int) -> None:
    """A bare bot on ``sdk`` (local mode): a fixed card for every card action, and a fixed
    card sent to the clicker's chat right after, stamped with the time the click arrived."""
    from aiohttp import web

    from bot.teams.gateway import Inbound, TurnReply
    from bot.teams.server import server_timing

    settings = Settings.from_env({"PARAAF_BOT_SDK": sdk})
    if sdk == "agents":
        from bot.teams.agents_gateway import AgentsGateway, AgentsHandler

        gateway: Any = AgentsGateway(settings)
        handler_class: Any = AgentsHandler
    else:
        from bot.teams.botframework import BotFrameworkGateway, ParaafHandler

        gateway = BotFrameworkGateway(settings)
        handler_class = ParaafHandler
    pending: set[asyncio.Task[Any]] = set()

    async def logic(inbound: Inbound, reply: TurnReply) -> dict[str, Any] | None:
        if inbound.kind != "invoke" or inbound.conversation is None:
            return None
        card = _fixed_card(f"clicked-at {time.time():.6f}")
        task = asyncio.create_task(gateway.send(inbound.conversation, card))
        pending.add(task)
        task.add_done_callback(pending.discard)
        return _fixed_card("Akkoord")

    handler = handler_class(logic)

    async def messages(request: web.Request) -> web.Response:
        status, payload = await gateway.process_activity(None, await request.json(), handler)
        if payload is None:
            return web.Response(status=status)
        return web.json_response(payload, status=status)

    async def ready(request: web.Request) -> web.Response:
        return web.json_response({"status": "ready"})

    app = web.Application(middlewares=[server_timing])
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/readyz", ready)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


# ---------------------------------------------------------------- measuring


@dataclass
class Target:
    """One server under test, with its own connector stand-in and data."""

    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    dossiers: list[str]
    connector: Connector = field(default_factory=Connector)
    process: subprocess.Popen[bytes] | None = None
    server_ms: list[float] = field(default_factory=list)
    rss: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def _click(session: aiohttp.ClientSession, target: Target, index: int) -> None:
    data = {"dossier_id": target.dossiers[index], "stage_id": "juridisch_advies", "round": 1,
            "version": 3, "advice": "positief", "text": "Akkoord"}
    body = activity(JURIST, verb="advise", data=data, service_url=target.connector.url)
    async with session.post(f"{target.url}/api/messages", json=body) as response:
        payload = await response.json()
        timing = response.headers.get("Server-Timing", "app;dur=0")
    assert payload["statusCode"] == 200, payload
    target.server_ms.append(float(timing.split("dur=")[1]))


async def _clicks(targets: list[Target], clicks: int, paced: int, pace: float) -> None:
    """``clicks`` advise clicks on every target, taking turns (so the load of a shared
    machine falls on all alike); the last ``paced`` at ``pace`` a second (Teams allows about
    7 messages a second in one chat: faster clicks would only measure the queue)."""
    async with aiohttp.ClientSession() as session:
        for target in targets:
            for upn in (JURIST, HEAD):  # each says hello once: the bot learns their chat
                body = activity(upn, "message", text="help", service_url=target.connector.url)
                async with session.post(f"{target.url}/api/messages", json=body) as response:
                    assert response.status in (200, 201), await response.text()
        await asyncio.sleep(1.0)
        for target in targets:
            target.connector.posted.clear()
        for index in range(clicks):
            if index == clicks - paced:  # the backlog of cards goes out first
                for target in targets:
                    await _drained(target.connector, index)
                    target.connector.posted.clear()
            if index >= clicks - paced:
                await asyncio.sleep(1 / pace)
            for target in targets:
                await _click(session, target, index)
        for target in targets:
            await _drained(target.connector, paced)


def _card_text(body: dict[str, Any]) -> str:
    return str((body.get("attachments") or [{}])[0].get("content") or {})


def _bare_delays(posted: list[tuple[float, str, dict[str, Any]]]) -> list[float]:
    delays = []
    for received, _, body in posted:
        text = _card_text(body)
        if "clicked-at " in text:
            stamp = float(text.split("clicked-at ", 1)[1].split("'", 1)[0].split('"', 1)[0])
            delays.append(received - stamp)
    return delays


async def _serve_and_click(targets: list[Target], clicks: int, paced: int,
                           pace: float) -> None:
    for target in targets:
        await target.connector.start()
        target.process = subprocess.Popen(target.command, env=target.env, cwd=ROOT,
                                          stdout=subprocess.DEVNULL)
    try:
        for target in targets:
            assert target.process is not None
            await _wait_ready(target.url, target.process)
        await _clicks(targets, clicks, paced, pace)
        for target in targets:
            assert target.process is not None
            target.rss = _rss_mb(target.process.pid)
    finally:
        for target in targets:
            if target.process is not None:
                target.process.terminate()
                target.process.wait(timeout=30)
            await target.connector.stop()


def run(workdir: Path, dossiers: int = 2000, clicks: int = 500, paced: int = 50,
        pace: float = 5.0) -> list[Result]:
    """paraaf and a bare bot on each SDK, four servers at once taking clicks in turn."""
    targets: dict[tuple[str, str], Target] = {}
    for sdk in SDKS:
        data = workdir / f"sdk-{sdk}"
        if data.exists():
            shutil.rmtree(data)
        ids = asyncio.run(_fill(data, dossiers))
        port = _free_port()
        env = {**os.environ, "PARAAF_DATA": str(data), "PARAAF_PORT": str(port),
               "PARAAF_LOG_LEVEL": "warning", "PARAAF_BOT_SDK": sdk, "TZ": "UTC"}
        targets[sdk, "paraaf"] = Target(f"paraaf on {sdk}",
                                        [sys.executable, "-m", "bot.cli", "serve"], env, port,
                                        ids)
        port = _free_port()
        targets[sdk, "bare"] = Target(
            f"bare {sdk} bot",
            [sys.executable, "-m", "benchmarks.sdks", "--bare", sdk, "--port", str(port)],
            {**os.environ, "PARAAF_LOG_LEVEL": "warning"}, port, ids)
    asyncio.run(_serve_and_click(list(targets.values()), clicks, paced, pace))
    results: list[Result] = []
    for sdk in SDKS:
        paraaf, bare = targets[sdk, "paraaf"], targets[sdk, "bare"]
        paraaf_delays = asyncio.run(_commit_times(
            workdir / f"sdk-{sdk}", paraaf.connector.posted,
            paraaf.dossiers[clicks - paced:clicks]))
        bare_delays = _bare_delays(bare.connector.posted)
        figures = {
            "card action": (percentile(paraaf.server_ms, 95),
                            percentile(bare.server_ms, 95), "ms"),
            "commit to next card": (
                percentile(paraaf_delays, 95) * 1000 if paraaf_delays else float("inf"),
                percentile(bare_delays, 95) * 1000 if bare_delays else float("inf"), "ms"),
            "RSS": (paraaf.rss, bare.rss, "MB"),
        }
        for what, (ours, base, unit) in figures.items():
            details: dict[str, float | int | str] = {
                f"paraaf p95 {unit}" if unit == "ms" else f"paraaf {unit}": round(ours, 2),
                f"bare bot p95 {unit}" if unit == "ms" else f"bare bot {unit}": round(base, 2),
            }
            if what == "card action":
                seconds = [ms / 1000 for ms in paraaf.server_ms]
                details.update({f"paraaf {k} ms": round(v, 2)
                                for k, v in latency_ms(seconds).items() if k in ("p50", "p99")})
                details["clicks"] = clicks
            if what == "commit to next card":
                details.update({"paraaf cards": len(paraaf_delays),
                                "bare bot cards": len(bare_delays),
                                "pace /s": pace})
            results.append(Result(
                f"{sdk}: {what}{' p95' if unit == 'ms' else ''}, relative to a bare "
                f"{sdk} bot", ours / base if base else float("inf"), "x", TARGETS[what],
                higher_is_better=False, details=details))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bare", choices=SDKS, required=True, help="serve a bare bot")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve_bare(args.bare, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
