"""The contract of a SubstituteStore: standing substitutes for a period; run against each
backend: the in-memory fake, SQLite (local), and the Vervangers list on the Graph test server
(graph) as ``graph.provision`` makes it, driven by the real msgraph-sdk over HTTP, also while
about one request in ten fails.

A backend is a subclass of :class:`SubstituteStoreContract` below that implements
``make_substitutes``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from approvals.identity import Person
from approvals.substitutes import Absence, SubstituteStore
from graph.schema import SUBSTITUTES
from graph.substitutes import GraphSubstituteStore
from local.substitutes import SqliteSubstituteStore
from tests.support.fakes import InMemorySubstituteStore
from tests.support.graph_fixtures import OnListsSite, WithFaults

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


# --- the backends ------------------------------------------------------------------------------


class TestInMemorySubstituteStore(SubstituteStoreContract):
    async def make_substitutes(self, tmp_path: Path) -> SubstituteStore:
        return InMemorySubstituteStore()


class TestSqliteSubstituteStore(SubstituteStoreContract):
    async def make_substitutes(self, tmp_path: Path) -> SubstituteStore:
        return SqliteSubstituteStore(tmp_path / "paraaf.db")


class GraphSubstitutes(OnListsSite, SubstituteStoreContract):
    async def make_substitutes(self, tmp_path: Path) -> SubstituteStore:
        return GraphSubstituteStore(self.site.connection.graph, self.site.site_id)


class TestGraphSubstituteStore(GraphSubstitutes):
    async def test_a_period_is_one_item_with_indexed_columns(
        self, store: SubstituteStore
    ) -> None:
        await store.add(_absence("a1", HANNEKE, "2026-12-01", "2026-12-14"))
        [item] = self.site.server.items(SUBSTITUTES.title)
        assert (item["AbsenceId"], item["PersonOid"], item["StartDate"], item["EndDate"]) == (
            "a1", HANNEKE.oid, "2026-12-01", "2026-12-14")

    async def test_an_add_whose_answer_was_lost_is_stored_once(
        self, store: SubstituteStore
    ) -> None:
        drop = self.site.server.faults.drop_after(method="POST", path="/sites/*/items")
        await store.add(_absence("a1", HANNEKE, "2026-12-01", "2026-12-14"))
        assert drop.fired == 1
        assert len(self.site.server.items(SUBSTITUTES.title)) == 1


class TestGraphSubstituteStoreUnderFaults(WithFaults, GraphSubstitutes):
    """The contract while about one request in ten fails."""
