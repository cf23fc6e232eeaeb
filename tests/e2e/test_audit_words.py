"""`paraaf audit verify` gives the reason of a broken chain or anchor in PARAAF_LANGUAGE
(Dutch by default); --json keeps the English reason with its code and parameters."""

from __future__ import annotations

import ast
import sqlite3
import string
from pathlib import Path

import pytest

import approvals
from approvals.errors import AUDIT_WORDS
from cards.strings import CLI_LANGUAGES
from tests.e2e.conftest import Cli

APPROVALS = Path(approvals.__file__).parent


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_audit_code_has_a_template_in_both_languages() -> None:
    for lang, words in CLI_LANGUAGES.items():
        assert set(words.audit_words) == set(AUDIT_WORDS), lang
        for code, english in AUDIT_WORDS.items():
            assert _placeholders(words.audit_words[code]) == _placeholders(english), code
    nl = CLI_LANGUAGES["nl"].audit_words
    assert [code for code in AUDIT_WORDS if nl[code] == AUDIT_WORDS[code]] == []


def _codes(file: str) -> set[str]:
    """Every string constant that names a reason in a ChainBreak or AnchorProblem, a
    ``(code, params)`` pair or a ValueError of anchors.py."""
    tree = ast.parse((APPROVALS / file).read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
                "ChainBreak", "ChainBroken", "AnchorProblem", "ValueError"):
            found |= {a.value for a in node.args[:3]
                      if isinstance(a, ast.Constant) and isinstance(a.value, str)}
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(
                node.elts[1], ast.Dict) and isinstance(node.elts[0], ast.Constant):
            found.add(str(node.elts[0].value))
    return found


def test_every_chain_break_and_anchor_problem_names_a_registered_code() -> None:
    audit, anchors = _codes("audit.py") | _codes("dossier.py"), _codes("anchors.py")
    anchors.discard("the stored anchors cannot be trusted; verify them first")  # no reason
    anchors = {code for code in anchors if not code.startswith("Write the anchor")}
    assert audit <= set(AUDIT_WORDS) and anchors <= set(AUDIT_WORDS)
    assert audit | anchors == set(AUDIT_WORDS)


def _delete_event(cli: Cli, seq: int) -> None:
    with sqlite3.connect(cli.data / "paraaf.db") as db:
        db.execute("DELETE FROM events WHERE dossier_id = 'DEMO-1' AND seq = ?", (seq,))


def test_a_broken_chain_is_reported_in_dutch(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    _delete_event(cli, 3)
    assert cli("audit", "verify") == 1
    assert "gebeurtenis 3 verwacht, 4 gevonden (ontbreekt of verplaatst)" in cli.out
    data = cli.json_any("audit", "verify")
    (broken,) = data["breaks"]
    assert (broken["code"], broken["params"]) == ("seq_gap", {"expected": 3, "found": 4})
    assert broken["reason"] == "expected event 3, found 4 (missing or moved)"


def test_a_broken_chain_is_reported_in_english_on_request(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    _delete_event(cli, 3)
    assert cli("audit", "verify") == 1
    assert "event 3: expected event 3, found 4 (missing or moved)" in cli.out


def test_a_rewritten_anchor_is_reported_in_dutch(cli: Cli,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    assert cli("audit", "anchor") == 0
    assert cli("audit", "verify", "--anchor", "1:" + "f" * 64) == 1
    assert ("anker 1 is niet het anker dat bewaard is (de ankers zijn herschreven)"
            in cli.out)


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", "Dossier ‘DEMO-1’, gebeurtenis 4: gebeurtenis 3 verwacht. De opgeslagen geschiedenis "
           "is niet meer heel"),
    ("en", "Dossier 'DEMO-1', event 4: expected event 3. The stored history is not intact"),
])
def test_a_command_on_a_broken_chain_says_so_in_the_chosen_language(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, language: str, expected: str) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", language)
    _delete_event(cli, 3)
    assert cli("dossier", "show", "DEMO-1") != 0
    assert expected in cli.err, cli.err
    data = cli.json_any("dossier", "show", "DEMO-1")
    assert data["error"]["code"] == "chain_broken"
    assert data["error"]["message"] == "Dossier 'DEMO-1', event 4: expected event 3."
