"""On-behalf-of: exchange the user's SSO token for a token to call Microsoft Graph as them.

Entra's OAuth 2.0 on-behalf-of flow (``grant_type`` jwt-bearer, ``requested_token_use``
on_behalf_of) at ``<authority>/<tenant>/oauth2/v2.0/token``, with the tab app's client id and
secret. The request runs on aiohttp within ``timeout`` seconds; the answer is read bounded.
Errors name Entra's error code (``invalid_grant``, ``interaction_required``), never a token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import aiohttp

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
MAX_ANSWER = 64 * 1024


class ExchangeFailed(Exception):
    """Entra gave no token for the user; ``code`` is Entra's error code (or ``no_answer``)."""

    def __init__(self, code: str, status: int = 0) -> None:
        super().__init__(f"on-behalf-of refused: {code}" + (f" ({status})" if status else ""))
        self.code = code
        self.status = status


@dataclass(frozen=True)
class GraphToken:
    """An access token for Graph on the user's behalf, valid for ``expires_in`` seconds."""

    access_token: str = field(repr=False)
    expires_in: int
    scope: str


async def exchange(authority: str, tenant: str, client_id: str, client_secret: str,
                   assertion: str, scopes: tuple[str, ...] = (GRAPH_SCOPE,), *,
                   timeout: float = 5.0) -> GraphToken:
    """The user's token (``assertion``) exchanged for one for ``scopes``."""
    url = f"{authority.rstrip('/')}/{tenant}/oauth2/v2.0/token"
    form = {
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "client_id": client_id,
        "client_secret": client_secret,
        "assertion": assertion,
        "scope": " ".join(scopes),
        "requested_token_use": "on_behalf_of",
    }
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http, \
                http.post(url, data=form, allow_redirects=False) as response:
            raw = await response.content.read(MAX_ANSWER + 1)
            status = response.status
    except (aiohttp.ClientError, OSError, TimeoutError):
        raise ExchangeFailed("no_answer") from None
    try:
        answer = json.loads(raw) if len(raw) <= MAX_ANSWER else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise ExchangeFailed("unreadable_answer", status)
    if status != 200 or not isinstance(answer.get("access_token"), str):
        code = answer.get("error")
        raise ExchangeFailed(code[:64] if isinstance(code, str) else "no_token", status)
    expires = answer.get("expires_in")
    return GraphToken(answer["access_token"],
                      int(expires) if isinstance(expires, (int, str)) and str(expires).isdigit()
                      else 0, str(answer.get("scope", "")))
