"""`paraaf serve` as a real process on a free loopback port, for the crash tests: started
until `/readyz` answers, and killed with SIGKILL (no clean shutdown)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def start_server(data: Path, port: int, delivery: str,
                       extra: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """The server on ``data``, with delivery ``on`` or ``off`` (and ``extra`` settings),
    once it is ready."""
    env = {**os.environ, "PARAAF_DATA": str(data), "PARAAF_PORT": str(port),
           "PARAAF_DELIVERY": delivery, "PARAAF_LANGUAGE": "nl", "PARAAF_LOG_LEVEL": "warning",
           **(extra or {})}
    process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            assert process.poll() is None, "the server stopped during start-up"
            try:
                async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
                    if response.status == 200:
                        return process
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise AssertionError("the server did not start")


def kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
