"""Delivering the outbox: each notification becomes a card in the recipient's chat.

A worker claims rows with a lease (so several instances never claim the same row), builds
the card from the dossier as it is *now*, sends it, and only then marks the row sent. A crash
before the send is retried after the lease runs out, so nothing is lost; a crash between the
send and the mark can repeat one message, which then shows the same fresh card (the
connector offers no exactly-once delivery, and this design does not pretend it does).

The worker hands each row to the handler for its kind, from the table the wiring builds
(:mod:`bot.post_commit`): :class:`SendNotificationCard` for the notifications, and the
document access work (``access`` rows) for :class:`bot.post_commit.GrantDocumentAccess`. A
handler that fails gives the row back to be tried again later.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import cards
from approvals import event_payloads as ev
from approvals.errors import UnknownDossier
from approvals.events import Event
from approvals.identity import Person
from approvals.ports import (
    CardCopy,
    ConversationRef,
    ConversationStore,
    DocumentStore,
    Outbox,
    OutboxItem,
)
from approvals.service import Outcome, Services, read
from bot.post_commit import Done, OutboxHandlers
from bot.teams.context import BotContext
from bot.teams.gateway import Card, DeliveryError, NotInstalled, NotYetReachable, TeamsGateway
from bot.teams.views import DossierView, card_for, view_of
from bot.telemetry import active as telemetry
from cards.format import format_date

log = logging.getLogger("paraaf.delivery")

NOTIFICATION_KINDS = frozenset({"task", "reminder", "substituted", "escalation", "unstaffed",
                                "status"})
"""The outbox rows that are a card in someone's chat (:mod:`approvals.notifications`)."""
LEASE_SECONDS = 60.0
MAX_ATTEMPTS = 12
POLL_SECONDS = 30.0  # an idle instance looks at the store once per this; its own commits wake it
BACKOFF_CAP = 900.0  # seconds: the longest a row that cannot be delivered yet waits between tries
# an outbox that says what changed (a delta query) is still read in full every this many idle
# looks: leases of an instance that died, commits it left half done
SWEEP_LOOKS = 10
DUE_MARGIN = 0.05  # seconds


@runtime_checkable
class WatchedOutbox(Protocol):
    """An outbox that can tell, in one cheap request, whether other instances gave it work."""

    async def changes(self) -> float | None:
        """Seconds until the soonest pending row among the changes since the last look is
        due (0: now), or None when no change holds a pending row."""
        ...


class RateLimiter:
    """Token buckets: about 7 messages/s per conversation and 30/s per tenant (Teams' limits)."""

    def __init__(self, per_conversation: float = 7.0, per_tenant: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._rates = {"conversation": per_conversation, "tenant": per_tenant}
        self._next: dict[tuple[str, str], float] = {}
        self._clock = clock
        self._lock = asyncio.Lock()

    async def wait(self, conversation_id: str, tenant: str) -> None:
        """Wait until one more message may go to this conversation and tenant."""
        async with self._lock:
            now = self._clock()
            keys = [("conversation", conversation_id), ("tenant", tenant)]
            start = max([now, *(self._next.get(key, now) for key in keys)])
            for key in keys:
                self._next[key] = start + 1.0 / self._rates[key[0]]
        if start > now:
            await asyncio.sleep(start - now)


def backoff(attempts: int, at_least: float = 0.0) -> float:
    """Seconds before try ``attempts + 1``: doubling with each try, never above BACKOFF_CAP
    (and never below ``at_least``, what the error itself asked for, within the cap)."""
    return min(BACKOFF_CAP, max(at_least, float(2 ** min(attempts, 16))))


@dataclass
class _Pace:
    """What the worker keeps between rounds to pace its looks at the store."""

    rounds: int = 0  # claims asked of the store (each one Graph request when none is due)
    looks: int = 0  # idle looks at the store: a claim, or a question for its changes
    due_at: float | None = None  # when the soonest row this worker put back is due
    waiting: set[int | str] = field(default_factory=set)  # put back: nobody reachable yet


class Delivery:
    """The outbox worker: claims rows and hands each to the handler for its kind (the table
    the wiring builds: notification cards, document access)."""

    def __init__(self, outbox: Outbox, handlers: OutboxHandlers, worker: str,
                 wake: asyncio.Event, poll_seconds: float = POLL_SECONDS,
                 lease_seconds: float = LEASE_SECONDS, sweep_looks: int = SWEEP_LOOKS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.outbox = outbox
        self.handlers = handlers
        self.worker = worker
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds  # a claim held longer is free for the others
        self.wake = wake  # set after a commit or an installation: look at the outbox at once
        self.sweep_looks = sweep_looks  # every this many idle looks, a full claim
        # the outbox's delta query, where it has one (the Microsoft 365 backend)
        self.watch: Callable[[], Awaitable[float | None]] | None = (
            outbox.changes if isinstance(outbox, WatchedOutbox) else None)
        self._clock = clock
        self._pace = _Pace()

    @property
    def rounds(self) -> int:
        """How many times this worker asked the store for rows."""
        return self._pace.rounds

    @property
    def looks(self) -> int:
        """How many idle looks this worker made at the store."""
        return self._pace.looks

    async def run_once(self, limit: int = 20) -> int:
        """Claim and deliver up to ``limit`` rows; returns how many were claimed."""
        pace = self._pace
        pace.rounds += 1
        if pace.due_at is not None and pace.due_at <= self._clock():
            pace.due_at = None  # this claim takes the rows that were due
        items = await self.outbox.claim(self.worker, limit, self.lease_seconds)
        for item in items:
            await self._deliver_one(item)
        return len(items)

    async def run(self, stop: asyncio.Event, poll_seconds: float | None = None) -> None:
        """Deliver until ``stop`` is set.

        Idle, it looks at the store once per ``poll_seconds`` (other instances' commits are
        found that way), and claims at once when ``wake`` is set (a commit of this instance,
        an installation) or when a row put back becomes due, whichever comes first. Where the
        outbox can say what changed (``changes``, a delta query), a look asks only that, and
        the due rows are read and claimed when a change shows a pending row (every
        ``sweep_looks``-th look reads them anyway); elsewhere each look is a claim.
        """
        poll = self.poll_seconds if poll_seconds is None else poll_seconds
        claim = True
        while not stop.is_set():
            self.wake.clear()
            if claim:
                try:
                    if await self.run_once():
                        continue
                except Exception:  # the loop must outlive a bad row or a store hiccup
                    log.exception("delivery round failed")
            seconds, due = self._pause(poll)
            if await self._idle(stop, seconds) or due or stop.is_set():
                claim = True  # woken, or a row put back is due now
                continue
            self._pace.looks += 1
            claim = await self._look()

    async def _look(self) -> bool:
        """An idle look: whether to claim now (a delta query, where the outbox has one)."""
        if self.watch is None or self._pace.looks % self.sweep_looks == 0:
            return True
        try:
            wait = await self.watch()
        except Exception:  # no answer about the changes: read the due rows instead
            log.exception("could not read the outbox's changes")
            return True
        if wait is None:
            return False
        if wait <= 0:
            return True
        # a pending row another instance holds or put back (a little after, so it is due)
        self._due(self._clock() + wait + DUE_MARGIN)
        return False

    def _due(self, at: float) -> None:
        pace = self._pace
        pace.due_at = at if pace.due_at is None else min(pace.due_at, at)

    async def installed(self) -> None:
        """Someone installed the app: chats can be opened now, so the rows this worker put
        back for want of one are due at once (not at the end of their back-off)."""
        waiting = list(self._pace.waiting)
        self._pace.waiting.clear()
        if waiting:
            try:
                await self.outbox.hurry(waiting)
            except Exception:  # they go at the end of their back-off instead
                log.exception("could not hurry the waiting notifications")
        self.wake.set()

    def _pause(self, poll: float) -> tuple[float, bool]:
        """Seconds to wait, and whether a row put back is due at their end."""
        if self._pace.due_at is None:
            return poll, False
        due = self._pace.due_at - self._clock()
        return (max(0.0, due), True) if due < poll else (poll, False)

    async def _idle(self, stop: asyncio.Event, seconds: float) -> bool:
        """Wait ``seconds``; True when woken (``wake``) before they ran out."""
        if self.wake.is_set():
            return True
        if seconds <= 0:
            return False
        waiters = {asyncio.ensure_future(self.wake.wait()), asyncio.ensure_future(stop.wait())}
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
        return self.wake.is_set()

    async def _deliver_one(self, item: OutboxItem) -> None:
        with telemetry().delivery(item):
            await self._deliver(item)

    async def _deliver(self, item: OutboxItem) -> None:
        self._pace.waiting.discard(item.id)
        try:
            handler = self.handlers.for_kind(item.notification.kind)
            done = await handler.handle(item)
        except Exception as error:  # one bad row must not hold up the others
            await self._retry_later(item, error)
            return
        await self.outbox.mark_sent(item.id)  # done: whatever happens next, not again
        telemetry().delivered(item, done.result, done.committed)

    async def _retry_later(self, item: OutboxItem, error: Exception) -> None:
        quiet = isinstance(error, NotYetReachable)
        if item.attempts >= MAX_ATTEMPTS and not quiet:
            log.error("notification given up", extra={"outbox_id": item.id,
                                                        "error": str(error)[:200]})
            if item.notification.kind in self.handlers.kinds:
                await self.handlers.for_kind(item.notification.kind).given_up(item, error)
            await self.outbox.mark_sent(item.id)
            telemetry().delivered(item, "given_up")
            return
        asked = getattr(error, "retry_after", None)
        if quiet:  # nobody to send to yet: back off, however soon the error says to try
            retry = backoff(item.attempts, asked or 0.0)
            self._pace.waiting.add(item.id)
        else:  # throttled or failed: what the service asked for, else exponential
            retry = asked if asked is not None else backoff(item.attempts)
        if not isinstance(error, DeliveryError):
            log.exception("notification failed", extra={"outbox_id": item.id})
        log.log(logging.DEBUG if quiet else logging.WARNING, "delivery failed; retrying later",
                extra={"outbox_id": item.id, "retry_after": retry, "error": str(error)[:200]})
        await self.outbox.release(item.id, str(error)[:500], retry)
        telemetry().delivered(item, "retry", retry_after=retry)
        self._due(self._clock() + retry)


class SendNotificationCard:
    """A notification row: the card, built from the dossier as it is *now*, in the
    recipient's chat (opened when the bot has none yet)."""

    kinds = NOTIFICATION_KINDS

    def __init__(self, ctx: BotContext, gateway: TeamsGateway,
                 limiter: RateLimiter | None = None) -> None:
        self.ctx = ctx
        self.gateway = gateway
        self.limiter = limiter or RateLimiter()

    async def handle(self, item: OutboxItem) -> Done:
        n = item.notification
        try:
            snapshot = await read(self.ctx.services, n.dossier_id)  # the one read of the dossier
        except UnknownDossier:
            return Done("no_dossier")
        try:
            ref = await self._chat_with(n.recipient)
        except NotInstalled as error:
            return await self._unreachable(n.recipient, error)
        lang = cards.lang_for(str(ref.reference.get("locale") or ""))
        dossier = await view_of(snapshot.state, snapshot.flow, snapshot.events,
                                self.ctx.documents)
        event = next((e for e in snapshot.events if e.event_id == n.event_id), None)
        card = await self._card(dossier, n.recipient, n.kind, event, lang)
        await self.limiter.wait(ref.conversation_id, ref.tenant)
        try:
            activity_id = await self.gateway.send(ref, card)
        except NotInstalled as error:
            return await self._unreachable(n.recipient, error)
        log.info("notification sent", extra={"outbox_id": item.id, "kind": n.kind})
        try:
            await self.ctx.conversations.record_card(
                CardCopy(n.dossier_id, n.recipient.oid, ref.conversation_id, activity_id))
        except Exception:
            log.exception("after sending: bookkeeping failed", extra={"outbox_id": item.id})
        return Done("sent", event.timestamp if event else "")

    async def _unreachable(self, person: Person, error: NotInstalled) -> Done:
        log.info("recipient cannot be reached in Teams", extra={"oid": person.oid})
        await self.ctx.conversations.mark_unreachable(person.oid, str(error))
        return Done("unreachable")

    async def given_up(self, item: OutboxItem, error: Exception) -> None:
        await self.ctx.conversations.mark_unreachable(item.notification.recipient.oid,
                                                      str(error)[:500])

    async def _chat_with(self, person: Person) -> ConversationRef:
        ref = await self.ctx.conversations.reference(person.oid)
        if ref is not None:
            return ref
        template = await self.ctx.conversations.any_reference(person.tenant)
        if template is None:  # wait: once someone installs the app, chats can be opened
            raise NotYetReachable("nobody in this tenant has installed the app yet", 30.0)
        ref = await self.gateway.open_chat(person, template)
        await self.ctx.conversations.save_reference(ref)
        return ref

    async def _card(self, dossier: DossierView, recipient: Person, kind: str,
                    event: Event | None, lang: str) -> Card:
        services, conversations = self.ctx.services, self.ctx.conversations
        s = cards.strings(lang)
        said = event.payload if event else None
        due = getattr(said, "due", None)
        zone = self.ctx.timezone
        if kind == "status":
            return await card_for(services, conversations, dossier, recipient.oid, lang,
                                  event=event, zone=zone)
        tone = "warning"
        if kind == "reminder":
            notice = s.bot_reminder.format(date=due or "")
        elif kind == "substituted" and isinstance(said, ev.StageStarted):  # a substitute has it
            standing = (said.substitutes or {}).get(recipient.oid, {})
            notice = s.bot_substituted.format(name=standing.get("to", {}).get("name", ""),
                                              until=format_date(standing.get("until", ""), s))
        elif kind == "escalation" and isinstance(said, ev.Escalated):
            names = ", ".join(p.name for p in said.waiting_for)
            notice = s.bot_escalation.format(stage=said.stage, names=names)
            tone = "attention"
        elif kind == "unstaffed" and isinstance(said, ev.StageStarted):  # nobody is found
            stage = said.stage
            title = dossier.flow.stage(stage).title if dossier.flow.has_stage(stage) else stage
            notice = s.unstaffed_admin_notice.format(stages=title)
            tone = "attention"
        else:
            notice = None
        return await card_for(services, conversations, dossier, recipient.oid, lang,
                              notice=notice, tone=tone, zone=zone)


async def refresh_copies(services: Services, conversations: ConversationStore,
                         documents: DocumentStore, gateway: TeamsGateway, outcome: Outcome,
                         skip_activity: str, zone: str) -> int:
    """Bring the dossier's earlier cards in every chat up to date with the dossier as the
    command left it (no read of the store); returns how many."""
    copies = [copy for copy in await conversations.cards(outcome.state.id)
              if copy.activity_id != skip_activity]
    if not copies:
        return 0
    dossier = await view_of(outcome.state, outcome.flow, outcome.history, documents)
    updated = 0
    for copy in copies:
        ref = await conversations.reference(copy.oid)
        if ref is None or ref.conversation_id != copy.conversation_id:
            continue
        lang = cards.lang_for(str(ref.reference.get("locale") or ""))
        card = await card_for(services, conversations, dossier, copy.oid, lang, zone=zone)
        try:
            await gateway.update(ref, copy.activity_id, card)
            updated += 1
        except DeliveryError as error:
            log.warning("card update failed", extra={"error": str(error)[:200]})
    return updated
