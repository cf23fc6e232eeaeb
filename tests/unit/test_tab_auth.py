"""The tab's SSO token checks (bot/tab/auth.py) on locally made keys: every rule refuses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from approvals.identity import Person
from bot.signing_keys import SigningKey, SigningKeys
from bot.tab.auth import (
    Identity,
    NotAuthenticated,
    SsoTokens,
    audiences,
    is_beheerder,
    issuers,
    local_identity,
    sso_identity,
)
from tests.support.fakes import InMemoryDirectory

TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"
OTHER_TENANT = "9a8b7c6d-1234-4e5f-8a9b-0c1d2e3f4a5b"
CLIENT = "0f4e9c1a-7d2b-4c8e-9a6f-3b5d1e2c4a7f"
PUBLIC = "https://paraaf.voorbeeldstad.nl"
OID = "11111111-aaaa-4bbb-8ccc-222222222222"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
STRANGER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class PublishedKeys(SigningKeys):
    """The keys Entra would publish: one key id, no network; counts the look-ups."""

    def __init__(self, **keys: Any) -> None:
        super().__init__("https://login.example.invalid/metadata")
        self.published = {kid: SigningKey(kid, key, ()) for kid, key in keys.items()}
        self.asked: list[str] = []

    async def get(self, kid: str) -> SigningKey | None:
        self.asked.append(kid)
        return self.published.get(kid)


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    found: dict[str, Any] = {
        "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "aud": f"api://paraaf.voorbeeldstad.nl/{CLIENT}", "tid": TENANT, "oid": OID,
        "scp": "access_as_user", "iat": now, "nbf": now, "exp": now + 3600,
        "name": "Tessa de Jong"}
    found.update(changes)
    return {k: v for k, v in found.items() if v is not None}


def token(key: Any = KEY, kid: str = "k1", alg: str = "RS256", **changes: Any) -> str:
    return jwt.encode(claims(**changes), key, algorithm=alg, headers={"kid": kid})


def _part(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def hs256_with_public_key() -> str:
    """The classic confusion attack: HS256 signed with the RSA public key as the secret."""
    secret = KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    signing = f"{_part({'alg': 'HS256', 'typ': 'JWT', 'kid': 'k1'})}.{_part(claims())}"
    mac = hmac.new(secret, signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def alg_none() -> str:
    return f"{_part({'alg': 'none', 'typ': 'JWT', 'kid': 'k1'})}.{_part(claims())}."


def tokens(keys: PublishedKeys | None = None) -> SsoTokens:
    return SsoTokens(keys or PublishedKeys(k1=KEY.public_key()), CLIENT, (TENANT,),
                     public_url=PUBLIC)


async def test_a_valid_token_gives_its_claims() -> None:
    found = await tokens().claims(f"Bearer {token()}")
    assert found["oid"] == OID and found["tid"] == TENANT


@pytest.mark.parametrize("issuer", issuers(TENANT))
async def test_both_issuer_forms_of_an_allowed_tenant_are_accepted(issuer: str) -> None:
    assert (await tokens().claims(f"Bearer {token(iss=issuer)}"))["iss"] == issuer


@pytest.mark.parametrize("audience", [CLIENT, f"api://paraaf.voorbeeldstad.nl/{CLIENT}"])
async def test_both_audience_forms_are_accepted(audience: str) -> None:
    assert (await tokens().claims(f"Bearer {token(aud=audience)}"))["aud"] == audience


REFUSED = {
    "wrong issuer": lambda: token(iss="https://login.microsoftonline.com/common/v2.0"),
    "issuer of another tenant": lambda: token(
        iss=f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"),
    "wrong audience": lambda: token(aud="api://paraaf.voorbeeldstad.nl/someone-else"),
    "audience of another host": lambda: token(aud=f"api://evil.example/{CLIENT}"),
    "expired": lambda: token(exp=int(time.time()) - 600, nbf=int(time.time()) - 7200),
    "not yet valid": lambda: token(nbf=int(time.time()) + 600),
    "bad signature": lambda: token(key=STRANGER_KEY),
    "another tenant": lambda: token(
        tid=OTHER_TENANT, iss=f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"),
    "missing scope": lambda: token(scp=None),
    "another scope": lambda: token(scp="User.Read"),
    "alg none": alg_none,
    "HS256 with the public key": hs256_with_public_key,
    "unknown key id": lambda: token(kid="k2"),
    "no object id": lambda: token(oid=None),
    "no expiry": lambda: token(exp=None),
    "garbage": lambda: "not.a.token",
}


@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_every_rule_refuses(case: str) -> None:
    with pytest.raises(NotAuthenticated):
        await tokens().claims(f"Bearer {REFUSED[case]()}")


async def test_alg_none_and_hs256_are_refused_before_any_key_is_looked_up() -> None:
    keys = PublishedKeys(k1=KEY.public_key())
    for forged in (alg_none(), hs256_with_public_key(), token(aud="x")):
        with pytest.raises(NotAuthenticated):
            await tokens(keys).claims(f"Bearer {forged}")
    assert keys.asked == []


async def test_a_header_without_bearer_or_too_long_is_refused() -> None:
    for header in ("", token(), f"Basic {token()}", "Bearer " + "a" * 20_000):
        with pytest.raises(NotAuthenticated):
            await tokens().claims(header)


async def test_without_a_configured_app_nothing_is_accepted() -> None:
    unconfigured = SsoTokens(PublishedKeys(k1=KEY.public_key()), "", (TENANT,))
    with pytest.raises(NotAuthenticated):
        await unconfigured.claims(f"Bearer {token(aud=CLIENT)}")


def test_audiences_follow_the_public_host() -> None:
    assert audiences(CLIENT, PUBLIC) == (f"api://paraaf.voorbeeldstad.nl/{CLIENT}", CLIENT)
    assert audiences(CLIENT) == (CLIENT,)


def test_beheerder_only_from_the_app_role() -> None:
    assert is_beheerder({"roles": ["Beheerder"]})
    assert not is_beheerder({"roles": "Beheerder"})
    assert not is_beheerder({"roles": ["beheerder-ish"], "wids": ["Beheerder"]})
    assert not is_beheerder({})


async def test_the_identity_is_the_directory_user_with_the_tokens_tenant() -> None:
    person = Person(OID, "t.dejong@voorbeeldstad.nl", "Tessa de Jong")
    directory = InMemoryDirectory([person], admins=frozenset({OID}))
    sso = await sso_identity(tokens(), directory, f"Bearer {token()}")
    # the directory says admin, the token has no role: no beheerder
    assert sso == Identity(Person(OID, person.upn, person.name, TENANT), False, sso.token)
    with_role = await sso_identity(tokens(), directory, f"Bearer {token(roles=['Beheerder'])}")
    assert with_role.beheerder
    with pytest.raises(NotAuthenticated):
        await sso_identity(tokens(), InMemoryDirectory([]), f"Bearer {token()}")


async def test_the_local_user_is_looked_up_and_beheerder_as_the_directory_says() -> None:
    person = Person(OID, "s.vos@voorbeeldstad.nl", "Sanne Vos")
    directory = InMemoryDirectory([person], admins=frozenset({OID}))
    assert await local_identity(directory, "s.vos@voorbeeldstad.nl") == Identity(person, True)
    for key in ("", "nobody@voorbeeldstad.nl", "x" * 300):
        with pytest.raises(NotAuthenticated):
            await local_identity(directory, key)
