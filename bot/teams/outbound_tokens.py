"""Tokens for what the bot sends, fetched without stalling the server.

botbuilder asks its credentials for a token synchronously inside every outgoing request
(msrest's ``signed_session``), and its credentials factory makes new credentials, so a new
MSAL application and a token request, for every turn and every proactive message. A token
endpoint that answers slowly or never would then freeze every request on the event loop,
``/healthz`` included, and every turn would cost a token request.

:class:`WarmCredentialsFactory` wraps botbuilder's factory: it keeps one credentials object
per app, scope and authority, and before handing it to botbuilder makes sure its token is in
MSAL's cache. That fetch runs in a small thread pool of its own (never the loop, never the
pool the document store uses), within ``timeout`` seconds; callers of the same credentials
share one fetch; a failed fetch is remembered for ``failure_ttl`` (callers get
:class:`TokenUnavailable` at once meanwhile); a token checked in the last ``fresh_for``
seconds is not checked again (MSAL hands out no token that expires within five minutes, so
the synchronous call botbuilder makes next is a cache hit).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NoReturn

from botframework.connector.auth import ServiceClientCredentialsFactory

log = logging.getLogger("paraaf.tokens")

_Key = tuple[str, str, str, bool]


class TokenUnavailable(Exception):
    """No token for sending could be had in time; the message says why (no secrets)."""


class WarmCredentialsFactory(ServiceClientCredentialsFactory):
    """botbuilder's credentials factory, with tokens fetched off the event loop."""

    def __init__(self, inner: Any, timeout: float = 5.0, failure_ttl: float = 30.0,
                 fresh_for: float = 120.0, usable_for: float = 240.0,
                 clock: Callable[[], float] = time.monotonic, workers: int = 2) -> None:
        self._inner = inner
        self.timeout = timeout
        self.failure_ttl = failure_ttl
        self.fresh_for = fresh_for
        self.usable_for = usable_for
        self._clock = clock
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bot-token")
        self._credentials: dict[_Key, Any] = {}
        self._fetching: dict[_Key, asyncio.Future[str]] = {}
        self._failed: dict[_Key, tuple[float, str]] = {}  # until, why
        self._tokens: dict[_Key, tuple[float, str]] = {}  # fetched at, token

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(await self._inner.is_valid_app_id(app_id))

    async def is_authentication_disabled(self) -> bool:
        return bool(await self._inner.is_authentication_disabled())

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> Any:
        """The credentials for this app, scope and authority, their token fetched (or its
        failure remembered). It never raises for a token: an invoke needs none to be
        answered; a send without a token fails with :class:`TokenUnavailable`."""
        key: _Key = (app_id or "", oauth_scope or "", login_endpoint or "",
                     bool(validate_authority))
        credentials = self._credentials.get(key)
        if credentials is None:
            credentials = await self._inner.create_credentials(
                app_id, oauth_scope, login_endpoint, validate_authority)
            if app_id and not await self._inner.is_authentication_disabled():
                credentials.get_access_token = self._guard(key, credentials.get_access_token)
            self._credentials[key] = credentials
        if app_id and not await self._inner.is_authentication_disabled():
            with contextlib.suppress(TokenUnavailable):  # remembered; a send says so
                await self.warm(key)
        return credentials

    def _guard(self, key: _Key, fetch: Callable[..., str]) -> Callable[..., str]:
        """``get_access_token`` that never fetches on the event loop: there it hands out the
        token fetched by :meth:`warm`, or raises TokenUnavailable."""

        def get_access_token(force_refresh: bool = False) -> str:
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # a token thread: fetch for real
                return fetch(force_refresh)
            held = self._tokens.get(key)
            if held is not None and self._clock() - held[0] < self.usable_for:
                return held[1]
            failed = self._failed.get(key)
            raise TokenUnavailable(failed[1] if failed else "no token for sending yet")

        return get_access_token

    async def warm(self, key: _Key) -> None:
        """Make sure a token of ``key`` fetched in the last ``fresh_for`` seconds is held."""
        now = self._clock()
        held = self._tokens.get(key)
        if held is not None and now - held[0] < self.fresh_for:
            return
        failed = self._failed.get(key)
        if failed is not None and failed[0] > now:
            raise TokenUnavailable(failed[1])
        fetch = self._fetching.get(key)
        if fetch is None:
            fetch = asyncio.get_running_loop().run_in_executor(
                self._pool, self._credentials[key].get_access_token)
            self._fetching[key] = fetch
            fetch.add_done_callback(lambda _: self._fetching.pop(key, None))
        try:
            token = await asyncio.wait_for(asyncio.shield(fetch), self.timeout)
        except TimeoutError:
            self._fail(key, f"the token service did not answer within {self.timeout:g} s")
        except Exception as error:  # MSAL and requests raise many kinds
            self._fail(key, f"no token for sending ({type(error).__name__})")
        else:
            self._failed.pop(key, None)
            self._tokens[key] = (self._clock(), token)

    def _fail(self, key: _Key, why: str) -> NoReturn:
        self._failed[key] = (self._clock() + self.failure_ttl, why)
        log.warning("token for sending unavailable", extra={"reason": why})
        raise TokenUnavailable(why)

    def close(self, wait: bool = False) -> None:
        """Stop the token threads; a fetch still waiting on a silent service is left to end
        on its own unless ``wait``."""
        self._pool.shutdown(wait=wait, cancel_futures=True)
