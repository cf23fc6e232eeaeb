"""Programmable faults: throttling, outages, slow answers, dropped connections, lost races.

A rule matches requests by method and path glob (on the path after `/v1.0`, `*` spans
slashes; `$batch` sub-requests are matched by their own method and path) and fires on the
next `times` matches (None: every match), after letting `skip` matches through, with
probability `rate` drawn from the seeded generator. Rules are tried in the order they were
added: delays add up, and the first error or drop answers the request (later error/drop rules
are not consulted for it, so they keep their turn for the next matching request).

    server.faults.throttle(method="POST", path="/sites/*/items", times=2, retry_after=1)
    server.faults.drop_after(method="PATCH", path="*/fields")
    server.faults.race(path="*/fields")      # the next conditional write loses a race: 412
    server.faults.latency = 0.08             # every HTTP request answers 80 ms later
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fnmatch import fnmatchcase

ACTIONS = ("status", "delay", "drop_before", "drop_after", "race")


@dataclass
class FaultRule:
    action: str
    method: str | None = None
    path: str | None = None
    times: int | None = 1
    rate: float = 1.0
    skip: int = 0
    status: int = 0
    retry_after: str | None = None
    code: str | None = None
    message: str | None = None
    seconds: float = 0.0
    in_batch: bool = True
    seen: int = 0
    fired: int = 0

    def matches(self, method: str, path: str, in_batch: bool, conditional: bool) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path is not None and not fnmatchcase(path.lower(), self.path.lower()):
            return False
        if in_batch and not self.in_batch:
            return False
        return self.action != "race" or conditional

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times


@dataclass
class Decision:
    """What the faults do to one request."""

    delay: float = 0.0
    error: FaultRule | None = None
    drop_before: bool = False
    drop_after: bool = False
    race: bool = False


class Faults:
    def __init__(self, seed: int | str | None = None) -> None:
        self.rules: list[FaultRule] = []
        self.rng = random.Random(f"faults:{seed}")
        self.latency = 0.0  # seconds added to every HTTP request (not per batch part)

    def add(self, rule: FaultRule) -> FaultRule:
        if rule.action not in ACTIONS:
            raise ValueError(f"unknown fault action {rule.action!r}")
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()
        self.latency = 0.0

    # ---------------------------------------------------------------- conveniences

    def error(self, status: int, *, code: str | None = None, message: str | None = None,
              retry_after: float | str | None = None, method: str | None = None,
              path: str | None = None, times: int | None = 1, rate: float = 1.0, skip: int = 0,
              in_batch: bool = True) -> FaultRule:
        header = None if retry_after is None else _header(retry_after)
        return self.add(FaultRule("status", method, path, times, rate, skip, status, header,
                                  code, message, in_batch=in_batch))

    def throttle(self, *, retry_after: float | str | None = 1, method: str | None = None,
                 path: str | None = None, times: int | None = 1, rate: float = 1.0,
                 skip: int = 0, in_batch: bool = True) -> FaultRule:
        """429 Too Many Requests with `Retry-After` (seconds; None: no header)."""
        return self.error(429, retry_after=retry_after, method=method, path=path, times=times,
                          rate=rate, skip=skip, in_batch=in_batch)

    def unavailable(self, *, retry_after: float | str | None = None, method: str | None = None,
                    path: str | None = None, times: int | None = 1, rate: float = 1.0,
                    skip: int = 0, in_batch: bool = True) -> FaultRule:
        """503 Service Unavailable, with or without `Retry-After`."""
        return self.error(503, retry_after=retry_after, method=method, path=path, times=times,
                          rate=rate, skip=skip, in_batch=in_batch)

    def gateway_timeout(self, *, method: str | None = None, path: str | None = None,
                        times: int | None = 1, rate: float = 1.0, skip: int = 0,
                        in_batch: bool = True) -> FaultRule:
        """504 Gateway Timeout."""
        return self.error(504, method=method, path=path, times=times, rate=rate, skip=skip,
                          in_batch=in_batch)

    def delay(self, seconds: float, *, method: str | None = None, path: str | None = None,
              times: int | None = 1, rate: float = 1.0, skip: int = 0,
              in_batch: bool = True) -> FaultRule:
        """Answer `seconds` later (the request is applied after the wait)."""
        return self.add(FaultRule("delay", method, path, times, rate, skip, seconds=seconds,
                                  in_batch=in_batch))

    def drop_before(self, *, method: str | None = None, path: str | None = None,
                    times: int | None = 1, rate: float = 1.0, skip: int = 0,
                    in_batch: bool = True) -> FaultRule:
        """Close the connection before the request is applied: nothing changes."""
        return self.add(FaultRule("drop_before", method, path, times, rate, skip,
                                  in_batch=in_batch))

    def drop_after(self, *, method: str | None = None, path: str | None = None,
                   times: int | None = 1, rate: float = 1.0, skip: int = 0,
                   in_batch: bool = True) -> FaultRule:
        """Apply the request, then close the connection without answering."""
        return self.add(FaultRule("drop_after", method, path, times, rate, skip,
                                  in_batch=in_batch))

    def race(self, *, method: str | None = None, path: str | None = None,
             times: int | None = 1, rate: float = 1.0, skip: int = 0,
             in_batch: bool = True) -> FaultRule:
        """Another writer changes the item just before a conditional write (`If-Match` that
        is not `*`), so the write answers 412 as if it lost a race."""
        return self.add(FaultRule("race", method, path, times, rate, skip, in_batch=in_batch))

    # ---------------------------------------------------------------- evaluation

    def decide(self, method: str, path: str, *, in_batch: bool = False,
               conditional: bool = False) -> Decision:
        decision = Decision()
        for rule in self.rules:
            if rule.exhausted or not rule.matches(method, path, in_batch, conditional):
                continue
            terminal = rule.action in ("status", "drop_before")
            if terminal and (decision.error is not None or decision.drop_before):
                continue  # the request is already answered: later rules keep their turn
            rule.seen += 1
            if rule.seen <= rule.skip:
                continue
            if rule.rate < 1.0 and self.rng.random() >= rule.rate:
                continue
            rule.fired += 1
            if rule.action == "delay":
                decision.delay += rule.seconds
            elif rule.action == "race":
                decision.race = True
            elif rule.action == "drop_after":
                decision.drop_after = True
            elif rule.action == "drop_before":
                decision.drop_before = True
            else:
                decision.error = rule
        return decision


def _header(seconds: float | str) -> str:
    if isinstance(seconds, str):
        return seconds
    if float(seconds).is_integer():
        return str(int(seconds))
    return str(seconds)
