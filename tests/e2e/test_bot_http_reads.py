"""A card click reads the dossier once, and so does each notification delivered after it;
a click writes only what changed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from approvals.ports import CardCopy, ConversationRef, ConversationStore
from bot.wiring import Ports
from tests.e2e.bot_http import (
    OIDS,
    BotClient,
    activity,
    bot_server,
    card_text,
    copy_demo,
    count_reads,
    say,
)
from tests.e2e.connector import Connector

FINANCE = "f.meijer@voorbeeldstad.nl"
FINANCE2 = "d.hendriks@voorbeeldstad.nl"
INITIATOR = "t.dejong@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}


async def test_a_recorded_click_reads_the_dossier_once(client: BotClient,
                                                       connector: Connector) -> None:
    await say(client, connector, INITIATOR, "hallo")
    await client.invoke(INITIATOR, "refresh", {"dossier_id": "DEMO-1"},
                        service_url=connector.url)  # a card of the dossier to bring up to date
    counting = count_reads(client)
    card = await client.invoke(FINANCE, "advise", ADVICE, service_url=connector.url)
    await client.app_runtime.bot.drain()  # the other cards are brought up to date too
    assert "Gelukt" in card_text(card)
    assert counting.reads == 1


async def test_a_refused_click_reads_the_dossier_once(client: BotClient) -> None:
    counting = count_reads(client)
    stale = {**ADVICE, "round": 0}
    for upn, data, says in [(INITIATOR, ADVICE, "niet jouw beurt"),
                            (FINANCE, stale, "gewijzigd"),
                            (FINANCE, {**ADVICE, "advice": "positief", "stage_id": "paraaf"},
                             "niet jouw beurt")]:
        before = counting.reads
        assert says in card_text(await client.invoke(upn, "advise", data))
        assert counting.reads - before == 1, says
    await client.invoke(FINANCE, "advise", ADVICE)
    before = counting.reads
    assert "al afgehandeld" in card_text(await client.invoke(FINANCE2, "advise", ADVICE))
    assert counting.reads - before == 1
    before = counting.reads
    unknown = {**ADVICE, "delegate_to": "nobody@voorbeeldstad.nl", "delegate_reason": "Weg"}
    await client.invoke(FINANCE2, "delegate", unknown)
    assert counting.reads - before == 1


async def test_each_delivered_notification_reads_the_dossier_once(
    client: BotClient, connector: Connector,
) -> None:
    for upn in (HEAD, INITIATOR):  # the bot knows their chats
        await say(client, connector, upn, "hallo")
    outbox = client.app_runtime.bot.delivery.outbox  # the demo's own rows are not measured
    while items := await outbox.claim("earlier", 100, 600):
        for item in items:
            await outbox.mark_sent(item.id)
    await client.invoke(FINANCE, "advise", ADVICE)  # the advice is complete: paraaf starts
    await client.app_runtime.bot.drain()
    counting = count_reads(client)
    delivery = client.app_runtime.bot.delivery
    delivered = 0
    while True:
        reads, posted = counting.reads, len(connector.posted)
        if not await delivery.run_once(limit=1):
            break
        if len(connector.posted) > posted:  # a message (an access row posts none)
            delivered += 1
            assert counting.reads - reads == 1
    assert delivered >= 1
    [(_, _, body)] = [p for p in connector.posted if "Paraaf" in card_text(p[2])][-1:]
    assert "DEMO-1" in card_text(body)


class CountingConversations(ConversationStore):
    """The conversation store, counting its writes; everything passes through."""

    def __init__(self, store: ConversationStore) -> None:
        self.store = store
        self.writes = 0

    async def save_reference(self, ref: ConversationRef) -> None:
        self.writes += 1
        await self.store.save_reference(ref)

    async def reference(self, oid: str) -> ConversationRef | None:
        return await self.store.reference(oid)

    async def any_reference(self, tenant: str) -> ConversationRef | None:
        return await self.store.any_reference(tenant)

    async def record_card(self, copy: CardCopy) -> None:
        self.writes += 1
        await self.store.record_card(copy)

    async def cards(self, dossier_id: str) -> Sequence[CardCopy]:
        return await self.store.cards(dossier_id)

    async def mark_unreachable(self, oid: str, reason: str) -> None:
        self.writes += 1
        await self.store.mark_unreachable(oid, reason)

    async def unreachable(self) -> dict[str, str]:
        return await self.store.unreachable()


async def test_a_click_on_a_known_card_in_a_known_chat_writes_only_the_events(
    demo_template: Path, tmp_path: Path, connector: Connector,
) -> None:
    counted: list[CountingConversations] = []

    def counting_chats(ports: Ports) -> Ports:
        counted.append(CountingConversations(ports.conversations))
        return replace(ports, conversations=counted[0])

    async with bot_server(copy_demo(demo_template, tmp_path / "data"),
                          adapters=counting_chats) as client:
        await _click_twice(client, connector, counted[0])


async def _click_twice(client: BotClient, connector: Connector,
                       counting: CountingConversations) -> None:
    first = activity(FINANCE, verb="comment", data={**ADVICE, "comment": "Eerste"},
                     service_url=connector.url)
    assert (await client.post(first))[0] == 200
    assert counting.writes == 2  # a new chat and a new card: both remembered
    again = activity(FINANCE, verb="comment", data={**ADVICE, "comment": "Tweede"},
                     service_url=connector.url)
    again["replyToId"] = first["replyToId"]  # the same card, clicked again
    assert (await client.post(again))[0] == 200
    await client.app_runtime.bot.drain()
    assert counting.writes == 2
    assert [c.activity_id for c in await counting.cards("DEMO-1")
            if c.oid == OIDS[FINANCE]] == [first["replyToId"]]
    assert (await counting.reference(OIDS[FINANCE])) is not None


class CountingThreads(ThreadPoolExecutor):
    """The event loop's default executor (``asyncio.to_thread``), counting what it is given."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.jobs = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.jobs += 1
        return super().submit(fn, *args, **kwargs)


async def test_a_recorded_click_hands_no_work_to_a_thread(client: BotClient,
                                                           connector: Connector) -> None:
    """The click is answered on the event loop from start to end: the events' commit, the
    new card copy and where to reach the user are written there (a hop to a thread and back
    costs a click more than these writes do)."""
    await say(client, connector, FINANCE, "hallo")
    await client.invoke(FINANCE, "refresh", {"dossier_id": "DEMO-1"},
                        service_url=connector.url)  # the documents' comments are read once
    await client.invoke(FINANCE, "comment", {**ADVICE, "comment": "Eerst een vraag"},
                        service_url=connector.url)  # the connector's proxy is looked up once
    await client.app_runtime.bot.drain()
    threads = CountingThreads()
    asyncio.get_running_loop().set_default_executor(threads)
    card = await client.invoke(FINANCE, "advise", ADVICE, service_url=connector.url)
    await client.app_runtime.bot.drain()  # the earlier cards brought up to date as well
    assert "Gelukt" in card_text(card)
    assert threads.jobs == 0
    copies = await client.wiring.conversations.cards("DEMO-1")
    assert len([c for c in copies if c.oid == OIDS[FINANCE]]) == 3  # refresh, comment, advice
