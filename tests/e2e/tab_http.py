"""The server with the tab's API on 127.0.0.1 (in this process), and a client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.settings import Settings
from bot.tab.api import Tab, channel
from bot.teams.server import make_app
from bot.wiring import Wiring, build, tab
from tests.e2e.bot_http import OIDS


class TabClient:
    """Calls the API over real HTTP as one user (``X-Paraaf-User`` in local mode, or a
    bearer token)."""

    def __init__(self, base: str, wiring: Wiring, tab: Tab,
                 session: aiohttp.ClientSession) -> None:
        self.base = base
        self.wiring = wiring
        self.tab = tab
        self.session = session

    async def call(self, method: str, path: str, *, user: str | None = None,
                   token: str | None = None, body: Any = None, lang: str | None = None,
                   headers: dict[str, str] | None = None) -> tuple[int, Any]:
        sent = dict(headers or {})
        if user is not None:
            sent["X-Paraaf-User"] = OIDS.get(user, user)
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if lang is not None:
            sent["Accept-Language"] = lang
        async with self.session.request(method, f"{self.base}{path}", json=body,
                                        headers=sent) as response:
            text = await response.text()
            try:
                return response.status, await response.json(content_type=None)
            except ValueError:
                return response.status, text

    async def get(self, path: str, **options: Any) -> tuple[int, Any]:
        return await self.call("GET", path, **options)

    async def post(self, path: str, body: Any, **options: Any) -> tuple[int, Any]:
        return await self.call("POST", path, body=body, **options)


@asynccontextmanager
async def tab_server(data: Path, env: dict[str, str] | None = None,
                     ) -> AsyncIterator[TabClient]:
    """The server (bot and tab, delivery off) on ``data``, on an ephemeral port."""
    settings = Settings.from_env({"PARAAF_DELIVERY": "off", **(env or {})}, data_dir=str(data))
    wiring = build(settings)
    the_tab = tab(wiring)
    app = make_app(wiring, channels=[channel(the_tab)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as session:
            yield TabClient(f"http://127.0.0.1:{port}", wiring, the_tab, session)
    finally:
        await runner.cleanup()
        await wiring.close()
