"""A stand-in for an Open Zaak-compatible Besluiten and Documenten API, on an ephemeral port.

It keeps the server's rules that matter to a register: a JWT signed (HS256) with the secret
of a known client_id (401 without one, or with a wrong one), ``identificatie`` unique per
organisation, the RSIN by the elfproef, ``datum`` not after today, a ``besluittype`` and an
``informatieobjecttype`` that exist, and a link only between a besluit and a document that
exist; bad input is a 400 with the ZGW error body (``invalidParams``). Every request and
every answer is checked against the official specs (:mod:`tests.support.zgw.spec`): a
mismatch is kept in ``spec_errors`` (the tests assert it stays empty) and a request that
does not fit is answered 400, as the real server does.

``drop_after`` makes the server do a POST's work and then drop the connection, once:
what a client sees when its connection breaks after the server acted; ``failing_reads``
answers so many GETs with a 500 first.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import jwt
from aiohttp import web
from openapi_core.testing import MockRequest, MockResponse

from approvals.zgw import elfproef
from tests.support.zgw import spec

BESLUITEN = "/besluiten/api/v1"
DOCUMENTEN = "/documenten/api/v1"
PROBLEM = "application/problem+json"
DROPPED = web.RequestKey("dropped", bool)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Exchange:
    method: str
    path: str
    status: int


@dataclass
class ZgwStandIn:
    clients: dict[str, str] = field(default_factory=lambda: {"paraaf": "geheim-" + "x" * 24})
    besluittypen: set[str] = field(default_factory=set)
    informatieobjecttypen: set[str] = field(default_factory=set)
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    besluiten: dict[str, dict[str, Any]] = field(default_factory=dict)
    documenten: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, dict[str, Any]] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)
    spec_errors: list[str] = field(default_factory=list)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    drop_after: set[str] = field(default_factory=set)  # "besluiten", "documenten", "links"
    failing_reads: int = 0  # so many GETs are answered 500 first (a server in trouble)
    base: str = ""
    _runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ life

    async def start(self) -> None:
        app = web.Application(middlewares=[self._checked])
        app.router.add_post(f"{BESLUITEN}/besluiten", self._create_besluit)
        app.router.add_get(f"{BESLUITEN}/besluiten", self._list_besluiten)
        app.router.add_get(f"{BESLUITEN}/besluiten/{{uuid}}", self._read_besluit)
        app.router.add_post(f"{BESLUITEN}/besluitinformatieobjecten", self._create_link)
        app.router.add_get(f"{BESLUITEN}/besluitinformatieobjecten", self._list_links)
        app.router.add_post(f"{DOCUMENTEN}/enkelvoudiginformatieobjecten", self._create_document)
        app.router.add_get(f"{DOCUMENTEN}/enkelvoudiginformatieobjecten", self._list_documents)
        app.router.add_get(f"{DOCUMENTEN}/enkelvoudiginformatieobjecten/{{uuid}}",
                           self._read_document)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def besluiten_url(self) -> str:
        return self.base + BESLUITEN

    @property
    def documenten_url(self) -> str:
        return self.base + DOCUMENTEN

    @property
    def requests(self) -> int:
        """How many requests reached the server."""
        return len(self.exchanges)

    def posts(self, path_end: str) -> int:
        return sum(1 for e in self.exchanges if e.method == "POST" and e.path.endswith(path_end))

    # ------------------------------------------------------------------ checks

    @web.middleware
    async def _checked(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.read()
        refused = self._unauthorised(request)
        response: web.StreamResponse
        if refused is not None:
            response = refused
        elif request.method == "GET" and self.failing_reads > 0:
            self.failing_reads -= 1
            response = self._fout(request, 500, "error", "Er is een serverfout opgetreden.")
        else:
            try:
                self._request_fits(request, body)
            except Exception as error:  # the spec's verdict on the request
                self.spec_errors.append(f"request {request.method} {request.path}: {error}")
                response = self._invalid(request, [
                    ("nonFieldErrors", "invalid", f"request does not fit the spec: {error}")])
            else:
                response = await handler(request)
        if isinstance(response, web.Response) and not request.get(DROPPED):
            self._response_fits(request, body, response)  # (a dropped one never arrives)
        self.exchanges.append(Exchange(request.method, request.path, response.status))
        return response

    def _mock(self, request: web.Request, body: bytes) -> MockRequest:
        return MockRequest(self.base, request.method.lower(), request.path,
                           args=dict(request.query), headers=dict(request.headers),
                           data=body or None, content_type=request.content_type)

    def _request_fits(self, request: web.Request, body: bytes) -> None:
        spec.api_for(request.path).validate_request(self._mock(request, body))

    def _response_fits(self, request: web.Request, body: bytes,
                       response: web.Response) -> None:
        mock = self._mock(request, body)
        answer = MockResponse(response.body if isinstance(response.body, bytes) else b"",
                              status_code=response.status,
                              headers=dict(response.headers),
                              content_type=response.content_type)
        try:
            spec.api_for(request.path).validate_response(mock, answer)
        except Exception as error:
            self.spec_errors.append(f"response {response.status} to {request.method} "
                                    f"{request.path}: {error}")

    def _unauthorised(self, request: web.Request) -> web.Response | None:
        """A 401 without a JWT signed with a known client's secret, or with claims missing."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return self._fout(request, 401, "not_authenticated",
                              "Authenticatiegegevens zijn niet opgegeven.")
        token = header.removeprefix("Bearer ")
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            secret = self.clients[str(unverified.get("client_id", ""))]
            claims = jwt.decode(token, secret, algorithms=["HS256"])
        except (jwt.PyJWTError, KeyError):
            return self._fout(request, 401, "not_authenticated",
                              "Client-identificatie of JWT is ongeldig.")
        missing = {"iss", "iat", "client_id", "user_id", "user_representation"} - set(claims)
        if missing:
            return self._fout(request, 401, "not_authenticated",
                              f"JWT mist claims: {', '.join(sorted(missing))}")
        self.tokens.append(claims)
        return None

    # ------------------------------------------------------------------ answers

    def _fout(self, request: web.Request, status: int, code: str,
              detail: str) -> web.Response:
        body = {"type": f"{self.base}/ref/fouten/{code}/", "code": code, "title": detail,
                "status": status, "detail": detail, "instance": f"urn:uuid:{uuid.uuid4()}"}
        return web.json_response(body, status=status, content_type=PROBLEM)

    def _invalid(self, request: web.Request,
                 params: list[tuple[str, str, str]]) -> web.Response:
        body = {"type": f"{self.base}/ref/fouten/ValidationError/", "code": "invalid",
                "title": "Invalid input.", "status": 400, "detail": "",
                "instance": f"urn:uuid:{uuid.uuid4()}",
                "invalidParams": [{"name": n, "code": c, "reason": r} for n, c, r in params]}
        return web.json_response(body, status=400, content_type=PROBLEM)

    @staticmethod
    def _created(body: dict[str, Any]) -> web.Response:
        return web.json_response(body, status=201, headers={"Location": body["url"]})

    @staticmethod
    def _page(results: list[dict[str, Any]]) -> web.Response:
        return web.json_response({"count": len(results), "next": None, "previous": None,
                                  "results": results})

    def _drop(self, request: web.Request, what: str) -> bool:
        if what in self.drop_after:
            self.drop_after.discard(what)
            request[DROPPED] = True
            if request.transport is not None:
                request.transport.close()
            return True
        return False

    def _rsin(self, name: str, value: str, errors: list[tuple[str, str, str]]) -> None:
        if not elfproef(value):
            errors.append((name, "invalid", "Onjuist RSIN: het voldoet niet aan de elfproef."))

    # ------------------------------------------------------------------ besluiten

    async def _create_besluit(self, request: web.Request) -> web.StreamResponse:
        data = json.loads(await request.read())
        errors: list[tuple[str, str, str]] = []
        org = str(data.get("verantwoordelijkeOrganisatie", ""))
        self._rsin("verantwoordelijkeOrganisatie", org, errors)
        if data.get("besluittype") not in self.besluittypen:
            errors.append(("besluittype", "does_not_exist", "Het besluittype bestaat niet."))
        if date.fromisoformat(data["datum"]) > self.today:
            errors.append(("datum", "future-not-allowed",
                           "Deze datum mag niet in de toekomst liggen."))
        identificatie = str(data.get("identificatie") or f"BESLUIT-{uuid.uuid4().hex[:10]}")
        if any(b["identificatie"] == identificatie and b["verantwoordelijkeOrganisatie"] == org
               for b in self.besluiten.values()):
            errors.append(("identificatie", "identificatie-niet-uniek",
                           "Deze identificatie bestaat al voor deze organisatie."))
        if errors:
            return self._invalid(request, errors)
        key = str(uuid.uuid4())
        besluit = {"url": f"{self.besluiten_url}/besluiten/{key}", "identificatie": identificatie,
                   "verantwoordelijkeOrganisatie": org, "besluittype": data["besluittype"],
                   "zaak": "", "datum": data["datum"], "toelichting": data.get("toelichting", ""),
                   "bestuursorgaan": data.get("bestuursorgaan", ""),
                   "ingangsdatum": data["ingangsdatum"], "vervaldatum": None,
                   "vervalreden": "", "vervalredenWeergave": "", "publicatiedatum": None,
                   "verzenddatum": None, "uiterlijkeReactiedatum": None}
        self.besluiten[key] = besluit
        if self._drop(request, "besluiten"):
            return web.Response(status=201)
        return self._created(besluit)

    async def _list_besluiten(self, request: web.Request) -> web.StreamResponse:
        q = request.query
        found = [b for b in self.besluiten.values()
                 if all(b.get(k) == q[k] for k in ("identificatie", "verantwoordelijkeOrganisatie",
                                                   "besluittype") if k in q)]
        return self._page(found)

    async def _read_besluit(self, request: web.Request) -> web.StreamResponse:
        besluit = self.besluiten.get(request.match_info["uuid"])
        if besluit is None:
            return self._fout(request, 404, "not_found", "Niet gevonden.")
        return web.json_response(besluit)

    async def _create_link(self, request: web.Request) -> web.StreamResponse:
        data = json.loads(await request.read())
        errors: list[tuple[str, str, str]] = []
        if not any(b["url"] == data["besluit"] for b in self.besluiten.values()):
            errors.append(("besluit", "does_not_exist", "Het besluit bestaat niet."))
        if not any(d["url"] == data["informatieobject"] for d in self.documenten.values()):
            errors.append(("informatieobject", "does_not_exist",
                           "Het informatieobject bestaat niet."))
        if any(x["besluit"] == data["besluit"] and x["informatieobject"] == data["informatieobject"]
               for x in self.links.values()):
            errors.append(("nonFieldErrors", "unique",
                           "De velden besluit, informatieobject moeten een unieke set zijn."))
        if errors:
            return self._invalid(request, errors)
        key = str(uuid.uuid4())
        link = {"url": f"{self.besluiten_url}/besluitinformatieobjecten/{key}",
                "besluit": data["besluit"], "informatieobject": data["informatieobject"]}
        self.links[key] = link
        if self._drop(request, "links"):
            return web.Response(status=201)
        return self._created(link)

    async def _list_links(self, request: web.Request) -> web.StreamResponse:
        q = request.query
        return web.json_response([x for x in self.links.values()
                                  if all(x[k] == q[k] for k in ("besluit", "informatieobject")
                                         if k in q)])

    # ------------------------------------------------------------------ documenten

    async def _create_document(self, request: web.Request) -> web.StreamResponse:
        data = json.loads(await request.read())
        errors: list[tuple[str, str, str]] = []
        org = str(data.get("bronorganisatie", ""))
        self._rsin("bronorganisatie", org, errors)
        if data.get("informatieobjecttype") not in self.informatieobjecttypen:
            errors.append(("informatieobjecttype", "does_not_exist",
                           "Het informatieobjecttype bestaat niet."))
        identificatie = str(data.get("identificatie") or f"DOCUMENT-{uuid.uuid4().hex[:10]}")
        if any(d["identificatie"] == identificatie and d["bronorganisatie"] == org
               for d in self.documenten.values()):
            errors.append(("identificatie", "identificatie-niet-uniek",
                           "Deze identificatie bestaat al voor deze bronorganisatie."))
        content = base64.b64decode(data.get("inhoud") or "")
        if errors:
            return self._invalid(request, errors)
        key = str(uuid.uuid4())
        url = f"{self.documenten_url}/enkelvoudiginformatieobjecten/{key}"
        document = {
            "url": url, "identificatie": identificatie, "bronorganisatie": org,
            "creatiedatum": data["creatiedatum"], "titel": data["titel"],
            "vertrouwelijkheidaanduiding": data.get("vertrouwelijkheidaanduiding", "openbaar"),
            "auteur": data["auteur"], "status": data.get("status", ""),
            "formaat": data.get("formaat", ""), "taal": data["taal"], "versie": 1,
            "beginRegistratie": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "bestandsnaam": data.get("bestandsnaam", ""), "inhoud": f"{url}/download?versie=1",
            "bestandsomvang": len(content), "link": data.get("link", ""),
            "beschrijving": data.get("beschrijving", ""), "ontvangstdatum": None,
            "verzenddatum": None, "indicatieGebruiksrecht": data.get("indicatieGebruiksrecht"),
            "verschijningsvorm": "", "ondertekening": data.get("ondertekening"),
            "integriteit": data.get("integriteit"),
            "informatieobjecttype": data["informatieobjecttype"], "locked": False,
            "bestandsdelen": [], "trefwoorden": data.get("trefwoorden", [])}
        self.documenten[key] = document
        self.contents[key] = content
        if self._drop(request, "documenten"):
            return web.Response(status=201)
        return self._created(document)

    async def _list_documents(self, request: web.Request) -> web.StreamResponse:
        q = request.query
        found = [d for d in self.documenten.values()
                 if all(d.get(k) == q[k] for k in ("identificatie", "bronorganisatie")
                        if k in q)]
        return self._page(found)

    async def _read_document(self, request: web.Request) -> web.StreamResponse:
        document = self.documenten.get(request.match_info["uuid"])
        if document is None:
            return self._fout(request, 404, "not_found", "Niet gevonden.")
        return web.json_response(document)
