"""The engine: decides which events a command produces. Pure: no I/O, no clock of its own.

``decide(state, command, context)`` either raises a :class:`~approvals.errors.DomainError`
(and nothing is recorded) or returns the pending events, in order. Everything it needs from
outside (the flow version, resolved assignees, today's date, admin rights) is in the
:class:`Context` the service layer builds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.dossier import DossierState, StageState, StageStatus
from approvals.errors import ActionNotAllowed, InvalidInput, NotEntitled
from approvals.events import GENESIS_HASH, Event, EventType, PendingEvent, seal_all
from approvals.fields import normalize_fields
from approvals.flows.conditions import evaluate
from approvals.flows.definition import MAY_REJECT, FlowDefinition, StageDef, StageKind
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
from approvals.version_moves import misfit

Resolver = Callable[[StageDef], tuple[Person, ...]]
"""Resolves a stage's assignee rules to people (the service layer asks the Directory)."""

ACTION_PAYLOADS: dict[c.Action, type[ev.StageAction]] = {
    c.Action.ADVISE: ev.AdviceGiven,
    c.Action.INITIAL: ev.Initialled,
    c.Action.APPROVE: ev.Approved,
    c.Action.DECIDE: ev.Decided,
    c.Action.SIGN: ev.Signed,
    c.Action.ACKNOWLEDGE: ev.Acknowledged,
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
    target: FlowDefinition | None = None  # the version a MoveToVersion moves the dossier to


def _guarded(ctx: Context, guard: Guard) -> Context:
    """The context whose resolver leaves out whom four eyes keeps out of a stage."""
    return replace(ctx, resolve=guard.resolve, guard=guard)


# --- starting and advancing -----------------------------------------------------------------


def _start(cmd: c.StartDossier, ctx: Context) -> list[PendingEvent]:
    if not ctx.may_start:
        raise NotEntitled(refusal="not_a_starter", actor=cmd.actor.name, flow=ctx.flow.id)
    title = one_line(limit_text(cmd.title, MAX_TITLE, "title"), "title")
    if not title:
        raise InvalidInput(refusal="title_required")
    fields = normalize_fields(ctx.flow, cmd.fields)
    check_start(ctx.flow, fields, cmd.actor, ctx.resolve)
    ctx = _guarded(ctx, Guard(cmd.actor, (), cmd.actor, ctx.resolve))
    started = PendingEvent(ev.DossierStarted(
        flow_id=ctx.flow.id, flow_version=ctx.flow.version, title=title, fields=fields,
        initiator=cmd.actor,
    ))
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
                events.append(PendingEvent(ev.StageSkipped(
                    stage=stage.id, step=step_index, round=round_no,
                    condition=stage.condition.source,
                    tested=tested_values(stage.condition, fields))))
                continue
            events.append(_stage_started(ctx, stage, step_index, round_no))
            started = True
        if started:
            return events
    return [*events, PendingEvent(ev.DossierCompleted(outcome="completed"))]


def _stage_started(ctx: Context, stage: StageDef, step: int, round_no: int) -> PendingEvent:
    """The stage starts with the people its rules find. When they find nobody the stage still
    starts, unstaffed ("niemand aan zet"): the action that led here is recorded, the dossier
    waits, and the beheerders are told (``notify``) so one of them can reassign it."""
    assignees = ctx.resolve(stage)
    due = None
    if stage.deadline_days is not None:
        due = ctx.calendar.add_working_days(ctx.today, stage.deadline_days).isoformat()
    return PendingEvent(ev.StageStarted(
        stage=stage.id, step=step, round=round_no, kind=stage.kind.value,
        assignees=tuple(assignees), due=due,
        notify=None if assignees else tuple(ctx.admins),
        substitutes=_standing(ctx, stage, assignees) or None,
    ))


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
        raise ActionNotAllowed(refusal="dossier_closed", dossier=state.id,
                               status=state.status.value)
    candidates = [
        s for s in state.active_stages()
        if (stage_id is None or s.stage_id == stage_id)
        and (kind is None or ctx.flow.stage(s.stage_id).kind is kind)
    ]
    if stage_id is not None and not candidates:
        if stage_id in state.stages and state.stages[stage_id].status is StageStatus.ACTIVE:
            wanted = kind.value if kind else ""
            raise ActionNotAllowed(refusal="wrong_stage_kind", stage=stage_id, action=wanted,
                                   kind=ctx.flow.stage(stage_id).kind.value)
        raise ActionNotAllowed(refusal="stage_not_active", stage=stage_id, dossier=state.id)
    found = [(s, slot) for s in candidates if (slot := slot_for(s, actor.oid, on_behalf_of))]
    if expected_round is not None and found and found[0][0].round != expected_round:
        raise ActionNotAllowed(refusal="stale_round", stage=found[0][0].stage_id,
                               round=found[0][0].round)
    if len(found) > 1:
        names = ", ".join(s.stage_id for s, _ in found)
        raise InvalidInput(refusal="several_stages", stages=names)
    if not found:
        if kind is not None and stage_id is None and _has_any_slot(state, actor, on_behalf_of):
            raise ActionNotAllowed(refusal="no_stage_for_action", dossier=state.id,
                                   action=kind.value)
        raise NotEntitled(refusal="not_your_turn", dossier=state.id)
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
        raise InvalidInput(refusal="not_a_stage_action", action=cmd.action.value)
    kind = StageKind(cmd.action.value)
    stage, slot = _find_slot(state, ctx, cmd.actor, cmd.stage_id, cmd.on_behalf_of, kind,
                             cmd.round)
    text = multi_line(limit_text(cmd.text, MAX_TEXT, "text"), _TEXT_NAMES[cmd.action])
    payload: ev.StageAction
    if cmd.action is c.Action.ADVISE:
        if cmd.advice is None:
            raise InvalidInput(refusal="advice_required")
        payload = ev.AdviceGiven(stage=stage.stage_id, round=stage.round, slot=slot,
                                 action=cmd.action.value, text=text, advice=cmd.advice.value)
    elif cmd.advice is not None:
        raise InvalidInput(refusal="advice_not_allowed")
    else:
        payload = ACTION_PAYLOADS[cmd.action](stage=stage.stage_id, round=stage.round,
                                              slot=slot, action=cmd.action.value, text=text)
    behalf = _behalf(stage, slot, cmd.actor)
    check_act(state, ctx.flow, stage, [cmd.actor, *([behalf] if behalf else [])], ctx.resolve)
    events = [PendingEvent(payload, behalf)]
    guard = guard_for_act(state, ctx.flow, stage, cmd.actor, behalf, ctx.resolve)
    return events + _after_act(state, stage, _guarded(ctx, guard))


def _after_act(state: DossierState, stage: StageState, ctx: Context) -> list[PendingEvent]:
    """Complete the stage when its rule is met, and move on when its whole step is done."""
    definition = ctx.flow.stage(stage.stage_id)
    done = len(stage.acted) + 1
    if done < definition.completion.required(len(stage.assignees)):
        return []
    events = [PendingEvent(ev.StageCompleted(stage=stage.stage_id, round=stage.round))]
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
        following[-1] = PendingEvent(ev.DossierCompleted(outcome="decided"))
    return events + following


def _return(state: DossierState, cmd: c.Return, ctx: Context) -> list[PendingEvent]:
    stage, slot = _find_slot(state, ctx, cmd.actor, cmd.stage_id, cmd.on_behalf_of,
                             expected_round=cmd.round)
    reason = require_reason(cmd.reason)
    allowed = ctx.flow.stage(stage.stage_id).return_to
    if cmd.to_stage not in allowed:
        options = ", ".join(allowed) if allowed else "none"
        raise ActionNotAllowed(refusal="return_target_invalid", stage=stage.stage_id,
                               target=cmd.to_stage, options=options)
    target = ctx.flow.stage(cmd.to_stage)
    previous = state.stages.get(target.id)
    round_no = 1 if previous is None else previous.round + 1
    returned = PendingEvent(ev.DossierReturned(from_stage=stage.stage_id, to_stage=target.id,
                                               reason=reason, slot=slot),
                            _behalf(stage, slot, cmd.actor))
    ctx = _guarded(ctx, guard_for_return(state, ctx.flow, target, cmd.actor, ctx.resolve))
    return [returned, _stage_started(ctx, target, ctx.flow.step_of(target.id), round_no)]


def _settle_signing(state: DossierState, cmd: c.SettleSigning,
                    ctx: Context) -> list[PendingEvent]:
    """A signing service's outcome: completed is the signer's sign action (the sign stage
    adds what was signed); declined sends the dossier back to the first stage the sign
    stage may return to, with the signer's reason (recorded as stopped when it may return
    nowhere); expired is recorded as stopped: the signer can send it again."""
    sent = state.signing_open.get(cmd.package)
    if sent is None:
        return []
    behalf = sent.slot if sent.slot and sent.slot != sent.signer.oid else None
    if cmd.status == "completed":
        return _act(state, c.Act(dossier_id=state.id, actor=sent.signer,
                                 command_id=cmd.command_id, action=c.Action.SIGN,
                                 stage_id=sent.stage, on_behalf_of=behalf,
                                 round=sent.round), ctx)
    if cmd.status not in ("declined", "expired"):
        return []
    stopped = PendingEvent(ev.SigningStopped(
        stage=sent.stage, round=sent.round, slot=sent.slot, provider=sent.provider,
        package=sent.package, name=sent.name, status=cmd.status, reason=cmd.reason))
    targets = ctx.flow.stage(sent.stage).return_to
    if cmd.status == "declined" and targets:
        reason = cmd.reason.strip() or cmd.status
        return [stopped, *_return(state, c.Return(
            dossier_id=state.id, actor=sent.signer, command_id=cmd.command_id,
            to_stage=targets[0], reason=reason, stage_id=sent.stage, on_behalf_of=behalf,
            round=sent.round), ctx)]
    return [stopped]


def _reject(state: DossierState, cmd: c.Reject, ctx: Context) -> list[PendingEvent]:
    stage, slot = _find_slot(state, ctx, cmd.actor, cmd.stage_id, cmd.on_behalf_of,
                             expected_round=cmd.round)
    if ctx.flow.stage(stage.stage_id).kind not in MAY_REJECT:
        raise ActionNotAllowed(refusal="reject_not_allowed", stage=stage.stage_id)
    payload = ev.DossierRejected(stage=stage.stage_id, reason=require_reason(cmd.reason),
                                 slot=slot)
    return [PendingEvent(payload, _behalf(stage, slot, cmd.actor))]


def _withdraw(state: DossierState, cmd: c.Withdraw, ctx: Context) -> list[PendingEvent]:
    _require_open(state)
    if cmd.actor.oid != state.initiator.oid and not ctx.actor_is_admin:
        raise NotEntitled(refusal="withdraw_not_entitled")
    return [PendingEvent(ev.DossierWithdrawn(reason=require_reason(cmd.reason)))]


def _require_open(state: DossierState) -> None:
    if not state.is_open:
        raise ActionNotAllowed(refusal="dossier_closed", dossier=state.id,
                               status=state.status.value)


def _require_participant(state: DossierState, actor: Person, ctx: Context) -> None:
    _require_open(state)
    if actor.oid not in state.participants and not ctx.actor_is_admin:
        raise NotEntitled(refusal="not_involved", dossier=state.id)


def _comment(state: DossierState, cmd: c.AddComment, ctx: Context) -> list[PendingEvent]:
    _require_participant(state, cmd.actor, ctx)
    text = multi_line(limit_text(cmd.text, MAX_TEXT, "comment"), "comment")
    if not text:
        raise InvalidInput(refusal="comment_empty")
    return [PendingEvent(ev.CommentAdded(text=text))]


def _attach(state: DossierState, cmd: c.Attach, ctx: Context) -> list[PendingEvent]:
    _require_participant(state, cmd.actor, ctx)
    name = one_line(limit_text(cmd.name, MAX_REASON, "document name"), "document name")
    uri = one_line(limit_text(cmd.uri, MAX_REASON, "document link"), "document link")
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise InvalidInput(refusal="document_name_invalid", name=str(cmd.name)[:200])
    digest = cmd.sha256  # empty for a link to a document stored elsewhere
    if digest and (len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest)):
        raise InvalidInput(refusal="document_hash_invalid")
    return [PendingEvent(ev.DocumentAttached(name=name, uri=uri, sha256=cmd.sha256,
                                             size=cmd.size, version=cmd.version))]


def _delegate(state: DossierState, cmd: c.Delegate, ctx: Context) -> list[PendingEvent]:
    stage, slot = _find_slot(state, ctx, cmd.actor, cmd.stage_id, None,
                             expected_round=cmd.round)
    if slot != cmd.actor.oid:
        raise NotEntitled(refusal="delegate_not_entitled")
    if cmd.to.oid == cmd.actor.oid:
        raise InvalidInput(refusal="delegate_to_self")
    check_substitute(state, ctx.flow, stage, cmd.to, ctx.resolve)  # four eyes, whole dossier
    # four eyes: the initiator never acts on their own dossier, and nobody fills two slots
    if cmd.to.oid == state.initiator.oid:
        raise InvalidInput(refusal="delegate_to_initiator")
    if cmd.to.oid in {p.oid for p in stage.assignees}:
        raise InvalidInput(refusal="delegate_already_assignee", name=cmd.to.name)
    return [PendingEvent(ev.Delegated(stage=stage.stage_id, round=stage.round, slot=slot,
                                      to=cmd.to, reason=require_reason(cmd.reason)))]


def _admin_stage(state: DossierState, ctx: Context, stage_id: str) -> StageState:
    if not ctx.actor_is_admin:
        raise NotEntitled(refusal="admin_only")
    _require_open(state)
    stage = state.stages.get(stage_id)
    if stage is None or stage.status is not StageStatus.ACTIVE:
        raise ActionNotAllowed(refusal="stage_not_active", stage=stage_id, dossier=state.id)
    return stage


def _reassign(state: DossierState, cmd: c.Reassign, ctx: Context) -> list[PendingEvent]:
    stage = _admin_stage(state, ctx, cmd.stage_id)
    if not stage.assignees and not cmd.from_oid:  # unstaffed: the beheerder staffs it
        return [PendingEvent(ev.Reassigned(stage=stage.stage_id, round=stage.round, slot="",
                                           to=cmd.to, reason=require_reason(cmd.reason)))]
    if not cmd.from_oid:
        raise InvalidInput(refusal="reassign_from_required", stage=stage.stage_id)
    if cmd.from_oid not in {p.oid for p in stage.open_slots()}:
        raise ActionNotAllowed(refusal="reassign_no_open_task", stage=stage.stage_id)
    if cmd.to.oid in {p.oid for p in stage.assignees}:
        raise InvalidInput(refusal="reassign_already_assignee", name=cmd.to.name,
                           stage=stage.stage_id)
    check_substitute(state, ctx.flow, stage, cmd.to, ctx.resolve)
    return [PendingEvent(ev.Reassigned(stage=stage.stage_id, round=stage.round,
                                       slot=cmd.from_oid, to=cmd.to,
                                       reason=require_reason(cmd.reason)))]


def _change_due(state: DossierState, cmd: c.ChangeDueDate, ctx: Context) -> list[PendingEvent]:
    stage = _admin_stage(state, ctx, cmd.stage_id)
    if cmd.due < ctx.today:
        raise InvalidInput(refusal="due_in_past")
    return [PendingEvent(ev.DueDateChanged(stage=stage.stage_id, round=stage.round,
                                           due=cmd.due.isoformat(), previous=stage.due,
                                           reason=require_reason(cmd.reason)))]


def _move(state: DossierState, cmd: c.MoveToVersion, ctx: Context) -> list[PendingEvent]:
    """A beheerder moves a running dossier to another version of its flow, when its progress
    fits that version (:mod:`approvals.version_moves`)."""
    if not ctx.actor_is_admin:
        raise NotEntitled(refusal="admin_only")
    _require_open(state)
    target = ctx.target
    if target is None or target.id != state.flow_id:
        raise ActionNotAllowed(refusal="flow_version_not_published", flow=state.flow_id,
                               version=cmd.to_version)
    if target.version == state.flow_version:
        raise InvalidInput(refusal="flow_move_same", dossier=state.id, version=target.version)
    stage = misfit(state, ctx.flow, target)
    if stage is not None:
        raise ActionNotAllowed(refusal="flow_move_misfit", dossier=state.id, stage=stage,
                               flow=target.id, version=target.version)
    return [PendingEvent(ev.FlowVersionChanged(from_version=state.flow_version,
                                               to_version=target.version,
                                               reason=require_reason(cmd.reason)))]


def _tick(state: DossierState, cmd: c.Tick, ctx: Context) -> list[PendingEvent]:
    """A reminder one working day before the due date, an escalation after it; each once."""
    events: list[PendingEvent] = []
    if not state.is_open:
        return events
    for stage in state.active_stages():
        if stage.due is None or not stage.open_slots():
            continue
        due = date.fromisoformat(stage.due)
        waiting = tuple(stage.open_slots())
        reminded = EventType.REMINDER_SENT.value in stage.reminders
        if not reminded and ctx.calendar.working_days_between(ctx.today, due) <= 1:
            events.append(PendingEvent(ev.ReminderSent(
                stage=stage.stage_id, round=stage.round, due=stage.due, recipients=waiting)))
        if EventType.ESCALATED.value not in stage.reminders and ctx.today > due:
            managers = {m.oid: m for p in waiting if (m := cmd.escalate_to.get(p.oid))}
            chosen = list(managers.values()) or [state.initiator]
            events.append(PendingEvent(ev.Escalated(
                stage=stage.stage_id, round=stage.round, due=stage.due,
                recipients=tuple(chosen), waiting_for=waiting)))
    return events


def _registered(state: DossierState, cmd: c.RecordRegistration,
                ctx: Context) -> list[PendingEvent]:
    """Where the register keeps the decision; nothing when that is recorded already."""
    if state.decision is None:
        raise ActionNotAllowed(refusal="zgw_not_decided", dossier=state.id)
    known = state.registered
    if known is not None and (known.register, known.url) == (cmd.register, cmd.url):
        return []
    return [PendingEvent(ev.DecisionRegistered(
        register=cmd.register, identificatie=cmd.identificatie, url=cmd.url,
        document_url=cmd.document_url))]


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
    c.RecordRegistration: _registered,
    c.SettleSigning: _settle_signing,
    c.MoveToVersion: _move,
}


def decide(state: DossierState | None, cmd: c.Command, ctx: Context) -> list[PendingEvent]:
    """The events this command records, or a DomainError that says why it cannot."""
    if isinstance(cmd, c.StartDossier):
        if state is not None:
            raise ActionNotAllowed(refusal="dossier_exists", dossier=cmd.dossier_id)
        return _start(cmd, ctx)
    if state is None:
        raise ActionNotAllowed(refusal="dossier_not_started", dossier=cmd.dossier_id)
    if (state.flow_id, state.flow_version) != (ctx.flow.id, ctx.flow.version):
        raise ActionNotAllowed(refusal="flow_version_mismatch")
    return _DECIDERS[type(cmd)](state, cmd, ctx)


def seal(state: DossierState | None, cmd: c.Command, pending: list[PendingEvent],
         at: datetime) -> list[Event]:
    """The events :func:`decide` gave for ``cmd``, numbered, chained and hashed after the
    dossier's head (``state``; ``None`` before it starts), stamped ``at`` (a UTC time). The
    first event's id is the command's id, so a retried command seals the same events."""
    return seal_all(
        pending,
        dossier_id=cmd.dossier_id,
        after_seq=state.version if state else 0,
        prev_hash=state.head_hash if state else GENESIS_HASH,
        actor=cmd.actor,
        channel=cmd.channel,
        timestamp=at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        first_event_id=cmd.command_id,
    )
