"""SharePoint list items through Graph: query by indexed columns, read, create, conditional
update and delete. Items come back as :class:`Item` (id, eTag, fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from graph.rest import Graph, GraphError

PAGE = 500


class PreconditionFailed(GraphError):
    """The item changed since it was read (HTTP 412 on ``If-Match``)."""


class Duplicate(GraphError):
    """A unique column already holds this value (HTTP 409)."""


class NotFound(GraphError):
    """No such list, item or site (HTTP 404)."""


@dataclass(frozen=True)
class Item:
    """A list item: its id, eTag and column values."""

    id: str
    etag: str
    fields: dict[str, Any]


def _item(data: dict[str, Any]) -> Item:
    fields = data.get("fields") or {}
    etag = data.get("eTag") or data.get("@odata.etag") or fields.get("@odata.etag") or ""
    return Item(str(data.get("id") or fields.get("id")), str(etag), dict(fields))


def odata_text(value: str) -> str:
    """A string literal for ``$filter`` (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def _specific(error: GraphError) -> GraphError:
    kinds = {412: PreconditionFailed, 409: Duplicate, 404: NotFound}
    kind = kinds.get(error.status)
    return kind(error.status, error.code, error.message) if kind else error


class SiteLists:
    """The lists of one site, addressed by title; list ids are looked up once."""

    def __init__(self, graph: Graph, site_id: str) -> None:
        self.graph = graph
        self.site_id = site_id
        self._ids: dict[str, str] = {}

    def site_path(self) -> str:
        return f"/sites/{self.site_id}"

    async def list_id(self, title: str) -> str:
        if title not in self._ids:
            data = await self.call("GET", f"{self.site_path()}/lists/{quote(title)}?$select=id")
            self._ids[title] = str(data["id"])
        return self._ids[title]

    async def items_path(self, title: str) -> str:
        return f"{self.site_path()}/lists/{await self.list_id(title)}/items"

    async def call(self, method: str, path: str, body: Any = None,
                   headers: dict[str, str] | None = None) -> Any:
        """One request; 412, 409 and 404 become their own exceptions."""
        try:
            return await self.graph.request(method, path, body, headers)
        except GraphError as error:
            raise _specific(error) from error

    async def query(self, title: str, filter: str | None = None, *, orderby: str | None = None,
                    top: int = PAGE, limit: int = 100_000) -> list[Item]:
        """Items matching a filter on indexed columns, every page of them."""
        params = ["expand=fields", f"$top={top}"]
        if filter:
            params.append("$filter=" + quote(filter, safe="/'(),= "))
        if orderby:
            params.append("$orderby=" + quote(orderby, safe="/ ,"))
        path = await self.items_path(title) + "?" + "&".join(params)
        rows = await self.graph.get_all(path, limit=limit)
        return [_item(row) for row in rows]

    async def get(self, title: str, item_id: str) -> Item:
        path = f"{await self.items_path(title)}/{item_id}?expand=fields"
        return _item(await self.call("GET", path))

    async def create(self, title: str, fields: dict[str, Any]) -> Item:
        return _item(await self.call("POST", await self.items_path(title), {"fields": fields}))

    async def update(self, title: str, item_id: str, fields: dict[str, Any],
                     etag: str | None = None) -> Item:
        """Set fields; with ``etag`` only if the item is unchanged (else PreconditionFailed).

        Returns the item as it is after the write, with its new eTag.
        """
        headers = {"If-Match": etag} if etag else None
        path = f"{await self.items_path(title)}/{item_id}/fields"
        data = await self.call("PATCH", path, fields, headers)
        new_etag = str((data or {}).get("@odata.etag") or "")
        return Item(item_id, new_etag, dict(data or {}))

    async def delete(self, title: str, item_id: str, etag: str | None = None) -> None:
        headers = {"If-Match": etag} if etag else None
        await self.call("DELETE", f"{await self.items_path(title)}/{item_id}", None, headers)
