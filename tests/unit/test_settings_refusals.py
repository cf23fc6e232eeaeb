"""Settings that cannot work are refused when they are read (by `paraaf serve` and every other
command), each naming the setting and the fix, in Dutch and English."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError

TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"
CLIENT = "9a0e4b4c-2f6a-4f43-9d0e-6e3b1c2d7f10"
SITE = "https://contoso.sharepoint.com/sites/paraaf"
PRODUCTION = {"PARAAF_MODE": "production", "PARAAF_APP_ID": CLIENT, "PARAAF_APP_PASSWORD": "s"}
GRAPH = {"PARAAF_BACKEND": "graph", "PARAAF_SITE_URL": SITE, "PARAAF_GRAPH_TENANT_ID": TENANT,
         "PARAAF_GRAPH_CLIENT_ID": CLIENT, "PARAAF_GRAPH_CLIENT_SECRET": "s",
         **PRODUCTION}


@pytest.mark.parametrize(("env", "code", "setting", "fix"), [
    ({**GRAPH, "PARAAF_GRAPH_TENANT_ID": ""}, "graph_missing", "PARAAF_GRAPH_TENANT_ID",
     "Set PARAAF_GRAPH_TENANT_ID"),
    ({"PARAAF_BACKEND": "graph", "PARAAF_SITE_URL": SITE, "PARAAF_GRAPH_AUTH": "none",
      "PARAAF_GRAPH_BASE_URL": "http://127.0.0.1:8765/v1.0"}, "graph_missing",
     "PARAAF_GRAPH_TENANT_ID", "Set PARAAF_GRAPH_TENANT_ID"),
    ({**GRAPH, "PARAAF_GRAPH_CLIENT_SECRET": ""}, "graph_missing",
     "PARAAF_GRAPH_CLIENT_SECRET", "Set PARAAF_GRAPH_CLIENT_SECRET"),
    ({**GRAPH, "PARAAF_GRAPH_TENANT_ID": "niet een tenant"}, "tenant_id",
     "PARAAF_GRAPH_TENANT_ID", "Directory (tenant) ID"),
    ({**GRAPH, "PARAAF_GRAPH_CLIENT_ID": "paraaf"}, "guid", "PARAAF_GRAPH_CLIENT_ID",
     "Application (client) ID"),
    ({"PARAAF_CLI_CLIENT_ID": "x"}, "guid", "PARAAF_CLI_CLIENT_ID", "Application (client) ID"),
    ({**GRAPH, "PARAAF_SITE_URL": "https://contoso.sharepoint.com/sites/paraaf?x=1"},
     "site_url", "PARAAF_SITE_URL", "https://gemeente.sharepoint.com/sites/paraaf"),
    ({"PARAAF_PUBLIC_URL": "http://paraaf.gemeente.nl"}, "public_url", "PARAAF_PUBLIC_URL",
     "https://"),
    ({"PARAAF_PUBLIC_URL": "paraaf.gemeente.nl"}, "public_url", "PARAAF_PUBLIC_URL",
     "https://"),
    ({"PARAAF_PUBLIC_URL": "https://paraaf.gemeente.nl/?a=b"}, "public_url",
     "PARAAF_PUBLIC_URL", "https://"),
    ({**PRODUCTION, "PARAAF_APP_PASSWORD": ""}, "app_credential", "PARAAF_APP_PASSWORD",
     "PARAAF_APP_CERT_THUMBPRINT"),
    ({**PRODUCTION, "PARAAF_APP_TYPE": "singletenant"}, "app_tenant", "PARAAF_APP_TENANT_ID",
     "PARAAF_APP_TENANT_ID"),
    ({**PRODUCTION, "PARAAF_APP_CERT_THUMBPRINT": "AB12"}, "app_cert_pair",
     "PARAAF_APP_CERT_KEY_FILE", "Set PARAAF_APP_CERT_KEY_FILE"),
    ({**PRODUCTION, "PARAAF_APP_TENANT_ID": "geen-tenant"}, "tenant_id",
     "PARAAF_APP_TENANT_ID", "Directory (tenant) ID"),
    ({"PARAAF_PORT": "x"}, "whole_number", "PARAAF_PORT", "Set PARAAF_PORT"),
    ({"PARAAF_MODE": "production"}, "production_app", "PARAAF_APP_ID", "PARAAF_APP_ID"),
])
def test_a_setting_that_cannot_work_is_refused_with_its_fix(
        env: dict[str, str], code: str, setting: str, fix: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    error = caught.value
    assert (error.code, error.setting) == (code, setting)
    assert setting in str(error)
    assert fix in error.fix("en") and setting in error.fix("en")
    assert setting in error.text("nl") and setting in error.fix("nl")
    assert error.fix("nl") != error.fix("en")


@pytest.mark.parametrize("env", [
    {"PARAAF_PUBLIC_URL": "https://paraaf.gemeente.nl/"},
    {"PARAAF_PUBLIC_URL": "http://127.0.0.1:3978"},
    {**GRAPH},
    {**GRAPH, "PARAAF_GRAPH_TENANT_ID": "gemeente.onmicrosoft.com"},
    {**PRODUCTION, "PARAAF_APP_PASSWORD": "", "PARAAF_APP_TYPE": "userassignedmsi",
     "PARAAF_APP_TENANT_ID": TENANT},
    {**PRODUCTION, "PARAAF_APP_PASSWORD": "", "PARAAF_APP_CERT_THUMBPRINT": "AB12",
     "PARAAF_APP_CERT_KEY_FILE": "bot.pem"},
])
def test_settings_that_can_work_are_taken(env: dict[str, str]) -> None:
    Settings.from_env(env)


def _placeholders(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_doctor_and_fix_words_match_in_both_languages() -> None:
    from cards.strings import CLI_LANGUAGES

    en, nl = CLI_LANGUAGES["en"], CLI_LANGUAGES["nl"]
    for table in ("doctor_words", "settings_fixes"):
        english, dutch = getattr(en, table), getattr(nl, table)
        assert set(english) == set(dutch), table
        for key in english:
            assert _placeholders(english[key]) == _placeholders(dutch[key]), (table, key)
    assert set(en.settings_fixes) == set(en.settings_words)


def test_every_doctor_outcome_has_its_words() -> None:
    """Each ok/wrong/skipped outcome bot/cli/doctor.py can give has a text; each wrong one a
    fix (the settings check says the SettingsError's own)."""
    import ast
    from pathlib import Path

    import bot.cli.doctor as doctor
    from cards.strings import CLI_LANGUAGES

    words = CLI_LANGUAGES["en"].doctor_words
    tree = ast.parse(Path(doctor.__file__).read_text("utf-8"))
    seen: dict[str, set[str]] = {"ok": set(), "wrong": set(), "skipped": set()}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", "") in seen
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):
            seen[node.func.id].add(str(node.args[1].value))  # type: ignore[attr-defined]
    assert len(seen["wrong"]) >= 25 and seen["ok"] and seen["skipped"]
    for code in seen["ok"] | seen["wrong"]:
        assert code in words, code
    for code in seen["wrong"]:
        assert code + ".fix" in words, code
    for after in seen["skipped"]:
        assert "skipped_" + after in words, after
    chosen = {code for _, code in doctor.TOKEN_ERRORS} | {
        "graph_test_server", "graph_unreachable", "token_certificate", "token_refused",
        "token_managed_identity"}  # the codes picked at run time
    for code in chosen:
        assert code in words and code + ".fix" in words, code
