"""Standing substitutes (vervangers): who takes over someone's new tasks while they are away.

A person names a substitute for a period (from and to, both included) with a reason; a
beheerder may do it for someone else, and is then recorded as the one who set it. A task that
arrives for the person in the period goes to the substitute, who acts on their behalf: the
stage keeps the person as its assignee (they still see the dossier and are told) and records
the substitute as for a delegation. Four eyes holds for substitutes as for everyone: a
substitute who may not hold the part does not get the task, which then stays with the person.

Only the periods live outside the dossiers (:class:`SubstituteStore`); what they did to a
dossier is recorded in its own history, with the period, the reason and who set it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from approvals.errors import InvalidInput, NotEntitled
from approvals.identity import Person
from approvals.limits import MAX_REASON, limit_text

MAX_PERIOD = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Absence:
    """While ``person`` is away (``start`` to ``end``, both included), ``substitute`` takes
    their new tasks. ``set_by`` is who named the substitute (the person or a beheerder)."""

    id: str
    person: Person
    substitute: Person
    start: date
    end: date
    reason: str
    set_by: Person
    set_at: str  # ISO 8601, UTC

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "person": self.person.to_json(),
                "substitute": self.substitute.to_json(), "from": self.start.isoformat(),
                "to": self.end.isoformat(), "reason": self.reason,
                "set_by": self.set_by.to_json(), "set_at": self.set_at}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Absence:
        return cls(id=str(data["id"]), person=Person.from_json(data["person"]),
                   substitute=Person.from_json(data["substitute"]),
                   start=date.fromisoformat(data["from"]), end=date.fromisoformat(data["to"]),
                   reason=str(data["reason"]), set_by=Person.from_json(data["set_by"]),
                   set_at=str(data["set_at"]))

    def standing(self) -> dict[str, Any]:
        """What a stage records about the substitution (in its StageStarted event)."""
        return {"to": self.substitute.to_json(), "absence": self.id,
                "from": self.start.isoformat(), "until": self.end.isoformat(),
                "reason": self.reason, "set_by": self.set_by.to_json()}


class SubstituteStore(Protocol):
    """The standing substitutes of everyone (SQLite table, or a SharePoint list)."""

    async def add(self, absence: Absence) -> None:
        """Store a new period (its id is new)."""
        ...

    async def for_person(self, oid: str) -> Sequence[Absence]:
        """The person's periods, earliest first."""
        ...

    async def active_on(self, day: date, oids: Collection[str]) -> Mapping[str, Absence]:
        """Of these people, who is away on ``day``: object id -> their period."""
        ...

    async def current(self, since: date) -> Sequence[Absence]:
        """Every period that has not ended before ``since``, by start date."""
        ...

    async def remove(self, absence_id: str) -> bool:
        """Delete a period; False when there was none with this id."""
        ...


def new_absence(*, absence_id: str, person: Person, substitute: Person, start: date, end: date,
                reason: str, actor: Person, actor_is_admin: bool, today: date, at: str,
                existing: Sequence[Absence]) -> Absence:
    """A new period, or a DomainError saying what to fix (nothing is stored then)."""
    if actor.oid != person.oid and not actor_is_admin:
        raise NotEntitled(refusal="substitute_not_entitled", person=person.name)
    if substitute.oid == person.oid:
        raise InvalidInput(refusal="substitute_is_self")
    if end < start:
        raise InvalidInput(refusal="period_reversed", start=start.isoformat(),
                           end=end.isoformat())
    if end < today:
        raise InvalidInput(refusal="period_past", end=end.isoformat())
    if end - start > MAX_PERIOD:
        raise InvalidInput(refusal="period_too_long")
    text = limit_text(reason, MAX_REASON, "reason").strip()
    if not text:
        raise InvalidInput(refusal="absence_reason_required")
    for other in existing:
        if other.overlaps(start, end):
            raise InvalidInput(refusal="substitute_overlap", person=person.name,
                               substitute=other.substitute.name, start=other.start.isoformat(),
                               end=other.end.isoformat())
    return Absence(absence_id, person, substitute, start, end, text, actor, at)


def standing_substitutes(assignees: Sequence[Person], absent: Mapping[str, Absence],
                         may_hold: Any) -> dict[str, Absence]:
    """Which assignees' new tasks go to their substitute: slot -> period. ``may_hold(person)``
    says whether four eyes lets the substitute hold the task; a substitute who is an assignee
    of the stage already, or who is away themselves, does not take it over."""
    oids = {p.oid for p in assignees}
    chosen: dict[str, Absence] = {}
    for person in assignees:
        absence = absent.get(person.oid)
        if absence is None:
            continue
        substitute = absence.substitute
        if substitute.oid in oids or substitute.oid in absent or not may_hold(substitute):
            continue
        chosen[person.oid] = absence
    return chosen


def parse_day(text: str, name: str) -> date:
    """A date as people write it: ``2026-12-01`` or ``1-12-2026`` (day first, Dutch)."""
    value = text.strip()
    try:
        if len(value.split("-")[0]) == 4:
            return date.fromisoformat(value)
        day, month, year = (int(part) for part in value.replace("/", "-").split("-"))
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(refusal="date_invalid", name=name, value=value[:40]) from None
