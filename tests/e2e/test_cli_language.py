"""Every word the command line prints follows PARAAF_LANGUAGE: Dutch by default, English
with ``en``. That holds for argparse's own words (usage, options, required, invalid choice),
the help of every command and option, and the lines of provision, manifest build, audit
verify/anchor, vervanger, the sign-in prompt and the server's start line.

Each check runs the real ``paraaf`` entry point in process and looks for telltale words of
the other language (whole words, so option and command names such as ``--to`` or ``list``,
which stay as they are, do not count)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import build_parser, main
from tests.e2e.conftest import Cli
from tests.e2e.m365 import Paraaf, call
from tests.support.graph_server import GraphServer

ENGLISH = ("the", "required", "invalid", "usage", "options", "positional", "arguments",
           "message", "default", "choose", "error", "expected", "file", "folder",
           "who", "only", "user", "Created", "Wrote", "signed", "nothing", "change", "and",
           "with", "listening", "Substitute", "Cleared", "Anchored", "keep",
           "Checked", "latest", "Problem", "Made", "Tabs", "Sign", "enter")
DUTCH = ("de", "het", "een", "verplicht", "ongeldig", "ongeldige", "gebruik", "opties",
         "standaard", "bestand", "gebruiker", "waarde", "keuze", "fout", "niet", "wie",
         "alleen", "van", "voor", "naar", "met", "gemaakt", "geschreven", "ingesteld",
         "verankerd", "bewaar", "gecontroleerd", "wijziging", "wijzigingen", "luistert",
         "aanmelden", "Tabbladen", "beëindigd", "hulptekst")
MAIL = "@voorbeeldstad.nl"
TODAY = datetime.now(UTC).date()
FROM, TO = TODAY.isoformat(), (TODAY + timedelta(days=13)).isoformat()
BOT = "6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
URL = "https://paraaf.voorbeeldstad.nl"


@pytest.fixture(params=["nl", "en"])
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both languages: Dutch by leaving PARAAF_LANGUAGE out, English by setting it."""
    monkeypatch.delenv("PARAAF_TIMEZONE", raising=False)
    if request.param == "en":
        monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    else:
        monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    return str(request.param)


def foreign_words(text: str, language: str) -> list[str]:
    """The telltale words of the other language in ``text`` (whole words, any case for
    lower-case ones). Option names (``--to-stage``) and file names are left out first."""
    text = re.sub(r"--?[\w-]+|\S+\.(?:yaml|json|zip|md)\b|\S*/\S*", " ", text)
    found = []
    for word in ENGLISH if language == "nl" else DUTCH:
        flags = re.IGNORECASE if word.islower() else 0
        if re.search(rf"(?<![\w'-]){re.escape(word)}(?![\w'-])", text, flags):
            found.append(word)
    return found


def _commands(parser: argparse.ArgumentParser,
              path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                           argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:  # an alias (substitute) is the same parser
                    seen.add(id(sub))
                    yield from _commands(sub, (*path, name))


COMMANDS = [path for path, _ in _commands(build_parser("en"))]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``paraaf ARGS`` as from a shell: the exit code (also when argparse exits) and what it
    printed."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as stop:
        code = int(stop.code or 0)
    printed = capsys.readouterr()
    return code, printed.out, printed.err


# --- argparse: help, usage and its own errors --------------------------------------------------


def test_the_walk_sees_every_command() -> None:
    assert len(COMMANDS) >= 30
    assert ("vervanger", "set") in COMMANDS and ("manifest", "build") in COMMANDS
    assert ("provision",) in COMMANDS and ("audit", "anchor") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda path: " ".join(path) or "paraaf")
def test_every_help_is_in_one_language(capsys: pytest.CaptureFixture[str], language: str,
                                       command: tuple[str, ...]) -> None:
    code, out, err = _run(capsys, *command, "--help")
    assert code == 0, err
    assert out.startswith("gebruik: paraaf" if language == "nl" else "usage: paraaf"), out
    assert foreign_words(out, language) == [], out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda path: " ".join(path) or "paraaf")
def test_every_usage_error_is_in_one_language(capsys: pytest.CaptureFixture[str],
                                              language: str, command: tuple[str, ...]) -> None:
    """An unknown option, and the command without what it requires (or, for a group, without
    its sub-command): exit 2, the usage and the error in the chosen language."""
    parser = dict(_commands(build_parser(language)))[command]
    needs = [a for a in parser._actions if a.required or isinstance(a, argparse._SubParsersAction)]
    for args in ([*command, "--geen-optie"], [*command] if needs else None):
        if args is None:
            continue
        code, out, err = _run(capsys, *args)
        assert code == 2, (args, err)
        assert out == ""
        label = "fout" if language == "nl" else "error"
        assert re.search(rf"^paraaf[\w ]*: {label}: ", err, re.MULTILINE), err
        assert foreign_words(err, language) == [], err


def test_dutch_argparse_lines_exactly(capsys: pytest.CaptureFixture[str], dutch: str) -> None:
    code, _, err = _run(capsys, "dossier", "act", "DEMO-1")
    assert code == 2
    assert err.splitlines()[-1] == ("paraaf dossier act: fout: verplicht maar niet opgegeven: "
                                    "--action")
    assert err.startswith("gebruik: paraaf dossier act [-h] [--json] [--data MAP] "
                          "[--as GEBRUIKER]")
    code, _, err = _run(capsys, "dossier", "act", "DEMO-1", "--action", "goedkeuren")
    assert code == 2
    assert "paraaf dossier act: fout: --action: ongeldige keuze 'goedkeuren'; kies uit " \
        "'accord', 'accorderen'," in err
    code, _, err = _run(capsys, "dossier", "list", "--status")
    assert err.splitlines()[-1] == "paraaf dossier list: fout: --status: verwacht één waarde"
    code, _, err = _run(capsys, "foo")
    assert err.splitlines()[-1].startswith("paraaf: fout: OPDRACHT: ongeldige keuze 'foo'")
    code, out, _ = _run(capsys, "dossier", "act", "--help")
    assert "  -h, --help            deze hulptekst tonen en stoppen" in out.splitlines()
    assert "\nargumenten:\n  DOSSIER               het dossiernummer, bijvoorbeeld DEMO-1\n" in out
    assert "\nopties:\n" in out
    assert "--samples, --no-samples" in _run(capsys, "demo", "--help")[1]
    assert "(default: True)" not in _run(capsys, "demo", "--help")[1]


def test_english_argparse_lines_exactly(capsys: pytest.CaptureFixture[str], english: str) -> None:
    code, _, err = _run(capsys, "dossier", "act", "DEMO-1")
    assert code == 2
    assert err.splitlines()[-1] == ("paraaf dossier act: error: the following arguments are "
                                    "required: --action")
    assert err.startswith("usage: paraaf dossier act [-h] [--json] [--data DIR] [--as USER]")
    code, _, err = _run(capsys, "dossier", "act", "DEMO-1", "--action", "goedkeuren")
    assert "paraaf dossier act: error: argument --action: invalid choice: 'goedkeuren' " \
        "(choose from 'accord'," in err
    code, out, _ = _run(capsys, "--help")
    assert "  -h, --help            show this help message and exit" in out.splitlines()


def test_dutch_status_words_are_taken_by_dossier_list(
        cli: Cli, capsys: pytest.CaptureFixture[str], dutch: str) -> None:
    assert cli("dossier", "list", "--status", "lopend") == 0
    lopend = cli.out
    assert cli("dossier", "list", "--status", "open") == 0
    assert lopend == cli.out and "DEMO-1" in lopend
    code, _, err = _run(capsys, "--data", str(cli.data), "dossier", "list", "--status", "klaar")
    assert code == 2
    assert err.splitlines()[-1] == (
        "paraaf dossier list: fout: --status: 'klaar' is geen status; kies lopend, afgerond, "
        "afgewezen of ingetrokken (open, completed, rejected, withdrawn mag ook)")


def test_argparse_speaks_english_again_after_a_dutch_parse(
        capsys: pytest.CaptureFixture[str], dutch: str) -> None:
    """The translation is scoped: a plain argparse parser afterwards is argparse's own."""
    _run(capsys, "dossier", "act")
    plain = argparse.ArgumentParser(prog="x")
    assert plain.format_help().startswith("usage: x")
    assert "show this help message and exit" in plain.format_help()


# --- what the commands print --------------------------------------------------------------------


def test_audit_anchor_and_verify_in_dutch(cli: Cli, dutch: str) -> None:
    assert cli("audit", "verify") == 0
    assert "Nog geen auditanker: voer `paraaf audit anchor` uit (of `paraaf tick`)." in cli.out
    assert cli("audit", "anchor") == 0
    lines = cli.out.splitlines()
    assert lines[0] == "3 dossiers verankerd in anker 1."
    assert lines[1].startswith("  bewaar dit buiten paraaf (afdrukken, mailen, tijdstempel): 1:")
    assert lines[2].startswith("  Merkle-root over 3 dossiers: ")
    assert re.match(r"  gemaakt \d+ \w+\.? \d{4} \d\d:\d\d \((CET|CEST)\); controleer later "
                    r"met: paraaf audit verify --anchor 1:[0-9a-f]{64}$", lines[3]), lines[3]
    assert foreign_words(cli.out, "nl") == [], cli.out
    assert cli("audit", "anchor") == 0
    assert cli.out.startswith("Niets veranderd sinds anker 1; geen nieuw anker.")
    assert cli("audit", "verify") == 0
    assert re.search(r"Gecontroleerd met 1 auditanker; het laatste is 1:[0-9a-f]{64} van "
                     r"\d+ \w+\.? \d{4} \d\d:\d\d \((CET|CEST)\)\.", cli.out), cli.out
    assert foreign_words(cli.out, "nl") == [], cli.out
    assert cli("audit", "verify", "--anchor", "twaalf") == 2
    assert "paraaf: --anchor: schrijf het bewaarde anker als VOLGNR:HASH" in cli.err


def test_audit_anchor_and_verify_in_english(cli: Cli, english: str) -> None:
    assert cli("audit", "anchor") == 0
    assert cli.out.startswith("Anchored 3 dossiers in anchor 1.\n  keep this outside paraaf")
    assert foreign_words(cli.out, "en") == [], cli.out
    assert cli("audit", "verify") == 0
    assert "Checked against 1 audit anchor; the latest is 1:" in cli.out
    assert foreign_words(cli.out, "en") == [], cli.out
    assert cli("audit", "verify", "--anchor", "twelve") == 2
    assert "paraaf: --anchor: write the anchor you kept as SEQ:HASH" in cli.err


def test_the_tick_anchors_in_dutch(cli: Cli, dutch: str) -> None:
    assert cli("tick") == 0
    assert "verankerd in anker 1." in cli.out
    assert foreign_words(cli.out, "nl") == [], cli.out


def _vervanger(cli: Cli) -> list[str]:
    printed = []
    assert cli("vervanger", "set", "--for", "h.vandijk", "--substitute", "j.visser",
               "--from", FROM, "--to", TO, "--reason", "vakantie",
               "--as", "s.vos" + MAIL) == 0, cli.err
    printed.append(cli.out)
    assert cli("vervanger", "list") == 0
    printed.append(cli.out)
    assert cli("vervanger", "clear", "--for", "h.vandijk") == 0, cli.err
    printed.append(cli.out)
    assert cli("vervanger", "clear", "--for", "h.vandijk") == 0
    printed.append(cli.out)
    assert cli("vervanger", "list") == 0
    printed.append(cli.out)
    return printed


def test_vervanger_in_dutch(cli: Cli, dutch: str) -> None:
    line = ("Hanneke van Dijk (h.vandijk@voorbeeldstad.nl): Jeroen Visser "
            f"(j.visser@voorbeeldstad.nl) van {FROM} tot en met {TO}, vakantie, "
            "ingesteld door Sanne Vos")
    assert _vervanger(cli) == [
        f"Vervanger ingesteld: {line}\n", f"{line}\n",
        "1 periode van Hanneke van Dijk beëindigd.\n",
        "Hanneke van Dijk heeft geen vervanging om te beëindigen.\n",
        "Er zijn geen vervangers ingesteld.\n"]
    assert cli("vervanger", "list", "--for", "nie.mand") == 2
    assert "--for: niemand met de naam 'nie.mand'" in cli.err


def test_vervanger_in_english(cli: Cli, english: str) -> None:
    printed = _vervanger(cli)
    assert printed[0].startswith("Substitute set: Hanneke van Dijk (h.vandijk@voorbeeldstad.nl)"
                                 f": Jeroen Visser (j.visser@voorbeeldstad.nl) from {FROM} "
                                 f"to {TO}, vakantie, set by Sanne Vos")
    assert printed[2:] == ["Cleared 1 period of Hanneke van Dijk.\n",
                           "Hanneke van Dijk has no substitute to clear.\n",
                           "No substitutes named.\n"]
    assert cli("vervanger", "set", "--for", "h.vandijk", "--substitute", "nie.mand", "--from",
               FROM, "--to", TO, "--reason", "verlof") == 2
    assert "--substitute: there is nobody called 'nie.mand'" in cli.err


def test_manifest_build_in_both_languages(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PARAAF_APP_ID", "PARAAF_PUBLIC_URL", "PARAAF_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    args = ("manifest", "build", "--bot-id", BOT, "--public-url", URL, "-o",
            str(tmp_path / "app.zip"))
    code, out, err = _run(capsys, *args)
    assert code == 0, err
    first, tabs, sso = out.splitlines()
    assert re.fullmatch(rf"{re.escape(str(tmp_path / 'app.zip'))} geschreven \([\d.]+ "
                        rf"bytes\): Teams-app {BOT} versie [\d.]+ \(manifest v[\d.]+\), "
                        rf"bot {BOT}\.", first), first
    assert tabs.startswith(f"Tabbladen: {URL}/tab/")
    assert sso.startswith("Bron voor eenmalige aanmelding: api://")
    assert foreign_words(out, "nl") == [], out
    code, _, err = _run(capsys, "manifest", "build", "-o", str(tmp_path / "x.zip"))
    assert code == 2
    assert err == "paraaf: De bot-id ontbreekt: geef --bot-id GUID of stel PARAAF_APP_ID in.\n"
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    code, out, err = _run(capsys, *args)
    assert code == 0, err
    assert re.match(rf"Wrote {re.escape(str(tmp_path / 'app.zip'))} \([\d,]+ bytes\)", out)
    assert "\nTabs: " in out and "\nSingle sign-on resource: " in out
    assert foreign_words(out, "en") == [], out


def test_the_server_start_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import Settings
    from bot.teams.server import _start_line

    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    monkeypatch.setenv("PARAAF_PORT", "3978")
    monkeypatch.setenv("PARAAF_BOT_SDK", "botbuilder")
    assert _start_line(Settings.from_env()) == ("paraaf luistert op http://127.0.0.1:3978 "
                                                "(lokale modus, bot op botbuilder (Bot "
                                                "Framework SDK))")
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    monkeypatch.setenv("PARAAF_BOT_SDK", "agents")
    assert _start_line(Settings.from_env()) == ("paraaf listening on http://127.0.0.1:3978 "
                                                "(local mode, bot on the Microsoft 365 "
                                                "Agents SDK)")


async def test_the_playground_is_refused_outside_local_mode_in_both_languages(
        tmp_path: Path) -> None:
    from bot.settings import Settings, SettingsError
    from bot.teams.local_playground import run_playground

    with pytest.raises(SettingsError, match=r"^--playground werkt alleen in lokale modus"):
        await run_playground(Settings(data_dir=tmp_path, mode="production", language="nl"))
    with pytest.raises(SettingsError, match=r"^--playground is for local mode only"):
        await run_playground(Settings(data_dir=tmp_path, mode="production", language="en"))


def test_the_sign_in_prompt(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli.main import cli_texts
    from bot.cli.signin import _prompt

    _prompt(cli_texts("nl"))("https://microsoft.com/devicelogin", "ABCD-EFGH", None)
    assert capsys.readouterr().err == ("Aanmelden bij paraaf: open "
                                       "https://microsoft.com/devicelogin en vul de code "
                                       "ABCD-EFGH in.\n")
    _prompt(cli_texts("en"))("https://microsoft.com/devicelogin", "ABCD-EFGH", None)
    assert capsys.readouterr().err == ("Sign in to paraaf: open "
                                       "https://microsoft.com/devicelogin and enter the code "
                                       "ABCD-EFGH.\n")


async def test_provision_in_dutch(server: GraphServer, paraaf: Paraaf,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE")  # the fixture reads English; Dutch is the default
    assert await paraaf.provision("--dry-run") == 0, paraaf.err
    assert "  Lijst Dossiers zou worden gemaakt met " in paraaf.out
    assert "  Bibliotheek Dossierstukken zou worden gemaakt" in paraaf.out
    assert re.search(r"^Proefrun: \d+ wijzigingen te maken; er is niets veranderd\.$",
                     paraaf.out, re.MULTILINE), paraaf.out
    assert foreign_words(paraaf.out, "nl") == [], paraaf.out
    assert await paraaf.provision() == 0, paraaf.err
    assert re.search(r"^  Lijst Dossiers gemaakt met \d+ kolommen$", paraaf.out, re.MULTILINE)
    assert re.search(r"^\d+ wijzigingen gemaakt\.$", paraaf.out, re.MULTILINE)
    assert foreign_words(paraaf.out, "nl") == [], paraaf.out
    assert await paraaf.provision() == 0
    assert paraaf.out.splitlines()[1:] == ["niets te veranderen: de lijsten zijn bijgewerkt"]
    sp_list = server.get_list("Processtromen")
    await call(server, "DELETE", f"/sites/{server.site.id}/lists/{sp_list.id}/columns/Body")
    assert await paraaf.provision() == 0, paraaf.err
    assert paraaf.out.splitlines()[1:] == [
        "  Kolom Processtromen.Body toegevoegd (meerdere regels tekst)", "1 wijziging gemaakt."]
    assert await paraaf("provision") == 2
    assert paraaf.err == "paraaf: Noem de site met --site URL (of stel PARAAF_SITE_URL in).\n"


async def test_provision_in_english_has_no_dutch(server: GraphServer, paraaf: Paraaf) -> None:
    assert await paraaf.provision("--dry-run") == 0, paraaf.err
    assert "  Would create list Dossiers with " in paraaf.out
    assert foreign_words(paraaf.out, "en") == [], paraaf.out
    assert await paraaf.provision() == 0
    assert foreign_words(paraaf.out, "en") == [], paraaf.out


async def test_a_provisioning_problem_in_dutch(server: GraphServer, paraaf: Paraaf,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert await paraaf.provision() == 0
    flows = server.get_list("Processtromen")
    columns = f"/sites/{server.site.id}/lists/{flows.id}/columns"
    await call(server, "DELETE", f"{columns}/FlowVersion")
    await call(server, "POST", columns, {"name": "FlowVersion", "text": {}})
    monkeypatch.delenv("PARAAF_LANGUAGE")
    assert await paraaf.provision() == 3
    assert ("  Probleem: Processtromen.FlowVersion is een kolom van het type één regel tekst; "
            "paraaf heeft getal nodig. Geef die kolom een andere naam of verwijder hem, en richt "
            "de site dan opnieuw in.") in paraaf.out.splitlines()
    assert paraaf.out.splitlines()[-1] == ("niets te veranderen dat het inrichten zelf mag "
                                           "veranderen")
    assert foreign_words(paraaf.out, "nl") == [], paraaf.out


@pytest.mark.parametrize(("site", "words"), [
    ("contoso.sharepoint.com/sites/paraaf", "is geen adres van een SharePoint-site"),
    ("https://contoso.sharepoint.com/sites/paraaf/Lists/Dossiers/AllItems.aspx",
     "wijst naar iets binnen een site; geef de site zelf"),
    ("https://contoso.sharepoint.com/sites/paraaf?x=1", "moet alleen het adres van de site zijn"),
])
async def test_a_bad_site_url_in_dutch_names_the_option(
        server: GraphServer, paraaf: Paraaf, monkeypatch: pytest.MonkeyPatch, site: str,
        words: str) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE")
    assert await paraaf("provision", "--site", site) == 2
    assert paraaf.err.startswith(f"paraaf: --site: '{site}' {words}"), paraaf.err


@pytest.mark.parametrize(("args", "dutch_error", "english_error"), [
    (("--bot-id", "x", "--public-url", URL),
     "--bot-id: moet een GUID zijn zoals 00000000-0000-0000-0000-000000000000, niet 'x'.",
     "--bot-id: must be a GUID like 00000000-0000-0000-0000-000000000000, not 'x'."),
    (("--bot-id", BOT, "--public-url", "http://paraaf.voorbeeldstad.nl"),
     "--public-url: moet beginnen met https:// (Teams laadt tabbladen alleen via HTTPS), niet "
     "'http://paraaf.voorbeeldstad.nl'.",
     "--public-url: must start with https:// (Teams loads tabs over HTTPS only), not "
     "'http://paraaf.voorbeeldstad.nl'."),
    (("--bot-id", BOT, "--public-url", URL, "--app-version", "2"),
     "--app-version: moet eruitzien als 1.2.3 (Teams wil major.minor.patch), niet '2'.",
     "--app-version: must look like 1.2.3 (Teams needs major.minor.patch), not '2'."),
    (("--bot-id", BOT, "--public-url", URL, "--publisher", "x" * 33),
     "--publisher: moet 1 tot 32 tekens lang zijn.",
     "--publisher: must be 1 to 32 characters long."),
    (("--bot-id", BOT, "--public-url", URL, "--terms-url", "ftp://x"),
     "--terms-url: moet een https://-link zijn, niet 'ftp://x'.",
     "--terms-url: must be an https:// link, not 'ftp://x'."),
    (("--bot-id", BOT),
     "Het openbare adres ontbreekt: geef --public-url https://paraaf.voorbeeld.nl of stel "
     "PARAAF_PUBLIC_URL in.",
     "The public URL is missing: pass --public-url https://paraaf.example.nl or set "
     "PARAAF_PUBLIC_URL."),
])
def test_manifest_input_errors_name_the_option_in_both_languages(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        args: tuple[str, ...], dutch_error: str, english_error: str) -> None:
    for name in ("PARAAF_APP_ID", "PARAAF_PUBLIC_URL", "PARAAF_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    output = tmp_path / "app.zip"
    assert _run(capsys, "manifest", "build", *args, "-o", str(output)) == (
        2, "", f"paraaf: {dutch_error}\n")
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    assert _run(capsys, "manifest", "build", *args, "-o", str(output)) == (
        2, "", f"paraaf: {english_error}\n")
    assert not output.exists()


def test_a_manifest_default_from_a_setting_names_the_setting(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    monkeypatch.setenv("PARAAF_APP_ID", "geen-guid")
    monkeypatch.setenv("PARAAF_PUBLIC_URL", URL)
    code, _, err = _run(capsys, "manifest", "build", "-o", str(tmp_path / "app.zip"))
    assert code == 2
    assert err.startswith("paraaf: PARAAF_APP_ID: moet een GUID zijn zoals ")
