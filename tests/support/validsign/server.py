"""A ValidSign stand-in: the part of its REST API paraaf uses, with the rules that matter.

- ``Authorization: Basic <api key>`` on every call, else 401;
- packages go DRAFT -> SENT -> COMPLETED, DECLINED, OPTED_OUT or EXPIRED; a package's
  documents are read-only once it is sent (400); the sender may take a sent package back to
  DRAFT (its signers can no longer sign it), an ended one cannot change (400);
- a signature's text anchor that is not in the document is a 400 when the package is made;
- signing is real: each signer in order puts a PAdES signature on the PDF with pyHanko, by
  the stand-in's own test CA ("ValidSign Test CA", not paraaf's demo CA); the evidence
  summary is a PDF;
- callbacks are at least once: every notice is queued and :meth:`ValidSignStandIn.deliver`
  posts them to the callback URL with ``Authorization: Basic <callback key>``, twice each
  when ``duplicate`` and in reverse order when ``reverse``; :meth:`replay` posts an old one.

Tests drive the signers with :meth:`sign`, :meth:`decline`, :meth:`opt_out` and
:meth:`expire` (what people do at ValidSign).
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiohttp
from aiohttp import web
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from approvals.identity import Person
from approvals.signatures import sha256_hex
from signing.keys import DemoKeys
from signing.pades import Trust, sign_pdf
from signing.pki import DemoPki
from signing.render import text_pdf

T = TypeVar("T")
CA_NAME = "ValidSign Test CA"
_PKI: list[DemoPki] = []


def validsign_pki() -> DemoPki:
    """The stand-in's CA (one per test run: making keys is slow)."""
    if not _PKI:
        _PKI.append(DemoPki.create(name=CA_NAME))
    return _PKI[0]


def validsign_trust() -> Trust:
    """What trusts the stand-in's signatures (and nothing of paraaf's demo CA)."""
    return DemoKeys(validsign_pki()).trust()


def validsign_root_pem() -> bytes:
    """The stand-in's root certificate as PEM: what an installation puts in
    PARAAF_SIGNING_TRUST_ROOTS to trust ValidSign's signatures."""
    from cryptography.hazmat.primitives import serialization

    return validsign_pki().ca.cert.public_bytes(serialization.Encoding.PEM)


def _error(status: int, message: str, key: str) -> web.Response:
    return web.json_response({"code": status, "message": message, "messageKey": key},
                             status=status)


def _contents(pdf: bytes) -> Iterator[bytes]:
    """The decoded content streams of every page."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)

    def walk(node: Any) -> Iterator[bytes]:
        node = node.get_object()
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                yield from walk(kid)
            return
        contents = node.get("/Contents")
        if contents is None:
            return
        contents = contents.get_object()
        streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
        for stream in streams:
            yield stream.get_object().data

    yield from walk(reader.root["/Pages"])


def has_text(pdf: bytes, text: str) -> bool:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    wanted = {text.encode("latin-1", "replace"), escaped.encode("latin-1", "replace")}
    return any(w in data for data in _contents(pdf) for w in wanted)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


@dataclass
class Package:
    id: str
    payload: dict[str, Any]
    original: bytes
    pdf: bytes
    status: str = "DRAFT"
    updated: str = field(default_factory=_now)
    messages: list[dict[str, Any]] = field(default_factory=list)
    evidence: bytes = b""
    trail: list[str] = field(default_factory=list)

    def signers(self) -> list[Person]:
        roles = sorted(self.payload.get("roles", []), key=lambda r: r.get("index", 0))
        people = []
        for role in roles:
            for signer in role.get("signers", []):
                name = f"{signer.get('firstName', '')} {signer.get('lastName', '')}".strip()
                people.append(Person(oid=signer["email"], upn=signer["email"], name=name))
        return people

    def as_json(self) -> dict[str, Any]:
        documents = [{**document, "id": document.get("id") or f"doc{i}"}
                     for i, document in enumerate(self.payload.get("documents", []), 1)]
        return {**self.payload, "id": self.id, "status": self.status, "updated": self.updated,
                "documents": documents, "messages": self.messages}


@dataclass
class ValidSignStandIn:
    api_key: str = "stand-in-api-key"
    callback_key: str = "stand-in-callback-key"
    callback_url: str = ""
    duplicate: bool = False  # every notice delivered twice
    reverse: bool = False  # the pending notices delivered last first
    unavailable: int = 0  # answer this many next calls with 503 (ValidSign having a moment)
    packages: dict[str, Package] = field(default_factory=dict)
    pending: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""
    loop: asyncio.AbstractEventLoop | None = None  # the thread's loop (validsign_in_thread)
    _notice_ids: Iterator[int] = field(default_factory=itertools.count)

    # the REST API -----------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._authenticate], client_max_size=64 * 2**20)
        app.router.add_post("/api/packages", self._create)
        app.router.add_get("/api/packages", self._list)
        app.router.add_get("/api/packages/{id}", self._get)
        app.router.add_put("/api/packages/{id}", self._update)
        app.router.add_post("/api/packages/{id}/documents", self._add_document)
        app.router.add_get("/api/packages/{id}/documents/{doc}/pdf", self._document)
        app.router.add_get("/api/packages/{id}/evidence/summary", self._evidence)
        return app

    @web.middleware
    async def _authenticate(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.calls.append((request.method, request.path))
        if self.unavailable > 0:
            self.unavailable -= 1
            return _error(503, "Service unavailable", "error.internal.unavailable")
        if request.headers.get("Authorization", "") != f"Basic {self.api_key}":
            return _error(401, "Unauthorized access", "error.unauthorised.noApiKey")
        response: web.StreamResponse = await handler(request)
        return response

    def _package(self, request: web.Request) -> Package | web.Response:
        package = self.packages.get(request.match_info["id"])
        if package is None:
            return _error(404, "Package not found", "error.notFound.packageNotFound")
        return package

    async def _create(self, request: web.Request) -> web.Response:
        payload: dict[str, Any] | None = None
        pdf = b""
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, aiohttp.BodyPartReader):
                continue
            if part.name == "payload":
                payload = json.loads(await part.text())
            else:
                pdf = bytes(await part.read())
        if payload is None or not pdf:
            return _error(400, "A payload and a document are required",
                          "error.validation.missingPayload")
        if not payload.get("roles"):
            return _error(400, "A package needs a signer", "error.validation.noSigners")
        roles = {role["id"] for role in payload["roles"]}
        for document in payload.get("documents", []):
            for approval in document.get("approvals", []):
                if approval.get("role") not in roles:
                    return _error(400, f"Unknown role {approval.get('role')}",
                                  "error.validation.unknownRole")
                for spec in approval.get("fields", []):
                    anchor = (spec.get("extractAnchor") or {}).get("text")
                    if anchor is not None and not has_text(pdf, anchor):
                        return _error(400, f"Anchor text '{anchor}' was not found in the "
                                      "document", "error.validation.anchorNotFound")
        package = Package(uuid.uuid4().hex[:24], payload, pdf, pdf,
                          status=payload.get("status", "DRAFT"))
        if package.status not in ("DRAFT", "SENT"):
            return _error(400, "A new package is DRAFT or SENT", "error.validation.status")
        self.packages[package.id] = package
        package.trail.append(f"{_now()} package created")
        if package.status == "SENT":
            self._notify("PACKAGE_ACTIVATE", package)
        return web.json_response({"id": package.id})

    async def _list(self, request: web.Request) -> web.Response:
        """Packages ``from`` to ``to`` (1-based, as ValidSign counts)."""
        try:
            first, last = int(request.query.get("from", 1)), int(request.query.get("to", 50))
        except ValueError:
            return _error(400, "from and to are numbers", "error.validation.paging")
        found = list(self.packages.values())[first - 1:last]
        return web.json_response({"count": len(self.packages),
                                  "results": [p.as_json() for p in found]})

    async def _get(self, request: web.Request) -> web.Response:
        package = self._package(request)
        if isinstance(package, web.Response):
            return package
        return web.json_response(package.as_json())

    async def _update(self, request: web.Request) -> web.Response:
        package = self._package(request)
        if isinstance(package, web.Response):
            return package
        change = await request.json()
        status = change.get("status", package.status)
        others = set(change) - {"status"}
        if package.status != "DRAFT" and others:
            return _error(400, "The package is read-only once sent",
                          "error.validation.packageNotDraft")
        if status != package.status:
            if (package.status, status) not in (("DRAFT", "SENT"), ("SENT", "DRAFT")):
                return _error(400, f"A {package.status} package cannot become {status}",
                              "error.validation.invalidStatusChange")
            package.status = status
            package.updated = _now()
            if status == "SENT":
                package.trail.append(f"{package.updated} sent to the signers")
                self._notify("PACKAGE_ACTIVATE", package)
            else:  # taken back: nobody can sign it until it is sent again
                package.trail.append(f"{package.updated} changed to draft by the sender")
        package.payload.update({k: v for k, v in change.items() if k != "status"})
        return web.json_response(package.as_json())

    async def _add_document(self, request: web.Request) -> web.Response:
        package = self._package(request)
        if isinstance(package, web.Response):
            return package
        if package.status != "DRAFT":
            return _error(400, "Documents cannot change once the package is sent",
                          "error.validation.packageNotDraft")
        await request.read()
        return web.json_response({"id": uuid.uuid4().hex[:12]})

    async def _document(self, request: web.Request) -> web.Response:
        package = self._package(request)
        if isinstance(package, web.Response):
            return package
        ids = {d.get("id") for d in package.as_json()["documents"]}
        if request.match_info["doc"] not in ids:
            return _error(404, "Document not found", "error.notFound.documentNotFound")
        return web.Response(body=package.pdf, content_type="application/pdf")

    async def _evidence(self, request: web.Request) -> web.Response:
        package = self._package(request)
        if isinstance(package, web.Response):
            return package
        if package.status != "COMPLETED":
            return _error(400, "The evidence summary is there once the package is completed",
                          "error.validation.packageNotCompleted")
        return web.Response(body=package.evidence, content_type="application/pdf")

    # what the signers do at ValidSign -------------------------------------------------

    def _sent(self, package_id: str) -> Package:
        """A package its signers can act on: sent, not ended, not taken back to DRAFT."""
        package = self.packages[package_id]
        assert package.status == "SENT", f"package {package_id} is {package.status}"
        return package

    async def sign(self, package_id: str) -> None:
        """Every signer signs, in order: the package is completed."""
        package = self._sent(package_id)
        keys = DemoKeys(validsign_pki())
        pdf = package.pdf
        for person in package.signers():
            pdf = await sign_pdf(pdf, keys.signer_for(person), keys.timestamper(),
                                 keys.trust(), signer_name=person.name,
                                 dossier_number=package.payload.get("name", ""),
                                 reason=package.payload.get("description", ""))
            package.trail.append(f"{_now()} signed by {person.name} <{person.upn}>")
            self._notify("SIGNER_COMPLETE", package)
        package.pdf = pdf
        package.status = "COMPLETED"
        package.updated = _now()
        package.trail.append(f"{package.updated} completed; document SHA-256 {sha256_hex(pdf)}")
        package.evidence = text_pdf(["ValidSign evidence summary", f"Package {package.id}",
                                     f"Original SHA-256 {sha256_hex(package.original)}",
                                     *package.trail])
        self._notify("PACKAGE_COMPLETE", package)
        await self.deliver()

    async def decline(self, package_id: str, reason: str) -> None:
        package = self._sent(package_id)
        signer = package.signers()[0]
        package.messages.append({"content": reason, "status": "NEW",
                                 "from": {"email": signer.upn}, "created": _now()})
        package.status = "DECLINED"
        package.updated = _now()
        self._notify("PACKAGE_DECLINE", package, message=reason)
        await self.deliver()

    async def opt_out(self, package_id: str, reason: str) -> None:
        package = self._sent(package_id)
        package.messages.append({"content": reason, "status": "NEW", "created": _now()})
        package.status = "OPTED_OUT"
        package.updated = _now()
        self._notify("PACKAGE_OPT_OUT", package, message=reason)
        await self.deliver()

    async def expire(self, package_id: str) -> None:
        package = self._sent(package_id)
        package.status = "EXPIRED"
        package.updated = _now()
        self._notify("PACKAGE_EXPIRE", package)
        await self.deliver()

    # callbacks -------------------------------------------------------------------------

    def _notify(self, name: str, package: Package, message: str | None = None) -> None:
        self.pending.append({
            "@class": "com.silanis.esl.packages.event.ESLProcessEvent", "name": name,
            "sessionUser": "stand-in", "packageId": package.id, "message": message,
            "documentId": None, "createdDate": f"{_now()}#{next(self._notice_ids)}"})

    async def post_notice(self, notice: dict[str, Any], key: str | None = None) -> int:
        """One notice posted to the callback URL (with ``key``, a forged one); its status."""
        async with aiohttp.ClientSession() as session, session.post(
                self.callback_url, json=notice,
                headers={"Authorization": f"Basic {key or self.callback_key}"}) as response:
            await response.read()
            self.delivered.append((notice, response.status))
            return response.status

    async def deliver(self) -> list[int]:
        """Post the pending notices (none without a callback URL: they stay pending)."""
        if not self.callback_url:
            return []
        notices, self.pending = self.pending, []
        if self.reverse:
            notices.reverse()
        statuses = []
        for notice in notices:
            for _ in range(2 if self.duplicate else 1):
                statuses.append(await self.post_notice(notice))
        return statuses

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """``work`` (e.g. ``sign(package)``) done on the stand-in's thread, waited for."""
        assert self.loop is not None, "run() is for the stand-in served from a thread"
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(60)

    async def replay(self, index: int = -1) -> int:
        """A notice delivered before, delivered again."""
        return await self.post_notice(self.delivered[index][0])


@asynccontextmanager
async def running_validsign(**options: Any) -> AsyncIterator[ValidSignStandIn]:
    """The stand-in served on 127.0.0.1 (its ``url`` set)."""
    stand_in = ValidSignStandIn(**options)
    runner = web.AppRunner(stand_in.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stand_in.url = f"http://127.0.0.1:{port}"
    try:
        yield stand_in
    finally:
        await runner.cleanup()


@contextmanager
def validsign_in_thread(**options: Any) -> Iterator[ValidSignStandIn]:
    """The stand-in served from a thread of its own (for a synchronous caller, such as the
    command line run in process)."""
    started = threading.Event()
    stop: list[asyncio.Event] = []
    found: list[ValidSignStandIn] = []

    async def serve() -> None:
        async with running_validsign(**options) as stand_in:
            stop.append(asyncio.Event())
            found.append(stand_in)
            started.set()
            await stop[0].wait()

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    assert started.wait(10), "the ValidSign stand-in did not start"
    found[0].loop = loop
    try:
        yield found[0]
    finally:
        loop.call_soon_threadsafe(stop[0].set)
        thread.join(10)
        loop.close()
