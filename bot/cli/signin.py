"""Who acts on the command line: ``--as`` in local mode, Entra ID on Microsoft 365.

In local mode ``--as USER`` names who acts (the demo and the test harness). With the
Microsoft 365 backend the command line acts only as the person signed in with Entra ID:
``--as`` is refused, the person signs in with the device code flow (azure-identity's
``DeviceCodeCredential``, its token cache on disk readable by that user only), and paraaf
takes the object id and tenant from the access token's claims after checking its signature
against Entra ID's published keys, its issuer (the configured tenant), audience and expiry.

The seam is :class:`SignIn`: a ``TokenCredential`` (anything with azure-identity's
``get_token``) and a :class:`KeySource`. :func:`sign_in_factory` makes the production one;
tests put a credential that returns a token signed by a local key in its place.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from approvals.errors import DomainError, InvalidInput, UnknownUser
from approvals.identity import Person
from bot.cli.base import person
from bot.settings import Settings
from bot.wiring import Wiring

if TYPE_CHECKING:
    from cards.strings import CliStrings

SCOPE = "api://{client_id}/access_as_user"
KEYS_URL = "https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys"
RECORD_FILE = "entra-signin.json"  # which account signed in (no secret), next to the data
CACHE_NAME = "paraaf-cli"


class NotSignedIn(DomainError):
    """No valid Entra ID sign-in: nothing was done."""

    code = "not_signed_in"


class TokenCredential(Protocol):
    """azure-identity's synchronous credential protocol (``DeviceCodeCredential``)."""

    def get_token(self, *scopes: str, **kwargs: Any) -> Any: ...


class KeySource(Protocol):
    """The public key that signed a token (Entra ID's keys, by the token's ``kid``)."""

    def signing_key(self, token: str) -> Any: ...


@dataclass(frozen=True)
class SignIn:
    """How the command line learns who is signed in."""

    credential: TokenCredential
    keys: KeySource
    client_id: str
    tenant_id: str

    @property
    def scope(self) -> str:
        return SCOPE.format(client_id=self.client_id)


def _texts(settings: Settings | None = None) -> CliStrings:
    """The command line's words: PARAAF_LANGUAGE (from ``settings`` when there are)."""
    from bot.cli.constants import cli_texts

    if settings is None:
        return cli_texts()
    return cli_texts("en" if settings.language == "en" else "nl")


def token_claims(sign_in: SignIn, token: str, texts: CliStrings | None = None) -> dict[str, Any]:
    """The claims of an access token for paraaf's API, after checking that Entra ID signed it
    for this tenant and app and that it has not expired; NotSignedIn otherwise."""
    import jwt

    t = texts or _texts()
    tenant = sign_in.tenant_id
    try:
        claims: dict[str, Any] = jwt.decode(
            token, sign_in.keys.signing_key(token), algorithms=["RS256"],
            audience=[sign_in.client_id, f"api://{sign_in.client_id}"],
            issuer=[f"https://login.microsoftonline.com/{tenant}/v2.0",
                    f"https://sts.windows.net/{tenant}/"],
            options={"require": ["exp", "iss", "aud", "oid", "tid"]}, leeway=60)
    except jwt.PyJWTError as exc:
        raise NotSignedIn(t.s_token_unusable.format(detail=exc)) from None
    if str(claims.get("tid", "")).lower() != tenant.lower():
        raise NotSignedIn(t.s_other_tenant)
    return claims


async def signed_in_person(wiring: Wiring) -> Person:
    """The person signed in with Entra ID, as the directory knows them."""
    import asyncio

    sign_in = sign_in_factory(wiring.settings)
    t = _texts(wiring.settings)
    try:  # the device code flow blocks (it waits for the person): not on the event loop
        access = await asyncio.to_thread(sign_in.credential.get_token, sign_in.scope)
    except Exception as exc:  # azure-identity's ClientAuthenticationError and friends
        if isinstance(exc, DomainError):
            raise
        raise NotSignedIn(t.s_failed.format(detail=str(exc)[:300])) from None
    claims = token_claims(sign_in, str(access.token), t)
    found = await wiring.directory.user(str(claims["oid"]))
    if found is None:
        raise UnknownUser(str(claims["oid"]))
    return Person(found.oid, found.upn, found.name, str(claims["tid"]))


async def acting_person(args: argparse.Namespace, wiring: Wiring) -> Person:
    """Who does this command: ``--as`` in local mode, the signed-in person on Microsoft 365."""
    as_user = getattr(args, "as_user", None)
    if wiring.settings.backend == "graph":
        if as_user:
            raise InvalidInput(_texts(wiring.settings).s_as_refused)
        return await signed_in_person(wiring)
    if not as_user:
        raise InvalidInput(_texts(wiring.settings).s_name_who)
    return await person(wiring, as_user, "--as")


# --- production: the device code flow and Entra ID's keys --------------------------------------


class EntraKeys:
    """Entra ID's signing keys for a tenant (fetched once, cached, with a timeout)."""

    def __init__(self, tenant_id: str, timeout: float = 10.0) -> None:
        import jwt

        self._client = jwt.PyJWKClient(KEYS_URL.format(tenant=tenant_id), cache_keys=True,
                                       timeout=int(timeout))

    def signing_key(self, token: str) -> Any:
        return self._client.get_signing_key_from_jwt(token).key


def _prompt(texts: CliStrings) -> Callable[[str, str, Any], None]:
    """The device code flow's prompt, in the command line's words."""

    def prompt(verification_uri: str, user_code: str, expires_on: Any) -> None:
        import sys

        print(texts.s_prompt.format(uri=verification_uri, code=user_code), file=sys.stderr)

    return prompt


def device_code_credential(settings: Settings, client_id: str) -> TokenCredential:
    """azure-identity's DeviceCodeCredential with a persistent token cache (a file readable
    by this user only, when no system keyring is there) and the account signed in before."""
    from azure.identity import (
        AuthenticationRecord,
        DeviceCodeCredential,
        TokenCachePersistenceOptions,
    )

    record_file = settings.data_dir / RECORD_FILE
    record = None
    if record_file.is_file():
        try:
            record = AuthenticationRecord.deserialize(record_file.read_text("utf-8"))
        except (ValueError, KeyError):
            record = None  # sign in again
    credential = DeviceCodeCredential(
        client_id=client_id, tenant_id=settings.graph_tenant_id,
        prompt_callback=_prompt(_texts(settings)),
        cache_persistence_options=TokenCachePersistenceOptions(
            name=CACHE_NAME, allow_unencrypted_storage=True),
        authentication_record=record)
    if record is None:
        return _Remembering(credential, record_file)
    return credential


class _Remembering:
    """Signs in once with the device code and remembers which account did (no secret)."""

    def __init__(self, credential: Any, record_file: Path) -> None:
        self._credential = credential
        self._file = record_file

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        record = self._credential.authenticate(scopes=list(scopes))
        self._file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(record.serialize())
        return self._credential.get_token(*scopes, **kwargs)


def entra_sign_in(settings: Settings) -> SignIn:
    """The production sign-in: device code flow against the configured tenant and app."""
    client_id = settings.cli_client_id or settings.graph_client_id
    if not client_id or not settings.graph_tenant_id:
        raise NotSignedIn(_texts(settings).s_needs_settings)
    return SignIn(device_code_credential(settings, client_id), EntraKeys(settings.graph_tenant_id),
                  client_id, settings.graph_tenant_id)


sign_in_factory: Callable[[Settings], SignIn] = entra_sign_in
"""The seam: what makes the command line's sign-in from the settings."""
