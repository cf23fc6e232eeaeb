"""The command line shows text from people, it never acts on it.

Input refuses control and bidi characters now, but a history recorded before (or a backend
filled by another system) may hold them. Such text, recorded here with the input rule turned
off, is printed by `decisions`, `dossier show`, `dossier list` and `tasks` with every control
and bidi character as a visible escape: it cannot clear the terminal, set its title or forge
a table row. With --json the same text is JSON-escaped and reads back unchanged.
"""

from __future__ import annotations

import json

import pytest

from approvals.text import UNSAFE
from tests.e2e.conftest import Cli

INITIATOR = "t.dejong@voorbeeldstad.nl"
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"
DIRECTOR = "r.bakker@voorbeeldstad.nl"
ALDERMAN = "w.vandenberg@voorbeeldstad.nl"

TITLE = "Speeltuin\x1b[2J\x1b[H\x9b31m\u202egnineL"
SUBJECT = "Onderwerp\rverborgen\x7f\x85"
DECISION = ("Vastgesteld.\n2026-01-01  DEMO-9  Mallory  forged decision"
            "\x1b]0;pwned\x07\u2066\u2028")
COMMENT = "Zie \u202eFDP.exe\u202c bijlage\x08\x08\x08"
HOSTILE = (TITLE, SUBJECT, DECISION, COMMENT)


def _without_input_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record as before the input rule: text is only trimmed."""
    import approvals.engine
    import approvals.fields
    import approvals.limits

    def trimmed(value: object, what: str, **subject: str) -> str:
        return str(value).strip("\t ")

    for module in (approvals.engine, approvals.fields, approvals.limits):
        for name in ("one_line", "multi_line"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, trimmed)


@pytest.fixture
def hostile(cli: Cli) -> str:
    """Two dossiers whose title and field carry escapes: one open, one decided,
    with escapes in its comment and decision too."""
    with pytest.MonkeyPatch.context() as patch:
        _without_input_rule(patch)
        start = ("dossier", "start", "--flow", "collegevoorstel", "--as", INITIATOR,
                 "--title", TITLE, "--field", f"onderwerp={SUBJECT}", "--field", "bedrag=5000")
        cli.json(*start)  # one stays open: the jurist's task
        dossier = str(cli.json(*start)["id"])
        for who, action, *extra in ((JURIST, "advies", "--advice", "positief"),
                                    (INITIATOR, "opmerking", "--text", COMMENT),
                                    (HEAD, "paraferen"), (DIRECTOR, "accorderen"),
                                    (ALDERMAN, "besluiten", "--text", DECISION)):
            cli.json("dossier", "act", dossier, "--as", who, "--action", action, *extra)
    return dossier


def _assert_inert(output: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in output if ch in UNSAFE and ch != "\n"})
    assert not found, found


@pytest.mark.parametrize("command", [
    ("decisions",), ("dossier", "show", "{id}"), ("dossier", "list"),
    ("tasks", "--user", JURIST),
])
def test_text_from_people_is_printed_inert(cli: Cli, hostile: str,
                                           command: tuple[str, ...]) -> None:
    args = [part.format(id=hostile) for part in command]
    cli(*args)
    _assert_inert(cli.out)
    _assert_inert(cli.err)


def test_a_decision_text_cannot_forge_a_row_of_the_register(cli: Cli, hostile: str) -> None:
    assert cli("decisions") == 0
    rows = cli.out.splitlines()
    assert len(rows) == 1 + len(cli.json("decisions"))  # the header and one row per decision
    [row] = [line for line in rows if hostile in line]
    assert "Vastgesteld.\\n2026-01-01  DEMO-9  Mallory" in row  # shown, on its own row
    assert "\\x1b]0;pwned\\x07\\u2066\\u2028" in row


def test_dossier_show_shows_each_escape_visibly(cli: Cli, hostile: str) -> None:
    assert cli("dossier", "show", hostile) == 0
    assert "Speeltuin\\x1b[2J\\x1b[H\\x9b31m\\u202egnineL" in cli.out
    assert "onderwerp: Onderwerp\\rverborgen\\x7f\\x85" in cli.out
    assert "Zie \\u202eFDP.exe\\u202c bijlage\\x08\\x08\\x08" in cli.out


@pytest.mark.parametrize("command", [("decisions",), ("dossier", "show", "{id}"),
                                     ("dossier", "list")])
def test_json_output_is_escaped_and_reads_back_the_same(cli: Cli, hostile: str,
                                                        command: tuple[str, ...]) -> None:
    assert cli(*[part.format(id=hostile) for part in command], "--json") == 0
    _assert_inert(cli.out)
    text = json.dumps(json.loads(cli.out), ensure_ascii=False)
    assert TITLE in text or json.dumps(TITLE, ensure_ascii=False)[1:-1] in text
    if command == ("decisions",):
        assert [d["text"] for d in json.loads(cli.out) if d["dossier_id"] == hostile] == [
            DECISION]


def test_an_error_quoting_what_was_typed_is_printed_inert(cli: Cli) -> None:
    assert cli("dossier", "show", "\x1b[2J\x1b]0;x\x07") == 2
    _assert_inert(cli.err)
    assert "\\x1b[2J" in cli.err
    assert cli("tasks", "--user", "\u202e@x", "--json") == 2
    _assert_inert(cli.out)
    assert json.loads(cli.out)["error"]["message"].count("\u202e") == 1


def test_an_unknown_argument_is_echoed_inert(cli: Cli) -> None:
    with pytest.raises(SystemExit) as exited:
        cli("decisions", "\x1b[2J\x1b]0;x\x07")
    assert exited.value.code == 2
    _assert_inert(cli._capsys.readouterr().err)
