"""paraaf on a read-only root filesystem, as the Helm chart runs it (readOnlyRootFilesystem):
the data folder on its own writable volume, /tmp writable, everything else read-only.

The real processes run in a mount namespace of their own (``unshare``) in which ``/`` is
remounted read-only and ``/tmp`` is a fresh tmpfs holding the data folder (when the checkout
or Python itself lives under /tmp, another empty folder such as /var/tmp takes its part, so
the tmpfs does not hide them; TMPDIR points there too): `paraaf demo`
fills it, `paraaf tick` runs, and `paraaf serve` in production mode answers /healthz and
becomes ready on /readyz (the store read, the signing keys fetched from a stand-in on
127.0.0.1). The processes run as root here, which a read-only mount stops all the same; the
unprivileged user is the image's (infra/Dockerfile) and the chart's. Where a mount namespace
cannot be made (not root, no ``unshare``), the test says so and is skipped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.support.openid_stand_in import APP_ID, KeyServer, Signer

SCRIPT = """
set -e
mount -o remount,bind,ro /
mount -t tmpfs -o mode=1777,size=64m tmpfs "$WRITABLE"
if touch /paraaf-write-check 2>/dev/null; then echo "the root is writable" >&2; exit 97; fi
"$PARAAF" -m bot.cli.main demo --no-samples --json >/dev/null
"$PARAAF" -m bot.cli.main tick --json >/dev/null
exec "$PARAAF" -m bot.cli.main serve
"""


def _writable() -> str:
    """Where the tmpfs goes: /tmp, unless the checkout or Python lives under it."""
    ours = [os.path.realpath(p) for p in (os.getcwd(), sys.executable, sys.prefix)]
    for candidate in ("/tmp", "/var/tmp", "/mnt", "/srv", "/media"):
        inside = any(p == candidate or p.startswith(candidate + "/") for p in ours)
        if os.path.isdir(candidate) and not os.path.islink(candidate) and not inside:
            return candidate
    return ""


WRITABLE = _writable()


def _namespace_problem() -> str | None:
    if not WRITABLE:
        return "no folder for the writable volume outside the checkout and Python"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    if os.geteuid() != 0:
        return "a read-only remount needs root"
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            f"mount -o remount,bind,ro / && mount -t tmpfs tmpfs {WRITABLE}"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"no read-only mount namespace here: {probe.stderr.strip()[:200]}"
    return None


PROBLEM = _namespace_problem() if sys.platform == "linux" else "not Linux"
pytestmark = pytest.mark.skipif(
    PROBLEM is not None, reason=f"read-only root not checked here: {PROBLEM}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
async def keys() -> AsyncIterator[KeyServer]:
    server = KeyServer(Signer("key-teams"))
    await server.start()
    yield server
    await server.stop()


async def test_demo_tick_and_serve_run_on_a_read_only_root(keys: KeyServer) -> None:
    port = _free_port()
    env = {**os.environ, "PARAAF": sys.executable, "PYTHONDONTWRITEBYTECODE": "1",
           "PARAAF_MODE": "production", "PARAAF_HOST": "127.0.0.1", "PARAAF_PORT": str(port),
           "PARAAF_DATA": f"{WRITABLE}/paraaf-data", "WRITABLE": WRITABLE, "TMPDIR": WRITABLE,
           "PARAAF_APP_ID": APP_ID,
           "PARAAF_APP_PASSWORD": "not-a-real-secret", "PARAAF_DELIVERY": "off",
           "PARAAF_BOT_OPENID_METADATA_URL": keys.url, "HOME": "/nonexistent"}
    process = await asyncio.create_subprocess_exec(
        "unshare", "--mount", "--propagation", "private", "sh", "-c", SCRIPT,
        env=env, cwd=os.getcwd(), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    health: int | None = None
    ready: dict[str, str] = {}
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(600):  # bounded: at most about 60 s for demo, tick and start
                if process.returncode is not None:
                    break
                try:
                    async with session.get(f"{base}/healthz") as answer:
                        health = answer.status
                    async with session.get(f"{base}/readyz") as answer:
                        ready = await answer.json()
                    if ready.get("status") == "ready":
                        break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
    finally:
        if process.returncode is None:
            process.terminate()
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    errors = err.decode(errors="replace")
    said = (out.decode(errors="replace") + errors)[-2000:]
    assert health == 200, said
    assert ready == {"status": "ready"}, said
    assert keys.metadata_requests >= 1
    assert "Read-only file system" not in errors
