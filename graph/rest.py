"""Microsoft Graph requests as JSON, through msgraph-sdk's own request adapter.

Requests go through the SDK's middleware (authentication, redirects, its retry handler for
429/503/504 honouring ``Retry-After``), but bodies are read as JSON rather than parsed into
SDK models: the models cost about 6 ms of CPU per list item, and ``client.batch.post``
returns no bodies at all (JSON batches are in ``graph.list_requests``). A dropped
connection is *not* retried by the SDK; it surfaces as :class:`GraphUnavailable`, and
callers re-read before they try a write again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import httpx
from kiota_abstractions.api_error import APIError
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph import GraphServiceClient
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

log = logging.getLogger("paraaf.graph")

BATCH_LIMIT = 20
_METHODS = {"GET": Method.GET, "POST": Method.POST, "PATCH": Method.PATCH, "PUT": Method.PUT,
            "DELETE": Method.DELETE}


class GraphError(Exception):
    """Graph answered with an error status; ``status`` 0 means no answer at all."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class GraphUnavailable(GraphError):
    """The connection dropped or timed out: the request may or may not have been applied."""


class Graph:
    """JSON requests to Graph, e.g. ``await graph.request("GET", "/sites/x/lists")``."""

    def __init__(self, client: GraphServiceClient) -> None:
        self.client = client
        self.adapter = client.request_adapter
        # what wraps each request (bot/telemetry.py sets a span there); nothing by default
        self.watch: Callable[[str, str], AbstractContextManager[object]] | None = None

    @property
    def base_url(self) -> str:
        return str(self.adapter.base_url).rstrip("/")

    async def request(self, method: str, path: str, body: Any = None,
                      headers: dict[str, str] | None = None) -> Any:
        """Send one request; returns the parsed JSON body (None when there is none)."""
        if self.watch is None:
            return await self._request(method, path, body, headers)
        with self.watch(method, path):
            return await self._request(method, path, body, headers)

    async def _request(self, method: str, path: str, body: Any,
                       headers: dict[str, str] | None) -> Any:
        info = RequestInformation()
        info.http_method = _METHODS[method]
        info.url = path if path.startswith("http") else self.base_url + path
        for name, value in (headers or {}).items():
            info.headers.add(name, value)
        if body is not None:
            info.set_stream_content(json.dumps(body).encode("utf-8"), "application/json")
        send: Any = self.adapter.send_primitive_async  # typed as returning None; it does not
        try:
            raw = await send(info, "bytes", {"XXX": ODataError})
        except ODataError as error:
            detail = error.error
            raise GraphError(error.response_status_code or 0,
                             (detail.code if detail else None) or "error",
                             (detail.message if detail else None) or str(error)) from error
        except APIError as error:
            raise GraphError(error.response_status_code or 0, "error", str(error)) from error
        except (httpx.TransportError, httpx.TimeoutException) as error:
            raise GraphUnavailable(0, type(error).__name__, str(error)) from error
        return json.loads(raw) if raw else None

    async def get_all(self, path: str, headers: dict[str, str] | None = None,
                      limit: int = 100_000) -> list[dict[str, Any]]:
        """Every item of a collection, following ``@odata.nextLink`` (headers re-sent)."""
        items: list[dict[str, Any]] = []
        url: str | None = path
        while url and len(items) < limit:
            page = await self.request("GET", url, headers=headers)
            items.extend(page.get("value", []))
            url = page.get("@odata.nextLink")
        return items
