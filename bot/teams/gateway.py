"""The Teams port: what the bot needs from a Teams connector, with no SDK types in it.

``bot/teams/botframework.py`` implements it with botbuilder (end of support since 2025-12-31),
``bot/teams/agents_gateway.py`` with its successor, the Microsoft 365 Agents SDK;
``PARAAF_BOT_SDK`` chooses (``bot.wiring``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from approvals.identity import Person
from approvals.ports import ConversationRef

Card = dict[str, Any]


@dataclass(frozen=True)
class Inbound:
    """An activity from Teams, reduced to what the bot's logic reads."""

    kind: str  # message | invoke | install (bot added: greet) | installed (app installed)
    user_oid: str
    tenant: str
    locale: str
    conversation: ConversationRef | None
    text: str = ""
    verb: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    reply_to_id: str = ""
    is_personal: bool = True


class TurnReply(Protocol):
    """Sending within the current turn (the user's own chat)."""

    async def send_card(self, card: Card) -> str:
        """Post a card; returns the activity id."""
        ...


class DeliveryError(Exception):
    """A card could not be delivered; ``retry_after`` seconds when it may work later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotYetReachable(DeliveryError):
    """Nobody in the tenant has the app yet, so no chat can be opened; try again later."""


class NotInstalled(DeliveryError):
    """The app is not installed for the user, so the bot cannot start a chat with them."""


class TeamsGateway(Protocol):
    """Proactive sending: new cards, updates of earlier cards, and new personal chats."""

    async def send(self, ref: ConversationRef, card: Card) -> str:
        """Post a card in the conversation; returns the activity id."""
        ...

    async def update(self, ref: ConversationRef, activity_id: str, card: Card) -> None: ...

    async def open_chat(self, user: Person, template: ConversationRef | None) -> ConversationRef:
        """Create (or find) the personal chat with the user; NotInstalled when impossible.

        ``template`` is any known conversation in the same tenant, for its service URL.
        """
        ...


InboundHandler = Callable[[Inbound, TurnReply], Awaitable[Card | None]]
"""The bot's logic: handle one inbound activity; an invoke returns the card to answer with."""

Intake = Callable[[dict[str, Any] | None, dict[str, Any]], Awaitable[tuple[int, Any]]]
"""Run one inbound activity (its JSON body) whose sender is verified (the token's claims;
None in local mode) through the SDK and the bot's logic; returns (HTTP status, invoke
response body or None)."""
