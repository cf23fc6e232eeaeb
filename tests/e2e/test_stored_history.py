"""A store written by an earlier paraaf stays readable, foldable and verifiable, byte for byte.

tests/data/stored/paraaf.db was made once (by make_stored.py beside it, 2026-12-03) and is
kept as it is: the demo's sample dossiers and six more whose events cover every event type.
Whatever the code does with events in memory, each stored record must come back as the
same canonical JSON with the same hash, fold into a dossier, and pass `paraaf audit verify`.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest

from approvals.dossier import fold
from approvals.events import EventType, canonical_json, sealed
from local.sqlite_store import SqliteDossierStore
from tests.e2e.conftest import Cli

STORED = Path(__file__).parents[1] / "data" / "stored" / "paraaf.db"
# Event types added after the store was made: it cannot hold them (their round trip is in
# tests/unit/test_event_payloads.py).
NEWER = {EventType.FLOW_VERSION_CHANGED.value, EventType.DOCUMENT_SIGNED.value,
         EventType.DECISION_REGISTERED.value, EventType.SIGNING_SENT.value,
         EventType.SIGNING_STOPPED.value}


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """A copy of the stored database in a data folder of its own (with the demo directory)."""
    shutil.copyfile(STORED, tmp_path / "paraaf.db")
    shutil.copyfile(STORED.with_name("directory.yaml"), tmp_path / "directory.yaml")
    return tmp_path


def _rows(db: Path) -> dict[str, list[tuple[int, str, str]]]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        found: dict[str, list[tuple[int, str, str]]] = {}
        for dossier_id, seq, record, digest in connection.execute(
                "SELECT dossier_id, seq, record, hash FROM events ORDER BY dossier_id, seq"):
            found.setdefault(dossier_id, []).append((seq, record, digest))
        return found
    finally:
        connection.close()


def test_the_stored_history_holds_every_event_type() -> None:
    connection = sqlite3.connect(f"file:{STORED}?mode=ro", uri=True)
    try:
        types = {row[0] for row in connection.execute("SELECT DISTINCT type FROM events")}
    finally:
        connection.close()
    assert types == {kind.value for kind in EventType} - NEWER


def test_every_stored_event_comes_back_byte_for_byte_and_folds(stored: Path) -> None:
    rows = _rows(stored / "paraaf.db")
    assert len(rows) >= 9

    async def check() -> None:
        store = SqliteDossierStore(stored / "paraaf.db")
        try:
            for dossier_id, kept in rows.items():
                events = await store.load(dossier_id)
                assert [e.seq for e in events] == [seq for seq, _, _ in kept]
                for event, (_, record, digest) in zip(events, kept, strict=True):
                    assert canonical_json(event.envelope()) == record
                    assert sealed(event).hash == digest == event.hash
                state = fold(events)
                assert state is not None and state.version == kept[-1][0]
        finally:
            store.close()

    asyncio.run(check())


def test_audit_verify_passes_on_the_stored_database(stored: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(stored, capsys)
    result = cli.json("audit", "verify")
    assert result["ok"] is True, result
