"""`GraphServer`: the aiohttp application, the request pipeline and state accessors.

    async with GraphServer(seed=1, directory="local/demo/directory.yaml") as server:
        client = make_graph_client(server)
        ...
        assert server.stats.count("POST", "/sites/*/items") == 1

Pipeline of one request: simulated latency -> bearer token check -> faults (delay, error,
drop) -> path rewriting and routing -> handler -> stats -> (fault: drop after applying).
`$batch` parts go through the same pipeline from "faults" on.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
import random
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from multidict import CIMultiDict

from tests.support.graph_server import directory as directory_api
from tests.support.graph_server import drives, listitems, odata, permissions, sharepoint, uploads
from tests.support.graph_server.batch import run_batch
from tests.support.graph_server.directory_model import Directory
from tests.support.graph_server.faults import Decision, FaultRule, Faults
from tests.support.graph_server.model import Drive, DriveItem, Identity, Ids, ListItem, Site, SpList
from tests.support.graph_server.protocol import (
    ODATA_JSON,
    DropConnection,
    GraphError,
    GraphRequest,
    GraphResponse,
    error_response,
)
from tests.support.graph_server.router import Router, rewrite, stats_key
from tests.support.graph_server.state import Config, State
from tests.support.graph_server.stats import RequestRecord, Stats

DEFAULT_HOST = "contoso.sharepoint.com"
WWW_AUTHENTICATE = ('Bearer realm="", authorization_uri="https://login.microsoftonline.com/'
                    'common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"')
DIAGNOSTIC = ('{"ServerInfo":{"DataCenter":"Local","Slice":"E","Ring":"5","ScaleUnit":"000",'
              '"RoleInstance":"LOCALGRAPH"}}')
FAULT_ERRORS = {
    429: ("activityLimitReached", "The request has been throttled"),
    503: ("serviceNotAvailable", "The service is not available. Try the request again after "
          "a delay. There may be a Retry-After header."),
    504: ("UnknownError", ""),
}


class GraphServer:
    def __init__(
        self,
        *,
        seed: int | str | None = 0,
        directory: str | Path | dict[str, Any] | None = None,
        hostname: str = DEFAULT_HOST,
        sites: tuple[str, ...] = ("/sites/paraaf",),
        tenant_id: str = "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3",
        app_id: str = "9a0e4b4c-2f6a-4f43-9d0e-6e3b1c2d7f10",
        app_name: str = "paraaf",
        host: str = "127.0.0.1",
        port: int = 0,
        config: Config | None = None,
    ) -> None:
        self.faults = Faults(seed)
        self.stats = Stats()
        self.state = State(
            ids=Ids(seed), host=hostname, tenant_id=tenant_id,
            app=Identity(app_id, app_name, is_app=True), directory=Directory.load(directory),
            config=config or Config(),
        )
        self.state.add_site("/")
        self.sites = [self.state.add_site(path) for path in sites]
        self._batch_rng = random.Random(f"batch:{seed}")
        self.router = Router()
        for module in (sharepoint, listitems, drives, uploads, permissions, directory_api):
            module.register(self.router)
        self.router.add("POST", "/$batch", self._batch)
        self.outside = Router()  # pre-authenticated URLs outside /v1.0
        self.outside.add("GET", "/_layouts/15/download.aspx",
                         lambda s, r, p: drives.download(s, r.param("tempauth") or ""))
        for method in ("PUT", "GET", "DELETE", "POST"):
            self.outside.add(method, uploads.SESSION_PATH, lambda s, r, p: uploads.handle(s, r))
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> GraphServer:
        app = web.Application(client_max_size=self.state.config.simple_upload_limit + 2**20)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True,
                                     shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://{self._host}:{port}/v1.0"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> GraphServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def origin(self) -> str:
        return self.base_url.rsplit("/v1.0", 1)[0]

    # ------------------------------------------------------------------ HTTP

    async def _handle(self, web_request: web.Request) -> web.StreamResponse:
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        path = unquote(web_request.rel_url.raw_path)
        request = GraphRequest(
            method=web_request.method.upper(),
            path=path[len("/v1.0"):] or "/" if path.startswith("/v1.0/") else path,
            query=GraphRequest.parse_query(web_request.rel_url.raw_query_string),
            headers=CIMultiDict(web_request.headers),
            body=await web_request.read(),
            base_url=self.base_url,
        )
        try:
            if path.startswith("/v1.0/"):
                response = self._authenticate(request) or await self.execute(request)
            else:
                response = await self.execute(request, router=self.outside)
        except DropConnection:
            if web_request.transport is not None:
                web_request.transport.abort()
            raise asyncio.CancelledError() from None
        return self._to_web(request, response)

    def _authenticate(self, request: GraphRequest) -> GraphResponse | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            request.caller = _claims(token.strip())
            return None
        error = GraphError(401, "InvalidAuthenticationToken", "Access token is empty.",
                           {"WWW-Authenticate": WWW_AUTHENTICATE})
        response = error_response(error, request)
        self._record(request, "", response.status, 0.0, "read", None)
        return response

    def _to_web(self, request: GraphRequest, response: GraphResponse) -> web.Response:
        headers = {
            "request-id": request.request_id,
            "client-request-id": request.client_request_id,
            "x-ms-ags-diagnostic": DIAGNOSTIC,
            "Cache-Control": "no-store, no-cache",
            "Strict-Transport-Security": "max-age=31536000",
        }
        if response.content_type:
            headers["Content-Type"] = response.content_type
        if response.content_type == ODATA_JSON:
            headers["OData-Version"] = "4.0"
        headers.update(response.headers)
        return web.Response(status=response.status, body=response.encoded(), headers=headers)

    # ------------------------------------------------------------------ pipeline

    async def execute(self, request: GraphRequest, router: Router | None = None) -> GraphResponse:
        """Answer one request (or `$batch` part): faults, routing, handler, stats."""
        started = time.perf_counter()
        if_match = request.headers.get("If-Match", "").strip()
        decision = self.faults.decide(request.method, request.path, in_batch=request.in_batch,
                                      conditional=bool(if_match) and if_match != "*")
        if decision.delay:
            await asyncio.sleep(decision.delay)
        if decision.drop_before:
            self._record(request, "", 0, started, "read", "drop_before")
            raise DropConnection()
        if decision.error is not None:
            response = self._fault_response(request, decision.error)
            self._record(request, "", response.status, started, "read", "status")
            return response
        request.force_race = decision.race
        route_key, cost = "", "read"
        try:
            route, params = (router or self.router).match(request.method,
                                                          rewrite(self.state, request))
            route_key, cost = stats_key(route, request), route.cost
            result = route.handler(self.state, request, params)
            response = await result if inspect.isawaitable(result) else result
            select = request.param("$select", "select")
            if (select and route.template.startswith(("/sites", "/drives"))
                    and not route.template.startswith("/sites/{site}/lists/{list}/items")
                    and response.status == 200 and isinstance(response.body, dict)):
                response.body = odata.select_all(response.body, odata.parse_select(select))
        except GraphError as error:
            response = error_response(error, request)
        self._record(request, route_key, response.status, started, cost, _fault_name(decision))
        if decision.drop_after:
            raise DropConnection()
        return response

    def _fault_response(self, request: GraphRequest, rule: FaultRule) -> GraphResponse:
        code, message = FAULT_ERRORS.get(rule.status, ("generalException", "General exception "
                                                       "while processing"))
        headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
        error = GraphError(rule.status, rule.code or code, rule.message or message, headers)
        return error_response(error, request)

    def _record(self, request: GraphRequest, route: str, status: int, started: float,
                cost: str, fault: str | None) -> None:
        seconds = time.perf_counter() - started if started else 0.0
        self.stats.record(RequestRecord(request.method, request.path, route, status,
                                        request.in_batch, seconds, cost, fault))

    async def _batch(self, state: State, request: GraphRequest,
                     params: dict[str, str]) -> GraphResponse:
        return await run_batch(request, self.execute, self._batch_rng,
                               state.config.batch_max_requests)

    # ------------------------------------------------------------------ state accessors

    @property
    def config(self) -> Config:
        return self.state.config

    @property
    def site(self) -> Site:
        """The first configured site (`/sites/paraaf` by default)."""
        return self.sites[0]

    @property
    def directory(self) -> Directory:
        return self.state.directory

    def get_list(self, title: str, site: Site | None = None) -> SpList:
        return self.state.sp_list(site or self.site, title)

    def list_item(self, title: str, item_id: int, site: Site | None = None) -> ListItem:
        return self.get_list(title, site).items[item_id]

    def items(self, title: str, site: Site | None = None) -> list[dict[str, Any]]:
        """The stored field values of every item, with `id` and `eTag`, in id order."""
        sp_list = self.get_list(title, site)
        return [{"id": i.id, "eTag": i.etag, **i.fields}
                for i in sorted(sp_list.items.values(), key=lambda i: i.id)]

    def add_items(self, title: str, rows: list[dict[str, Any]],
                  site: Site | None = None) -> list[ListItem]:
        """Seed items directly (no HTTP, no stats), values already in stored form."""
        sp_list = self.get_list(title, site)
        return [listitems.add_item(self.state, sp_list, row) for row in rows]

    def touch_item(self, title: str, item_id: int, site: Site | None = None, **fields: Any) -> str:
        """Another writer changes an item (new eTag); returns the new eTag."""
        item = self.list_item(title, item_id, site)
        item.fields.update(fields)
        item.version += 1
        return item.etag

    def expire_delta_tokens(self, title: str, site: Site | None = None) -> None:
        """The service forgets every `items/delta` token of the list: they answer 410."""
        from tests.support.graph_server.delta import expire

        expire(self.get_list(title, site))

    def drive(self, name: str = "Documents", site: Site | None = None) -> Drive:
        return self.state.drive_of(self.get_list(name, site))

    def drive_item(self, path: str, drive: str = "Documents", site: Site | None = None
                   ) -> DriveItem:
        target = self.drive(drive, site)
        item = target.items[target.root_id]
        for part in [p for p in path.split("/") if p]:
            item = target.items[item.children[part.casefold()]]
        return item

    def file(self, path: str, drive: str = "Documents", site: Site | None = None) -> bytes:
        return self.drive_item(path, drive, site).content


def _claims(token: str) -> dict[str, Any]:
    """The claims of a JWT-shaped token (unverified), or {} for any other token."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return {}
    return claims if isinstance(claims, dict) else {}


def _fault_name(decision: Decision) -> str | None:
    if decision.drop_after:
        return "drop_after"
    if decision.race:
        return "race"
    if decision.delay:
        return "delay"
    return None
