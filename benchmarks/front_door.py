"""The front door in production mode: forged tokens while the key service hangs, and the cost
of checking a token and an activity.

The server runs as its own process (``paraaf serve``) against a listener on 127.0.0.1 that
accepts connections and never answers (standing in for the Bot Framework's key endpoint); 50
forged RS256 tokens arrive at once while ``/healthz`` is probed every 20 ms.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from benchmarks.bot import _free_port
from benchmarks.stats import Result, latency_ms, percentile
from bot.cli.demo import create_demo
from bot.settings import Settings
from bot.signing_keys import SigningKeys
from bot.teams.activity_check import check_envelope, parse_body
from bot.teams.channel_token import ChannelTokenValidator
from tests.e2e.bot_http import activity
from tests.support.openid_stand_in import APP_ID, SERVICE_URL, HangingListener, KeyServer, Signer

FINANCE = "f.meijer@voorbeeldstad.nl"


def _body() -> dict[str, object]:
    return activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"},
                    service_url=SERVICE_URL)


async def _wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError("the server stopped during start-up")
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


def _forge(url: str, tokens: list[str]) -> tuple[list[float], set[int]]:
    """Post every token at once, from a thread with its own event loop (so the probes below
    measure the server, not this client's own backlog)."""
    answered: list[float] = []
    statuses: set[int] = set()

    async def post(session: aiohttp.ClientSession, token: str) -> None:
        started = time.perf_counter()
        async with session.post(f"{url}/api/messages", json=_body(),
                                headers={"Authorization": f"Bearer {token}"}) as response:
            await response.read()
            statuses.add(response.status)
        answered.append(time.perf_counter() - started)

    async def all_at_once() -> None:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(post(session, t) for t in tokens))

    asyncio.run(all_at_once())
    return answered, statuses


async def _flood(url: str, signer: Signer,
                 tokens: int) -> tuple[list[float], list[float], set[int]]:
    forged = [signer.token(kid=f"forged-{i}") for i in range(tokens)]
    health: list[float] = []
    async with aiohttp.ClientSession() as session:
        flood = asyncio.ensure_future(asyncio.to_thread(_forge, url, forged))
        for _ in range(500):
            if flood.done():
                break
            started = time.perf_counter()
            async with session.get(f"{url}/healthz") as response:
                await response.read()
            health.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)
        answered, statuses = await flood
    return health, answered, statuses


async def _stall(work: Path, tokens: int) -> list[Result]:
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    await create_demo(Settings.from_env({}, data_dir=str(data)), samples=False)
    hanging = HangingListener()
    await hanging.start()
    port = _free_port()
    env = {**os.environ, "PARAAF_MODE": "production", "PARAAF_HOST": "127.0.0.1",
           "PARAAF_PORT": str(port), "PARAAF_APP_ID": APP_ID,
           "PARAAF_APP_PASSWORD": "not-a-real-secret", "PARAAF_DELIVERY": "off",
           "PARAAF_LOG_LEVEL": "warning", "PARAAF_BOT_OPENID_METADATA_URL": hanging.url}
    process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "--data", str(data), "serve"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_up(url, process)  # its first key fetch is under way, and hangs
        health, answered, statuses = await _flood(url, Signer("forged"), tokens)
    finally:
        process.terminate()
        process.wait(10)
        await hanging.stop()
    stats = latency_ms(health)
    return [
        Result(f"front door: /healthz p95 while {tokens} forged tokens wait for a hanging key "
               "service", stats["p95"], "ms", 200, higher_is_better=False,
               details={"probes": len(health), "p50 ms": round(stats["p50"], 2),
                        "max ms": round(max(health) * 1000, 2),
                        "statuses": ",".join(map(str, sorted(statuses)))}),
        Result("front door: slowest answer to a forged token (key service hanging)",
               max(answered), "s", 5, higher_is_better=False,
               details={"tokens": tokens, "p50 s": round(percentile(answered, 50), 3),
                        "key service connections": hanging.connections}),
    ]


async def _check_cost(rounds: int) -> Result:
    signer = Signer("key-1")
    keys_server = KeyServer(signer)
    await keys_server.start()
    try:
        validator = ChannelTokenValidator(SigningKeys(keys_server.url), APP_ID)
        token = f"Bearer {signer.token()}"
        raw = json.dumps(_body()).encode()
        await validator.validate(token)  # the keys are fetched once, then cached
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            checked = await validator.validate(token)
            body = check_envelope(parse_body(raw))
            checked.admits(str(body["channelId"]), str(body["serviceUrl"]))
            samples.append(time.perf_counter() - started)
    finally:
        await keys_server.stop()
    stats = latency_ms(samples)
    return Result("front door: token and activity check per request (cached keys), p50",
                  stats["p50"], "ms", 1, higher_is_better=False,
                  details={"rounds": rounds, "p95 ms": round(stats["p95"], 3)})


def run(work: Path, tokens: int = 50, rounds: int = 2000) -> list[Result]:
    async def both() -> list[Result]:
        return [*await _stall(work, tokens), await _check_cost(rounds)]

    return asyncio.run(both())
