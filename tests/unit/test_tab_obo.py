"""On-behalf-of (bot/tab/obo.py) against a local stand-in for Entra's token endpoint."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.tab.obo import GRAPH_SCOPE, ExchangeFailed, exchange
from tests.support.openid_stand_in import HangingListener

TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"
CLIENT = "0f4e9c1a-7d2b-4c8e-9a6f-3b5d1e2c4a7f"
SECRET = "tab-secret"
USER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def user_token(oid: str = "oid-1") -> str:
    now = int(time.time())
    return jwt.encode({"aud": CLIENT, "tid": TENANT, "oid": oid, "scp": "access_as_user",
                       "nbf": now, "exp": now + 600}, USER_KEY, algorithm="RS256",
                      headers={"kid": "k1"})


class TokenEndpoint:
    """Entra's /{tenant}/oauth2/v2.0/token for the on-behalf-of grant: checks the client,
    the grant and the user's token (its signature and audience) and issues a Graph token
    for that user; anything else is answered as Entra does, with an ``error`` code."""

    def __init__(self) -> None:
        self.forms: list[dict[str, str]] = []
        self.base = ""

    async def token(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.forms.append(form)
        if request.match_info["tenant"] != TENANT:
            return web.json_response({"error": "invalid_request"}, status=400)
        if form.get("client_id") != CLIENT or form.get("client_secret") != SECRET:
            return web.json_response({"error": "invalid_client"}, status=401)
        if (form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer"
                or form.get("requested_token_use") != "on_behalf_of"):
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        try:
            user = jwt.decode(form.get("assertion", ""), USER_KEY.public_key(),
                              algorithms=["RS256"], audience=CLIENT)
        except jwt.PyJWTError:
            return web.json_response({"error": "invalid_grant"}, status=400)
        graph = jwt.encode({"aud": "https://graph.microsoft.com", "oid": user["oid"],
                            "scp": "User.Read"}, USER_KEY, algorithm="RS256")
        return web.json_response({"token_type": "Bearer", "scope": form["scope"],
                                  "expires_in": 3599, "access_token": graph})


@pytest.fixture
async def entra() -> AsyncIterator[TokenEndpoint]:
    endpoint = TokenEndpoint()
    app = web.Application()
    app.router.add_post("/{tenant}/oauth2/v2.0/token", endpoint.token)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    endpoint.base = f"http://127.0.0.1:{port}"
    yield endpoint
    await runner.cleanup()


async def test_the_users_token_is_exchanged_for_a_graph_token_for_that_user(
        entra: TokenEndpoint) -> None:
    got = await exchange(entra.base, TENANT, CLIENT, SECRET, user_token("oid-42"))
    claims: dict[str, Any] = jwt.decode(got.access_token, options={"verify_signature": False})
    assert claims["oid"] == "oid-42" and got.expires_in == 3599 and got.scope == GRAPH_SCOPE
    form = entra.forms[-1]
    assert form["requested_token_use"] == "on_behalf_of" and form["scope"] == GRAPH_SCOPE
    assert "access_token" not in repr(got) and got.access_token not in repr(got)


@pytest.mark.parametrize(("change", "code"), [
    ({"client_secret": "wrong"}, "invalid_client"),
    ({"assertion": "not-a-token"}, "invalid_grant"),
    ({"tenant": "another-tenant"}, "invalid_request"),
])
async def test_a_refusal_names_entras_error_code(entra: TokenEndpoint, change: dict[str, str],
                                                 code: str) -> None:
    args = {"tenant": TENANT, "client_secret": SECRET, "assertion": user_token(), **change}
    with pytest.raises(ExchangeFailed) as failed:
        await exchange(entra.base, args["tenant"], CLIENT, args["client_secret"],
                       args["assertion"])
    assert failed.value.code == code and failed.value.status in (400, 401)
    assert args["assertion"] not in str(failed.value)


async def test_an_endpoint_that_never_answers_fails_within_the_timeout() -> None:
    hanging = HangingListener()
    await hanging.start()
    try:
        with pytest.raises(ExchangeFailed) as failed:
            await exchange(hanging.url.removesuffix("/metadata"), TENANT, CLIENT, SECRET,
                           user_token(), timeout=0.3)
    finally:
        await hanging.stop()
    assert failed.value.code == "no_answer" and hanging.connections == 1
