"""The aiohttp server: the Teams endpoint, health checks, and the delivery worker."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import ipaddress
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from aiohttp import web

from bot.local_guard import local_guard
from bot.settings import Settings, SettingsError
from bot.signing_keys import KeysUnavailable, SigningKeys
from bot.teams.activity_check import MAX_BODY, BadActivity, check_envelope, parse_body
from bot.teams.channel_token import ChannelToken, ChannelTokenValidator, TokenRefused
from bot.telemetry import Telemetry, activate

if TYPE_CHECKING:  # the wiring builds the objects and hands them in (bot.wiring.serve)
    from bot.wiring import TeamsChannel, Wiring

log = logging.getLogger("paraaf.server")

UNAUTHORIZED = {"error": "unauthorized"}
AUTH_BUDGET = 4.5  # seconds: a request that cannot be authenticated by then is refused

LOCAL_ORIGINS: web.AppKey[set[str]] = web.AppKey("local_origins", set)
TELEMETRY: web.AppKey[Telemetry] = web.AppKey("telemetry", Telemetry)


def _loopback(url: str) -> bool:
    try:
        host = urlparse(url).hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _error(reason: str, status: int) -> web.Response:
    return web.json_response({"error": reason}, status=status)


class Runtime:
    """The Teams channel the wiring built (the bot, its outbox worker, the SDK intake),
    served: token checks in front, the delivery worker beside it."""

    def __init__(self, settings: Settings, channel: TeamsChannel,
                 telemetry: Telemetry | None = None) -> None:
        self.telemetry = telemetry or Telemetry()
        self.settings = settings
        self.production = settings.mode == "production"
        self.keys = SigningKeys(settings.bot_openid_metadata_url)
        self.tokens = ChannelTokenValidator(self.keys, settings.app_id)
        self.bot = channel.bot
        self.intake = channel.intake
        self._stop = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.production:
            self.keys.refresh_soon()  # fetched in the background; /readyz tells when
        if self.settings.delivery:
            self._worker = asyncio.create_task(self.bot.delivery.run(self._stop))

    async def stop(self) -> None:
        await self.keys.close()
        self._stop.set()
        if self._worker is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        await self.bot.drain()

    def not_ready(self) -> str | None:
        """Why activities cannot be handled now (production: the signing keys), or None."""
        if not self.production:
            return None
        problem = self.keys.problem()
        if problem is not None:
            self.keys.refresh_soon()
        return problem

    async def _authenticate(self, request: web.Request) -> ChannelToken | web.Response:
        """The verified token, or the 401/503 answer; the body is not read before this."""
        try:
            async with asyncio.timeout(AUTH_BUDGET):
                return await self.tokens.validate(request.headers.get("Authorization", ""))
        except TokenRefused as refused:
            log.info("token refused", extra={"reason": str(refused)})
        except KeysUnavailable as error:
            log.info("token not checked: no signing keys", extra={"reason": str(error)})
            return _error("the bot cannot check tokens now", 503)
        except TimeoutError:
            log.info("token refused", extra={"reason": "not checked in time"})
        return web.json_response(UNAUTHORIZED, status=401)

    async def _read(self, request: web.Request) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise BadActivity("expected application/json", 415)
        if (request.content_length or 0) > MAX_BODY:
            raise BadActivity(f"the body is larger than {MAX_BODY} bytes", 413)
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise BadActivity(f"the body is larger than {MAX_BODY} bytes", 413) from None
        return check_envelope(parse_body(raw))

    async def messages(self, request: web.Request) -> web.Response:
        """``POST /api/messages``: one activity from Teams."""
        token: ChannelToken | None = None
        if self.production:
            checked = await self._authenticate(request)
            if isinstance(checked, web.Response):
                return checked
            token = checked
        try:
            body = await self._read(request)
            if token is not None:
                token.admits(body["channelId"], body["serviceUrl"])
            elif not _loopback(body["serviceUrl"]):
                raise BadActivity("local mode answers loopback only")
            with self.telemetry.turn(request.headers, body):
                status, payload = await self.intake(None if token is None else token.claims,
                                                    body)
        except BadActivity as bad:
            log.info("activity refused", extra={"reason": bad.reason})
            return _error(bad.reason, bad.status)
        except TokenRefused as refused:
            log.info("token refused", extra={"reason": str(refused)})
            return web.json_response(UNAUTHORIZED, status=401)
        if payload is None:
            return web.Response(status=status)
        return web.json_response(payload, status=status)


RUNTIME = web.AppKey("runtime", Runtime)
"""The served Teams channel, when the wiring built it."""


@web.middleware
async def server_timing(request: web.Request, handler: Any) -> web.StreamResponse:
    """Report the server's own time in a ``Server-Timing`` header (benchmarks read it)."""
    started = time.perf_counter()
    response: web.StreamResponse = await handler(request)
    elapsed = (time.perf_counter() - started) * 1000
    response.headers["Server-Timing"] = f"app;dur={elapsed:.3f}"
    return response


Channel = Callable[[web.Application], None]
"""Another channel on the same server: adds its routes (and start-up work) to the app."""


def make_app(wiring: Wiring, channels: Sequence[Channel] = ()) -> web.Application:
    """The web application with its routes, and those of the other ``channels`` the wiring
    hands in (the tab); in local mode only for loopback clients. The bot's route is there
    when the wiring built the Teams channel (``teams=True``)."""
    origins: set[str] = set()
    middlewares: list[Any] = [server_timing]
    if wiring.settings.mode != "production":
        middlewares.append(local_guard(origins))
    app = web.Application(client_max_size=MAX_BODY, middlewares=middlewares)
    app[LOCAL_ORIGINS] = origins

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        try:
            await wiring.services.store.list_summaries(limit=1)
        except Exception as exc:  # the store is what readiness is about
            log.warning("store not reachable", extra={"error": type(exc).__name__})
            return web.json_response({"status": "unavailable",
                                      "reason": "the store cannot be reached"}, status=503)
        runtime = app.get(RUNTIME)
        problem = runtime.not_ready() if runtime is not None else None
        if problem is not None:
            return web.json_response({"status": "unavailable", "reason": problem}, status=503)
        return web.json_response({"status": "ready"})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    telemetry = _telemetry(app, wiring)
    if wiring.teams is not None:
        runtime = Runtime(wiring.settings, wiring.teams, telemetry)
        app[RUNTIME] = runtime
        app.router.add_post("/api/messages", runtime.messages)

        async def lifecycle(app: web.Application) -> Any:
            await runtime.start()
            yield
            await runtime.stop()

        app.cleanup_ctx.append(lifecycle)
    if wiring.services.signing is not None and wiring.services.signing.provider("validsign"):
        app.router.add_post(SIGNING_CALLBACK, _signing_callback(wiring))
    for channel in channels:
        channel(app)
    return app


SIGNING_CALLBACK = "/api/validsign/callback"
MAX_CALLBACK = 64 * 1024


def _signing_callback(wiring: Wiring) -> Callable[[web.Request], Any]:
    """ValidSign's callbacks: authenticated with the callback key (401 without it); the
    package's status is then read from ValidSign and its outcome recorded once
    (approvals.signing_outcome)."""
    from approvals.signing_outcome import on_callback

    async def callback(request: web.Request) -> web.Response:
        if (request.content_length or 0) > MAX_CALLBACK:
            return _error("too large", 413)
        body = await request.content.read(MAX_CALLBACK + 1)
        if len(body) > MAX_CALLBACK:
            return _error("too large", 413)
        result = await on_callback(wiring.services, body, request.headers)
        if not result.genuine:
            log.info("signing callback refused: not authenticated")
            return web.json_response(UNAUTHORIZED, status=401)
        return web.json_response({"status": "ok"})

    return callback


def _telemetry(app: web.Application, wiring: Wiring) -> Telemetry:
    """The server's telemetry, as the wiring built it around the services (off when it
    built none), active while the app runs; with PARAAF_METRICS=on, ``GET /metrics`` in the
    Prometheus text format. Closing the wiring sends what it still holds."""
    telemetry = wiring.telemetry or Telemetry()
    app[TELEMETRY] = telemetry

    async def lifecycle(app: web.Application) -> Any:
        restore = activate(telemetry)
        yield
        restore()

    app.cleanup_ctx.append(lifecycle)
    if telemetry.tracing or telemetry.prometheus:
        log.info("telemetry", extra={"otlp_endpoint": wiring.settings.otlp_endpoint,
                                     "metrics": telemetry.prometheus})
    if telemetry.prometheus:
        async def metrics(request: web.Request) -> web.Response:
            body, content_type = telemetry.exposition()
            response = web.Response(body=body)
            response.headers["Content-Type"] = content_type
            return response

        app.router.add_get("/metrics", metrics)
    return telemetry


def settle_heap() -> None:
    """What start-up built (the modules, the SDKs, the wiring) lives as long as the server:
    the garbage collector leaves it out of every later collection, so a collection during a
    click looks at what clicks made, not at the whole process (measured on the bot
    benchmark's server: a full collection from about 300 to 35 ms on a busy machine, the
    middle one by a third)."""
    gc.collect()
    gc.freeze()


def _start_line(settings: Settings) -> str:
    """'paraaf luistert op http://127.0.0.1:3978 (lokale modus, bot op botbuilder (Bot
    Framework SDK))', in PARAAF_LANGUAGE."""
    from cards.strings import cli_strings

    c = cli_strings("en" if settings.language == "en" else "nl")
    mode = c.sv_modes[1 if settings.mode == "production" else 0]
    sdk = c.sv_sdks[1 if settings.bot_sdk == "agents" else 0]
    return c.sv_listening.format(url=f"http://{settings.host}:{settings.port}", mode=mode,
                                 sdk=sdk)


async def serve(wiring: Wiring, playground: bool = False,
                channels: Sequence[Channel] = ()) -> None:
    """Serve until interrupted; with ``playground``, the Agents Playground in front of it.
    The wiring (:func:`bot.wiring.serve`) builds the objects and closes them afterwards."""
    settings: Settings = wiring.settings
    app = make_app(wiring, channels=channels)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    settle_heap()
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        if error.errno != errno.EADDRINUSE:
            raise
        raise SettingsError(code="port_in_use", name="PARAAF_PORT", host=settings.host,
                            port=settings.port, free=settings.port + 1) from None
    print(_start_line(settings), flush=True)
    log.info("bot SDK", extra={"sdk": settings.bot_sdk})
    try:
        if playground:
            from bot.teams.local_playground import run_playground

            await run_playground(settings, app[LOCAL_ORIGINS])
        else:
            await asyncio.Event().wait()
    finally:
        await runner.cleanup()
