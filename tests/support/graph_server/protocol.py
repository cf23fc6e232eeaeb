"""Request/response values shared by the handlers, and Graph-shaped errors.

The handlers never see aiohttp: they take a `GraphRequest` and give a `GraphResponse`, so the
same code answers a plain HTTP request and a `$batch` sub-request.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from multidict import CIMultiDict

# What Graph sends for an OData JSON answer.
ODATA_JSON = (
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;"
    "charset=utf-8"
)
PLAIN_JSON = "application/json"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """SharePoint's timestamp shape: whole seconds, UTC, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class GraphError(Exception):
    """An error answer: status, Graph error code and message (plus extra headers)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


class DropConnection(Exception):
    """Raised by a fault: the server closes the connection without an answer."""


def bad_request(message: str, code: str = "invalidRequest") -> GraphError:
    return GraphError(400, code, message)


def item_not_found(message: str = "Item not found") -> GraphError:
    return GraphError(404, "itemNotFound", message)


@dataclass
class GraphRequest:
    """One request to the Graph surface, from HTTP or from a `$batch` envelope."""

    method: str
    path: str  # decoded, without the /v1.0 prefix, e.g. /sites/{id}/lists
    query: list[tuple[str, str]]
    headers: CIMultiDict[str]
    body: bytes
    base_url: str  # http://127.0.0.1:PORT/v1.0
    in_batch: bool = False
    # a path-addressed drive item (`root:/a/b.docx:`): (base item ref, relative path)
    item_path: tuple[str, str] | None = None
    # set by faults
    force_race: bool = False
    # identity of the caller, from the bearer token
    caller: dict[str, Any] = field(default_factory=dict)
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @staticmethod
    def parse_query(raw: str) -> list[tuple[str, str]]:
        return parse_qsl(raw, keep_blank_values=True)

    def param(self, *names: str) -> str | None:
        """A query option by any of its spellings (`$top` or `top`), first one wins."""
        wanted = {n.lower() for n in names}
        for key, value in self.query:
            if key.lower() in wanted:
                return value
        return None

    def json(self) -> Any:
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise bad_request("Invalid request body: the JSON could not be read.") from exc

    def json_object(self) -> dict[str, Any]:
        data = self.json()
        if not isinstance(data, dict):
            raise bad_request("Invalid request body: a JSON object is expected.")
        return data

    @property
    def client_request_id(self) -> str:
        return self.headers.get("client-request-id") or self.request_id

    def prefer(self) -> set[str]:
        values: set[str] = set()
        for header in self.headers.getall("Prefer", []):
            values |= {part.strip().lower() for part in header.split(",") if part.strip()}
        return values


@dataclass
class GraphResponse:
    status: int
    body: Any = None  # a JSON-able value, or bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None

    @staticmethod
    def json(status: int, body: Any, headers: dict[str, str] | None = None) -> GraphResponse:
        return GraphResponse(status, body, dict(headers or {}), ODATA_JSON)

    @staticmethod
    def empty(status: int = 204, headers: dict[str, str] | None = None) -> GraphResponse:
        return GraphResponse(status, None, dict(headers or {}), None)

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, ensure_ascii=False).encode()


def error_response(error: GraphError, request: GraphRequest) -> GraphResponse:
    """Graph's error body, with the `innerError` block every answer carries."""
    body = {
        "error": {
            "code": error.code,
            "message": error.message,
            "innerError": {
                "date": utc_now().strftime("%Y-%m-%dT%H:%M:%S"),
                "request-id": request.request_id,
                "client-request-id": request.client_request_id,
            },
        }
    }
    return GraphResponse(error.status, body, dict(error.headers), PLAIN_JSON)
