"""What every operation of the tab's API shares: the tab's context, a request as a handler
sees it, the route description, refusals, the caller's language and identity."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import pydantic
from aiohttp import web

from approvals.ports import (
    DocumentStore,
    DossierQueries,
    FactsQueries,
    ListedUser,
    PeopleDirectory,
)
from approvals.service import Services
from bot.local_guard import loopback_host
from bot.settings import Settings
from bot.signing_keys import KeysUnavailable, SigningKeys
from bot.tab import models as m
from bot.tab.auth import (
    LOCAL_USER_HEADER,
    Identity,
    NotAuthenticated,
    SsoTokens,
    local_identity,
    sso_identity,
)
from cards.strings import lang_for, strings

log = logging.getLogger("paraaf.tab")

PREFIX = "/api/v1"
AUTH_BUDGET = 4.5  # seconds: a request that cannot be authenticated by then is refused
MAX_BODY = 256 * 1024

Access = Literal["user", "beheerder", "local"]


class ApiError(Exception):
    """A refusal: the HTTP status and the error body."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = m.Error(code=code, message=message, field=field)


DemoUser = ListedUser
"""A user of the demo directory, as the local mode's user picker lists them."""


@dataclass(frozen=True)
class Tab:
    """What the tab's handlers use, built by the wiring (bot/wiring.py)."""

    services: Services
    documents: DocumentStore
    settings: Settings
    tokens: SsoTokens  # the SSO token checks, on the keys Entra publishes
    demo_users: tuple[DemoUser, ...] | None = None  # local backend: the user picker's list
    queries: DossierQueries | None = None  # a store that answers the overview itself
    facts: FactsQueries | None = None  # a store that keeps the facts: register, insight
    people: PeopleDirectory | None = None  # everyone's department (both backends)

    @classmethod
    def of(cls, services: Services, documents: DocumentStore, settings: Settings,
           demo_users: tuple[DemoUser, ...] | None = None,
           queries: DossierQueries | None = None,
           facts: FactsQueries | None = None,
           people: PeopleDirectory | None = None) -> Tab:
        """The tab with the SSO token checks the settings name."""
        keys = SigningKeys(settings.tab_openid_metadata_url)
        tokens = SsoTokens(keys, settings.tab_app_id, settings.tab_tenants,
                           public_url=settings.public_url)
        return cls(services, documents, settings, tokens, demo_users, queries, facts, people)

    def local_mode(self, request: web.Request) -> bool:
        """Local mode answers a chosen demo user: local mode, local backend, loopback."""
        s = self.settings
        return (s.mode == "local" and s.backend == "local" and self.demo_users is not None
                and loopback_host(request.headers.get("Host", "")))

    @property
    def zone(self) -> str:
        return self.settings.timezone


@dataclass(frozen=True)
class Call:
    """One request as a handler sees it: who, in which language, with what input."""

    tab: Tab
    request: web.Request
    identity: Identity | None
    lang: str
    query: Any = None
    body: Any = None

    @property
    def user(self) -> Identity:
        assert self.identity is not None  # every route but the local user list has one
        return self.identity

    def path(self, name: str) -> str:
        return self.request.match_info[name]


Handler = Callable[[Call], Awaitable[pydantic.BaseModel]]


@dataclass(frozen=True)
class Route:
    """One operation: method, path, what it reads and answers, and who may call it."""

    method: str
    path: str
    name: str
    summary: str
    handler: Handler
    response: type[m.Model]
    body: type[m.Model] | None = None
    query: type[m.Model] | None = None
    access: Access = "user"
    errors: tuple[int, ...] = (401,)
    files: tuple[tuple[str, type[m.Model] | None], ...] = ()
    """A download (the handler answers m.Download): its media types, each with the model
    of its content (None: text)."""


def language(request: web.Request) -> str:
    """The request's language from ``Accept-Language``: English when its first language is
    English, else Dutch."""
    return lang_for(request.headers.get("Accept-Language", "").split(",")[0].split(";")[0])


def _problem(error: pydantic.ValidationError) -> tuple[str | None, str]:
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return where or None, str(first.get("msg", ""))[:200]


def error_response(error: ApiError) -> web.Response:
    return web.json_response(error.body.model_dump(mode="json"), status=error.status)


async def authenticate(tab: Tab, request: web.Request, lang: str) -> Identity:
    """The caller (ApiError 401 when there is no valid identity, 503 when Entra's keys cannot
    be had now)."""
    s = strings(lang)
    chosen = request.headers.get(LOCAL_USER_HEADER)
    try:
        async with asyncio.timeout(AUTH_BUDGET):
            if chosen is not None and tab.local_mode(request):
                return await local_identity(tab.services.directory, chosen)
            return await sso_identity(tab.tokens, tab.services.directory,
                                      request.headers.get("Authorization", ""))
    except NotAuthenticated as refused:
        log.info("tab request not authenticated", extra={"reason": str(refused)})
    except KeysUnavailable as error:
        log.info("tab token not checked: no signing keys", extra={"reason": str(error)})
        raise ApiError(503, "unavailable", s.tab_unavailable) from None
    except TimeoutError:
        log.info("tab request not authenticated", extra={"reason": "not checked in time"})
    raise ApiError(401, "unauthenticated", s.tab_unauthenticated)


async def read_input(request: web.Request, route: Route, lang: str) -> tuple[Any, Any]:
    s = strings(lang)
    query = body = None
    try:
        if route.query is not None:
            repeated = sorted({key for key in request.query if len(request.query.getall(key)) > 1})
            if repeated:  # a filter is one value: which of several was meant is not ours to pick
                raise ApiError(422, "invalid_input", s.tab_bad_request.format(
                    detail=s.tab_query_repeated.format(name=repeated[0][:40])), repeated[0][:40])
            query = route.query.model_validate(dict(request.query))
        if route.body is not None:
            if request.content_type != "application/json":
                raise ApiError(415, "unsupported_media_type",
                               s.tab_bad_request.format(detail="application/json"))
            raw = await request.read()
            body = route.body.model_validate_json(raw)
    except pydantic.ValidationError as error:
        where, detail = _problem(error)
        raise ApiError(422, "invalid_input", s.tab_bad_request.format(detail=detail),
                       where) from None
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "too_large", s.tab_bad_request.format(
            detail=f"> {MAX_BODY} bytes")) from None
    return query, body


