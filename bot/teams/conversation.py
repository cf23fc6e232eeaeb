"""Chat: install greetings, text commands, and starting a dossier from a card form.

Text commands are a routing table (pattern -> handler), in Dutch and English. Anything else
gets the help card.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from urllib.parse import unquote, urlparse

import cards
from approvals import commands as c
from approvals.documents import FORBIDDEN
from approvals.errors import (
    DomainError,
    FourEyesViolation,
    InvalidInput,
    NotEntitled,
    UnknownDossier,
    UnknownFlow,
    UnknownUser,
)
from approvals.events import Channel
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person
from approvals.ports import FlowStatus
from approvals.service import execute, flow_version, published_flow
from approvals.starters import may_start
from bot.ids import new_dossier_id
from bot.teams.card_input import CardInputError, parse_start
from bot.teams.context import BotContext
from bot.teams.gateway import Card, Inbound, TurnReply
from bot.teams.invoke import command_id, input_message
from bot.teams.views import card_for, card_if_involved, view
from bot.telemetry import active as telemetry

log = logging.getLogger("paraaf.bot")

MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


async def published_flows(ctx: BotContext) -> list[FlowDefinition]:
    """The latest published version of every flow."""
    latest: dict[str, int] = {}
    for record in await ctx.services.flows.list():
        if record.status is FlowStatus.PUBLISHED:
            latest[record.id] = max(latest.get(record.id, 0), record.version)
    return [await flow_version(ctx.services, key, v) for key, v in sorted(latest.items())]


# --- text commands ---------------------------------------------------------------------------


async def _help(ctx: BotContext, actor: Person, lang: str, argument: str) -> Card:
    return cards.help_card(lang)


async def _tasks(ctx: BotContext, actor: Person, lang: str, argument: str) -> Card:
    summaries = await ctx.services.store.tasks_for(actor.oid)
    return cards.tasks_card(summaries, actor.oid, lang, ctx.services.clock.now().date())


async def startable_flows(ctx: BotContext, actor: Person) -> list[FlowDefinition]:
    """The published flows this person may start (each flow's ``starters``)."""
    return [flow for flow in await published_flows(ctx)
            if await may_start(flow, actor, ctx.services.directory)]


async def _start(ctx: BotContext, actor: Person, lang: str, argument: str) -> Card:
    return cards.start_card(await startable_flows(ctx, actor), lang)


async def _status(ctx: BotContext, actor: Person, lang: str, argument: str) -> Card:
    s = cards.strings(lang)
    dossier_id = argument.strip()
    if not dossier_id:
        return cards.hint_card(s.status_usage_title, s.bot_status_usage, lang)
    try:
        dossier = await view(ctx.services, dossier_id[:64], ctx.documents)
    except UnknownDossier:
        return cards.error_card(s.bot_unknown_dossier.format(id=dossier_id[:64]), lang)
    return await card_if_involved(ctx.services, ctx.conversations, dossier, actor.oid, lang,
                                  zone=ctx.timezone)


async def _substitute(ctx: BotContext, actor: Person, lang: str, argument: str) -> Card:
    from bot.teams.substitute_chat import substitute_command

    return await substitute_command(ctx, actor, lang, argument)


TextRoute = Callable[[BotContext, Person, str, str], Awaitable[Card]]

TEXT_ROUTES: list[tuple[re.Pattern[str], TextRoute]] = [
    (re.compile(r"^(help|hulp|\?)$"), _help),
    (re.compile(r"^(mijn taken|my tasks|taken|tasks)$"), _tasks),
    (re.compile(r"^(start|nieuw|new|nieuw dossier|new dossier)$"), _start),
    (re.compile(r"^status(?:\s+(.*))?$"), _status),
    (re.compile(r"^(?:vervanger|substitute)(?:\s+(.*))?$"), _substitute),
]


async def handle_message(ctx: BotContext, inbound: Inbound, actor: Person) -> Card:
    """The card that answers a chat message."""
    lang = cards.lang_for(inbound.locale)
    if inbound.data and not inbound.text:  # an Action.Submit fallback from an old client
        return cards.error_card(cards.strings(lang).bot_update_teams, lang)
    text = " ".join(MENTION.sub(" ", inbound.text).split()).lower()
    for pattern, route in TEXT_ROUTES:
        match = pattern.match(text)
        if match:
            argument = MENTION.sub(" ", inbound.text).strip()[len(text.split(" ")[0]):]
            return await route(ctx, actor, lang, argument if match.groups() else "")
    return cards.help_card(lang)


async def handle_install(ctx: BotContext, inbound: Inbound, reply: TurnReply) -> None:
    """Remember where to reach the user and greet them."""
    await reply.send_card(cards.help_card(cards.lang_for(inbound.locale)))


# --- starting a dossier from cards -----------------------------------------------------------


async def _new_dossier(ctx: BotContext, inbound: Inbound, actor: Person, lang: str) -> Card:
    return cards.start_card(await startable_flows(ctx, actor), lang)


async def _start_form(ctx: BotContext, inbound: Inbound, actor: Person, lang: str) -> Card:
    flows = await startable_flows(ctx, actor)
    chosen = next((f for f in flows if f.id == inbound.data.get("flow_id")), None)
    if chosen is None:
        return cards.start_card(flows, lang, error=cards.strings(lang).err_pick_flow)
    return cards.start_form_card(chosen, lang)


async def _start_dossier(ctx: BotContext, inbound: Inbound, actor: Person, lang: str) -> Card:
    data = inbound.data
    s = cards.strings(lang)
    try:
        flow = await published_flow(ctx.services, str(data.get("flow_id", ""))[:64],
                                    _version(data.get("flow_version")))
    except (UnknownFlow, CardInputError):
        return cards.start_card(await published_flows(ctx), lang, error=s.err_pick_flow)
    key = command_id("start", actor.oid, inbound.reply_to_id or str(uuid.uuid4()))
    done = await ctx.services.store.find_event(key)
    if done is not None:  # the same form sent twice (a redelivery): show what it started
        dossier = await view(ctx.services, done.dossier_id, ctx.documents)
        return await card_for(ctx.services, ctx.conversations, dossier, actor.oid, lang,
                              notice=s.bot_started.format(id=done.dossier_id), tone="good",
                              zone=ctx.timezone)
    try:
        form = parse_start(data, {f.name for f in flow.fields})
        start = c.StartDossier(
            dossier_id=new_dossier_id(ctx.services.clock.now().year), actor=actor,
            channel=Channel.CARD.value, command_id=key, flow_id=flow.id,
            flow_version=flow.version, title=form.title,
            fields={k: v for k, v in form.fields.items() if v},
        )
        with telemetry().command(start) as counted:
            outcome = await execute(start, ctx.services)
            counted(outcome)
    except CardInputError as error:
        return cards.start_form_card(flow, lang, values=data, error=input_message(error, lang))
    except FourEyesViolation as error:  # a NotEntitled, so before the starters' refusal
        return cards.start_form_card(flow, lang, values=data,
                                     error=cards.refusal_text(error, lang, _title(flow)))
    except NotEntitled:
        return cards.start_card(await startable_flows(ctx, actor), lang,
                                error=s.not_a_starter.format(flow=flow.title))
    except (InvalidInput, UnknownUser) as error:  # a missing field, a number that reads two ways
        return cards.start_form_card(flow, lang, values=data,
                                     error=cards.refusal_text(error, lang, _title(flow)))
    except UnknownFlow:
        return cards.start_card(await published_flows(ctx), lang, error=s.err_pick_flow)
    except DomainError as error:
        message = cards.refusal_text(error, lang) if error.refusal else s.bot_no_assignees
        return cards.start_form_card(flow, lang, values=data, error=message)
    dossier_id = outcome.state.id
    for number, link in enumerate(form.documents, start=1):
        await _attach_link(ctx, actor, dossier_id, link, number)
    fresh = await view(ctx.services, dossier_id, ctx.documents)
    notice = s.bot_started.format(id=dossier_id)
    if outcome.unstaffed:  # stages ahead nobody is found for: the initiator is warned
        titles = ", ".join(flow.stage(i).title for i in outcome.unstaffed)
        notice += " " + s.unstaffed_ahead.format(stages=titles)
    return await card_for(ctx.services, ctx.conversations, fresh, actor.oid, lang,
                          notice=notice, tone="warning" if outcome.unstaffed else "good",
                          zone=ctx.timezone)


def _title(flow: FlowDefinition) -> Callable[[str], str]:
    return lambda stage: flow.stage(stage).title if flow.has_stage(stage) else stage


def _version(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise CardInputError("'flow_version' must be a whole number")
    return raw


def link_name(link: str, number: int) -> str:
    """A document name for a link: its file name, made safe, or "document N"."""
    name = unquote(urlparse(link).path.rsplit("/", 1)[-1])
    name = "".join("_" if ch in FORBIDDEN or ord(ch) < 32 else ch for ch in name).strip(" .")
    return name[:200] or f"document {number}"


async def _attach_link(ctx: BotContext, actor: Person, dossier_id: str, link: str,
                       number: int) -> None:
    """Record a document link; a link that cannot be recorded does not undo the start."""
    attach = c.Attach(
        dossier_id=dossier_id, actor=actor, channel=Channel.CARD.value,
        command_id=command_id("attach", dossier_id, link), name=link_name(link, number),
        uri=link, sha256="", size=0, version="link",  # a link: its content is not ours to hash
    )
    try:
        with telemetry().command(attach) as counted:
            counted(await execute(attach, ctx.services))
    except DomainError as error:
        log.warning("document link not recorded", extra={"dossier_id": dossier_id,
                                                          "error": error.message[:200]})


START_ROUTES = {"new_dossier": _new_dossier, "start_form": _start_form, "start": _start_dossier}
