"""Entra ID for one tenant with one app registration, on 127.0.0.1: what ``paraaf doctor``
meets before it reaches Graph.

- ``/{tenant}/v2.0/.well-known/openid-configuration``: the tenant's OpenID configuration, 400
  ``AADSTS90002`` for a tenant it does not know (what login.microsoftonline.com answers); the
  product reaches it through ``AZURE_AUTHORITY_HOST``, as azure-identity does.
- :meth:`EntraApp.credential`: an azure-identity style credential for the settings, with Entra
  ID's rules for the client credentials grant: an unknown tenant, an unknown client id in the
  tenant and a wrong secret are refused with their AADSTS codes; otherwise an access token
  for Graph (unsigned: the Graph test server reads its claims unverified) with the tenant,
  the app and the application permissions granted to it.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError

TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"
CLIENT = "9a0e4b4c-2f6a-4f43-9d0e-6e3b1c2d7f10"
SECRET = "geheim-van-de-app"
ROLES = ("Sites.Selected", "User.Read.All", "GroupMember.Read.All",
         "TeamsAppInstallation.ReadWriteSelfForUser.All")
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


@dataclass
class EntraApp:
    """The tenant, its app registration and the permissions admin consent granted."""

    tenant: str = TENANT
    client: str = CLIENT
    secret: str = SECRET
    roles: tuple[str, ...] = ROLES
    tokens: int = 0  # tokens issued
    url: str = ""
    _runner: web.AppRunner | None = field(default=None, repr=False)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._openid)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _openid(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        if tenant not in (self.tenant, "organizations", "common"):
            return web.json_response({
                "error": "invalid_tenant",
                "error_description": f"AADSTS90002: Tenant '{tenant}' not found."}, status=400)
        issuer = f"https://login.microsoftonline.com/{self.tenant}/v2.0"
        return web.json_response({"issuer": issuer,
                                  "token_endpoint": f"{self.url}/{tenant}/oauth2/v2.0/token"})

    def credential(self, settings: Any) -> AppCredential:
        """What azure-identity's ClientSecretCredential would be for these settings."""
        return AppCredential(self, settings.graph_tenant_id, settings.graph_client_id,
                             settings.graph_client_secret)


class AppCredential:
    """azure-identity's async credential protocol, answered as Entra ID answers it."""

    def __init__(self, entra: EntraApp, tenant: str, client: str, secret: str) -> None:
        self.entra, self.tenant, self.client, self.secret = entra, tenant, client, secret
        self.closed = False

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        assert scopes == (GRAPH_SCOPE,)
        if self.closed:  # as azure-identity's: closing it closes its HTTP session
            raise RuntimeError("Session is closed")
        entra = self.entra
        if self.tenant != entra.tenant:
            raise ClientAuthenticationError(
                f"AADSTS90002: Tenant '{self.tenant}' not found. Check to make sure you have "
                "the correct tenant ID.")
        if self.client != entra.client:
            raise ClientAuthenticationError(
                f"AADSTS700016: Application with identifier '{self.client}' was not found in "
                f"the directory '{self.tenant}'.")
        if self.secret != entra.secret:
            raise ClientAuthenticationError(
                f"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                f"in the request is the client secret value, not the client secret ID, for a "
                f"secret added to app '{self.client}'.")
        entra.tokens += 1
        now = int(time.time())
        claims = {"aud": "https://graph.microsoft.com", "tid": entra.tenant,
                  "appid": entra.client, "roles": list(entra.roles), "iat": now, "nbf": now,
                  "exp": now + 3600}
        return AccessToken(_unsigned(claims), now + 3600)

    async def close(self) -> None:
        self.closed = True


def _unsigned(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return ".".join((part({"alg": "none", "typ": "JWT"}), part(claims), ""))
