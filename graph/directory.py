"""People, managers, groups and roles from Entra ID through Microsoft Graph, cached.

- ``user(key)``: ``GET /users/{id or UPN}``; an e-mail address that is not a UPN (a B2B
  guest's own address, say) is looked up with ``$filter=mail eq '...'``. Guests
  (``userType`` Guest, ``#EXT#`` UPNs) are users like any other: they can be advisers.
- ``group_members(group)``: transitive members that are users, every page. Flows name groups
  by slug (``juristen``): a slug is the group's ``mailNickname``, resolved once to its id.
- ``role_members(role)``: the members of the group ``role_groups`` maps the role to (by
  default the group whose slug is the role's name).
- ``is_admin(oid)``: member of ``admin_group`` (default slug ``paraaf-beheerders``);
  ``list_admins()`` its members.
- ``is_guest(oid)``: the user's ``userType`` is Guest (or the UPN is an ``#EXT#`` one).
- ``search(text, limit)`` (the designer's picker, ``DirectorySearch``): users whose
  ``displayName``, ``userPrincipalName`` or ``mail`` starts with the text and groups whose
  ``displayName`` or ``mailNickname`` does (``$filter=startswith(...)``, which Graph allows
  without advanced queries: a word inside a name is not found), at most ``limit`` of each
  asked; then the roles of ``role_groups`` whose name starts with it. Not cached: the picker
  asks as the beheerder types.

- ``departments()`` (``PeopleDirectory``, the tab's department filter and insight): every
  user's department, from ``GET /users?$select=id,displayName,userPrincipalName,department
  &$top=999`` and every ``@odata.nextLink`` (2,000 users: 3 requests). ``department`` is not
  among the properties Graph returns by default, hence the ``$select``; a guest, or anyone
  whose department is not filled in, has none and is left out. Read only when the tab asks,
  kept for ``people_ttl_seconds`` (15 minutes); once that has passed the list kept is answered
  while a fresh one is read in the background, so no click waits for 3 requests again. An
  error leaves the list kept (or, before the first, reaches the caller).

Every answer is cached for ``ttl_seconds`` (a miss for ``negative_ttl_seconds``), and
concurrent lookups of the same key share one request. ``requests`` and ``hits`` count. Only a
definite answer is cached: a 404 is a miss, but an error (a dropped connection, sent again a
few times first, or what the SDK raises after its own retries of 429/503/504) reaches the
caller and is not remembered, so the next lookup asks again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

from approvals.identity import Person
from approvals.ports import DirectoryEntry
from graph.lists import odata_text
from graph.rest import Graph, GraphError
from graph.retry import retry_idempotent

USER_FIELDS = "id,userPrincipalName,displayName,mail,userType"
SEARCH_USER_FIELDS = f"{USER_FIELDS},jobTitle,department"
SEARCH_GROUP_FIELDS = "id,displayName,mailNickname"
PEOPLE_FIELDS = "id,displayName,userPrincipalName,department"
PEOPLE_TTL = 15 * 60.0
ADMIN_GROUP = "paraaf-beheerders"
PAGE = 999
_MAX_ENTRIES = 20_000

T = TypeVar("T")


def _is_guid(text: str) -> bool:
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(
        c in "0123456789abcdefABCDEF" for c in "".join(parts))


def _found(value: object) -> bool:
    return value is not None and value != [] and value is not False


class GraphDirectory:
    """``Directory`` over Entra ID (see the module docstring)."""

    def __init__(
        self,
        graph: Graph,
        *,
        ttl_seconds: float = 300,
        negative_ttl_seconds: float = 30,
        role_groups: Mapping[str, str] | None = None,
        admin_group: str | None = None,
        tenant: str = "",
        clock: Callable[[], float] = time.monotonic,
        people_ttl_seconds: float = PEOPLE_TTL,
    ) -> None:
        self.graph = graph
        self.ttl = ttl_seconds
        self.negative_ttl = min(negative_ttl_seconds, ttl_seconds)
        self.role_groups = {k.strip().casefold(): v for k, v in (role_groups or {}).items()}
        self._roles = sorted({k.strip() for k in role_groups or {} if k.strip()},
                             key=str.casefold)
        self.admin_group = admin_group or ADMIN_GROUP
        self.tenant = tenant.lower()
        self.clock = clock
        self.requests = 0
        self.hits = 0
        self._cache: dict[tuple[str, str], tuple[float, Any]] = {}
        self._pending: dict[tuple[str, str], asyncio.Future[Any]] = {}
        self._guests: set[str] = set()  # object ids whose userType is Guest
        self.people_ttl = people_ttl_seconds
        self._people: tuple[float, dict[str, str]] | None = None  # (read at, oid -> department)
        self._people_load: asyncio.Future[dict[str, str]] | None = None

    # --- the port --------------------------------------------------------------------------

    async def user(self, key: str) -> Person | None:
        text = key.strip() if isinstance(key, str) else ""
        if not text or not (_is_guid(text) or "@" in text):
            return None  # an object id, a UPN or an e-mail address; never a display name
        return await self._lookup(("user", text.casefold()), lambda: self._load_user(text))

    async def manager(self, oid: str) -> Person | None:
        text = oid.strip() if isinstance(oid, str) else ""
        if not text:
            return None
        return await self._lookup(("manager", text.casefold()), lambda: self._load_manager(text))

    async def group_members(self, group_id: str) -> Sequence[Person]:
        group = await self._group(group_id)
        if group is None:
            return []
        found: list[Person] = await self._lookup(("members", group),
                                                 lambda: self._load_members(group))
        return list(found)

    async def role_members(self, role: str) -> Sequence[Person]:
        name = role.strip() if isinstance(role, str) else ""
        if not name:
            return []
        return await self.group_members(self.role_groups.get(name.casefold(), name))

    async def is_admin(self, oid: str) -> bool:
        if not isinstance(oid, str) or not oid.strip():
            return False
        wanted = oid.strip().lower()
        return any(p.oid == wanted for p in await self.group_members(self.admin_group))

    async def list_admins(self) -> Sequence[Person]:
        return await self.group_members(self.admin_group)

    async def is_guest(self, oid: str) -> bool:
        person = await self.user(oid)
        if person is None:
            return False
        return person.oid in self._guests or "#EXT#" in person.upn.upper()

    async def search(self, text: str, limit: int) -> Sequence[DirectoryEntry]:
        """People, groups and roles whose name, UPN, mail or slug starts with ``text``
        (case-insensitive; all for an empty text), people first, at most ``limit``."""
        wanted = text.strip() if isinstance(text, str) else ""
        if limit <= 0:
            return []
        top = min(limit, PAGE)
        people = await self._search("/users", SEARCH_USER_FIELDS, wanted, top,
                                    ("displayName", "userPrincipalName", "mail"))
        found: list[DirectoryEntry] = []
        for row in people:  # in Graph's order: one page cannot be sorted by what is beyond it
            person = self._remember(row)
            detail = " · ".join(str(row[k]) for k in ("jobTitle", "department") if row.get(k))
            found.append(DirectoryEntry("user", person.upn, person.name, detail))
        if len(found) < limit:
            groups = await self._search("/groups", SEARCH_GROUP_FIELDS, wanted, top,
                                        ("displayName", "mailNickname"))
            for row in groups:
                slug = str(row.get("mailNickname") or row["id"])
                found.append(DirectoryEntry("group", slug, str(row.get("displayName") or slug),
                                            slug))
        key = wanted.casefold()
        found += [DirectoryEntry("role", role, role, "") for role in self._roles
                  if role.casefold().startswith(key)]
        return found[:limit]

    async def departments(self) -> Mapping[str, str]:
        """Each user's department (object id -> name), for those who have one (see the
        module docstring: kept for a while, refreshed in the background)."""
        kept = self._people
        if kept is not None:
            if self.clock() - kept[0] >= self.people_ttl:
                self._read_people()  # the list kept answers; a fresh one is read meanwhile
            return dict(kept[1])
        return dict(await asyncio.shield(self._read_people()))

    def _read_people(self) -> asyncio.Future[dict[str, str]]:
        """The one read of everyone under way, started if none is."""
        if self._people_load is None:
            load = asyncio.ensure_future(self._load_people())
            self._people_load = load
            load.add_done_callback(self._people_read)
        return self._people_load

    def _people_read(self, done: asyncio.Future[dict[str, str]]) -> None:
        self._people_load = None
        if done.cancelled() or done.exception() is not None:
            return  # not an answer: the list kept stays, the next call reads again
        self._people = (self.clock(), done.result())

    async def _load_people(self) -> dict[str, str]:
        found: dict[str, str] = {}
        url: str | None = f"/users?$select={PEOPLE_FIELDS}&$top={PAGE}"
        while url:
            page = await self._get(url)
            if page is None:
                raise GraphError(404, "pageNotFound", "A page of the tenant's users is gone.")
            for row in page.get("value", []):
                if not isinstance(row, dict) or not row.get("id"):
                    continue
                department = str(row.get("department") or "").strip()
                if department:
                    found[str(row["id"]).lower()] = department
            url = page.get("@odata.nextLink")
        return found

    async def _search(self, path: str, fields: str, wanted: str, top: int,
                      names: Sequence[str]) -> list[dict[str, Any]]:
        query = f"$select={fields}&$top={top}"
        if wanted:
            clause = " or ".join(f"startswith({name},{odata_text(wanted)})" for name in names)
            query = "$filter=" + quote(clause, safe="'=(),") + "&" + query
        rows = await self._get(f"{path}?{query}")
        return [row for row in (rows or {}).get("value", []) if isinstance(row, dict)]

    # --- loading ---------------------------------------------------------------------------

    async def _load_user(self, key: str) -> Person | None:
        select = f"$select={USER_FIELDS}"
        data = await self._get(f"/users/{quote(key, safe='@')}?{select}")
        if data is None and "@" in key:
            query = quote(f"mail eq {odata_text(key)}", safe="'=")
            rows = await self._get(f"/users?$filter={query}&{select}")
            matches = (rows or {}).get("value", [])
            data = matches[0] if len(matches) == 1 else None
        return None if data is None else self._remember(data)

    async def _load_manager(self, oid: str) -> Person | None:
        data = await self._get(f"/users/{quote(oid, safe='@')}/manager?$select={USER_FIELDS}")
        if data is None or data.get("@odata.type", "#microsoft.graph.user") != (
                "#microsoft.graph.user"):
            return None  # none, or an organisational contact
        return self._remember(data)

    async def _group(self, ref: str) -> str | None:
        """A group's object id, from its id or its slug (mailNickname)."""
        text = ref.strip() if isinstance(ref, str) else ""
        if not text:
            return None
        if _is_guid(text):
            return text.lower()

        async def load() -> str | None:
            query = quote(f"mailNickname eq {odata_text(text)}", safe="'=")
            rows = await self._get(f"/groups?$filter={query}&$select=id")
            matches = (rows or {}).get("value", [])
            return str(matches[0]["id"]).lower() if len(matches) == 1 else None

        return await self._lookup(("group", text.casefold()), load)

    async def _load_members(self, group: str) -> list[Person]:
        people: dict[str, Person] = {}
        url: str | None = (f"/groups/{group}/transitiveMembers/microsoft.graph.user"
                           f"?$select={USER_FIELDS}&$top={PAGE}")
        first = True
        while url:
            page = await self._get(url)
            if page is None:
                if first:
                    return []  # no such group
                raise GraphError(404, "pageNotFound", f"A page of group {group} is gone.")
            first = False
            for row in page.get("value", []):
                person = self._remember(row)
                people[person.oid] = person
            url = page.get("@odata.nextLink")
        return sorted(people.values(), key=lambda p: (p.name.casefold(), p.oid))

    def _remember(self, data: dict[str, Any]) -> Person:
        """The person of a user object, cached under their object id and UPN as well."""
        upn = str(data.get("userPrincipalName") or "")
        person = Person(oid=str(data["id"]).lower(), upn=upn,
                        name=str(data.get("displayName") or upn), tenant=self.tenant)
        if str(data.get("userType") or "").casefold() == "guest":
            self._guests.add(person.oid)
        else:
            self._guests.discard(person.oid)
        until = self.clock() + self.ttl
        for key in (person.oid, upn.casefold()):
            if key:
                self._cache[("user", key)] = (until, person)
        return person

    async def _get(self, path: str) -> dict[str, Any] | None:
        """One read, sent again if its connection drops; None for 404 (no such user, manager
        or group). Any other error is raised: it is not an answer."""

        async def get() -> Any:
            self.requests += 1
            return await self.graph.request("GET", path)

        try:
            data = await retry_idempotent(get)
        except GraphError as error:
            if error.status == 404:
                return None
            raise
        if not isinstance(data, dict):  # an empty or odd answer is no answer, not a miss
            raise GraphError(502, "unexpectedAnswer", f"Graph answered {path} without an object.")
        return data

    # --- the cache -------------------------------------------------------------------------

    async def _lookup(self, key: tuple[str, str], load: Callable[[], Awaitable[T]]) -> T:
        """A cached answer, or the answer of one ``load`` shared by concurrent callers."""
        entry = self._cache.get(key)
        if entry is not None and entry[0] > self.clock():
            self.hits += 1
            value: T = entry[1]
            return value
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(load())
            self._pending[key] = pending
            pending.add_done_callback(lambda done: self._settle(key, done))
        result: T = await asyncio.shield(pending)
        return result

    def _settle(self, key: tuple[str, str], done: asyncio.Future[Any]) -> None:
        self._pending.pop(key, None)
        if done.cancelled() or done.exception() is not None:
            return  # errors are not cached: the next call asks again
        value = done.result()
        ttl = self.ttl if _found(value) else self.negative_ttl
        if len(self._cache) >= _MAX_ENTRIES:
            now = self.clock()
            self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
        self._cache[key] = (self.clock() + ttl, value)
