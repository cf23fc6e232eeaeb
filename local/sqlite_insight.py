"""The insight answered by the local database (schema 4): the same numbers as
:func:`approvals.insight.insight` folds of the rows, without folding every stage round.

Each stage round is kept in ``insight_rounds`` with how long it took (days, as the fold counts
them), whether it was completed and overdue, and its dossier's start (second and UTC day) and
initiator, written with the facts in the same transaction as the events; triggers keep the
ended rounds counted per stage and day (``insight_days``). A period's question reads:

- the ended rounds' counts per stage from the day counts (with a department, whose initiators
  only the directory knows, from the rounds' covering index);
- a median or p90 as the value at its rank, from an index in the order of how long the rounds
  took (``ORDER BY took LIMIT 2 OFFSET rank``; the upper half from the top): no round is
  handed to Python but the open ones (their wait grows with ``now``) and, for a wait, as many
  ended ones around the rank as there are open ones;
- the dossiers counted per flow and initiator by SQLite (a department is its initiators'), a
  flow's lead times at their ranks from an index of the dossiers' durations, a department's
  from the period's closed dossiers' durations.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from approvals.facts import COMPLETED
from approvals.insight import (
    DAY,
    DepartmentInsight,
    DossierRow,
    FlowInsight,
    Insight,
    InsightQuery,
    Lead,
    SpanRow,
    StageInsight,
    at_ranks_of_both,
    bounds,
    days,
    insight,
    late_round,
    lead_of,
    report,
    took,
)

FAR = 1e18  # seconds: an open end of the period
FOLD_BELOW = 0.25
"""A period with fewer than this share of all ended rounds is folded from its own rows (read
from the indexes on the dossiers' start): a month's few rows cost less than walking each
stage's order, which the ranks do whatever the period."""

ROUNDS_SCHEMA = """
-- each stage round as the insight counts it (approvals/insight.py), kept with stage_spans:
-- a period's medians and p90s are read at their ranks from the indexes in order of ``took``
CREATE TABLE IF NOT EXISTS insight_rounds (
    dossier_id      TEXT NOT NULL,
    n               INTEGER NOT NULL,
    flow_id         TEXT NOT NULL,
    stage_id        TEXT NOT NULL,
    initiator       TEXT NOT NULL,  -- the dossier's: its department
    dossier_started REAL NOT NULL,  -- seconds since the epoch: the period
    day             INTEGER NOT NULL,  -- the UTC day of dossier_started (days since the epoch)
    started         REAL NOT NULL,
    late_at         REAL,
    took            REAL,           -- days (approvals.insight.took), NULL while open
    completed       INTEGER NOT NULL,  -- 1: completed, a lead time of its stage
    late            INTEGER NOT NULL,  -- 1: ended overdue (approvals.insight.late_round)
    PRIMARY KEY (dossier_id, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rounds_by_wait ON insight_rounds (flow_id, stage_id, took,
    dossier_started, initiator, completed, late) WHERE took IS NOT NULL;
CREATE INDEX IF NOT EXISTS rounds_by_lead ON insight_rounds (flow_id, stage_id, completed,
    took, dossier_started, initiator) WHERE completed = 1;
CREATE INDEX IF NOT EXISTS rounds_open ON insight_rounds (took, dossier_started, flow_id,
    stage_id, initiator, started, late_at) WHERE took IS NULL;
CREATE INDEX IF NOT EXISTS rounds_late ON insight_rounds (late, initiator, dossier_started,
    flow_id) WHERE late = 1;
-- the dossiers' lead times in order per flow, and their counts per flow and initiator
CREATE INDEX IF NOT EXISTS facts_by_lead ON dossier_facts (flow_id, (ended_s - started_s),
    started_s, initiator) WHERE ended_s IS NOT NULL;
CREATE INDEX IF NOT EXISTS facts_by_flow ON dossier_facts (flow_id, initiator, started_s,
    ended_s);
-- the ended rounds counted per stage and day their dossier started, kept by the triggers
CREATE TABLE IF NOT EXISTS insight_days (
    day       INTEGER NOT NULL,
    flow_id   TEXT NOT NULL,
    stage_id  TEXT NOT NULL,
    ended     INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    late      INTEGER NOT NULL,
    PRIMARY KEY (day, flow_id, stage_id)
) WITHOUT ROWID
"""

# kept apart from the schema's statements: a trigger's body holds several
ROUNDS_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS rounds_counted AFTER INSERT ON insight_rounds
    WHEN NEW.took IS NOT NULL BEGIN
        INSERT INTO insight_days (day, flow_id, stage_id, ended, completed, late)
        VALUES (NEW.day, NEW.flow_id, NEW.stage_id, 1, NEW.completed, NEW.late)
        ON CONFLICT (day, flow_id, stage_id) DO UPDATE SET ended = ended + 1,
            completed = completed + excluded.completed, late = late + excluded.late;
    END""",
    """CREATE TRIGGER IF NOT EXISTS rounds_uncounted AFTER DELETE ON insight_rounds
    WHEN OLD.took IS NOT NULL BEGIN
        UPDATE insight_days SET ended = ended - 1, completed = completed - OLD.completed,
            late = late - OLD.late
        WHERE day = OLD.day AND flow_id = OLD.flow_id AND stage_id = OLD.stage_id;
    END""",
)


def day_of(seconds: float) -> int:
    """The UTC day of a time (days since the epoch): ``day * 86400 <= seconds`` and
    ``seconds < (day + 1) * 86400``, exactly."""
    day = math.floor(seconds / DAY)
    while day * DAY > seconds:
        day -= 1
    while (day + 1) * DAY <= seconds:
        day += 1
    return day


def keep_rounds(db: sqlite3.Connection, dossier_id: str, initiator: str,
                dossier_started: float, spans: Sequence[SpanRow]) -> None:
    """A dossier's stage rounds (as :func:`approvals.insight.rows` makes them), replacing
    what was kept of it."""
    db.execute("DELETE FROM insight_rounds WHERE dossier_id = ?", (dossier_id,))
    db.executemany(
        "INSERT INTO insight_rounds (dossier_id, n, flow_id, stage_id, initiator,"
        " dossier_started, day, started, late_at, took, completed, late)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_round(n, s, initiator, dossier_started) for n, s in enumerate(spans)])


def _round(n: int, s: SpanRow, initiator: str, dossier_started: float) -> tuple[Any, ...]:
    ended = s.ended
    return (s.dossier_id, n, s.flow_id, s.stage_id, initiator, dossier_started,
            day_of(dossier_started), s.started,
            s.late_at, None if ended is None else took(s.started, ended),
            int(ended is not None and s.outcome == COMPLETED),
            int(ended is not None and late_round(ended, s.late_at, s.outcome)))


def fill_rounds(db: sqlite3.Connection) -> None:
    """Every dossier's rounds from the stage rounds table (a database from before schema 4)."""
    db.execute("DELETE FROM insight_rounds")
    db.execute("DELETE FROM insight_days")
    found = db.execute(
        "SELECT s.dossier_id, s.n, s.flow_id, s.stage_id, s.started, s.ended, s.late_at,"
        " s.outcome, f.initiator, s.dossier_started FROM stage_spans s"
        " JOIN dossier_facts f ON f.id = s.dossier_id")
    while batch := found.fetchmany(5000):
        db.executemany(
            "INSERT INTO insight_rounds (dossier_id, n, flow_id, stage_id, initiator,"
            " dossier_started, day, started, late_at, took, completed, late)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_round(n, SpanRow(dossier_id, flow_id, stage_id, started, ended, late_at,
                               outcome), initiator, dossier_started)
             for (dossier_id, n, flow_id, stage_id, started, ended, late_at, outcome,
                  initiator, dossier_started) in batch])


class _Count:
    __slots__ = ("closed", "days", "overdue", "started", "title")

    def __init__(self, title: str) -> None:
        self.title = title
        self.started = 0
        self.closed = 0
        self.days: list[float] = []
        self.overdue = 0


class _Ranked:
    """The values of a group at their ranks, read from an index in order: the lower half
    ascending, the upper half descending (a p90 reads a tenth, not nine), two neighbours at a
    time (a median of an even count needs both). ``held``: values in hand that count with
    them (the open rounds' waits)."""

    def __init__(self, db: sqlite3.Connection, sql: str, args: Sequence[Any], count: int,
                 held: Sequence[float] = ()) -> None:
        self._db, self._sql, self._args = db, sql, list(args)
        self.total = count + len(held)
        self._held = held
        self._seen: dict[int, float] = {}

    def _slice(self, descending: bool) -> Callable[[int, int], list[float]]:
        sql = self._sql.format(order="DESC" if descending else "ASC")

        def values(offset: int, count: int) -> list[float]:
            return [v for (v,) in self._db.execute(sql, [*self._args, count, offset])]

        return values

    def at(self, rank: int) -> float:
        if rank not in self._seen:
            descending = rank > self.total // 2
            first = self.total - 1 - rank if descending else rank
            found = at_ranks_of_both(first, 2, self._slice(descending), self._held, descending)
            for n, value in enumerate(found):
                self._seen[rank - n if descending else rank + n] = value
        return self._seen[rank]


def period_rows(db: sqlite3.Connection, low: float, high: float,
                ) -> tuple[list[DossierRow], list[SpanRow]]:
    """The rows of the dossiers started from ``low`` to ``high`` (seconds, ``high`` not
    included) and their rounds, as :func:`approvals.insight.rows` makes them, in the order of
    the dossiers' start."""
    dossiers = db.execute(
        "SELECT id, flow_id, flow_title, initiator, started_s, ended_s"
        " FROM dossier_facts INDEXED BY facts_by_start"
        " WHERE started_s >= ? AND started_s < ?", (low, high)).fetchall()
    spans = db.execute(
        "SELECT dossier_id, flow_id, stage_id, started, ended, late_at, outcome"
        " FROM stage_spans INDEXED BY spans_by_dossier_start"
        " WHERE dossier_started >= ? AND dossier_started < ?", (low, high)).fetchall()
    # the rows as SQLite gives them: tuples in the fields' order (no copy per row)
    return cast(list[DossierRow], dossiers), cast(list[SpanRow], spans)


def insight_of(db: sqlite3.Connection, query: InsightQuery, now: datetime,
               department_of: Callable[[str], str] | Mapping[str, str],
               ) -> Insight:
    """The insight of the dossiers the query counts, as of ``now`` (UTC): what
    :func:`approvals.insight.insight` gives of the same dossiers' rows."""
    where = department_of.get if isinstance(department_of, Mapping) else department_of

    def department(oid: str) -> str:
        return where(oid) or ""

    stamp = now.timestamp()
    low, high = bounds(query)
    period = [max(low, -FAR), min(high, FAR)]
    [(in_period,)] = db.execute(
        "SELECT coalesce(sum(ended), 0) FROM insight_days WHERE day >= ? AND day < ?",
        [day_of(period[0]), day_of(period[1])])
    [(everything,)] = db.execute("SELECT coalesce(sum(ended), 0) FROM insight_days")
    if in_period < FOLD_BELOW * everything:  # a short period: its rows are few
        return insight(*period_rows(db, *period), query, now, department_of)
    # which dossiers count: of the period, the flow, and initiators of the department
    of_flow, flow_args = ("", []) if query.flow_id is None else (" AND flow_id = ?",
                                                                 [query.flow_id])
    of_department, department_args = "", []
    if query.department is not None:
        initiators = [oid for (oid,) in db.execute(
            "SELECT DISTINCT initiator FROM dossier_facts") if department(oid) == query.department]
        of_department = " AND initiator IN (SELECT value FROM json_each(?))"
        department_args = [json.dumps(initiators)]
    dossiers = "started_s >= ? AND started_s < ?" + of_flow + of_department
    dossier_args = [*period, *flow_args, *department_args]
    rounds = "dossier_started >= ? AND dossier_started < ?" + of_flow + of_department
    args = dossier_args

    # the dossiers: counted per flow and initiator by SQLite
    flows: dict[str, _Count] = {}
    departments: dict[str, _Count] = {}
    counted = 0
    of: dict[str, str] = {}  # each initiator's department, asked once
    for flow_id, initiator, started, closed in db.execute(
            "SELECT flow_id, initiator, count(*), count(ended_s)"
            " FROM dossier_facts INDEXED BY facts_by_flow"
            f" WHERE {dossiers} GROUP BY flow_id, initiator", dossier_args):
        counted += started
        if initiator not in of:
            of[initiator] = department(initiator)
        for acc in (flows.setdefault(flow_id, _Count("")),
                    departments.setdefault(of[initiator], _Count(""))):
            acc.started += started
            acc.closed += closed
    for flow_id, flow in flows.items():  # named by the first dossier of the period
        flow.title = db.execute(
            "SELECT flow_title FROM dossier_facts INDEXED BY facts_by_start"
            f" WHERE {dossiers} AND flow_id = ? ORDER BY started_s, id LIMIT 1",
            [*dossier_args, flow_id]).fetchone()[0]
    # a department's closed dossiers' durations in seconds: days() keeps their order, so
    # only the values at the ranks are turned into days
    for initiator, seconds in db.execute(
            "SELECT initiator, ended_s - started_s FROM dossier_facts INDEXED BY facts_by_start"
            f" WHERE {dossiers} AND ended_s IS NOT NULL", dossier_args):
        departments[of[initiator]].days.append(seconds)

    # the ended rounds: counted by SQLite per stage; overdue ones per initiator too
    if query.department is None:  # from the counts per day
        days_args: list[Any] = [day_of(period[0]), day_of(period[1]), *flow_args]
        counts = db.execute(
            "SELECT flow_id, stage_id, sum(ended), sum(completed), sum(late) FROM insight_days"
            f" WHERE day >= ? AND day < ?{of_flow} GROUP BY flow_id, stage_id"
            " HAVING sum(ended) > 0", days_args)
    else:  # of some initiators: from the rounds
        counts = db.execute(
            "SELECT flow_id, stage_id, count(*), sum(completed), sum(late)"
            " FROM insight_rounds INDEXED BY rounds_by_wait"
            f" WHERE took IS NOT NULL AND {rounds} GROUP BY flow_id, stage_id", args)
    ended_counts = {(flow_id, stage_id): (total, completed, late)
                    for flow_id, stage_id, total, completed, late in counts}
    for initiator, late in db.execute(
            "SELECT initiator, count(*) FROM insight_rounds INDEXED BY rounds_late"
            f" WHERE late = 1 AND {rounds} GROUP BY initiator", args):
        departments[of[initiator]].overdue += late

    # the open rounds: their wait runs up to now
    waiting: dict[tuple[str, str], list[float]] = {}
    open_late: dict[tuple[str, str], int] = {}
    for flow_id, stage_id, initiator, started, late_at in db.execute(
            "SELECT flow_id, stage_id, initiator, started, late_at"
            " FROM insight_rounds INDEXED BY rounds_open"
            f" WHERE took IS NULL AND {rounds}", args):
        key = (flow_id, stage_id)
        waiting.setdefault(key, []).append(took(started, stamp))
        if late_at is not None and stamp >= late_at:
            open_late[key] = open_late.get(key, 0) + 1
            departments[of[initiator]].overdue += 1

    stages = []
    for key in sorted(ended_counts.keys() | waiting.keys()):
        total, completed, late = ended_counts.get(key, (0, 0, 0))
        held = sorted(waiting.get(key, ()))
        overdue = late + open_late.get(key, 0)
        flows[key[0]].overdue += overdue
        done = _Ranked(db, "SELECT took FROM insight_rounds INDEXED BY rounds_by_lead"
                       f" WHERE completed = 1 AND flow_id = ? AND stage_id = ? AND {rounds}"
                       " ORDER BY took {order} LIMIT ? OFFSET ?", [*key, *args], completed)
        waits = _Ranked(db, "SELECT took FROM insight_rounds INDEXED BY rounds_by_wait"
                        f" WHERE took IS NOT NULL AND flow_id = ? AND stage_id = ? AND {rounds}"
                        " ORDER BY took {order} LIMIT ? OFFSET ?", [*key, *args], total, held)
        stages.append(StageInsight(
            flow_id=key[0], flow_title=flows[key[0]].title, stage_id=key[1],
            lead=lead_of(completed, done.at), wait=lead_of(waits.total, waits.at),
            overdue=overdue, open=len(held)))

    def flow_lead(flow_id: str, flow: _Count) -> Lead:
        ranked = _Ranked(db, "SELECT ended_s - started_s FROM dossier_facts"
                         " INDEXED BY facts_by_lead"
                         f" WHERE ended_s IS NOT NULL AND {dossiers} AND flow_id = ?"
                         " ORDER BY ended_s - started_s {order} LIMIT ? OFFSET ?",
                         [*dossier_args, flow_id], flow.closed)
        return lead_of(flow.closed, lambda rank: days(ranked.at(rank)))

    return report(
        query, counted,
        [FlowInsight(flow_id=k, flow_title=a.title, started=a.started, closed=a.closed,
                     lead=flow_lead(k, a), overdue=a.overdue) for k, a in flows.items()],
        stages,
        [DepartmentInsight(department=k, started=a.started, closed=a.closed,
                           lead=_in_days(a.days), overdue=a.overdue)
         for k, a in departments.items()])


def _in_days(seconds: list[float]) -> Lead:
    """The count, median and p90 of durations in seconds, in days (as
    :func:`approvals.insight.lead` gives of them in days)."""
    seconds.sort()
    return lead_of(len(seconds), lambda rank: days(seconds[rank]))
