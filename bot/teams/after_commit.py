"""The Teams channel's handlers of a recorded command, in this process.

The wiring puts them in the services' ``after_commit`` table (:class:`approvals.service.
AfterCommit`); the service runs each once after every commit, whoever made it (a card click,
a chat message, a start form). What must not be lost is not here: the notifications and
the document access are outbox rows written in the commit itself (:mod:`bot.post_commit`).
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field

from approvals.ports import ConversationStore, DocumentStore
from approvals.service import Outcome, Services
from bot.teams.delivery import refresh_copies
from bot.teams.gateway import TeamsGateway

log = logging.getLogger("paraaf.bot")


@dataclass(frozen=True)
class Turn:
    """The activity being handled: the card it came from (its own answer replaces that
    card) and the commands recorded while handling it."""

    reply_to_id: str = ""
    recorded: list[Outcome] = field(default_factory=list)


CURRENT_TURN: ContextVar[Turn | None] = ContextVar("paraaf_turn", default=None)
"""The turn being handled (set by the bot while it handles a command)."""


class NoteRecordedInTurn:
    """The turn learns that its command was recorded (a refused one records nothing: then
    where to reach the user and the card shown are not stored)."""

    async def __call__(self, outcome: Outcome, services: Services) -> None:
        turn = CURRENT_TURN.get()
        if turn is not None:
            turn.recorded.append(outcome)


@dataclass(frozen=True)
class WakeOutboxWorker:
    """The delivery worker looks at the outbox at once: the notifications and the document
    access the commit wrote go now, not at the next poll."""

    wake: asyncio.Event

    async def __call__(self, outcome: Outcome, services: Services) -> None:
        self.wake.set()


class RefreshEarlierCards:
    """In the background, the dossier's cards shown earlier in every chat show it as the
    command left it (the card clicked is left alone: the click's answer replaces it), unless a
    later command's update, which follows, shows it newer."""

    def __init__(self, conversations: ConversationStore, documents: DocumentStore,
                 gateway: TeamsGateway, timezone: str) -> None:
        self._conversations = conversations
        self._documents = documents
        self._gateway = gateway
        self._timezone = timezone
        self._background: set[asyncio.Task[None]] = set()
        self._newest: dict[str, int] = {}  # dossier -> version to show

    async def __call__(self, outcome: Outcome, services: Services) -> None:
        turn = CURRENT_TURN.get()
        skip = turn.reply_to_id if turn is not None else ""
        dossier_id = outcome.state.id
        self._newest[dossier_id] = max(outcome.state.version, self._newest.get(dossier_id, 0))
        task = asyncio.create_task(self._refresh(outcome, services, skip))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _refresh(self, outcome: Outcome, services: Services, skip: str) -> None:
        dossier_id, version = outcome.state.id, outcome.state.version
        if self._newest.get(dossier_id, 0) > version:
            return
        try:
            await refresh_copies(services, self._conversations, self._documents,
                                 self._gateway, outcome, skip, self._timezone)
        except Exception:
            log.exception("updating earlier cards failed", extra={"dossier_id": dossier_id})
        if self._newest.get(dossier_id) == version:
            del self._newest[dossier_id]

    async def drain(self) -> None:
        """Wait for the background card updates (on shutdown and in tests)."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
