"""Who may open a dossier's documents, as a pure function of the dossier's state.

Access follows the stage, in both directions. While a stage is active its assignees write
(read for a kennisname); a substitute takes the place of the assignee who delegated; someone
reassigned away loses the task. When a person's part ends (their stage completes, they
delegate, they are reassigned, the dossier closes) their write access goes; read access
stays only for the initiator, the people who acted in the dossier and beheerders. Everyone
else the dossier ever involved gets ``none``: the store removes what it granted them.

The outbox carries one ``access`` row per commit that can change this; the worker that takes
it computes :func:`desired_access` from the dossier as it is *then* and makes the folder
match, so a repeated or interrupted run converges on the same permissions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from approvals.dossier import DossierState, StageState
from approvals.events import Event, EventType
from approvals.flows.definition import FlowDefinition, StageKind
from approvals.identity import Person

ACCESS_KIND = "access"
"""The outbox kind of the work that brings a folder's permissions in line with the dossier."""

ACCESS_EVENTS = frozenset({
    EventType.DOSSIER_STARTED, EventType.STAGE_STARTED, EventType.STAGE_COMPLETED,
    EventType.DELEGATED, EventType.REASSIGNED, EventType.DOSSIER_RETURNED,
    EventType.DOSSIER_REJECTED, EventType.DOSSIER_WITHDRAWN, EventType.DOSSIER_COMPLETED,
})
"""Events after which someone's access may differ."""

READ_ONLY_KINDS = frozenset({StageKind.ACKNOWLEDGE})
"""Stage kinds whose assignees only read; advisers comment in the Word documents, so every
other kind writes."""


class Level(StrEnum):
    """Access to a dossier's folder, from none to read/write."""

    NONE = "none"
    READ = "read"
    WRITE = "write"


_RANK = {Level.NONE: 0, Level.READ: 1, Level.WRITE: 2}


@dataclass(frozen=True, slots=True)
class Access:
    """What one person should have on the folder (``person`` may carry only the object id
    for someone who gets nothing)."""

    person: Person
    level: Level


def changes_access(events: Iterable[Event]) -> Event | None:
    """The last of these events after which access may differ, or None."""
    found = None
    for event in events:
        if event.type in ACCESS_EVENTS:
            found = event
    return found


def _holders(stage: StageState) -> list[Person]:
    """Who holds the stage's task now: each assignee, or their substitute instead."""
    return [stage.delegations.get(p.oid, p) for p in stage.assignees]


def desired_access(
    state: DossierState, flow: FlowDefinition, admins: frozenset[str] = frozenset()
) -> dict[str, Access]:
    """Object id -> the access this dossier gives that person, for everyone it involves.

    ``admins`` are the object ids of beheerders among them (they keep read).
    """
    people: dict[str, Person] = {oid: Person(oid=oid, upn="", name="")
                                 for oid in state.participants}
    levels: dict[str, Level] = dict.fromkeys(people, Level.NONE)

    def give(person: Person, level: Level) -> None:
        if person.oid not in people or not people[person.oid].upn:
            people[person.oid] = person  # the fullest identity known
        if _RANK[level] > _RANK[levels.get(person.oid, Level.NONE)]:
            levels[person.oid] = level

    for stage in state.stages.values():  # everyone assigned once is known by name
        for person in (*stage.assignees, *stage.delegations.values()):
            give(person, Level.NONE)
    give(state.initiator, Level.READ)
    for person in state.acted_by.values():
        give(person, Level.READ)
    for oid in admins & people.keys():
        give(people[oid], Level.READ)
    if state.is_open:
        for stage in state.active_stages():
            kind = flow.stage(stage.stage_id).kind if flow.has_stage(stage.stage_id) else None
            level = Level.READ if kind in READ_ONLY_KINDS else Level.WRITE
            for person in _holders(stage):
                give(person, level)
    return {oid: Access(people[oid], level) for oid, level in levels.items()}


def apply_access(current: Mapping[str, str], wanted: Mapping[str, Access]) -> dict[str, str]:
    """The folder's access after :meth:`DocumentStore.set_access`: the people in ``wanted``
    get exactly their level (``none`` removes them), everyone else keeps what they have."""
    result = dict(current)
    for oid, access in wanted.items():
        if access.level is Level.NONE:
            result.pop(oid, None)
        else:
            result[oid] = access.level.value
    return result
