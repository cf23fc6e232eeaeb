"""Request counting: per route, per status, HTTP requests vs logical operations, and an
estimate of SharePoint resource units (about 1 per read, 2 per write, 5 per permission
change)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

UNITS = {"read": 1, "write": 2, "permission": 5}


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str  # as sent (decoded, without /v1.0)
    route: str  # "GET /sites/{site}/lists/{list}/items", or "" when nothing matched
    status: int  # 0 when the connection was dropped without an answer
    in_batch: bool
    seconds: float
    cost: str = "read"
    fault: str | None = None  # the fault that shaped the answer, if any


class Stats:
    def __init__(self) -> None:
        self.records: list[RequestRecord] = []

    def record(self, record: RequestRecord) -> None:
        self.records.append(record)

    def reset(self) -> None:
        self.records.clear()

    @property
    def http_requests(self) -> int:
        """Requests that crossed the network (a `$batch` envelope counts once)."""
        return sum(not r.in_batch for r in self.records)

    @property
    def operations(self) -> int:
        """Graph operations: every request and batch part, not the `$batch` envelope."""
        return sum(r.route != "POST /$batch" for r in self.records)

    @property
    def resource_units(self) -> int:
        """Approximate SharePoint resource units of the operations answered 2xx/3xx."""
        return sum(UNITS.get(r.cost, 1) for r in self.records
                   if r.route.split(" ", 1)[-1].startswith(("/sites", "/drives", "/_api"))
                   and 200 <= r.status < 400)

    def count(self, method: str | None = None, path: str | None = None,
              route: str | None = None, *, include_batch: bool = True,
              status: int | None = None) -> int:
        """Requests by method, path glob (`*` spans slashes), route template or status."""
        return len(self.matching(method, path, route, include_batch=include_batch,
                                 status=status))

    def matching(self, method: str | None = None, path: str | None = None,
                 route: str | None = None, *, include_batch: bool = True,
                 status: int | None = None) -> list[RequestRecord]:
        return [
            r for r in self.records
            if (method is None or r.method == method.upper())
            and (path is None or fnmatchcase(r.path.lower(), path.lower()))
            and (route is None or r.route == route)
            and (include_batch or not r.in_batch)
            and (status is None or r.status == status)
        ]

    def by_route(self, *, include_batch: bool = True) -> Counter[str]:
        return Counter(r.route or f"{r.method} {r.path}" for r in self.records
                       if include_batch or not r.in_batch)

    def by_status(self) -> Counter[int]:
        return Counter(r.status for r in self.records)

    def snapshot(self) -> dict[str, Any]:
        return {
            "http_requests": self.http_requests,
            "operations": self.operations,
            "resource_units": self.resource_units,
            "by_route": dict(self.by_route()),
            "by_status": {str(k): v for k, v in self.by_status().items()},
        }
