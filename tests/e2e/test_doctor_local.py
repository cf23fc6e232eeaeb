"""`paraaf doctor` on the embedded backend: the data folder, SQLite, the audit chains and the
bot's port, on a real demo data folder."""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Cli
from tests.support.validsign.server import validsign_in_thread


@pytest.fixture(autouse=True)
def free_port(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PARAAF_PORT", str(port))
    monkeypatch.delenv("PARAAF_PUBLIC_URL", raising=False)
    monkeypatch.delenv("PARAAF_MODE", raising=False)
    monkeypatch.delenv("PARAAF_BACKEND", raising=False)


def _report(cli: Cli) -> tuple[int, dict[str, Any]]:
    code = cli("doctor", "--json")
    return code, json.loads(cli.out)


def _check(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["check"] == name)


def test_a_sound_data_folder_gives_exit_0(cli: Cli) -> None:
    code, report = _report(cli)
    assert code == 0, cli.out
    assert report["backend"] == "local" and report["ok"] is True
    assert [(c["check"], c["status"]) for c in report["checks"]] == [
        ("settings", "ok"), ("data", "ok"), ("database", "ok"), ("audit", "ok"),
        ("bot", "ok"), ("bot_keys", "skipped")]
    assert _check(report, "audit")["params"]["dossiers"] >= 1
    assert _check(report, "bot")["code"] == "bot_port_free"


def test_no_data_names_the_folder_and_the_command(cli: Cli, tmp_path: Any) -> None:
    empty = tmp_path / "leeg"
    code = cli("--data", str(empty), "doctor", "--json")
    report = json.loads(cli.out)
    assert code == 1
    data = _check(report, "data")
    assert data["setting"] == "PARAAF_DATA"
    assert f"paraaf demo --data {empty}" in data["fix"]
    assert _check(report, "database")["status"] == "skipped"


def test_a_damaged_database_is_found(cli: Cli) -> None:
    database = cli.data / "paraaf.db"
    raw = bytearray(database.read_bytes())
    page = 4096
    raw[page:page * 3] = b"\x00garbage" * (page * 2 // 8)  # pages of the tables, overwritten
    database.write_bytes(bytes(raw))
    code, report = _report(cli)
    assert code == 1
    found = _check(report, "database")
    assert (found["status"], found["code"]) == ("wrong", "database_broken")
    assert "restore" in found["fix"]
    assert _check(report, "audit")["status"] == "skipped"


def test_a_changed_event_breaks_the_audit_check(cli: Cli) -> None:
    with sqlite3.connect(cli.data / "paraaf.db") as db:
        (record,) = db.execute("SELECT record FROM events WHERE dossier_id = 'DEMO-1' "
                               "AND seq = 1").fetchone()
        db.execute("UPDATE events SET record = ? WHERE dossier_id = 'DEMO-1' AND seq = 1",
                   (record.replace('"', "'", 1) if isinstance(record, str) else record,))
    code, report = _report(cli)
    assert code == 1
    audit = _check(report, "audit")
    assert (audit["status"], audit["params"]["first"]) == ("wrong", "DEMO-1")
    assert "paraaf audit verify" in audit["fix"]


@pytest.fixture
def taken_port(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A port where something that is not paraaf listens (and says nothing)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = int(listener.getsockname()[1])
        monkeypatch.setenv("PARAAF_PORT", str(port))
        yield port


def test_a_port_another_program_holds_names_paraaf_port(cli: Cli, taken_port: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.cli.doctor.TIMEOUT", 1.0)
    code, report = _report(cli)
    assert code == 1
    found = _check(report, "bot")
    assert (found["code"], found["setting"]) == ("bot_port_taken", "PARAAF_PORT")
    assert f"port {taken_port}" in found["fix"] and "PARAAF_PORT" in found["fix"]
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    assert cli("doctor") == 1
    assert "WRONG  bot endpoint: something else listens on 127.0.0.1:" in cli.out


@pytest.mark.parametrize("command", [("serve",), ("tick",), ("flow", "list")])
def test_settings_that_cannot_work_stop_every_command_at_start(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    monkeypatch.setenv("PARAAF_MODE", "production")
    monkeypatch.setenv("PARAAF_APP_ID", "9a0e4b4c-2f6a-4f43-9d0e-6e3b1c2d7f10")
    monkeypatch.setenv("PARAAF_APP_PASSWORD", "s")
    monkeypatch.setenv("PARAAF_PUBLIC_URL", "http://paraaf.gemeente.nl")
    assert cli(*command) == 3
    assert cli.err.startswith("paraaf: PARAAF_PUBLIC_URL must be the bot's https address")
    assert "\n  fix: Set PARAAF_PUBLIC_URL to https://<the bot's host name>" in cli.err


def test_a_usage_error_exits_2(cli: Cli) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli("doctor", "--onbekend")
    assert stopped.value.code == 2


@pytest.mark.parametrize(("language", "words"), [
    ("", "controleer deze installatie"), ("en", "check this deployment")])
def test_the_help_speaks_the_language_asked_for(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], language: str,
        words: str) -> None:
    from bot.cli.main import main

    monkeypatch.setenv("PARAAF_LANGUAGE", language)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert words in capsys.readouterr().out


def test_validsign_without_its_keys_is_a_settings_finding(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_SIGNING_PROVIDER", "validsign")
    monkeypatch.setenv("PARAAF_VALIDSIGN_URL", "https://my.validsign.nl")
    code, report = _report(cli)
    assert code == 1
    found = _check(report, "settings")
    assert (found["code"], found["params"]["code"]) == ("settings_wrong", "validsign_missing")
    assert "PARAAF_VALIDSIGN_API_KEY, PARAAF_VALIDSIGN_CALLBACK_KEY" in found["message"]
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    assert cli("tick") == 3
    assert "Signing with ValidSign (PARAAF_SIGNING_PROVIDER=validsign) needs" in cli.err


def test_the_validsign_check_says_whether_it_takes_the_api_key(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    with validsign_in_thread() as validsign:
        monkeypatch.setenv("PARAAF_VALIDSIGN_URL", validsign.url)
        monkeypatch.setenv("PARAAF_VALIDSIGN_API_KEY", validsign.api_key)
        monkeypatch.setenv("PARAAF_VALIDSIGN_CALLBACK_KEY", validsign.callback_key)
        code, report = _report(cli)
        assert (_check(report, "validsign")["status"], code) == ("ok", 0)
        monkeypatch.setenv("PARAAF_VALIDSIGN_API_KEY", "verlopen")
        code, report = _report(cli)
        found = _check(report, "validsign")
        assert (found["code"], found["setting"], code) == ("validsign_key",
                                                           "PARAAF_VALIDSIGN_API_KEY", 1)
    code, report = _report(cli)
    assert _check(report, "validsign")["code"] == "validsign_unreachable"
