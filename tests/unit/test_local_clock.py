"""The local clock and id generator."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from local.clock import FixedClock, SystemClock, UuidIds, utc_iso


def test_the_system_clock_is_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert clock.advance(timedelta(days=1, minutes=5)) == datetime(2026, 11, 24, 9, 5, tzinfo=UTC)
    assert clock.now() == datetime(2026, 11, 24, 9, 5, tzinfo=UTC)


def test_a_fixed_clock_needs_a_timezone() -> None:
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 11, 23, 9))


def test_ids_are_distinct_uuids() -> None:
    ids = UuidIds()
    made = {ids.new_id() for _ in range(100)}
    assert len(made) == 100
    assert all(uuid.UUID(value).version == 4 for value in made)


def test_timestamps_are_utc_with_a_z() -> None:
    amsterdam = timezone(timedelta(hours=1))
    stamp = utc_iso(datetime(2026, 11, 23, 10, 30, tzinfo=amsterdam))
    assert stamp == "2026-11-23T09:30:00.000000Z"
    with pytest.raises(ValueError):
        utc_iso(datetime(2026, 11, 23, 10, 30))
