"""Production mode: Bot Framework tokens over real HTTP, with the signing service on 127.0.0.1.

The bot checks each token itself (issuer, audience, expiry, RS256 only, the key's
endorsements, the serviceUrl claim) against keys fetched with a timeout and cached; a signing
service that does not answer never stalls the server.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import statistics
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.hazmat.primitives import serialization

from tests.e2e.bot_http import BotClient, activity, bot_server, card_text, copy_demo
from tests.support.openid_stand_in import (
    APP_ID,
    SERVICE_URL,
    HangingListener,
    KeyServer,
    Signer,
    unsigned_token,
)

FINANCE = "f.meijer@voorbeeldstad.nl"
UNAUTHORIZED = {"error": "unauthorized"}


@pytest.fixture(scope="module")
def rotated() -> Signer:
    return Signer("key-2")


@pytest.fixture(scope="module")
def impostor() -> Signer:
    """Another key that claims the first key's id."""
    return Signer("key-1")


@pytest.fixture(scope="module")
def webchat_only() -> Signer:
    """A key the Bot Framework endorses for another channel than Teams."""
    return Signer("key-webchat", endorsements=("webchat",))


def production(metadata_url: str) -> dict[str, str]:
    return {"PARAAF_MODE": "production", "PARAAF_HOST": "127.0.0.1", "PARAAF_APP_ID": APP_ID,
            "PARAAF_APP_PASSWORD": "not-a-real-secret",
            "PARAAF_BOT_OPENID_METADATA_URL": metadata_url}


@pytest.fixture
async def keys(signer: Signer, webchat_only: Signer) -> AsyncIterator[KeyServer]:
    server = KeyServer(signer, webchat_only)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def prod(demo_template: Path, tmp_path: Path,
               keys: KeyServer) -> AsyncIterator[BotClient]:
    async with bot_server(copy_demo(demo_template, tmp_path / "data"),
                          production(keys.url)) as running:
        yield running


def refresh(service_url: str = SERVICE_URL) -> dict[str, Any]:
    """A card refresh by the financial advisor, as Teams posts it."""
    return activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"},
                    service_url=service_url)


async def post_with(client: BotClient, token: str,
                    body: dict[str, Any] | None = None) -> tuple[int, Any]:
    return await client.post(body or refresh(), {"Authorization": f"Bearer {token}"})


async def test_a_valid_token_gets_the_card_and_the_keys_are_fetched_once(
    prod: BotClient, keys: KeyServer, signer: Signer
) -> None:
    for _ in range(3):
        status, payload = await post_with(prod, signer.token())
        assert status == 200, payload
        assert "Herinrichting Marktplein" in card_text(payload["value"])
    assert keys.key_requests == 1


async def test_a_token_just_past_its_expiry_is_within_the_clock_skew(
    prod: BotClient, signer: Signer
) -> None:
    now = int(time.time())
    status, payload = await post_with(prod, signer.token(exp=now - 60, nbf=now - 3600))
    assert status == 200, payload


async def test_a_new_signing_key_is_fetched_when_a_token_names_it(
    prod: BotClient, keys: KeyServer, signer: Signer, rotated: Signer
) -> None:
    assert (await post_with(prod, signer.token()))[0] == 200
    keys.keys.append(rotated.jwk())  # the Bot Framework rotates its keys
    prod.app_runtime.keys.unknown_key_interval = 0.0  # no wait between refreshes in this test
    status, payload = await post_with(prod, rotated.token())
    assert status == 200, payload
    assert keys.key_requests == 2


async def test_unknown_key_ids_refresh_the_keys_at_most_once_a_while(
    prod: BotClient, keys: KeyServer, signer: Signer, rotated: Signer
) -> None:
    assert (await post_with(prod, signer.token()))[0] == 200
    results = await asyncio.gather(*(post_with(prod, rotated.token(kid=f"forged-{i}"))
                                     for i in range(20)))
    assert {status for status, _ in results} == {401}
    assert keys.key_requests == 1  # the forged key ids did not make the bot fetch again


def _hs256_with_the_public_key(signer: Signer) -> str:
    """The classic confusion: an HMAC token keyed with the (public) RSA key."""
    secret = signer.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = {"alg": "HS256", "kid": signer.kid, "typ": "JWT"}
    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": SERVICE_URL,
              "exp": now + 3600}
    unsigned = unsigned_token(header, claims, "").rstrip(".")
    signature = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{base64.urlsafe_b64encode(signature).decode().rstrip('=')}"


def _forged_tokens(signer: Signer, impostor: Signer, webchat_only: Signer) -> dict[str, str]:
    now = int(time.time())
    header = {"alg": "RS256", "kid": signer.kid, "typ": "JWT"}
    good_claims = {"iss": "https://api.botframework.com", "aud": APP_ID,
                   "serviceurl": SERVICE_URL, "exp": now + 3600}
    return {
        "expired": signer.token(exp=now - 900, nbf=now - 3600),
        "not yet valid": signer.token(nbf=now + 900),
        "no expiry": signer.token(exp=None),
        "another audience": signer.token(aud="99999999-2222-3333-4444-555555555555"),
        "no audience": signer.token(aud=None),
        "another issuer": signer.token(iss="https://sts.windows.net/evil/"),
        "signed by another key with the same id": impostor.token(),
        "unknown key id": signer.token(kid="not-a-key"),
        "no key id": unsigned_token({"alg": "RS256", "typ": "JWT"}, good_claims),
        "alg none": unsigned_token({**header, "alg": "none"}, good_claims, ""),
        "alg HS256 keyed with the public key": _hs256_with_the_public_key(signer),
        "alg RS512": signer.token(alg="RS512"),
        "another serviceUrl": signer.token(serviceurl="https://evil.example/"),
        "no serviceUrl": signer.token(serviceurl=None),
        "key not endorsed for Teams": webchat_only.token(),
        "garbage": "a.b.c",
        "not base64": "%%%.%%%.%%%",
        "header is not JSON": "bm90IGpzb24.e30.c2ln",
    }


FORGERIES = ["expired", "not yet valid", "no expiry", "another audience", "no audience",
             "another issuer", "signed by another key with the same id", "unknown key id",
             "no key id", "alg none", "alg HS256 keyed with the public key", "alg RS512",
             "another serviceUrl", "no serviceUrl", "key not endorsed for Teams", "garbage",
             "not base64", "header is not JSON"]


@pytest.mark.parametrize("case", FORGERIES)
async def test_a_forged_token_is_401_and_one_info_line(
    prod: BotClient, signer: Signer, impostor: Signer, webchat_only: Signer, case: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    forged = _forged_tokens(signer, impostor, webchat_only)
    assert sorted(forged) == sorted(FORGERIES)
    token = forged[case]
    before = await prod.event_types("DEMO-1")
    await ready(prod)  # the keys are fetched: what is logged now is about the token
    with caplog.at_level(logging.DEBUG, logger="paraaf"):
        status, payload = await post_with(prod, token)
    assert (status, payload) == (401, UNAUTHORIZED)
    assert await prod.event_types("DEMO-1") == before
    lines = [r for r in caplog.records if r.name.startswith("paraaf")]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert lines[0].levelno == logging.INFO and lines[0].exc_info is None
    assert getattr(lines[0], "reason", ""), "the log line says why"


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Bearer abc",
                                    "Basic dXNlcjpwYXNz", "bearer a.b.c", "Bearer a.b.c d",
                                    "Bearer " + "a" * 8_100 + ".b.c"])
async def test_a_malformed_authorization_header_is_401(prod: BotClient, keys: KeyServer,
                                                       header: str | None) -> None:
    await ready(prod)
    fetched = keys.metadata_requests
    status, payload = await prod.post(refresh(), {"Authorization": header} if header is not None
                                      else {})
    assert (status, payload) == (401, UNAUTHORIZED)
    assert keys.metadata_requests == fetched  # nothing is fetched for a header that is no token


async def test_forged_tokens_do_not_stall_the_server_while_the_key_service_hangs(
    demo_template: Path, tmp_path: Path, signer: Signer
) -> None:
    hanging = HangingListener()
    await hanging.start()
    try:
        async with bot_server(copy_demo(demo_template, tmp_path / "data"),
                              production(hanging.url)) as prod:
            await _flood_and_watch_health(prod, hanging, signer)
    finally:
        await hanging.stop()


async def _timed(client: BotClient, token: str) -> tuple[int, float]:
    started = time.monotonic()
    status, _ = await post_with(client, token)
    return status, time.monotonic() - started


def _flood(base: str, tokens: list[str]) -> list[tuple[int, float]]:
    """Post every token at once from another thread with its own event loop (the attacker is
    not the server's loop: what /healthz measures is the server)."""
    async def post(session: aiohttp.ClientSession, token: str) -> tuple[int, float]:
        started = time.monotonic()
        async with session.post(f"{base}/api/messages", json=refresh(),
                                headers={"Authorization": f"Bearer {token}"}) as response:
            await response.read()
            return response.status, time.monotonic() - started

    async def run() -> list[tuple[int, float]]:
        async with aiohttp.ClientSession() as session:
            return list(await asyncio.gather(*(post(session, t) for t in tokens)))

    return asyncio.run(run())


async def _flood_and_watch_health(prod: BotClient, hanging: HangingListener,
                                  signer: Signer) -> None:
    forged = [signer.token(kid=f"forged-{i}") for i in range(50)]
    flood = asyncio.ensure_future(asyncio.to_thread(_flood, prod.base, forged))
    health: list[float] = []
    for _ in range(400):  # bounded: about 8 s at most
        if flood.done():
            break
        started = time.monotonic()
        async with prod.session.get(f"{prod.base}/healthz") as response:
            assert response.status == 200
        health.append(time.monotonic() - started)
        await asyncio.sleep(0.02)
    results = await asyncio.wait_for(flood, 10)
    assert {status for status, _ in results} <= {401, 503}
    assert max(seconds for _, seconds in results) < 5.0
    assert len(health) >= 10
    p95 = statistics.quantiles(health, n=20)[-1]
    assert p95 < 0.2, f"/healthz p95 {p95:.3f} s while tokens waited for keys"
    # the failed fetch is remembered: more forged tokens do not try again, and answer at once
    again = await asyncio.gather(*(_timed(prod, t) for t in forged[:10]))
    assert {status for status, _ in again} == {503}
    assert max(seconds for _, seconds in again) < 1.0
    assert hanging.connections == 1
    async with prod.session.get(f"{prod.base}/readyz") as response:
        assert response.status == 503
        body = await response.json()
    assert "signing keys" in body["reason"]


async def ready(client: BotClient) -> dict[str, Any]:
    """/readyz's answer once it is ready, or its last answer (bounded: about 5 s)."""
    body: dict[str, Any] = {}
    for _ in range(100):  # the keys are fetched in the background at start
        async with client.session.get(f"{client.base}/readyz") as response:
            body = await response.json()
            if response.status == 200:
                break
        await asyncio.sleep(0.05)
    return body


async def test_readyz_is_ready_once_the_signing_keys_are_there(prod: BotClient) -> None:
    assert await ready(prod) == {"status": "ready"}


def test_the_metadata_url_must_be_https_or_loopback() -> None:
    from bot.settings import BOT_OPENID_METADATA_URL, Settings, SettingsError

    env = {"PARAAF_MODE": "production", "PARAAF_APP_ID": APP_ID, "PARAAF_APP_PASSWORD": "s"}
    assert Settings.from_env(env).bot_openid_metadata_url == BOT_OPENID_METADATA_URL
    for bad in ("http://login.botframework.com/x", "ftp://127.0.0.1/x", "not a url",
                "http://10.0.0.1/metadata"):
        with pytest.raises(SettingsError, match="PARAAF_BOT_OPENID_METADATA_URL"):
            Settings.from_env({**env, "PARAAF_BOT_OPENID_METADATA_URL": bad})
    local = "http://127.0.0.1:8080/metadata"
    assert Settings.from_env({**env, "PARAAF_BOT_OPENID_METADATA_URL": local}) \
        .bot_openid_metadata_url == local

