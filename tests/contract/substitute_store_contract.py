"""The contract of a SubstituteStore: standing substitutes for a period.

A backend subclasses :class:`SubstituteStoreContract` and implements ``make_substitutes``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from approvals.identity import Person
from approvals.substitutes import Absence, SubstituteStore

TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"


def _person(name: str, number: int) -> Person:
    return Person(f"00000000-0000-4000-8000-{number:012d}", f"{name}@voorbeeldstad.nl",
                  name.title(), TENANT)


HANNEKE, JEROEN, SANNE, EMMA = (_person("hanneke", 1), _person("jeroen", 2),
                                _person("sanne", 3), _person("emma", 4))


def _absence(absence_id: str, person: Person, start: str, end: str,
             substitute: Person = JEROEN, set_by: Person | None = None) -> Absence:
    return Absence(absence_id, person, substitute, date.fromisoformat(start),
                   date.fromisoformat(end), "vakantie – ‘Texel’", set_by or person,
                   "2026-11-30T08:00:00Z")


class SubstituteStoreContract:
    async def make_substitutes(self, tmp_path: Path) -> SubstituteStore:
        raise NotImplementedError

    @pytest.fixture
    async def store(self, tmp_path: Path) -> SubstituteStore:
        return await self.make_substitutes(tmp_path)

    async def test_a_period_is_stored_as_given(self, store: SubstituteStore) -> None:
        period = _absence("a1", HANNEKE, "2026-12-01", "2026-12-14", set_by=SANNE)
        await store.add(period)
        assert list(await store.for_person(HANNEKE.oid)) == [period]
        assert list(await store.for_person(JEROEN.oid)) == []

    async def test_who_is_away_on_a_day(self, store: SubstituteStore) -> None:
        await store.add(_absence("a1", HANNEKE, "2026-12-01", "2026-12-14"))
        await store.add(_absence("a2", HANNEKE, "2027-01-04", "2027-01-08", EMMA))
        await store.add(_absence("a3", SANNE, "2026-12-10", "2026-12-10"))
        people = {HANNEKE.oid, SANNE.oid, EMMA.oid}
        first = await store.active_on(date(2026, 12, 1), people)
        assert {oid: a.id for oid, a in first.items()} == {HANNEKE.oid: "a1"}
        last = await store.active_on(date(2026, 12, 14), people)
        assert set(last) == {HANNEKE.oid}
        one_day = await store.active_on(date(2026, 12, 10), people)
        assert {oid: a.id for oid, a in one_day.items()} == {HANNEKE.oid: "a1", SANNE.oid: "a3"}
        assert await store.active_on(date(2026, 12, 15), people) == {}
        january = await store.active_on(date(2027, 1, 5), people)
        assert january[HANNEKE.oid].substitute == EMMA
        assert await store.active_on(date(2026, 12, 10), {EMMA.oid}) == {}

    async def test_current_leaves_out_periods_that_ended(self, store: SubstituteStore) -> None:
        await store.add(_absence("a1", HANNEKE, "2026-11-01", "2026-11-20"))
        await store.add(_absence("a2", SANNE, "2026-12-10", "2026-12-12"))
        await store.add(_absence("a3", HANNEKE, "2026-11-25", "2026-12-02"))
        current = await store.current(date(2026, 12, 2))
        assert [a.id for a in current] == ["a3", "a2"]  # by start date

    async def test_a_removed_period_is_gone(self, store: SubstituteStore) -> None:
        await store.add(_absence("a1", HANNEKE, "2026-12-01", "2026-12-14"))
        assert await store.remove("a1") is True
        assert await store.remove("a1") is False
        assert list(await store.for_person(HANNEKE.oid)) == []
        assert await store.active_on(date(2026, 12, 2), {HANNEKE.oid}) == {}
