"""The local demo's role switch: one browser plays every part (``als e.vanleeuwen``).

Only in local mode, where authentication is off anyway and the server answers on loopback
only: the Agents Playground has one user per browser, and a newcomer should be able to
click through a whole dossier. The events record the person whose part is played.
"""

from __future__ import annotations

import re

import cards
from approvals.identity import Person
from bot.teams.context import BotContext
from bot.teams.conversation import MENTION
from bot.teams.gateway import Card, Inbound

SWITCH = re.compile(r"^(?:als|as)\s+(.+)$", re.IGNORECASE)
MYSELF = {"mezelf", "me", "myself", "ik", "mijzelf"}


class DemoPersonas:
    """Per chat: whose part the demo user plays."""

    def __init__(self, ctx: BotContext) -> None:
        self.ctx = ctx
        self._played: dict[str, str] = {}  # conversation id -> object id

    async def switch(self, inbound: Inbound, actor: Person, lang: str) -> Card | None:
        """The answer to ``als <naam>``, or None when the message is something else."""
        if inbound.kind != "message" or inbound.conversation is None:
            return None
        match = SWITCH.match(" ".join(MENTION.sub(" ", inbound.text).split()))
        if match is None:
            return None
        who = match.group(1).strip()
        chat = inbound.conversation.conversation_id
        if who.lower() in MYSELF:
            self._played.pop(chat, None)
            return cards.demo_persona_card(None, lang)
        person = await self._find(who, actor)
        if person is None:
            message = cards.strings(lang).demo_persona_unknown.format(who=who[:100])
            return cards.error_card(message, lang)
        self._played[chat] = person.oid
        return cards.demo_persona_card(person.name, lang)

    async def actor(self, inbound: Inbound, actor: Person) -> Person:
        """The person whose part is played in this chat (the sender when none)."""
        chat = inbound.conversation.conversation_id if inbound.conversation else ""
        played = self._played.get(chat)
        if played is None:
            return actor
        person = await self.ctx.services.directory.user(played)
        return person or actor

    async def _find(self, who: str, actor: Person) -> Person | None:
        directory = self.ctx.services.directory
        found = await directory.user(who)
        if found is None and "@" not in who and "@" in actor.upn:
            found = await directory.user(f"{who}@{actor.upn.split('@', 1)[1]}")
        return found
