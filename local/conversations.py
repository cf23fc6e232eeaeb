"""Conversation references and posted cards in the local SQLite database."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from approvals.ports import CardCopy, ConversationRef
from local.clock import SystemClock, utc_iso
from local.sqlite_store import SqliteDatabase

KEEP_CARDS = 5  # per dossier and user: the first and the latest; others are not updated

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    oid             TEXT PRIMARY KEY,
    tenant          TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    reference       TEXT NOT NULL,  -- JSON: the Bot Framework ConversationReference
    updated_at      TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS card_copies (
    id              INTEGER PRIMARY KEY,
    dossier_id      TEXT NOT NULL,
    oid             TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    activity_id     TEXT NOT NULL,
    UNIQUE (conversation_id, activity_id)
);
CREATE INDEX IF NOT EXISTS card_copies_by_dossier ON card_copies (dossier_id, oid, id);

CREATE TABLE IF NOT EXISTS unreachable (
    oid        TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
"""


class SqliteConversationStore(SqliteDatabase):
    """Implements ``ConversationStore`` beside the dossier store, in the same file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        self._clock = SystemClock()
        with self.write() as db:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)

    async def save_reference(self, ref: ConversationRef) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO conversations (oid, tenant, conversation_id, reference, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (oid) DO UPDATE SET tenant = excluded.tenant,"
                " conversation_id = excluded.conversation_id, reference = excluded.reference,"
                " updated_at = excluded.updated_at",
                (ref.oid, ref.tenant, ref.conversation_id, json.dumps(ref.reference),
                 utc_iso(self._clock.now())),
            )
            db.execute("DELETE FROM unreachable WHERE oid = ?", (ref.oid,))

    async def reference(self, oid: str) -> ConversationRef | None:
        with self.read() as db:
            row = db.execute(
                "SELECT oid, tenant, conversation_id, reference FROM conversations WHERE oid = ?",
                (oid,),
            ).fetchone()
        if row is None:
            return None
        return ConversationRef(row[0], row[1], row[2], json.loads(row[3]))

    async def any_reference(self, tenant: str) -> ConversationRef | None:
        with self.read() as db:
            row = db.execute(
                "SELECT oid, tenant, conversation_id, reference FROM conversations"
                " WHERE tenant = ? ORDER BY updated_at DESC LIMIT 1",
                (tenant,),
            ).fetchone()
        if row is None:
            return None
        return ConversationRef(row[0], row[1], row[2], json.loads(row[3]))

    async def record_card(self, copy: CardCopy) -> None:
        # after every card sent and card clicked: not waiting for the disk (a copy lost on
        # power loss is one card not updated later), so a commit of a fraction of a
        # millisecond, done here: a thread would cost a click more than the write does
        with self.write(synced=False) as db:
            db.execute(
                "INSERT OR IGNORE INTO card_copies (dossier_id, oid, conversation_id, activity_id)"
                " VALUES (?, ?, ?, ?)",
                (copy.dossier_id, copy.oid, copy.conversation_id, copy.activity_id),
            )
            db.execute(  # keep the first (e.g. the start card) and the latest few
                "DELETE FROM card_copies WHERE dossier_id = ? AND oid = ? AND id NOT IN ("
                " SELECT id FROM card_copies WHERE dossier_id = ? AND oid = ?"
                " ORDER BY id DESC LIMIT ?) AND id != ("
                " SELECT MIN(id) FROM card_copies WHERE dossier_id = ? AND oid = ?)",
                (copy.dossier_id, copy.oid, copy.dossier_id, copy.oid, KEEP_CARDS - 1,
                 copy.dossier_id, copy.oid),
            )

    async def cards(self, dossier_id: str) -> Sequence[CardCopy]:
        with self.read() as db:
            rows = db.execute(
                "SELECT dossier_id, oid, conversation_id, activity_id FROM card_copies"
                " WHERE dossier_id = ? ORDER BY id",
                (dossier_id,),
            ).fetchall()
        return [CardCopy(*row) for row in rows]

    async def mark_unreachable(self, oid: str, reason: str) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO unreachable (oid, reason, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (oid) DO UPDATE SET reason = excluded.reason,"
                " updated_at = excluded.updated_at",
                (oid, reason[:500], utc_iso(self._clock.now())),
            )

    async def unreachable(self) -> dict[str, str]:
        with self.read() as db:
            return dict(db.execute("SELECT oid, reason FROM unreachable").fetchall())
