"""The demo directory: users, managers, groups and roles from a YAML file, in place of Entra ID.

The format (see ``local/demo/directory.yaml``)::

    tenant: <GUID>
    users:
      - {oid: <GUID>, upn: ..., name: ..., title: ..., department: ..., manager: <upn>,
         roles: [...], admin: false, locale: nl-NL, guest: false, mail: <optional>}
    groups:
      - {id: ..., name: ..., members: [<upn>, ...], groups: [<nested group id>, ...]}

The file is checked as a whole when it is read; every problem is a ``ValueError`` naming the
file, the line and the entry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from approvals.identity import Person
from approvals.ports import DirectoryEntry, ListedUser

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DEFAULT_LOCALE = "nl-NL"


@dataclass(frozen=True, slots=True)
class DirectoryUser:
    """Everything the directory file says about one user."""

    person: Person
    title: str = ""
    department: str = ""
    manager: str = ""  # the manager's UPN
    roles: tuple[str, ...] = ()
    admin: bool = False
    locale: str = DEFAULT_LOCALE
    guest: bool = False
    mail: str = ""


@dataclass(frozen=True, slots=True)
class DirectoryGroup:
    id: str
    name: str
    members: tuple[str, ...] = ()  # UPNs
    groups: tuple[str, ...] = ()  # nested group ids


Where = tuple[str | int, ...]  # where a value is in the document: ("users", 3, "manager")


def _key(text: str) -> str:
    return text.strip().casefold()


class _Reader:
    """Turns the parsed YAML into users and groups, collecting errors with line numbers."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        try:
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
            self.data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"{source}: not valid YAML: {exc}") from None
        if not isinstance(self.data, dict):
            raise ValueError(f"{source}: expected a mapping with tenant, users and groups.")

    def line(self, *path: str | int) -> int:
        node: Any = self.root
        for step in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == step), node)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                node = node.value[step] if step < len(node.value) else node
        return int(node.start_mark.line) + 1

    def fail(self, message: str, *path: str | int) -> ValueError:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return ValueError(f"{self.source}:{self.line(*path)}: {where}: {message}")

    def text(self, item: dict[str, Any], key: str, at: Where, required: bool = False) -> str:
        value = item.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"'{key}' must be {'non-empty ' if required else ''}text", *at, key)
        return value.strip()

    def strings(self, item: dict[str, Any], key: str, at: Where) -> tuple[str, ...]:
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"'{key}' must be a list of text", *at, key)
        return tuple(v.strip() for v in value)

    def flag(self, item: dict[str, Any], key: str, at: Where) -> bool:
        value = item.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false", *at, key)
        return value

    def tenant(self) -> str:
        tenant = self.data.get("tenant")
        if not isinstance(tenant, str) or not _GUID.fullmatch(tenant):
            raise self.fail("'tenant' must be a GUID", "tenant")
        return tenant.lower()

    def entries(self, key: str) -> list[dict[str, Any]]:
        items = self.data.get(key) or []
        if not isinstance(items, list):
            raise self.fail("must be a list", key)
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail("must be a mapping", key, index)
        return items

    def user(self, item: dict[str, Any], index: int, tenant: str) -> DirectoryUser:
        at = ("users", index)
        oid = self.text(item, "oid", at, required=True)
        if not _GUID.fullmatch(oid):
            raise self.fail(f"oid '{oid}' is not a GUID", *at, "oid")
        person = Person(oid=oid.lower(), upn=self.text(item, "upn", at, required=True),
                        name=self.text(item, "name", at, required=True), tenant=tenant)
        return DirectoryUser(
            person=person,
            title=self.text(item, "title", at),
            department=self.text(item, "department", at),
            manager=self.text(item, "manager", at),
            roles=self.strings(item, "roles", at),
            admin=self.flag(item, "admin", at),
            locale=self.text(item, "locale", at) or DEFAULT_LOCALE,
            guest=self.flag(item, "guest", at),
            mail=self.text(item, "mail", at),
        )

    def group(self, item: dict[str, Any], index: int) -> DirectoryGroup:
        at = ("groups", index)
        group_id = self.text(item, "id", at, required=True)
        return DirectoryGroup(
            id=group_id, name=self.text(item, "name", at) or group_id,
            members=self.strings(item, "members", at), groups=self.strings(item, "groups", at),
        )


def _check(reader: _Reader, users: list[DirectoryUser], groups: list[DirectoryGroup]) -> None:
    """Duplicates, unknown references and manager cycles."""
    seen: dict[str, int] = {}
    for index, user in enumerate(users):
        keys = (("oid", user.person.oid), ("upn", user.person.upn), ("mail", user.mail))
        for field, value in keys:
            other = seen.setdefault(_key(value), index) if value else index
            if other != index:
                raise reader.fail(f"{field} '{value}' is already used by users[{other}]",
                                  "users", index, field)
    upns = {_key(u.person.upn): u for u in users}
    for index, user in enumerate(users):
        if user.manager and _key(user.manager) not in upns:
            raise reader.fail(f"unknown manager '{user.manager}'", "users", index, "manager")
    for index, user in enumerate(users):
        chain, current = [user.person.upn], user
        while current.manager:
            current = upns[_key(current.manager)]
            if current is user:
                raise reader.fail("manager cycle: " + " -> ".join([*chain, user.person.upn]),
                                  "users", index, "manager")
            if current.person.upn in chain:
                break  # a cycle further up; reported at its own entry
            chain.append(current.person.upn)
    ids: dict[str, int] = {}
    for index, group in enumerate(groups):
        if group.id in ids:
            raise reader.fail(f"group id '{group.id}' is used twice", "groups", index, "id")
        ids[group.id] = index
    for index, group in enumerate(groups):
        for member in group.members:
            if _key(member) not in upns:
                raise reader.fail(f"unknown member '{member}'", "groups", index, "members")
        for nested in group.groups:
            if nested not in ids:
                raise reader.fail(f"unknown nested group '{nested}'", "groups", index, "groups")


class YamlDirectory:
    """``Directory`` over a YAML file of demo users (see the module docstring)."""

    def __init__(self, tenant: str, users: Sequence[DirectoryUser],
                 groups: Sequence[DirectoryGroup] = ()) -> None:
        self.tenant = tenant
        self._users = tuple(users)
        self._groups = {g.id: g for g in groups}
        self._index: dict[str, DirectoryUser] = {}
        for user in self._users:
            for key in (user.person.oid, user.person.upn, user.mail):
                if key:
                    self._index[_key(key)] = user

    @classmethod
    def from_text(cls, text: str, source: str = "<directory>") -> YamlDirectory:
        reader = _Reader(text, source)
        tenant = reader.tenant()
        users = [reader.user(item, i, tenant) for i, item in enumerate(reader.entries("users"))]
        groups = [reader.group(item, i) for i, item in enumerate(reader.entries("groups"))]
        _check(reader, users, groups)
        return cls(tenant, users, groups)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> YamlDirectory:
        return cls.from_text(Path(path).read_text("utf-8"), os.fspath(path))

    # --- the port --------------------------------------------------------------------------

    async def user(self, key: str) -> Person | None:
        found = self.profile(key)
        return None if found is None else found.person

    async def manager(self, oid: str) -> Person | None:
        found = self.profile(oid)
        if found is None or not found.manager:
            return None
        return await self.user(found.manager)

    async def group_members(self, group_id: str) -> Sequence[Person]:
        people: dict[str, Person] = {}
        visited: set[str] = set()
        pending = [group_id]
        while pending:
            group = self._groups.get(pending.pop())
            if group is None or group.id in visited:
                continue  # unknown, or already expanded (nested cycles are harmless)
            visited.add(group.id)
            for upn in group.members:
                person = self._index[_key(upn)].person
                people[person.oid] = person
            pending.extend(group.groups)
        return _by_name(people.values())

    async def role_members(self, role: str) -> Sequence[Person]:
        wanted = _key(role)
        return _by_name(u.person for u in self._users if wanted in {_key(r) for r in u.roles})

    async def is_admin(self, oid: str) -> bool:
        found = self.profile(oid)
        return found is not None and found.admin

    async def list_admins(self) -> Sequence[Person]:
        return _by_name(u.person for u in self._users if u.admin)

    async def is_guest(self, oid: str) -> bool:
        found = self.profile(oid)
        return found is not None and found.guest

    # --- beyond the port -------------------------------------------------------------------

    def profile(self, key: str) -> DirectoryUser | None:
        """Everything known about a user, by object id, UPN or e-mail address."""
        if not isinstance(key, str):
            return None
        return self._index.get(_key(key))

    def users(self) -> list[Person]:
        """Every user, in the order of the file."""
        return [u.person for u in self._users]

    def listed_users(self) -> tuple[ListedUser, ...]:
        """Every user with their department and whether they are a beheerder, in the order
        of the file (the local mode's user picker)."""
        return tuple(ListedUser(u.person, u.department, u.admin) for u in self._users)

    async def departments(self) -> Mapping[str, str]:
        """Each user's department (object id -> name), for those who have one
        (``PeopleDirectory``)."""
        return {u.person.oid: u.department for u in self._users if u.department}

    def groups(self) -> list[DirectoryGroup]:
        return list(self._groups.values())

    async def search(self, text: str, limit: int) -> Sequence[DirectoryEntry]:
        """People, groups and roles whose name, UPN or id holds ``text``, people first."""
        wanted = _key(text)
        found: list[DirectoryEntry] = []
        for user in self._users:
            p = user.person
            if wanted in _key(p.name) or wanted in _key(p.upn):
                detail = " · ".join(x for x in (user.title, user.department) if x)
                found.append(DirectoryEntry("user", p.upn, p.name, detail))
        for group in self._groups.values():
            if wanted in _key(group.name) or wanted in _key(group.id):
                found.append(DirectoryEntry("group", group.id, group.name, group.id))
        roles = sorted({r for u in self._users for r in u.roles}, key=_key)
        for role in roles:
            if wanted in _key(role):
                found.append(DirectoryEntry("role", role, role, ""))
        return found[:limit]

    def locale(self, oid: str) -> str:
        found = self.profile(oid)
        return found.locale if found else DEFAULT_LOCALE


def _by_name(people: Iterable[Person]) -> list[Person]:
    return sorted(people, key=lambda p: (p.name.casefold(), p.oid))
