"""Bot Framework channel tokens (``Authorization: Bearer`` on each activity), checked by paraaf.

The same rules as the Bot Framework SDK's channel validation, on keys from ``SigningKeys``
(fetched without blocking the server): issuer ``https://api.botframework.com``, audience = the
bot's app id, expiry and not-before with five minutes of clock skew (the SDK's own tolerance),
RS256 only, the signing key endorsed for the activity's channel, and the ``serviceurl`` claim
equal to the activity's ``serviceUrl``. The header is checked before the body is read; the
last two rules need the activity and are checked once it is parsed (``ChannelToken.admits``).
Nothing here imports an SDK, so any Teams gateway can use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jwt

from bot.signing_keys import SigningKeys

ISSUER = "https://api.botframework.com"
ALGORITHM = "RS256"
CLOCK_SKEW = 300  # seconds
MAX_TOKEN = 8 * 1024
_BEARER = re.compile(r"Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)")


class TokenRefused(Exception):
    """The token is not one the Bot Framework issued for this bot; the message says why."""


@dataclass(frozen=True)
class ChannelToken:
    """A verified token: its claims and what its signing key is endorsed for."""

    claims: dict[str, Any]
    endorsements: tuple[str, ...]

    def admits(self, channel_id: str, service_url: str) -> None:
        """TokenRefused unless the token was issued for this activity's channel and service."""
        if self.endorsements and channel_id not in self.endorsements:
            raise TokenRefused("signing key not endorsed for the channel")
        if self.claims.get("serviceurl") != service_url:
            raise TokenRefused("serviceUrl does not match the token")


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise TokenRefused(f"malformed token ({type(error).__name__})") from None
    return header, claims


class ChannelTokenValidator:
    """Checks ``Authorization`` headers against the bot's app id and the issuer's keys."""

    def __init__(self, keys: SigningKeys, app_id: str, *, issuer: str = ISSUER,
                 skew: int = CLOCK_SKEW) -> None:
        self.keys = keys
        self.app_id = app_id
        self.issuer = issuer
        self.skew = skew

    async def validate(self, authorization: str) -> ChannelToken:
        """The verified token, or TokenRefused; KeysUnavailable when the keys cannot be had."""
        if len(authorization) > MAX_TOKEN + 7:
            raise TokenRefused("token too long")
        match = _BEARER.fullmatch(authorization)
        if match is None:
            raise TokenRefused("no bearer token")
        token = match.group(1)
        header, claims = _unverified(token)
        # cheap checks first: a token that cannot be ours never makes the bot fetch keys
        if header.get("alg") != ALGORITHM:
            raise TokenRefused("signing algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenRefused("no key id")
        if claims.get("iss") != self.issuer:
            raise TokenRefused("wrong issuer")
        if claims.get("aud") != self.app_id:
            raise TokenRefused("wrong audience")
        key = await self.keys.get(kid[:200])
        if key is None:
            raise TokenRefused("unknown signing key")
        try:
            verified = jwt.decode(
                token, key.key, algorithms=[ALGORITHM], audience=self.app_id,
                issuer=self.issuer, leeway=self.skew,
                options={"require": ["exp", "iss", "aud"], "verify_signature": True})
        except jwt.PyJWTError as error:
            raise TokenRefused(_reason(error)) from None
        return ChannelToken(verified, key.endorsements)


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
