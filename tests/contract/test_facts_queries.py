"""What a store that keeps the facts beside the events (FactsQueries) promises: the register
lists the same decisions, in the same order, as the domain's rule over the dossiers' folded
facts (:func:`approvals.register.register` of :func:`approvals.facts.advance`), for every
filter and their mixes, with the count of all pages; the insight gets the rows
:func:`approvals.insight.rows` makes of the dossiers started in the period, and the store's
insight is what :func:`approvals.insight.insight` folds of them.

Run against the in-memory fake (folding per question) and SQLite (local: its facts tables).
The Microsoft 365 store keeps no facts: the tab folds them per request there (see
``NO_GRAPH_ADAPTER`` in tests/unit/test_suite_shape.py).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import pytest

from approvals import event_payloads as ev
from approvals.events import Event, PendingEvent, seal_all
from approvals.facts import DossierFacts, advance
from approvals.insight import InsightQuery, insight, rows
from approvals.ports import DossierStore, FactsQueries
from approvals.register import RegisterQuery, register
from local.sqlite_store import SqliteDossierStore
from tests.support.contract_kit import ANNA, BART, CHRIS, DEWI, start, summary
from tests.support.fakes import InMemoryDossierStore, InMemoryFactsQueries

DOSSIERS = 10


class FactsStore(DossierStore, FactsQueries, Protocol):
    """A dossier store that keeps the facts."""


@dataclass
class Filled:
    store: DossierStore
    queries: FactsQueries
    facts: list[DossierFacts]


def _day(n: int) -> str:
    return f"2026-10-{1 + 2 * n:02d}T09:00:00.000000Z"


def _events(n: int) -> list[Event]:
    """Dossier ``n``: started on day 1 + 2n of October; most decided a day later, by Bart or
    Chris (for Dewi every third), some still open; another title and flow now and then."""
    dossier_id = f"2026-R{n:02d}"
    events = start(dossier_id, title=("Parkeerbeleid" if n % 3 else "Speeltuin Noord") + f" {n}",
                   assignees=(BART, DEWI) if n % 2 else (BART,), timestamp=_day(n))
    if n % 4 == 3:
        return events  # still open: no decision
    decider = (BART, CHRIS)[n % 2]
    decided = _day(n).replace(f"-{1 + 2 * n:02d}T", f"-{2 + 2 * n:02d}T")
    pending = [
        PendingEvent(ev.Decided(stage="juridisch_advies", round=1, slot="0", action="decide",
                                text=("Vastgesteld" if n % 2 else "Toegekend met voorwaarden"))),
        PendingEvent(ev.StageCompleted(stage="juridisch_advies", round=1)),
        PendingEvent(ev.DossierCompleted(outcome="decided")),
    ]
    return [*events, *seal_all(
        pending, dossier_id=dossier_id, after_seq=events[-1].seq, prev_hash=events[-1].hash,
        actor=decider, channel="card", timestamp=decided, first_event_id=f"{dossier_id}-d")]


class FactsQueriesContract:
    async def make_store(self, tmp_path: Path) -> tuple[DossierStore, FactsQueries]:
        raise NotImplementedError

    @pytest.fixture
    async def filled(self, tmp_path: Path) -> AsyncIterator[Filled]:
        store, queries = await self.make_store(tmp_path)
        facts = []
        for n in range(DOSSIERS):
            events = _events(n)
            done = events[-1].type == "DossierCompleted"
            stored = summary(events, status="completed" if done else "open")
            half = len(events) // 2  # in two commits, as a dossier grows
            await store.append(stored.id, 0, events[:half], summary(events[:half]), [])
            await store.append(stored.id, half, events[half:], stored, [])
            folded = advance(None, events, stored.flow_title)
            assert folded is not None
            facts.append(folded)
        yield Filled(store, queries, facts)
        close = getattr(store, "close", None)
        if close is not None:
            close()

    async def test_every_filter_and_mix_lists_what_the_rule_lists(self, filled: Filled) -> None:
        options: dict[str, tuple[Any, ...]] = {
            "since": (None, date(2026, 10, 6)),
            "until": (None, date(2026, 10, 12)),
            "flow_id": (None, "collegevoorstel", "melding"),
            "decider": (None, CHRIS.oid),
            "text": (None, "speeltuin", "VOORWAARDEN", "r04", "nergens"),
            "viewer": (None, DEWI.oid, ANNA.oid, CHRIS.oid),
        }
        names = list(options)
        for values in itertools.product(*options.values()):
            query = RegisterQuery(**dict(zip(names, values, strict=True)))
            expected = register(filled.facts, query)
            page, total = await filled.queries.query_decisions(query, limit=3, offset=1)
            assert total == len(expected), query
            assert list(page) == expected[1:4], query

    async def test_the_register_lists_the_decisions_most_recent_first(
            self, filled: Filled) -> None:
        page, total = await filled.queries.query_decisions(RegisterQuery(), limit=100,
                                                           offset=0)
        decided = [n for n in range(DOSSIERS) if n % 4 != 3]
        assert total == len(page) == len(decided)
        assert [line.decision.dossier_id for line in page] == [
            f"2026-R{n:02d}" for n in reversed(decided)]
        assert {line.flow_title for line in page} == {"Collegevoorstel"}
        chris = RegisterQuery(decider=CHRIS.oid, viewer=DEWI.oid)
        page, total = await filled.queries.query_decisions(chris, limit=100, offset=0)
        assert total > 0 and {line.decision.by.oid for line in page} == {CHRIS.oid}

    async def test_a_page_past_the_end_is_empty_with_the_count(self, filled: Filled) -> None:
        page, total = await filled.queries.query_decisions(RegisterQuery(), limit=5, offset=100)
        assert list(page) == [] and total == len([n for n in range(DOSSIERS) if n % 4 != 3])

    @pytest.mark.parametrize(("since", "until"), [
        (None, None), (date(2026, 10, 5), None), (None, date(2026, 10, 5)),
        (date(2026, 10, 5), date(2026, 10, 9)), (date(2026, 10, 2), date(2026, 10, 2)),
        (date(2026, 12, 1), None)])
    async def test_the_insight_gets_the_rows_of_the_dossiers_started_in_the_period(
            self, filled: Filled, since: date | None, until: date | None) -> None:
        started = [f for f in filled.facts
                   if (since is None or f.started[:10] >= since.isoformat())
                   and (until is None or f.started[:10] <= until.isoformat())]
        want_dossiers, want_spans = rows(started)
        dossiers, spans = await filled.queries.insight_rows(since, until)
        assert sorted(tuple(r) for r in dossiers) == sorted(tuple(r) for r in want_dossiers)
        assert sorted(tuple(r) for r in spans) == sorted(tuple(r) for r in want_spans)
        if since is None and until is None:  # every dossier
            assert len(dossiers) == DOSSIERS and len(spans) == DOSSIERS

    @pytest.mark.parametrize("query", [
        InsightQuery(), InsightQuery(since=date(2026, 10, 5), until=date(2026, 10, 9)),
        InsightQuery(flow_id="collegevoorstel", since=date(2026, 10, 8)),
        InsightQuery(department="Ruimte"), InsightQuery(department="Nergens"),
        InsightQuery(since=date(2026, 12, 1))])
    async def test_the_insight_is_what_the_fold_gives_of_the_rows_of_the_period(
            self, filled: Filled, query: InsightQuery) -> None:
        departments = {ANNA.oid: "Ruimte"}
        now = datetime(2026, 10, 15, 12, tzinfo=UTC)
        started = sorted((f for f in filled.facts
                          if (query.since is None or f.started[:10] >= query.since.isoformat())
                          and (query.until is None or f.started[:10] <= query.until.isoformat())),
                         key=lambda f: (f.started, f.dossier_id))
        expected = insight(*rows(started), query, now, departments)
        assert await filled.queries.insight(query, now, departments) == expected
        if query == InsightQuery():
            assert expected.dossiers == DOSSIERS and expected.stages[0].open > 0


class TestInMemory(FactsQueriesContract):
    async def make_store(self, tmp_path: Path) -> tuple[DossierStore, FactsQueries]:
        store = InMemoryDossierStore()
        return store, InMemoryFactsQueries(store)


class TestSqlite(FactsQueriesContract):
    async def make_store(self, tmp_path: Path) -> tuple[DossierStore, FactsQueries]:
        store: FactsStore = SqliteDossierStore(tmp_path / "paraaf.db")
        return store, store
