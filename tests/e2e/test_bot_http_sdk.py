"""`paraaf serve` says which bot SDK runs (PARAAF_BOT_SDK), and the bot answers on it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.bot_http import BotClient, activity, copy_demo
from tests.e2e.connector import Connector
from tests.e2e.server_process import ROOT, free_port

SAYS = {"botbuilder": "bot op botbuilder (Bot Framework SDK)",
        "agents": "bot op de Microsoft 365 Agents SDK"}  # PARAAF_LANGUAGE: Dutch by default


async def test_serve_says_which_sdk_runs(bot_sdk: str, demo_template: Path,
                                         tmp_path: Path) -> None:
    import aiohttp

    port = free_port()
    data = copy_demo(demo_template, tmp_path / "data")
    env = {**os.environ, "PARAAF_DATA": str(data), "PARAAF_PORT": str(port),
           "PARAAF_DELIVERY": "off", "PARAAF_LOG_LEVEL": "warning"}
    assert env["PARAAF_BOT_SDK"] == bot_sdk  # set by the fixture, for every process
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline().decode()
        assert SAYS[bot_sdk] in first, first
        other = next(s for s in SAYS if s != bot_sdk)
        assert SAYS[other] not in first
        async with aiohttp.ClientSession() as session:
            body = activity("t.dejong@voorbeeldstad.nl", verb="refresh", data={})
            async with session.post(f"http://127.0.0.1:{port}/api/messages",
                                    json=body) as response:
                assert response.status == 200, await response.text()
                assert (await response.json())["statusCode"] == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_an_unknown_sdk_stops_serve_with_the_reason(tmp_path: Path) -> None:
    env = {**os.environ, "PARAAF_DATA": str(tmp_path), "PARAAF_BOT_SDK": "botkit",
           "PARAAF_LANGUAGE": "en"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "serve"], cwd=ROOT, env=env,
                          capture_output=True, timeout=60, check=False)
    assert done.returncode != 0
    assert b"PARAAF_BOT_SDK must be one of botbuilder, agents" in done.stderr, done.stderr


async def test_an_activity_the_sdk_model_refuses_is_answered_without_a_5xx(
        client: BotClient, connector: Connector, caplog: pytest.LogCaptureFixture) -> None:
    # the Agents SDK's model raises a bare Exception when a sub-channel contradicts the
    # product info entity, and logs every refused activity with a traceback
    body = activity("t.dejong@voorbeeldstad.nl", "message", text="help",
                    service_url=connector.url)
    body["channelId"] = "msteams:one"
    body["entities"] = [{"type": "ProductInfo", "id": "another"}]
    status, payload = await client.post(body)
    assert status in (201, 400), payload
    unknown = activity("t.dejong@voorbeeldstad.nl", "message", text="help",
                       service_url=connector.url)
    unknown["from"]["role"] = ["not", "a", "role"]
    status, payload = await client.post(unknown)
    assert status in (201, 400), payload
    assert not [r for r in caplog.records if r.exc_info], "a traceback in the log"
