"""Token signing keys from an OpenID metadata document, fetched without stalling the server.

The metadata and its JWKS are fetched with aiohttp (the event loop keeps serving meanwhile),
within ``timeout`` seconds for both. Keys are cached for ``max_age``; a token naming a key id
the cache does not have triggers one refresh, at most once per ``unknown_key_interval`` (so
forged key ids cannot make the server fetch again and again). A failed fetch is remembered for
``failure_ttl``: meanwhile every caller gets ``KeysUnavailable`` at once. Concurrent callers
share one fetch. Nothing here knows a particular SDK or issuer: any gateway can use it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger("paraaf.keys")

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_DOCUMENT = 512 * 1024


class KeysUnavailable(Exception):
    """The signing keys cannot be fetched now; the message says why (no secrets in it)."""


@dataclass(frozen=True)
class SigningKey:
    """One public key with what its issuer endorses it for (Bot Framework: channel ids)."""

    kid: str
    key: Any
    endorsements: tuple[str, ...]


def _usable_url(url: object) -> str:
    """``url`` if it is https (or http on a loopback test server), else KeysUnavailable."""
    if not isinstance(url, str):
        raise KeysUnavailable("the metadata names no jwks_uri")
    try:
        parts = urlsplit(url)
        host, scheme = parts.hostname or "", parts.scheme
    except ValueError:
        host, scheme = "", ""
    if not host or not (scheme == "https" or (scheme == "http" and host in LOOPBACK)):
        raise KeysUnavailable("the metadata names a jwks_uri that is not https")
    return url


def parse_jwks(document: object) -> dict[str, SigningKey]:
    """The RSA keys of a JWKS document by key id; keys that cannot be read are left out."""
    found: dict[str, SigningKey] = {}
    entries = document.get("keys") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA":
            continue
        kid = entry.get("kid")
        endorsements = entry.get("endorsements") or []
        if not isinstance(kid, str) or not isinstance(endorsements, list):
            continue
        try:
            key = RSAAlgorithm.from_jwk(json.dumps(entry))
        except Exception:  # one unreadable key does not spoil the others
            log.info("signing key skipped", extra={"kid": kid[:64]})
            continue
        found[kid] = SigningKey(kid, key, tuple(str(e) for e in endorsements))
    return found


class SigningKeys:
    """The keys published behind one OpenID metadata URL, cached."""

    def __init__(self, metadata_url: str, *, timeout: float = 3.0,
                 max_age: float = 24 * 3600.0, unknown_key_interval: float = 60.0,
                 failure_ttl: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.metadata_url = metadata_url
        self.timeout = timeout
        self.max_age = max_age
        self.unknown_key_interval = unknown_key_interval
        self.failure_ttl = failure_ttl
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._failure = ""
        self._fetch: asyncio.Task[None] | None = None

    async def get(self, kid: str) -> SigningKey | None:
        """The key with this id, or None when its issuer does not publish it.

        Raises ``KeysUnavailable`` when the keys are needed and cannot be fetched."""
        now = self._clock()
        fresh = self._fetched_at is not None and now - self._fetched_at < self.max_age
        if fresh and kid in self._keys:
            return self._keys[kid]
        recently = self._fetched_at is not None and \
            now - self._fetched_at < self.unknown_key_interval
        if fresh and recently:
            return None  # just fetched: an unknown id now is not worth another fetch
        try:
            await self.refresh()
        except KeysUnavailable:
            if kid in self._keys:  # stale keys beat none while the issuer is unreachable
                return self._keys[kid]
            raise
        return self._keys.get(kid)

    async def refresh(self) -> None:
        """Fetch the keys now (shared with any fetch under way), unless one failed lately."""
        if self._failed_at is not None and self._clock() - self._failed_at < self.failure_ttl:
            raise KeysUnavailable(self._failure)
        if self._fetch is None:
            self._fetch = asyncio.create_task(self._fetch_keys())
            self._fetch.add_done_callback(self._fetched)
        # shielded: a request that gives up does not cancel the fetch the others wait for
        await asyncio.shield(self._fetch)

    def refresh_soon(self) -> None:
        """Start a fetch in the background when the keys are missing or old (readiness)."""
        if self.problem() is None or self._fetch is not None:
            return
        if self._failed_at is not None and self._clock() - self._failed_at < self.failure_ttl:
            return
        self._fetch = asyncio.create_task(self._fetch_keys())
        self._fetch.add_done_callback(self._fetched)

    async def close(self) -> None:
        """Stop a fetch under way (on shutdown)."""
        fetch, self._fetch = self._fetch, None
        if fetch is not None and not fetch.done():
            fetch.cancel()
            await asyncio.gather(fetch, return_exceptions=True)

    def _fetched(self, task: asyncio.Task[None]) -> None:
        self._fetch = None
        if not task.cancelled():
            task.exception()  # retrieved here: a background fetch's failure is in problem()

    def problem(self) -> str | None:
        """Why tokens cannot be checked now, or None when the keys are there and current."""
        if self._fetched_at is not None and self._clock() - self._fetched_at < self.max_age:
            return None
        if self._failure:
            return f"signing keys cannot be fetched: {self._failure}"
        return "signing keys not fetched yet"

    async def _fetch_keys(self) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                keys = await self._download()
        except KeysUnavailable as error:
            self._fail(str(error))
            raise
        except TimeoutError:
            self._fail(f"no answer within {self.timeout:g} s")
            raise KeysUnavailable(self._failure) from None
        except (aiohttp.ClientError, OSError, ValueError) as error:
            self._fail(type(error).__name__)
            raise KeysUnavailable(self._failure) from None
        if not keys:
            self._fail("the key set has no usable RSA key")
            raise KeysUnavailable(self._failure)
        self._keys = keys
        self._fetched_at = self._clock()
        self._failed_at, self._failure = None, ""
        log.info("signing keys fetched", extra={"keys": len(keys)})

    def _fail(self, reason: str) -> None:
        self._failed_at, self._failure = self._clock(), reason
        log.warning("signing keys unavailable", extra={"reason": reason})

    async def _download(self) -> dict[str, SigningKey]:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            metadata = await _get_json(session, self.metadata_url)
            jwks_uri = _usable_url(metadata.get("jwks_uri") if isinstance(metadata, dict)
                                   else None)
            return parse_jwks(await _get_json(session, jwks_uri))


async def _get_json(session: aiohttp.ClientSession, url: str) -> object:
    async with session.get(url, allow_redirects=False) as response:
        if response.status != 200:
            raise KeysUnavailable(f"{urlsplit(url).path or '/'} answered {response.status}")
        raw = b""
        while len(raw) <= MAX_DOCUMENT:
            chunk = await response.content.read(MAX_DOCUMENT + 1 - len(raw))
            if not chunk:
                break
            raw += chunk
    if len(raw) > MAX_DOCUMENT:
        raise KeysUnavailable("the key document is too large")
    try:
        return json.loads(raw)
    except ValueError:
        raise KeysUnavailable("the key document is not JSON") from None
