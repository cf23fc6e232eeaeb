"""Card actions (``adaptiveCard/action`` invokes): parse, build a command, dispatch, render.

The route table maps each card verb to its handler. A task action's handler does four
things in order: check the card's data, build the command, execute it, answer with the
fresh card. A stale card or a click by someone whose turn it is not is answered with the
dossier as it is now and a line saying why; nothing is recorded then.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import cards
from approvals import commands as c
from approvals.errors import (
    ActionNotAllowed,
    ConcurrencyConflict,
    DomainError,
    DossierClosed,
    InvalidInput,
    NoAssignees,
    NotEntitled,
    NotYourTurn,
    StaleTask,
    UnknownDossier,
)
from approvals.events import Channel
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person
from approvals.service import read, try_execute
from approvals.turns import ClickRefusal, SeenTask, click_refusal
from bot.teams.card_input import TASK_VERBS, CardInputError, TaskInput, dossier_id_of, parse_task
from bot.teams.context import BotContext
from bot.teams.gateway import Card, Inbound
from bot.teams.views import DossierView, card_for, card_if_involved, may_see, view, view_of
from bot.telemetry import active as telemetry

command_id = c.click_command_id
"""The same click gives the same id, so a repeated or concurrent click records once."""


def input_message(error: CardInputError, lang: str) -> str:
    """The card's error line for a bad input, in the user's language."""
    s = cards.strings(lang)
    if error.char:
        label = {"text": s.label_explanation, "comment": s.label_comment,
                 "return_reason": s.label_reason, "reject_reason": s.label_reason,
                 "delegate_reason": s.label_reason, "delegate_to": s.label_delegate_to,
                 "title": s.label_title, "documents": s.label_documents}.get(error.field)
        field = label or error.field.removeprefix("field.")
        return s.err_control.format(field=field, char=error.char)
    if error.field in ("return_reason", "reject_reason", "delegate_reason"):
        return s.err_reason.format(max=error.limit)
    if error.field in ("text", "comment"):
        return s.err_text.format(max=error.limit)
    known = {"advice": s.err_advice, "return_to": s.err_return_to, "delegate_to": s.err_email}
    return known.get(error.field) or s.bot_bad_card.format(detail=error.problem)


def _stale_notice(refusal: ClickRefusal, lang: str) -> str:
    """The line on the card that answers a click the dossier has moved past."""
    s = cards.strings(lang)
    if isinstance(refusal, DossierClosed):
        status = getattr(s, f"status_{refusal.status}")
        return s.notice_closed.format(status=status.lower())
    if isinstance(refusal, StaleTask):
        return s.notice_done_by.format(name=refusal.done_by) if refusal.done_by \
            else s.notice_changed
    return s.notice_not_your_turn


async def _command(ctx: BotContext, task: TaskInput, actor: Person, lang: str) -> c.Command:
    v = task.values
    base: dict[str, Any] = {
        "dossier_id": task.dossier_id, "actor": actor, "channel": Channel.CARD.value,
        "round": task.round,  # checked again in the same decision that records the action
        # the same click gives the same id; another slot, substitute or text another one, and
        # a sign click on a newer card too (a signing service's package that expired is sent
        # again from the card that says so)
        "command_id": command_id(task.dossier_id, task.stage_id, str(task.round), actor.oid,
                                 task.on_behalf_of or "", task.verb,
                                 {"comment": v["comment"], "delegate": v["delegate_to"],
                                  "sign": str(task.version)}.get(task.verb, "")),
    }
    slot: dict[str, Any] = {"stage_id": task.stage_id, "on_behalf_of": task.on_behalf_of}
    if task.verb == "return":
        return c.Return(**base, **slot, to_stage=v["return_to"], reason=v["return_reason"])
    if task.verb == "reject":
        return c.Reject(**base, **slot, reason=v["reject_reason"])
    if task.verb == "comment":
        return c.AddComment(**base, text=v["comment"])
    if task.verb == "delegate":
        substitute = await ctx.services.directory.user(v["delegate_to"])
        if substitute is None:
            message = cards.strings(lang).bot_unknown_colleague.format(email=v["delegate_to"])
            raise CardInputError(message, "delegate_to")
        return c.Delegate(**base, stage_id=task.stage_id, to=substitute,
                          reason=v["delegate_reason"])
    advice = c.Advice(v["advice"]) if task.verb == "advise" else None
    return c.Act(**base, **slot, action=c.Action(task.verb), advice=advice, text=v["text"])


def _domain_message(error: DomainError, lang: str, flow: FlowDefinition | None = None) -> str:
    """Why the domain refused, in the user's language, stages named by their titles."""
    s = cards.strings(lang)
    if isinstance(error, ConcurrencyConflict):
        return s.bot_busy
    if isinstance(error, NoAssignees) and not error.refusal:
        return s.bot_no_assignees
    if not error.refusal:  # a message no channel wrote for a person
        return s.bot_not_allowed

    def title(stage: str) -> str:
        return flow.stage(stage).title if flow and flow.has_stage(stage) else stage

    return cards.refusal_text(error, lang, title)


async def _task_action(ctx: BotContext, inbound: Inbound, actor: Person, lang: str) -> Card:
    data = inbound.data
    try:
        task = parse_task(inbound.verb, data)
    except CardInputError as error:
        return await _answer_bad_input(ctx, data, actor, lang, input_message(error, lang))
    seen = SeenTask(task.stage_id, task.round, task.on_behalf_of)
    try:
        command = await _command(ctx, task, actor, lang)
    except CardInputError as error:  # a colleague the directory does not know
        snapshot = await read(ctx.services, task.dossier_id)
        dossier = await view_of(snapshot.state, snapshot.flow, snapshot.events, ctx.documents)
        stale = click_refusal(snapshot.state, actor.oid, seen.stage_id, seen.round,
                              seen.on_behalf_of)
        if stale is not None:
            return await _stale(ctx, dossier, actor, lang, stale)
        return await _card(ctx, dossier, actor, lang, error=error.problem, values=data,
                           stage_id=task.stage_id)
    with telemetry().command(command) as counted:
        outcome = await try_execute(command, ctx.services, seen)
        counted(outcome)
    dossier = await view_of(outcome.state, outcome.flow, outcome.history, ctx.documents)
    refusal = outcome.refusal
    if isinstance(refusal, (DossierClosed, StaleTask, NotYourTurn)):
        return await _stale(ctx, dossier, actor, lang, refusal)
    if isinstance(refusal, (NotEntitled, ActionNotAllowed, InvalidInput, NoAssignees,
                            ConcurrencyConflict)):
        return await _card(ctx, dossier, actor, lang,
                           error=_domain_message(refusal, lang, dossier.flow),
                           values=data, stage_id=task.stage_id)
    if refusal is not None:
        raise refusal
    s = cards.strings(lang)
    notice: str | None = s.bot_duplicate if outcome.duplicate else s.notice_recorded.format(
        action=getattr(s, f"act_{task.verb}"))
    if any(e.type.value == "SigningSent" for e in outcome.events):
        notice = None  # not signed yet: the card says where the signing is
    return await _card(ctx, dossier, actor, lang, notice=notice,
                       tone="accent" if outcome.duplicate or notice is None else "good")


async def _stale(ctx: BotContext, dossier: DossierView, actor: Person, lang: str,
                 refusal: ClickRefusal) -> Card:
    """The dossier as it is now, with the reason the click is refused."""
    return await card_if_involved(ctx.services, ctx.conversations, dossier, actor.oid, lang,
                                  notice=_stale_notice(refusal, lang), tone="warning",
                                  zone=ctx.timezone)


async def _card(ctx: BotContext, dossier: DossierView, actor: Person, lang: str,
                **options: Any) -> Card:
    return await card_for(ctx.services, ctx.conversations, dossier, actor.oid, lang,
                          zone=ctx.timezone, **options)


async def _answer_bad_input(ctx: BotContext, data: dict[str, Any], actor: Person, lang: str,
                            message: str) -> Card:
    try:
        dossier = await view(ctx.services, dossier_id_of(data), ctx.documents)
    except (CardInputError, UnknownDossier):
        return cards.error_card(message, lang)
    stage_id = data.get("stage_id") if isinstance(data.get("stage_id"), str) else None
    if not await may_see(ctx.services, dossier, actor.oid):
        return cards.error_card(message, lang)
    return await _card(ctx, dossier, actor, lang, error=message,
                       values={k: v for k, v in data.items() if isinstance(v, str)},
                       stage_id=stage_id)


async def _refresh(ctx: BotContext, inbound: Inbound, actor: Person, lang: str) -> Card:
    try:
        dossier = await view(ctx.services, dossier_id_of(inbound.data), ctx.documents)
    except CardInputError as error:
        return cards.error_card(input_message(error, lang), lang)
    return await card_if_involved(ctx.services, ctx.conversations, dossier, actor.oid, lang,
                                  zone=ctx.timezone)


async def _my_tasks(ctx: BotContext, inbound: Inbound, actor: Person, lang: str) -> Card:
    summaries = await ctx.services.store.tasks_for(actor.oid)
    return cards.tasks_card(summaries, actor.oid, lang, ctx.services.clock.now().date())


Route = Callable[[BotContext, Inbound, Person, str], Awaitable[Card]]

TASK_ROUTES: dict[str, Route] = {verb: _task_action for verb in TASK_VERBS}
TASK_ROUTES |= {"refresh": _refresh, "open": _refresh, "my_tasks": _my_tasks}
