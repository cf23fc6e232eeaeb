"""SQLite specifics of the local dossier store beyond the shared contract."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from approvals.errors import ConcurrencyConflict
from approvals.readmodels import SummaryQuery
from local import sqlite_store
from local.sqlite_store import SCHEMA_VERSION, SqliteDossierStore
from tests.support.contract_kit import BART, CHRIS, DEWI, more, start, summary, tell


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "paraaf.db"


@pytest.fixture
def store(path: Path) -> Iterator[SqliteDossierStore]:
    store = SqliteDossierStore(path)
    yield store
    store.close()


def _pragma(path: Path, name: str) -> object:
    with sqlite3.connect(path) as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


def test_the_database_is_wal_with_a_schema_version(store: SqliteDossierStore, path: Path) -> None:
    assert _pragma(path, "journal_mode") == "wal"
    assert _pragma(path, "user_version") == SCHEMA_VERSION
    db = store._db
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000


def test_opening_again_keeps_the_data(path: Path) -> None:
    events = start("2026-A")
    first = SqliteDossierStore(path)
    asyncio.run(first.append("2026-A", 0, events, summary(events)))
    first.close()
    second = SqliteDossierStore(path)
    try:
        assert list(asyncio.run(second.load("2026-A"))) == events
    finally:
        second.close()


def test_a_newer_schema_is_refused(path: Path) -> None:
    SqliteDossierStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="Upgrade paraaf"):
        SqliteDossierStore(path)


def test_a_closed_store_refuses_work(store: SqliteDossierStore) -> None:
    store.close()
    store.close()  # closing twice is harmless
    with pytest.raises(sqlite3.ProgrammingError):
        asyncio.run(store.load("2026-A"))


async def test_the_record_is_stored_byte_for_byte(store: SqliteDossierStore, path: Path) -> None:
    events = start("2026-A", comments=1)
    await store.append("2026-A", 0, events, summary(events))
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT event_id, type, timestamp, record, hash FROM events "
                          "ORDER BY seq").fetchall()
    assert rows == [(e.event_id, e.type.value, e.timestamp, e.record, e.hash) for e in events]


async def test_events_without_a_projection_still_conflict(
    store: SqliteDossierStore, path: Path
) -> None:
    """Events written straight into the table (a bulk import) are not overwritten."""
    events = start("2026-A")
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO events (dossier_id, seq, event_id, type, timestamp, record, hash)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)",
                   ("2026-A", 1, "imported", "DossierStarted", events[0].timestamp,
                    events[0].record, events[0].hash))
    with pytest.raises(ConcurrencyConflict):
        await store.append("2026-A", 0, events, summary(events))
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT event_id FROM events").fetchall() == [("imported",)]
    assert await store.get_summary("2026-A") is None


async def test_actors_are_replaced_with_every_append(
    store: SqliteDossierStore, path: Path
) -> None:
    first = start("2026-A")
    await store.append("2026-A", 0, first, summary(first, waiting=(BART,),
                                                    substitutes=((BART.oid, DEWI),)))
    later = more(first, 1)
    await store.append("2026-A", 2, later, summary([*first, *later], waiting=(CHRIS,)))
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT oid FROM dossier_actors").fetchall() == [(CHRIS.oid,)]


async def test_chain_records_reads_page_by_page(
    store: SqliteDossierStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "CHAIN_BATCH", 3)
    a = start("2026-A", comments=5)  # 7 events
    await store.append("2026-A", 0, a, summary(a))
    pages = store.chain_records()
    first = await anext(pages)
    # written after the first page was read: a later page still sees it (no snapshot held)
    b = start("2026-B")
    await store.append("2026-B", 0, b, summary(b))
    rest = [batch async for batch in pages]
    assert [len(batch) for batch in [first, *rest]] == [3, 3, 3]
    assert [(r.dossier_id, r.seq) for batch in [first, *rest] for r in batch] == [
        *(("2026-A", n) for n in range(1, 8)), ("2026-B", 1), ("2026-B", 2)]


def _claim_in_thread(path: Path, worker: str, out: dict[str, list[int]],
                     barrier: threading.Barrier) -> None:
    store = SqliteDossierStore(path)
    try:
        barrier.wait()
        mine: list[int] = []
        while True:
            items = asyncio.run(store.claim(worker, 2, 60))
            if not items:
                break
            mine += [int(item.id) for item in items]
        out[worker] = mine
    finally:
        store.close()


async def test_claims_from_threads_on_separate_connections_never_overlap(
    store: SqliteDossierStore, path: Path
) -> None:
    people = [BART, CHRIS, DEWI]
    for n in range(40):
        events = start(f"2026-{n:03d}")
        await store.append(events[0].dossier_id, 0, events, summary(events),
                           tell(events, *people))
    out: dict[str, list[int]] = {}
    barrier = threading.Barrier(6)
    threads = [threading.Thread(target=_claim_in_thread, args=(path, f"w{n}", out, barrier))
               for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    claimed = [row for rows in out.values() for row in rows]
    assert len(out) == 6
    assert len(claimed) == len(set(claimed)) == 120


def _append_in_thread(path: Path, index: int, results: list[str],
                      barrier: threading.Barrier) -> None:
    store = SqliteDossierStore(path)
    try:
        first = asyncio.run(store.load("2026-A"))
        batch = more(list(first), 1, first_id=f"thread-{index}")
        barrier.wait()
        try:
            asyncio.run(store.append("2026-A", 2, batch, summary([*first, *batch])))
            results.append("ok")
        except ConcurrencyConflict:
            results.append("conflict")
    finally:
        store.close()


async def test_one_of_many_concurrent_appends_at_a_version_wins(
    store: SqliteDossierStore, path: Path
) -> None:
    first = start("2026-A")
    await store.append("2026-A", 0, first, summary(first))
    results: list[str] = []
    barrier = threading.Barrier(8)
    threads = [threading.Thread(target=_append_in_thread, args=(path, n, results, barrier))
               for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["conflict"] * 7 + ["ok"]
    assert [e.seq for e in await store.load("2026-A")] == [1, 2, 3]


async def test_the_outbox_worker_commits_off_the_event_loop(store: SqliteDossierStore,
                                                            path: Path) -> None:
    """Claiming, marking, putting back and hurrying rows run in a thread: clicks answered on
    the event loop meanwhile do not wait for them."""
    events = start("2026-A")
    await store.append("2026-A", 0, events, summary(events), tell(events, BART, CHRIS))
    writers: set[str] = set()

    def note(statement: str) -> None:
        if statement.split()[0].upper() in ("UPDATE", "INSERT", "DELETE"):
            writers.add(threading.current_thread().name)

    store._db.set_trace_callback(note)
    try:
        first, second = await store.claim("w1", 10, 60)
        await store.mark_sent(first.id)
        await store.release(second.id, "throttled", 0)
        await store.hurry([second.id])
    finally:
        store._db.set_trace_callback(None)
    assert writers and threading.current_thread().name not in writers
    assert [i.id for i in await store.claim("w2", 10, 60)] == [second.id]


async def test_a_card_copy_is_recorded_without_a_thread(path: Path) -> None:
    """A card copy (after every recorded click) commits without waiting for the disk, in a
    fraction of a millisecond: on the caller's thread, as handing it to a thread would cost
    the click more than the write."""
    from approvals.ports import CardCopy
    from local.conversations import SqliteConversationStore

    conversations = SqliteConversationStore(path.parent / "conversations.db")
    writers: set[str] = set()

    def note(statement: str) -> None:
        if statement.split()[0].upper() in ("UPDATE", "INSERT", "DELETE"):
            writers.add(threading.current_thread().name)

    conversations._db.set_trace_callback(note)
    try:
        await conversations.record_card(CardCopy("2026-A", "oid-1", "chat-1", "m-1"))
        assert [c.activity_id for c in await conversations.cards("2026-A")] == ["m-1"]
    finally:
        conversations.close()
    assert writers == {threading.current_thread().name}


async def test_appends_wait_for_the_disk_and_outbox_bookkeeping_does_not(
        store: SqliteDossierStore, path: Path) -> None:
    """An append is synced at its commit; claiming and marking outbox rows, and card copies,
    commit at ``synchronous = NORMAL`` (they survive a crash of the process) and the
    connection is synced again afterwards."""
    from approvals.ports import CardCopy
    from local.conversations import SqliteConversationStore

    conversations = SqliteConversationStore(path.parent / "conversations.db")
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    conversations._db.set_trace_callback(statements.append)
    try:
        events = start("2026-A")
        await store.append("2026-A", 0, events, summary(events), tell(events, BART))
        appended = len(statements)
        (item,) = await store.claim("w1", 10, 60)
        await store.mark_sent(item.id)
        await conversations.record_card(CardCopy("2026-A", "oid-1", "chat-1", "m-1"))
    finally:
        store._db.set_trace_callback(None)
        conversations._db.set_trace_callback(None)
        conversations.close()
    pragmas = [s for s in statements if s.startswith("PRAGMA synchronous")]
    assert not any(s.startswith("PRAGMA") for s in statements[:appended])
    assert pragmas == ["PRAGMA synchronous = NORMAL", "PRAGMA synchronous = FULL"] * 3
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert await store.pending_count() == 0


def test_a_database_from_before_the_stages_table_gets_it_filled(path: Path) -> None:
    events = start("2026-A")
    kept = summary(events, waiting=(BART,))
    first = SqliteDossierStore(path)
    asyncio.run(first.append("2026-A", 0, events, kept))
    first.close()
    with sqlite3.connect(path) as db:  # as schema 2 left it: no stages' table
        db.execute("DROP TABLE dossier_stages")
        db.execute("PRAGMA user_version = 2")
    [stage] = {s.stage_id for s in kept.active}
    again = SqliteDossierStore(path)
    try:
        found, total = asyncio.run(again.query_summaries(
            SummaryQuery(stage_id=stage), limit=10, offset=0))
        assert [s.id for s in found] == ["2026-A"] and total == 1
        found, total = asyncio.run(again.query_summaries(
            SummaryQuery(stage_id="no_such_stage"), limit=10, offset=0))
        assert list(found) == [] and total == 0
    finally:
        again.close()
    assert _pragma(path, "user_version") == SCHEMA_VERSION


def test_a_database_from_before_the_start_index_gets_it(path: Path) -> None:
    events = start("2026-A")
    kept = summary(events)
    first = SqliteDossierStore(path)
    asyncio.run(first.append("2026-A", 0, events, kept))
    first.close()
    with sqlite3.connect(path) as db:  # as schema 3 left it: no index on the start
        db.execute("DROP INDEX dossiers_by_created")
        db.execute("PRAGMA user_version = 3")
    day = datetime.combine(date.fromisoformat(kept.created_at[:10]), time.min, UTC)
    again = SqliteDossierStore(path)
    try:
        found, total = asyncio.run(again.query_summaries(
            SummaryQuery(started_from=day, started_before=day + timedelta(days=1)),
            limit=10, offset=0))
        assert [s.id for s in found] == ["2026-A"] and total == 1
        found, total = asyncio.run(again.query_summaries(
            SummaryQuery(started_from=day + timedelta(days=1)), limit=10, offset=0))
        assert list(found) == [] and total == 0
    finally:
        again.close()
    assert _pragma(path, "user_version") == SCHEMA_VERSION
    with sqlite3.connect(path) as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "dossiers_by_created" in names
