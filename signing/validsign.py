"""The ValidSign provider (OneSpan Sign under another name), over its REST API.

A package holds one document (the decision PDF) and one role per signer, in order; each
signer's signature is placed by a text anchor (:attr:`ValidSignSettings.anchor`, a text the
decision template holds where the signatures go: ValidSign refuses a package whose anchor it
does not find). Sending the package asks the signers by e-mail; they sign at ValidSign.

ValidSign tells of what happened with a callback (``Authorization: Basic <callback key>``):
a callback only says *which* package to look at. What the package's state is comes from
``GET /api/packages/{id}`` every time, so a callback that is repeated, late, out of order or
forged cannot change the outcome (see :mod:`approvals.signing_outcome`). Reads are retried
(tenacity) when ValidSign does not answer or answers 5xx.

The API key goes in ``Authorization: Basic <api key>`` (the key as ValidSign shows it).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from approvals.errors import ActionNotAllowed
from approvals.identity import Person
from approvals.signatures import (
    SignedDocument,
    SigningCallback,
    SigningPackage,
    SigningRequest,
    SigningStatus,
    sha256_hex,
)

PROVIDER = "validsign"
LEVEL = "PAdES"  # ValidSign's own signatures; their level is what its certificates make
DOCUMENT_ID = "besluit"
DEFAULT_ANCHOR = "{{handtekening}}"
TIMEOUT_SECONDS = 30
ATTEMPTS = 4

STATUSES = {
    "DRAFT": SigningStatus.PREPARED,
    "SENT": SigningStatus.SENT,
    "COMPLETED": SigningStatus.COMPLETED,
    "ARCHIVED": SigningStatus.COMPLETED,
    "DECLINED": SigningStatus.DECLINED,
    "OPTED_OUT": SigningStatus.DECLINED,  # the signer refused to sign electronically
    "EXPIRED": SigningStatus.EXPIRED,
}
CALLBACK_STATUSES = {
    "PACKAGE_COMPLETE": SigningStatus.COMPLETED,
    "PACKAGE_DECLINE": SigningStatus.DECLINED,
    "PACKAGE_OPT_OUT": SigningStatus.DECLINED,
    "PACKAGE_EXPIRE": SigningStatus.EXPIRED,
}


class _Unavailable(Exception):
    """ValidSign did not answer, or answered 5xx: worth another try."""


@dataclass(frozen=True)
class ValidSignSettings:
    url: str  # e.g. https://my.validsign.nl (without /api)
    api_key: str = field(repr=False)
    callback_key: str = field(default="", repr=False)
    anchor: str = DEFAULT_ANCHOR
    language: str = "nl"


def _names(person: Person) -> tuple[str, str]:
    parts = (person.name or person.upn.split("@")[0]).split(" ", 1)
    return parts[0], parts[1] if len(parts) > 1 else "-"


def _person_json(person: Person) -> dict[str, str]:
    return {"oid": person.oid, "upn": person.upn, "name": person.name}


def _refused(name: str, reason: str) -> ActionNotAllowed:
    return ActionNotAllowed(refusal="signing_failed", name=name, reason=reason)


@dataclass
class ValidSignSigning:
    """The :class:`approvals.signatures.SigningService` of ValidSign."""

    settings: ValidSignSettings
    _session: aiohttp.ClientSession | None = None

    @property
    def provider(self) -> str:
        return PROVIDER

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
                headers={"Authorization": f"Basic {self.settings.api_key}",
                         "Accept": "application/json"})
        return self._session

    def _url(self, path: str) -> str:
        return self.settings.url.rstrip("/") + "/api/" + path.lstrip("/")

    async def _call(self, method: str, path: str, *, name: str = "", retry: bool = True,
                    **kwargs: Any) -> tuple[int, bytes]:
        """The status and body of one call; 5xx and no answer are retried when ``retry``."""
        attempts = ATTEMPTS if retry else 1
        try:
            async for attempt in AsyncRetrying(
                    stop=stop_after_attempt(attempts), reraise=True,
                    wait=wait_exponential(multiplier=0.2, max=3),
                    retry=retry_if_exception_type(_Unavailable)):
                with attempt:
                    try:
                        async with self._client().request(method, self._url(path),
                                                          **kwargs) as response:
                            body = await response.read()
                    except (aiohttp.ClientError, TimeoutError) as error:
                        raise _Unavailable(str(error) or type(error).__name__) from error
                    if response.status >= 500:
                        raise _Unavailable(f"ValidSign answered {response.status}")
                    return response.status, body
        except _Unavailable as error:
            raise _refused(name or path, f"ValidSign is not reachable ({error})") from error
        raise AssertionError("unreachable")  # pragma: no cover

    async def _json(self, method: str, path: str, *, name: str = "", retry: bool = True,
                    **kwargs: Any) -> Any:
        status, body = await self._call(method, path, name=name, retry=retry, **kwargs)
        self._check(status, body, name or path)
        return json.loads(body) if body else None

    @staticmethod
    def _check(status: int, body: bytes, name: str) -> None:
        if status < 400:
            return
        if status == 401:
            raise _refused(name, "ValidSign refused the API key")
        if status == 404:
            raise ActionNotAllowed(f"ValidSign has no signing package {name}.")
        try:
            message = str(json.loads(body).get("message", ""))
        except (ValueError, AttributeError):
            message = ""
        raise _refused(name, f"ValidSign answered {status}" + (f": {message}" if message
                                                                  else ""))

    def _payload(self, request: SigningRequest) -> dict[str, Any]:
        roles = []
        approvals = []
        for index, person in enumerate(request.signers, start=1):
            role = f"signer{index}"
            first, last = _names(person)
            roles.append({"id": role, "type": "SIGNER", "index": index, "signers": [
                {"id": role, "email": person.upn, "firstName": first, "lastName": last}]})
            approvals.append({"role": role, "fields": [{
                "type": "SIGNATURE", "subtype": "FULLNAME", "width": 180, "height": 50,
                "extractAnchor": {"text": self.settings.anchor, "index": 0,
                                  "characterIndex": 0, "anchorPoint": "BOTTOMLEFT",
                                  "width": 180, "height": 50,
                                  "leftOffset": 190 * (index - 1), "topOffset": 10}}]})
        return {
            "name": f"{request.dossier_number}: {request.name}",
            "description": request.reason, "type": "PACKAGE", "status": "DRAFT",
            "language": self.settings.language, "autocomplete": True,
            "settings": {"ceremony": {"inPerson": False}},
            "roles": roles,
            "documents": [{"id": DOCUMENT_ID, "name": request.name, "index": 1,
                           "extract": False, "approvals": approvals}],
            "data": {"paraaf": {"dossier": request.dossier_id, "name": request.name,
                                "sha256": sha256_hex(request.pdf),
                                "signers": [_person_json(p) for p in request.signers]}},
        }

    async def prepare(self, request: SigningRequest) -> SigningPackage:
        form = aiohttp.FormData()
        form.add_field("payload", json.dumps(self._payload(request)),
                       content_type="application/json")
        form.add_field("file", request.pdf, filename=request.name,
                       content_type="application/pdf")
        # creating is not retried: a second try could make a second package
        created = await self._json("POST", "packages", name=request.name, retry=False,
                                   data=form)
        package_id = str(created["id"])
        return SigningPackage(package_id, SigningStatus.PREPARED, PROVIDER,
                              dossier_id=request.dossier_id)

    async def send(self, package_id: str) -> SigningPackage:
        await self._json("PUT", f"packages/{package_id}", name=package_id,
                         json={"status": "SENT"})
        return await self.status(package_id)

    async def _package(self, package_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._json("GET", f"packages/{package_id}",
                                                 name=package_id)
        return found

    @staticmethod
    def _status(package: Mapping[str, Any]) -> SigningStatus:
        raw = str(package.get("status", ""))
        if raw not in STATUSES:
            raise _refused(str(package.get("id", "")), f"ValidSign says status {raw!r}")
        return STATUSES[raw]

    @staticmethod
    def _ours(package: Mapping[str, Any]) -> Mapping[str, Any]:
        data = package.get("data") or {}
        ours = data.get("paraaf") if isinstance(data, Mapping) else None
        return ours if isinstance(ours, Mapping) else {}

    @staticmethod
    def _reason(package: Mapping[str, Any], status: SigningStatus) -> str:
        """Why a package stopped: the decliner's message, as ValidSign keeps it."""
        if status is not SigningStatus.DECLINED:
            return ""
        messages = [m for m in package.get("messages") or () if isinstance(m, Mapping)]
        text = str(messages[-1].get("content", "")) if messages else ""
        if not text and package.get("status") == "OPTED_OUT":
            return "opted out of signing electronically"
        return text

    async def recall(self, package_id: str) -> bool:
        """A sent package back to DRAFT (``PUT /api/packages/{id}`` with status DRAFT, as
        ValidSign's "change to draft" does): its signers can no longer sign it, and it stays
        in the account for the record. A DRAFT package counts as withdrawn already; one that
        ended (or ends while this runs) is left as it is."""
        raw = str((await self._package(package_id)).get("status", ""))
        if raw == "SENT":
            status, body = await self._call("PUT", f"packages/{package_id}", name=package_id,
                                            json={"status": "DRAFT"})
            if status < 400:
                return True
            if status == 401:
                self._check(status, body, package_id)
            raw = str((await self._package(package_id)).get("status", ""))  # it just ended
        return raw == "DRAFT"

    async def status(self, package_id: str) -> SigningPackage:
        package = await self._package(package_id)
        status = self._status(package)
        return SigningPackage(package_id, status, PROVIDER,
                              dossier_id=str(self._ours(package).get("dossier", "")),
                              reason=self._reason(package, status))

    async def signed_document(self, package_id: str) -> SignedDocument:
        package = await self._package(package_id)
        status = self._status(package)
        if status is not SigningStatus.COMPLETED:
            raise ActionNotAllowed(f"Signing package {package_id} is {status.value}.")
        ours = self._ours(package)
        name = str(ours.get("name") or DOCUMENT_ID)
        status_code, pdf = await self._call(
            "GET", f"packages/{package_id}/documents/{DOCUMENT_ID}/pdf", name=name)
        self._check(status_code, pdf, name)
        status_code, evidence = await self._call(
            "GET", f"packages/{package_id}/evidence/summary", name=name)
        self._check(status_code, evidence, name)
        signers = tuple(Person(oid=str(p.get("oid", "")), upn=str(p.get("upn", "")),
                               name=str(p.get("name", "")))
                        for p in ours.get("signers") or () if isinstance(p, Mapping))
        return SignedDocument(
            name=name, pdf=pdf, sha256_before=str(ours.get("sha256", "")),
            sha256_after=sha256_hex(pdf), signers=signers,
            signed_at=_iso(str(package.get("updated", ""))), provider=PROVIDER, level=LEVEL,
            evidence=evidence, evidence_name=f"{name}.bewijs.pdf")

    async def callback(self, body: bytes, headers: Mapping[str, str]) -> SigningCallback | None:
        """The package a genuine callback is about (None: the key is wrong or missing, or
        the body is not a ValidSign notice)."""
        expected = self.settings.callback_key
        given = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if not expected or not hmac.compare_digest(given.encode(),
                                                   f"Basic {expected}".encode()):
            return None
        try:
            notice = json.loads(body)
        except ValueError:
            return None
        if not isinstance(notice, Mapping) or not notice.get("packageId"):
            return None
        name = str(notice.get("name", ""))
        return SigningCallback(
            package_id=str(notice["packageId"]),
            status=CALLBACK_STATUSES.get(name, SigningStatus.SENT),
            event_id=f"{name}:{notice['packageId']}:{notice.get('createdDate', '')}")


def _iso(stamp: str) -> str:
    """ValidSign's ``2026-12-03T16:58:45Z`` (or with milliseconds) as ISO 8601 UTC."""
    if not stamp:
        return ""
    return stamp.split(".")[0].rstrip("Z") + "Z"
