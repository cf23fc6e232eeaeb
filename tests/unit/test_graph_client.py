"""The Graph client: credentials per auth mode, the SDK's retry handler honouring Retry-After,
the throttle observer's counts and logs, the site URL, and the PARAAF_GRAPH_* settings.

Requests go over real HTTP to the Graph test server with the real msgraph-sdk.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from azure.identity.aio import (
    CertificateCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
    OnBehalfOfCredential,
)

from bot.settings import Settings, SettingsError
from bot.wiring import graph_config
from graph.client import (
    GraphConfig,
    GraphConfigError,
    GraphConnection,
    LocalTestCredential,
    app_credential,
    check_config,
    connect,
    connect_as_user,
    on_behalf_of_credential,
)
from graph.rest import GraphError
from graph.site import InvalidSiteUrl, parse_site_url, resolve_site, site_path_id
from tests.support.graph_server import GraphServer

TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"
CLIENT = "9a0e4b4c-2f6a-4f43-9d0e-6e3b1c2d7f10"
SITE = "https://contoso.sharepoint.com/sites/paraaf"
LISTS = "/sites/contoso.sharepoint.com:/sites/paraaf:/lists"


@pytest.fixture
async def server() -> AsyncIterator[GraphServer]:
    async with GraphServer(seed=3) as running:
        yield running


@pytest.fixture
async def connection(server: GraphServer) -> AsyncIterator[GraphConnection]:
    opened = connect(GraphConfig(auth="none", base_url=server.base_url, retry_delay=0))
    yield opened
    await opened.close()


# --- throttling: the SDK retries, the observer counts ------------------------------------------


async def test_429_with_retry_after_is_retried_by_the_sdk_and_counted(
    server: GraphServer, connection: GraphConnection
) -> None:
    server.faults.throttle(retry_after=1, method="GET", path="/sites/*/lists", times=2)
    started = time.perf_counter()
    answer = await connection.graph.request("GET", LISTS)
    waited = time.perf_counter() - started
    assert answer["value"]  # the third attempt got through
    assert waited >= 2.0  # Retry-After: 1, twice
    assert connection.throttling.attempts == {429: 2}
    assert connection.throttling.throttled == 2
    assert connection.throttling.gave_up == {}
    assert connection.throttling.retry_after_seconds == 2.0
    assert server.stats.count("GET", "/sites/*/lists") == 3  # one retry layer, not two


async def test_503_without_retry_after_is_retried_with_backoff(
    server: GraphServer, connection: GraphConnection
) -> None:
    server.faults.unavailable(retry_after=None, path="/sites/*/lists", times=1)
    await connection.graph.request("GET", LISTS)
    assert connection.throttling.attempts == {503: 1}
    assert connection.throttling.snapshot() == {
        "attempts": {"503": 1}, "gave_up": {}, "retry_after_seconds": 0.0, "total": 1}


async def test_throttling_past_the_last_retry_is_counted_as_given_up(
    server: GraphServer,
) -> None:
    connection = connect(GraphConfig(auth="none", base_url=server.base_url, max_retries=1))
    try:
        server.faults.throttle(retry_after=1, path="/sites/*/lists", times=None)
        with pytest.raises(GraphError) as raised:
            await connection.graph.request("GET", LISTS)
        assert raised.value.status == 429
        assert connection.throttling.attempts == {429: 2}
        assert connection.throttling.gave_up == {429: 1}
        assert server.stats.count("GET", "/sites/*/lists") == 2
    finally:
        await connection.close()


async def test_writes_are_retried_once_each_by_the_sdk(
    server: GraphServer, connection: GraphConnection
) -> None:
    server.faults.throttle(retry_after=1, method="POST", path="/sites/*/lists", times=1)
    await connection.graph.request("POST", LISTS, {"displayName": "Proef",
                                                   "list": {"template": "genericList"}})
    assert [s.display_name for s in server.site.lists.values()].count("Proef") == 1
    assert connection.throttling.attempts == {429: 1}


async def test_throttling_is_logged_with_structured_fields(
    server: GraphServer, connection: GraphConnection, caplog: pytest.LogCaptureFixture
) -> None:
    server.faults.throttle(retry_after=1, path="/sites/*/lists", times=1)
    with caplog.at_level(logging.INFO, logger="paraaf.graph"):
        await connection.graph.request("GET", LISTS + "?$top=5")
    [record] = [r for r in caplog.records if r.getMessage() == "graph throttled"]
    fields = vars(record)
    assert (fields["status"], fields["method"], fields["retry_after"], fields["attempt"]) == (
        429, "GET", 1.0, 0)
    assert fields["path"].endswith("/lists")  # the path only: no query text in the logs
    assert fields["request_id"]
    event = connection.throttling.recent[-1]
    assert (event.status, event.final) == (429, False)
    connection.throttling.reset()
    assert connection.throttling.total == 0 and not connection.throttling.recent


# --- credentials ---------------------------------------------------------------------------------


def _certificate(folder: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "paraaf")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))
    path = folder / "paraaf.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
        + cert.public_bytes(serialization.Encoding.PEM))
    return path


async def test_each_auth_mode_builds_its_azure_identity_credential(tmp_path: Path) -> None:
    secret = GraphConfig(auth="secret", tenant_id=TENANT, client_id=CLIENT, client_secret="s")
    certificate = GraphConfig(auth="certificate", tenant_id=TENANT, client_id=CLIENT,
                              cert_file=str(_certificate(tmp_path)))
    built = [app_credential(secret), app_credential(certificate),
             app_credential(GraphConfig(auth="managed-identity")),
             app_credential(GraphConfig(auth="managed-identity", client_id=CLIENT))]
    try:
        assert [type(c) for c in built] == [ClientSecretCredential, CertificateCredential,
                                            ManagedIdentityCredential, ManagedIdentityCredential]
    finally:
        for credential in built:
            await credential.close()


async def test_on_behalf_of_uses_the_app_secret_or_certificate(tmp_path: Path) -> None:
    secret = GraphConfig(auth="secret", tenant_id=TENANT, client_id=CLIENT, client_secret="s")
    certificate = GraphConfig(auth="certificate", tenant_id=TENANT, client_id=CLIENT,
                              cert_file=str(_certificate(tmp_path)))
    for config in (secret, certificate):
        credential = on_behalf_of_credential(config, "the-users-token")
        assert isinstance(credential, OnBehalfOfCredential)
        await credential.close()
    with pytest.raises(GraphConfigError, match="managed identity cannot"):
        on_behalf_of_credential(GraphConfig(auth="managed-identity"), "the-users-token")
    with pytest.raises(GraphConfigError, match="user's access token"):
        on_behalf_of_credential(secret, "")


def _jwt(claims: dict[str, str]) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"e30.{body}."


async def test_on_behalf_of_a_user_writes_as_that_user(server: GraphServer) -> None:
    app = connect(GraphConfig(auth="none", base_url=server.base_url))
    token = _jwt({"oid": "11111111-2222-4333-8444-555555555555", "name": "Anna de Vries",
                  "upn": "anna@voorbeeldstad.nl"})
    user = connect_as_user(GraphConfig(auth="none", base_url=server.base_url), token)
    try:
        await app.graph.request("POST", LISTS, {"displayName": "Proef"})
        await user.graph.request("POST", LISTS + "/Proef/items", {"fields": {"Title": "x"}})
        [item] = server.get_list("Proef").items.values()
        assert item.created_by.display_name == "Anna de Vries"
        assert not item.created_by.is_app
    finally:
        await app.close()
        await user.close()


@pytest.mark.parametrize(("config", "message"), [
    (GraphConfig(auth="secret", client_secret="s"), "PARAAF_GRAPH_TENANT_ID and "
                                                     "PARAAF_GRAPH_CLIENT_ID"),
    (GraphConfig(auth="certificate", tenant_id=TENANT, client_id=CLIENT),
     "PARAAF_GRAPH_CERT_FILE"),
    (GraphConfig(auth="none"), "only with a local test server"),
    (GraphConfig(auth="none", base_url="https://graph.example.org/v1.0"), "loopback"),
    (GraphConfig(auth="kerberos"), "must be one of"),
])
def test_unusable_configurations_are_refused(config: GraphConfig, message: str) -> None:
    with pytest.raises(GraphConfigError, match=message):
        check_config(config)


async def test_the_local_test_credential_is_refused_for_microsoft_graph() -> None:
    with pytest.raises(GraphConfigError):
        app_credential(GraphConfig(auth="none"))
    token = await LocalTestCredential().get_token("https://graph.microsoft.com/.default")
    assert token.token.count(".") == 2


async def test_the_token_goes_only_to_the_configured_host(server: GraphServer) -> None:
    connection = connect(GraphConfig(auth="none", base_url=server.base_url))
    try:  # an absolute URL elsewhere gets no token (kiota's allowed hosts)
        with pytest.raises(GraphError) as raised:
            await connection.graph.request(
                "GET", server.base_url.replace("127.0.0.1", "localhost") + LISTS)
        assert raised.value.status == 401
    finally:
        await connection.close()


# --- the site ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "host", "path"), [
    (SITE, "contoso.sharepoint.com", "/sites/paraaf"),
    ("https://Contoso.SharePoint.com/sites/paraaf/", "contoso.sharepoint.com", "/sites/paraaf"),
    ("https://contoso.sharepoint.com/teams/b%C3%A9stuur", "contoso.sharepoint.com",
     "/teams/béstuur"),
    ("https://contoso.sharepoint.com", "contoso.sharepoint.com", "/"),
])
def test_a_site_url_gives_host_and_path(url: str, host: str, path: str) -> None:
    site = parse_site_url(url)
    assert (site.host, site.path) == (host, path)


@pytest.mark.parametrize("url", [
    "", "contoso.sharepoint.com/sites/paraaf", "http://contoso.sharepoint.com/sites/paraaf",
    "https://user:pw@contoso.sharepoint.com/sites/paraaf", SITE + "?web=1",
    SITE + "/Lists/Dossiers/AllItems.aspx", SITE + "/SitePages/Home.aspx",
    "https://contoso.sharepoint.com:8443/sites/paraaf", "ftp://contoso/sites/x",
])
def test_other_urls_are_no_site_url(url: str) -> None:
    with pytest.raises(InvalidSiteUrl):
        parse_site_url(url)


async def test_the_site_is_found_by_url_and_by_path_id(
    server: GraphServer, connection: GraphConnection
) -> None:
    site = await resolve_site(connection.graph, SITE)
    assert site.id == server.site.id
    assert site_path_id(SITE) == "contoso.sharepoint.com:/sites/paraaf:"
    by_path = await connection.graph.request("GET", f"/sites/{site_path_id(SITE)}/lists")
    by_id = await connection.graph.request("GET", f"/sites/{site.id}/lists")
    assert by_path["value"] == by_id["value"]


# --- settings ----------------------------------------------------------------------------------


def _env(**values: str) -> dict[str, str]:
    return {"PARAAF_DATA": "/tmp/paraaf-unused", **values}


def test_local_mode_never_runs_against_a_real_tenant() -> None:
    with pytest.raises(SettingsError, match="authentication off"):
        Settings.from_env(_env(PARAAF_BACKEND="graph", PARAAF_SITE_URL=SITE,
                               PARAAF_GRAPH_TENANT_ID=TENANT, PARAAF_GRAPH_CLIENT_ID=CLIENT,
                               PARAAF_GRAPH_CLIENT_SECRET="geheim"))


def test_graph_settings_are_read_into_the_client_config() -> None:
    settings = Settings.from_env(_env(
        PARAAF_BACKEND="graph", PARAAF_SITE_URL=SITE + "/", PARAAF_GRAPH_TENANT_ID=TENANT,
        PARAAF_GRAPH_CLIENT_ID=CLIENT, PARAAF_GRAPH_CLIENT_SECRET="geheim",
        PARAAF_GRAPH_BASE_URL="http://127.0.0.1:8765/v1.0/"))
    assert settings.site_url == SITE
    assert "geheim" not in repr(settings)
    config = graph_config(settings)
    assert (config.auth, config.tenant_id, config.client_id, config.client_secret) == (
        "secret", TENANT, CLIENT, "geheim")
    assert config.endpoint == "http://127.0.0.1:8765/v1.0"


@pytest.mark.parametrize(("values", "message"), [
    ({"PARAAF_BACKEND": "graph"}, "PARAAF_SITE_URL, PARAAF_GRAPH_TENANT_ID"),
    ({"PARAAF_BACKEND": "graph", "PARAAF_SITE_URL": SITE, "PARAAF_GRAPH_AUTH": "certificate",
      "PARAAF_GRAPH_TENANT_ID": TENANT, "PARAAF_GRAPH_CLIENT_ID": CLIENT,
      "PARAAF_GRAPH_CERT_FILE": "/nonexistent.pem"}, "there is no file"),
    ({"PARAAF_BACKEND": "graph", "PARAAF_SITE_URL": SITE, "PARAAF_GRAPH_AUTH": "none"},
     "PARAAF_GRAPH_BASE_URL"),
    ({"PARAAF_GRAPH_BASE_URL": "https://graph.microsoft.com/v1.0"}, "loopback"),
    ({"PARAAF_GRAPH_BASE_URL": "http://10.0.0.5:8765/v1.0", "PARAAF_MODE": "production",
      "PARAAF_APP_ID": CLIENT}, "loopback"),
    ({"PARAAF_SITE_URL": "contoso.sharepoint.com/sites/paraaf"}, "PARAAF_SITE_URL"),
    ({"PARAAF_GRAPH_AUTH": "wachtwoord"}, "PARAAF_GRAPH_AUTH must be one of"),
])
def test_unusable_graph_settings_are_named(values: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(_env(**values))


def test_managed_identity_needs_no_secret_but_the_tenant() -> None:
    env = _env(PARAAF_BACKEND="graph", PARAAF_SITE_URL=SITE, PARAAF_MODE="production",
               PARAAF_APP_ID=CLIENT, PARAAF_GRAPH_AUTH="managed-identity",
               PARAAF_APP_TYPE="userassignedmsi", PARAAF_APP_TENANT_ID=TENANT)
    env.pop("PARAAF_GRAPH_TENANT_ID", None)
    with pytest.raises(SettingsError, match="PARAAF_GRAPH_TENANT_ID"):
        Settings.from_env(env)
    settings = Settings.from_env({**env, "PARAAF_GRAPH_TENANT_ID": "5e0c7a1d-3b94-4f28-"
                                  "8d61-2c9e47b1a8f3"})
    assert graph_config(settings).auth == "managed-identity"
