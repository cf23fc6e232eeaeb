"""Tokens for what the bot sends never stall the event loop (bot.teams.outbound_tokens).

botbuilder's credentials fetch a token synchronously inside every outgoing request. The
factory fetches it in a thread with a time limit, shares one fetch, remembers a failure, and
makes the credentials' synchronous call hand out the fetched token (or refuse) on the loop.
The last tests run botbuilder's real credentials and MSAL against a local token service over
HTTP (MSAL's transport pointed at 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import msal
import pytest
import requests
from botframework.connector.auth import (
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)

from bot.teams.outbound_tokens import TokenUnavailable, WarmCredentialsFactory

SCOPE = "https://api.botframework.com"
LOGIN = "https://login.microsoftonline.com/botframework.com"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SlowCredentials:
    """Credentials whose token fetch blocks until released (a silent token service)."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release
        self.fetches = 0

    def get_access_token(self, force_refresh: bool = False) -> str:
        self.fetches += 1
        if not self.release.wait(10):
            raise TimeoutError("never answered")
        return f"token-{self.fetches}"


class Factory:
    """The inner factory: one new credentials object per call, like botbuilder's."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release
        self.made: list[SlowCredentials] = []

    async def is_valid_app_id(self, app_id: str) -> bool:
        return True

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> SlowCredentials:
        self.made.append(SlowCredentials(self.release))
        return self.made[-1]


async def _worst_gap(during: Any, tick: float = 0.005) -> tuple[Any, float]:
    """Run ``during`` while a heartbeat ticks; the result and the longest gap between ticks."""
    gaps: list[float] = []
    stop = asyncio.Event()

    async def heartbeat() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(tick)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    beat = asyncio.create_task(heartbeat())
    try:
        result = await during
    finally:
        stop.set()
        await beat
    return result, max(gaps, default=0.0)


def test_a_silent_token_service_never_stalls_the_loop_and_its_failure_is_remembered() -> None:
    async def scenario() -> None:
        release, clock = threading.Event(), Clock()
        inner = Factory(release)
        factory = WarmCredentialsFactory(inner, timeout=0.3, failure_ttl=30, clock=clock)
        try:
            calls = [factory.create_credentials("app", SCOPE, LOGIN, True) for _ in range(20)]
            made, gap = await _worst_gap(asyncio.gather(*calls))
            assert gap < 0.2  # the loop kept serving while the service said nothing
            assert len({id(c) for c in made}) == 1 and len(inner.made) == 1  # kept, reused
            assert inner.made[0].fetches == 1  # twenty callers, one fetch
            with pytest.raises(TokenUnavailable, match=r"did not answer within 0\.3 s"):
                made[0].get_access_token()  # botbuilder's call on the loop: no request
            started = time.perf_counter()
            await factory.create_credentials("app", SCOPE, LOGIN, True)
            assert time.perf_counter() - started < 0.1  # remembered: no second wait
            assert inner.made[0].fetches == 1
            release.set()  # the service answers again; after the failure is forgotten:
            clock.now += 31
            credentials = await factory.create_credentials("app", SCOPE, LOGIN, True)
            assert credentials.get_access_token() in ("token-1", "token-2")
        finally:
            release.set()
            factory.close(wait=True)

    asyncio.run(scenario())


def test_a_held_token_is_handed_out_on_the_loop_and_fetched_again_when_old() -> None:
    async def scenario() -> None:
        release, clock = threading.Event(), Clock()
        release.set()
        inner = Factory(release)
        factory = WarmCredentialsFactory(inner, fresh_for=120, usable_for=240, clock=clock)
        try:
            credentials = await factory.create_credentials("app", SCOPE, LOGIN, True)
            assert [credentials.get_access_token() for _ in range(5)] == ["token-1"] * 5
            clock.now += 60
            await factory.create_credentials("app", SCOPE, LOGIN, True)
            assert inner.made[0].fetches == 1  # still fresh: no fetch
            clock.now += 61
            await factory.create_credentials("app", SCOPE, LOGIN, True)
            assert inner.made[0].fetches == 2
            assert credentials.get_access_token() == "token-2"
            clock.now += 241  # nobody sent for a while: the held token is not handed out
            with pytest.raises(TokenUnavailable):
                credentials.get_access_token()
        finally:
            factory.close()

    asyncio.run(scenario())


def test_local_mode_fetches_nothing() -> None:
    async def scenario() -> None:
        factory = WarmCredentialsFactory(PasswordServiceClientCredentialFactory("", ""))
        try:
            credentials = await factory.create_credentials("", SCOPE, LOGIN, True)
            session = credentials.signed_session(requests.Session())  # what a send does
            assert "Authorization" not in session.headers
        finally:
            factory.close()

    asyncio.run(scenario())


# --------------------------------------------------------- real MSAL, local token service


class TokenService:
    """Entra's discovery and token endpoints on 127.0.0.1; ``silent`` makes it hang."""

    def __init__(self) -> None:
        self.token_requests = 0
        self.silent = threading.Event()
        self.release = threading.Event()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                base = "https://login.microsoftonline.com/botframework.com"
                self._answer({
                    "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{base}/oauth2/v2.0/token",
                    "issuer": "https://login.microsoftonline.com/tenant/v2.0",
                    "tenant_discovery_endpoint": f"{base}/v2.0/.well-known/openid-configuration",
                    "metadata": [],
                })

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                service.token_requests += 1
                if service.silent.is_set():
                    service.release.wait(10)
                    return
                self._answer({"token_type": "Bearer", "expires_in": 3599,
                              "access_token": f"local-token-{service.token_requests}"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class LocalTransport:
    """MSAL's HTTP client, sending every request to the local token service."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.session = requests.Session()

    def _local(self, url: str) -> str:
        parts = urlsplit(url)
        query = f"?{parts.query}" if parts.query else ""
        return f"http://127.0.0.1:{self.port}{parts.path}{query}"

    def post(self, url: str, params: Any = None, data: Any = None, headers: Any = None,
             **kwargs: Any) -> requests.Response:
        return self.session.post(self._local(url), params=params, data=data, headers=headers,
                                 timeout=30)

    def get(self, url: str, params: Any = None, headers: Any = None,
            **kwargs: Any) -> requests.Response:
        return self.session.get(self._local(url), params=params, headers=headers, timeout=30)

    def close(self) -> None:
        self.session.close()


class LocalPasswordFactory(PasswordServiceClientCredentialFactory):
    """botbuilder's password factory whose credentials' MSAL talks to the local service."""

    def __init__(self, transport: LocalTransport) -> None:
        super().__init__("app-id", "app-secret")
        self.transport = transport
        self.made = 0

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> MicrosoftAppCredentials:
        credentials = await super().create_credentials(app_id, oauth_scope, login_endpoint,
                                                       validate_authority)
        credentials.app = msal.ConfidentialClientApplication(
            app_id, client_credential="app-secret", authority=credentials.oauth_endpoint,
            http_client=self.transport, instance_discovery=False)
        self.made += 1
        return credentials


@pytest.fixture
def service() -> Iterator[tuple[TokenService, LocalTransport]]:
    token_service = TokenService()
    transport = LocalTransport(token_service.port)
    yield token_service, transport
    transport.close()
    token_service.close()


def test_botbuilders_credentials_ask_the_token_service_once_for_many_sends(
        service: tuple[TokenService, LocalTransport]) -> None:
    token_service, transport = service

    async def scenario() -> None:
        inner = LocalPasswordFactory(transport)
        factory = WarmCredentialsFactory(inner)
        try:
            for _ in range(30):  # thirty turns or proactive sends
                credentials = await factory.create_credentials(
                    "app-id", SCOPE, credentials_login(), True)
                session = credentials.signed_session(requests.Session())
                assert session.headers["Authorization"] == "Bearer local-token-1"
            assert token_service.token_requests == 1
            assert inner.made == 1  # one MSAL application, not one per turn
        finally:
            factory.close()

    asyncio.run(scenario())


def test_a_silent_token_service_costs_a_send_its_token_not_the_servers_loop(
        service: tuple[TokenService, LocalTransport]) -> None:
    token_service, transport = service
    token_service.silent.set()

    async def scenario() -> None:
        factory = WarmCredentialsFactory(LocalPasswordFactory(transport), timeout=0.5)
        try:
            credentials, gap = await _worst_gap(
                factory.create_credentials("app-id", SCOPE, credentials_login(), True))
            assert gap < 0.3
            with pytest.raises(TokenUnavailable):
                credentials.signed_session(requests.Session())  # what a send does on the loop
        finally:
            token_service.release.set()
            factory.close(wait=True)

    asyncio.run(scenario())


def credentials_login() -> str:
    """The login endpoint botbuilder passes for the public cloud."""
    return "https://login.microsoftonline.com/botframework.com"
