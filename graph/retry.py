"""Sending a Graph request again after its connection dropped, bounded.

msgraph-sdk retries an answer of 429, 503 or 504 itself, after its ``Retry-After``; what it
raises after its own retries is not retried a second time here. A dropped connection or a
timeout it does not retry: it surfaces as :class:`GraphUnavailable`, and the request may or
may not have been applied. So:

- a read, an idempotent write (a ``PATCH`` of the same values, a ``DELETE`` by id) or a step
  that reads what is stored before it writes is simply sent again: :func:`retry_idempotent`;
- any other write is sent again only after a re-read found it not in place:
  :func:`retry_write`. A create under a unique value that then answers 409 is done already
  when the stored item is ours; the caller's ``write`` says so.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from graph.rest import GraphUnavailable

T = TypeVar("T")

ATTEMPTS = 6
"""Tries in all, the first one included."""


def _retrying(attempts: int) -> AsyncRetrying:
    return AsyncRetrying(stop=stop_after_attempt(max(1, attempts)),
                         wait=wait_random_exponential(multiplier=0.05, max=2.0),
                         retry=retry_if_exception_type(GraphUnavailable), reraise=True)


async def retry_idempotent(call: Callable[[], Awaitable[T]], *, attempts: int = ATTEMPTS) -> T:
    """``call()``, made again while its connection drops (at most ``attempts`` times in all);
    for requests that may be sent twice."""
    async for attempt in _retrying(attempts):
        with attempt:
            return await call()
    raise AssertionError("unreachable")  # pragma: no cover


async def retry_write(write: Callable[[], Awaitable[T]],
                      settled: Callable[[], Awaitable[T | None]], *,
                      attempts: int = ATTEMPTS) -> T:
    """``write()``; after a dropped connection ``settled()`` re-reads what is stored first:
    a value means the write is in place (it is returned as the write's result), None that it
    was not applied, and only then is it sent again (at most ``attempts`` writes in all). A
    re-read is itself sent again when its connection drops; nothing is written until one
    answered."""
    async for attempt in _retrying(attempts):
        with attempt:
            if attempt.retry_state.attempt_number > 1:
                found = await retry_idempotent(settled, attempts=attempts)
                if found is not None:
                    return found
            return await write()
    raise AssertionError("unreachable")  # pragma: no cover
