"""The aiohttp server: the Teams endpoint, health checks, and the delivery worker."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import re
import socket
import time
from typing import Any
from urllib.parse import urlparse

from aiohttp import web

from bot.settings import Settings
from bot.wiring import Wiring, build

log = logging.getLogger("paraaf.server")

BEARER = re.compile(r"^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
MAX_BODY = 256 * 1024
UNAUTHORIZED = {"error": "unauthorized"}

RUNTIME: web.AppKey[Any] = web.AppKey("runtime", object)


def _loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Runtime:
    """The bot, its gateway and the delivery worker, built from the wiring."""

    def __init__(self, wiring: Wiring) -> None:
        from bot.app import Bot
        from bot.botframework import BotFrameworkGateway, ParaafHandler
        from bot.context import BotContext

        settings = wiring.settings
        self.settings = settings
        self.wiring = wiring
        self.gateway = BotFrameworkGateway(settings)
        ctx = BotContext(wiring.services, wiring.conversations, wiring.documents,
                         settings.tenant_allowlist, settings.language,
                         local_demo=settings.mode == "local", timezone=settings.timezone)
        worker = f"{socket.gethostname()}-{os.getpid()}"
        outbox: Any = wiring.services.store  # the local store is the outbox as well
        self.bot = Bot.build(ctx, outbox, self.gateway, worker)
        self.handler = ParaafHandler(self.bot.on_inbound)
        self._stop = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.settings.delivery:
            self._worker = asyncio.create_task(self.bot.delivery.run(self._stop))

    async def stop(self) -> None:
        self._stop.set()
        if self._worker is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        await self.bot.drain()

    async def messages(self, request: web.Request) -> web.Response:
        """``POST /api/messages``: one activity from Teams."""
        auth = request.headers.get("Authorization", "")
        production = self.settings.mode == "production"
        if production and not BEARER.match(auth):
            return web.json_response(UNAUTHORIZED, status=401)
        if request.content_type != "application/json":
            return web.json_response({"error": "expected application/json"}, status=415)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "the body is not JSON"}, status=400)
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            return web.json_response({"error": "the body is not an activity"}, status=400)
        if not production and not _loopback(str(body.get("serviceUrl", ""))):
            return web.json_response({"error": "local mode answers loopback only"}, status=400)
        try:
            status, payload = await self.gateway.process_activity(auth, body, self.handler)
        except PermissionError:
            return web.json_response(UNAUTHORIZED, status=401)
        except Exception:
            if production:  # token checks that fail on the way (keys, metadata) deny access
                log.warning("activity refused", exc_info=True)
                return web.json_response(UNAUTHORIZED, status=401)
            raise
        if payload is None:
            return web.Response(status=status)
        return web.json_response(payload, status=status)


@web.middleware
async def server_timing(request: web.Request, handler: Any) -> web.StreamResponse:
    """Report the server's own time in a ``Server-Timing`` header (benchmarks read it)."""
    started = time.perf_counter()
    response: web.StreamResponse = await handler(request)
    elapsed = (time.perf_counter() - started) * 1000
    response.headers["Server-Timing"] = f"app;dur={elapsed:.3f}"
    return response


def make_app(wiring: Wiring, with_bot: bool = True) -> web.Application:
    """The web application with its routes."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[server_timing])

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        try:
            await wiring.services.store.list_summaries(limit=1)
        except Exception as exc:  # the store is what readiness is about
            log.warning("store not reachable", extra={"error": type(exc).__name__})
            return web.json_response({"status": "unavailable"}, status=503)
        return web.json_response({"status": "ready"})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    if with_bot:
        runtime = Runtime(wiring)
        app[RUNTIME] = runtime
        app.router.add_post("/api/messages", runtime.messages)

        async def lifecycle(app: web.Application) -> Any:
            await runtime.start()
            yield
            await runtime.stop()

        app.cleanup_ctx.append(lifecycle)
    return app


async def serve(settings: Settings, playground: bool = False) -> None:
    """Serve until interrupted; with ``playground``, the Agents Playground in front of it."""
    from bot.logs import setup_logging

    setup_logging(settings)
    wiring = build(settings)
    runner = web.AppRunner(make_app(wiring), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    print(f"paraaf listening on http://{settings.host}:{settings.port} ({settings.mode} mode)",
          flush=True)
    try:
        if playground:
            from bot.local_playground import run_playground

            await run_playground(settings)
        else:
            await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await wiring.close()
