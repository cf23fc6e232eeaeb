"""Naming, listing and clearing standing substitutes: the use cases behind every channel.

A person names their own substitute; a beheerder may do it for anyone (and is recorded as
the one who set it). A refused request stores nothing.
"""

from __future__ import annotations

import uuid
from datetime import date

from approvals.errors import InvalidInput, NotEntitled
from approvals.identity import Person
from approvals.service import Services
from approvals.substitutes import Absence, SubstituteStore, new_absence


def _store(services: Services) -> SubstituteStore:
    if services.substitutes is None:
        raise InvalidInput(refusal="substitutes_unavailable")
    return services.substitutes


async def set_substitute(services: Services, *, actor: Person, person: Person,
                         substitute: Person, start: date, end: date, reason: str) -> Absence:
    """Store a new period in which ``substitute`` takes ``person``'s new tasks."""
    store = _store(services)
    admin = actor.oid != person.oid and await services.directory.is_admin(actor.oid)
    now = services.clock.now()
    absence = new_absence(
        absence_id=uuid.uuid4().hex, person=person, substitute=substitute, start=start,
        end=end, reason=reason, actor=actor, actor_is_admin=admin, today=now.date(),
        at=now.strftime("%Y-%m-%dT%H:%M:%SZ"), existing=await store.for_person(person.oid),
    )
    await store.add(absence)
    return absence


async def clear_substitutes(services: Services, *, actor: Person,
                            person: Person) -> list[Absence]:
    """Remove the person's periods that have not ended; returns what was removed."""
    store = _store(services)
    if actor.oid != person.oid and not await services.directory.is_admin(actor.oid):
        raise NotEntitled(refusal="substitute_clear_not_entitled", person=person.name)
    today = services.clock.now().date()
    removed = []
    for absence in await store.for_person(person.oid):
        if absence.end >= today and await store.remove(absence.id):
            removed.append(absence)
    return removed


async def current_substitutes(services: Services, person: Person | None = None) -> list[Absence]:
    """Periods that have not ended (of one person, or of everyone), by start date."""
    store = _store(services)
    today = services.clock.now().date()
    if person is not None:
        return [a for a in await store.for_person(person.oid) if a.end >= today]
    return list(await store.current(today))
