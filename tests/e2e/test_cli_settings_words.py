"""A setting that cannot be used is reported in PARAAF_LANGUAGE, also when another setting
is the wrong one; --json keeps the setting's code, the English message and the parameters."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

import bot
from bot.cli.constants import EXIT_UNAVAILABLE
from bot.settings import Settings, SettingsError
from cards.strings import CLI_LANGUAGES
from tests.e2e.conftest import Cli


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_setting_code_has_a_template_in_both_languages() -> None:
    en, nl = CLI_LANGUAGES["en"].settings_words, CLI_LANGUAGES["nl"].settings_words
    assert set(en) == set(nl)
    for code in en:
        assert _placeholders(en[code]) == _placeholders(nl[code]), code


def test_every_settings_error_names_a_registered_code() -> None:
    """bot/settings.py raises codes only; a code raised anywhere in bot/ has its template."""
    codes: list[object] = []
    for path in sorted(Path(bot.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call)
                    and getattr(node.func, "id", "") == "SettingsError"):
                continue
            where = f"{path.name} line {node.lineno}"
            if path.name == "settings.py":
                assert not node.args, f"{where}: a message instead of a code"
            code = [k.value for k in node.keywords if k.arg == "code"]
            if code:
                assert isinstance(code[0], ast.Constant), where
                codes.append(code[0].value)
    assert len(codes) >= 14
    assert set(codes) == set(CLI_LANGUAGES["en"].settings_words)


@pytest.mark.parametrize(("language", "expected"), [
    ("", "paraaf: PARAAF_MODE moet een van deze waarden zijn: local, production; niet 'x'."),
    ("nl", "paraaf: PARAAF_MODE moet een van deze waarden zijn: local, production; niet 'x'."),
    ("en", "paraaf: PARAAF_MODE must be one of local, production, not 'x'."),
])
def test_a_bad_mode_is_said_in_the_language_asked_for(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, language: str, expected: str) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", language)
    monkeypatch.setenv("PARAAF_MODE", "x")
    assert cli("flow", "list") == EXIT_UNAVAILABLE
    assert cli.err.splitlines()[0] == expected
    assert "PARAAF_MODE" in cli.err.splitlines()[1]  # the fix, on its own line


def test_a_bad_number_is_said_in_dutch(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    monkeypatch.setenv("PARAAF_PORT", "99999")
    cli("flow", "list")
    assert cli.err.splitlines() == [
        "paraaf: PARAAF_PORT moet tussen 1 en 65535 liggen, niet 99999.",
        "  oplossing: Stel PARAAF_PORT in op een getal van 1 tot en met 65535."]


def test_the_json_keeps_code_english_and_parameters(cli: Cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    monkeypatch.setenv("PARAAF_MODE", "x")
    cli("flow", "list", "--json")
    error = json.loads(cli.out)["error"]
    assert error == {"code": "settings",
                     "message": "PARAAF_MODE must be one of local, production, not 'x'.",
                     "setting": "one_of",
                     "params": {"name": "PARAAF_MODE", "options": "local, production",
                                "value": "'x'"},
                     "variable": "PARAAF_MODE",
                     "fix": "Set PARAAF_MODE to one of: local, production."}


def test_a_settings_error_says_its_text_in_either_language() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"PARAAF_MODE": "local", "PARAAF_HOST": "0.0.0.0"})
    error = caught.value
    assert error.code == "host_loopback"
    assert str(error).startswith("PARAAF_HOST must be a loopback address in local mode")
    assert error.text("nl").startswith("PARAAF_HOST moet in lokale modus een loopback-adres")
    assert error.text("en") == str(error)
    plain = SettingsError("al in de taal van de lezer")
    assert plain.text("en") == "al in de taal van de lezer"


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", "'ftp://x' is geen adres van een SharePoint-site"),
    ("en", "'ftp://x' is not a SharePoint site URL"),
])
def test_a_bad_site_address_is_said_in_the_language_asked_for(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, language: str, expected: str) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", language)
    monkeypatch.setenv("PARAAF_SITE_URL", "ftp://x")
    assert cli("flow", "list") == EXIT_UNAVAILABLE
    assert cli.err.startswith("paraaf: PARAAF_SITE_URL: " + expected), cli.err
