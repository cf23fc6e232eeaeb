"""What the command line's commands share: their settings and words, people by name, the
first beheerder and publishing a flow file (the demo publishes its flows the same way)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from approvals.errors import InvalidInput, UnknownUser
from approvals.identity import Person
from bot.cli import output as out
from bot.settings import Settings
from bot.wiring import Wiring


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings of a command: the environment, and ``--data`` when it was given."""
    return Settings.from_env(data_dir=getattr(args, "data", None))


def words_for(settings: Settings) -> out.Words:
    """The command line's words: PARAAF_LANGUAGE and PARAAF_TIMEZONE, as on the cards."""
    return out.words(settings.language, settings.timezone)


def _w(wiring: Wiring) -> out.Words:
    return words_for(wiring.settings)


async def person(wiring: Wiring, key: str, option: str = "--as") -> Person:
    """A directory user by e-mail, UPN, object id or short name (``j.visser``, the part
    before the @, as the chat's ``als`` takes it); the error names the ``option``."""
    found = await wiring.directory.user(key)
    if found is None and "@" not in key:
        found = _by_short_name(wiring, key, option)
    if found is None:
        raise UnknownUser(key, _w(wiring).c.err_unknown_person.format(option=option, who=key))
    return found


def _by_short_name(wiring: Wiring, key: str, option: str) -> Person | None:
    """The one person whose UPN starts with ``key@``; a name several people share is
    refused with their addresses. A directory that cannot list its users (Entra ID) has
    no short names: give the full address there."""
    users: Callable[[], list[Person]] | None = getattr(wiring.directory, "users", None)
    if users is None or not key.strip():
        return None
    short = key.strip().lower()
    matches = [p for p in users() if p.upn.lower().split("@", 1)[0] == short]
    if len(matches) > 1:
        raise InvalidInput(_w(wiring).c.err_ambiguous_person.format(
            option=option, who=key, matches=", ".join(p.upn for p in matches[:5])))
    return matches[0] if matches else None


async def first_admin(wiring: Wiring) -> Person:
    """The directory's first beheerder (local mode's default when no --as names one)."""
    users: Callable[[], list[Person]] | None = getattr(wiring.directory, "users", None)
    for candidate in users() if users else []:
        if await wiring.directory.is_admin(candidate.oid):
            return candidate
    raise InvalidInput(_w(wiring).c.err_name_admin)


async def publish_source(wiring: Wiring, source: str, name: str, admin: Person) -> Any:
    """Validate, store and publish a flow file (idempotent for an unchanged file)."""
    from approvals.flow_admin import publish

    return await publish(wiring.services, source, name, admin)
