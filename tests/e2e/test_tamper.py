"""Tampering with stored events is found by `paraaf audit verify`, at the right event."""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.conftest import Cli

pytestmark = pytest.mark.usefixtures("english")  # reads the English words


def _events(cli: Cli, dossier: str) -> list[tuple[int, str, str]]:
    with sqlite3.connect(cli.data / "paraaf.db") as db:
        return db.execute("SELECT seq, record, hash FROM events WHERE dossier_id = ? "
                          "ORDER BY seq", (dossier,)).fetchall()


def _verify_names(cli: Cli, dossier: str, seq: int) -> None:
    assert cli("audit", "verify") == 1
    assert f"dossier {dossier}, event {seq}:" in cli.out
    data = cli.json_any("audit", "verify")
    assert data["ok"] is False
    assert {"dossier_id": dossier, "seq": seq} == {k: data["breaks"][0][k]
                                                   for k in ("dossier_id", "seq")}


def test_untouched_store_verifies(cli: Cli) -> None:
    assert cli("audit", "verify") == 0
    assert "every chain holds" in cli.out


@pytest.mark.parametrize("position", [0, 40, -2])
def test_one_changed_byte_is_found(cli: Cli, position: int) -> None:
    seq, record, _ = _events(cli, "DEMO-1")[2]
    index = position % len(record)
    changed = record[:index] + ("X" if record[index] != "X" else "Y") + record[index + 1:]
    with sqlite3.connect(cli.data / "paraaf.db") as db:
        db.execute("UPDATE events SET record = ? WHERE dossier_id = 'DEMO-1' AND seq = ?",
                   (changed, seq))
    _verify_names(cli, "DEMO-1", seq)


def test_a_deleted_event_is_found(cli: Cli) -> None:
    with sqlite3.connect(cli.data / "paraaf.db") as db:
        db.execute("DELETE FROM events WHERE dossier_id = 'DEMO-1' AND seq = 3")
    _verify_names(cli, "DEMO-1", 3)


def test_the_deleted_last_event_is_found(cli: Cli) -> None:
    last = _events(cli, "DEMO-1")[-1][0]
    with sqlite3.connect(cli.data / "paraaf.db") as db:
        db.execute("DELETE FROM events WHERE dossier_id = 'DEMO-1' AND seq = ?", (last,))
    _verify_names(cli, "DEMO-1", last)


def test_two_swapped_events_are_found(cli: Cli) -> None:
    rows = _events(cli, "DEMO-1")
    (seq_a, rec_a, hash_a), (seq_b, rec_b, hash_b) = rows[1], rows[3]
    with sqlite3.connect(cli.data / "paraaf.db") as db:
        for seq, record, digest in ((seq_a, rec_b, hash_b), (seq_b, rec_a, hash_a)):
            db.execute("UPDATE events SET record = ?, hash = ? WHERE dossier_id = 'DEMO-1' "
                       "AND seq = ?", (record, digest, seq))
    _verify_names(cli, "DEMO-1", seq_a)
