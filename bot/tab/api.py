"""The tab's JSON API under ``/api/v1/``, added to the server by the wiring.

Every route names its request and response models (bot/tab/models.py); the OpenAPI document
is generated from the route table (bot/tab/routes.py, bot/tab/openapi.py). A request is
authenticated first (bot/tab/auth.py), then its query and body are checked by their models,
then the handler runs. Refusals answer ``{"code", "message", "field"}`` with the message in
the request's language (``Accept-Language``: Dutch by default, English).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from approvals.errors import ConcurrencyConflict
from bot.backend_errors import is_backend_error
from bot.tab import models as m
from bot.tab.core import (
    PREFIX,
    ApiError,
    Call,
    DemoUser,
    Route,
    Tab,
    authenticate,
    error_response,
    language,
    log,
    read_input,
)
from bot.tab.openapi import document
from bot.tab.routes import routes
from bot.tab.web import install as install_web
from cards.strings import strings

__all__ = ["DemoUser", "Tab", "channel", "install"]


def endpoint(tab: Tab, route: Route) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler of a route: authenticate, check input, handle, answer."""

    async def answer(request: web.Request) -> web.Response:
        lang = language(request)
        try:
            identity = None
            if route.access == "local":
                if not tab.local_mode(request):
                    raise ApiError(404, "not_found", strings(lang).tab_not_found)
            else:
                identity = await authenticate(tab, request, lang)
                if route.access == "beheerder" and not identity.beheerder:
                    raise ApiError(403, "forbidden", strings(lang).tab_forbidden)
            query, body = await read_input(request, route, lang)
            result = await route.handler(Call(tab, request, identity, lang, query, body))
        except ApiError as error:
            return error_response(error)
        except ConcurrencyConflict:
            return error_response(ApiError(409, "concurrency_conflict", strings(lang).bot_busy))
        except Exception as error:
            if is_backend_error(error):
                log.warning("tab request: backend unavailable",
                            extra={"route": route.name, "error": type(error).__name__})
                return error_response(ApiError(503, "unavailable", strings(lang).bot_busy))
            log.exception("tab request failed", extra={"route": route.name})
            return error_response(ApiError(500, "failed", strings(lang).tab_failed))
        if isinstance(result, m.Download) and result.data is not None:
            disposition = "inline" if result.inline else "attachment"
            return web.Response(
                body=result.data, content_type=result.media_type,
                headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                         "Content-Disposition":
                         f"{disposition}; filename*=UTF-8''{quote(result.filename)}"})
        if isinstance(result, m.Download):
            return web.Response(
                text=result.content, content_type=result.media_type, charset="utf-8",
                headers={"Cache-Control": "no-store", "Content-Disposition":
                         f'attachment; filename="{result.filename}"'})
        return web.json_response(result.model_dump(mode="json"),
                                 headers={"Cache-Control": "no-store"})

    return answer


def install(tab: Tab, app: web.Application) -> None:
    """Add the API's routes, the OpenAPI document and the web app to the server."""
    table = routes()
    for route in table:
        app.router.add_route(route.method, PREFIX + route.path, endpoint(tab, route))
    spec = document()

    async def openapi(request: web.Request) -> web.Response:
        return web.json_response(spec)

    templates = [(re.compile("^" + re.escape(PREFIX + route.path).replace(
        re.escape("{id}"), "[^/]+") + "$"), route.method) for route in table]

    async def unknown(request: web.Request) -> web.Response:
        """An address the API does not have (404), or a method it does not take there
        (405, with the methods it does take)."""
        s = strings(language(request))
        # a fixed address (/admin/flows/validate) is its own, not an {id} of another
        fixed = {route.method for route in table if PREFIX + route.path == request.path}
        allowed = sorted(fixed or {method for pattern, method in templates
                                   if pattern.match(request.path)})
        if not allowed:
            return error_response(ApiError(404, "not_found", s.tab_not_found))
        response = error_response(ApiError(405, "method_not_allowed", s.tab_method_not_allowed
                                           .format(method=request.method[:16],
                                                   allowed=", ".join(allowed))))
        response.headers["Allow"] = ", ".join(allowed)
        return response

    app.router.add_get(PREFIX + "/openapi.json", openapi)
    app.router.add_route("*", PREFIX + "/{tail:.*}", unknown)
    install_web(app)

    async def keys(app: web.Application) -> Any:
        yield
        await tab.tokens.keys.close()

    app.cleanup_ctx.append(keys)


def channel(tab: Tab) -> Callable[[web.Application], None]:
    """The tab as a channel the Teams server adds to its app (bot.teams.server.make_app)."""

    def add(app: web.Application) -> None:
        install(tab, app)

    return add

