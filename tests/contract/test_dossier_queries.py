"""What a store that answers the dossiers overview itself (DossierQueries) promises: the same
dossiers, in the same order, as the domain's rule (:func:`approvals.readmodels.matches`) over
all summaries, for every filter and their mixes, with the count of all pages.

Run against the in-memory fake, SQLite (local: SQL on its indexes) and the lists on the Graph
test server (status, flow and initiator asked of indexed columns, the rest by the rule).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pytest

from approvals.events import Event
from approvals.identity import Person
from approvals.ports import DossierQueries, DossierStore
from approvals.readmodels import (
    ActiveStage,
    BadCursor,
    DossierSummary,
    SummaryQuery,
    encode_cursor,
    matches,
    query_key,
)
from graph.dossier_store import GraphDossierStore
from local.sqlite_store import SqliteDossierStore
from tests.support.contract_kit import ANNA, BART, CHRIS, DEWI, start, summary
from tests.support.fakes import InMemoryDossierStore
from tests.support.graph_fixtures import OnGraphSite

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _day(year: int, month: int, day: int, zone: tzinfo = UTC) -> datetime:
    """The midnight that starts the day in the zone."""
    return datetime(year, month, day, tzinfo=zone)


class QueryStore(DossierStore, DossierQueries, Protocol):
    """A dossier store that answers the overview itself."""


def _variety(events: list[Event], n: int) -> DossierSummary:
    """A different summary per ``n``: flows, states, who is to act, due dates and titles."""
    who = ((BART,), (CHRIS,), (BART, DEWI), ())[n % 4]
    status = ("open", "open", "completed", "open", "rejected")[n % 5]
    base = summary(events, status=status, waiting=who,
                   due=("2026-11-20", "2026-12-20", None)[n % 3])
    stage = ("juridisch_advies", "paraaf", "besluit")[n % 3]
    active = tuple(replace(a, stage_id=stage) for a in base.active) if who else ()
    return replace(base, flow_id=("collegevoorstel", "melding")[n % 2],
                   title=("Parkeerbeleid Z-2026-1%03d" if n % 3 else "speeltuin z-2026-2%03d")
                   % n,
                   initiator=(ANNA, CHRIS)[n % 2 if n % 7 else 0], active=active,
                   created_at=f"2026-10-{1 + n * 2:02d}T{(22, 23, 0, 1)[n % 4]:02d}:30:00.000000Z",
                   updated_at=f"2026-11-{10 + n:02d}T09:00:00.000000Z")


class DossierQueriesContract:
    async def make_store(self, tmp_path: Path) -> QueryStore:
        raise NotImplementedError

    @pytest.fixture
    async def filled(self, tmp_path: Path) -> Any:
        store = await self.make_store(tmp_path)
        for n in range(12):
            events = start(f"2026-Q{n:02d}")
            await store.append(f"2026-Q{n:02d}", 0, events, _variety(events, n), [])
        yield store
        close = getattr(store, "close", None)
        if close is not None:
            close()

    async def test_every_filter_and_mix_lists_what_the_rule_lists(self, filled: QueryStore) -> None:
        everything = sorted(await filled.list_summaries(limit=1000),
                            key=lambda s: (s.updated_at, s.id), reverse=True)
        assert len(everything) == 12
        options: dict[str, tuple[Any, ...]] = {
            "status": (None, "open", "completed"),
            "flow_id": (None, "melding"),
            "stage_id": (None, "paraaf"),
            "to_act": (None, BART.oid),
            "initiator": (None, CHRIS.oid),
            "overdue": (None, True, False),
            "text": (None, "Z-2026-1", "SPEELTUIN", "q03", "nergens"),
            "viewer": (None, DEWI.oid, ANNA.oid),
        }
        names = list(options)
        for values in itertools.product(*options.values()):
            query = SummaryQuery(**dict(zip(names, values, strict=True)),
                                 today=date(2026, 12, 1))
            expected = [s.id for s in everything if matches(s, query)]
            page, total = await filled.query_summaries(query, limit=3, offset=1)
            assert total == len(expected), query
            assert [s.id for s in page] == expected[1:4], query

    async def test_department_and_period_alone_and_mixed_list_what_the_rule_lists(
            self, filled: QueryStore) -> None:
        everything = sorted(await filled.list_summaries(limit=1000),
                            key=lambda s: (s.updated_at, s.id), reverse=True)
        options: dict[str, tuple[Any, ...]] = {
            "initiators": (None, (ANNA.oid,), (CHRIS.oid, DEWI.oid), ()),
            "started_from": (None, _day(2026, 10, 5), _day(2026, 10, 9, AMSTERDAM)),
            "started_before": (None, _day(2026, 10, 10), _day(2026, 10, 17, AMSTERDAM)),
            "status": (None, "open"),
            "overdue": (None, True, False),
            "text": (None, "parkeer"),
            "viewer": (None, DEWI.oid),
        }
        names = list(options)
        for values in itertools.product(*options.values()):
            query = SummaryQuery(**dict(zip(names, values, strict=True)),
                                 today=date(2026, 12, 1))
            expected = [s.id for s in everything if matches(s, query)]
            page, total = await filled.query_summaries(query, limit=3, offset=1)
            assert total == len(expected), query
            assert [s.id for s in page] == expected[1:4], query

    async def test_department_and_period_select_something(self, filled: QueryStore) -> None:
        mine = SummaryQuery(initiators=(CHRIS.oid,))
        page, total = await filled.query_summaries(mine, limit=100, offset=0)
        assert total == len(page) > 0 and {s.initiator.oid for s in page} == {CHRIS.oid}
        nobody = SummaryQuery(initiators=())
        assert (await filled.query_summaries(nobody, limit=100, offset=0))[1] == 0
        # in UTC: the 5th, 7th and 9th of October, whatever the hour
        period = SummaryQuery(started_from=_day(2026, 10, 5), started_before=_day(2026, 10, 10))
        page, total = await filled.query_summaries(period, limit=100, offset=0)
        assert sorted(s.created_at[:10] for s in page) == [
            "2026-10-05", "2026-10-07", "2026-10-09"] and total == 3
        # the days in Amsterdam (UTC+2): Q02 started at 00:30 UTC on the 5th, Q03 at 01:30 on
        # the 7th; Q04 at 22:30 UTC on the 9th is the 10th there
        local = SummaryQuery(started_from=_day(2026, 10, 5, AMSTERDAM),
                             started_before=_day(2026, 10, 10, AMSTERDAM))
        page, total = await filled.query_summaries(local, limit=100, offset=0)
        assert sorted(s.id for s in page) == ["2026-Q02", "2026-Q03"] and total == 2
        # the bound is exact: from the very moment the dossier started, before it: not
        first = SummaryQuery(started_from=datetime(2026, 10, 1, 22, 30, tzinfo=UTC),
                             started_before=datetime(2026, 10, 1, 22, 30, 1, tzinfo=UTC))
        page, total = await filled.query_summaries(first, limit=100, offset=0)
        assert [s.id for s in page] == ["2026-Q00"] and total == 1
        before = SummaryQuery(started_before=datetime(2026, 10, 1, 22, 30, tzinfo=UTC))
        assert (await filled.query_summaries(before, limit=100, offset=0))[1] == 0

    async def test_the_filters_select_something(self, filled: QueryStore) -> None:
        late = SummaryQuery(overdue=True, today=date(2026, 12, 1))
        page, total = await filled.query_summaries(late, limit=100, offset=0)
        assert total == len(page) > 0
        assert all(any(a.due and a.due < "2026-12-01" for a in s.active) for s in page)
        melding = SummaryQuery(flow_id="melding", status="open")
        page, total = await filled.query_summaries(melding, limit=100, offset=0)
        assert total > 0 and {s.flow_id for s in page} == {"melding"}
        assert {s.status for s in page} == {"open"}

    async def test_a_page_past_the_end_is_empty_with_the_count(self, filled: QueryStore) -> None:
        page, total = await filled.query_summaries(SummaryQuery(), limit=5, offset=100)
        assert list(page) == [] and total == 12


    async def test_paging_through_every_page_gives_every_dossier_once(
            self, filled: QueryStore) -> None:
        everything = sorted(await filled.list_summaries(limit=1000),
                            key=lambda s: (s.updated_at, s.id), reverse=True)
        today = date(2026, 12, 1)
        queries = [
            SummaryQuery(), SummaryQuery(status="open"), SummaryQuery(flow_id="melding"),
            SummaryQuery(initiator=CHRIS.oid), SummaryQuery(overdue=True, today=today),
            SummaryQuery(overdue=False, today=today), SummaryQuery(stage_id="paraaf"),
            SummaryQuery(to_act=BART.oid), SummaryQuery(text="z-2026-1"),
            SummaryQuery(viewer=ANNA.oid), SummaryQuery(viewer=DEWI.oid, status="open"),
            SummaryQuery(status="open", flow_id="collegevoorstel", text="parkeer"),
            SummaryQuery(status="rejected", initiator=ANNA.oid, overdue=True, today=today),
            SummaryQuery(initiators=(ANNA.oid,)), SummaryQuery(initiators=()),
            SummaryQuery(started_from=_day(2026, 10, 6)),
            SummaryQuery(started_before=_day(2026, 10, 13, AMSTERDAM)),
            SummaryQuery(initiators=(CHRIS.oid, DEWI.oid), started_from=_day(2026, 10, 3),
                         started_before=_day(2026, 10, 21), status="open"),
            SummaryQuery(initiators=(ANNA.oid,), started_from=_day(2026, 10, 2, AMSTERDAM),
                         text="parkeer", overdue=False, today=today),
            SummaryQuery(viewer=ANNA.oid, started_before=_day(2026, 10, 15)),
        ]
        for query in queries:
            expected = [s.id for s in everything if matches(s, query)]
            for limit in (1, 2, 5):
                seen: list[str] = []
                after: str | None = None
                for _ in range(len(everything) + 2):
                    page = await filled.page_summaries(query, limit=limit, after=after)
                    assert len(page.items) <= limit, query
                    assert page.total in (None, len(expected)), query
                    seen += [s.id for s in page.items]
                    after = page.next
                    if after is None:
                        break
                assert after is None, query
                assert seen == expected, (query, limit)

    async def test_a_cursor_of_another_query_is_refused(self, filled: QueryStore) -> None:
        first = await filled.page_summaries(SummaryQuery(), limit=2)
        assert first.next is not None
        with pytest.raises(BadCursor):
            await filled.page_summaries(SummaryQuery(status="open"), limit=2, after=first.next)
        with pytest.raises(BadCursor):
            await filled.page_summaries(SummaryQuery(), limit=2, after="not a cursor")


class TestInMemory(DossierQueriesContract):
    async def make_store(self, tmp_path: Path) -> QueryStore:
        return InMemoryDossierStore()


class TestSqlite(DossierQueriesContract):
    async def make_store(self, tmp_path: Path) -> QueryStore:
        return SqliteDossierStore(tmp_path / "paraaf.db")


class TestGraph(OnGraphSite, DossierQueriesContract):
    async def make_store(self, tmp_path: Path) -> QueryStore:
        return GraphDossierStore(self.site.graph(), self.site.site_id)

    async def test_each_page_takes_at_most_two_requests(self, filled: QueryStore) -> None:
        """On Microsoft 365 a page of the overview, first or further, filtered or not, is at
        most two Graph requests (the list ids are looked up once per process)."""
        today = date(2026, 12, 1)
        await filled.page_summaries(SummaryQuery(), limit=1)  # the list ids
        stats = self.site.server.stats
        for query in (SummaryQuery(), SummaryQuery(status="open", flow_id="melding"),
                      SummaryQuery(overdue=True, today=today), SummaryQuery(initiator=ANNA.oid),
                      SummaryQuery(to_act=BART.oid), SummaryQuery(viewer=DEWI.oid),
                      SummaryQuery(text="speeltuin"), SummaryQuery(stage_id="paraaf"),
                      SummaryQuery(initiators=(ANNA.oid,)),
                      SummaryQuery(started_from=_day(2026, 10, 5),
                                   started_before=_day(2026, 10, 15, AMSTERDAM)),
                      SummaryQuery(initiators=(CHRIS.oid, DEWI.oid), status="open",
                                   started_from=_day(2026, 10, 3)),
                      SummaryQuery(initiators=tuple(f"oid-{n}" for n in range(60))),
                      SummaryQuery(initiators=())):
            after: str | None = None
            pages = 0
            while True:
                stats.reset()
                page = await filled.page_summaries(query, limit=2, after=after)
                assert stats.http_requests <= 2, (query, pages)
                pages += 1
                after = page.next
                if after is None:
                    break
            assert pages >= 1
        page = await filled.page_summaries(SummaryQuery(status="open"), limit=2)
        assert page.total is None and len(page.items) == 2 and page.next is not None

    async def test_a_forged_skiptoken_is_a_bad_cursor(self, filled: QueryStore) -> None:
        """A cursor made by hand with the query's fingerprint: Graph refuses its $skiptoken
        (400), which is the cursor's fault, not the server's."""
        query = SummaryQuery(status="open")
        forged = encode_cursor({"q": query_key(query), "t": "%%%", "k": 0, "n": 2})
        with pytest.raises(BadCursor):
            await filled.page_summaries(query, limit=2, after=forged)


def test_the_kit_gives_a_summary_with_an_active_stage() -> None:
    """The variety above relies on the kit's summary having one active stage when open."""
    events = start("2026-X")
    active = summary(events).active
    assert len(active) == 1 and isinstance(active[0], ActiveStage)
    assert isinstance(active[0].waiting_for[0], Person)
