"""The tab's web app under ``/tab/``: the files ``make install`` builds into web/dist.

A path below ``/tab/`` that names a built file gets that file; any other path gets
``index.html``, so the app's own routes (/tab/werkvoorraad, /tab/dossiers/<id>, /tab/beheer)
load on a reload too. Without web/dist a plain 503 page says how to build it.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from cards.strings import lang_for, strings

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist"
# Teams shows the tab in a frame: only Teams and Microsoft 365 may frame it
FRAME_ANCESTORS = ("frame-ancestors 'self' https://teams.microsoft.com "
                   "https://*.teams.microsoft.com https://*.office.com https://*.cloud.microsoft "
                   "https://*.skype.com")


def _headers(immutable: bool) -> dict[str, str]:
    return {
        "Content-Security-Policy": FRAME_ANCESTORS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache",
    }


def file_for(dist: Path, tail: str) -> Path | None:
    """The built file ``tail`` names inside ``dist`` (never outside it), or None."""
    if not tail or "\x00" in tail:
        return None
    try:
        candidate = (dist / tail).resolve()
        root = dist.resolve()
    except (OSError, ValueError):
        return None
    if candidate != root and root in candidate.parents and candidate.is_file():
        return candidate
    return None


def make_handler(dist: Path = DIST,
                 ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def tab(request: web.Request) -> web.StreamResponse:
        index = dist / "index.html"
        if not index.is_file():
            lang = lang_for(request.headers.get("Accept-Language", "").split(",")[0])
            text = html.escape(strings(lang).tab_not_built)
            page = (f'<!doctype html><html lang="{lang}"><meta charset="utf-8">'
                    f"<title>paraaf</title><p>{text}</p></html>")
            return web.Response(text=page, status=503, content_type="text/html",
                                headers={"Cache-Control": "no-store"})
        found = file_for(dist, request.match_info.get("tail", ""))
        if found is not None:
            immutable = "assets" in found.relative_to(dist.resolve()).parts
            return web.FileResponse(found, headers=_headers(immutable))
        return web.FileResponse(index, headers=_headers(False))

    return tab


def install(app: web.Application, dist: Path = DIST) -> None:
    handler = make_handler(dist)

    async def to_slash(request: web.Request) -> web.Response:
        raise web.HTTPPermanentRedirect("/tab/")

    app.router.add_get("/tab", to_slash)
    app.router.add_get("/tab/{tail:.*}", handler)
