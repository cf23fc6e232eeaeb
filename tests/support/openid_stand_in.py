"""A stand-in for the Bot Framework's token signing service on 127.0.0.1, and tokens from it.

``KeyServer`` serves the OpenID metadata and the JWKS the bot fetches its signing keys from,
and counts the requests; ``HangingListener`` accepts connections and never answers (a proxy
that hangs, a black-holed network); ``Signer`` mints RS256 tokens as the Bot Framework would.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
APP_ID = "11111111-2222-3333-4444-555555555555"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"


@dataclass
class Signer:
    """One RSA signing key with its key id (made once per test session: key generation is slow)."""

    kid: str
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    endorsements: tuple[str, ...] = ("msteams",)

    def jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "endorsements": list(self.endorsements)}

    def token(self, *, kid: str | None = None, alg: str = "RS256", **changes: Any) -> str:
        """A channel token for ``APP_ID``; ``changes`` replace claims (None removes one)."""
        now = int(time.time())
        claims: dict[str, Any] = {"iss": ISSUER, "aud": APP_ID, "serviceurl": SERVICE_URL,
                                  "nbf": now - 60, "exp": now + 3600}
        claims.update(changes)
        claims = {k: v for k, v in claims.items() if v is not None}
        headers = {"kid": self.kid if kid is None else kid}
        return jwt.encode(claims, self.key, algorithm=alg, headers=headers)


def unsigned_token(header: dict[str, Any], claims: dict[str, Any], signature: str = "c2ln") -> str:
    """A token with any header and claims and a made-up signature."""
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part(header)}.{part(claims)}.{signature}"


class KeyServer:
    """OpenID metadata at ``/metadata`` and the JWKS at ``/keys``, on an ephemeral port."""

    def __init__(self, *signers: Signer) -> None:
        self.keys = [s.jwk() for s in signers]
        self.metadata_requests = 0
        self.key_requests = 0
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metadata", self._metadata)
        app.router.add_get("/keys", self._keys)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        self.url = f"{self.base}/metadata"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _metadata(self, request: web.Request) -> web.Response:
        self.metadata_requests += 1
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.base}/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        self.key_requests += 1
        return web.json_response({"keys": self.keys})


class HangingListener:
    """Accepts TCP connections on 127.0.0.1 and never answers; counts the connections."""

    def __init__(self) -> None:
        self.connections = 0
        self.url = ""
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/metadata"

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.append(writer)

    async def stop(self) -> None:
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
