"""Time and identifiers for the local backend (and for tests that need to fix them)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta


def utc_iso(at: datetime) -> str:
    """``2026-11-23T09:30:00.000000Z``: the timestamp format of events, in UTC."""
    if at.tzinfo is None:
        raise ValueError("A timezone-aware datetime is needed.")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SystemClock:
    """The computer's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until it is moved: for tests and reproducible demos."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime (UTC).")
        self._now = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward (or back, for a negative delta); returns the new time."""
        self._now += delta
        return self._now

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime (UTC).")
        self._now = at.astimezone(UTC)


class UuidIds:
    """Random identifiers (UUID 4)."""

    def new_id(self) -> str:
        return str(uuid.uuid4())
