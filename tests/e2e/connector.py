"""A stand-in for the Bot Connector service on 127.0.0.1: records what the bot posts.

For benchmarks and HTTP-level tests: it answers the connector calls the bot makes (send,
reply, update, create conversation) and notes when each message arrived. The end-to-end tests
in Teams use the real Agents Playground instead.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from aiohttp import web


class Connector:
    def __init__(self) -> None:
        self.posted: list[tuple[float, str, dict[str, Any]]] = []
        self._ids = itertools.count(1)
        self.runner: web.AppRunner | None = None
        self.url = ""
        self.throttle = 0  # answer this many next messages with 429, as Teams does when busy
        self.retry_after = "1"
        self.throttled: list[float] = []  # when each 429 was given

    async def _activity(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.throttle > 0:
            self.throttle -= 1
            self.throttled.append(time.time())
            return web.json_response({"error": {"code": "Throttled", "message": "Too many"}},
                                     status=429, headers={"Retry-After": self.retry_after})
        self.posted.append((time.time(), request.match_info["conversation"], body))
        return web.json_response({"id": f"m-{next(self._ids)}"})

    async def _update(self, request: web.Request) -> web.Response:
        return web.json_response({"id": request.match_info["activity"]})

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        member = body.get("members", [{}])[0].get("id", "x")
        return web.json_response({"id": f"a:chat-{member}", "activityId": None})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}",
                            self._activity)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}",
                           self._update)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self.url

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
