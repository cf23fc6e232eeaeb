"""Requests to the lists of one site: URLs, single requests and JSON ``$batch`` parts.

msgraph-sdk retries a request answered 429/503/504, but not the parts of a ``$batch`` answered
so inside a 200 envelope: :meth:`ListRequests.batch` retries those parts itself, after their
``Retry-After`` (bounded), together with the parts that depend on them (``dependsOn``, which
also sequences parts: Graph runs independent parts in any order). A dropped connection
(:class:`GraphUnavailable`) is retried only where the caller says the request is idempotent;
anything else re-reads before it writes again.

Every HTTP request is counted per operation in ``round_trips`` (a batch counts once).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random

from graph.lists import Duplicate, NotFound, PreconditionFailed
from graph.rest import BATCH_LIMIT, Graph, GraphError, GraphUnavailable

RETRY_STATUSES = frozenset({429, 503, 504})
MAX_TOP = 5000


@dataclass(frozen=True)
class Part:
    """One request of a ``$batch``: ``url`` is relative to the version root."""

    id: str
    method: str
    url: str
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: Mapping[str, str]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def retry_after(self) -> float | None:
        for name, value in self.headers.items():
            if name.lower() == "retry-after":
                try:
                    return max(float(value), 0.0)
                except ValueError:
                    return None
        return None

    def values(self) -> list[dict[str, Any]]:
        """The items of a collection answer."""
        return list((self.body or {}).get("value", []))

    def next_link(self) -> str | None:
        return (self.body or {}).get("@odata.nextLink")

    def error(self) -> GraphError:
        error = (self.body or {}).get("error") or {} if isinstance(self.body, dict) else {}
        return specific(GraphError(self.status, str(error.get("code") or "error"),
                                   str(error.get("message") or "")))


def checked(answers: dict[str, Answer]) -> dict[str, Answer]:
    """The answers, if every one succeeded; else the first error is raised."""
    for answer in answers.values():
        if not answer.ok:
            raise answer.error()
    return answers


def specific(error: GraphError) -> GraphError:
    """412, 409 and 404 as their own exceptions (as graph.lists raises them)."""
    kinds: dict[int, type[GraphError]] = {412: PreconditionFailed, 409: Duplicate, 404: NotFound}
    kind = kinds.get(error.status)
    if kind is None or isinstance(error, kind):
        return error
    return kind(error.status, error.code, error.message)


def odata_text(value: str) -> str:
    """A string literal for ``$filter`` (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def odata_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6f}"


class ListRequests:
    """The lists of one site, addressed by title (their ids are looked up once, together)."""

    def __init__(self, graph: Graph, site_id: str, *, attempts: int = 5,
                 max_wait: float = 30.0, concurrency: int = 4) -> None:
        self.graph = graph
        self.site_id = site_id
        self.attempts = max(1, attempts)
        self.max_wait = max_wait
        self.round_trips: Counter[str] = Counter()
        self._ids: dict[str, str] = {}
        self._lookup: asyncio.Lock | None = None
        self._concurrency = asyncio.Semaphore(max(1, concurrency))

    # --- URLs --------------------------------------------------------------------------------

    async def list_url(self, title: str) -> str:
        if title not in self._ids:
            if self._lookup is None:
                self._lookup = asyncio.Lock()
            async with self._lookup:
                if title not in self._ids:
                    found = await self.get_all(
                        "lists", f"/sites/{self.site_id}/lists?$select=id,displayName&$top=200")
                    self._ids.update({str(x["displayName"]): str(x["id"]) for x in found})
            if title not in self._ids:
                raise NotFound(404, "itemNotFound", f"There is no list '{title}' on the site.")
        return f"/sites/{self.site_id}/lists/{self._ids[title]}"

    async def items(self, title: str) -> str:
        return await self.list_url(title) + "/items"

    async def fields(self, title: str, item_id: str) -> str:
        return f"{await self.items(title)}/{item_id}/fields"

    async def query(self, title: str, *, filter: str | None = None,
                    select: Sequence[str] = (), orderby: str | None = None,
                    top: int = MAX_TOP) -> str:
        """Items of a list: ``filter`` and ``orderby`` must name indexed columns only."""
        expand = "fields" + (f"(select={','.join(select)})" if select else "")
        params = [f"expand={quote(expand, safe='(),=')}", f"$top={min(max(top, 1), MAX_TOP)}"]
        if filter:
            params.append("$filter=" + quote(filter, safe="/'(),="))
        if orderby:
            params.append("$orderby=" + quote(orderby, safe="/,"))
        return await self.items(title) + "?" + "&".join(params)

    # --- single requests ---------------------------------------------------------------------

    async def call(self, op: str, method: str, url: str, body: Any = None,
                   headers: Mapping[str, str] | None = None, *, idempotent: bool) -> Any:
        """One request; an idempotent one is sent again after a dropped connection."""
        tries = self.attempts if idempotent else 1
        async for attempt in self._retrying(tries):
            with attempt:
                self.round_trips[op] += 1
                try:
                    return await self.graph.request(method, url, body, dict(headers or {}))
                except GraphUnavailable:
                    raise
                except GraphError as error:
                    raise specific(error) from error
        raise AssertionError("unreachable")  # pragma: no cover

    async def get_all(self, op: str, url: str, first: Answer | None = None
                      ) -> list[dict[str, Any]]:
        """Every item of a collection, following ``@odata.nextLink`` (after ``first``)."""
        values: list[dict[str, Any]] = []
        next_url: str | None = url
        if first is not None:
            values, next_url = first.values(), first.next_link()
        while next_url:
            page = await self.call(op, "GET", next_url, idempotent=True) or {}
            values.extend(page.get("value", []))
            next_url = page.get("@odata.nextLink")
        return values

    def _retrying(self, tries: int) -> AsyncRetrying:
        return AsyncRetrying(
            stop=stop_after_attempt(tries), wait=wait_random(0.01, 0.2),
            retry=retry_if_exception_type(GraphUnavailable), reraise=True,
        )

    # --- batches -----------------------------------------------------------------------------

    async def batch(self, op: str, parts: Sequence[Part], *, idempotent: bool
                    ) -> dict[str, Answer]:
        """Answers by part id. Parts answered 429/503/504 are sent again (with the parts that
        depend on them) up to ``attempts`` times; what is still failing is returned as is.

        Parts that depend on others must fit in one batch of at most 20.
        """
        if not parts:
            return {}
        if len(parts) > BATCH_LIMIT and any(p.depends_on for p in parts):
            raise ValueError("Sequenced parts must fit in one batch.")
        chunks = [parts[n:n + BATCH_LIMIT] for n in range(0, len(parts), BATCH_LIMIT)]
        found = await asyncio.gather(*(self._chunk(op, chunk, idempotent) for chunk in chunks))
        return {key: answer for answers in found for key, answer in answers.items()}

    async def _chunk(self, op: str, parts: Sequence[Part], idempotent: bool
                     ) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        todo = list(parts)
        for attempt in range(self.attempts):
            async with self._concurrency:
                got = await self._send(op, todo, idempotent)
            again = {p.id for p in todo if got[p.id].status in RETRY_STATUSES}
            changed = True
            while changed:  # a part that failed only because a retried part failed goes again
                changed = False
                for p in todo:
                    if (p.id not in again and got[p.id].status == 424
                            and any(d in again for d in p.depends_on)):
                        again.add(p.id)
                        changed = True
            answers.update(got)
            if not again or attempt == self.attempts - 1:
                break
            waits = [got[key].retry_after() for key in again]
            backoff = random.uniform(0.05, 0.2) * 2 ** attempt
            await asyncio.sleep(min(max((w for w in waits if w is not None),
                                        default=backoff), self.max_wait))
            todo = [Part(p.id, p.method, p.url, p.body, p.headers,
                         tuple(d for d in p.depends_on if d in again))
                    for p in todo if p.id in again]
        return answers

    async def _send(self, op: str, parts: Sequence[Part], idempotent: bool
                    ) -> dict[str, Answer]:
        requests = []
        for part in parts:
            entry: dict[str, Any] = {"id": part.id, "method": part.method, "url": part.url}
            headers = dict(part.headers)
            if part.body is not None:
                entry["body"] = part.body
                headers.setdefault("Content-Type", "application/json")
            if headers:
                entry["headers"] = headers
            if part.depends_on:
                entry["dependsOn"] = list(part.depends_on)
            requests.append(entry)
        reply = await self.call(op, "POST", "/$batch", {"requests": requests},
                                idempotent=idempotent)
        got = {str(r["id"]): Answer(int(r["status"]), r.get("body"), dict(r.get("headers") or {}))
               for r in (reply or {}).get("responses", [])}
        missing = [p.id for p in parts if p.id not in got]
        if missing:
            raise GraphError(502, "batchIncomplete", f"No answer for batch parts {missing}.")
        return got
