"""The aiohttp server: health endpoints now; the Teams bot endpoint joins it later."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.settings import Settings
from bot.wiring import Wiring, build

log = logging.getLogger("paraaf.server")


def make_app(wiring: Wiring) -> web.Application:
    """The web application with its routes."""
    app = web.Application(client_max_size=1024 * 1024)

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
    return app


async def serve(settings: Settings) -> None:
    """Serve until interrupted."""
    logging.basicConfig(level=settings.log_level)
    wiring = build(settings)
    runner = web.AppRunner(make_app(wiring))
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    print(f"paraaf listening on http://{settings.host}:{settings.port} ({settings.mode} mode)")
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await wiring.close()
