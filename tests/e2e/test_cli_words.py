"""The command line speaks one language (PARAAF_LANGUAGE, Dutch by default), shows times in
the tenant's time zone (PARAAF_TIMEZONE) with the zone, takes short names for people and
names the option to fix."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.e2e.conftest import Cli

ENGLISH_WORDS = ("Timeline:", "Who is to act:", "initiator:", "Recorded", "nobody", " due ",
                 "Advice:", "Documents:", "started the dossier", "OVERDUE")
DUTCH_WORDS = ("Tijdlijn:", "Wie is aan zet:", "initiatiefnemer:", "vastgelegd", "niemand",
               "termijn", "Adviezen:", "heeft het dossier gestart", "VERSTREKEN")


def _run_everything(cli: Cli) -> str:
    """What a person sees in a tour: dossier show, list, tasks, decisions, audit."""
    printed = []
    for args in (("dossier", "show", "DEMO-1"), ("dossier", "list"),
                 ("tasks", "--user", "f.meijer"), ("decisions",), ("audit", "verify"),
                 ("flow", "list")):
        assert cli(*args) == 0, (args, cli.err)
        printed.append(cli.out)
    return "\n".join(printed)


@pytest.mark.usefixtures("dutch")
def test_dutch_by_default_for_every_word_statuses_included(cli: Cli) -> None:
    shown = _run_everything(cli)
    for word in ("Tijdlijn:", "Wie is aan zet:", "initiatiefnemer:", "lopend", "NUMMER",
                 "heeft het dossier gestart", "gebeurtenissen in 3 dossiers", "gepubliceerd"):
        assert word in shown, word
    for word in ("Timeline:", "Who is to act:", "initiator:", " open ", "STATUS  FLOW",
                 "started the dossier", "events in", "published"):
        assert word not in shown, word


@pytest.mark.usefixtures("english")
def test_english_on_request(cli: Cli) -> None:
    shown = _run_everything(cli)
    for word in ("Timeline:", "Who is to act:", "initiator:", "started the dossier",
                 "events in 3 dossiers", "published"):
        assert word in shown, word
    for word in ("Tijdlijn:", "Wie is aan zet:", "heeft het dossier gestart", "lopend"):
        assert word not in shown, word


@pytest.mark.usefixtures("dutch")
def test_times_in_the_tenants_zone_with_the_zone_and_json_in_utc(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("dossier", "show", "DEMO-1") == 0
    times = re.findall(r"\d{2}:\d{2} \((CET|CEST)\)", cli.out)
    assert times, cli.out
    data = cli.json("dossier", "show", "DEMO-1")
    for entry in data["timeline"]:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)", entry["at"])
    monkeypatch.setenv("PARAAF_TIMEZONE", "UTC")
    assert cli("dossier", "show", "DEMO-1") == 0
    assert re.findall(r"\d{2}:\d{2} \(UTC\)", cli.out)
    assert "(CET)" not in cli.out
    monkeypatch.setenv("PARAAF_TIMEZONE", "Mars/Olympus")
    assert cli("dossier", "list") == 3
    assert "PARAAF_TIMEZONE" in cli.err


@pytest.mark.usefixtures("dutch")
def test_counts_are_dutch_grammar(cli: Cli) -> None:
    assert cli("tasks", "--user", "f.meijer") == 0
    assert "(1 taak)" in cli.out
    assert cli("audit", "verify", "--dossier", "DEMO-1") == 0
    assert "in 1 dossier " in cli.out and "1 dossiers" not in cli.out


@pytest.mark.usefixtures("english")
def test_short_names_wherever_a_person_is_asked(cli: Cli) -> None:
    tasks = cli.json("tasks", "--user", "f.meijer")
    assert tasks["user"]["upn"] == "f.meijer@voorbeeldstad.nl"
    assert [t["id"] for t in tasks["tasks"]] == ["DEMO-1"]
    assert cli("dossier", "act", "DEMO-1", "--as", "f.meijer", "--action", "advies",
               "--advice", "positief") == 0
    data = cli.json("dossier", "start", "--flow", "collegevoorstel", "--as", "t.dejong",
                    "--title", "Korte namen", "--field", "onderwerp=x", "--field", "bedrag=5")
    assert data["initiator"]["upn"] == "t.dejong@voorbeeldstad.nl"


@pytest.mark.usefixtures("english")
def test_task_rows_name_the_dossier_and_its_initiator(cli: Cli) -> None:
    assert cli("tasks", "--user", "f.meijer") == 0
    row = next(line for line in cli.out.splitlines() if "DEMO-1" in line)
    assert "Thomas de Jong" in row


@pytest.mark.parametrize(("action", "extra", "option"), [
    ("terugsturen", ("--to-stage", "juridisch_advies"), "--reason"),
    ("return", ("--reason", "Te kort"), "--to-stage"),
    ("afwijzen", (), "--reason"),
    ("delegeren", ("--reason", "vakantie"), "--to"),
    ("herverdelen", ("--stage", "financieel_advies"), "--to"),
    ("termijn", ("--stage", "financieel_advies", "--reason", "later"), "--due"),
    ("advies", (), "--advice"),
])
@pytest.mark.usefixtures("english")
def test_an_error_names_the_option_to_fix(cli: Cli, database_rows: Callable[[str], int],
                                          action: str, extra: tuple[str, ...],
                                          option: str) -> None:
    before = database_rows("events")
    code = cli("dossier", "act", "DEMO-1", "--as", "f.meijer", "--action", action, *extra)
    assert code == 2
    assert f"{option} is required for {action}" in cli.err
    assert database_rows("events") == before


@pytest.mark.usefixtures("dutch")
def test_the_option_to_fix_in_dutch_and_an_unknown_short_name(cli: Cli) -> None:
    assert cli("dossier", "act", "DEMO-1", "--as", "f.meijer", "--action",
               "terugsturen", "--to-stage", "juridisch_advies") == 2
    assert "--reason is verplicht bij terugsturen" in cli.err
    assert cli("tasks", "--user", "nie.mand") == 2
    assert "--user: niemand met de naam 'nie.mand'" in cli.err
    assert cli("dossier", "act", "DEMO-1", "--as", "f.meijer", "--action", "delegeren",
               "--to", "nie.mand", "--reason", "vakantie") == 2
    assert "--to: niemand met de naam 'nie.mand'" in cli.err
