"""The command line against Microsoft 365, with the Graph test server as the tenant: ``paraaf``
run in process in a worker thread (it starts its own event loop, as from a shell) while the
server answers on the test's loop. The fixtures (``paraaf``, ``server``, ``graph_backend``) are
in tests/e2e/conftest.py."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bot.cli.main import main
from tests.support.graph_server import GraphServer

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://contoso.sharepoint.com/sites/paraaf"
TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"  # PARAAF_GRAPH_TENANT_ID of these tests
WRITES = ("POST", "PATCH", "PUT", "DELETE")


class Paraaf:
    """`paraaf ...` with the environment pointing at the test server."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys
        self.out = ""
        self.err = ""

    async def __call__(self, *args: str) -> int:
        self._capsys.readouterr()
        code = await asyncio.to_thread(main, list(args))
        captured = self._capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code

    async def provision(self, *args: str) -> int:
        return await self("provision", "--site", SITE, *args)


def entra_directory() -> dict[str, Any]:
    """The demo directory with the beheerders as the Entra group GraphDirectory reads."""
    data = yaml.safe_load((ROOT / "local/demo/directory.yaml").read_text("utf-8"))
    admins = [u["upn"] for u in data["users"] if u.get("admin")]
    data.setdefault("groups", []).append({"id": "paraaf-beheerders", "name": "paraaf beheerders",
                                          "members": admins})
    return dict(data)


def writes(server: GraphServer) -> list[str]:
    """The writes the server answered, as ``METHOD route``."""
    return [f"{r.method} {r.route}" for r in server.stats.records if r.method in WRITES]


async def call(server: GraphServer, method: str, path: str, body: Any = None) -> Any:
    """One request to the server, as someone changing the tenant by hand."""
    async with httpx.AsyncClient(base_url=server.base_url,
                                 headers={"Authorization": "Bearer test"}) as http:
        answer = await http.request(method, path, json=body)
        answer.raise_for_status()
        return answer.json() if answer.content else None
