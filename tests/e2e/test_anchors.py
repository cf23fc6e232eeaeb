"""Audit anchors: whoever can write the store cannot cut a chain short or remove a dossier
unseen, once it was anchored (`paraaf audit anchor`, `paraaf tick`, `paraaf audit verify`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from approvals.events import canonical_json, digest
from tests.e2e.conftest import Cli

pytestmark = pytest.mark.usefixtures("english")  # reads the English words

Tamper = Callable[[sqlite3.Connection], None]


def _db(cli: Cli) -> sqlite3.Connection:
    return sqlite3.connect(cli.data / "paraaf.db")


def _last(cli: Cli, dossier: str) -> int:
    with _db(cli) as db:
        return int(db.execute("SELECT max(seq) FROM events WHERE dossier_id = ?",
                              (dossier,)).fetchone()[0])


def _anchored(cli: Cli) -> dict[str, object]:
    data = cli.json("audit", "anchor")
    assert data["anchored"] is True
    return dict(data)


def _cut_back(db: sqlite3.Connection, dossier: str, keep: int) -> None:
    """Remove the events after ``keep`` and make the projection row agree (or remove it)."""
    db.execute("DELETE FROM events WHERE dossier_id = ? AND seq > ?", (dossier, keep))
    if keep == 0:
        db.execute("DELETE FROM dossiers WHERE id = ?", (dossier,))
        db.execute("DELETE FROM dossier_actors WHERE dossier_id = ?", (dossier,))
        return
    [head] = db.execute("SELECT hash FROM events WHERE dossier_id = ? AND seq = ?",
                        (dossier, keep)).fetchone()
    db.execute("UPDATE dossiers SET version = ?, head_hash = ? WHERE id = ?",
               (keep, head, dossier))


def _rewrite_from(db: sqlite3.Connection, dossier: str, seq: int) -> None:
    """Change event ``seq`` and re-seal it and every later event: a chain that holds."""
    rows = db.execute("SELECT seq, record FROM events WHERE dossier_id = ? AND seq >= ? "
                      "ORDER BY seq", (dossier, seq)).fetchall()
    [prev] = db.execute("SELECT hash FROM events WHERE dossier_id = ? AND seq = ?",
                        (dossier, seq - 1)).fetchone()
    for number, record in rows:
        data = json.loads(record)
        data["prev_hash"] = prev
        if number == seq:
            data["timestamp"] = "2020-01-01T00:00:00.000000Z"
        text = canonical_json(data)  # re-sealed as the domain seals
        prev = digest(text)
        db.execute("UPDATE events SET record = ?, hash = ? WHERE dossier_id = ? AND seq = ?",
                   (text, prev, dossier, number))
    db.execute("UPDATE dossiers SET head_hash = ? WHERE id = ?", (prev, dossier))


def _without_anchors_it_passes(cli: Cli) -> None:
    """The damage is invisible to the chains and the projection alone."""
    anchors = cli.data / "anchors.jsonl"
    kept = anchors.read_bytes()
    anchors.unlink()
    assert cli("audit", "verify") == 0, cli.out
    anchors.write_bytes(kept)


@pytest.mark.parametrize("tamper, dossier, seq, words", [
    (lambda db: _cut_back(db, "DEMO-1", _LAST["DEMO-1"] - 1), "DEMO-1", None,
     "anchor 1 recorded the dossier at version"),
    (lambda db: _cut_back(db, "DEMO-1", 2), "DEMO-1", 3,
     "anchor 1 recorded the dossier at version"),
    (lambda db: _cut_back(db, "DEMO-2", 0), "DEMO-2", 1, "the dossier is gone"),
    (lambda db: _rewrite_from(db, "DEMO-1", 2), "DEMO-1", None,
     "is not the one anchor 1 recorded"),
], ids=["last-event-and-row", "last-events-and-row", "whole-dossier", "rewritten-history"])
def test_anchored_damage_that_the_chains_cannot_see_is_named(
    cli: Cli, tamper: Tamper, dossier: str, seq: int | None, words: str
) -> None:
    _LAST.update({d: _last(cli, d) for d in ("DEMO-1", "DEMO-2")})
    _anchored(cli)
    with _db(cli) as db:
        tamper(db)
    _without_anchors_it_passes(cli)
    assert cli("audit", "verify") == 1
    expected = _LAST[dossier] if seq is None else seq
    assert f"dossier {dossier}, event {expected}:" in cli.out and words in cli.out, cli.out
    data = cli.json_any("audit", "verify")
    assert data["ok"] is False
    assert [(b["dossier_id"], b["seq"]) for b in data["breaks"]] == [(dossier, expected)]
    assert cli("audit", "verify", "--dossier", dossier) == 1
    assert cli("audit", "verify", "--dossier", "DEMO-3") == 0


_LAST: dict[str, int] = {}


def test_anchoring_twice_without_changes_adds_nothing(cli: Cli) -> None:
    first = _anchored(cli)
    again = cli.json("audit", "anchor")
    assert again["anchored"] is False and again["latest"] == first["latest"]
    assert len((cli.data / "anchors.jsonl").read_text("utf-8").splitlines()) == 1
    assert cli("audit", "verify") == 0
    assert f"the latest is {first['keep']}" in cli.out


def test_a_dossier_that_grew_after_its_anchor_still_verifies(cli: Cli) -> None:
    _anchored(cli)
    assert cli("dossier", "act", "DEMO-1", "--as", "f.meijer@voorbeeldstad.nl", "--action",
               "advies", "--advice", "positief") == 0
    assert cli("audit", "verify") == 0
    second = cli.json("audit", "anchor")
    assert second["new"] == [2]


def test_tick_anchors_once(cli: Cli) -> None:
    assert cli("tick") == 0, cli.out
    assert "keep this outside paraaf" in cli.out
    lines = (cli.data / "anchors.jsonl").read_text("utf-8").splitlines()
    assert len(lines) >= 1
    assert cli("tick") == 0
    assert (cli.data / "anchors.jsonl").read_text("utf-8").splitlines() == lines


def test_a_broken_store_is_not_anchored(cli: Cli) -> None:
    with _db(cli) as db:
        db.execute("DELETE FROM events WHERE dossier_id = 'DEMO-1' AND seq = 2")
    assert cli("audit", "anchor") == 1
    assert "Not anchored" in cli.out and "dossier DEMO-1, event 2" in cli.out
    assert not (cli.data / "anchors.jsonl").exists()


def _change_line(path: Path, index: int, change: Callable[[str], str]) -> None:
    lines = path.read_text("utf-8").splitlines()
    lines[index] = change(lines[index])
    path.write_text("".join(line + "\n" for line in lines), "utf-8")


@pytest.mark.parametrize("damage, seq", [
    (lambda p: _change_line(p, 0, lambda t: t.replace('"dossiers":3', '"dossiers":2')), 1),
    (lambda p: _change_line(p, 1, lambda t: t[:-3] + ("00" if t[-3:-1] != "00" else "11")
                            + t[-1:]), 2),
    (lambda p: _change_line(p, 1, lambda t: "niet eens JSON"), 2),
    (lambda p: p.write_text("".join(p.read_text("utf-8").splitlines(True)[1:]), "utf-8"), 1),
], ids=["changed-field", "changed-hash", "garbage", "first-removed"])
def test_a_tampered_anchor_file_is_found(cli: Cli, damage: Callable[[Path], None],
                                         seq: int) -> None:
    _anchored(cli)
    assert cli("dossier", "act", "DEMO-1", "--as", "f.meijer@voorbeeldstad.nl", "--action",
               "advies", "--advice", "positief") == 0
    _anchored(cli)
    damage(cli.data / "anchors.jsonl")
    assert cli("audit", "verify") == 1
    assert f"anchor {seq}:" in cli.out, cli.out
    data = cli.json_any("audit", "verify")
    assert data["ok"] is False and data["anchors"]["problem"]["seq"] == seq
    assert cli("audit", "anchor") == 1  # nothing is anchored on top of broken anchors


def test_the_kept_anchor_finds_anchors_that_were_cut_back_or_rewritten(
    cli: Cli, tmp_path: Path
) -> None:
    kept = _anchored(cli)
    exported = tmp_path / "anker.json"
    exported.write_text(json.dumps(kept), "utf-8")
    assert cli("audit", "verify", "--anchor", str(kept["keep"])) == 0
    assert cli("audit", "verify", "--anchor", str(exported)) == 0
    # whoever can write the anchors too: throw them away, remove a dossier, anchor again
    (cli.data / "anchors.jsonl").unlink()
    with _db(cli) as db:
        _cut_back(db, "DEMO-2", 0)
    rewritten = _anchored(cli)
    assert rewritten["keep"] != kept["keep"]
    assert cli("audit", "verify") == 0  # consistent, unless you kept the anchor
    assert cli("audit", "verify", "--anchor", str(kept["keep"])) == 1
    assert "anchor 1 is not the one that was kept" in cli.out
    (cli.data / "anchors.jsonl").write_text("", "utf-8")
    assert cli("audit", "verify", "--anchor", str(exported)) == 1
    assert "anchor 1 is not in the stored anchors" in cli.out


@pytest.mark.parametrize("value", ["12", "x:" + "a" * 64, "1:" + "a" * 63, "1:" + "g" * 64])
def test_a_kept_anchor_in_the_wrong_form_is_refused(cli: Cli, value: str) -> None:
    assert cli("audit", "verify", "--anchor", value) == 2
    assert "SEQ:HASH" in cli.err


def test_the_anchor_file_can_live_elsewhere(cli: Cli, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elders" / "ankers.jsonl"
    monkeypatch.setenv("PARAAF_ANCHOR_FILE", str(elsewhere))
    _anchored(cli)
    assert elsewhere.is_file() and not (cli.data / "anchors.jsonl").exists()
