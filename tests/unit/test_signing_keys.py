"""Signing keys from an OpenID metadata document on 127.0.0.1: caching, refresh and failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.signing_keys import KeysUnavailable, SigningKeys
from tests.support.openid_stand_in import HangingListener, Signer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Issuer:
    """Metadata at /metadata, keys at /keys; what they answer can be changed by a test."""

    def __init__(self, signer: Signer) -> None:
        self.keys: Any = {"keys": [signer.jwk()]}
        self.jwks_uri = ""
        self.base = ""  # the server's address, once it listens
        self.status = 200
        self.requests = 0

    async def metadata(self, request: web.Request) -> web.Response:
        self.requests += 1
        if self.status != 200:
            return web.Response(status=self.status)
        return web.json_response({"jwks_uri": self.jwks_uri or f"{self.base}/keys"})

    async def jwks(self, request: web.Request) -> web.Response:
        if isinstance(self.keys, bytes):
            return web.Response(body=self.keys, content_type="application/json")
        return web.json_response(self.keys)


@pytest.fixture
async def issuer(signer: Signer) -> AsyncIterator[Issuer]:
    found = Issuer(signer)
    app = web.Application()
    app.router.add_get("/metadata", found.metadata)
    app.router.add_get("/keys", found.jwks)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    found.base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    yield found
    await runner.cleanup()


def keys_for(issuer: Issuer, clock: Clock) -> SigningKeys:
    return SigningKeys(f"{issuer.base}/metadata", clock=clock)


async def test_keys_are_cached_for_a_day_then_fetched_again(issuer: Issuer) -> None:
    clock = Clock()
    keys = keys_for(issuer, clock)
    assert (await keys.get("key-1")) is not None
    clock.now += 3600
    assert (await keys.get("key-1")) is not None
    assert issuer.requests == 1
    clock.now += 24 * 3600
    assert (await keys.get("key-1")) is not None
    assert issuer.requests == 2


async def test_old_keys_serve_while_the_issuer_is_down(issuer: Issuer) -> None:
    clock = Clock()
    keys = keys_for(issuer, clock)
    assert (await keys.get("key-1")) is not None
    issuer.status = 503
    clock.now += 2 * 24 * 3600
    assert (await keys.get("key-1")) is not None  # stale, but the issuer's own key
    with pytest.raises(KeysUnavailable):
        await keys.get("key-2")
    assert "503" in (keys.problem() or "")


async def test_a_failure_is_remembered_then_tried_again(issuer: Issuer) -> None:
    clock = Clock()
    keys = keys_for(issuer, clock)
    issuer.status = 500
    for _ in range(5):
        with pytest.raises(KeysUnavailable, match="500"):
            await keys.get("key-1")
    assert issuer.requests == 1
    issuer.status = 200
    clock.now += 31
    assert (await keys.get("key-1")) is not None
    assert keys.problem() is None


@pytest.mark.parametrize(("jwks_uri", "reason"), [
    ("http://keys.example/keys", "not https"),
    ("file:///etc/passwd", "not https"),
])
async def test_a_jwks_uri_that_is_not_https_is_not_followed(
    issuer: Issuer, jwks_uri: str, reason: str
) -> None:
    issuer.jwks_uri = jwks_uri
    with pytest.raises(KeysUnavailable, match=reason):
        await keys_for(issuer, Clock()).get("key-1")


@pytest.mark.parametrize(("document", "reason"), [
    (b"x" * (600 * 1024), "too large"),
    (b"{not json", "not JSON"),
    ({"keys": "x"}, "no usable RSA key"),
    ({"keys": [{"kty": "RSA", "kid": "k", "n": "!!", "e": "AQAB"}, 5, {"kty": "EC"}]},
     "no usable RSA key"),
    ([], "no usable RSA key"),
])
async def test_a_bad_key_document_makes_the_keys_unavailable(
    issuer: Issuer, document: Any, reason: str
) -> None:
    issuer.keys = document
    keys = keys_for(issuer, Clock())
    with pytest.raises(KeysUnavailable, match=reason):
        await keys.get("key-1")
    assert reason in (keys.problem() or "")


async def test_a_hanging_fetch_is_stopped_on_shutdown() -> None:
    hanging = HangingListener()
    await hanging.start()
    try:
        keys = SigningKeys(hanging.url)
        keys.refresh_soon()
        for _ in range(200):  # bounded: until the listener has the connection
            if hanging.connections:
                break
            await asyncio.sleep(0.01)
        await keys.close()
        assert keys.problem() == "signing keys not fetched yet"
        assert hanging.connections == 1
    finally:
        await hanging.stop()
