"""Entra ID users and groups, seeded from the demo directory YAML shape.

    users:  [{oid, upn, name, title?, department?, manager? (upn or oid), locale?, guest?,
              mail?, givenName?, surname?, accountEnabled?}]
    groups: [{id (GUID or a slug), name, members: [upn | oid | group id]}]

A slug group id (`juristen`) becomes a stable GUID (uuid5), as Entra only has GUIDs;
`Directory.group_id("juristen")` gives it. A member that names a group nests that group.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_NAMESPACE = uuid.UUID("6f1c2a4e-2b7d-4d5e-9a51-0c3b8e7f9d21")


def _is_guid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@dataclass
class User:
    id: str
    upn: str
    display_name: str
    given_name: str | None
    surname: str | None
    mail: str | None
    job_title: str | None
    department: str | None
    preferred_language: str | None
    user_type: str  # Member | Guest
    account_enabled: bool = True
    manager_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Group:
    id: str
    display_name: str
    mail_nickname: str
    description: str | None = None
    members: list[str] = field(default_factory=list)  # user or group ids, direct


def _guest_mail(upn: str) -> str | None:
    """`p.devries_ketenpartner.nl#EXT#@tenant` -> `p.devries@ketenpartner.nl`."""
    local = upn.split("#EXT#", 1)[0]
    name, sep, domain = local.rpartition("_")
    return f"{name}@{domain}" if sep else None


class Directory:
    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.groups: dict[str, Group] = {}
        self.slugs: dict[str, str] = {}

    @staticmethod
    def load(source: str | Path | dict[str, Any] | None) -> Directory:
        directory = Directory()
        if source is None:
            return directory
        data = source if isinstance(source, dict) else yaml.safe_load(Path(source).read_text())
        users = data.get("users") or []
        for raw in users:
            directory.add_user(raw)
        by_upn = {u.upn.lower(): u.id for u in directory.users.values()}
        for raw, user in zip(users, directory.users.values(), strict=True):
            manager = raw.get("manager")
            if manager:
                user.manager_id = by_upn.get(str(manager).lower(), str(manager))
        for raw in data.get("groups") or []:
            directory.add_group(raw)
        for raw in data.get("groups") or []:
            group = directory.groups[directory.group_id(str(raw["id"]))]
            for member in raw.get("members") or []:
                ref = str(member)
                target = by_upn.get(ref.lower()) or directory.slugs.get(ref) or ref
                group.members.append(target)
        return directory

    def add_user(self, raw: dict[str, Any]) -> User:
        upn = str(raw["upn"])
        name = str(raw.get("name") or upn)
        guest = bool(raw.get("guest")) or "#EXT#" in upn.upper()
        first, _, rest = name.partition(" ")
        user = User(
            id=str(raw.get("oid") or raw.get("id") or uuid.uuid5(_NAMESPACE, upn.lower())),
            upn=upn,
            display_name=name,
            given_name=raw.get("givenName", first or None),
            surname=raw.get("surname", rest or None),
            mail=raw.get("mail") or (_guest_mail(upn) if guest else upn),
            job_title=raw.get("title"),
            department=raw.get("department"),
            preferred_language=raw.get("locale"),
            user_type="Guest" if guest else "Member",
            account_enabled=bool(raw.get("accountEnabled", True)),
        )
        self.users[user.id] = user
        return user

    def add_group(self, raw: dict[str, Any]) -> Group:
        ref = str(raw["id"])
        gid = ref if _is_guid(ref) else str(uuid.uuid5(_NAMESPACE, "group:" + ref))
        if not _is_guid(ref):
            self.slugs[ref] = gid
        group = Group(gid, str(raw.get("name") or ref), str(raw.get("mailNickname") or ref),
                      raw.get("description"))
        self.groups[gid] = group
        return group

    def group_id(self, ref: str) -> str:
        return self.slugs.get(ref, ref)

    def find(self, ref: str) -> User | None:
        """A user by object id or user principal name (case-insensitive)."""
        if ref in self.users:
            return self.users[ref]
        low = ref.lower()
        for user in self.users.values():
            if user.id.lower() == low or user.upn.lower() == low:
                return user
        return None

    def find_by_mail(self, mail: str) -> User | None:
        low = mail.lower()
        for user in self.users.values():
            if (user.mail or "").lower() == low or user.upn.lower() == low:
                return user
        return None

    def transitive_members(self, group_id: str) -> list[str]:
        """Every user and group below a group, each once, depth first in member order."""
        seen: list[str] = []
        stack = [group_id]
        visited = {group_id}
        while stack:
            current = self.groups.get(stack.pop(0))
            if current is None:
                continue
            for member in current.members:
                if member in visited:
                    continue
                visited.add(member)
                seen.append(member)
                if member in self.groups:
                    stack.append(member)
        return seen

    def member_of(self, object_id: str, transitive: bool) -> list[str]:
        direct = [g.id for g in self.groups.values() if object_id in g.members]
        if not transitive:
            return direct
        found = list(direct)
        queue = list(direct)
        while queue:
            current = queue.pop(0)
            for group in self.groups.values():
                if current in group.members and group.id not in found:
                    found.append(group.id)
                    queue.append(group.id)
        return found
