"""A bare botbuilder bot: the floor of the invoke benchmarks (not part of the product).

It answers every ``adaptiveCard/action`` invoke with one card, built before the clicks (the
benchmark hands it a card of paraaf's own, so both answers are the same size), and every
message with nothing. It runs as its own process, like ``paraaf serve``, on botbuilder's
``CloudAdapter`` in local mode (no app id, so no authentication), with the same msrest fix
and the same ``Server-Timing`` middleware as paraaf's server. It reads no dossier, writes
nothing and sends nothing: what is left is what botbuilder and aiohttp cost per click.

    python -m benchmarks.bare_bot PORT
    PUT /card  (JSON: the card to answer with from now on)
"""

from __future__ import annotations

import sys
from typing import Any

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import InvokeResponse

from bot.botframework import CARD_TYPE, speed_up_msrest
from bot.server import server_timing

FIXED_CARD: dict[str, Any] = {
    "type": "AdaptiveCard", "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Bijgewerkt", "wrap": True}],
}


class BareBot(ActivityHandler):
    def __init__(self) -> None:
        self.card = FIXED_CARD

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        # JSON already, as paraaf answers (msrest would walk the card node by node)
        body = {"statusCode": 200, "type": CARD_TYPE, "value": self.card}
        return InvokeResponse(status=200, body=body)


class _NoAuth:  # what ConfigurationBotFrameworkAuthentication reads; no app id = no auth
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


def make_app() -> web.Application:
    speed_up_msrest()
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_NoAuth()))
    bot = BareBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    async def ready(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def set_card(request: web.Request) -> web.Response:
        bot.card = await request.json()
        return web.Response(status=204)

    app = web.Application(middlewares=[server_timing])
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/readyz", ready)
    app.router.add_put("/card", set_card)
    return app


def main(argv: list[str]) -> None:
    web.run_app(make_app(), host="127.0.0.1", port=int(argv[1]), access_log=None,
                print=None)


if __name__ == "__main__":
    main(sys.argv)
