"""The command line's Entra ID sign-in: which tokens it takes a person's identity from."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from azure.identity import AuthenticationRecord, DeviceCodeCredential

from bot.cli.signin import (
    RECORD_FILE,
    NotSignedIn,
    SignIn,
    device_code_credential,
    entra_sign_in,
    token_claims,
)
from bot.settings import Settings
from tests.support.entra_kit import CLIENT, INITIATOR, OIDS, TENANT, LocalEntra


def _sign_in(entra: LocalEntra) -> SignIn:
    return SignIn(entra, entra, CLIENT, TENANT)


def _token(entra: LocalEntra) -> str:
    return str(entra.get_token(f"api://{CLIENT}/access_as_user").token)


@pytest.mark.parametrize("claims", [
    {"aud": CLIENT},
    {"aud": f"api://{CLIENT}"},  # a v1 token: the application id URI
    {"iss": f"https://sts.windows.net/{TENANT}/"},
])
def test_a_token_entra_signed_for_paraaf_gives_oid_and_tenant(claims: dict[str, Any]) -> None:
    entra = LocalEntra()
    entra.sign_in(INITIATOR, **claims)
    found = token_claims(_sign_in(entra), _token(entra))
    assert (found["oid"], found["tid"]) == (OIDS[INITIATOR], TENANT)


def _unsigned(entra: LocalEntra) -> str:
    _, body, _ = _token(entra).split(".")
    return ".".join((jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode(), body,
                     ""))


def _forge_hs256(claims: dict[str, Any], secret: bytes) -> str:
    import base64
    import hashlib
    import hmac
    import json

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    signing = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(json.dumps(claims).encode())
    return signing + "." + part(hmac.new(secret, signing.encode(), hashlib.sha256).digest())


@pytest.mark.parametrize("forge", [
    lambda e: (e.sign_in(INITIATOR, tid="9b7c1d2e-0000-4000-8000-000000000000"), _token(e))[1],
    lambda e: (e.sign_in(INITIATOR, exp=int(time.time()) - 600), _token(e))[1],
    lambda e: (e.sign_in(INITIATOR, aud="https://graph.microsoft.com"), _token(e))[1],
    lambda e: (e.sign_in(INITIATOR), e.claims.pop("oid"), _token(e))[2],
    lambda e: (e.sign_in(INITIATOR), _unsigned(e))[1],
    lambda e: (e.sign_in(INITIATOR), _forge_hs256(e.claims, _pem(e)))[1],
    lambda e: "dit.is.geen-token",
], ids=["other-tenant", "expired", "graph-audience", "no-oid", "alg-none", "hs256-confusion",
        "garbage"])
def test_a_token_that_does_not_hold_is_refused(forge: Any) -> None:
    entra = LocalEntra()
    token = forge(entra)
    with pytest.raises(NotSignedIn):
        token_claims(_sign_in(entra), token)


def _pem(entra: LocalEntra) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(entra.published.public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo))


def test_production_signs_in_with_the_device_code_and_a_persistent_cache(tmp_path: Path) -> None:
    """Not run against Entra ID here: this checks what is built, not a real sign-in."""
    settings = Settings(data_dir=tmp_path, backend="graph", graph_tenant_id=TENANT,
                        cli_client_id=CLIENT)
    sign_in = entra_sign_in(settings)
    assert sign_in.scope == f"api://{CLIENT}/access_as_user"
    record = AuthenticationRecord(TENANT, CLIENT, "login.microsoftonline.com",
                                  f"{OIDS[INITIATOR]}.{TENANT}", INITIATOR)
    (tmp_path / RECORD_FILE).write_text(record.serialize(), "utf-8")
    credential = device_code_credential(settings, CLIENT)
    assert isinstance(credential, DeviceCodeCredential)
    remembered = credential._auth_record  # signed in before: no new prompt
    assert remembered is not None and remembered.username == INITIATOR


def test_signing_in_needs_the_app_and_tenant(tmp_path: Path) -> None:
    with pytest.raises(NotSignedIn, match="PARAAF_CLI_CLIENT_ID"):
        entra_sign_in(Settings(data_dir=tmp_path, backend="graph"))


def test_a_refused_sign_in_is_said_in_the_command_lines_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli.main import cli_texts

    entra = LocalEntra()
    entra.sign_in(INITIATOR, exp=int(time.time()) - 600)
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    with pytest.raises(NotSignedIn, match=r"^De aanmelding bij Entra ID is niet bruikbaar: "):
        token_claims(_sign_in(entra), _token(entra))
    with pytest.raises(NotSignedIn, match=r"^The Entra ID sign-in could not be used: "):
        token_claims(_sign_in(entra), _token(entra), cli_texts("en"))
