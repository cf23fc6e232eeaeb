"""Settings: every ``PARAAF_*`` environment variable, read once into one typed object."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MODES = ("local", "production")
BACKENDS = ("local", "graph")
GRAPH_AUTH = ("secret", "certificate", "managed-identity", "none")
# The SDK the bot runs on: botbuilder (end of support since 2025-12-31) or its successor,
# the Microsoft 365 Agents SDK; the first is the default (see the README).
BOT_SDKS = ("botbuilder", "agents")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Where the Bot Framework publishes the keys that sign its tokens to the bot.
BOT_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
# Entra ID: the keys of every tenant (the tab's SSO tokens) and where tokens are issued
TAB_OPENID_METADATA_URL = ("https://login.microsoftonline.com/common/v2.0/"
                           ".well-known/openid-configuration")
TAB_AUTHORITY = "https://login.microsoftonline.com"


class SettingsError(ValueError):
    """A setting with a value that cannot be used; the message names the variable.

    Raised with a ``code`` and its parameters (``SettingsError(code="whole_number",
    name="PARAAF_PORT", value="'x'")``), the message is the English template of that code
    (cards.strings.en ``settings_words``) and :meth:`text` says it in another language; raised
    with a plain message, that message is shown as it is (it is already in the reader's
    language, or comes from a library).
    """

    def __init__(self, message: str = "", *, code: str = "", **params: str | int) -> None:
        self.code = code
        self.params = params
        if code:
            message = self._fill("en")
        super().__init__(message)

    def _fill(self, lang: str) -> str:
        from cards.strings import cli_strings  # imported here: keeps `paraaf --help` fast

        words = cli_strings(lang)
        params = dict(self.params)
        if self.code == "site_url":  # graph.site's reason, in the reader's words
            from graph.site import InvalidSiteUrl

            reason = params.get("reason")
            if reason in InvalidSiteUrl.REASONS:
                params["detail"] = words.p_site_urls[InvalidSiteUrl.REASONS.index(
                    str(reason))].format(text=params.get("text", ""))
        return words.settings_words[self.code].format_map(_Missing(params))

    def text(self, lang: str) -> str:
        """The message in ``lang`` ('nl' or 'en')."""
        return self._fill(lang) if self.code else str(self)

    @property
    def setting(self) -> str:
        """The variable to change (``PARAAF_PORT``); empty for a plain message."""
        if "name" in self.params:
            return str(self.params["name"])
        if self.code == "graph_missing":
            return str(self.params.get("missing", "")).split(",")[0].strip()
        return CODE_SETTINGS.get(self.code, "")

    def fix(self, lang: str) -> str:
        """What to do about it in ``lang``: the setting and its value, or the step to take
        (cards.strings ``settings_fixes``); empty for a plain message."""
        from cards.strings import cli_strings

        fixes = cli_strings(lang).settings_fixes
        if self.code not in fixes:
            return ""
        return fixes[self.code].format_map(_Missing({**self.params, "setting": self.setting}))

    def advice(self, lang: str) -> str:
        """The message and, on a line of its own, the fix: what the command line prints when
        it refuses to start."""
        from cards.strings import cli_strings

        fix = self.fix(lang)
        label = cli_strings(lang).doctor_words["fix"]
        return f"{self.text(lang)}\n  {label}: {fix}" if fix else self.text(lang)


# the variable each code is about, where its parameters do not name it
CODE_SETTINGS = {
    "timezone": "PARAAF_TIMEZONE", "local_tenant": "PARAAF_MODE",
    "production_app": "PARAAF_APP_ID", "site_url": "PARAAF_SITE_URL",
    "graph_base_url": "PARAAF_GRAPH_BASE_URL", "cert_file": "PARAAF_GRAPH_CERT_FILE",
    "graph_auth_none": "PARAAF_GRAPH_AUTH", "host_loopback": "PARAAF_HOST",
    "public_url": "PARAAF_PUBLIC_URL", "app_credential": "PARAAF_APP_PASSWORD",
    "app_tenant": "PARAAF_APP_TENANT_ID", "app_cert_pair": "PARAAF_APP_CERT_KEY_FILE",
    "validsign_url": "PARAAF_VALIDSIGN_URL",
}


class _Missing(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def language_of(env: Mapping[str, str] | None = None) -> str:
    """'en' when PARAAF_LANGUAGE asks for English, else 'nl': read on its own, so that an
    error in another setting is still said in the language asked for."""
    env = os.environ if env is None else env
    return "en" if env.get("PARAAF_LANGUAGE", "").strip().lower() == "en" else "nl"


def default_data_dir() -> Path:
    """The user's data directory for paraaf (e.g. ~/.local/share/paraaf)."""
    from platformdirs import user_data_dir  # imported here: keeps `paraaf --help` fast

    return Path(user_data_dir("paraaf", appauthor=False))


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(code="whole_number", name=name, value=repr(raw)) from None
    if not low <= value <= high:
        raise SettingsError(code="out_of_range", name=name, low=low, high=high, value=value)
    return value


def _signing(env: Mapping[str, str]) -> dict[str, str]:
    """PARAAF_SIGNING, its PKCS#12, trusted roots and timestamp authority, PARAAF_RENDERER.
    A PKCS#12 needs a timestamp authority, and the files named must exist."""
    found = {
        "signing": _choice(env, "PARAAF_SIGNING", "pades", ("pades", "off")),
        "signing_pkcs12": env.get("PARAAF_SIGNING_PKCS12", "").strip(),
        "signing_pkcs12_password": env.get("PARAAF_SIGNING_PKCS12_PASSWORD", ""),
        "signing_trust_roots": env.get("PARAAF_SIGNING_TRUST_ROOTS", "").strip(),
        "tsa_url": env.get("PARAAF_TSA_URL", "").strip(),
        "renderer": _choice(env, "PARAAF_RENDERER", "auto", ("auto", "libreoffice", "text")),
    }
    for name, key in (("PARAAF_SIGNING_PKCS12", "signing_pkcs12"),
                      ("PARAAF_SIGNING_TRUST_ROOTS", "signing_trust_roots")):
        if found[key] and not Path(found[key]).expanduser().is_file():
            raise SettingsError(code="signing_file", name=name, file=found[key])
    if found["signing_trust_roots"] and not _holds_certificates(found["signing_trust_roots"]):
        raise SettingsError(code="signing_roots", name="PARAAF_SIGNING_TRUST_ROOTS",
                            file=found["signing_trust_roots"])
    if found["tsa_url"] and not found["tsa_url"].startswith(("https://", "http://")):
        raise SettingsError(code="signing_tsa_url", value=repr(found["tsa_url"]))
    if found["signing_pkcs12"] and not found["tsa_url"]:
        raise SettingsError(code="signing_missing", missing="PARAAF_TSA_URL")
    found.update(_validsign(env))
    return found


def _holds_certificates(path: str) -> bool:
    """Whether the file is PEM with at least one certificate that can be read."""
    from cryptography import x509  # imported here: only when the setting is there

    try:
        return bool(x509.load_pem_x509_certificates(Path(path).expanduser().read_bytes()))
    except (OSError, ValueError):
        return False


def _validsign(env: Mapping[str, str]) -> dict[str, str]:
    """PARAAF_SIGNING_PROVIDER (embedded or validsign) and, for ValidSign, its address (https,
    or http on a loopback test server), API key and callback key: all three are needed when
    it is the tenant's provider or its address is set (for the flows that name it)."""
    from urllib.parse import urlsplit

    found = {
        "signing_provider": _choice(env, "PARAAF_SIGNING_PROVIDER", "embedded",
                                    ("embedded", "validsign")),
        "validsign_url": env.get("PARAAF_VALIDSIGN_URL", "").strip().rstrip("/"),
        "validsign_api_key": env.get("PARAAF_VALIDSIGN_API_KEY", "").strip(),
        "validsign_callback_key": env.get("PARAAF_VALIDSIGN_CALLBACK_KEY", "").strip(),
        "validsign_anchor": env.get("PARAAF_VALIDSIGN_ANCHOR", "").strip() or "{{handtekening}}",
    }
    if found["signing_provider"] != "validsign" and not found["validsign_url"]:
        return found  # ValidSign is not set up (a flow that names it is refused when it signs)
    missing = [name for name, key in (("PARAAF_VALIDSIGN_URL", "validsign_url"),
                                      ("PARAAF_VALIDSIGN_API_KEY", "validsign_api_key"),
                                      ("PARAAF_VALIDSIGN_CALLBACK_KEY", "validsign_callback_key"))
               if not found[key]]
    if missing:
        raise SettingsError(code="validsign_missing", missing=", ".join(missing))
    try:
        parts = urlsplit(found["validsign_url"])
        host, scheme = parts.hostname or "", parts.scheme
    except ValueError:
        host, scheme = "", ""
    if not host or not (scheme == "https" or (scheme == "http" and host in LOOPBACK)):
        raise SettingsError(code="validsign_url", value=repr(found["validsign_url"]))
    return found


ZGW_API = {"PARAAF_ZGW_BESLUITEN_URL": "zgw_besluiten_url",
           "PARAAF_ZGW_DOCUMENTEN_URL": "zgw_documenten_url",
           "PARAAF_ZGW_CLIENT_ID": "zgw_client_id", "PARAAF_ZGW_SECRET": "zgw_secret"}
ZGW_ORGANISATION = {"PARAAF_ZGW_RSIN": "zgw_rsin", "PARAAF_ZGW_BESLUITTYPE": "zgw_besluittype",
                    "PARAAF_ZGW_INFORMATIEOBJECTTYPE": "zgw_informatieobjecttype"}


def _zgw(env: Mapping[str, str]) -> dict[str, str]:
    """The ZGW decision register (docs/zgw-register.md): the organisation (RSIN and the
    catalogue's types) for the export file, and with the API's addresses and credentials the
    registration after each decision. Half a configuration is refused, naming what is left."""
    from approvals.zgw import elfproef

    found = {key: env.get(name, "").strip() for name, key in (ZGW_API | ZGW_ORGANISATION).items()}
    api = [name for name, key in ZGW_API.items() if found[key]]
    organisation = [name for name, key in ZGW_ORGANISATION.items() if found[key]]
    wanted = (list(ZGW_API) if api else []) + (list(ZGW_ORGANISATION)
                                                if api or organisation else [])
    missing = [name for name in wanted if not found[(ZGW_API | ZGW_ORGANISATION)[name]]]
    if missing:
        raise SettingsError(code="zgw_missing", missing=", ".join(missing))
    if found["zgw_rsin"] and not elfproef(found["zgw_rsin"]):
        raise SettingsError(code="zgw_rsin", value=repr(found["zgw_rsin"]))
    for name in ("PARAAF_ZGW_BESLUITEN_URL", "PARAAF_ZGW_DOCUMENTEN_URL",
                 "PARAAF_ZGW_BESLUITTYPE", "PARAAF_ZGW_INFORMATIEOBJECTTYPE"):
        value = found[(ZGW_API | ZGW_ORGANISATION)[name]]
        if value and not value.startswith(("https://", "http://")):
            raise SettingsError(code="zgw_url", name=name, value=repr(value[:80]))
    return found


def _choice(env: Mapping[str, str], name: str, default: str, options: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or default
    if value not in options:
        raise SettingsError(code="one_of", name=name, options=", ".join(options),
                            value=repr(value))
    return value


def _timezone(env: Mapping[str, str]) -> str:
    """PARAAF_TIMEZONE: an IANA time zone name (default Europe/Amsterdam)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zone = env.get("PARAAF_TIMEZONE", "").strip() or "Europe/Amsterdam"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        if zone != "Europe/Amsterdam":  # that one has a built-in fallback
            raise SettingsError(code="timezone", value=repr(zone[:60])) from None
    return zone


def _check_production(settings: Settings) -> Settings:
    if settings.backend == "graph":
        check_graph(settings)
        if settings.mode == "local" and not settings.graph_base_url:
            raise SettingsError(code="local_tenant")
    if settings.mode == "production":
        _check_bot_app(settings)
    return settings


def _check_bot_app(settings: Settings) -> None:
    """The bot's app registration in production: an id, and a way to prove it (a password,
    a certificate, or a user-assigned managed identity), with the tenant where one is named."""
    if not settings.app_id:
        raise SettingsError(code="production_app")
    if bool(settings.app_cert_thumbprint) != bool(settings.app_cert_key_file):
        have, need = (("PARAAF_APP_CERT_THUMBPRINT", "PARAAF_APP_CERT_KEY_FILE")
                      if settings.app_cert_thumbprint else
                      ("PARAAF_APP_CERT_KEY_FILE", "PARAAF_APP_CERT_THUMBPRINT"))
        raise SettingsError(code="app_cert_pair", have=have, need=need)
    if settings.app_type != "userassignedmsi" and not (
            settings.app_password or settings.app_cert_thumbprint):
        raise SettingsError(code="app_credential")
    if settings.app_type in ("singletenant", "userassignedmsi") and not settings.app_tenant_id:
        raise SettingsError(code="app_tenant", type=settings.app_type)


GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DOMAIN = re.compile(r"(?=.{4,253}$)([a-zA-Z0-9-]{1,63}\.)+[a-zA-Z]{2,63}")


def _guid(env: Mapping[str, str], name: str, *, domain: bool = False) -> str:
    """An Entra id (a GUID; for a tenant also its domain name, contoso.onmicrosoft.com), or
    empty."""
    value = env.get(name, "").strip()
    if not value or GUID.fullmatch(value):
        return value
    if not domain:
        raise SettingsError(code="guid", name=name, value=repr(value[:60]))
    if not DOMAIN.fullmatch(value):
        raise SettingsError(code="tenant_id", name=name, value=repr(value[:60]))
    return value


def _public_url(env: Mapping[str, str]) -> str:
    """PARAAF_PUBLIC_URL: the bot's https address as Teams reaches it (http on loopback)."""
    from urllib.parse import urlsplit

    url = env.get("PARAAF_PUBLIC_URL", "").strip().rstrip("/")
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host, scheme = parts.hostname or "", parts.scheme
        extra = bool(parts.query or parts.fragment or parts.username or parts.password)
    except ValueError:
        host, scheme, extra = "", "", True
    if (not host or extra or " " in url
            or not (scheme == "https" or (scheme == "http" and host in LOOPBACK))):
        raise SettingsError(code="public_url", value=repr(url[:80]))
    return url


def _site_url(env: Mapping[str, str]) -> str:
    url = env.get("PARAAF_SITE_URL", "").strip().rstrip("/")
    if url:
        from graph.site import InvalidSiteUrl, parse_site_url  # standard library only

        try:
            parse_site_url(url)
        except InvalidSiteUrl as exc:
            raise SettingsError(code="site_url", detail=str(exc), reason=exc.reason,
                                text=exc.text) from None
    return url


def _graph_base_url(env: Mapping[str, str]) -> str:
    """The loopback address of a local Graph test server, or empty for Microsoft Graph."""
    from urllib.parse import urlsplit

    url = env.get("PARAAF_GRAPH_BASE_URL", "").strip().rstrip("/")
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        host, parts = "", None
    if parts is None or parts.scheme not in ("http", "https") or host not in LOOPBACK:
        raise SettingsError(code="graph_base_url", value=repr(url))
    return url


def _openid_url(env: Mapping[str, str], name: str = "PARAAF_BOT_OPENID_METADATA_URL",
                default: str = BOT_OPENID_METADATA_URL) -> str:
    """An OpenID metadata (or token endpoint) address: https, or http on a loopback test
    server (the Bot Framework's by default)."""
    from urllib.parse import urlsplit

    url = env.get(name, "").strip().rstrip("/") or default
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        scheme = parts.scheme
    except ValueError:
        host, scheme = "", ""
    if not host or not (scheme == "https" or (scheme == "http" and host in LOOPBACK)):
        raise SettingsError(code="https_url", name=name, value=repr(url), default=default)
    return url


def _otlp_endpoint(env: Mapping[str, str]) -> str:
    """PARAAF_OTLP_ENDPOINT, else the standard OTEL_EXPORTER_OTLP_ENDPOINT: the base address
    of an OTLP/HTTP collector (``/v1/traces`` and ``/v1/metrics`` are added), or empty."""
    from urllib.parse import urlsplit

    for name in ("PARAAF_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        url = env.get(name, "").strip().rstrip("/")
        if not url:
            continue
        try:
            parts = urlsplit(url)
            ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            ok = False
        if not ok:
            raise SettingsError(code="otlp_endpoint", name=name, value=repr(url))
        return url
    return ""


def check_graph(settings: Settings, *, need_site: bool = True) -> None:
    """SettingsError naming what the Microsoft 365 backend still needs."""
    missing = []
    if need_site and not settings.site_url:
        missing.append("PARAAF_SITE_URL")
    # people carry the tenant id, and chats are opened per tenant
    if settings.graph_auth != "none" and not settings.graph_tenant_id:
        missing.append("PARAAF_GRAPH_TENANT_ID")
    if settings.graph_auth in ("secret", "certificate") and not settings.graph_client_id:
        missing.append("PARAAF_GRAPH_CLIENT_ID")
    if settings.graph_auth == "secret" and not settings.graph_client_secret:
        missing.append("PARAAF_GRAPH_CLIENT_SECRET")
    if settings.graph_auth == "certificate" and not settings.graph_cert_file:
        missing.append("PARAAF_GRAPH_CERT_FILE")
    if missing:
        raise SettingsError(code="graph_missing", auth=settings.graph_auth,
                            missing=", ".join(missing))
    if settings.graph_auth == "certificate" and not Path(settings.graph_cert_file).is_file():
        raise SettingsError(code="cert_file", file=repr(settings.graph_cert_file))
    if settings.graph_auth == "none" and not settings.graph_base_url:
        raise SettingsError(code="graph_auth_none")
    if need_site and not settings.graph_tenant_id:
        # the backend itself, also on a test server: chats are opened per tenant, and without
        # one every card to someone who has not opened the app waits for ever
        raise SettingsError(code="graph_missing", auth=settings.graph_auth,
                            missing="PARAAF_GRAPH_TENANT_ID")


@dataclass(frozen=True)
class Settings:
    """The product's configuration (see the README's configuration table)."""

    mode: str = "local"
    backend: str = "local"
    data_dir: Path = field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = 3978
    public_url: str = ""
    log_level: str = "INFO"
    log_format: str = "text"
    tenant_allowlist: tuple[str, ...] = ()
    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = "MultiTenant"
    app_cert_thumbprint: str = ""
    app_cert_key_file: str = ""
    delivery: bool = True
    language: str = "auto"  # auto: the Teams locale; nl or en: always that language
    timezone: str = "Europe/Amsterdam"  # the tenant's time zone for times on cards and CLI
    # Microsoft 365 (PARAAF_BACKEND=graph and `paraaf provision`)
    site_url: str = ""
    graph_auth: str = "secret"
    graph_tenant_id: str = ""
    graph_client_id: str = ""
    graph_client_secret: str = field(default="", repr=False)
    graph_cert_file: str = ""
    graph_cert_password: str = field(default="", repr=False)
    graph_base_url: str = ""
    anchor_file: str = ""  # audit anchors of the embedded backend (default: in data_dir)
    cli_client_id: str = ""  # the app the command line signs in to (Microsoft 365 backend)
    bot_openid_metadata_url: str = BOT_OPENID_METADATA_URL
    bot_sdk: str = "botbuilder"
    # telemetry (bot/telemetry.py): an OTLP/HTTP collector to send traces and metrics to,
    # and the Prometheus text format on /metrics
    otlp_endpoint: str = ""
    metrics: bool = False
    # seconds between an idle instance's looks at the outbox (its own commits wake it at once)
    outbox_poll_seconds: int = 30
    # seconds an instance holds the notifications it claimed; then they are the others' again
    outbox_lease_seconds: int = 60
    # the tab (bot/tab/): its Entra app (SSO tokens' audience; the bot's app id by default),
    # the secret for on-behalf-of, where Entra publishes its keys and issues tokens
    tab_client_id: str = ""
    tab_client_secret: str = field(default="", repr=False)
    tab_openid_metadata_url: str = TAB_OPENID_METADATA_URL
    tab_authority: str = TAB_AUTHORITY

    @property
    def tab_app_id(self) -> str:
        """The Entra app the tab's SSO tokens are issued for (the bot's app by default)."""
        return self.tab_client_id or self.app_id

    @property
    def tab_tenants(self) -> tuple[str, ...]:
        """The tenants whose users may use the tab: the allow-list, else the app's own
        tenant (PARAAF_APP_TENANT_ID, else PARAAF_GRAPH_TENANT_ID)."""
        if self.tenant_allowlist:
            return self.tenant_allowlist
        own = (self.app_tenant_id or self.graph_tenant_id).lower()
        return (own,) if own else ()
    # Ondertekenen (signing/): PAdES with pyHanko, or off (a sign action records a click)
    signing: str = "pades"
    signing_pkcs12: str = ""  # production keys; empty: the demo CA in the data folder
    signing_pkcs12_password: str = field(default="", repr=False)
    # PEM of root certificates trusted besides the demo CA or the PKCS#12's roots (ValidSign's)
    signing_trust_roots: str = ""
    tsa_url: str = ""  # RFC 3161 timestamp authority; empty: the demo CA's, in process
    renderer: str = "auto"  # auto (LibreOffice when installed), libreoffice or text
    # The decision register in the ZGW shape (docs/zgw-register.md): all empty, the register
    # stays in paraaf; the organisation alone, the export file; all, an Open Zaak-compatible
    # Besluiten and Documenten API gets every decision.
    zgw_rsin: str = ""
    zgw_besluittype: str = ""  # the Catalogi API's URL of the besluittype
    zgw_informatieobjecttype: str = ""  # and of the decision document's informatieobjecttype
    zgw_besluiten_url: str = ""
    zgw_documenten_url: str = ""
    zgw_client_id: str = ""
    zgw_secret: str = field(default="", repr=False)

    @property
    def zgw_register(self) -> bool:
        """Whether each decision is registered in a ZGW Besluiten API."""
        return bool(self.zgw_besluiten_url)

    # who signs: the embedded PAdES signer, or ValidSign (which asks the signers itself)
    signing_provider: str = "embedded"
    validsign_url: str = ""  # e.g. https://my.validsign.nl
    validsign_api_key: str = field(default="", repr=False)
    validsign_callback_key: str = field(default="", repr=False)  # what its callbacks carry
    validsign_anchor: str = "{{handtekening}}"  # the text where the signatures go

    @property
    def database(self) -> Path:
        return self.data_dir / "paraaf.db"

    @property
    def anchors_path(self) -> Path:
        """The append-only anchor file (PARAAF_ANCHOR_FILE, else next to the database)."""
        return Path(self.anchor_file).expanduser() if self.anchor_file else (
            self.data_dir / "anchors.jsonl")

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def signing_dir(self) -> Path:
        """The demo CA and timestamp authority (``paraaf demo`` makes them)."""
        return self.data_dir / "signing"

    @property
    def directory_file(self) -> Path:
        return self.data_dir / "directory.yaml"

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, data_dir: str | None = None
    ) -> Settings:
        """Read the settings; ``data_dir`` (the ``--data`` option) wins over PARAAF_DATA."""
        env = os.environ if env is None else env
        mode = _choice(env, "PARAAF_MODE", "local", MODES)
        host = env.get("PARAAF_HOST", "").strip() or ("127.0.0.1" if mode == "local" else "0.0.0.0")
        if mode == "local" and host not in ("127.0.0.1", "localhost", "::1"):
            raise SettingsError(code="host_loopback", value=repr(host), host=host)
        data = data_dir or env.get("PARAAF_DATA", "").strip()
        allow = env.get("PARAAF_TENANT_ALLOWLIST", "")
        return _check_production(cls(
            mode=mode,
            backend=_choice(env, "PARAAF_BACKEND", "local", BACKENDS),
            data_dir=Path(data).expanduser() if data else default_data_dir(),
            host=host,
            port=_int(env, "PARAAF_PORT", 3978, 1, 65535),
            public_url=_public_url(env),
            log_level=_choice(env, "PARAAF_LOG_LEVEL", "info", ("debug", "info", "warning",
                                                                  "error")).upper(),
            log_format=_choice(env, "PARAAF_LOG_FORMAT", "text", ("text", "json")),
            tenant_allowlist=tuple(t.strip().lower() for t in allow.split(",") if t.strip()),
            app_id=env.get("PARAAF_APP_ID", "").strip(),
            app_password=env.get("PARAAF_APP_PASSWORD", ""),
            app_tenant_id=_guid(env, "PARAAF_APP_TENANT_ID", domain=True),
            app_type=_choice(env, "PARAAF_APP_TYPE", "multitenant",
                             ("multitenant", "singletenant", "userassignedmsi")),
            app_cert_thumbprint=env.get("PARAAF_APP_CERT_THUMBPRINT", "").strip(),
            app_cert_key_file=env.get("PARAAF_APP_CERT_KEY_FILE", "").strip(),
            delivery=_choice(env, "PARAAF_DELIVERY", "on", ("on", "off")) == "on",
            language=_choice(env, "PARAAF_LANGUAGE", "auto", ("auto", "nl", "en")),
            timezone=_timezone(env),
            site_url=_site_url(env),
            graph_auth=_choice(env, "PARAAF_GRAPH_AUTH", "secret", GRAPH_AUTH),
            graph_tenant_id=_guid(env, "PARAAF_GRAPH_TENANT_ID", domain=True),
            graph_client_id=_guid(env, "PARAAF_GRAPH_CLIENT_ID"),
            graph_client_secret=env.get("PARAAF_GRAPH_CLIENT_SECRET", ""),
            graph_cert_file=env.get("PARAAF_GRAPH_CERT_FILE", "").strip(),
            graph_cert_password=env.get("PARAAF_GRAPH_CERT_PASSWORD", ""),
            graph_base_url=_graph_base_url(env),
            anchor_file=env.get("PARAAF_ANCHOR_FILE", "").strip(),
            cli_client_id=_guid(env, "PARAAF_CLI_CLIENT_ID"),
            bot_openid_metadata_url=_openid_url(env),
            bot_sdk=_choice(env, "PARAAF_BOT_SDK", "botbuilder", BOT_SDKS),
            otlp_endpoint=_otlp_endpoint(env),
            metrics=_choice(env, "PARAAF_METRICS", "off", ("on", "off")) == "on",
            outbox_poll_seconds=_int(env, "PARAAF_OUTBOX_POLL_SECONDS", 30, 1, 3600),
            outbox_lease_seconds=_int(env, "PARAAF_OUTBOX_LEASE_SECONDS", 60, 5, 3600),
            tab_client_id=_guid(env, "PARAAF_TAB_CLIENT_ID"),
            tab_client_secret=env.get("PARAAF_TAB_CLIENT_SECRET", ""),
            tab_openid_metadata_url=_openid_url(env, "PARAAF_TAB_OPENID_METADATA_URL",
                                                TAB_OPENID_METADATA_URL),
            tab_authority=_openid_url(env, "PARAAF_TAB_AUTHORITY", TAB_AUTHORITY),
            **_signing(env),
            **_zgw(env),
        ))
