"""The Teams bot: who is writing, what they asked, and what happens after a commit."""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

import cards
from approvals.errors import ConcurrencyConflict
from approvals.identity import Person
from approvals.ports import CardCopy, ConversationRef, Outbox
from approvals.service import Outcome
from bot.backend_errors import is_backend_error
from bot.teams.context import BotContext, TenantNotAllowed
from bot.teams.conversation import handle_install, handle_message
from bot.teams.delivery import Delivery, refresh_copies
from bot.teams.demo_persona import DemoPersonas
from bot.teams.gateway import Card, DeliveryError, Inbound, TeamsGateway, TurnReply
from bot.teams.routes import handle_invoke

log = logging.getLogger("paraaf.bot")

VIEW_VERBS = frozenset({"refresh", "open", "my_tasks", "new_dossier", "start_form"})
"""Card verbs that only show a card; every other verb asks for a command (or is unknown)."""
_RECORDED: ContextVar[list[Outcome] | None] = ContextVar("paraaf_recorded", default=None)
"""The commands recorded in the current turn (set while a card action is handled)."""


def _chat(ref: ConversationRef) -> ConversationRef:
    """The reference without the id of the activity it was taken from."""
    return replace(ref, reference={k: v for k, v in ref.reference.items() if k != "activityId"})


@dataclass
class Bot:
    """The bot's logic behind the Teams gateway; ``on_inbound`` is its one entry point."""

    ctx: BotContext
    gateway: TeamsGateway
    delivery: Delivery
    personas: DemoPersonas = field(init=False)
    _background: set[asyncio.Task[None]] = field(default_factory=set)
    _newest: dict[str, int] = field(default_factory=dict)  # dossier -> version to show

    @classmethod
    def build(cls, ctx: BotContext, outbox: Outbox, gateway: TeamsGateway,
              worker: str) -> Bot:
        bot = cls(ctx, gateway, Delivery(ctx, outbox, gateway, worker))
        bot.personas = DemoPersonas(ctx)
        ctx.after_commit = bot.after_commit
        return bot

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
        recorded: list[Outcome] = []
        token = _RECORDED.set(recorded)
        try:
            card = await handle_invoke(self.ctx, inbound, actor)
        finally:
            _RECORDED.reset(token)
        if recorded:
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

    async def after_commit(self, outcome: Outcome, skip_activity: str) -> None:
        """Deliver the new notifications (and settle document access) now; in the
        background, update the dossier's other cards."""
        recorded = _RECORDED.get()
        if recorded is not None:
            recorded.append(outcome)
        self.delivery.wake.set()
        dossier_id = outcome.state.id
        self._newest[dossier_id] = max(outcome.state.version, self._newest.get(dossier_id, 0))
        task = asyncio.create_task(self._after(outcome, skip_activity))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _after(self, outcome: Outcome, skip_activity: str) -> None:
        """The other cards show the dossier as this command left it, unless a later
        command's update (which follows) shows it newer."""
        dossier_id, version = outcome.state.id, outcome.state.version
        if self._newest.get(dossier_id, 0) > version:
            return
        try:
            await refresh_copies(self.ctx, self.gateway, outcome, skip_activity)
        except Exception:
            log.exception("updating earlier cards failed", extra={"dossier_id": dossier_id})
        if self._newest.get(dossier_id) == version:
            del self._newest[dossier_id]

    async def drain(self) -> None:
        """Wait for the background card updates (on shutdown and in tests)."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
