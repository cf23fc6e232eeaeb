"""Standing substitutes in the local SQLite database (table ``substitutes``)."""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping, Sequence
from datetime import date

from approvals.substitutes import Absence
from local.sqlite_store import SqliteDatabase

SCHEMA = """
CREATE TABLE IF NOT EXISTS substitutes (
    id         TEXT PRIMARY KEY,
    person_oid TEXT NOT NULL,
    start_date TEXT NOT NULL,  -- ISO dates compare as text
    end_date   TEXT NOT NULL,
    body       TEXT NOT NULL   -- JSON: the whole period (Absence.to_json)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS substitutes_by_person ON substitutes (person_oid, start_date);
CREATE INDEX IF NOT EXISTS substitutes_by_end ON substitutes (end_date)
"""


class SqliteSubstituteStore(SqliteDatabase):
    """Implements ``SubstituteStore`` beside the dossier store, in the same file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        with self.write() as db:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)

    async def add(self, absence: Absence) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO substitutes (id, person_oid, start_date, end_date, body)"
                " VALUES (?, ?, ?, ?, ?)",
                (absence.id, absence.person.oid, absence.start.isoformat(),
                 absence.end.isoformat(), json.dumps(absence.to_json(), ensure_ascii=False)),
            )

    async def for_person(self, oid: str) -> Sequence[Absence]:
        with self.read() as db:
            rows = db.execute("SELECT body FROM substitutes WHERE person_oid = ?"
                              " ORDER BY start_date, id", (oid,)).fetchall()
        return [Absence.from_json(json.loads(row[0])) for row in rows]

    async def active_on(self, day: date, oids: Collection[str]) -> Mapping[str, Absence]:
        wanted = sorted(set(oids))
        found: dict[str, Absence] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            with self.read() as db:
                rows = db.execute(
                    f"SELECT body FROM substitutes WHERE person_oid IN ({marks})"
                    " AND start_date <= ? AND end_date >= ? ORDER BY start_date",
                    (*chunk, day.isoformat(), day.isoformat()),
                ).fetchall()
            for row in rows:
                absence = Absence.from_json(json.loads(row[0]))
                found.setdefault(absence.person.oid, absence)
        return found

    async def current(self, since: date) -> Sequence[Absence]:
        with self.read() as db:
            rows = db.execute("SELECT body FROM substitutes WHERE end_date >= ?"
                              " ORDER BY start_date, id", (since.isoformat(),)).fetchall()
        return [Absence.from_json(json.loads(row[0])) for row in rows]

    async def remove(self, absence_id: str) -> bool:
        with self.write() as db:
            return db.execute("DELETE FROM substitutes WHERE id = ?",
                              (absence_id,)).rowcount > 0
