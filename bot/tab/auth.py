"""Who is asking: an Entra ID SSO token from Teams, or (local mode only) a chosen demo user.

Teams hands the tab an access token for paraaf's own API (``authentication.getAuthToken()``);
the server checks it itself with PyJWT on the keys Entra publishes (``SigningKeys``: fetched
off the event loop's critical path with a timeout, cached, refreshed once for an unknown key
id). A token is accepted only when all of these hold:

- ``alg`` is RS256 (``none``, and HS256 with the public key as secret, are refused before
  any key is looked at), and it carries a key id Entra publishes, whose key verifies it;
- its tenant (``tid``) is an allowed one and the issuer is that tenant's, in the v1 form
  ``https://sts.windows.net/<tid>/`` or the v2 form ``https://login.microsoftonline.com/<tid>/v2.0``;
- the audience is the tab's app: ``api://<host>/<client id>`` or the client id itself;
- the scope (``scp``) holds ``access_as_user``; it is not expired nor not yet valid (two
  minutes of clock skew); it names the user's object id (``oid``).

Beheerder rights come only from the app role ``Beheerder`` in the token's ``roles``. In local
mode (PARAAF_MODE=local, PARAAF_BACKEND=local, a loopback ``Host``) the header
``X-Paraaf-User`` picks a user of the demo directory instead, beheerder as the directory says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt

from approvals.identity import Person
from approvals.ports import Directory
from bot.signing_keys import SigningKeys

ALGORITHM = "RS256"
CLOCK_SKEW = 120  # seconds
MAX_TOKEN = 16 * 1024
SCOPE = "access_as_user"
BEHEERDER_ROLE = "Beheerder"
LOCAL_USER_HEADER = "X-Paraaf-User"
_BEARER = re.compile(r"Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)")
_TENANT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class NotAuthenticated(Exception):
    """No valid identity; the message says why (for the log, never with the token)."""


@dataclass(frozen=True)
class Identity:
    """The user a request is made for, whether they are a beheerder, and the SSO token it
    came with (for on-behalf-of calls to Graph; empty in local mode)."""

    person: Person
    beheerder: bool
    token: str = ""


def issuers(tenant: str) -> tuple[str, str]:
    """The v1 and v2 issuer of a tenant's access tokens."""
    return (f"https://sts.windows.net/{tenant}/",
            f"https://login.microsoftonline.com/{tenant}/v2.0")


def audiences(client_id: str, public_url: str = "") -> tuple[str, ...]:
    """The audiences a token for the tab may name: ``api://<host>/<client id>`` (the
    manifest's ``webApplicationInfo.resource``) and the client id."""
    found = [client_id]
    host = urlsplit(public_url).netloc if public_url else ""
    if host:
        found.insert(0, f"api://{host}/{client_id}")
    return tuple(found)


class SsoTokens:
    """Checks the tab's ``Authorization: Bearer`` header (see the module's rules)."""

    def __init__(self, keys: SigningKeys, client_id: str, tenants: tuple[str, ...], *,
                 public_url: str = "", skew: int = CLOCK_SKEW) -> None:
        self.keys = keys
        self.audiences = audiences(client_id, public_url) if client_id else ()
        self.tenants = frozenset(t.lower() for t in tenants)
        self.skew = skew

    async def claims(self, authorization: str) -> dict[str, Any]:
        """The verified claims, or NotAuthenticated; KeysUnavailable (bot.signing_keys) when
        Entra's keys are needed and cannot be had."""
        if len(authorization) > MAX_TOKEN + 7:
            raise NotAuthenticated("token too long")
        match = _BEARER.fullmatch(authorization)
        if match is None:
            raise NotAuthenticated("no bearer token")
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise NotAuthenticated(f"malformed token ({type(error).__name__})") from None
        # cheap checks first: a token that cannot be ours never makes the server fetch keys
        if header.get("alg") != ALGORITHM:
            raise NotAuthenticated("signing algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise NotAuthenticated("no key id")
        if not self.audiences:
            raise NotAuthenticated("no app configured for the tab")
        tenant = unverified.get("tid")
        if not isinstance(tenant, str) or tenant.lower() not in self.tenants:
            raise NotAuthenticated("tenant not allowed")
        if unverified.get("iss") not in issuers(tenant):
            raise NotAuthenticated("wrong issuer")
        if unverified.get("aud") not in self.audiences:
            raise NotAuthenticated("wrong audience")
        key = await self.keys.get(kid[:200])
        if key is None:
            raise NotAuthenticated("unknown signing key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token, key.key, algorithms=[ALGORITHM], audience=list(self.audiences),
                issuer=list(issuers(tenant)), leeway=self.skew,
                options={"require": ["exp", "nbf", "iss", "aud", "tid", "oid"],
                         "verify_signature": True})
        except jwt.PyJWTError as error:
            raise NotAuthenticated(_reason(error)) from None
        if SCOPE not in str(claims.get("scp", "")).split():
            raise NotAuthenticated("scope access_as_user missing")
        if not isinstance(claims.get("oid"), str) or not claims["oid"]:
            raise NotAuthenticated("no object id")
        return claims


def is_beheerder(claims: dict[str, Any]) -> bool:
    """Whether the token carries the app role Beheerder (the only source of that right)."""
    roles = claims.get("roles")
    return isinstance(roles, list) and BEHEERDER_ROLE in roles


def _reason(error: jwt.PyJWTError) -> str:
    reasons = {
        jwt.ExpiredSignatureError: "token expired",
        jwt.ImmatureSignatureError: "token not valid yet",
        jwt.InvalidSignatureError: "bad signature",
        jwt.InvalidAudienceError: "wrong audience",
        jwt.InvalidIssuerError: "wrong issuer",
        jwt.MissingRequiredClaimError: "a required claim is missing",
    }
    for kind, reason in reasons.items():
        if isinstance(error, kind):
            return reason
    return f"invalid token ({type(error).__name__})"


async def sso_identity(tokens: SsoTokens, directory: Directory,
                       authorization: str) -> Identity:
    """The user an SSO token names, as the directory knows them (NotAuthenticated when the
    token is not valid or the directory does not know its object id)."""
    claims = await tokens.claims(authorization)
    person = await directory.user(claims["oid"])
    if person is None or person.oid.lower() != str(claims["oid"]).lower():
        raise NotAuthenticated("unknown user")
    token = authorization.removeprefix("Bearer ")
    return Identity(Person(person.oid, person.upn, person.name, str(claims["tid"])),
                    is_beheerder(claims), token)


async def local_identity(directory: Directory, key: str) -> Identity:
    """The demo user ``X-Paraaf-User`` names (object id or UPN); NotAuthenticated when the
    directory has nobody by that key. Only asked in local mode on loopback."""
    if not key or len(key) > 254:
        raise NotAuthenticated("no local user")
    person = await directory.user(key.strip())
    if person is None:
        raise NotAuthenticated("unknown local user")
    return Identity(person, await directory.is_admin(person.oid))
