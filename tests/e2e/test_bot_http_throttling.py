"""Teams throttles the bot (429 with Retry-After): the card waits in the outbox, is sent once
the time has passed, and exactly once; on both bot SDKs (tests/e2e/conftest.py)."""

from __future__ import annotations

import asyncio
import time

from tests.e2e.bot_http import BotClient, card_text, say
from tests.e2e.connector import Connector

FINANCE = "f.meijer@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}


async def test_a_throttled_card_waits_as_teams_asks_and_is_sent_once(
    client: BotClient, connector: Connector,
) -> None:
    await say(client, connector, HEAD, "hallo")  # the bot knows the afdelingshoofd's chat
    delivery = client.app_runtime.bot.delivery
    while items := await delivery.outbox.claim("earlier", 100, 600):  # the demo's own rows
        for item in items:
            await delivery.outbox.mark_sent(item.id)
    await client.invoke(FINANCE, "advise", ADVICE)  # the advice is complete: paraaf starts
    await client.app_runtime.bot.drain()
    connector.throttle, connector.retry_after = 1, "3"
    started = time.time()

    def paraaf_cards() -> list[float]:
        return [at for at, _, body in connector.posted
                if at >= started and "Paraaf afdelingshoofd" in card_text(body)]

    for _ in range(60):  # bounded: about 15 s at most
        await delivery.run_once(limit=10)
        if paraaf_cards():
            break
        await asyncio.sleep(0.25)
    assert len(connector.throttled) == 1
    sent = paraaf_cards()
    assert len(sent) == 1  # sent, and only once
    assert sent[0] - connector.throttled[0] >= 3.0  # not before Teams said it may be
    for _ in range(3):  # nothing is left to send it again
        await delivery.run_once(limit=10)
    assert len(paraaf_cards()) == 1
