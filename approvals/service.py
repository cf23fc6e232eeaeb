"""The service layer: load a dossier, decide, append, retry on a conflict.

``execute(command, services)`` is the one way commands reach the store. It is idempotent by
``command_id``: a command whose first event is already stored is answered with the current
state and records nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any, NamedTuple, Protocol, TypeVar

from approvals import commands as c
from approvals.dossier import DossierState, fold
from approvals.engine import Context, WorkdayCalendar, decide, seal
from approvals.errors import (
    ActionNotAllowed,
    ChainBroken,
    ConcurrencyConflict,
    DomainError,
    InvalidInput,
    UnknownDossier,
    UnknownFlow,
    UnknownUser,
)
from approvals.event_payloads import StageStarted
from approvals.events import Event, PendingEvent
from approvals.flows.definition import (
    AssigneeKind,
    AssigneeRule,
    FieldType,
    FlowDefinition,
    StageDef,
)
from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.notifications import notifications_for
from approvals.ports import Clock, Directory, DossierStore, FlowRepository, FlowStatus
from approvals.readmodels import summarize
from approvals.signing_stage import SignStage
from approvals.staffing import unstaffed_stages
from approvals.starters import may_start
from approvals.substitutes import Absence, SubstituteStore
from approvals.turns import SeenTask, ViewerTask, click_refusal, viewer_task

_ADMIN_COMMANDS = (c.Withdraw, c.Reassign, c.ChangeDueDate, c.AddComment, c.Attach,
                   c.MoveToVersion)
_T = TypeVar("_T")


async def no_pause(attempt: int) -> None:
    """Retry at once (the default; the entry point wires a jittered backoff)."""


class AfterCommit(Protocol):
    """Work in this process that follows a recorded command (wake the outbox worker, bring
    the cards shown earlier up to date): the wiring builds a table of them, and
    :func:`execute` runs each once, in order, after the append. The commit is made by then,
    so a handler keeps its own failures; work that must not be lost is outbox work, written
    in the same commit."""

    async def __call__(self, outcome: Outcome, services: Services) -> None: ...


@dataclass
class Services:
    """The ports a command needs, wired once by the entry point.

    ``pause(attempt)`` waits before a retry after a concurrency conflict. Dossier states are
    cached (at most ``cache_size``): a command reads only the events appended since.
    ``after_commit`` is the table of what follows a recorded command in this process.
    """

    store: DossierStore
    flows: FlowRepository
    directory: Directory
    clock: Clock
    calendar: WorkdayCalendar
    pause: Callable[[int], Awaitable[None]] = no_pause
    substitutes: SubstituteStore | None = None  # standing substitutes (None: nobody has one)
    after_commit: tuple[AfterCommit, ...] = ()
    signing: SignStage | None = None  # a sign action signs the decision (None: a click only)
    register_decisions: bool = False  # a decision register gets each decided dossier (outbox)
    max_attempts: int = 50
    cache_size: int = 2000
    _flow_cache: dict[tuple[str, int], FlowDefinition] = field(default_factory=dict)
    _states: OrderedDict[str, _Known] = field(default_factory=OrderedDict)

    def remember(self, state: DossierState, events: tuple[Event, ...]) -> None:
        """Keep the dossier as read, with its events (the timeline of its cards)."""
        self._states[state.id] = _Known(state, events)
        self._states.move_to_end(state.id)
        if len(self._states) > self.cache_size:
            self._states.popitem(last=False)


class _Known(NamedTuple):
    state: DossierState
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Snapshot:
    """A dossier as read: its state, the flow version it is bound to, and all its events."""

    state: DossierState
    flow: FlowDefinition
    events: tuple[Event, ...]


async def _read(services: Services, dossier_id: str, command_id: str | None = None,
                ) -> tuple[DossierState | None, tuple[Event, ...], Event | None]:
    """The dossier as stored now and all its events, in one read of the store: the events
    appended since the cached state (or all of them when it is not cached, or its events
    are not known); with ``command_id`` also the stored event with that id."""
    known = services._states.get(dossier_id)
    after = known.state.version if known else 0
    existing: Event | None = None
    if command_id is None:
        newer = await services.store.load(dossier_id, after)
    else:
        newer, existing = await services.store.load_for_command(dossier_id, after, command_id)
    try:
        state = fold(newer, known.state if known else None)
        events = (*known.events, *newer) if known else tuple(newer)
    except ChainBroken:
        if known is None:
            raise
        services._states.pop(dossier_id, None)  # the stored history is not what we saw
        events = tuple(await services.store.load(dossier_id))
        state = fold(events)
    if state is not None:
        services.remember(state, events)
    return state, events, existing


async def read(services: Services, dossier_id: str) -> Snapshot:
    """The dossier as stored now, with its flow version and events (UnknownDossier when
    there is none): one read of the store, of the events appended since it was last read."""
    state, events, _ = await _read(services, dossier_id)
    if state is None:
        raise UnknownDossier(dossier_id)
    return Snapshot(state, await flow_version(services, state.flow_id, state.flow_version),
                    events)


async def current_state(services: Services, cmd: c.Command) -> tuple[DossierState | None, bool]:
    """The dossier as stored now, and whether the command's first event is stored (a retry
    or a redelivery): one read.

    A command id already used in another dossier is an error, not something done.
    """
    state, _, done = await _current(services, cmd)
    return state, done


async def _current(services: Services, cmd: c.Command,
                   ) -> tuple[DossierState | None, tuple[Event, ...], bool]:
    state, events, existing = await _read(services, cmd.dossier_id, cmd.command_id)
    if existing is not None and existing.dossier_id != cmd.dossier_id:
        raise InvalidInput(refusal="command_id_reused", command=cmd.command_id,
                           dossier=existing.dossier_id)
    return state, events, existing is not None


@dataclass(frozen=True)
class Outcome:
    """What a command did: the dossier after it, and the events it recorded.

    Every channel answers from it without reading the dossier again: ``history`` holds all
    the dossier's events after the command (for its timeline), ``task`` the actor's open
    task now, and ``refusal`` (from :func:`try_execute` only) why nothing was recorded.
    """

    state: DossierState
    flow: FlowDefinition
    events: tuple[Event, ...]
    duplicate: bool = False
    attempts: int = 1
    unstaffed: tuple[str, ...] = ()  # at a start: stages ahead that nobody can be found for
    history: tuple[Event, ...] = ()
    task: ViewerTask | None = None
    refusal: DomainError | None = None

    @property
    def recorded(self) -> bool:
        """Whether the command recorded events now."""
        return bool(self.events)


async def flow_version(services: Services, flow_id: str, version: int | None) -> FlowDefinition:
    """A flow version (None: the latest published), parsed once and then cached."""
    if version is not None and (flow_id, version) in services._flow_cache:
        return services._flow_cache[(flow_id, version)]
    record = await services.flows.get(flow_id, version)
    if record is None:
        raise _no_flow(flow_id, version)
    flow = services._flow_cache.get((record.id, record.version))
    if flow is None:
        flow = parse_flow(record.source, f"{record.id}@{record.version}")
        services._flow_cache[(record.id, record.version)] = flow
    return flow


def _no_flow(flow_id: str, version: int | None) -> UnknownFlow:
    if version:
        return UnknownFlow(refusal="flow_version_not_published", flow=flow_id, version=version)
    return UnknownFlow(refusal="flow_not_published", flow=flow_id)


async def published_flow(services: Services, flow_id: str,
                         version: int | None) -> FlowDefinition:
    """The version a new dossier may start on: the latest published one, or the given one if
    it is published (a concept or a withdrawn version starts nothing)."""
    record = await services.flows.get(flow_id, version)
    if record is None or record.status is not FlowStatus.PUBLISHED:
        raise _no_flow(flow_id, version)
    return await flow_version(services, record.id, record.version)


async def load(services: Services, dossier_id: str) -> tuple[DossierState, FlowDefinition,
                                                             Sequence[Event]]:
    """A dossier's state, the flow version it is bound to, and its events."""
    events = await services.store.load(dossier_id)
    state = fold(events)
    if state is None:
        raise UnknownDossier(dossier_id)
    return state, await flow_version(services, state.flow_id, state.flow_version), events


async def _resolve_rule(
    rule: AssigneeRule, services: Services, fields: Mapping[str, Any], initiator: Person
) -> list[Person]:
    directory = services.directory
    match rule.kind:
        case AssigneeKind.USER | AssigneeKind.FIELD:
            key = rule.value if rule.kind is AssigneeKind.USER else fields.get(rule.value)
            person = await directory.user(str(key)) if key else None
            return [person] if person else []
        case AssigneeKind.GROUP:
            return list(await directory.group_members(rule.value))
        case AssigneeKind.ROLE:
            return list(await directory.role_members(rule.value))
        case AssigneeKind.MANAGER:
            chain: list[Person] = []
            current = initiator
            for _ in range(rule.levels):
                manager = await directory.manager(current.oid)
                if manager is None:
                    break
                chain.append(manager)
                current = manager
            return chain
        case _:
            return [initiator]


async def resolve_stage(
    stage: StageDef, services: Services, fields: Mapping[str, Any], initiator: Person
) -> tuple[Person, ...]:
    """The stage's assignees. The initiator is left out of group and role rules (four eyes)
    unless nobody else would remain."""
    found: dict[str, Person] = {}
    for rule in stage.assignees:
        people = await _resolve_rule(rule, services, fields, initiator)
        if rule.kind in (AssigneeKind.GROUP, AssigneeKind.ROLE) and len(people) > 1:
            people = [p for p in people if p.oid != initiator.oid]
        for person in people:
            found.setdefault(person.oid, person)
    return tuple(found.values())


class _Unresolved(Exception):
    """The decision asked for the assignees of a stage that are not looked up yet."""

    def __init__(self, stage: StageDef) -> None:
        super().__init__(stage.id)
        self.stage = stage


@dataclass
class _Assignees:
    """Stages' assignees, looked up in the directory only when a decision asks for them.

    The engine is pure and synchronous; the directory is a port. ``resolve`` answers from
    what is looked up already and raises :class:`_Unresolved` otherwise, after which the
    service looks that stage up and decides again (:func:`_resolving`). So only the stages a
    command starts, and those the decision reads (four eyes asks about later deciding
    stages), are looked up, not every stage of the flow.
    """

    services: Services
    fields: Mapping[str, Any]
    initiator: Person
    found: dict[str, tuple[Person, ...]] = field(default_factory=dict)

    def resolve(self, stage: StageDef) -> tuple[Person, ...]:
        found = self.found.get(stage.id)
        if found is None:
            raise _Unresolved(stage)
        return found

    async def look_up(self, stage: StageDef) -> None:
        if stage.id not in self.found:
            self.found[stage.id] = await resolve_stage(stage, self.services, self.fields,
                                                       self.initiator)


async def _resolving(assignees: _Assignees, compute: Callable[[], _T]) -> _T:
    """``compute()``, with the assignees it asks for looked up first (it runs again after
    each lookup; it is pure, so only the lookups differ between the runs)."""
    while True:
        try:
            return compute()
        except _Unresolved as missing:
            await assignees.look_up(missing.stage)


async def _decided(services: Services, cmd: c.Command, state: DossierState | None,
                   flow: FlowDefinition, assignees: _Assignees,
                   target: FlowDefinition | None = None) -> list[PendingEvent]:
    """The engine's decision, with what it needs from outside looked up as it asks for it:
    the assignees of the stages it reads; the beheerders only when a stage starts with
    nobody (they are told); absences only of the assignees of the stages that start."""
    admin = isinstance(cmd, _ADMIN_COMMANDS) and await services.directory.is_admin(cmd.actor.oid)
    starter = not isinstance(cmd, c.StartDossier) or await may_start(
        flow, cmd.actor, services.directory)
    today = services.clock.now().date()
    admins: tuple[Person, ...] | None = None
    absent: dict[str, Absence] | None = None
    while True:
        ctx = Context(flow=flow, resolve=assignees.resolve, calendar=services.calendar,
                      today=today, actor_is_admin=admin, may_start=starter,
                      admins=admins or (), absent=absent or {}, target=target)
        pending = await _resolving(assignees, partial(decide, state, cmd, ctx))
        started = [e.payload for e in pending if isinstance(e.payload, StageStarted)]
        if admins is None and any(not p.assignees for p in started):
            admins = tuple(await services.directory.list_admins())
            continue
        if absent is None and started:
            absent = await absent_on(services, today,
                                     {a.oid for p in started for a in p.assignees})
            if absent:
                continue
        return pending


async def absent_on(services: Services, day: date, oids: set[str]) -> dict[str, Absence]:
    """Who of these people is away on ``day`` (with their standing substitute), and which
    of those substitutes are away themselves (they take nothing over then)."""
    if services.substitutes is None or not oids:
        return {}
    absent = dict(await services.substitutes.active_on(day, oids))
    substitutes = {a.substitute.oid for a in absent.values()} - set(absent)
    if substitutes:
        absent.update(await services.substitutes.active_on(day, substitutes))
    return absent


async def _start_fields(services: Services, cmd: c.StartDossier,
                        flow: FlowDefinition) -> dict[str, object]:
    """The start command's fields, with user fields resolved to the user's UPN."""
    fields = dict(cmd.fields)
    for definition in flow.fields:
        value = fields.get(definition.name)
        if definition.type is FieldType.USER and isinstance(value, str) and value.strip():
            person = await services.directory.user(value.strip())
            if person is None:
                raise UnknownUser(value.strip())
            fields[definition.name] = person.upn
    return fields


async def _decide(
    cmd: c.Command, state: DossierState | None, services: Services
) -> tuple[FlowDefinition, list[PendingEvent], _Assignees]:
    """The flow version and the events the command records (a start with its user fields
    resolved), with the assignees looked up for it; raises the DomainError that refuses it."""
    if isinstance(cmd, c.StartDossier) and state is None:
        flow = await published_flow(services, cmd.flow_id, cmd.flow_version)
        fields: Mapping[str, Any] = await _start_fields(services, cmd, flow)
        cmd = replace(cmd, fields=fields)
        initiator = cmd.actor
    elif isinstance(cmd, c.StartDossier):
        raise ActionNotAllowed(refusal="dossier_exists", dossier=cmd.dossier_id)
    elif state is None:
        raise UnknownDossier(cmd.dossier_id)
    else:
        flow = await flow_version(services, state.flow_id, state.flow_version)
        fields, initiator = state.fields, state.initiator
    assignees = _Assignees(services, fields, initiator)
    target = None
    if isinstance(cmd, c.MoveToVersion):  # the version to move to, published
        target = await published_flow(services, flow.id, cmd.to_version)
    pending = await _decided(services, cmd, state, flow, assignees, target)
    return target or flow, pending, assignees


async def check(cmd: c.Command, services: Services) -> None:
    """Decide ``cmd`` on the dossier as stored now and record nothing: raises the DomainError
    that :func:`execute` would raise. A channel runs it before a side effect that must not
    happen for a refused command, such as storing the document an Attach records."""
    state, done = await current_state(services, cmd)
    if not done:
        await _decide(cmd, state, services)


async def execute(cmd: c.Command, services: Services) -> Outcome:
    """Decide and record one command; retried on a concurrency conflict (bounded). Raises
    the DomainError that refuses it."""
    outcome = await _execute(cmd, services, None)
    if outcome.refusal is not None:
        raise outcome.refusal
    return outcome


async def try_execute(cmd: c.Command, services: Services, seen: SeenTask | None = None,
                      ) -> Outcome:
    """As :func:`execute`, but a refusal (a DomainError) of a command on an existing dossier
    comes back in the outcome (``refusal``, with the dossier as it was read) instead of being
    raised, so a channel answers it from the same read. ``seen`` is the task the actor saw
    (on a card): when it no longer fits the dossier the command is refused with the reason
    (:func:`approvals.turns.click_refusal`), before anything is decided."""
    return await _execute(cmd, services, seen)


async def _execute(cmd: c.Command, services: Services, seen: SeenTask | None) -> Outcome:
    state: DossierState | None = None
    events: tuple[Event, ...] = ()
    for attempt in range(1, services.max_attempts + 1):
        state, events, done = await _current(services, cmd)
        if seen is not None and state is not None:
            refusal = click_refusal(state, cmd.actor.oid, seen.stage_id, seen.round,
                                    seen.on_behalf_of)
            if refusal is not None:
                return await _refused(services, cmd, state, events, refusal, attempt)
        if done:
            assert state is not None
            flow = await flow_version(services, state.flow_id, state.flow_version)
            return Outcome(state, flow, (), duplicate=True, attempts=attempt, history=events,
                           task=viewer_task(state, cmd.actor.oid))
        try:
            flow, pending, assignees = await _decide(cmd, state, services)
        except DomainError as error:
            if state is None:
                raise
            return await _refused(services, cmd, state, events, error, attempt)
        if services.signing is not None and state is not None and pending:
            try:
                pending = await services.signing.signatures_for(state, pending, cmd.actor,
                                                                cmd.command_id, flow)
            except DomainError as error:
                return await _refused(services, cmd, state, events, error, attempt)
        if not pending:
            assert state is not None  # only an existing dossier can have nothing to record
            return Outcome(state, flow, (), attempts=attempt, history=events,
                           task=viewer_task(state, cmd.actor.oid))
        sealed = seal(state, cmd, pending, services.clock.now())
        new_state = fold(sealed, state)
        assert new_state is not None
        gaps = await _resolving(assignees, partial(
            unstaffed_stages, flow, assignees.resolve, new_state.fields)) if state is None else ()
        try:
            await services.store.append(
                cmd.dossier_id, state.version if state else 0, sealed,
                summarize(new_state, flow),
                notifications_for(sealed, new_state, register=services.register_decisions,
                                  before=state),
            )
        except ConcurrencyConflict:
            await services.pause(attempt)
            continue
        if services.signing is not None:
            services.signing.recorded(cmd.command_id)
        history = (*events, *sealed)
        services.remember(new_state, history)
        outcome = Outcome(new_state, flow, tuple(sealed), attempts=attempt, unstaffed=gaps,
                          history=history, task=viewer_task(new_state, cmd.actor.oid))
        for handler in services.after_commit:
            await handler(outcome, services)
        return outcome
    conflict = ConcurrencyConflict(cmd.dossier_id, -1)
    if state is None:
        raise conflict
    return await _refused(services, cmd, state, events, conflict, services.max_attempts)


async def _refused(services: Services, cmd: c.Command, state: DossierState,
                   events: tuple[Event, ...], refusal: DomainError, attempt: int) -> Outcome:
    if services.signing is not None:  # a signature stored on an earlier attempt goes back
        await services.signing.abandon(cmd.command_id, state)
    flow = await flow_version(services, state.flow_id, state.flow_version)
    return Outcome(state, flow, (), attempts=attempt, history=events,
                   task=viewer_task(state, cmd.actor.oid), refusal=refusal)
