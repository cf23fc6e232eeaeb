"""The command line keeps the rules: Dutch amounts, stages nobody is found for, starters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Cli

TDEJONG = "t.dejong@voorbeeldstad.nl"
TOP = "m.jansen@voorbeeldstad.nl"  # gemeentesecretaris: has no manager
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"
ADMIN = "s.vos@voorbeeldstad.nl"
GUEST = "p.devries_ketenpartner.nl#EXT#@voorbeeldstad.onmicrosoft.com"


def _start(cli: Cli, bedrag: str, actor: str = TDEJONG) -> dict[str, Any]:
    data: dict[str, Any] = cli.json(
        "dossier", "start", "--flow", "collegevoorstel", "--as", actor, "--title", "Speeltuin",
        "--field", "onderwerp=Speeltuin", "--field", f"bedrag={bedrag}")
    return data


@pytest.mark.parametrize(("bedrag", "stored"), [
    ("25.000", 25000), ("€ 25.000", 25000), ("25.000,00", 25000), ("25 000", 25000),
    ("25000", 25000),
])
def test_a_dutch_amount_asks_the_financial_advice(cli: Cli, bedrag: str, stored: int) -> None:
    data = _start(cli, bedrag)
    assert data["fields"] == {"onderwerp": "Speeltuin", "bedrag": stored}
    assert "financieel_advies" in [s["stage_id"] for s in data["active"]]


def test_a_skipped_stage_says_which_value_it_tested(cli: Cli) -> None:
    dossier = str(_start(cli, "8.000")["id"])
    assert cli("dossier", "show", dossier) == 0
    assert ("Financieel advies overgeslagen: Financiële gevolgen (EUR) € 8.000,00 is kleiner "
            "dan € 10.000,00.") in cli.out


def test_an_amount_that_reads_two_ways_is_refused_with_both(
        cli: Cli, database_rows: Callable[[str], int]) -> None:
    before = database_rows("events")
    assert cli("dossier", "start", "--flow", "collegevoorstel", "--as", TDEJONG, "--title",
               "x", "--field", "onderwerp=x", "--field", "bedrag=25,000") == 2
    assert "‘25,000’ kan twee dingen betekenen: € 25,00 of € 25.000,00" in cli.err
    assert database_rows("events") == before


def test_a_guest_cannot_start_a_collegevoorstel(
        cli: Cli, database_rows: Callable[[str], int]) -> None:
    before = database_rows("events")
    assert cli("dossier", "start", "--flow", "collegevoorstel", "--as", GUEST, "--title", "x",
               "--field", "onderwerp=x") == 2
    assert "de processtroom bepaalt wie dat mag" in cli.err
    assert database_rows("events") == before


def test_nobody_for_the_next_stage_waits_for_a_beheerder(cli: Cli) -> None:
    started = _start(cli, "500", actor=TOP)
    dossier = str(started["id"])
    assert started["unstaffed"] == ["paraaf_afdelingshoofd"]
    assert cli("dossier", "start", "--flow", "collegevoorstel", "--as", TOP, "--title", "y",
               "--field", "onderwerp=y") == 0
    assert "Let op: voor Paraaf afdelingshoofd is nu niemand te vinden." in cli.out
    assert cli("dossier", "act", dossier, "--as", JURIST, "--action", "advies",
               "--advice", "positief") == 0
    assert cli("dossier", "show", dossier) == 0
    assert any(line.startswith("  Paraaf afdelingshoofd [paraaf]")
               and line.endswith(": niemand aan zet") for line in cli.out.splitlines()), cli.out
    tasks = cli.json("tasks", "--user", ADMIN)
    assert dossier in [t["id"] for t in tasks["unstaffed"]]
    assert cli("tasks", "--user", ADMIN) == 0 and "[niemand aan zet]" in cli.out
    assert cli("dossier", "act", dossier, "--as", ADMIN, "--action", "herverdelen",
               "--stage", "paraaf_afdelingshoofd", "--to", HEAD,
               "--reason", "De gemeentesecretaris heeft geen leidinggevende") == 0
    assert dossier in [t["id"] for t in cli.json("tasks", "--user", HEAD)["tasks"]]
    assert cli("dossier", "act", dossier, "--as", HEAD, "--action", "paraferen") == 0
    assert [s["stage_id"] for s in cli.json("dossier", "show", dossier)["active"]] == [
        "accord_directeur"]


def test_flow_validate_reports_starters_with_their_line(cli: Cli, tmp_path: Path) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text("schema: paraaf/flow/v1\nid: keten\nversion: 1\ntitle: Keten\n"
                    "starters:\n  - groep: ketenpartners\nstages:\n  - id: advies\n"
                    "    kind: advise\n    assignees:\n      - group: juristen\n", "utf-8")
    assert cli("flow", "validate", str(flow)) == 2
    assert "flow.yaml:6: starters[0].groep: onbekende bron van starters 'groep'" in cli.err
    issue = cli.json_any("flow", "validate", str(flow))["error"]["issues"][0]
    assert (issue["code"], issue["line"], issue["params"]["source"]) == (
        "unknown_starter_source", 6, "groep")
    assert issue["message"] == "unknown starter source 'groep'"
