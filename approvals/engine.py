"""The engine: decides which events a command produces. Pure: no I/O, no clock of its own.

``decide(state, command, context)`` either raises a :class:`~approvals.errors.DomainError`
(and nothing is recorded) or returns the pending events, in order. Everything it needs from
outside (the flow version, resolved assignees, today's date, admin rights) is in the
:class:`Context` the service layer builds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from approvals import commands as c
from approvals.conditions import evaluate
from approvals.dossier import DossierState, StageState, StageStatus
from approvals.errors import ActionNotAllowed, InvalidInput, NotEntitled
from approvals.events import EventType, PendingEvent
from approvals.fields import normalize_fields
from approvals.flow import MAY_REJECT, FlowDefinition, StageDef, StageKind
from approvals.four_eyes import (
    Guard,
    check_act,
    check_start,
    check_substitute,
    guard_for_act,
    guard_for_return,
)
from approvals.identity import Person
from approvals.limits import MAX_REASON, MAX_TEXT, MAX_TITLE, limit_text, require_reason
from approvals.skips import tested_values
from approvals.substitutes import Absence, standing_substitutes
from approvals.text import multi_line, one_line
from approvals.turns import slot_for

Resolver = Callable[[StageDef], tuple[Person, ...]]
"""Resolves a stage's assignee rules to people (the service layer asks the Directory)."""

ACTION_EVENTS: dict[c.Action, EventType] = {
    c.Action.ADVISE: EventType.ADVICE_GIVEN,
    c.Action.INITIAL: EventType.INITIALLED,
    c.Action.APPROVE: EventType.APPROVED,
    c.Action.DECIDE: EventType.DECIDED,
    c.Action.SIGN: EventType.SIGNED,
    c.Action.ACKNOWLEDGE: EventType.ACKNOWLEDGED,
}


_TEXT_NAMES = {c.Action.ADVISE: "advice text", c.Action.DECIDE: "decision text"}
_TEXT_NAMES |= {action: "text" for action in c.STAGE_ACTIONS - _TEXT_NAMES.keys()}
"""How an error names the text a stage action carries."""


class WorkdayCalendar(Protocol):
    """What the engine needs of a calendar (see :mod:`approvals.workdays`)."""

    def add_working_days(self, start: date, days: int) -> date: ...

    def working_days_between(self, a: date, b: date) -> int: ...


@dataclass(frozen=True)
class Context:
    """What a decision may depend on besides the dossier and the command."""

    flow: FlowDefinition
    resolve: Resolver
    calendar: WorkdayCalendar
    today: date
    actor_is_admin: bool = False
    may_start: bool = True  # the actor is one of the flow's starters
    admins: tuple[Person, ...] = ()  # told when nobody can be found for a stage
    absent: Mapping[str, Absence] = field(default_factory=dict)  # oid -> standing substitute
    guard: Guard | None = None  # four eyes for the stages this command starts


def _guarded(ctx: Context, guard: Guard) -> Context:
    """The context whose resolver leaves out whom four eyes keeps out of a stage."""
    return replace(ctx, resolve=guard.resolve, guard=guard)


# --- starting and advancing -----------------------------------------------------------------


def _start(cmd: c.StartDossier, ctx: Context) -> list[PendingEvent]:
    if not ctx.may_start:
        raise NotEntitled(
            f"{cmd.actor.name} may not start a dossier on flow '{ctx.flow.id}': the flow names "
            "who may start it (its starters). Ask a beheerder if that is wrong."
        )
    title = one_line(limit_text(cmd.title, MAX_TITLE, "title"), "title")
    if not title:
        raise InvalidInput("A dossier needs a title.")
    fields = normalize_fields(ctx.flow, cmd.fields)
    check_start(ctx.flow, fields, cmd.actor, ctx.resolve)
    ctx = _guarded(ctx, Guard(cmd.actor, (), cmd.actor, ctx.resolve))
    started = PendingEvent(
        EventType.DOSSIER_STARTED,
        {
            "flow_id": ctx.flow.id,
            "flow_version": ctx.flow.version,
            "title": title,
            "fields": fields,
            "initiator": cmd.actor.to_json(),
        },
    )
    return [started, *_advance(ctx, fields, {}, 0)]


def _advance(
    ctx: Context, fields: Mapping[str, Any], stages: Mapping[str, StageState], position: int
) -> list[PendingEvent]:
    """Start the next step that has a stage to do, or complete the dossier."""
    events: list[PendingEvent] = []
    for step_index in range(position, len(ctx.flow.steps)):
        started = False
        for stage in ctx.flow.steps[step_index].stages:
            previous = stages.get(stage.id)
            round_no = 1 if previous is None else previous.round + 1
            if stage.condition is not None and not evaluate(stage.condition, fields):
                payload = {"stage": stage.id, "step": step_index, "round": round_no,
                           "condition": stage.condition.source,
                           "tested": tested_values(stage.condition, fields)}
                events.append(PendingEvent(EventType.STAGE_SKIPPED, payload))
                continue
            events.append(_stage_started(ctx, stage, step_index, round_no))
            started = True
        if started:
            return events
    return [*events, PendingEvent(EventType.DOSSIER_COMPLETED, {"outcome": "completed"})]


def _stage_started(ctx: Context, stage: StageDef, step: int, round_no: int) -> PendingEvent:
    """The stage starts with the people its rules find. When they find nobody the stage still
    starts, unstaffed ("niemand aan zet"): the action that led here is recorded, the dossier
    waits, and the beheerders are told (``notify``) so one of them can reassign it."""
    assignees = ctx.resolve(stage)
    due = None
    if stage.deadline_days is not None:
        due = ctx.calendar.add_working_days(ctx.today, stage.deadline_days).isoformat()
    payload = {
        "stage": stage.id,
        "step": step,
        "round": round_no,
        "kind": stage.kind.value,
        "assignees": [p.to_json() for p in assignees],
        "due": due,
    }
    if not assignees:
        payload["notify"] = [p.to_json() for p in ctx.admins]
    if substitutes := _standing(ctx, stage, assignees):
        payload["substitutes"] = substitutes
    return PendingEvent(EventType.STAGE_STARTED, payload)


def _standing(ctx: Context, stage: StageDef, assignees: tuple[Person, ...]) -> dict[str, Any]:
    """Assignees who are away: their standing substitute takes the new task (four eyes
    permitting), recorded with the period, the reason and who set it."""
    if not ctx.absent:
        return {}
    guard = ctx.guard

    def may_hold(person: Person) -> bool:
        return guard is None or guard.conflict(stage, person) is None

    chosen = standing_substitutes(assignees, ctx.absent, may_hold)
    return {slot: absence.standing() for slot, absence in chosen.items()}


# --- finding the actor's slot (whose turn it is: approvals.turns) ---------------------------


def _find_slot(
    state: DossierState,
    ctx: Context,
    actor: Person,
    stage_id: str | None,
    on_behalf_of: str | None,
    kind: StageKind | None = None,
    expected_round: int | None = None,
) -> tuple[StageState, str]:
    """The active stage and slot the actor acts in; NotEntitled when there is none."""
    if not state.is_open:
        raise ActionNotAllowed(f"Dossier '{state.id}' is closed ({state.status.value}).")
    candidates = [
        s for s in state.active_stages()
        if (stage_id is None or s.stage_id == stage_id)
        and (kind is None or ctx.flow.stage(s.stage_id).kind is kind)
    ]
    if stage_id is not None and not candidates:
        if stage_id in state.stages and state.stages[stage_id].status is StageStatus.ACTIVE:
            wanted = kind.value if kind else ""
            raise ActionNotAllowed(
                f"Stage '{stage_id}' is not a stage of kind '{wanted}': "
                f"it asks for '{ctx.flow.stage(stage_id).kind.value}'."
            )
        raise ActionNotAllowed(f"Stage '{stage_id}' is not active in dossier '{state.id}'.")
    found = [(s, slot) for s in candidates if (slot := slot_for(s, actor.oid, on_behalf_of))]
    if expected_round is not None and found and found[0][0].round != expected_round:
        raise ActionNotAllowed(
            f"Stage '{found[0][0].stage_id}' has started again since (round "
            f"{found[0][0].round}); look at the dossier as it is now.")
    if len(found) > 1:
        names = ", ".join(s.stage_id for s, _ in found)
        raise InvalidInput(f"You can act in more than one stage ({names}): name the stage.")
    if not found:
        if kind is not None and stage_id is None and _has_any_slot(state, actor, on_behalf_of):
            raise ActionNotAllowed(
                f"No active stage of dossier '{state.id}' asks you to {kind.value}."
            )
        raise NotEntitled(
            f"It is not your turn in dossier '{state.id}': you are not an assignee "
            "(or their substitute) with an open task in the active stage."
        )
    return found[0]


def _has_any_slot(state: DossierState, actor: Person, on_behalf_of: str | None) -> bool:
    return any(slot_for(s, actor.oid, on_behalf_of) for s in state.active_stages())


def _behalf(stage: StageState, slot: str, actor: Person) -> Person | None:
    if slot == actor.oid:
        return None
    return next(p for p in stage.assignees if p.oid == slot)


# --- stage actions ----------------------------------------------------------------------------


def _act(state: DossierState, cmd: c.Act, ctx: Context) -> list[PendingEvent]:
    if cmd.action not in c.STAGE_ACTIONS:
        raise InvalidInput(f"'{cmd.action.value}' is not a stage action.")
    kind = StageKind(cmd.action.value)
    stage, slot = _find_slot(state, ctx, cmd.actor, cmd.stage_id, cmd.on_behalf_of, kind,
                             cmd.round)
    payload: dict[str, Any] = {
        "stage": stage.stage_id, "round": stage.round, "slot": slot,
        "action": cmd.action.value,
        "text": multi_line(limit_text(cmd.text, MAX_TEXT, "text"), _TEXT_NAMES[cmd.action]),
    }
    if cmd.action is c.Action.ADVISE:
        if cmd.advice is None:
            raise InvalidInput("An advice must be positief, negatief or neutraal.")
        payload["advice"] = cmd.advice.value
    elif cmd.advice is not None:
        raise InvalidInput("Only an advise action takes an advice (positief/negatief/neutraal).")
    behalf = _behalf(stage, slot, cmd.actor)
    check_act(state, ctx.flow, stage, [cmd.actor, *([behalf] if behalf else [])], ctx.resolve)
    events = [PendingEvent(ACTION_EVENTS[cmd.action], payload, behalf)]
    guard = guard_for_act(state, ctx.flow, stage, cmd.actor, behalf, ctx.resolve)
    return events + _after_act(state, stage, _guarded(ctx, guard))


def _after_act(state: DossierState, stage: StageState, ctx: Context) -> list[PendingEvent]:
    """Complete the stage when its rule is met, and move on when its whole step is done."""
    definition = ctx.flow.stage(stage.stage_id)
    done = len(stage.acted) + 1
    if done < definition.completion.required(len(stage.assignees)):
        return []
    events = [PendingEvent(EventType.STAGE_COMPLETED, {"stage": stage.stage_id,
                                                       "round": stage.round})]
    step = ctx.flow.steps[stage.step]
    for sibling in step.stages:
        if sibling.id == stage.stage_id:
            continue
        sibling_state = state.stages.get(sibling.id)
        if sibling_state is None or sibling_state.status not in (
            StageStatus.COMPLETED, StageStatus.SKIPPED
        ):
            return events
    following = _advance(ctx, state.fields, state.stages, stage.step + 1)
    decided = state.decision is not None or definition.kind is StageKind.DECIDE
    if following[-1].type is EventType.DOSSIER_COMPLETED and decided:
        following[-1] = PendingEvent(EventType.DOSSIER_COMPLETED, {"outcome": "decided"})
    return events + following


def _return(state: DossierState, cmd: c.Return, ctx: Context) -> list[PendingEvent]:
    stage, slot = _find_slot(state, ctx, cmd.actor, cmd.stage_id, cmd.on_behalf_of,
                             expected_round=cmd.round)
    reason = require_reason(cmd.reason)
    allowed = ctx.flow.stage(stage.stage_id).return_to
    if cmd.to_stage not in allowed:
        options = ", ".join(allowed) if allowed else "none"
        raise ActionNotAllowed(
            f"Stage '{stage.stage_id}' cannot send back to '{cmd.to_stage}'. "
            f"Allowed: {options}."
        )
    target = ctx.flow.stage(cmd.to_stage)
    previous = state.stages.get(target.id)
    round_no = 1 if previous is None else previous.round + 1
    payload = {"from_stage": stage.stage_id, "to_stage": target.id, "reason": reason,
               "slot": slot}
    returned = PendingEvent(EventType.DOSSIER_RETURNED, payload, _behalf(stage, slot, cmd.actor))
    ctx = _guarded(ctx, guard_for_return(state, ctx.flow, target, cmd.actor, ctx.resolve))
    return [returned, _stage_started(ctx, target, ctx.flow.step_of(target.id), round_no)]


def _reject(state: DossierState, cmd: c.Reject, ctx: Context) -> list[PendingEvent]:
    stage, slot = _find_slot(state, ctx, cmd.actor, cmd.stage_id, cmd.on_behalf_of,
                             expected_round=cmd.round)
    if ctx.flow.stage(stage.stage_id).kind not in MAY_REJECT:
        raise ActionNotAllowed(
            f"Stage '{stage.stage_id}' cannot stop the dossier: an adviser gives a negative "
            "advice instead, and a kennisname only takes note."
        )
    payload = {"stage": stage.stage_id, "reason": require_reason(cmd.reason), "slot": slot}
    return [PendingEvent(EventType.DOSSIER_REJECTED, payload, _behalf(stage, slot, cmd.actor))]


def _withdraw(state: DossierState, cmd: c.Withdraw, ctx: Context) -> list[PendingEvent]:
    _require_open(state)
    if cmd.actor.oid != state.initiator.oid and not ctx.actor_is_admin:
        raise NotEntitled("Only the initiator or a beheerder can withdraw a dossier.")
    return [PendingEvent(EventType.DOSSIER_WITHDRAWN, {"reason": require_reason(cmd.reason)})]


def _require_open(state: DossierState) -> None:
    if not state.is_open:
        raise ActionNotAllowed(f"Dossier '{state.id}' is closed ({state.status.value}).")


def _require_participant(state: DossierState, actor: Person, ctx: Context) -> None:
    _require_open(state)
    if actor.oid not in state.participants and not ctx.actor_is_admin:
        raise NotEntitled(f"Only people involved in dossier '{state.id}' can do this.")


def _comment(state: DossierState, cmd: c.AddComment, ctx: Context) -> list[PendingEvent]:
    _require_participant(state, cmd.actor, ctx)
    text = multi_line(limit_text(cmd.text, MAX_TEXT, "comment"), "comment")
    if not text:
        raise InvalidInput("A comment cannot be empty.")
    return [PendingEvent(EventType.COMMENT_ADDED, {"text": text})]


def _attach(state: DossierState, cmd: c.Attach, ctx: Context) -> list[PendingEvent]:
    _require_participant(state, cmd.actor, ctx)
    name = one_line(limit_text(cmd.name, MAX_REASON, "document name"), "document name")
    uri = one_line(limit_text(cmd.uri, MAX_REASON, "document link"), "document link")
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise InvalidInput(f"'{cmd.name}' is not a valid document name.")
    digest = cmd.sha256  # empty for a link to a document stored elsewhere
    if digest and (len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest)):
        raise InvalidInput("A document's hash must be a SHA-256 hex digest.")
    payload = {"name": name, "uri": uri, "sha256": cmd.sha256, "size": cmd.size,
               "version": cmd.version}
    return [PendingEvent(EventType.DOCUMENT_ATTACHED, payload)]


def _delegate(state: DossierState, cmd: c.Delegate, ctx: Context) -> list[PendingEvent]:
    stage, slot = _find_slot(state, ctx, cmd.actor, cmd.stage_id, None,
                             expected_round=cmd.round)
    if slot != cmd.actor.oid:
        raise NotEntitled("Only the assignee themselves can delegate their task.")
    if cmd.to.oid == cmd.actor.oid:
        raise InvalidInput("You cannot delegate a task to yourself.")
    check_substitute(state, ctx.flow, stage, cmd.to, ctx.resolve)  # four eyes, whole dossier
    # four eyes: the initiator never acts on their own dossier, and nobody fills two slots
    if cmd.to.oid == state.initiator.oid:
        raise InvalidInput("The initiator cannot act as substitute in their own dossier.")
    if cmd.to.oid in {p.oid for p in stage.assignees}:
        raise InvalidInput(f"{cmd.to.name} already has a task in this stage.")
    payload = {"stage": stage.stage_id, "round": stage.round, "slot": slot,
               "to": cmd.to.to_json(), "reason": require_reason(cmd.reason)}
    return [PendingEvent(EventType.DELEGATED, payload)]


def _admin_stage(state: DossierState, ctx: Context, stage_id: str) -> StageState:
    if not ctx.actor_is_admin:
        raise NotEntitled("Only a beheerder can do this.")
    _require_open(state)
    stage = state.stages.get(stage_id)
    if stage is None or stage.status is not StageStatus.ACTIVE:
        raise ActionNotAllowed(f"Stage '{stage_id}' is not active in dossier '{state.id}'.")
    return stage


def _reassign(state: DossierState, cmd: c.Reassign, ctx: Context) -> list[PendingEvent]:
    stage = _admin_stage(state, ctx, cmd.stage_id)
    if not stage.assignees and not cmd.from_oid:  # unstaffed: the beheerder staffs it
        payload = {"stage": stage.stage_id, "round": stage.round, "slot": "",
                   "to": cmd.to.to_json(), "reason": require_reason(cmd.reason)}
        return [PendingEvent(EventType.REASSIGNED, payload)]
    if not cmd.from_oid:
        raise InvalidInput(f"Name whose task in '{stage.stage_id}' to move (--from USER).")
    if cmd.from_oid not in {p.oid for p in stage.open_slots()}:
        raise ActionNotAllowed(f"That person has no open task in stage '{stage.stage_id}'.")
    if cmd.to.oid in {p.oid for p in stage.assignees}:
        raise InvalidInput(f"{cmd.to.name} is already an assignee of '{stage.stage_id}'.")
    check_substitute(state, ctx.flow, stage, cmd.to, ctx.resolve)
    payload = {"stage": stage.stage_id, "round": stage.round, "slot": cmd.from_oid,
               "to": cmd.to.to_json(), "reason": require_reason(cmd.reason)}
    return [PendingEvent(EventType.REASSIGNED, payload)]


def _change_due(state: DossierState, cmd: c.ChangeDueDate, ctx: Context) -> list[PendingEvent]:
    stage = _admin_stage(state, ctx, cmd.stage_id)
    if cmd.due < ctx.today:
        raise InvalidInput("A new due date cannot lie in the past.")
    payload = {"stage": stage.stage_id, "round": stage.round, "due": cmd.due.isoformat(),
               "previous": stage.due, "reason": require_reason(cmd.reason)}
    return [PendingEvent(EventType.DUE_DATE_CHANGED, payload)]


def _tick(state: DossierState, cmd: c.Tick, ctx: Context) -> list[PendingEvent]:
    """A reminder one working day before the due date, an escalation after it; each once."""
    events: list[PendingEvent] = []
    if not state.is_open:
        return events
    for stage in state.active_stages():
        if stage.due is None or not stage.open_slots():
            continue
        due = date.fromisoformat(stage.due)
        base = {"stage": stage.stage_id, "round": stage.round, "due": stage.due}
        waiting = stage.open_slots()
        reminded = EventType.REMINDER_SENT.value in stage.reminders
        if not reminded and ctx.calendar.working_days_between(ctx.today, due) <= 1:
            recipients = [p.to_json() for p in waiting]
            events.append(PendingEvent(EventType.REMINDER_SENT, {**base,
                                                                 "recipients": recipients}))
        if EventType.ESCALATED.value not in stage.reminders and ctx.today > due:
            managers = {m.oid: m for p in waiting if (m := cmd.escalate_to.get(p.oid))}
            chosen = list(managers.values()) or [state.initiator]
            payload = {**base, "recipients": [m.to_json() for m in chosen],
                       "waiting_for": [p.to_json() for p in waiting]}
            events.append(PendingEvent(EventType.ESCALATED, payload))
    return events


_DECIDERS: dict[type[c.Command], Callable[[DossierState, Any, Context], list[PendingEvent]]] = {
    c.Act: _act,
    c.Return: _return,
    c.Reject: _reject,
    c.Withdraw: _withdraw,
    c.AddComment: _comment,
    c.Attach: _attach,
    c.Delegate: _delegate,
    c.Reassign: _reassign,
    c.ChangeDueDate: _change_due,
    c.Tick: _tick,
}


def decide(state: DossierState | None, cmd: c.Command, ctx: Context) -> list[PendingEvent]:
    """The events this command records, or a DomainError that says why it cannot."""
    if isinstance(cmd, c.StartDossier):
        if state is not None:
            raise ActionNotAllowed(f"Dossier '{cmd.dossier_id}' already exists.")
        return _start(cmd, ctx)
    if state is None:
        raise ActionNotAllowed(f"Dossier '{cmd.dossier_id}' has not been started.")
    if (state.flow_id, state.flow_version) != (ctx.flow.id, ctx.flow.version):
        raise ActionNotAllowed("The dossier is bound to another flow version.")
    return _DECIDERS[type(cmd)](state, cmd, ctx)
