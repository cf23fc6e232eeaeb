"""A bare bot: the floor of the invoke benchmarks (not part of the product).

botbuilder's ``CloudAdapter`` behind paraaf's own thin gateway (``bot.teams.botframework``: the
activity read by the SDK, the turn run by the adapter, the card action answered with the
card as JSON), on the same aiohttp server set-up with the same ``Server-Timing``
middleware, in local mode (no authentication), as its own process like ``paraaf serve``.
Every card action is answered with one card built before the clicks (the benchmark hands it
a card of paraaf's own, so both answers are the same size), every message with nothing.

With a database path it also commits one event-sized row per card action, durably (SQLite,
``journal_mode=WAL``, ``synchronous=FULL``, like the store): a click that records something
cannot cost less, and a disk that other work keeps busy then slows the floor as it slows
paraaf. It reads no dossier and sends nothing: what is left is what botbuilder, aiohttp, the
HTTP round trip and one durable commit cost per click, which paraaf's own work (load,
decide, render, the outbox) comes on top of.

    python -m benchmarks.bare_bot PORT [DATABASE]
    PUT /card  (JSON: the card to answer with from now on)
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

from aiohttp import web

from bot.settings import Settings
from bot.teams.botframework import BotFrameworkGateway, ParaafHandler
from bot.teams.gateway import Inbound, TurnReply
from bot.teams.server import server_timing

FIXED_CARD: dict[str, Any] = {
    "type": "AdaptiveCard", "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Bijgewerkt", "wrap": True}],
}


RECORD = "x" * 600
"""About the size of one stored event (its canonical JSON)."""


def _database(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE IF NOT EXISTS clicks (seq INTEGER PRIMARY KEY, record TEXT)")
    return db


def make_app(database: str | None = None) -> web.Application:
    gateway = BotFrameworkGateway(Settings.from_env({}))
    answer = {"card": FIXED_CARD}
    db = _database(database) if database else None

    async def logic(inbound: Inbound, reply: TurnReply) -> dict[str, Any] | None:
        if inbound.kind != "invoke":
            return None
        if db is not None:  # one durable commit, as a click that records an event needs
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO clicks (record) VALUES (?)", (RECORD,))
            db.execute("COMMIT")
        return answer["card"]

    handler = ParaafHandler(logic)

    async def messages(request: web.Request) -> web.Response:
        status, payload = await gateway.process_activity(None, await request.json(), handler)
        if payload is None:
            return web.Response(status=status)
        return web.json_response(payload, status=status)

    async def ready(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def set_card(request: web.Request) -> web.Response:
        answer["card"] = await request.json()
        return web.Response(status=204)

    app = web.Application(middlewares=[server_timing])
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/readyz", ready)
    app.router.add_put("/card", set_card)
    return app


def main(argv: list[str]) -> None:
    web.run_app(make_app(argv[2] if len(argv) > 2 else None), host="127.0.0.1",
                port=int(argv[1]), access_log=None, print=None)


if __name__ == "__main__":
    main(sys.argv)
