"""The Teams bot: who is writing and what they asked."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import cards
from approvals.errors import ConcurrencyConflict
from approvals.identity import Person
from approvals.ports import CardCopy, ConversationRef
from bot.backend_errors import is_backend_error
from bot.teams.after_commit import CURRENT_TURN, RefreshEarlierCards, Turn
from bot.teams.context import BotContext, TenantNotAllowed
from bot.teams.conversation import handle_install, handle_message
from bot.teams.delivery import Delivery
from bot.teams.demo_persona import DemoPersonas
from bot.teams.gateway import Card, DeliveryError, Inbound, TeamsGateway, TurnReply
from bot.teams.routes import handle_invoke

log = logging.getLogger("paraaf.bot")

VIEW_VERBS = frozenset({"refresh", "open", "my_tasks", "new_dossier", "start_form"})
"""Card verbs that only show a card; every other verb asks for a command (or is unknown)."""


def _chat(ref: ConversationRef) -> ConversationRef:
    """The reference without the id of the activity it was taken from."""
    return replace(ref, reference={k: v for k, v in ref.reference.items() if k != "activityId"})


@dataclass(frozen=True)
class Bot:
    """The bot's logic behind the Teams gateway; ``on_inbound`` is its one entry point.
    Built by the wiring (:mod:`bot.wiring`), with the outbox worker and the post-commit
    handler that updates earlier cards (both driven by the services, not by the bot)."""

    ctx: BotContext
    gateway: TeamsGateway
    delivery: Delivery
    personas: DemoPersonas
    earlier_cards: RefreshEarlierCards

    async def on_inbound(self, inbound: Inbound, reply: TurnReply) -> Card | None:
        """Handle one activity; an invoke returns the card that answers it."""
        inbound = self._with_language(inbound)
        lang = cards.lang_for(inbound.locale)
        try:
            return await self._handle(inbound, reply, lang)
        except TenantNotAllowed:
            log.warning("tenant not allowed", extra={"tenant": inbound.tenant[:64]})
            return await self._answer_if_possible(inbound, reply, cards.error_card(
                cards.strings(lang).bot_tenant_not_allowed, lang))
        except DeliveryError as error:  # the reply could not be sent: nobody to tell
            log.warning("reply not delivered", extra={"kind": inbound.kind, "reason": str(error)})
            return None
        except Exception as error:  # the user gets a card that says so; the log the details
            log.exception("turn failed", extra={"kind": inbound.kind, "verb": inbound.verb})
            s = cards.strings(lang)
            busy = isinstance(error, ConcurrencyConflict) or is_backend_error(error)
            card = cards.error_card(s.bot_busy if busy else s.error_title, lang)
            return await self._answer_if_possible(inbound, reply, card)

    async def _answer_if_possible(self, inbound: Inbound, reply: TurnReply,
                                  card: Card) -> Card | None:
        """Answer with ``card``; when the chat cannot be reached either, the log says so and
        the activity is still taken (a 5xx would only make the channel send it again)."""
        try:
            return await self._answer(inbound, reply, card)
        except DeliveryError as error:
            log.warning("reply not delivered", extra={"kind": inbound.kind, "reason": str(error)})
            return None

    async def _handle(self, inbound: Inbound, reply: TurnReply, lang: str) -> Card | None:
        actor = await self.ctx.actor(inbound)
        if actor is None:
            log.info("unknown user", extra={"oid": inbound.user_oid[:64]})
            return await self._answer(inbound, reply, cards.unknown_user_card(lang))
        command = inbound.kind == "invoke" and inbound.verb not in VIEW_VERBS
        if inbound.conversation is not None and inbound.is_personal and not command:
            await self.ctx.conversations.save_reference(inbound.conversation)
        if self.ctx.local_demo:
            switched = await self.personas.switch(inbound, actor, lang)
            if switched is not None:
                return await self._answer(inbound, reply, switched)
            actor = await self.personas.actor(inbound, actor)
        if inbound.kind in ("install", "installed"):
            if inbound.kind == "install":
                await handle_install(self.ctx, inbound, reply)
            await self.delivery.installed()  # notifications waiting for a chat can go now
            return None
        if inbound.kind == "invoke" and inbound.verb == "open":
            return await self._open_beside(inbound, reply, actor, lang)
        if command:
            return await self._command(inbound, actor)
        if inbound.kind == "invoke":
            card = await handle_invoke(self.ctx, inbound, actor)
            await self._remember(inbound, card, inbound.reply_to_id)
            return card
        card = await handle_message(self.ctx, inbound, actor)
        await self._remember(inbound, card, await reply.send_card(card))
        return None

    async def _open_beside(self, inbound: Inbound, reply: TurnReply, actor: Person,
                           lang: str) -> Card:
        """Open a dossier from "mijn taken" as a card of its own, below the list; the list
        stays (brought up to date) so the next task is one click away."""
        card = await handle_invoke(self.ctx, inbound, actor)
        await self._remember(inbound, card, await reply.send_card(card))
        summaries = await self.ctx.services.store.tasks_for(actor.oid)
        today = self.ctx.services.clock.now().date()
        return cards.tasks_card(summaries, actor.oid, lang, today)

    async def _command(self, inbound: Inbound, actor: Person) -> Card:
        """A card action that asks for a command. Where to reach the user and the card shown
        are stored only when the command was recorded: a refused one changes nothing."""
        turn = Turn(inbound.reply_to_id)
        token = CURRENT_TURN.set(turn)
        try:
            card = await handle_invoke(self.ctx, inbound, actor)
        finally:
            CURRENT_TURN.reset(token)
        if turn.recorded:
            if inbound.conversation is not None and inbound.is_personal:
                await self._keep_reference(inbound.conversation)
            await self._remember(inbound, card, inbound.reply_to_id)
        return card

    async def _remember(self, inbound: Inbound, card: Card, activity_id: str) -> None:
        """A dossier card shown in a chat is updated when the dossier changes later on."""
        refresh = card.get("refresh")
        data = refresh.get("action", {}).get("data", {}) if isinstance(refresh, dict) else {}
        dossier_id = data.get("dossier_id") if isinstance(data, dict) else None
        if dossier_id and activity_id and inbound.conversation is not None:
            copy = CardCopy(str(dossier_id), inbound.user_oid,
                            inbound.conversation.conversation_id, activity_id)
            if copy not in await self.ctx.conversations.cards(copy.dossier_id):
                await self.ctx.conversations.record_card(copy)  # a card clicked again: known

    async def _keep_reference(self, ref: ConversationRef) -> None:
        """Where to reach the user after a recorded click, stored when it is new or changed:
        a click on a card in the same chat writes nothing more (a message or an install
        always stores it, and clears an unreachable mark). Which activity of the chat it
        was is no change: in a personal chat nothing threads on it."""
        known = await self.ctx.conversations.reference(ref.oid)
        if known is None or _chat(known) != _chat(ref):
            await self.ctx.conversations.save_reference(ref)

    def _with_language(self, inbound: Inbound) -> Inbound:
        """The configured language, when it overrides the locale Teams sends."""
        if self.ctx.language == "auto":
            return inbound
        locale = {"nl": "nl-NL", "en": "en-US"}[self.ctx.language]
        conversation = inbound.conversation
        if conversation is not None:
            conversation = replace(conversation,
                                   reference={**conversation.reference, "locale": locale})
        return replace(inbound, locale=locale, conversation=conversation)

    async def _answer(self, inbound: Inbound, reply: TurnReply, card: Card) -> Card | None:
        if inbound.kind == "invoke":
            return card
        await reply.send_card(card)
        return None

    async def drain(self) -> None:
        """Wait for the background card updates (on shutdown and in tests)."""
        await self.earlier_cards.drain()
