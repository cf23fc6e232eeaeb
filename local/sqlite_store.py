"""The embedded system of record: dossier events, their projection and the outbox in SQLite.

One transaction per append holds the events, the dossier projection, who may act, and the
outbox rows (DESIGN.md section 3). Optimistic concurrency is a uniqueness rule:
``PRIMARY KEY (dossier_id, seq)`` plus a unique event id; ``sqlite3.IntegrityError`` becomes
the domain's :class:`ConcurrencyConflict` (as pyeventsourcing's SQLite recorder does).

The methods are ``async`` to fit the port but run SQLite synchronously: every transaction is
short, and ``busy_timeout`` makes concurrent writers (other processes) wait their turn. The
outbox worker's writes (claim, mark sent, release, hurry) run in a thread instead, and commit
without waiting for the disk (:meth:`SqliteDatabase.write` with ``synced=False``): they
survive a crash of the process; a power loss may take the last ones back, which frees a
claimed row again or sends one message twice, as a crash between a send and its mark already
may. The appends they follow are synced, and a synced commit syncs what came before it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from datetime import time as datetime_time

from approvals.append_rules import check_batch
from approvals.audit import ChainRecord
from approvals.errors import ConcurrencyConflict
from approvals.events import Event, canonical_json, event_from_record
from approvals.facts import DossierFacts, advance, changes_facts
from approvals.identity import Person
from approvals.insight import DossierRow, Insight, InsightQuery, SpanRow
from approvals.insight import rows as insight_rows
from approvals.ports import Clock, Notification, OutboxItem
from approvals.readmodels import (
    DossierSummary,
    SummaryPage,
    SummaryQuery,
    cursor_offset,
    offset_page,
    stamp,
    summary_from_json,
    summary_to_json,
)
from approvals.register import RegisterLine, RegisterQuery
from local.clock import SystemClock, utc_iso
from local.sqlite_insight import (
    ROUNDS_SCHEMA,
    ROUNDS_TRIGGERS,
    fill_rounds,
    insight_of,
    keep_rounds,
    period_rows,
)

# 2: the dossiers' facts for the register and the insight; 3: the active stages' table;
# 4: the insight's rounds in order of how long they took (local/sqlite_insight.py);
# 5: the dossiers' index on their start (the overview's period)
SCHEMA_VERSION = 5
BUSY_TIMEOUT_MS = 10_000
CHAIN_BATCH = 5000

# Every table of the local database; created by whichever adapter opens the file first.
SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    dossier_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    event_id   TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    timestamp  TEXT NOT NULL,
    record     TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (dossier_id, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS dossiers (
    id           TEXT PRIMARY KEY,
    flow_id      TEXT NOT NULL,
    flow_version INTEGER NOT NULL,
    title        TEXT NOT NULL,
    status       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    head_hash    TEXT NOT NULL,
    due          TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    summary      TEXT NOT NULL  -- JSON: approvals.readmodels.summary_to_json
);
CREATE INDEX IF NOT EXISTS dossiers_by_status ON dossiers (status, updated_at);
CREATE INDEX IF NOT EXISTS dossiers_by_updated ON dossiers (updated_at);
CREATE INDEX IF NOT EXISTS dossiers_by_created ON dossiers (created_at);
-- covering: the overview's filters and order read it, not the rows with their summaries
CREATE INDEX IF NOT EXISTS dossiers_listing ON dossiers (id, status, flow_id, updated_at, due,
    title);

CREATE TABLE IF NOT EXISTS dossier_actors (
    dossier_id TEXT NOT NULL,
    oid        TEXT NOT NULL,
    PRIMARY KEY (dossier_id, oid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dossier_actors_by_oid ON dossier_actors (oid, dossier_id);

-- each dossier's active stages, kept with its summary: the overview's stage filter
CREATE TABLE IF NOT EXISTS dossier_stages (
    dossier_id TEXT NOT NULL,
    stage_id   TEXT NOT NULL,
    due        TEXT,
    PRIMARY KEY (dossier_id, stage_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dossier_stages_by_stage ON dossier_stages (stage_id, dossier_id);

CREATE TABLE IF NOT EXISTS outbox (
    id            INTEGER PRIMARY KEY,
    dossier_id    TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    recipient     TEXT NOT NULL,  -- JSON: Person.to_json
    recipient_oid TEXT NOT NULL,
    kind          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    not_before    REAL NOT NULL,  -- epoch seconds
    claimed_by    TEXT,
    lease_until   REAL,           -- epoch seconds
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    sent_at       TEXT,
    UNIQUE (event_id, recipient_oid, kind)
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (not_before, id) WHERE sent_at IS NULL;

CREATE TABLE IF NOT EXISTS flows (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    title        TEXT NOT NULL,
    status       TEXT NOT NULL,
    source       TEXT NOT NULL,
    published_by TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (id, version)
) WITHOUT ROWID;

-- the dossiers' facts (approvals/facts.py), kept at every append: the register, the insight
CREATE TABLE IF NOT EXISTS dossier_facts (
    id          TEXT PRIMARY KEY,
    flow_id     TEXT NOT NULL,
    flow_title  TEXT NOT NULL,
    initiator   TEXT NOT NULL,
    started     TEXT NOT NULL,
    started_s   REAL NOT NULL,  -- seconds since the epoch: the insight's rows
    ended_s     REAL,
    decided_at  TEXT,
    decided_by  TEXT,
    decided_for TEXT,
    search      TEXT NOT NULL,  -- lower case: title, number, decision text
    facts       TEXT NOT NULL   -- JSON: DossierFacts.to_json
);
CREATE INDEX IF NOT EXISTS facts_by_started ON dossier_facts (started);
CREATE INDEX IF NOT EXISTS facts_by_decided ON dossier_facts (decided_at)
    WHERE decided_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS dossier_participants (
    dossier_id TEXT NOT NULL,
    oid        TEXT NOT NULL,
    PRIMARY KEY (dossier_id, oid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS participants_by_oid ON dossier_participants (oid, dossier_id);

-- each dossier's stage rounds (approvals.insight.SpanRow), for the insight
CREATE TABLE IF NOT EXISTS stage_spans (
    dossier_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    flow_id    TEXT NOT NULL,
    stage_id   TEXT NOT NULL,
    started    REAL NOT NULL,
    ended      REAL,
    late_at    REAL,
    outcome    TEXT NOT NULL,
    dossier_started REAL NOT NULL,
    PRIMARY KEY (dossier_id, n)
) WITHOUT ROWID;
-- covering: the insight reads a period of it from the index alone
CREATE INDEX IF NOT EXISTS spans_by_dossier_start ON stage_spans (dossier_started, dossier_id,
    flow_id, stage_id, started, ended, late_at, outcome);
CREATE INDEX IF NOT EXISTS facts_by_start ON dossier_facts (started_s, id, flow_id, flow_title,
    initiator, ended_s);
""" + ";" + ROUNDS_SCHEMA


def open_database(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A connection in WAL mode with durable commits, the schema created if missing.

    Autocommit mode (``isolation_level=None``): transactions are begun explicitly.
    """
    db = sqlite3.connect(
        os.fspath(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
        check_same_thread=False,
    )
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        # NORMAL may lose the last commits on power loss; an append must be durable.
        db.execute("PRAGMA synchronous = FULL")
        _ensure_schema(db, os.fspath(path))
    except BaseException:
        db.close()
        raise
    return db


def _ensure_schema(db: sqlite3.Connection, path: str) -> None:
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")  # one process creates the schema, the others wait
    try:
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            raise RuntimeError(
                f"{path} has database schema {found}; this version of paraaf knows "
                f"{SCHEMA_VERSION}. Upgrade paraaf."
            )
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        for statement in ROUNDS_TRIGGERS:
            db.execute(statement)
        if found == 1:  # a database from before the facts: fold them from its events
            _backfill_facts(db)
        if 1 <= found < 3:  # a database from before the stages' table: from the summaries
            _backfill_stages(db)
        if 2 <= found < 4:  # from before the insight's rounds: from the stage rounds
            fill_rounds(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _backfill_facts(db: sqlite3.Connection) -> None:
    titles = dict(db.execute(
        "SELECT id, json_extract(summary, '$.flow_title') FROM dossiers").fetchall())
    facts: DossierFacts | None = None
    rows = db.execute("SELECT record, hash FROM events ORDER BY dossier_id, seq")
    for record, digest in rows:
        event = event_from_record(record, digest)
        if facts is not None and facts.dossier_id != event.dossier_id:
            _keep_facts(db, facts)
            facts = None
        facts = advance(facts, [event], titles.get(event.dossier_id) or "")
    if facts is not None:
        _keep_facts(db, facts)


def _backfill_stages(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO dossier_stages (dossier_id, stage_id, due)"
        " SELECT d.id, json_extract(s.value, '$.stage_id'), json_extract(s.value, '$.due')"
        " FROM dossiers d, json_each(d.summary, '$.active') s WHERE true"
        " ON CONFLICT DO NOTHING")


def _keep_facts(db: sqlite3.Connection, f: DossierFacts) -> None:
    d = f.decision
    search = "\n".join((f.title, f.dossier_id, d.text if d else "")).lower()
    [row], spans = insight_rows([f])
    db.execute(
        "INSERT INTO dossier_facts (id, flow_id, flow_title, initiator, started, started_s,"
        " ended_s, decided_at, decided_by, decided_for, search, facts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
        " flow_id = excluded.flow_id, flow_title = excluded.flow_title,"
        " initiator = excluded.initiator, started = excluded.started,"
        " started_s = excluded.started_s, ended_s = excluded.ended_s,"
        " decided_at = excluded.decided_at, decided_by = excluded.decided_by,"
        " decided_for = excluded.decided_for, search = excluded.search, facts = excluded.facts",
        (f.dossier_id, f.flow_id, f.flow_title, f.initiator.oid, f.started, row.started,
         row.ended, d.at if d else None, d.by.oid if d else None,
         d.on_behalf_of.oid if d and d.on_behalf_of else None, search,
         json.dumps(f.to_json(), ensure_ascii=False, separators=(",", ":"))))
    db.execute("DELETE FROM stage_spans WHERE dossier_id = ?", (f.dossier_id,))
    db.executemany(
        "INSERT INTO stage_spans (dossier_id, n, flow_id, stage_id, started, ended, late_at,"
        " outcome, dossier_started) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(s.dossier_id, n, s.flow_id, s.stage_id, s.started, s.ended, s.late_at, s.outcome,
          row.started) for n, s in enumerate(spans)])
    keep_rounds(db, f.dossier_id, f.initiator.oid, row.started, spans)
    db.executemany(
        "INSERT INTO dossier_participants (dossier_id, oid) VALUES (?, ?)"
        " ON CONFLICT DO NOTHING", [(f.dossier_id, oid) for oid in sorted(f.participants)])


DAY_SECONDS = 86_400.0


def _seconds(day: date) -> float:
    return datetime.combine(day, datetime_time.min, UTC).timestamp()


def _facts(db: sqlite3.Connection, dossier_id: str) -> DossierFacts | None:
    row = db.execute("SELECT facts FROM dossier_facts WHERE id = ?", (dossier_id,)).fetchone()
    return None if row is None else DossierFacts.from_json(json.loads(row[0]))


class SqliteDatabase:
    """One connection, used by one thread at a time, with explicit write transactions."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._db = open_database(path)
        self._lock = threading.RLock()
        self._closed = False

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._check_open()
            yield self._db

    @contextmanager
    def write(self, synced: bool = True) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on any error.

        ``synced=False`` commits without waiting for the disk (``synchronous = NORMAL`` for
        this transaction; WAL mode): the commit survives a crash of the process, and only a
        power loss may take it back, until the next synced commit or checkpoint. For
        bookkeeping whose loss on power loss is harmless (which outbox row is claimed or
        sent, which card copies exist), never for an append."""
        with self._lock:
            self._check_open()
            if not synced:
                self._db.execute("PRAGMA synchronous = NORMAL")
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            finally:
                if not synced:
                    self._db.execute("PRAGMA synchronous = FULL")

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    def _check_open(self) -> None:
        if self._closed:
            raise sqlite3.ProgrammingError(f"The database {self.path} is closed.")


class SqliteDossierStore(SqliteDatabase):
    """``DossierStore`` and ``Outbox`` in one SQLite file (stdlib ``sqlite3``)."""

    def __init__(self, path: str | os.PathLike[str], *, clock: Clock | None = None) -> None:
        super().__init__(path)
        self._clock: Clock = clock or SystemClock()

    # --- the event log ---------------------------------------------------------------------

    async def load(self, dossier_id: str, after: int = 0) -> Sequence[Event]:
        with self.read() as db:
            rows = db.execute(
                "SELECT record, hash FROM events WHERE dossier_id = ? AND seq > ? ORDER BY seq",
                (dossier_id, after),
            ).fetchall()
        return [event_from_record(record, digest) for record, digest in rows]

    async def append(
        self,
        dossier_id: str,
        expected_version: int,
        events: Sequence[Event],
        summary: DossierSummary,
        notifications: Sequence[Notification] = (),
    ) -> None:
        check_batch(dossier_id, expected_version, events, summary)
        now = self._clock.now()
        try:
            with self.write() as db:
                row = db.execute(
                    "SELECT version FROM dossiers WHERE id = ?", (dossier_id,)
                ).fetchone()
                if (row[0] if row else 0) != expected_version:
                    raise ConcurrencyConflict(dossier_id, expected_version)
                db.executemany(
                    "INSERT INTO events (dossier_id, seq, event_id, type, timestamp, record, hash)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(e.dossier_id, e.seq, e.event_id, e.type.value, e.timestamp, e.record,
                      e.hash) for e in events],
                )
                self._project(db, summary)
                if changes_facts(events):
                    facts = advance(_facts(db, dossier_id), events, summary.flow_title)
                    if facts is not None:
                        _keep_facts(db, facts)
                db.executemany(
                    "INSERT INTO outbox (dossier_id, event_id, recipient, recipient_oid, kind,"
                    " created_at, not_before) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (event_id, recipient_oid, kind) DO NOTHING",
                    [(n.dossier_id, n.event_id, canonical_json(n.recipient.to_json()),
                      n.recipient.oid, n.kind, utc_iso(now), now.timestamp())
                     for n in notifications],
                )
        except sqlite3.IntegrityError as exc:  # a seq or an event id that is already stored
            raise ConcurrencyConflict(dossier_id, expected_version) from exc

    @staticmethod
    def _project(db: sqlite3.Connection, s: DossierSummary) -> None:
        db.execute(
            "INSERT INTO dossiers (id, flow_id, flow_version, title, status, version, head_hash,"
            " due, created_at, updated_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET flow_id = excluded.flow_id,"
            " flow_version = excluded.flow_version, title = excluded.title,"
            " status = excluded.status, version = excluded.version,"
            " head_hash = excluded.head_hash, due = excluded.due,"
            " updated_at = excluded.updated_at, summary = excluded.summary",
            (s.id, s.flow_id, s.flow_version, s.title, s.status, s.version, s.head_hash, s.due,
             s.created_at, s.updated_at, canonical_json(summary_to_json(s))),
        )
        db.execute("DELETE FROM dossier_actors WHERE dossier_id = ?", (s.id,))
        db.executemany(
            "INSERT INTO dossier_actors (dossier_id, oid) VALUES (?, ?)",
            [(s.id, oid) for oid in sorted(s.actors())],
        )
        db.execute("DELETE FROM dossier_stages WHERE dossier_id = ?", (s.id,))
        db.executemany(
            "INSERT INTO dossier_stages (dossier_id, stage_id, due) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [(s.id, stage.stage_id, stage.due) for stage in s.active],
        )

    async def find_event(self, event_id: str) -> Event | None:
        with self.read() as db:
            row = db.execute(
                "SELECT record, hash FROM events WHERE event_id = ?", (event_id,)
            ).fetchone()
        return None if row is None else event_from_record(row[0], row[1])

    async def load_for_command(
        self, dossier_id: str, after: int, command_id: str
    ) -> tuple[Sequence[Event], Event | None]:
        """Both queries in one read transaction (one snapshot of the file)."""
        with self.read() as db:
            db.execute("BEGIN")
            try:
                found = db.execute(
                    "SELECT record, hash FROM events WHERE event_id = ?", (command_id,)
                ).fetchone()
                rows = db.execute(
                    "SELECT record, hash FROM events WHERE dossier_id = ? AND seq > ?"
                    " ORDER BY seq",
                    (dossier_id, after),
                ).fetchall()
            finally:
                db.execute("COMMIT")
        events = [event_from_record(record, digest) for record, digest in rows]
        return events, None if found is None else event_from_record(found[0], found[1])

    # --- the projection --------------------------------------------------------------------

    async def get_summary(self, dossier_id: str) -> DossierSummary | None:
        with self.read() as db:
            row = db.execute("SELECT summary FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()
        return None if row is None else summary_from_json(json.loads(row[0]))

    async def list_summaries(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[DossierSummary]:
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative.")
        where, params = ("WHERE status = ?", [status]) if status is not None else ("", [])
        with self.read() as db:
            rows = db.execute(
                f"SELECT summary FROM dossiers {where} ORDER BY updated_at DESC, id"
                " LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [summary_from_json(json.loads(row[0])) for row in rows]

    async def query_summaries(self, query: SummaryQuery, *, limit: int,
                              offset: int) -> tuple[Sequence[DossierSummary], int]:
        """The overview from the dossiers table and its indexes (who is to act: the actors
        table; the active stages: the stages table; the initiator: the stored summary)."""
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative.")
        where: list[str] = []
        params: list[object] = []
        initiator = "json_extract(d.summary, '$.initiator.oid')"
        if query.viewer is not None:
            where.append(f"({initiator} = ? OR EXISTS (SELECT 1 FROM dossier_actors v"
                         " WHERE v.dossier_id = d.id AND v.oid = ?))")
            params += [query.viewer, query.viewer]
        if query.status is not None:
            where.append("d.status = ?")
            params.append(query.status)
        if query.flow_id is not None:
            where.append("d.flow_id = ?")
            params.append(query.flow_id)
        if query.stage_id is not None:
            where.append("d.id IN (SELECT s.dossier_id FROM dossier_stages s"
                         " WHERE s.stage_id = ?)")
            params.append(query.stage_id)
        if query.to_act is not None:
            where.append("d.id IN (SELECT a.dossier_id FROM dossier_actors a WHERE a.oid = ?)")
            params.append(query.to_act)
        if query.initiator is not None:
            where.append(f"{initiator} = ?")
            params.append(query.initiator)
        if query.initiators is not None:
            marks = ", ".join("?" * len(query.initiators))
            where.append(f"{initiator} IN ({marks})" if marks else "0")
            params += list(query.initiators)
        if query.started_from is not None:  # created_at: a timestamp as stamp() writes it
            where.append("d.created_at >= ?")
            params.append(stamp(query.started_from))
        if query.started_before is not None:
            where.append("d.created_at < ?")
            params.append(stamp(query.started_before))
        if query.overdue is not None and query.today is not None:
            late = "(d.due IS NOT NULL AND d.due < ?)"
            where.append(late if query.overdue else f"NOT {late}")
            params.append(query.today.isoformat())
        if query.text:
            where.append("(instr(lower(d.title), ?) > 0 OR instr(lower(d.id), ?) > 0)")
            params += [query.text.lower(), query.text.lower()]
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self.read() as db:
            total = db.execute(f"SELECT count(*) FROM dossiers d {clause}", params).fetchone()[0]
            # the page's ids first (from the indexes), then only their summaries
            rows = db.execute(
                f"SELECT p.summary FROM (SELECT d.id, d.updated_at FROM dossiers d {clause}"
                " ORDER BY d.updated_at DESC, d.id LIMIT ? OFFSET ?) k"
                " JOIN dossiers p ON p.id = k.id ORDER BY k.updated_at DESC, k.id",
                [*params, limit, offset]).fetchall()
        return [summary_from_json(json.loads(row[0])) for row in rows], int(total)

    async def page_summaries(self, query: SummaryQuery, *, limit: int,
                             after: str | None = None) -> SummaryPage:
        """A page by offset (the cursor holds it), with the count."""
        offset = cursor_offset(query, after)
        found, total = await self.query_summaries(query, limit=limit, offset=offset)
        return offset_page(found, total, query, offset)

    async def query_decisions(self, query: RegisterQuery, *, limit: int,
                              offset: int) -> tuple[Sequence[RegisterLine], int]:
        """The register from the facts table (its index on the decision's time; who is
        involved: the participants table)."""
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative.")
        where = ["f.decided_at IS NOT NULL"]
        params: list[object] = []
        if query.viewer is not None:
            where.append("EXISTS (SELECT 1 FROM dossier_participants p"
                         " WHERE p.dossier_id = f.id AND p.oid = ?)")
            params.append(query.viewer)
        if query.since is not None:
            where.append("substr(f.decided_at, 1, 10) >= ?")
            params.append(query.since.isoformat())
        if query.until is not None:
            where.append("substr(f.decided_at, 1, 10) <= ?")
            params.append(query.until.isoformat())
        if query.flow_id is not None:
            where.append("f.flow_id = ?")
            params.append(query.flow_id)
        if query.decider is not None:
            where.append("(f.decided_by = ? OR f.decided_for = ?)")
            params += [query.decider, query.decider]
        if query.text:
            where.append("instr(f.search, ?) > 0")
            params.append(query.text.lower())
        clause = " AND ".join(where)
        with self.read() as db:
            total = db.execute(f"SELECT count(*) FROM dossier_facts f WHERE {clause}",
                               params).fetchone()[0]
            rows = db.execute(
                f"SELECT f.facts FROM dossier_facts f WHERE {clause}"
                " ORDER BY f.decided_at DESC, f.id DESC LIMIT ? OFFSET ?",
                [*params, limit, offset]).fetchall()
        lines = []
        for (raw,) in rows:
            facts = DossierFacts.from_json(json.loads(raw))
            assert facts.decision is not None
            lines.append(RegisterLine(facts.decision, facts.flow_title, facts.signed))
        return lines, int(total)

    async def insight_rows(self, since: date | None, until: date | None,
                           ) -> tuple[Sequence[DossierRow], Sequence[SpanRow]]:
        """From the facts table and the stage rounds table (their index on the dossier's
        start)."""
        low = _seconds(since) if since is not None else -1e18
        high = _seconds(until) + DAY_SECONDS if until is not None else 1e18
        with self.read() as db:
            return period_rows(db, low, high)

    async def insight(self, query: InsightQuery, now: datetime,
                      department_of: Callable[[str], str] | Mapping[str, str]) -> Insight:
        """From the insight's rounds, read at their ranks (local/sqlite_insight.py), in one
        read transaction: the counts and the ranks are of the same snapshot of the file."""
        with self.read() as db:
            db.execute("BEGIN")
            try:
                return insight_of(db, query, now, department_of)
            finally:
                db.execute("COMMIT")

    async def tasks_for(self, oid: str) -> Sequence[DossierSummary]:
        with self.read() as db:
            rows = db.execute(
                "SELECT d.summary FROM dossier_actors a JOIN dossiers d ON d.id = a.dossier_id"
                " WHERE a.oid = ? AND d.status = 'open'"
                " ORDER BY coalesce(d.due, '9999-12-31'), d.created_at, d.id",
                (oid,),
            ).fetchall()
        return [summary_from_json(json.loads(row[0])) for row in rows]

    # --- audit -----------------------------------------------------------------------------

    async def chain_records(
        self, dossier_id: str | None = None
    ) -> AsyncIterator[list[ChainRecord]]:
        """Batches of at most CHAIN_BATCH records, read page by page (keyset paging)."""
        after: tuple[str, int] = (dossier_id or "", 0)
        while True:
            with self.read() as db:
                if dossier_id is None:
                    rows = db.execute(
                        "SELECT dossier_id, seq, record, hash FROM events"
                        " WHERE (dossier_id, seq) > (?, ?) ORDER BY dossier_id, seq LIMIT ?",
                        (*after, CHAIN_BATCH),
                    ).fetchall()
                else:
                    rows = db.execute(
                        "SELECT dossier_id, seq, record, hash FROM events"
                        " WHERE dossier_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                        (*after, CHAIN_BATCH),
                    ).fetchall()
            if not rows:
                return
            yield list(map(ChainRecord._make, rows))
            if len(rows) < CHAIN_BATCH:
                return
            after = (rows[-1][0], rows[-1][1])

    async def chain_heads(self, dossier_id: str | None = None) -> dict[str, tuple[int, str]]:
        query = "SELECT id, version, head_hash FROM dossiers"
        with self.read() as db:
            if dossier_id is None:
                rows = db.execute(query).fetchall()
            else:
                rows = db.execute(f"{query} WHERE id = ?", (dossier_id,)).fetchall()
        return {d: (version, digest) for d, version, digest in rows}

    # --- the outbox ------------------------------------------------------------------------

    async def claim(self, worker: str, limit: int, lease_seconds: float) -> Sequence[OutboxItem]:
        return await asyncio.to_thread(self._claim, worker, limit, lease_seconds)

    def _claim(self, worker: str, limit: int, lease_seconds: float) -> list[OutboxItem]:
        now = self._clock.now().timestamp()
        # one statement: no two workers can select the same row
        with self.write(synced=False) as db:
            rows = db.execute(
                "UPDATE outbox SET claimed_by = ?, lease_until = ?, attempts = attempts + 1"
                " WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND not_before <= ?"
                "   AND (lease_until IS NULL OR lease_until <= ?) ORDER BY not_before, id"
                "   LIMIT ?)"
                " RETURNING id, dossier_id, event_id, recipient, kind, attempts",
                (worker, now + lease_seconds, now, now, max(limit, 0)),
            ).fetchall()
        return [
            OutboxItem(
                id=row_id,
                notification=Notification(dossier, event, Person.from_json(json.loads(who)), kind),
                attempts=attempts,
            )
            for row_id, dossier, event, who, kind, attempts in sorted(rows)
        ]

    async def mark_sent(self, item_id: int | str) -> None:
        await asyncio.to_thread(self._mark_sent, item_id)

    def _mark_sent(self, item_id: int | str) -> None:
        with self.write(synced=False) as db:
            db.execute(
                "UPDATE outbox SET sent_at = ?, claimed_by = NULL, lease_until = NULL"
                " WHERE id = ? AND sent_at IS NULL",
                (utc_iso(self._clock.now()), int(item_id)),
            )

    async def release(self, item_id: int | str, error: str, retry_after: float) -> None:
        await asyncio.to_thread(self._release, item_id, error, retry_after)

    def _release(self, item_id: int | str, error: str, retry_after: float) -> None:
        not_before = self._clock.now().timestamp() + max(retry_after, 0.0)
        with self.write(synced=False) as db:
            db.execute(
                "UPDATE outbox SET claimed_by = NULL, lease_until = NULL, last_error = ?,"
                " not_before = ? WHERE id = ? AND sent_at IS NULL",
                (error, not_before, int(item_id)),
            )

    async def hurry(self, item_ids: Sequence[int | str]) -> None:
        await asyncio.to_thread(self._hurry, item_ids)

    def _hurry(self, item_ids: Sequence[int | str]) -> None:
        now = self._clock.now().timestamp()
        with self.write(synced=False) as db:
            db.executemany(
                "UPDATE outbox SET not_before = min(not_before, ?) WHERE id = ?"
                " AND sent_at IS NULL",
                [(now, int(item_id)) for item_id in item_ids],
            )

    async def pending_count(self) -> int:
        with self.read() as db:
            count = db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
        return int(count)
