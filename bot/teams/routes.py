"""The bot's routing table: which handler answers which card verb and which activity."""

from __future__ import annotations

import cards
from approvals.errors import UnknownDossier
from approvals.identity import Person
from bot.teams.context import BotContext
from bot.teams.conversation import START_ROUTES
from bot.teams.gateway import Card, Inbound
from bot.teams.invoke import TASK_ROUTES, Route

INVOKE_ROUTES: dict[str, Route] = {**TASK_ROUTES, **START_ROUTES}


async def handle_invoke(ctx: BotContext, inbound: Inbound, actor: Person) -> Card:
    """Answer a card action with the card to show instead."""
    lang = cards.lang_for(inbound.locale)
    route = INVOKE_ROUTES.get(inbound.verb)
    if route is None:
        detail = f"unknown action '{inbound.verb[:40]}'"
        return cards.error_card(cards.strings(lang).bot_bad_card.format(detail=detail), lang)
    try:
        return await route(ctx, inbound, actor, lang)
    except UnknownDossier as error:
        message = cards.strings(lang).bot_unknown_dossier.format(id=error.dossier_id[:64])
        return cards.error_card(message, lang)
