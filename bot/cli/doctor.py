"""``paraaf doctor``: check a deployment and say, per check, what is wrong and the fix.

Exit codes: 0 every check holds (or could not apply), 1 something is wrong, 2 usage.

On the Microsoft 365 backend (``PARAAF_BACKEND=graph``) the checks are, in order:

==============  ================================================================================
``settings``    the PARAAF_* settings can be used (what ``paraaf serve`` refuses at start)
``login``       Entra ID answers for the tenant (``AZURE_AUTHORITY_HOST``, default
                login.microsoftonline.com; not with ``PARAAF_GRAPH_AUTH=none``)
``graph``       Microsoft Graph (or the configured test server) answers
``clock``       this machine's clock against Graph's ``Date`` header (tokens allow 5 minutes)
``token``       the app gets a token for Graph with its credential (client credentials)
``permissions`` the token's application permissions, tenant and app (least privilege)
``site``        the site of PARAAF_SITE_URL, read with the app's ``Sites.Selected`` grant
``grant``       that grant gives the app (PARAAF_GRAPH_CLIENT_ID) fullcontrol on the site
``lists``       the site's lists, columns and indexes against what ``paraaf provision`` makes
``bot``         the bot's endpoint answers ``/healthz`` (PARAAF_PUBLIC_URL; else the local
                port is free or the bot answers on it)
``bot_keys``    the Bot Framework's signing keys can be fetched (production mode only)
``validsign``   ValidSign answers and takes the API key (when PARAAF_VALIDSIGN_URL is set)
==============  ================================================================================

On the embedded backend: ``settings``, ``data`` (the data folder exists and is writable),
``database`` (SQLite reads it, ``PRAGMA quick_check``), ``audit`` (every dossier's hash chain
against the anchors, as ``paraaf audit verify``), ``bot``, ``bot_keys`` and ``validsign``.

``--json`` prints one object (the schema is stable; documented in the README)::

    {"schema": 1, "ok": false, "backend": "graph",
     "checks": [{"check": "token", "status": "wrong", "code": "token_secret",
                 "setting": "PARAAF_GRAPH_CLIENT_SECRET", "message": "...", "fix": "...",
                 "params": {...}}, ...]}

``status`` is ``ok``, ``wrong`` or ``skipped`` (a check that could not run because one before
it failed, or that does not apply); ``setting`` names the variable to change (empty when the
fix is a step outside paraaf); ``message`` and ``fix`` are English; ``code`` and ``params``
say the same for a program. Without ``--json`` the same is printed in PARAAF_LANGUAGE.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

    from bot.settings import Settings, SettingsError
    from cards.strings import CliStrings

EXIT_OK, EXIT_WRONG = 0, 1
SCHEMA = 1
TIMEOUT = 10.0  # seconds for one request of a check
MAX_SKEW = 300.0  # seconds: Entra ID and the Bot Framework allow five minutes
DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
# the application permissions paraaf needs on Microsoft Graph, and those it must not have
NEEDED_ROLES = ("Sites.Selected", "User.Read.All", "GroupMember.Read.All",
                "TeamsAppInstallation.ReadWriteSelfForUser.All")
TOO_BROAD = ("Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All",
             "Sites.FullControl.All", "Files.ReadWrite.All", "Directory.Read.All",
             "Directory.ReadWrite.All", "Group.ReadWrite.All")
# Entra ID's error codes (AADSTS...) in a refused token request, and what they are about
TOKEN_ERRORS = (
    ("AADSTS7000215", "token_secret"),  # invalid client secret
    ("AADSTS7000222", "token_secret"),  # the secret expired
    ("AADSTS700016", "token_client"),  # no such application in the tenant
    ("AADSTS90002", "token_tenant"),  # no such tenant
    ("AADSTS900023", "token_tenant"),  # not a tenant id
    ("AADSTS700027", "token_certificate"),  # the certificate is not the app's
    ("AADSTS700024", "clock_token"),  # the assertion is not within its valid time range
)
SETTING_OF = {"token_secret": "PARAAF_GRAPH_CLIENT_SECRET",
              "token_client": "PARAAF_GRAPH_CLIENT_ID",
              "token_tenant": "PARAAF_GRAPH_TENANT_ID",
              "token_certificate": "PARAAF_GRAPH_CERT_FILE",
              "token_managed_identity": "PARAAF_GRAPH_AUTH",
              "login_no_tenant": "PARAAF_GRAPH_TENANT_ID",
              "permissions_other_tenant": "PARAAF_GRAPH_TENANT_ID",
              "permissions_other_app": "PARAAF_GRAPH_CLIENT_ID",
              "site_missing": "PARAAF_SITE_URL",
              "bot_not_answering": "PARAAF_PUBLIC_URL",
              "bot_port_taken": "PARAAF_PORT",
              "bot_keys_unreachable": "PARAAF_BOT_OPENID_METADATA_URL",
              "data_missing": "PARAAF_DATA", "data_readonly": "PARAAF_DATA",
              "validsign_key": "PARAAF_VALIDSIGN_API_KEY",
              "validsign_unreachable": "PARAAF_VALIDSIGN_URL"}
OK, WRONG, SKIPPED = "ok", "wrong", "skipped"

# The credential the app proves itself with: azure-identity's for the settings (a test puts
# a stand-in for Entra ID here, as tests/entra_kit.py does for the sign-in).
app_credential: Callable[[Settings], Any] | None = None


@dataclass
class Finding:
    """The outcome of one check."""

    check: str
    status: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    setting: str = ""
    error: SettingsError | None = None  # the settings check: the refusal, in its own words

    def message(self, t: CliStrings) -> str:
        if self.error is not None:
            return self.error.text(_lang(t))
        return t.doctor_words[self.code].format_map(_Params(self.params))

    def fix(self, t: CliStrings) -> str:
        if self.error is not None:
            return self.error.fix(_lang(t))
        template = t.doctor_words.get(self.code + ".fix", "")
        return template.format_map(_Params(self.params)) if template else ""

    def to_json(self, english: CliStrings) -> dict[str, Any]:
        return {"check": self.check, "status": self.status, "code": self.code,
                "setting": self.setting, "message": self.message(english),
                "fix": self.fix(english) if self.status == WRONG else "",
                "params": dict(self.params)}


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _lang(t: CliStrings) -> str:
    from cards.strings import CLI_LANGUAGES

    return "en" if t is CLI_LANGUAGES["en"] else "nl"


def ok(check: str, code: str, **params: Any) -> Finding:
    return Finding(check, OK, code, params)


def wrong(check: str, code: str, setting: str = "", **params: Any) -> Finding:
    return Finding(check, WRONG, code, params, setting or SETTING_OF.get(code, ""))


def skipped(check: str, after: str) -> Finding:
    return Finding(check, SKIPPED, "skipped_" + after)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser, t: CliStrings) -> None:
    sub.add_parser("doctor", parents=[common], help=t.doctor_words["help"],
                   description=t.doctor_words["description"])


async def run(args: argparse.Namespace) -> int:
    """Run the checks of the configured backend and report them."""
    from bot.settings import Settings, SettingsError

    findings: list[Finding] = []
    try:
        settings = Settings.from_env(data_dir=getattr(args, "data", None))
    except SettingsError as exc:
        findings.append(Finding("settings", WRONG, "settings_wrong",
                                {"code": exc.code, **exc.params},
                                exc.setting, exc))
        backend = None
    else:
        findings.append(ok("settings", "settings_ok", backend=settings.backend,
                           mode=settings.mode))
        backend = settings.backend
        checks = _graph_checks if settings.backend == "graph" else _local_checks
        findings += await checks(settings)
        findings += await _bot_checks(settings)
        if settings.validsign_url:
            findings.append(await _validsign(settings))
    return _report(args, backend, findings)


def _report(args: argparse.Namespace, backend: str | None, findings: list[Finding]) -> int:
    from bot.cli.constants import cli_texts

    failed = any(f.status == WRONG for f in findings)
    if getattr(args, "json", False):
        from approvals.text import escape_json  # messages quote what servers answered

        english = cli_texts("en")
        print(escape_json(json.dumps({"schema": SCHEMA, "ok": not failed, "backend": backend,
                                      "checks": [f.to_json(english) for f in findings]},
                                     ensure_ascii=False, indent=2)))
        return EXIT_WRONG if failed else EXIT_OK
    from approvals.text import neutralize_lines

    t = cli_texts()
    words = t.doctor_words
    print(words["title." + (backend or "unknown")])
    for f in findings:
        mark = words["status." + f.status]
        line = f"  {mark:<6} {words['check.' + f.check]}: {f.message(t)}"
        print(neutralize_lines(line))
        if f.status == WRONG:
            fix = f.fix(t)
            if fix:
                print(neutralize_lines(f"         {words['fix']}: {fix}"))
    count = sum(f.status == WRONG for f in findings)
    from cards.strings import plural

    print(plural((words["summary.one"], words["summary.other"]), count) if failed
          else words["summary.ok"])
    return EXIT_WRONG if failed else EXIT_OK


# --- HTTP ---------------------------------------------------------------------------------------


def _client() -> httpx.AsyncClient:
    import httpx

    return httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)


def _why(error: BaseException) -> str:
    """A network error in a few words (its type, and its text when it has one)."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


# --- Microsoft 365 ------------------------------------------------------------------------------


async def _graph_checks(settings: Settings) -> list[Finding]:
    import httpx

    from bot.wiring import graph_target

    endpoint, scope = graph_target(settings)
    findings: list[Finding] = []
    async with _client() as http:
        if settings.graph_auth == "none":
            findings.append(skipped("login", "test_server"))
        else:
            findings.append(await _login(http, settings))
        try:
            answer = await http.get(endpoint + "/")
        except httpx.HTTPError as error:
            setting = "PARAAF_GRAPH_BASE_URL" if settings.graph_base_url else ""
            code = "graph_test_server" if settings.graph_base_url else "graph_unreachable"
            findings.append(wrong("graph", code, setting, url=endpoint, host=_host(endpoint),
                                  error=_why(error)))
            findings += [skipped(c, "graph") for c in ("clock", "token", "permissions",
                                                       "site", "grant", "lists")]
            return findings
    findings.append(ok("graph", "graph_ok", url=endpoint, status=answer.status_code))
    findings.append(_clock(answer.headers.get("date", "")))
    if findings[0].status == WRONG:  # no token without Entra ID: say the cause once
        return findings + [skipped(c, "login") for c in ("token", "permissions", "site",
                                                         "grant", "lists")]
    token, finding = await _token(settings, scope)
    findings.append(finding)
    if token is None:
        return findings + [skipped(c, "token") for c in ("permissions", "site", "grant",
                                                         "lists")]
    findings.append(_permissions(settings, token))
    return findings + await _site(settings)


async def _login(http: httpx.AsyncClient, settings: Settings) -> Finding:
    """Entra ID's OpenID configuration for the tenant: reachable, and the tenant exists."""
    import os

    import httpx

    authority = (os.environ.get("AZURE_AUTHORITY_HOST", "").strip().rstrip("/")
                 or DEFAULT_AUTHORITY)
    if "://" not in authority:
        authority = "https://" + authority
    tenant = settings.graph_tenant_id or "organizations"
    url = f"{authority}/{tenant}/v2.0/.well-known/openid-configuration"
    try:
        answer = await http.get(url)
    except httpx.HTTPError as error:
        return wrong("login", "login_unreachable", host=_host(authority), error=_why(error))
    if answer.status_code == 200:
        return ok("login", "login_ok", host=_host(authority), tenant=tenant)
    if answer.status_code in (400, 404):
        return wrong("login", "login_no_tenant", tenant=tenant, host=_host(authority))
    return wrong("login", "login_answer", host=_host(authority), status=answer.status_code)


def _clock(date: str, now: float | None = None) -> Finding:
    """This machine's clock against the ``Date`` an answer carried."""
    try:
        theirs = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError, IndexError):
        return skipped("clock", "no_date")
    skew = round((time.time() if now is None else now) - theirs)
    if abs(skew) > MAX_SKEW:
        return wrong("clock", "clock_skewed", skew=skew)
    return ok("clock", "clock_ok", skew=skew)


def _credential(settings: Settings) -> Any:
    from bot.wiring import graph_credential

    return (app_credential or graph_credential)(settings)


async def _token(settings: Settings, scope: str) -> tuple[str | None, Finding]:
    """A token for Graph with the app's credential (client credentials, or the managed
    identity); the finding says which setting a refusal points at."""
    from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError

    from bot.settings import SettingsError

    auth = settings.graph_auth
    try:
        credential = _credential(settings)
    except (SettingsError, ValueError, OSError) as error:  # e.g. a certificate file it cannot read
        code = "token_certificate" if auth == "certificate" else "token_refused"
        return None, wrong("token", code, _auth_setting(auth), auth=auth,
                           error=str(error)[:300], tenant=settings.graph_tenant_id)
    try:
        token = await credential.get_token(scope)
    except ServiceRequestError as error:
        return None, wrong("token", "token_unreachable", error=_why(error))
    except ClientAuthenticationError as error:
        text = str(getattr(error, "message", "") or error)
        code = next((c for marker, c in TOKEN_ERRORS if marker in text), "")
        if not code:
            code = ("token_managed_identity" if auth == "managed-identity" else "token_refused")
        return None, wrong("token", code, _auth_setting(auth) if code == "token_refused" else "",
                           auth=auth, error=text[:300], tenant=settings.graph_tenant_id,
                           client=settings.graph_client_id)
    finally:
        close = getattr(credential, "close", None)
        if close is not None:
            await close()
    return str(token.token), ok("token", "token_ok", auth=auth)


def _auth_setting(auth: str) -> str:
    return {"secret": "PARAAF_GRAPH_CLIENT_SECRET", "certificate": "PARAAF_GRAPH_CERT_FILE"
            }.get(auth, "PARAAF_GRAPH_AUTH")


def _claims(token: str) -> dict[str, Any]:
    """The claims of an access token, read without checking its signature (Graph checks it;
    here they only say which tenant, app and permissions the token carries)."""
    try:
        part = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _permissions(settings: Settings, token: str) -> Finding:
    if settings.graph_auth == "none":
        return skipped("permissions", "test_server")
    claims = _claims(token)
    tid = str(claims.get("tid", ""))
    tenant = settings.graph_tenant_id
    if tid and tenant and _is_guid(tenant) and tid.lower() != tenant.lower():
        return wrong("permissions", "permissions_other_tenant", tid=tid, tenant=tenant)
    app = str(claims.get("appid") or claims.get("azp") or "")
    client = settings.graph_client_id
    if app and client and app.lower() != client.lower():
        return wrong("permissions", "permissions_other_app", app=app, client=client)
    roles = [str(r) for r in claims.get("roles") or []]
    missing = [r for r in NEEDED_ROLES if r not in roles]
    if missing:
        return wrong("permissions", "permissions_missing", missing=", ".join(missing))
    broad = [r for r in TOO_BROAD if r in roles]
    if broad:
        return wrong("permissions", "permissions_broad", extra=", ".join(broad))
    return ok("permissions", "permissions_ok", roles=", ".join(NEEDED_ROLES))


def _is_guid(value: str) -> bool:
    from bot.settings import GUID

    return GUID.fullmatch(value) is not None


async def _site(settings: Settings) -> list[Finding]:
    """The site, the app's ``Sites.Selected`` grant on it, and its lists as ``paraaf provision
    --dry-run`` compares them; nothing is written."""
    from bot.wiring import ListsNotChanged, NoGraphToken, SiteUnreachable, inspect_site

    url = settings.site_url
    client = settings.graph_client_id or "<client id>"
    after_site = [skipped("grant", "site"), skipped("lists", "site")]
    try:
        site, outcome, grant = await inspect_site(settings, url,
                                                  credential=_credential(settings))
    except SiteUnreachable as failed:
        status = getattr(failed.error, "status", 0)
        if status == 404:
            found = wrong("site", "site_missing", url=url)
        elif status in (401, 403):
            found = wrong("site", "site_forbidden", url=url, status=status, client=client,
                          site=_site_path(url))
        else:
            found = wrong("site", "site_refused", url=url, status=status,
                          error=str(failed.error)[:300])
        return [found, *after_site]
    except NoGraphToken as failed:
        return [wrong("site", "site_refused", url=url, status=0, error=failed.message[:300]),
                *after_site]
    except ListsNotChanged as failed:
        status = getattr(failed.error, "status", 0)
        return [ok("site", "site_ok", url=url, id=""), skipped("grant", "lists"),
                wrong("lists", "lists_unreadable", url=url, status=status,
                      error=str(failed.error)[:300])]
    result = [ok("site", "site_ok", url=site.web_url, id=site.id),
              _grant(settings, grant, client, site.id or _site_path(url))]
    if outcome.problems:
        first = outcome.problems[0]
        where = f"{first.list}.{first.column}" if first.column else first.list
        result.append(wrong("lists", "lists_problem", where=where, problem=first.message,
                            count=len(outcome.problems)))
    elif outcome.changes:
        names = sorted({f"{c.list}.{c.column}" if c.column else c.list
                        for c in outcome.changes})
        result.append(wrong("lists", "lists_missing", count=len(outcome.changes),
                            changes=", ".join(names[:12]) + (", ..." if len(names) > 12
                                                              else "")))
    else:
        result.append(ok("lists", "lists_ok"))
    return result


FULL_CONTROL = ("fullcontrol", "owner")  # Graph shows a fullcontrol grant as either


def _grant(settings: Settings, grant: Any, client: str, site: str) -> Finding:
    """The app's grant on the site: fullcontrol, as docs/microsoft-365.md step 3 gives it
    (paraaf creates lists, columns and indexes, and shares a dossier's folder)."""
    if grant.roles is not None:
        roles = ", ".join(grant.roles) or "-"
        if any(r in FULL_CONTROL for r in grant.roles):
            return ok("grant", "grant_ok", roles=roles)
        return wrong("grant", "grant_too_small", roles=roles, client=client, site=site)
    if grant.status in (401, 403):
        return wrong("grant", "grant_unreadable", status=grant.status, client=client, site=site)
    if grant.status != 200:
        return skipped("grant", "grant_unlisted")
    if not settings.graph_client_id:
        return skipped("grant", "no_client")
    return wrong("grant", "grant_none", client=client, site=site)


def _site_path(url: str) -> str:
    """``host:/sites/name:`` as Graph addresses a site by its path (``/sites/host:/sites/name:
    /permissions``)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return f"{parts.hostname}:{path}:" if path else str(parts.hostname)


# --- the embedded backend -----------------------------------------------------------------------


async def _local_checks(settings: Settings) -> list[Finding]:
    import os

    folder = settings.data_dir
    rest = ("database", "audit")
    if not settings.database.exists() or not settings.directory_file.exists():
        return [wrong("data", "data_missing", folder=str(folder)),
                *(skipped(c, "data") for c in rest)]
    if not os.access(folder, os.W_OK) or not os.access(settings.database, os.W_OK):
        found = wrong("data", "data_readonly", folder=str(folder))
    else:
        found = ok("data", "data_ok", folder=str(folder))
    database = _quick_check(settings)
    if database.status != OK:
        return [found, database, skipped("audit", "database")]
    return [found, database, await _audit(settings)]


def _quick_check(settings: Settings) -> Finding:
    import sqlite3

    file = settings.database
    try:
        db = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            rows = [str(r[0]) for r in db.execute("PRAGMA quick_check").fetchall()]
        finally:
            db.close()
    except sqlite3.Error as error:
        return wrong("database", "database_broken", file=str(file), error=str(error)[:300])
    if rows != ["ok"]:
        return wrong("database", "database_broken", file=str(file), error="; ".join(rows[:3]))
    return ok("database", "database_ok", file=str(file))


async def _audit(settings: Settings) -> Finding:
    from bot.cli.audit import verify
    from bot.wiring import build

    wiring = build(settings)
    try:
        result = await verify(wiring)
    finally:
        await wiring.close()
    if result.ok:
        return ok("audit", "audit_ok", dossiers=result.dossiers, events=result.events,
                  anchors=len(result.ledger.anchors))
    first = result.breaks[0].dossier_id if result.breaks else "anchors"
    return wrong("audit", "audit_broken", count=len(result.breaks) + (
        result.ledger.problem is not None), first=first)


# --- the bot ------------------------------------------------------------------------------------


async def _bot_checks(settings: Settings) -> list[Finding]:
    async with _client() as http:
        found = [await _bot(http, settings)]
        if settings.mode == "production":
            found.append(await _bot_keys(http, settings))
        else:
            found.append(skipped("bot_keys", "local_mode"))
    return found


async def _bot(http: httpx.AsyncClient, settings: Settings) -> Finding:
    """The public endpoint answers /healthz; without one, the local port is free for
    ``paraaf serve`` or paraaf answers on it."""
    import httpx

    if settings.public_url:
        url = settings.public_url + "/healthz"
        try:
            answer = await http.get(url)
        except httpx.HTTPError as error:
            return wrong("bot", "bot_not_answering", url=url, error=_why(error))
        if answer.status_code == 200 and _healthy(answer):
            return ok("bot", "bot_ok", url=url)
        return wrong("bot", "bot_not_answering", url=url, error=f"HTTP {answer.status_code}")
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    if not await _listening(host, settings.port):
        return ok("bot", "bot_port_free", host=host, port=settings.port)
    url = f"http://{host}:{settings.port}/healthz"
    try:
        answer = await http.get(url)
        if answer.status_code == 200 and _healthy(answer):
            return ok("bot", "bot_local_ok", url=url)
    except httpx.HTTPError:
        pass
    return wrong("bot", "bot_port_taken", host=host, port=settings.port)


def _healthy(answer: httpx.Response) -> bool:
    try:
        body = answer.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("status") == "ok"


async def _listening(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), TIMEOUT)
    except (TimeoutError, OSError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def _bot_keys(http: httpx.AsyncClient, settings: Settings) -> Finding:
    import httpx

    from bot.settings import BOT_OPENID_METADATA_URL

    url = settings.bot_openid_metadata_url
    setting = "" if url == BOT_OPENID_METADATA_URL else "PARAAF_BOT_OPENID_METADATA_URL"
    try:
        answer = await http.get(url)
        keys = answer.json().get("jwks_uri") if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError) as error:
        return wrong("bot_keys", "bot_keys_unreachable", setting, url=url, host=_host(url),
                     error=_why(error), default=BOT_OPENID_METADATA_URL)
    if not keys:
        return wrong("bot_keys", "bot_keys_unreachable", setting, url=url, host=_host(url),
                     error=f"HTTP {answer.status_code}", default=BOT_OPENID_METADATA_URL)
    return ok("bot_keys", "bot_keys_ok", url=url)


# --- ValidSign ----------------------------------------------------------------------------------


async def _validsign(settings: Settings) -> Finding:
    """ValidSign answers, and takes the API key (a list of one package: nothing changes)."""
    import httpx

    url = settings.validsign_url
    try:
        async with _client() as http:
            answer = await http.get(f"{url}/api/packages", params={"from": 1, "to": 1},
                                    headers={"Authorization":
                                             f"Basic {settings.validsign_api_key}"})
    except httpx.HTTPError as error:
        return wrong("validsign", "validsign_unreachable", url=url, host=_host(url),
                     error=_why(error))
    if answer.status_code in (401, 403):
        return wrong("validsign", "validsign_key", url=url, status=answer.status_code)
    if answer.status_code != 200:
        return wrong("validsign", "validsign_unreachable", url=url, host=_host(url),
                     error=f"HTTP {answer.status_code}")
    return ok("validsign", "validsign_ok", url=url)
