"""Four eyes and standing substitutes through the `paraaf` command line, on a real SQLite
demo folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli

pytestmark = pytest.mark.usefixtures("english")  # reads the English words

MAIL = "@voorbeeldstad.nl"
TODAY = datetime.now(UTC).date()
FROM, TO = TODAY.isoformat(), (TODAY + timedelta(days=14)).isoformat()

FLOW_WITH_WARNING = """\
schema: paraaf/flow/v1
id: eigen-besluit
version: 1
title: Eigen besluit
stages:
  - id: besluit
    kind: decide
    assignees:
      - initiator: true
    allow_initiator: true
"""


def _to_paraaf(cli: Cli) -> str:
    data = cli.json("dossier", "start", "--flow", "collegevoorstel", "--as", "t.dejong" + MAIL,
                    "--title", "Speeltuin Parkwijk", "--field", "onderwerp=Speeltuin",
                    "--field", "bedrag=5000")
    dossier = str(data["id"])
    assert cli("dossier", "act", dossier, "--as", "e.vanleeuwen" + MAIL, "--action", "advies",
               "--advice", "positief") == 0
    return dossier


def test_flow_validate_warns_about_allow_initiator_with_its_line(cli: Cli,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "eigen.yaml"
    path.write_text(FLOW_WITH_WARNING, encoding="utf-8")
    assert cli("flow", "validate", str(path)) == 0
    assert f"warning: {path}:10: stages[0].allow_initiator: four eyes is off" in cli.out
    data = cli.json("flow", "validate", str(path))
    assert [(w["path"], w["line"]) for w in data["warnings"]] == [
        ("stages[0].allow_initiator", 10)]


def test_a_substitute_gets_the_task_and_acts_on_behalf(cli: Cli) -> None:
    set_ = cli.json("vervanger", "set", "--for", "h.vandijk" + MAIL, "--substitute",
                    "j.visser" + MAIL, "--from", FROM, "--to", TO, "--reason", "vakantie")
    assert set_["set_by"]["upn"] == "h.vandijk" + MAIL  # set by herself
    assert [a["substitute"]["upn"] for a in cli.json("vervanger", "list")] == ["j.visser" + MAIL]
    dossier = _to_paraaf(cli)
    tasks = cli.json("tasks", "--user", "j.visser" + MAIL)
    assert dossier in [t["id"] for t in tasks["tasks"]]
    assert cli("dossier", "act", dossier, "--as", "j.visser" + MAIL, "--action",
               "paraferen") == 0
    shown = cli.json("dossier", "show", dossier)
    initialled = [e for e in shown["timeline"] if e["type"] == "Initialled"]
    assert initialled[0]["actor"]["upn"] == "j.visser" + MAIL
    assert initialled[0]["on_behalf_of"]["upn"] == "h.vandijk" + MAIL


def test_only_the_person_or_a_beheerder_sets_a_substitute(
        cli: Cli, database_rows: Callable[[str], int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "nl")  # the refusal as a Dutch reader sees it
    assert cli("vervanger", "set", "--for", "h.vandijk" + MAIL, "--substitute",
               "j.visser" + MAIL, "--from", FROM, "--to", TO, "--reason", "vakantie",
               "--as", "l.smit" + MAIL) == 2
    assert "Alleen Hanneke van Dijk of een beheerder kan een vervanger" in cli.err
    assert database_rows("substitutes") == 0
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    data = cli.json("vervanger", "set", "--for", "h.vandijk" + MAIL, "--substitute",
                    "j.visser" + MAIL, "--from", FROM, "--to", TO, "--reason", "ziekte",
                    "--as", "s.vos" + MAIL)
    assert data["set_by"]["upn"] == "s.vos" + MAIL  # recorded as the beheerder
    assert cli("vervanger", "list") == 0 and "set by Sanne Vos" in cli.out
    assert cli("vervanger", "clear", "--for", "h.vandijk" + MAIL, "--as", "s.vos" + MAIL) == 0
    assert database_rows("substitutes") == 0


def test_bad_dates_name_the_option_and_store_nothing(
        cli: Cli, database_rows: Callable[[str], int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "nl")
    for start, end, option in (("morgen", TO, "--from"), (FROM, "31-02-2027", "--to")):
        assert cli("vervanger", "set", "--for", "h.vandijk" + MAIL, "--substitute",
                   "j.visser" + MAIL, "--from", start, "--to", end, "--reason", "x") == 2
        assert f"{option} moet een datum zijn" in cli.err
    assert database_rows("substitutes") == 0


def test_the_initiator_cannot_make_themself_the_decider(
        cli: Cli, database_rows: Callable[[str], int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "nl")
    before = database_rows("events")
    assert cli("dossier", "start", "--flow", "energietoeslag", "--as", "l.smit" + MAIL,
               "--title", "Aanvraag", "--field", "aanvrager=A. de Boer",
               "--field", "zaaknummer=Z-9", "--field", "huishoudinkomen=1200",
               "--field", "behandelaar=l.smit" + MAIL) == 2
    assert "vier-ogenprincipe" in cli.err
    assert "Lotte Smit is initiatiefnemer van dit dossier" in cli.err
    assert database_rows("events") == before


def test_a_delegation_that_breaks_four_eyes_says_who_holds_the_other_part(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "nl")
    dossier = _to_paraaf(cli)
    assert cli("dossier", "act", dossier, "--as", "h.vandijk" + MAIL, "--action", "paraferen") == 0
    assert cli("dossier", "act", dossier, "--as", "r.bakker" + MAIL, "--action", "delegeren",
               "--to", "h.vandijk" + MAIL, "--reason", "Met verlof") == 2
    assert "Hanneke van Dijk heeft in deze ronde van het dossier al de paraaf" in cli.err
