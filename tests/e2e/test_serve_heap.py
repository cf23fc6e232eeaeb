"""``paraaf serve`` leaves what its start-up built out of the garbage collector's later
collections, so a collection during a click does not walk the whole process."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import socket
from pathlib import Path

import aiohttp

from bot.settings import Settings
from bot.teams.server import serve
from bot.wiring import build
from tests.e2e.bot_http import copy_demo


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serving_freezes_what_start_up_built(demo_template: Path, tmp_path: Path) -> None:
    port = _free_port()
    settings = Settings.from_env({"PARAAF_DELIVERY": "off", "PARAAF_PORT": str(port)},
                                 data_dir=str(copy_demo(demo_template, tmp_path / "data")))
    wiring = build(settings, teams=True)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    served = asyncio.create_task(serve(wiring))
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as answer:
                        if answer.status == 200:
                            break
                await asyncio.sleep(0.05)
        frozen = gc.get_freeze_count()
    finally:
        served.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await served
        await wiring.close()
        gc.unfreeze()  # the test process goes on collecting as before
    assert frozen > 10_000  # the modules and the wiring, at least
