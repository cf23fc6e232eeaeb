"""The command line says why the domain refused, in PARAAF_LANGUAGE (Dutch by default);
--json keeps the stable codes, the English message and the refusal's parameters."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.e2e.conftest import Cli

TDEJONG = "t.dejong@voorbeeldstad.nl"  # initiator
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
FINANCE = "f.meijer@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"


def _start(cli: Cli) -> str:
    data = cli.json("dossier", "start", "--flow", "collegevoorstel", "--as", TDEJONG,
                    "--title", "Nieuwe speeltuin Parkwijk", "--field", "onderwerp=Speeltuin",
                    "--field", "bedrag=25000")
    return str(data["id"])


def _closed(cli: Cli) -> tuple[str, ...]:
    dossier = _start(cli)
    assert cli("dossier", "act", dossier, "--as", TDEJONG, "--action", "intrekken",
               "--reason", "Niet meer nodig") == 0
    return ("dossier", "act", dossier, "--as", JURIST, "--action", "advies",
            "--advice", "positief")


def _return_elsewhere(cli: Cli) -> tuple[str, ...]:
    dossier = _start(cli)
    for who in (JURIST, FINANCE):
        assert cli("dossier", "act", dossier, "--as", who, "--action", "advies",
                   "--advice", "positief") == 0
    return ("dossier", "act", dossier, "--as", HEAD, "--action", "terugsturen",
            "--to-stage", "besluit", "--reason", "Graag aanvullen")


def _unknown_field(cli: Cli) -> tuple[str, ...]:
    return ("dossier", "start", "--flow", "collegevoorstel", "--as", TDEJONG, "--title", "x",
            "--field", "onderwerp=x", "--field", "bedrag=5", "--field", "kleur=rood")


def _ambiguous(cli: Cli) -> tuple[str, ...]:
    return ("dossier", "start", "--flow", "collegevoorstel", "--as", TDEJONG, "--title", "x",
            "--field", "onderwerp=x", "--field", "bedrag=25,000")


def _not_your_turn(cli: Cli) -> tuple[str, ...]:
    return ("dossier", "act", _start(cli), "--as", HEAD, "--action", "paraferen")


Setup = Callable[[Cli], tuple[str, ...]]
CASES: dict[str, tuple[Setup, str, str, str]] = {
    # family: (set-up giving the refused command, refusal code, Dutch text, English text)
    "closed dossier": (_closed, "dossier_closed",
                       "is afgesloten (ingetrokken); er kan niets meer aan worden gedaan.",
                       "is closed (withdrawn)."),
    "terugsturen to a stage that is not earlier": (
        _return_elsewhere, "return_target_invalid",
        "De stap ‘paraaf_afdelingshoofd’ kan niet terugsturen naar ‘besluit’. Kies uit: ",
        "Stage 'paraaf_afdelingshoofd' cannot send back to 'besluit'. Allowed: "),
    "unknown field": (_unknown_field, "unknown_field",
                      "Processtroom ‘collegevoorstel’ kent geen veld ‘kleur’. De velden zijn: ",
                      "Unknown field 'kleur' for flow 'collegevoorstel'. Fields: "),
    "amount that reads two ways": (
        _ambiguous, "ambiguous_value",
        "‘25,000’ kan twee dingen betekenen: € 25,00 of € 25.000,00. Schrijf het getal op "
        "z’n Nederlands",
        "'25,000' can be read two ways, as €25.00 or as €25,000.00. Write the number the "
        "Dutch way"),
    "not your turn": (_not_your_turn, "not_your_turn", "Je bent niet aan zet in dossier ‘",
                      "It is not your turn in dossier '"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_refusal_is_printed_in_dutch_by_default(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, database_rows: Callable[[str], int],
        case: str) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    setup, _, dutch, english = CASES[case]
    command = setup(cli)
    before = database_rows("events")
    assert cli(*command) == 2
    assert cli.err.startswith("paraaf: ") and dutch in cli.err, cli.err
    assert english not in cli.err
    assert database_rows("events") == before


@pytest.mark.parametrize("case", CASES)
def test_a_refusal_is_printed_in_english_on_request(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    setup, _, dutch, english = CASES[case]
    assert cli(*setup(cli)) == 2
    assert english in cli.err and dutch not in cli.err, cli.err


@pytest.mark.parametrize("case", CASES)
def test_json_keeps_the_codes_the_english_message_and_the_parameters(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    setup, refusal, _, _ = CASES[case]
    command = setup(cli)
    assert cli(*command, "--json") == 2
    error = json.loads(cli.out)["error"]
    assert error["refusal"] == refusal
    assert error["code"] in ("invalid_input", "ambiguous_value", "action_not_allowed",
                             "not_entitled")
    assert error["message"].isascii() or "€" not in error["message"]
    assert "verplicht" not in error["message"] and "afgesloten" not in error["message"]
    assert isinstance(error["params"], dict)


def test_json_of_a_closed_dossier_names_it_and_its_status(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    command = _closed(cli)
    assert cli(*command, "--json") == 2
    error = json.loads(cli.out)["error"]
    assert error == {"code": "action_not_allowed", "refusal": "dossier_closed",
                     "message": f"Dossier '{command[2]}' is closed (withdrawn).",
                     "params": {"dossier": command[2], "status": "withdrawn"}}
