"""What every DossierStore (and its Outbox) promises, whatever it stores the events in; run
against each backend: the in-memory fake that unit tests use, SQLite (local), and the lists on
the Graph test server (graph), also while about one request in ten fails.

A backend is a subclass of :class:`DossierStoreContract` below that implements ``make_store``
(and ``open_peer`` when a second store object can share the data).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest

from approvals.audit import ChainRecord, verify_chain
from approvals.errors import ConcurrencyConflict
from approvals.events import Event
from approvals.identity import Person
from approvals.ports import Clock, DossierStore, Outbox
from graph.dossier_store import GraphDossierStore
from local.clock import FixedClock
from local.sqlite_store import SqliteDossierStore
from tests.support.contract_kit import ANNA, BART, CHRIS, DEWI, more, start, summary, tell
from tests.support.fakes import InMemoryDossierStore
from tests.support.graph_fixtures import OnGraphSite


class Store(DossierStore, Outbox, Protocol):
    """A dossier store that is also the outbox (one commit holds both)."""


async def _records(store: Store, dossier_id: str | None = None) -> list[list[ChainRecord]]:
    return [batch async for batch in store.chain_records(dossier_id)]


async def _flat(store: Store, dossier_id: str | None = None) -> list[tuple[str, int]]:
    return [(r.dossier_id, r.seq) for batch in await _records(store, dossier_id) for r in batch]


class DossierStoreContract:
    max_batch = 5000  # the most records chain_records may yield at once

    async def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        raise NotImplementedError

    async def open_peer(self, store: Store, tmp_path: Path, clock: Clock) -> Store:
        """A second store object over the same data (another worker or process)."""
        return store

    async def close_store(self, store: Store) -> None:
        close = getattr(store, "close", None)
        if close is not None:
            close()

    @pytest.fixture
    def clock(self) -> FixedClock:
        return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))

    @pytest.fixture
    async def store(self, tmp_path: Path, clock: FixedClock) -> AsyncIterator[Store]:
        store = await self.make_store(tmp_path, clock)
        yield store
        await self.close_store(store)

    @pytest.fixture
    async def peer(self, store: Store, tmp_path: Path, clock: FixedClock) -> AsyncIterator[Store]:
        other = await self.open_peer(store, tmp_path, clock)
        yield other
        if other is not store:
            await self.close_store(other)

    async def _started(
        self, store: Store, dossier_id: str = "2026-A",
        substitutes: tuple[tuple[str, Person], ...] = (),
    ) -> list[Event]:
        events = start(dossier_id)
        await store.append(dossier_id, 0, events, summary(events, substitutes=substitutes))
        return events

    # --- the event log ---------------------------------------------------------------------

    async def test_unknown_dossier_has_no_events(self, store: Store) -> None:
        assert list(await store.load("2026-NONE")) == []
        assert await store.get_summary("2026-NONE") is None
        assert await store.find_event("2026-NONE-start") is None
        assert await store.chain_heads("2026-NONE") == {}
        assert await _records(store, "2026-NONE") == []

    async def test_appended_events_load_with_equal_records_and_hashes(self, store: Store) -> None:
        events = start("2026-A", comments=1)
        await store.append("2026-A", 0, events, summary(events))
        loaded = list(await store.load("2026-A"))
        assert loaded == events
        assert [(e.record, e.hash) for e in loaded] == [(e.record, e.hash) for e in events]

    async def test_a_second_append_continues_the_log(self, store: Store) -> None:
        first = await self._started(store)
        second = more(first, 2)
        await store.append("2026-A", 2, second, summary([*first, *second]))
        assert list(await store.load("2026-A")) == [*first, *second]
        found = await store.get_summary("2026-A")
        assert found is not None and found.version == 4

    async def test_load_after_a_version_gives_only_the_newer_events(self, store: Store) -> None:
        first = await self._started(store)
        second = more(first, 2)
        await store.append("2026-A", 2, second, summary([*first, *second]))
        assert list(await store.load("2026-A", after=2)) == second
        assert list(await store.load("2026-A", after=4)) == []

    async def test_find_event_returns_the_stored_event(self, store: Store) -> None:
        events = await self._started(store)
        found = await store.find_event(events[1].event_id)
        assert found == events[1]
        assert found is not None and (found.record, found.hash) == (events[1].record,
                                                                     events[1].hash)

    async def test_load_for_command_gives_the_newer_events_and_the_command(
        self, store: Store
    ) -> None:
        first = await self._started(store)
        second = more(first, 2)
        await store.append("2026-A", 2, second, summary([*first, *second]))
        events, found = await store.load_for_command("2026-A", 2, second[0].event_id)
        assert (list(events), found) == (second, second[0])
        assert found is not None and (found.record, found.hash) == (second[0].record,
                                                                     second[0].hash)
        events, found = await store.load_for_command("2026-A", 0, "2026-A-new")
        assert (list(events), found) == ([*first, *second], None)
        events, found = await store.load_for_command("2026-A", 4, first[1].event_id)
        assert (list(events), found) == ([], first[1])

    async def test_load_for_command_finds_the_command_in_another_dossier(
        self, store: Store
    ) -> None:
        first = await self._started(store, "2026-A")
        events, found = await store.load_for_command("2026-B", 0, first[0].event_id)
        assert (list(events), found) == ([], first[0])
        assert await store.load_for_command("2026-NONE", 0, "2026-NONE-start") == ([], None)

    async def test_a_command_missed_by_load_for_command_is_appended_once(
        self, store: Store
    ) -> None:
        first = await self._started(store)
        events, found = await store.load_for_command("2026-A", 0, "cmd-1")
        assert (list(events), found) == (first, None)
        added = more(first, 2, first_id="cmd-1")
        await store.append("2026-A", 2, added, summary([*first, *added]), tell(added, BART))
        events, found = await store.load_for_command("2026-A", 2, "cmd-1")
        assert (list(events), found) == (added, added[0])
        assert list(await store.load("2026-A")) == [*first, *added]
        again = more([*first, *added], 1, first_id="cmd-1")
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-A", 4, again, summary([*first, *added, *again]))
        assert await store.pending_count() == 1

    async def test_a_command_recorded_by_a_peer_after_the_check_conflicts(
        self, store: Store, peer: Store
    ) -> None:
        first = await self._started(store)
        events, found = await store.load_for_command("2026-A", 2, "cmd-1")
        assert (list(events), found) == ([], None)
        theirs = more(first, 1, first_id="cmd-1")
        await peer.append("2026-A", 2, theirs, summary([*first, *theirs]))
        mine = more(first, 2, first_id="cmd-1")
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-A", 2, mine, summary([*first, *mine]), tell(mine, BART))
        assert list(await store.load("2026-A")) == [*first, *theirs]
        _, found = await store.load_for_command("2026-A", 3, "cmd-1")
        assert found == theirs[0]
        assert await store.pending_count() == 0

    async def test_stale_version_conflicts_and_writes_nothing(self, store: Store) -> None:
        first = await self._started(store)
        rival = start("2026-A", first_id="rival")
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-A", 0, rival, summary(rival), tell(rival, CHRIS))
        stale = more(first[:1], 1, first_id="stale")
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-A", 1, stale, summary(stale), tell(stale, BART))
        assert list(await store.load("2026-A")) == first
        assert await store.get_summary("2026-A") == summary(first)
        assert await store.find_event("rival") is None
        assert await store.find_event("stale") is None
        assert await store.pending_count() == 0

    async def test_a_version_ahead_of_the_store_conflicts(self, store: Store) -> None:
        first = await self._started(store)
        ahead = more([*first, *more(first, 3)], 1)
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-A", 5, ahead, summary(ahead))
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-NEW", 2, more(start("2026-NEW"), 1),
                               summary(more(start("2026-NEW"), 1)))
        assert list(await store.load("2026-A")) == first
        assert list(await store.load("2026-NEW")) == []

    async def test_a_reused_event_id_conflicts_and_writes_nothing(self, store: Store) -> None:
        first = await self._started(store)
        again = more(first, 1, first_id=first[0].event_id)
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-A", 2, again, summary([*first, *again]), tell(again, CHRIS))
        assert list(await store.load("2026-A")) == first
        assert (await store.chain_heads("2026-A"))["2026-A"] == (2, first[-1].hash)
        assert await store.pending_count() == 0

    async def test_an_event_id_of_another_dossier_conflicts(self, store: Store) -> None:
        first = await self._started(store, "2026-A")
        other = start("2026-B", first_id=first[0].event_id)
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-B", 0, other, summary(other), tell(other, CHRIS))
        assert list(await store.load("2026-B")) == []
        assert await store.get_summary("2026-B") is None
        assert await store.chain_heads() == {"2026-A": (2, first[-1].hash)}
        assert await store.pending_count() == 0
        found = await store.find_event(first[0].event_id)
        assert found is not None and found.dossier_id == "2026-A"

    async def test_a_batch_that_does_not_fit_is_a_programming_error(self, store: Store) -> None:
        events = start("2026-A", comments=2)
        with pytest.raises(ValueError):
            await store.append("2026-B", 0, events, summary(events))
        with pytest.raises(ValueError):  # a gap in the sequence numbers
            await store.append("2026-A", 0, [events[0], events[2]], summary(events))
        with pytest.raises(ValueError):
            await store.append("2026-A", 0, [], summary(events))
        assert list(await store.load("2026-A")) == []

    # --- the projection --------------------------------------------------------------------

    async def test_the_summary_is_stored_with_the_append(self, store: Store) -> None:
        events = start("2026-A")
        expected = summary(events, waiting=(BART, CHRIS), substitutes=(("x", DEWI),))
        await store.append("2026-A", 0, events, expected)
        assert await store.get_summary("2026-A") == expected

    async def test_summaries_list_most_recently_changed_first(self, store: Store) -> None:
        for dossier_id, hour, status in (("2026-A", 9, "open"), ("2026-B", 11, "completed"),
                                         ("2026-C", 10, "open"), ("2026-D", 8, "rejected")):
            events = start(dossier_id)
            stamp = f"2026-11-23T{hour:02d}:00:00.000000Z"
            await store.append(dossier_id, 0, events, summary(events, status=status,
                                                               updated_at=stamp))
        ids = [s.id for s in await store.list_summaries()]
        assert ids == ["2026-B", "2026-C", "2026-A", "2026-D"]
        assert [s.id for s in await store.list_summaries(status="open")] == ["2026-C", "2026-A"]
        assert [s.id for s in await store.list_summaries(limit=2, offset=1)] == ["2026-C",
                                                                                 "2026-A"]
        assert [s.id for s in await store.list_summaries(limit=2, offset=3)] == ["2026-D"]
        assert list(await store.list_summaries(status="withdrawn")) == []

    async def test_a_new_summary_replaces_the_old_one(self, store: Store) -> None:
        first = await self._started(store)
        done = more(first, 1)
        await store.append("2026-A", 2, done, summary([*first, *done], status="completed"))
        assert [s.status for s in await store.list_summaries()] == ["completed"]
        assert list(await store.list_summaries(status="open")) == []

    async def test_tasks_are_open_dossiers_where_one_may_act_earliest_due_first(
        self, store: Store
    ) -> None:
        cases = (("2026-A", "2026-12-05", "open"), ("2026-B", "2026-11-28", "open"),
                 ("2026-C", None, "open"), ("2026-D", "2026-11-01", "completed"))
        for dossier_id, due, status in cases:
            events = start(dossier_id)
            await store.append(dossier_id, 0, events, summary(events, due=due, status=status,
                                                               waiting=(BART,)))
        assert [s.id for s in await store.tasks_for(BART.oid)] == ["2026-B", "2026-A", "2026-C"]
        assert list(await store.tasks_for(CHRIS.oid)) == []
        assert list(await store.tasks_for(ANNA.oid)) == []

    async def test_a_substitute_sees_the_task_too(self, store: Store) -> None:
        await self._started(store, substitutes=((BART.oid, DEWI),))
        assert [s.id for s in await store.tasks_for(DEWI.oid)] == ["2026-A"]
        assert [s.id for s in await store.tasks_for(BART.oid)] == ["2026-A"]

    async def test_tasks_follow_the_latest_summary(self, store: Store) -> None:
        first = await self._started(store)
        moved = more(first, 1)
        await store.append("2026-A", 2, moved, summary([*first, *moved], waiting=(CHRIS,)))
        assert list(await store.tasks_for(BART.oid)) == []
        assert [s.id for s in await store.tasks_for(CHRIS.oid)] == ["2026-A"]

    # --- audit -----------------------------------------------------------------------------

    async def test_chain_records_are_ordered_by_dossier_and_seq(self, store: Store) -> None:
        for dossier_id in ("2026-C", "2026-A", "2026-B"):
            events = start(dossier_id, comments=1)
            await store.append(dossier_id, 0, events, summary(events))
        first = list(await store.load("2026-A"))
        await store.append("2026-A", 3, more(first, 2), summary([*first, *more(first, 2)]))
        assert await _flat(store) == [("2026-A", n) for n in range(1, 6)] + [
            ("2026-B", n) for n in range(1, 4)] + [("2026-C", n) for n in range(1, 4)]
        assert await _flat(store, "2026-B") == [("2026-B", n) for n in range(1, 4)]
        records = [r for batch in await _records(store) for r in batch]
        assert verify_chain(records, await store.chain_heads()) == []

    async def test_chain_records_come_in_bounded_batches(self, store: Store) -> None:
        events = start("2026-A", comments=self.max_batch + 3)
        await store.append("2026-A", 0, events, summary(events))
        small = start("2026-B")
        await store.append("2026-B", 0, small, summary(small))
        batches = await _records(store)
        assert len(batches) > 1
        assert all(0 < len(batch) <= self.max_batch for batch in batches)
        flat = [(r.dossier_id, r.seq) for batch in batches for r in batch]
        assert flat == [("2026-A", n) for n in range(1, len(events) + 1)] + [
            ("2026-B", 1), ("2026-B", 2)]
        assert sum(len(b) for b in await _records(store, "2026-A")) == len(events)

    async def test_chain_heads_are_the_projection_heads(self, store: Store) -> None:
        a = await self._started(store, "2026-A")
        b = start("2026-B", comments=2)
        await store.append("2026-B", 0, b, summary(b))
        assert await store.chain_heads() == {"2026-A": (2, a[-1].hash), "2026-B": (4, b[-1].hash)}
        assert await store.chain_heads("2026-B") == {"2026-B": (4, b[-1].hash)}

    # --- the outbox ------------------------------------------------------------------------

    async def test_notifications_are_written_with_the_append(self, store: Store) -> None:
        events = start("2026-A")
        notes = tell(events, BART, CHRIS)
        await store.append("2026-A", 0, events, summary(events), notes)
        assert await store.pending_count() == 2
        claimed = await store.claim("w1", 10, 60)
        assert [item.notification for item in claimed] == notes
        assert [item.attempts for item in claimed] == [1, 1]
        assert len({item.id for item in claimed}) == 2

    async def test_the_same_notification_is_written_once(self, store: Store) -> None:
        events = start("2026-A")
        await store.append("2026-A", 0, events, summary(events), [*tell(events, BART)] * 2)
        assert await store.pending_count() == 1

    async def test_a_failed_append_writes_no_notifications(self, store: Store) -> None:
        first = await self._started(store)
        stale = start("2026-A", first_id="stale")
        with pytest.raises(ConcurrencyConflict):
            await store.append("2026-A", 0, stale, summary(stale), tell(stale, BART))
        assert await store.pending_count() == 0
        assert list(await store.claim("w1", 10, 60)) == []
        assert list(await store.load("2026-A")) == first

    async def test_claim_takes_the_oldest_rows_up_to_the_limit(
        self, store: Store, clock: FixedClock
    ) -> None:
        for n, dossier_id in enumerate(("2026-A", "2026-B", "2026-C")):
            clock.advance(timedelta(seconds=n))
            events = start(dossier_id)
            await store.append(dossier_id, 0, events, summary(events), tell(events, BART))
        first = await store.claim("w1", 2, 60)
        assert [i.notification.dossier_id for i in first] == ["2026-A", "2026-B"]
        assert [i.notification.dossier_id for i in await store.claim("w2", 5, 60)] == ["2026-C"]
        assert list(await store.claim("w3", 5, 60)) == []
        assert await store.pending_count() == 3

    async def test_two_claimers_get_disjoint_rows(self, store: Store, peer: Store) -> None:
        events = start("2026-A")
        people = [BART, CHRIS, DEWI, ANNA]
        await store.append("2026-A", 0, events, summary(events), tell(events, *people))
        one, two = await asyncio.gather(store.claim("w1", 3, 60), peer.claim("w2", 3, 60))
        ids_one, ids_two = {i.id for i in one}, {i.id for i in two}
        assert not ids_one & ids_two
        assert len(ids_one | ids_two) == 4
        assert await peer.pending_count() == 4

    async def test_a_row_is_claimable_again_when_its_lease_runs_out(
        self, store: Store, clock: FixedClock
    ) -> None:
        events = start("2026-A")
        await store.append("2026-A", 0, events, summary(events), tell(events, BART))
        (item,) = await store.claim("w1", 10, 30)
        clock.advance(timedelta(seconds=29))
        assert list(await store.claim("w2", 10, 30)) == []
        clock.advance(timedelta(seconds=2))
        (again,) = await store.claim("w2", 10, 30)
        assert (again.id, again.attempts) == (item.id, 2)

    async def test_a_sent_row_is_done(self, store: Store, clock: FixedClock) -> None:
        events = start("2026-A")
        await store.append("2026-A", 0, events, summary(events), tell(events, BART, CHRIS))
        first, second = await store.claim("w1", 10, 30)
        await store.mark_sent(first.id)
        assert await store.pending_count() == 1
        clock.advance(timedelta(minutes=5))
        assert [i.id for i in await store.claim("w2", 10, 30)] == [second.id]
        await store.mark_sent(second.id)
        await store.mark_sent(second.id)  # idempotent
        assert await store.pending_count() == 0

    async def test_a_hurried_row_is_due_at_once_unless_held(
        self, store: Store, clock: FixedClock
    ) -> None:
        events = start("2026-A")
        await store.append("2026-A", 0, events, summary(events), tell(events, BART, ANNA))
        first, second = await store.claim("w1", 10, 30)
        await store.release(first.id, "nobody has installed the app yet", 900)
        assert list(await store.claim("w2", 10, 30)) == []
        await store.hurry([first.id, second.id])  # the second is still held by w1
        assert [i.id for i in await store.claim("w2", 10, 30)] == [first.id]
        await store.mark_sent(second.id)
        await store.hurry([second.id])  # sent: stays sent
        assert await store.pending_count() == 1

    async def test_a_released_row_waits_for_its_retry(
        self, store: Store, clock: FixedClock
    ) -> None:
        events = start("2026-A")
        await store.append("2026-A", 0, events, summary(events), tell(events, BART))
        (item,) = await store.claim("w1", 10, 30)
        await store.release(item.id, "429 Too Many Requests", 60)
        assert await store.pending_count() == 1
        clock.advance(timedelta(seconds=59))
        assert list(await store.claim("w1", 10, 30)) == []
        clock.advance(timedelta(seconds=1))
        (again,) = await store.claim("w2", 10, 30)
        assert (again.id, again.attempts) == (item.id, 2)


# --- the backends ------------------------------------------------------------------------------


class TestInMemoryDossierStore(DossierStoreContract):
    async def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return InMemoryDossierStore(clock)


class TestSqliteDossierStore(DossierStoreContract):
    async def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return SqliteDossierStore(tmp_path / "paraaf.db", clock=clock)

    async def open_peer(self, store: Store, tmp_path: Path, clock: Clock) -> Store:
        return SqliteDossierStore(tmp_path / "paraaf.db", clock=clock)


class TestGraphDossierStore(OnGraphSite, DossierStoreContract):
    max_batch = 50  # one append of max_batch + 3 events stays quick to roll forward

    async def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return GraphDossierStore(self.site.graph(), self.site.site_id, clock=clock,
                                 chain_batch=self.max_batch)

    async def open_peer(self, store: Store, tmp_path: Path, clock: Clock) -> Store:
        return await self.make_store(tmp_path, clock)


class TestGraphDossierStoreUnderFaults(TestGraphDossierStore):
    """The same promises while about one request in ten fails: throttled (429 with
    Retry-After 1), unavailable (503), dropped before or after it was applied, or a
    conditional write that loses a race."""

    @pytest.fixture(autouse=True)
    def _faults(self, _on_site: None) -> None:
        faults = self.site.server.faults
        faults.throttle(retry_after=1, rate=0.005, times=None)
        faults.unavailable(rate=0.02, times=None)
        faults.drop_before(rate=0.03, times=None)
        faults.drop_after(method="POST", rate=0.04, times=None)
        faults.drop_after(method="PATCH", rate=0.06, times=None)
        faults.race(rate=0.12, times=None)  # only conditional writes can lose a race
