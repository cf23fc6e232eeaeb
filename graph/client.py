"""The Microsoft Graph client: an azure-identity credential, the SDK's own middleware with its
retry handler configured, and an observer that counts and logs every 429/503/504 it sees.

Retries are the SDK's: its ``RetryHandler`` retries 429, 503 and 504 and waits what
``Retry-After`` says (a backoff when there is none). Nothing here retries a second time; the
:class:`ThrottleObserver` only watches, twice in the chain: next to the network, where it
sees every attempt (``attempts``), and at the outside, where it sees what the SDK finally
answered (``gave_up``: still throttled after the last retry).

Credentials, app-only for the service (``auth``):

- ``secret``: ``ClientSecretCredential(tenant, client id, secret)``
- ``certificate``: ``CertificateCredential(tenant, client id, certificate_path=PEM or PFX)``
- ``managed-identity``: ``ManagedIdentityCredential`` (user-assigned when a client id is given)
- ``none``: no credential at all, for the local Graph test server on a loopback base URL

and on behalf of a signed-in tab user: :func:`on_behalf_of_credential`.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from azure.core.credentials import AccessToken
from azure.core.credentials_async import AsyncTokenCredential
from kiota_abstractions.request_option import RequestOption
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_http.kiota_client_factory import KiotaClientFactory
from kiota_http.middleware.middleware import BaseMiddleware
from kiota_http.middleware.options import RetryHandlerOption
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.graph_request_adapter import options as sdk_options
from msgraph_core import GraphClientFactory
from msgraph_core.middleware import GraphTelemetryHandler
from msgraph_core.middleware.options import GraphTelemetryHandlerOption

from graph.rest import Graph

log = logging.getLogger("paraaf.graph")

GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
AUTH_MODES = ("secret", "certificate", "managed-identity", "none")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WATCHED = frozenset({429, 503, 504})


class GraphConfigError(ValueError):
    """The Graph configuration cannot be used (the message says what to set)."""


@dataclass(frozen=True)
class GraphConfig:
    """How to reach Graph: the credential settings, an optional base URL and retry options."""

    auth: str = "secret"
    tenant_id: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    cert_file: str = ""
    cert_password: str = field(default="", repr=False)
    base_url: str = ""  # empty: the Microsoft Graph v1.0 endpoint; else a loopback test server
    max_retries: int = 4  # the SDK retry handler's retries after the first attempt
    retry_delay: float = 1.0  # added to the backoff when an answer has no Retry-After
    timeout: float = 30.0
    connect_timeout: float = 10.0

    @property
    def endpoint(self) -> str:
        return (self.base_url or GRAPH_BASE_URL).rstrip("/")


def is_loopback_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in LOOPBACK


def check_config(config: GraphConfig) -> None:
    """GraphConfigError naming the missing or wrong setting."""
    if config.auth not in AUTH_MODES:
        raise GraphConfigError(f"PARAAF_GRAPH_AUTH must be one of {', '.join(AUTH_MODES)}, "
                               f"not {config.auth!r}.")
    if config.base_url and not is_loopback_url(config.base_url):
        raise GraphConfigError(
            "PARAAF_GRAPH_BASE_URL may only point at a loopback address (a local Graph test "
            f"server), not {config.base_url!r}; leave it empty for Microsoft Graph.")
    if config.auth == "none" and not config.base_url:
        raise GraphConfigError("PARAAF_GRAPH_AUTH=none works only with a local test server: "
                               "set PARAAF_GRAPH_BASE_URL to its loopback address.")
    if config.auth in ("secret", "certificate"):
        missing = [name for name, value in (("PARAAF_GRAPH_TENANT_ID", config.tenant_id),
                                            ("PARAAF_GRAPH_CLIENT_ID", config.client_id))
                   if not value]
        if config.auth == "secret" and not config.client_secret:
            missing.append("PARAAF_GRAPH_CLIENT_SECRET")
        if config.auth == "certificate" and not config.cert_file:
            missing.append("PARAAF_GRAPH_CERT_FILE")
        if missing:
            raise GraphConfigError(f"PARAAF_GRAPH_AUTH={config.auth} needs "
                                   f"{' and '.join(missing)}.")


# --- credentials -------------------------------------------------------------------------------


class LocalTestCredential:
    """An azure-identity style async credential for a local Graph test server (``auth=none``).

    Its token is an unsigned JWT: the test server reads it (unverified) to record who changed
    what; Microsoft Graph would refuse it, and ``check_config`` allows it only on loopback.
    """

    def __init__(self, claims: dict[str, Any] | None = None, token: str | None = None) -> None:
        self.token = token or _unsigned_jwt(claims or {"appid": "paraaf", "roles": []})

    async def get_token(self, *scopes: str, claims: str | None = None,
                        tenant_id: str | None = None, enable_cae: bool = False,
                        **kwargs: Any) -> AccessToken:
        return AccessToken(self.token, int(time.time()) + 3600)

    async def close(self) -> None:
        return None

    async def __aenter__(self) -> LocalTestCredential:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


def _unsigned_jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return ".".join((part({"alg": "none", "typ": "JWT"}), part(claims), ""))


def app_credential(config: GraphConfig) -> AsyncTokenCredential:
    """The service's own (app-only) credential for ``config.auth``."""
    check_config(config)
    if config.auth == "none":
        return LocalTestCredential({"appid": config.client_id or "paraaf",
                                    "roles": ["Sites.Selected"]})
    from azure.identity.aio import (
        CertificateCredential,
        ClientSecretCredential,
        ManagedIdentityCredential,
    )

    if config.auth == "secret":
        return ClientSecretCredential(config.tenant_id, config.client_id, config.client_secret)
    if config.auth == "certificate":
        return CertificateCredential(config.tenant_id, config.client_id,
                                     certificate_path=config.cert_file,
                                     password=config.cert_password or None)
    return ManagedIdentityCredential(client_id=config.client_id or None)


def on_behalf_of_credential(config: GraphConfig, user_assertion: str) -> AsyncTokenCredential:
    """A credential that calls Graph *as the signed-in user* whose access token (for paraaf's
    own API, from the tab's single sign-on) is ``user_assertion``: the on-behalf-of flow.

    It needs the app registration's secret or certificate; a managed identity cannot take part
    in on-behalf-of. Make one per user request (it caches that user's token), close it after.
    """
    check_config(config)
    if not user_assertion:
        raise GraphConfigError("On-behalf-of needs the user's access token.")
    if config.auth == "none":  # the local test server reads the user's claims from it
        return LocalTestCredential(token=user_assertion)
    if config.auth == "managed-identity":
        raise GraphConfigError(
            "On-behalf-of calls need the app registration's secret or certificate: set "
            "PARAAF_GRAPH_AUTH=secret or certificate (a managed identity cannot do them).")
    from azure.identity.aio import OnBehalfOfCredential

    if config.auth == "secret":
        return OnBehalfOfCredential(config.tenant_id, config.client_id,
                                    client_secret=config.client_secret,
                                    user_assertion=user_assertion)
    with open(config.cert_file, "rb") as file:
        certificate = file.read()
    return OnBehalfOfCredential(config.tenant_id, config.client_id,
                                client_certificate=certificate,
                                password=config.cert_password or None,
                                user_assertion=user_assertion)


# --- throttling --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottleEvent:
    """One 429/503/504 answer: what was asked, and what Graph said about waiting."""

    status: int
    method: str
    path: str
    retry_after: float | None
    attempt: int  # 0: the first try; n: the SDK's n-th retry
    request_id: str
    final: bool  # the SDK gave up: this was the answer its caller got


class ThrottleStats:
    """Counts of throttled answers; one per client, read by tests, benchmarks and logs.

    ``attempts[status]``: every 429/503/504 answer on the wire (each one the SDK then retried,
    or gave up on); ``gave_up[status]``: requests still throttled after the last retry;
    ``retry_after_seconds``: the sum of the ``Retry-After`` seconds Graph asked for;
    ``recent``: the last 100 events.
    """

    def __init__(self) -> None:
        self.attempts: Counter[int] = Counter()
        self.gave_up: Counter[int] = Counter()
        self.retry_after_seconds = 0.0
        self.recent: deque[ThrottleEvent] = deque(maxlen=100)

    @property
    def throttled(self) -> int:
        """429 answers seen."""
        return self.attempts[429]

    @property
    def total(self) -> int:
        return sum(self.attempts.values())

    def record(self, event: ThrottleEvent) -> None:
        if event.final:
            self.gave_up[event.status] += 1
        else:
            self.attempts[event.status] += 1
            self.retry_after_seconds += event.retry_after or 0.0
        self.recent.append(event)

    def snapshot(self) -> dict[str, Any]:
        return {"attempts": {str(k): v for k, v in sorted(self.attempts.items())},
                "gave_up": {str(k): v for k, v in sorted(self.gave_up.items())},
                "retry_after_seconds": self.retry_after_seconds, "total": self.total}

    def reset(self) -> None:
        self.attempts.clear()
        self.gave_up.clear()
        self.retry_after_seconds = 0.0
        self.recent.clear()


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after")
    try:
        return float(raw) if raw else None
    except ValueError:
        return None  # an HTTP date: the SDK parses it, the count does not need it


class ThrottleObserver(BaseMiddleware):
    """A kiota middleware that watches answers and never changes or repeats a request."""

    def __init__(self, stats: ThrottleStats, *, final: bool = False) -> None:
        super().__init__()
        self.stats = stats
        self.final = final

    async def send(self, request: httpx.Request,
                   transport: httpx.AsyncBaseTransport) -> httpx.Response:
        response = await super().send(request, transport)
        if response.status_code in WATCHED:
            event = ThrottleEvent(
                status=response.status_code, method=request.method, path=request.url.path,
                retry_after=_retry_after(response),
                attempt=int(request.headers.get("Retry-Attempt", "0") or 0),
                request_id=response.headers.get("request-id", ""), final=self.final)
            self.stats.record(event)
            fields = {"status": event.status, "method": event.method, "path": event.path,
                      "retry_after": event.retry_after, "attempt": event.attempt,
                      "request_id": event.request_id}
            if self.final:
                log.warning("graph still throttled after retries", extra=fields)
            else:
                log.info("graph throttled", extra=fields)
        return response


# --- the client --------------------------------------------------------------------------------


@dataclass
class GraphConnection:
    """A Graph client with its credential and throttle counts; ``await close()`` when done."""

    client: GraphServiceClient
    graph: Graph
    throttling: ThrottleStats
    credential: Any = None

    async def close(self) -> None:
        await close_http(self.client)
        close = getattr(self.credential, "close", None)
        if close is not None:
            await close()


def make_client(config: GraphConfig, credential: Any,
                throttling: ThrottleStats | None = None) -> GraphConnection:
    """A GraphServiceClient on ``config.endpoint`` with the SDK's default middleware (its retry
    handler set to ``config``) and two throttle observers."""
    stats = throttling or ThrottleStats()
    http = KiotaClientFactory.get_default_client()
    http.timeout = httpx.Timeout(config.timeout, connect=config.connect_timeout)
    options: dict[str, RequestOption] = dict(sdk_options)
    options[RetryHandlerOption.get_key()] = RetryHandlerOption(
        delay=config.retry_delay, max_retries=config.max_retries)
    telemetry = options[GraphTelemetryHandlerOption.get_key()]
    assert isinstance(telemetry, GraphTelemetryHandlerOption)
    middleware = [ThrottleObserver(stats, final=True),
                  *KiotaClientFactory.get_default_middleware(options),
                  GraphTelemetryHandler(options=telemetry),
                  ThrottleObserver(stats)]
    http = GraphClientFactory.create_with_custom_middleware(middleware, client=http)
    host = urlsplit(config.endpoint).hostname or ""
    auth = AzureIdentityAuthenticationProvider(credential, scopes=[GRAPH_SCOPE],
                                               allowed_hosts=[host])
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = config.endpoint
    client = GraphServiceClient(request_adapter=adapter)
    return GraphConnection(client, Graph(client), stats, credential)


def connect(config: GraphConfig) -> GraphConnection:
    """The service's app-only connection."""
    return make_client(config, app_credential(config))


def connect_as_user(config: GraphConfig, user_assertion: str) -> GraphConnection:
    """A connection that acts for the signed-in user (on-behalf-of)."""
    return make_client(config, on_behalf_of_credential(config, user_assertion))


async def close_http(client: GraphServiceClient) -> None:
    """Close the client's connection pool.

    ``httpx.AsyncClient.aclose()`` alone leaks it: msgraph-core's ``AsyncGraphTransport``
    wraps the real transport without an ``aclose``, so the wrapped one is closed as well.
    """
    http = getattr(client.request_adapter, "_http_client", None)
    if not isinstance(http, httpx.AsyncClient):
        return
    transports = [http._transport, *(t for t in http._mounts.values() if t is not None)]
    await http.aclose()
    for transport in transports:
        inner = getattr(transport, "transport", None)
        if isinstance(inner, httpx.AsyncBaseTransport):
            await inner.aclose()
