"""Local mode (no authentication) answers loopback clients only, and never a web page.

The server listens on loopback, but a web page in a browser on the same machine can still reach
it: directly (a cross-origin request), or through DNS rebinding, where ``evil.example``
resolves to 127.0.0.1 and the browser sends ``Host: evil.example:3978``. So in local mode a
request is answered only when its ``Host`` is a loopback name or address and it carries no
``Origin`` other than the Agents Playground's own (the Playground posts from Node.js, without
one) or the server's own (the tab's pages, served from it). Bodies must be
``application/json``, which a plain HTML form cannot send.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

_HOST = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[^:\[\]]+)(?::(?P<port>[0-9]{1,5}))?")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def loopback_host(host: str) -> bool:
    """Whether a ``Host`` header names this machine: localhost, 127.0.0.0/8 or ::1."""
    match = _HOST.fullmatch(host)
    if match is None:
        return False
    name = match.group("name").lower().strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def playground_origins(port: int) -> set[str]:
    """The origins the Agents Playground's web page has when it listens on ``port``."""
    return {f"http://localhost:{port}", f"http://127.0.0.1:{port}"}


def own_origin(request: web.Request) -> str:
    """The origin of this server's own pages, as the request addressed it."""
    return f"{request.scheme}://{request.headers.get('Host', '')}"


def refusal(request: web.Request, origins: set[str]) -> str | None:
    """Why local mode refuses this request, or None."""
    if not loopback_host(request.headers.get("Host", "")):
        return "local mode answers requests for localhost only"
    origin = request.headers.get("Origin")
    # a page of this server itself (the tab under /tab/) is no stranger: its origin is the
    # loopback address checked above
    if origin is not None and origin not in origins and origin != own_origin(request):
        return "local mode does not answer web pages"
    return None


def local_guard(origins: set[str]) -> Callable[[web.Request, Handler],
                                               Awaitable[web.StreamResponse]]:
    """Middleware refusing with 403 what ``refusal`` names; ``origins`` may grow later
    (the Playground's origin is known once it listens)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = refusal(request, origins)
        if reason is not None:
            return web.json_response({"error": reason}, status=403)
        return await handler(request)

    return guard
