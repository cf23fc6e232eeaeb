"""The decision register on an Open Zaak-compatible Besluiten and Documenten API (ZGW).

:class:`ZgwRegistry` registers a decision in three steps, in this order: its PDF as an
``enkelvoudiginformatieobject`` in the Documenten API, the ``besluit`` in the Besluiten API,
then the ``besluitinformatieobject`` that links them. Each step first looks up what an
earlier, interrupted attempt may have made (by ``identificatie`` and organisation), so a
registration tried again after a dropped connection makes nothing twice; a POST itself is
never repeated by the client (the server may have done it).

Every call carries a fresh JWT as the ZGW authorisation rules ask (HS256 with the client's
secret; claims iss, iat, client_id, user_id, user_representation). What the register would
refuse (an RSIN that fails the elfproef, a date after today) is refused before anything is
sent (:func:`approvals.zgw.to_zgw`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import aiohttp
import jwt
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from approvals.signatures import DecisionRecord, RegistryEntry
from approvals.zgw import ZgwDecision, ZgwOrganisation, ZgwRefused, to_zgw

BESLUITEN_PREFIX = "/besluiten"
DOCUMENTEN_PREFIX = "/enkelvoudiginformatieobjecten"
LINKS_PREFIX = "/besluitinformatieobjecten"


@dataclass(frozen=True, slots=True)
class ZgwSettings:
    """Where the register is and how paraaf signs in to it (``PARAAF_ZGW_*``)."""

    besluiten_url: str  # the Besluiten API's root, ".../besluiten/api/v1"
    documenten_url: str  # the Documenten API's root, ".../documenten/api/v1"
    client_id: str
    secret: str = field(repr=False)
    organisation: ZgwOrganisation
    user_id: str = "paraaf"
    user_representation: str = "paraaf"
    timeout_seconds: float = 30.0


class ZgwUnavailable(Exception):
    """The register did not answer as it should (a 5xx, 401/403, a dropped connection):
    the registration is tried again later (the outbox)."""


def zgw_token(client_id: str, secret: str, user_id: str, user_representation: str,
              now: float | None = None) -> str:
    """A JWT per the ZGW authorisation rules: HS256, signed with the client's secret."""
    claims = {"iss": client_id, "iat": int(time.time() if now is None else now),
              "client_id": client_id, "user_id": user_id,
              "user_representation": user_representation}
    return jwt.encode(claims, secret, algorithm="HS256")


def _invalid_params(body: Any) -> str:
    """A ZGW error body's invalid parameters in one line ("datum: ... ; besluittype: ...")."""
    if not isinstance(body, Mapping):
        return str(body)[:300]
    params = body.get("invalidParams") or []
    said = "; ".join(f"{p.get('name', '')}: {p.get('reason', '')}" for p in params
                     if isinstance(p, Mapping))
    return (said or str(body.get("detail") or body.get("title") or ""))[:500]


def _transient(error: BaseException) -> bool:
    """What is worth trying again at once: a GET that failed to connect or a 5xx/429."""
    return isinstance(error, _Retry)


class _Retry(Exception):
    pass


class ZgwRegistry:
    """A :class:`approvals.signatures.DecisionRegistry` on the ZGW APIs."""

    def __init__(self, settings: ZgwSettings, *,
                 today: Callable[[], date] = date.today,
                 session: aiohttp.ClientSession | None = None,
                 attempts: int = 3) -> None:
        self.settings = settings
        self._today = today
        self._session = session
        self._attempts = attempts

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            timeout = aiohttp.ClientTimeout(total=self.settings.timeout_seconds)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    def _headers(self) -> dict[str, str]:
        s = self.settings
        token = zgw_token(s.client_id, s.secret, s.user_id, s.user_representation)
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    async def _get(self, url: str, params: Mapping[str, str]) -> Any:
        """A GET, tried again at once on a dropped connection, a 5xx or a 429 (it changes
        nothing); still failing, :class:`ZgwUnavailable` (the outbox tries again later)."""
        try:
            async for attempt in AsyncRetrying(stop=stop_after_attempt(self._attempts),
                                               wait=wait_exponential(multiplier=0.05, max=1),
                                               retry=retry_if_exception(_transient),
                                               reraise=True):
                with attempt:
                    return await self._get_once(url, params)
        except _Retry as error:
            raise ZgwUnavailable(str(error)) from error
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get_once(self, url: str, params: Mapping[str, str]) -> Any:
        try:
            async with self._client().get(url, params=dict(params),
                                          headers=self._headers()) as response:
                if response.status >= 500 or response.status == 429:
                    raise _Retry(f"GET {url}: HTTP {response.status}")
                body = await response.json(content_type=None)
                self._check(response.status, body, url, "")
                return body
        except aiohttp.ClientError as error:
            raise _Retry(f"GET {url}: {error}") from error

    async def _post(self, url: str, body: Mapping[str, Any], dossier: str) -> Any:
        """A POST, sent once: after a dropped connection the server may have done it, so the
        registration is tried again as a whole (and looks first)."""
        try:
            async with self._client().post(url, json=dict(body),
                                           headers=self._headers()) as response:
                answer = await response.json(content_type=None)
                self._check(response.status, answer, url, dossier)
                return answer
        except aiohttp.ClientError as error:
            raise ZgwUnavailable(f"POST {url}: {error}") from error

    @staticmethod
    def _check(status: int, body: Any, url: str, dossier: str) -> None:
        if status in (200, 201):
            return
        if status == 400:
            raise ZgwRefused(refusal="zgw_register_refused", dossier=dossier,
                             reason=_invalid_params(body))
        raise ZgwUnavailable(f"{url}: HTTP {status}: {_invalid_params(body)}")

    async def _find(self, url: str, params: Mapping[str, str]) -> Mapping[str, Any] | None:
        """The first result of a list query (paginated ``{"results": [...]}`` or a list)."""
        body = await self._get(url, params)
        if isinstance(body, Mapping):
            body = body.get("results", [])
        found = [item for item in body if isinstance(item, Mapping)] \
            if isinstance(body, list) else []
        return found[0] if found else None

    async def register(self, decision: DecisionRecord) -> RegistryEntry:
        zgw = to_zgw(decision, self.settings.organisation, self._today())  # refuses first
        document_url = await self._document(zgw)
        besluit_url = await self._besluit(zgw)
        await self._link(zgw, besluit_url, document_url)
        return RegistryEntry(zgw.identificatie, besluit_url, document_url)

    async def _document(self, zgw: ZgwDecision) -> str:
        root = self.settings.documenten_url.rstrip("/") + DOCUMENTEN_PREFIX
        found = await self._find(root, {"identificatie": zgw.identificatie,
                                        "bronorganisatie": zgw.rsin})
        if found is None:
            found = await self._post(root, zgw.informatieobject, zgw.dossier_id)
        return str(found["url"])

    async def _besluit(self, zgw: ZgwDecision) -> str:
        root = self.settings.besluiten_url.rstrip("/") + BESLUITEN_PREFIX
        found = await self._find(root, {"identificatie": zgw.identificatie,
                                        "verantwoordelijkeOrganisatie": zgw.rsin})
        if found is None:
            found = await self._post(root, zgw.besluit, zgw.dossier_id)
        return str(found["url"])

    async def _link(self, zgw: ZgwDecision, besluit_url: str, document_url: str) -> None:
        root = self.settings.besluiten_url.rstrip("/") + LINKS_PREFIX
        # by informatieobject only: the spec types the ``besluit`` filter as an integer
        # (Open Zaak's published Besluiten 1.1.0 document), so a URL there does not fit it
        links = await self._get(root, {"informatieobject": document_url})
        if not any(isinstance(x, Mapping) and x.get("besluit") == besluit_url
                   for x in (links if isinstance(links, list) else [])):
            await self._post(root, ZgwDecision.link(besluit_url, document_url), zgw.dossier_id)

    async def entry(self, identificatie: str) -> RegistryEntry | None:
        rsin = self.settings.organisation.rsin
        besluit = await self._find(
            self.settings.besluiten_url.rstrip("/") + BESLUITEN_PREFIX,
            {"identificatie": identificatie, "verantwoordelijkeOrganisatie": rsin})
        if besluit is None:
            return None
        document = await self._find(
            self.settings.documenten_url.rstrip("/") + DOCUMENTEN_PREFIX,
            {"identificatie": identificatie, "bronorganisatie": rsin})
        return RegistryEntry(identificatie, str(besluit["url"]),
                             str(document["url"]) if document else "")

