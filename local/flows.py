"""Versioned flow definitions in the local SQLite database (table ``flows``).

The rules of a version's life (a published version never changes, which status may follow
which) are the domain's: :mod:`approvals.flow_versions`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from approvals.errors import UnknownFlow
from approvals.flow_versions import check_resave, check_transition
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person
from approvals.ports import FlowRecord, FlowStatus
from local.clock import utc_iso
from local.sqlite_store import SqliteDatabase

_COLUMNS = "id, version, title, status, source, published_by, published_at"


def _record(row: tuple[str, int, str, str, str, str, str]) -> FlowRecord:
    flow_id, version, title, status, source, by, at = row
    return FlowRecord(flow_id, version, title, FlowStatus(status), source, by, at)


class SqliteFlowRepository(SqliteDatabase):
    """``FlowRepository`` over the ``flows`` table (the same file as the dossier store)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)

    async def save(self, flow: FlowDefinition, source: str) -> FlowRecord:
        with self.write() as db:
            existing = self._get(db, flow.id, flow.version)
            if existing is not None and check_resave(existing, source):
                return existing
            record = FlowRecord(flow.id, flow.version, flow.title, FlowStatus.CONCEPT, source)
            db.execute(
                f"INSERT OR REPLACE INTO flows ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (record.id, record.version, record.title, record.status.value, record.source,
                 record.published_by, record.published_at),
            )
            return record

    async def set_status(
        self, flow_id: str, version: int, status: FlowStatus, by: Person, at: datetime
    ) -> FlowRecord:
        with self.write() as db:
            existing = self._get(db, flow_id, version)
            if existing is None:
                raise UnknownFlow(f"There is no version {version} of flow '{flow_id}'.")
            status = FlowStatus(status)
            check_transition(existing, status)
            published = status is FlowStatus.PUBLISHED
            by_upn = by.upn if published else existing.published_by
            when = utc_iso(at) if published else existing.published_at
            db.execute(
                "UPDATE flows SET status = ?, published_by = ?, published_at = ?"
                " WHERE id = ? AND version = ?",
                (status.value, by_upn, when, flow_id, version),
            )
            return FlowRecord(existing.id, existing.version, existing.title, status,
                              existing.source, by_upn, when)

    async def get(self, flow_id: str, version: int | None = None) -> FlowRecord | None:
        with self.read() as db:
            if version is not None:
                return self._get(db, flow_id, version)
            row = db.execute(
                f"SELECT {_COLUMNS} FROM flows WHERE id = ? AND status = ?"
                " ORDER BY version DESC LIMIT 1",
                (flow_id, FlowStatus.PUBLISHED.value),
            ).fetchone()
        return None if row is None else _record(row)

    async def list(self) -> Sequence[FlowRecord]:
        with self.read() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM flows ORDER BY id, version").fetchall()
        return [_record(row) for row in rows]

    @staticmethod
    def _get(db: sqlite3.Connection, flow_id: str, version: int) -> FlowRecord | None:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM flows WHERE id = ? AND version = ?", (flow_id, version)
        ).fetchone()
        return None if row is None else _record(row)
