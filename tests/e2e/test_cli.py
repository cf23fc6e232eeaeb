"""The `paraaf` command line end to end, on a real SQLite demo folder."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli

pytestmark = pytest.mark.usefixtures("english")  # reads the English words

ROOT = Path(__file__).resolve().parents[2]
BAD_FLOWS = sorted((ROOT / "tests" / "data" / "bad_flows").glob("*.yaml"))

TDEJONG = "t.dejong@voorbeeldstad.nl"  # beleidsadviseur, initiator
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
FINANCE = "f.meijer@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"  # afdelingshoofd of t.dejong
DIRECTOR = "r.bakker@voorbeeldstad.nl"
ALDERMAN = "w.vandenberg@voorbeeldstad.nl"


def _start(cli: Cli, bedrag: str = "25000") -> str:
    data = cli.json("dossier", "start", "--flow", "collegevoorstel", "--as", TDEJONG,
                    "--title", "Nieuwe speeltuin Parkwijk", "--field", "onderwerp=Speeltuin",
                    "--field", f"bedrag={bedrag}")
    return str(data["id"])


def _stages(cli: Cli, dossier: str) -> list[str]:
    data = cli.json("dossier", "show", dossier)
    return [s["stage_id"] for s in data["active"]]


def test_demo_has_flows_users_and_examples(cli: Cli) -> None:
    flows = cli.json("flow", "list")
    assert {f["id"] for f in flows} == {"collegevoorstel", "subsidiebeschikking",
                                        "energietoeslag"}
    assert all(f["status"] == "gepubliceerd" for f in flows)
    dossiers = cli.json("dossier", "list")
    assert {d["id"] for d in dossiers} == {"DEMO-1", "DEMO-2", "DEMO-3"}


def test_demo_twice_changes_nothing(cli: Cli, database_rows: Callable[[str], int]) -> None:
    before = database_rows("events")
    assert cli("demo") == 0
    assert database_rows("events") == before


def test_collegevoorstel_from_start_to_decision(cli: Cli) -> None:
    dossier = _start(cli)
    assert _stages(cli, dossier) == ["financieel_advies", "juridisch_advies"]
    assert cli("dossier", "act", dossier, "--as", JURIST, "--action", "advies",
               "--advice", "positief", "--text", "Akkoord") == 0
    assert cli("dossier", "act", dossier, "--as", FINANCE, "--action", "advise",
               "--advice", "neutraal") == 0
    assert _stages(cli, dossier) == ["paraaf_afdelingshoofd"]
    tasks = cli.json("tasks", "--user", HEAD)
    assert dossier in [t["id"] for t in tasks["tasks"]]
    assert cli("dossier", "act", dossier, "--as", HEAD, "--action", "terugsturen",
               "--to-stage", "juridisch_advies", "--reason", "Toets de nieuwe APV") == 0
    assert _stages(cli, dossier) == ["juridisch_advies"]
    assert cli("dossier", "act", dossier, "--as", JURIST, "--action", "advise",
               "--advice", "positief") == 0
    assert cli("dossier", "act", dossier, "--as", HEAD, "--action", "paraferen") == 0
    assert cli("dossier", "act", dossier, "--as", DIRECTOR, "--action", "accorderen") == 0
    assert cli("dossier", "act", dossier, "--as", ALDERMAN, "--action", "besluiten",
               "--text", "Het college stemt in") == 0
    shown = cli.json("dossier", "show", dossier)
    assert shown["status"] == "completed"
    assert shown["decision"] == "Het college stemt in"
    assert any("Toets de nieuwe APV" in line["text"] for line in shown["timeline"])
    decisions = cli.json("decisions")
    assert [d["dossier_id"] for d in decisions] == [dossier]
    assert cli("audit", "verify") == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "onbekend@voorbeeldstad.nl", "--action", "paraferen"],
         "--as: there is nobody called 'onbekend@voorbeeldstad.nl'"),
        (["--as", JURIST, "--action", "paraferen"], "asks you to initial"),
        (["--as", HEAD, "--action", "paraferen"], "not your turn"),
        (["--as", JURIST, "--action", "afwijzen", "--reason", "Nee"], "negative advice"),
        (["--as", JURIST, "--action", "terugsturen", "--reason", "x"], "--to-stage"),
        (["--as", JURIST, "--action", "advise", "--advice", "positief", "--text", "x" * 5000],
         "too long"),
    ],
)
def test_bad_actions_exit_2_and_write_nothing(
    cli: Cli, database_rows: Callable[[str], int], args: list[str], message: str
) -> None:
    dossier = _start(cli)
    before = (database_rows("events"), database_rows("outbox"))
    assert cli("dossier", "act", dossier, *args) == 2
    assert message in cli.err
    assert "Traceback" not in cli.err
    assert (database_rows("events"), database_rows("outbox")) == before


def test_reject_without_reason_exits_2_and_writes_nothing(
    cli: Cli, database_rows: Callable[[str], int]
) -> None:
    before = database_rows("events")
    assert cli("dossier", "act", "DEMO-2", "--as", "j.visser@voorbeeldstad.nl",
               "--action", "afwijzen") == 2
    assert "--reason is required for afwijzen" in cli.err
    assert database_rows("events") == before


def test_unknown_dossier_and_flow_exit_2(cli: Cli) -> None:
    assert cli("dossier", "show", "2026-NOPE") == 2
    assert "no dossier" in cli.err
    assert cli("dossier", "start", "--flow", "bestaat-niet", "--as", TDEJONG,
               "--title", "x") == 2
    assert "flow list" in cli.err


def test_json_errors_are_machine_readable(cli: Cli) -> None:
    assert cli("tasks", "--user", "niemand@voorbeeldstad.nl", "--json") == 2
    assert '"code": "unknown_user"' in cli.out


@pytest.mark.parametrize("flow_file", BAD_FLOWS, ids=[f.stem for f in BAD_FLOWS])
def test_malformed_flow_files_exit_2_with_their_message(cli: Cli, flow_file: Path) -> None:
    expected = flow_file.read_text("utf-8").splitlines()[0].removeprefix("# expect:").strip()
    assert cli("flow", "validate", str(flow_file)) == 2
    assert expected in cli.err
    assert "Traceback" not in cli.err
    assert cli("flow", "publish", str(flow_file)) == 2


def test_at_least_fifteen_malformed_flows_are_covered() -> None:
    assert len(BAD_FLOWS) >= 15


def test_published_versions_cannot_change(cli: Cli, tmp_path: Path) -> None:
    source = cli.json("flow", "show", "energietoeslag")["source"]
    changed = tmp_path / "energietoeslag.yaml"
    changed.write_text(source.replace("Aanvraag energietoeslag", "Energietoeslag 2027"), "utf-8")
    assert cli("flow", "publish", str(changed)) == 2
    assert "raise the version" in cli.err
    changed.write_text(source.replace("version: 1", "version: 2"), "utf-8")
    assert cli("flow", "publish", str(changed)) == 0
    assert cli.json("flow", "show", "energietoeslag")["version"] == 2


def test_export_and_import_share_a_flow(cli: Cli, tmp_path: Path) -> None:
    exported = tmp_path / "college.yaml"
    assert cli("flow", "export", "collegevoorstel", "-o", str(exported)) == 0
    assert cli("flow", "validate", str(exported)) == 0
    other = Cli(tmp_path / "other", cli._capsys)
    assert other("demo", "--no-samples") == 0
    assert other("flow", "import", str(exported)) == 0


def test_dossiers_stay_on_the_flow_version_they_started_with(cli: Cli, tmp_path: Path) -> None:
    dossier = _start(cli)
    source = cli.json("flow", "show", "collegevoorstel")["source"]
    newer = tmp_path / "college2.yaml"
    newer.write_text(source.replace("version: 1", "version: 2").replace(
        "title: Collegevoorstel", "title: Collegevoorstel 2027"), "utf-8")
    assert cli("flow", "publish", str(newer)) == 0
    assert cli.json("dossier", "show", dossier)["flow_version"] == 1
    assert cli.json("dossier", "show", _start(cli))["flow_version"] == 2


def test_tick_is_idempotent(cli: Cli) -> None:
    first = cli.json("tick")
    second = cli.json("tick")
    assert second["reminders"] == 0 and second["escalations"] == 0
    assert first["checked"] == second["checked"] >= 1


def test_help_everywhere_and_no_traceback_from_the_console_script() -> None:
    for args in (["--help"], ["dossier", "act", "--help"], ["flow", "--help"],
                 ["audit", "verify", "--help"]):
        result = subprocess.run([sys.executable, "-m", "bot.cli.main", *args], capture_output=True,
                                text=True, cwd=ROOT, check=False)
        assert result.returncode == 0, result.stderr
        assert "usage: paraaf" in result.stdout
    result = subprocess.run([sys.executable, "-m", "bot.cli.main", "dossier", "act"],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
