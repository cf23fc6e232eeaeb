"""Route table and the rewriting of Graph's path-addressing forms to canonical paths.

Graph addresses the same resource in several ways; before matching, the dispatcher rewrites:

- `/sites/{hostname}:/{server-relative-path}[:][/rest]` and `/sites/root` -> `/sites/{site-id}`
- `/sites/{site}/drive[/rest]`, `/sites/{site}/lists/{list}/drive/{rest}` -> `/drives/{id}/...`
- `/drives/{d}/root[/rest]` -> `/drives/{d}/items/root[/rest]`
- `/drives/{d}/root:/{path}:[/rest]`, `/drives/{d}/items/{id}:/{path}:[/rest]`
  -> `/drives/{d}/items/@path[/rest]` with `request.item_path = (base, path)`
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.support.graph_server.protocol import GraphError, GraphRequest, GraphResponse

if TYPE_CHECKING:
    from tests.support.graph_server.state import State

Result = GraphResponse | Awaitable[GraphResponse]
Handler = Callable[["State", GraphRequest, dict[str, str]], Result]

_SITE_BY_PATH = re.compile(r"^/sites/(?P<host>[^/,:]+):(?P<rest>/.*)?$", re.IGNORECASE)
_SITE_DRIVE = re.compile(
    r"^/sites/(?P<site>[^/]+)(?:/lists/(?P<list>[^/]+))?/drive(?P<rest>/.*)?$", re.IGNORECASE
)
_DRIVE_ROOT = re.compile(r"^/drives/(?P<d>[^/]+)/root(?P<rest>/.*)?$", re.IGNORECASE)
_DRIVE_PATH = re.compile(
    r"^/drives/(?P<d>[^/]+)/(?:root|items/(?P<item>[^/:]+)):(?P<path>/?[^:]*)(?::(?P<rest>/.*)?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    cost: str  # read | write | permission: for the resource-unit estimate

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler, cost: str | None = None) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        default_cost = "read" if method == "GET" else "write"
        self.routes.append(Route(method, template, re.compile(f"^{regex}$", re.IGNORECASE),
                                 handler, cost or default_cost))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed = False
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            if route.method == method:
                return route, found.groupdict()
            allowed = True
        if allowed:
            raise GraphError(405, "BadRequest",
                             "Specified HTTP method is not allowed for the request target.")
        parts = [p for p in path.split("/") if p]
        known = 0
        for count in range(len(parts), 0, -1):
            prefix = "/" + "/".join(parts[:count])
            if any(r.pattern.match(prefix) for r in self.routes):
                known = count
                break
        segment = parts[min(known, len(parts) - 1)] if parts else ""
        raise GraphError(400, "BadRequest", f"Resource not found for the segment '{segment}'.")


def rewrite(state: State, request: GraphRequest) -> str:
    """The canonical path for `request.path` (sets `request.item_path` when path-addressed)."""
    path = request.path
    found = _SITE_BY_PATH.match(path)
    if found:
        rest = found.group("rest") or "/"
        site_path, _, tail = rest.partition(":")
        if tail and not tail.startswith("/"):
            raise GraphError(400, "invalidRequest", "Invalid hostname for this tenancy")
        site = state.site_by_path(found.group("host"), site_path)
        path = f"/sites/{site.id}{tail}"
    elif path.lower().startswith("/sites/root"):
        path = f"/sites/{state.site('root').id}{path[len('/sites/root'):]}"
    found = _SITE_DRIVE.match(path)
    if found and (found.group("list") is None or found.group("rest")):
        site = state.site(found.group("site"))
        if found.group("list"):
            drive = state.drive_of(state.sp_list(site, found.group("list")))
        else:
            drive = state.drives[site.lists[site.default_drive_list_id or ""].drive_id or ""]
        path = f"/drives/{drive.id}{found.group('rest') or ''}"
    found = _DRIVE_PATH.match(path)
    if found:
        base = found.group("item") or "root"
        request.item_path = (base, found.group("path").strip("/"))
        return f"/drives/{found.group('d')}/items/@path{found.group('rest') or ''}"
    found = _DRIVE_ROOT.match(path)
    if found:
        return f"/drives/{found.group('d')}/items/root{found.group('rest') or ''}"
    return path


def stats_key(route: Route, request: GraphRequest) -> str:
    if request.item_path is not None:
        base = "root" if request.item_path[0] == "root" else "items/{item}"
        return route.key.replace("items/{item}", base + ":/{path}:")
    return route.key
