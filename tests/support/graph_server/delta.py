"""`GET /sites/{site}/lists/{list}/items/delta`: list items changed since a token.

As the service does it (learn.microsoft.com, "listItem: delta"):
- without a token the whole list is enumerated; with `token=latest` the answer is empty and
  carries only an `@odata.deltaLink`; with a token from an earlier `@odata.deltaLink`, the
  items created or changed since then, each once in its latest state, and the deleted ones as
  `{"id": ..., "@removed": {"reason": "deleted"}}`;
- pages of `$top` (default 200) joined by `@odata.nextLink`; the last page carries the
  `@odata.deltaLink`; both links keep the request's other options (`expand`, `$select`);
- a token the service no longer knows (never issued, or expired: only the newest
  ``TOKENS_KEPT`` per list are kept, and :func:`expire` forgets them all) answers
  `410 Gone` (`resyncRequired`) with a `Location` to start a new enumeration.

A token stands for a snapshot of the list (each item's version): the changes since it are
the items whose version differs, plus the ones gone from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tests.support.graph_server import odata
from tests.support.graph_server.model import Site, SpList
from tests.support.graph_server.protocol import GraphError, GraphRequest, GraphResponse
from tests.support.graph_server.state import State

TOKENS_KEPT = 200
FUNCTION = re.compile(r"/delta\((?:token='[^']*')?\)$", re.IGNORECASE)
REMOVED = {"reason": "deleted"}


@dataclass
class Cursor:
    """A token: the list as the client has it (``seen``), and for a page link the entries
    still to come (``rest``) before the delta link of ``target``."""

    seen: dict[int, int]
    rest: list[int] | None = None
    target: dict[int, int] | None = None


def snapshot(sp_list: SpList) -> dict[int, int]:
    return {item.id: item.version for item in sp_list.items.values()}


def expire(sp_list: SpList) -> None:
    """Every token of the list is forgotten (as after a long time, or a site restore)."""
    sp_list.delta_tokens.clear()


def _issue(state: State, sp_list: SpList, cursor: Cursor) -> str:
    token = state.ids.guid().replace("-", "")
    sp_list.delta_tokens[token] = cursor
    while len(sp_list.delta_tokens) > TOKENS_KEPT:
        sp_list.delta_tokens.pop(next(iter(sp_list.delta_tokens)))
    return token


def _link(request: GraphRequest, token: str | None) -> str:
    kept = [(k, v) for k, v in request.query if k.lower() not in ("token", "$deltatoken")]
    if token is not None:
        kept.append(("token", token))
    rendered = "&".join(f"{k}={quote(v, safe=chr(39) + '()=,/$:@*')}" for k, v in kept)
    path = FUNCTION.sub("/delta", request.path)  # the links name the token as an option
    return f"{request.base_url}{quote(path, safe='/:,!()$@')}" + (
        f"?{rendered}" if rendered else "")


def items_delta(state: State, request: GraphRequest, p: dict[str, str],
                token: str | None = None) -> GraphResponse:
    from tests.support.graph_server.listitems import item_json

    site: Site = state.site(p["site"])
    sp_list = state.sp_list(site, p["list"])
    token = token or request.param("token", "$deltatoken")
    expand = odata.parse_expand(request.param("$expand", "expand"))
    top = odata.parse_top(request.param("$top", "top"), state.config.item_page_default,
                          state.config.item_page_max)
    now = snapshot(sp_list)
    if token == "latest":
        entries: list[int] = []
        target = now
    elif not token:
        entries, target = sorted(now), now
    else:
        cursor = sp_list.delta_tokens.get(token)
        if cursor is None:
            raise _gone(request)
        if cursor.rest is not None and cursor.target is not None:
            entries, target = cursor.rest, cursor.target
        else:
            seen = cursor.seen
            entries = sorted({i for i, v in now.items() if seen.get(i) != v}
                             | {i for i in seen if i not in now})
            target = now
    page, rest = entries[:top], entries[top:]
    body: dict[str, Any] = {
        "@odata.context": f"{request.base_url}/$metadata#Collection(listItem)",
    }
    values = []
    for item_id in page:
        item = sp_list.items.get(item_id)
        if item is None:
            values.append({"@odata.type": "#microsoft.graph.listItem", "id": str(item_id),
                           "@removed": dict(REMOVED)})
        else:
            values.append(item_json(request, site, sp_list, item, context=False,
                                    expand=expand))
    if rest:
        body["@odata.nextLink"] = _link(request, _issue(
            state, sp_list, Cursor(seen={}, rest=rest, target=target)))
    else:
        body["@odata.deltaLink"] = _link(request, _issue(state, sp_list, Cursor(seen=target)))
    body["value"] = values
    return GraphResponse.json(200, body)


def _gone(request: GraphRequest) -> GraphError:
    return GraphError(410, "resyncRequired",
                      "The delta token is no longer valid: start again without a token.",
                      {"Location": _link(request, None)})
