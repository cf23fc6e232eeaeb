"""The server dies between the commit and the change of document access; after a restart the
folder's access follows the dossier (the access work is in the outbox, written in the commit).

Local backend, real processes: ``paraaf serve`` on a demo data folder, an advice posted over
HTTP while delivery is off (the commit happens, the access work waits), SIGKILL, restart.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import aiohttp
import pytest

from bot.cli.main import main
from tests.e2e.bot_http import OIDS, activity
from tests.e2e.server_process import free_port, kill, start_server

FINANCE, FINANCE2 = "f.meijer@voorbeeldstad.nl", "d.hendriks@voorbeeldstad.nl"
HEAD, INITIATOR = "h.vandijk@voorbeeldstad.nl", "t.dejong@voorbeeldstad.nl"
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}


def _access(data: Path, dossier_id: str) -> dict[str, str]:
    try:
        found = json.loads((data / "documents" / dossier_id / ".access.json").read_text("utf-8"))
    except FileNotFoundError:
        return {}
    return {str(k): str(v) for k, v in found.items()}


async def _settles(data: Path, dossier_id: str, expected: dict[str, str]) -> dict[str, str]:
    """The folder's access once it has everyone in ``expected`` at their level (bounded)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        access = _access(data, dossier_id)
        if all(access.get(OIDS[upn], "none") == level for upn, level in expected.items()):
            return access
        await asyncio.sleep(0.2)
    return _access(data, dossier_id)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    assert main(["demo", "--data", str(folder)]) == 0
    return folder


async def test_access_withdrawn_after_a_crash_between_commit_and_change(data: Path) -> None:
    port = free_port()
    server = await start_server(data, port, delivery="on")
    try:
        before = await _settles(data, "DEMO-1", {FINANCE: "write", FINANCE2: "write"})
        assert before[OIDS[FINANCE]] == "write"
        assert OIDS[HEAD] not in before
        kill(server)

        server = await start_server(data, port, delivery="off")  # commits, settles nothing
        body = activity(FINANCE, verb="advise", data=ADVICE)
        async with aiohttp.ClientSession() as session, session.post(
                f"http://127.0.0.1:{port}/api/messages", json=body) as answer:
            assert answer.status == 200
            assert (await answer.json())["statusCode"] == 200
        kill(server)  # the crash: after the commit, before the access changed
        assert _access(data, "DEMO-1") == before

        server = await start_server(data, port, delivery="on")
        wanted = {FINANCE: "read", HEAD: "write", INITIATOR: "read"}
        after = await _settles(data, "DEMO-1", wanted | {FINANCE2: "none"})
        assert {upn: after.get(OIDS[upn]) for upn in wanted} == wanted
        assert OIDS[FINANCE2] not in after  # her stage completed without her: nothing left
        assert "write" not in {after.get(OIDS[u]) for u in (FINANCE, FINANCE2, INITIATOR)}
    finally:
        if server.poll() is None:
            kill(server)
