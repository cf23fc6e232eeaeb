"""An idle delivery worker costs nothing: it looks at the outbox once per poll interval, at
once when woken (its own commits, an installation), and when a row it put back becomes due;
a row that cannot be delivered yet waits twice as long after each try, up to a cap."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from typing import Any

from approvals.ports import ConversationRef, OutboxItem
from bot.teams.context import BotContext
from bot.teams.delivery import BACKOFF_CAP, POLL_SECONDS, Delivery, RateLimiter, backoff
from bot.teams.gateway import DeliveryError, NotYetReachable
from bot.wiring import teams_outbox_work
from tests.unit import test_delivery

world = test_delivery.world  # the fixture: one dossier started, its notifications waiting

ROUNDS_WAITED = 200  # event-loop turns to wait for a round; bounded, never a time


class CountingOutbox:
    """The in-memory outbox, counting the claims asked of it and what was put back."""

    def __init__(self, outbox: Any) -> None:
        self.outbox = outbox
        self.claims = 0
        self.released: list[float] = []

    async def claim(self, worker: str, limit: int, lease_seconds: float) -> Sequence[OutboxItem]:
        self.claims += 1
        return await self.outbox.claim(worker, limit, lease_seconds)

    async def mark_sent(self, item_id: int | str) -> None:
        await self.outbox.mark_sent(item_id)

    async def release(self, item_id: int | str, error: str, retry_after: float) -> None:
        self.released.append(retry_after)
        await self.outbox.release(item_id, error, retry_after)

    async def hurry(self, item_ids: Sequence[int | str]) -> None:
        await self.outbox.hurry(item_ids)

    async def pending_count(self) -> int:
        return await self.outbox.pending_count()


async def _until(condition: Any) -> None:
    for _ in range(ROUNDS_WAITED):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the delivery worker did not get there")


def _worker(world: dict[str, Any], poll: float) -> tuple[Delivery, CountingOutbox]:
    outbox = CountingOutbox(world["store"])
    ctx: BotContext = world["ctx"]
    delivery = Delivery(outbox, teams_outbox_work(ctx, world["gateway"], RateLimiter(1000, 1000)),
                        "worker-1", asyncio.Event(), poll_seconds=poll)
    return delivery, outbox


def test_the_default_poll_is_thirty_seconds() -> None:
    assert POLL_SECONDS == 30.0


def test_an_undeliverable_row_waits_twice_as_long_after_each_try_up_to_a_cap() -> None:
    waits = [backoff(attempts) for attempts in range(1, 14)]
    assert waits[:5] == [2.0, 4.0, 8.0, 16.0, 32.0]
    assert all(later == min(BACKOFF_CAP, 2 * earlier)
               for earlier, later in itertools.pairwise(waits))
    assert waits[-1] == BACKOFF_CAP
    assert backoff(1, at_least=30.0) == 30.0  # what the error asked for is the least
    assert backoff(1, at_least=10 * BACKOFF_CAP) == BACKOFF_CAP


async def test_an_idle_worker_looks_once_and_then_only_when_woken(world: dict[str, Any]) -> None:
    delivery, outbox = _worker(world, poll=3600.0)
    stop = asyncio.Event()
    task = asyncio.create_task(delivery.run(stop))
    try:
        # the first rounds deliver what the fixture's commit wrote, then one finds nothing
        await _until(lambda: world["gateway"].sent and outbox.claims >= 2)
        settled = outbox.claims
        for _ in range(20):  # idle: many turns of the event loop, no further look
            await asyncio.sleep(0)
        assert outbox.claims == settled == delivery.rounds
        delivery.wake.set()  # a commit of this instance
        await _until(lambda: outbox.claims == settled + 1)
        for _ in range(20):
            await asyncio.sleep(0)
        assert outbox.claims == settled + 1
    finally:
        stop.set()
        await task


async def test_a_row_put_back_is_looked_at_again_when_due_not_at_the_next_poll(
    world: dict[str, Any],
) -> None:
    jurist = await world["directory"].user("e.vanleeuwen@voorbeeldstad.nl")
    world["gateway"].fail[jurist.oid] = DeliveryError("throttled", retry_after=0.05)
    delivery, outbox = _worker(world, poll=3600.0)
    stop = asyncio.Event()
    task = asyncio.create_task(delivery.run(stop))
    try:
        # throttled twice, with a poll of an hour: the worker comes back for it by itself
        await _until(lambda: len(outbox.released) >= 2)
        assert outbox.released[:2] == [0.05, 0.05]
        del world["gateway"].fail[jurist.oid]
        await _until(lambda: jurist.oid in {oid for oid, _ in world["gateway"].sent})
    finally:
        stop.set()
        await task
    assert delivery.rounds == outbox.claims


async def test_undeliverable_rows_back_off_exponentially(world: dict[str, Any]) -> None:
    jurist = await world["directory"].user("e.vanleeuwen@voorbeeldstad.nl")
    world["gateway"].fail[jurist.oid] = NotYetReachable("nobody installed the app", 30.0)
    delivery, outbox = _worker(world, poll=3600.0)
    store = world["store"]
    for _ in range(12):
        await delivery.run_once()
        for row in store.outbox.values():  # make the row due again, as time would
            row.not_before = 0.0
    assert outbox.released[:3] == [30.0, 30.0, 30.0]  # at least what the error asked
    assert outbox.released[5:8] == [64.0, 128.0, 256.0]
    assert outbox.released[-1] == BACKOFF_CAP


async def test_an_installation_makes_the_rows_waiting_for_one_due_at_once(
    world: dict[str, Any],
) -> None:
    conversations = world["conversations"]
    conversations.refs.clear()  # nobody has the app: no chat can be opened
    delivery, outbox = _worker(world, poll=3600.0)
    await delivery.run_once()
    assert len(outbox.released) == 5 and min(outbox.released) >= 30.0
    assert await delivery.run_once() == 0  # they wait for their back-off
    initiator = await world["directory"].user("t.dejong@voorbeeldstad.nl")
    await conversations.save_reference(ConversationRef(
        initiator.oid, initiator.tenant, "chat-initiator", {"locale": "nl-NL"}))
    await delivery.installed()
    assert delivery.wake.is_set()
    assert await delivery.run_once() == 5
    assert len(world["gateway"].sent) == 5
    assert await world["store"].pending_count() == 0


class WatchedOutbox(CountingOutbox):
    """An outbox that answers what changed (as the Microsoft 365 one does with a delta
    query): the answers are given by the test, one per look; then None (nothing changed)."""

    def __init__(self, outbox: Any, answers: list[float | Exception | None]) -> None:
        super().__init__(outbox)
        self.answers = answers
        self.asked = 0

    async def changes(self) -> float | None:
        self.asked += 1
        answer = self.answers.pop(0) if self.answers else None
        if isinstance(answer, Exception):
            raise answer
        return answer


def _watched(world: dict[str, Any], answers: list[float | Exception | None],
             sweep: int = 10**9) -> tuple[Delivery, WatchedOutbox]:
    outbox = WatchedOutbox(world["store"], answers)
    delivery = Delivery(outbox, teams_outbox_work(world["ctx"], world["gateway"],
                                                  RateLimiter(1000, 1000)),
                        "worker-1", asyncio.Event(), poll_seconds=0.001, sweep_looks=sweep)
    return delivery, outbox


async def _run_until(delivery: Delivery, condition: Any) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(delivery.run(stop))
    try:
        await _until(condition)
    finally:
        stop.set()
        await task


async def test_a_watched_outbox_is_claimed_only_when_its_changes_show_work(
    world: dict[str, Any],
) -> None:
    # nothing, nothing, work now, nothing...
    delivery, outbox = _watched(world, [None, None, 0.0])
    await _run_until(delivery, lambda: outbox.asked >= 8)
    # the first claim at start (it delivers, the next finds nothing), then one after the 0
    assert outbox.claims == 3 == delivery.rounds
    assert delivery.looks >= outbox.asked >= 8


async def test_a_pending_row_not_due_yet_is_claimed_when_due(world: dict[str, Any]) -> None:
    delivery, outbox = _watched(world, [0.05])
    await _run_until(delivery, lambda: outbox.claims >= 3)
    assert outbox.claims == 3  # start, nothing left, and the row that became due


async def test_without_an_answer_about_changes_the_outbox_is_claimed(
    world: dict[str, Any],
) -> None:
    delivery, outbox = _watched(world, [ConnectionError("no answer")])
    await _run_until(delivery, lambda: outbox.claims >= 3)
    assert outbox.asked >= 1


async def test_a_watched_outbox_is_still_read_in_full_every_few_looks(
    world: dict[str, Any],
) -> None:
    delivery, outbox = _watched(world, [], sweep=4)
    await _run_until(delivery, lambda: delivery.looks >= 12)
    # start and its second round, then every fourth look a claim instead of a question
    assert outbox.claims - 2 == delivery.looks // 4
    assert outbox.asked == delivery.looks - delivery.looks // 4
