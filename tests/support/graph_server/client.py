"""The real `msgraph.GraphServiceClient`, pointed at a `GraphServer`.

    client = make_graph_client(server)                      # SDK defaults, short timeouts
    client = make_graph_client(server, retry_delay=0)       # quicker retries without Retry-After

The client is built like `GraphServiceClient(credentials=...)` builds its own: kiota's
`AzureIdentityAuthenticationProvider` (which, unlike msgraph-core's, allows every host when
`allowed_hosts` is empty) and `GraphClientFactory.create_with_default_middleware` (redirect,
retry, parameter decoding, URL replacement, user agent, headers inspection, telemetry). Only
the httpx client differs: its timeouts are short enough for tests.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from azure.core.credentials import AccessToken
from kiota_abstractions.request_option import RequestOption
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_http.kiota_client_factory import KiotaClientFactory
from kiota_http.middleware.options import RetryHandlerOption
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.graph_request_adapter import options as sdk_options
from msgraph_core import GraphClientFactory

from tests.support.graph_server.server import GraphServer


class FakeCredential:
    """An azure-identity style async credential: `get_token(*scopes, **kwargs)`.

    The token is an unsigned JWT whose claims the server reads for `createdBy`/`modifiedBy`:
    app-only (`roles`, `appid`) by default, delegated when `oid` is given.
    """

    def __init__(self, oid: str | None = None, name: str | None = None,
                 upn: str | None = None) -> None:
        claims: dict[str, Any] = {"aud": "https://graph.microsoft.com", "appid": "paraaf"}
        if oid:
            claims.update({"oid": oid, "name": name or oid, "upn": upn or ""})
        else:
            claims["roles"] = ["Sites.Selected", "User.Read.All", "GroupMember.Read.All"]
        self.token = ".".join(_b64(part) for part in ({"alg": "none", "typ": "JWT"}, claims, {}))
        self.calls: list[tuple[str, ...]] = []

    async def get_token(self, *scopes: str, claims: str | None = None,
                        tenant_id: str | None = None, enable_cae: bool = False,
                        **kwargs: Any) -> AccessToken:
        self.calls.append(scopes)
        return AccessToken(self.token, int(time.time()) + 3600)

    async def close(self) -> None:
        return None

    async def __aenter__(self) -> FakeCredential:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


def _b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")


def make_graph_client(
    server: GraphServer,
    *,
    credential: FakeCredential | None = None,
    timeout: float = 5.0,
    connect_timeout: float = 2.0,
    retry_delay: float | None = None,
    max_retries: int | None = None,
) -> GraphServiceClient:
    """A real GraphServiceClient with the SDK's default middleware, aimed at `server`.

    `retry_delay` / `max_retries` set the retry handler's options (SDK defaults: 3 s base
    delay when there is no Retry-After header, 3 retries).
    """
    http = KiotaClientFactory.get_default_client()
    http.timeout = httpx.Timeout(timeout, connect=connect_timeout)
    middleware_options: dict[str, RequestOption] = dict(sdk_options)
    if retry_delay is not None or max_retries is not None:
        middleware_options[RetryHandlerOption.get_key()] = RetryHandlerOption(
            delay=RetryHandlerOption.DEFAULT_DELAY if retry_delay is None else retry_delay,
            max_retries=RetryHandlerOption.DEFAULT_MAX_RETRIES if max_retries is None
            else max_retries,
        )
    http = GraphClientFactory.create_with_default_middleware(client=http,
                                                             options=middleware_options)
    auth = AzureIdentityAuthenticationProvider(credential or FakeCredential(),
                                               allowed_hosts=["127.0.0.1"])
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = server.base_url
    return GraphServiceClient(request_adapter=adapter)


async def close_graph_client(client: GraphServiceClient) -> None:
    """Close the client's connection pool.

    msgraph-sdk has no public close, and `httpx.AsyncClient.aclose()` alone leaks the pool:
    msgraph-core's `AsyncGraphTransport` wraps the real transport without an `aclose`, so the
    wrapped transport is closed here explicitly.
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


@asynccontextmanager
async def graph_client(server: GraphServer, **options: Any) -> AsyncIterator[GraphServiceClient]:
    """`make_graph_client` that closes its connections afterwards."""
    client = make_graph_client(server, **options)
    try:
        yield client
    finally:
        await close_graph_client(client)
