"""An Entra ID stand-in for command-line tests on the Microsoft 365 backend.

The product's sign-in code runs as it is (its token checks with PyJWT, the directory lookup);
only Entra ID is stood in for: a credential with azure-identity's ``get_token`` that returns
an access token signed by a key made for the test, and that key as the published key. The
``entra`` fixture (tests/conftest.py) puts it in place of Entra ID on the command line.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import yaml
from azure.core.credentials import AccessToken
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.cli.signin import KeySource, TokenCredential

ROOT = Path(__file__).resolve().parents[2]
TENANT = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3"  # PARAAF_GRAPH_TENANT_ID of the e2e tests
CLIENT = "0f4e9c1a-7d2b-4c8e-9a6f-3b5d1e2c4a7f"
OIDS = {u["upn"]: u["oid"] for u in yaml.safe_load(
    (ROOT / "local/demo/directory.yaml").read_text("utf-8"))["users"]}
ADMIN, INITIATOR = "s.vos@voorbeeldstad.nl", "t.dejong@voorbeeldstad.nl"


class LocalEntra(TokenCredential, KeySource):
    """Issues access tokens for paraaf's API as Entra ID would, signed by a local key."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.published = self.key.public_key()  # what Entra ID's keys endpoint would list
        self.claims: dict[str, Any] = {}
        self.asked = 0

    def sign_in(self, upn: str, **overrides: Any) -> None:
        now = int(time.time())
        self.claims = {"iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "aud": CLIENT,
                       "tid": TENANT, "oid": OIDS.get(upn, "0" * 8), "preferred_username": upn,
                       "scp": "access_as_user", "iat": now, "nbf": now, "exp": now + 3600,
                       **overrides}

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """azure-identity's credential protocol."""
        assert scopes == (f"api://{CLIENT}/access_as_user",)
        self.asked += 1
        token = jwt.encode(self.claims, self.key, algorithm="RS256", headers={"kid": "k1"})
        return AccessToken(token, int(self.claims["exp"]))

    def signing_key(self, token: str) -> Any:
        return self.published
