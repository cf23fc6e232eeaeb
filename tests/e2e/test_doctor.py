"""`paraaf doctor` end to end: the command line in process against a deployment made of the
Graph test server (the tenant's SharePoint), an Entra ID stand-in (the app registration and
its token), the Bot Framework's key server stand-in and the bot itself answering /healthz.

Everything right gives exit 0; each deliberately wrong setting gives exit 1 and names that
setting and its fix, in the text (Dutch by default) and in --json (English).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import bot.cli.doctor
from bot.cli.main import main
from bot.settings import Settings
from bot.wiring import provision_site
from cards.strings import cli_strings
from tests.e2e.bot_http import bot_server
from tests.e2e.entra_app_stand_in import CLIENT, SECRET, TENANT, EntraApp
from tests.support.graph_server import GraphServer
from tests.support.openid_stand_in import KeyServer

SITE = "https://contoso.sharepoint.com/sites/paraaf"
OTHER_GUID = "0b7e2f4c-1d3a-4e5f-8a9b-0c1d2e3f4a5b"


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Doctor:
    """`paraaf doctor` in a worker thread (it runs its own event loop, as from a shell) while
    the stand-ins answer on the test's loop."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys
        self.out = ""
        self.err = ""

    async def __call__(self, *args: str) -> int:
        self._capsys.readouterr()
        code = await asyncio.to_thread(main, ["doctor", *args])
        captured = self._capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code

    async def json(self) -> tuple[int, dict[str, Any]]:
        code = await self("--json")
        return code, json.loads(self.out)


@pytest.fixture
async def deployment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: Path,
                     capsys: pytest.CaptureFixture[str]) -> AsyncIterator[dict[str, Any]]:
    """A deployment where everything is right: the settings as os.environ, and the parts."""
    for name in [n for n in os.environ if n.startswith("PARAAF_")]:
        monkeypatch.delenv(name)
    entra, keys = EntraApp(), KeyServer()
    await entra.start()
    await keys.start()
    monkeypatch.setattr(bot.cli.doctor, "app_credential", entra.credential)
    try:
        async with GraphServer(seed=3) as graph, bot_server(data) as running_bot:
            env = {
                "PARAAF_BACKEND": "graph", "PARAAF_MODE": "production",
                "PARAAF_HOST": "127.0.0.1", "PARAAF_DATA": str(tmp_path / "state"),
                "PARAAF_APP_ID": CLIENT, "PARAAF_APP_PASSWORD": "bot-geheim",
                "PARAAF_PUBLIC_URL": running_bot.base,
                "PARAAF_BOT_OPENID_METADATA_URL": keys.url,
                "PARAAF_SITE_URL": SITE, "PARAAF_GRAPH_AUTH": "secret",
                "PARAAF_GRAPH_TENANT_ID": TENANT, "PARAAF_GRAPH_CLIENT_ID": CLIENT,
                "PARAAF_GRAPH_CLIENT_SECRET": SECRET, "PARAAF_GRAPH_BASE_URL": graph.base_url,
                "AZURE_AUTHORITY_HOST": entra.url,
            }
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            settings = Settings.from_env()
            await provision_site(settings, SITE, dry_run=False,
                                 credential=entra.credential(settings))
            await grant_site(graph, CLIENT, "fullcontrol")
            graph.stats.reset()
            yield {"graph": graph, "entra": entra, "keys": keys, "env": env,
                   "doctor": Doctor(capsys)}
    finally:
        await keys.stop()
        await entra.stop()


async def grant_site(graph: GraphServer, client: str, role: str) -> None:
    """What the SharePoint administrator does in docs/microsoft-365.md, step 3."""
    async with httpx.AsyncClient(headers={"Authorization": "Bearer admin"}) as admin:
        answer = await admin.post(
            f"{graph.base_url}/sites/contoso.sharepoint.com:/sites/paraaf:/permissions",
            json={"roles": [role], "grantedToIdentities": [
                {"application": {"id": client, "displayName": "paraaf"}}]})
    assert answer.status_code == 201, answer.text


def _by_check(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["check"]: c for c in report["checks"]}


async def test_everything_right_gives_exit_0(deployment: dict[str, Any]) -> None:
    doctor: Doctor = deployment["doctor"]
    code, report = await doctor.json()
    assert code == 0, doctor.out
    assert report["schema"] == 1 and report["ok"] is True and report["backend"] == "graph"
    checks = _by_check(report)
    assert list(checks) == ["settings", "login", "graph", "clock", "token", "permissions",
                            "site", "grant", "lists", "bot", "bot_keys"]
    assert checks["grant"]["params"] == {"roles": "fullcontrol"}
    assert {c["status"] for c in report["checks"]} == {"ok"}
    assert all(c["fix"] == "" and c["setting"] == "" for c in report["checks"])
    assert deployment["entra"].tokens >= 2  # the token check, and the site's reads
    assert await doctor() == 0
    assert doctor.out.splitlines()[-1] == "Alles wat gecontroleerd is, is in orde."
    # nothing was written on the site
    writes = [r for r in deployment["graph"].stats.records if r.method != "GET"]
    assert writes == []


WRONG = [
    # (what is wrong, the settings to change, the setting named, words of its fix)
    pytest.param({"PARAAF_GRAPH_CLIENT_SECRET": "oud-geheim"}, "PARAAF_GRAPH_CLIENT_SECRET",
                 "New client secret", "token", id="secret-refused"),
    pytest.param({"PARAAF_GRAPH_CLIENT_ID": OTHER_GUID}, "PARAAF_GRAPH_CLIENT_ID",
                 "Application (client) ID", "token", id="client-unknown"),
    pytest.param({"PARAAF_GRAPH_TENANT_ID": OTHER_GUID}, "PARAAF_GRAPH_TENANT_ID",
                 "Directory (tenant) ID", "login", id="tenant-unknown"),
    pytest.param({"PARAAF_SITE_URL": "https://contoso.sharepoint.com/sites/elders"},
                 "PARAAF_SITE_URL", "SharePoint admin center", "site", id="no-such-site"),
    pytest.param({"PARAAF_PUBLIC_URL": "http://127.0.0.1:{closed}"}, "PARAAF_PUBLIC_URL",
                 "paraaf serve", "bot", id="bot-not-answering"),
    pytest.param({"PARAAF_BOT_OPENID_METADATA_URL": "http://127.0.0.1:{closed}/metadata"},
                 "PARAAF_BOT_OPENID_METADATA_URL", "remove PARAAF_BOT_OPENID_METADATA_URL",
                 "bot_keys", id="bot-keys-unreachable"),
    pytest.param({"PARAAF_GRAPH_BASE_URL": "http://127.0.0.1:{closed}/v1.0"},
                 "PARAAF_GRAPH_BASE_URL", "remove PARAAF_GRAPH_BASE_URL", "graph",
                 id="graph-unreachable"),
    pytest.param({"PARAAF_GRAPH_TENANT_ID": ""}, "PARAAF_GRAPH_TENANT_ID",
                 "Set PARAAF_GRAPH_TENANT_ID", "settings", id="tenant-missing"),
    pytest.param({"PARAAF_GRAPH_CLIENT_SECRET": ""}, "PARAAF_GRAPH_CLIENT_SECRET",
                 "Set PARAAF_GRAPH_CLIENT_SECRET", "settings", id="secret-missing"),
    pytest.param({"PARAAF_SITE_URL": SITE + "/Lists/Dossiers"}, "PARAAF_SITE_URL",
                 "https://gemeente.sharepoint.com/sites/paraaf", "settings",
                 id="site-url-malformed"),
    pytest.param({"PARAAF_PUBLIC_URL": "http://paraaf.gemeente.nl"}, "PARAAF_PUBLIC_URL",
                 "https://<the bot's host name>", "settings", id="public-url-not-https"),
    pytest.param({"PARAAF_APP_PASSWORD": ""}, "PARAAF_APP_PASSWORD",
                 "New client secret", "settings", id="bot-without-credential"),
    pytest.param({"PARAAF_GRAPH_CLIENT_ID": "paraaf"}, "PARAAF_GRAPH_CLIENT_ID",
                 "Application (client) ID", "settings", id="client-id-not-an-id"),
    pytest.param({"PARAAF_APP_TYPE": "singletenant"}, "PARAAF_APP_TENANT_ID",
                 "Directory (tenant) ID", "settings", id="single-tenant-without-tenant"),
    pytest.param({"PARAAF_GRAPH_AUTH": "certificate", "PARAAF_GRAPH_CERT_FILE": "/geen/paraaf.pem"},
                 "PARAAF_GRAPH_CERT_FILE", "private key", "settings", id="certificate-missing"),
    pytest.param({"PARAAF_SIGNING_TRUST_ROOTS": str(Path(__file__))},
                 "PARAAF_SIGNING_TRUST_ROOTS", "root certificates", "settings",
                 id="trust-roots-without-a-certificate"),
]


@pytest.mark.parametrize(("change", "setting", "fix", "check"), WRONG)
async def test_a_wrong_setting_is_named_with_its_fix(
        deployment: dict[str, Any], monkeypatch: pytest.MonkeyPatch, change: dict[str, str],
        setting: str, fix: str, check: str) -> None:
    closed = closed_port()
    for name, value in change.items():
        monkeypatch.setenv(name, value.format(closed=closed))
    doctor: Doctor = deployment["doctor"]

    code, report = await doctor.json()
    assert code == 1, doctor.out
    assert report["ok"] is False
    wrong = [c for c in report["checks"] if c["status"] == "wrong"]
    assert [c["check"] for c in wrong] == [check], wrong
    (found,) = wrong
    assert found["setting"] == setting
    assert setting in found["fix"] and fix in found["fix"], found
    assert found["message"]

    assert await doctor() == 1  # Dutch text: the setting on the line of its fix
    lines = doctor.out.splitlines()
    fix_line = next(line for line in lines if line.strip().startswith("oplossing:"))
    assert setting in fix_line, doctor.out
    assert "FOUT" in doctor.out and lines[-1] == "1 controle is fout."


async def test_the_fix_is_said_in_english_when_asked(deployment: dict[str, Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    monkeypatch.setenv("PARAAF_GRAPH_CLIENT_SECRET", "oud-geheim")
    doctor: Doctor = deployment["doctor"]
    assert await doctor() == 1
    assert ("fix: Make a new client secret (App registrations > paraaf > Certificates & "
            "secrets > New client secret) and set PARAAF_GRAPH_CLIENT_SECRET") in doctor.out
    assert doctor.out.splitlines()[-1] == "1 check is wrong."


async def test_missing_permissions_name_the_portal_step(deployment: dict[str, Any]) -> None:
    deployment["entra"].roles = ("Sites.Selected", "User.Read.All")
    code, report = await deployment["doctor"].json()
    assert code == 1
    permissions = _by_check(report)["permissions"]
    assert permissions["status"] == "wrong"
    assert permissions["params"]["missing"] == (
        "GroupMember.Read.All, TeamsAppInstallation.ReadWriteSelfForUser.All")
    assert "Grant admin consent" in permissions["fix"]


async def test_too_broad_permissions_are_wrong(deployment: dict[str, Any]) -> None:
    entra = deployment["entra"]
    entra.roles = (*entra.roles, "Sites.ReadWrite.All")
    code, report = await deployment["doctor"].json()
    assert code == 1
    assert _by_check(report)["permissions"]["code"] == "permissions_broad"


async def test_a_site_without_the_grant_says_how_to_grant_it(
        deployment: dict[str, Any]) -> None:
    deployment["graph"].faults.error(403, code="accessDenied", message="Access denied",
                                     method="GET", path="/sites/contoso.sharepoint.com*")
    code, report = await deployment["doctor"].json()
    assert code == 1
    checks = _by_check(report)
    site = checks["site"]
    assert (site["status"], site["code"]) == ("wrong", "site_forbidden")
    assert ("/v1.0/sites/contoso.sharepoint.com:/sites/paraaf:/permissions with" in site["fix"]
            and f'"id": "{CLIENT}"' in site["fix"] and '"fullcontrol"' in site["fix"])
    assert checks["grant"]["status"] == checks["lists"]["status"] == "skipped"


@pytest.mark.parametrize(("client", "role", "code"), [
    (CLIENT, "write", "grant_too_small"),  # a grant below fullcontrol
    (OTHER_GUID, "fullcontrol", "grant_none"),  # another app was granted
])
async def test_a_grant_that_is_not_fullcontrol_for_the_app_is_named(
        monkeypatch: pytest.MonkeyPatch, deployment: dict[str, Any], client: str, role: str,
        code: str) -> None:
    graph = deployment["graph"]
    graph.site.app_grants.clear()
    await grant_site(graph, client, role)
    code_, report = await deployment["doctor"].json()
    assert code_ == 1
    wrong = [c for c in report["checks"] if c["status"] == "wrong"]
    assert [(c["check"], c["code"]) for c in wrong] == [("grant", code)]
    fix = wrong[0]["fix"]
    assert '"roles": ["fullcontrol"]' in fix and f'"id": "{CLIENT}"' in fix
    site_id = deployment["graph"].site.id
    assert f"https://graph.microsoft.com/v1.0/sites/{site_id}/permissions with" in fix


async def test_a_grant_the_app_may_not_read_is_below_fullcontrol(
        deployment: dict[str, Any]) -> None:
    deployment["graph"].faults.error(403, code="accessDenied", message="Access denied",
                                     method="GET", path="/sites/*/permissions*")
    code, report = await deployment["doctor"].json()
    assert code == 1
    grant = _by_check(report)["grant"]
    assert (grant["status"], grant["code"]) == ("wrong", "grant_unreadable")
    assert _by_check(report)["lists"]["status"] == "ok"


async def test_a_list_or_index_that_is_missing_says_provision(
        deployment: dict[str, Any]) -> None:
    graph = deployment["graph"]
    graph.get_list("Meldingen").columns["NotBefore"].indexed = False  # an index dropped
    del graph.site.lists[graph.get_list("Vervangers").id]  # a list removed
    code, report = await deployment["doctor"].json()
    assert code == 1
    lists = _by_check(report)["lists"]
    assert lists["code"] == "lists_missing"
    assert lists["params"]["changes"] == "Meldingen.NotBefore, Vervangers"
    assert lists["fix"].startswith("Run: paraaf provision")


def test_the_clock_is_compared_with_graphs_date() -> None:
    from bot.cli.doctor import _clock

    date = "Thu, 03 Dec 2026 10:00:00 GMT"
    now = 1796292000.0  # that moment
    assert _clock(date, now).status == "ok"
    skewed = _clock(date, now + 600)
    assert (skewed.status, skewed.params["skew"]) == ("wrong", 600)
    assert "NTP" in skewed.fix(cli_strings("en"))
    assert _clock("", now).status == "skipped"
