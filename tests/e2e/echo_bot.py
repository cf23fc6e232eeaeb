"""A tiny botbuilder bot that exercises the Playground harness (not part of the product).

It runs botbuilder's ``CloudAdapter`` in local mode (no app id, so no auth) on 127.0.0.1 at an
ephemeral port, with the fixes our real bot needs (see the shared facts on botbuilder 4.17.1):

- ``adaptiveCard/action`` is answered in ``on_invoke_activity`` with model objects, because the
  stock ``on_adaptive_card_invoke`` makes ``CloudAdapter`` answer 500;
- the tenant is read from ``channelData.tenant.id`` (the model drops ``conversation.tenantId``);
- msrest's ``ClientRetryPolicy.safe_codes`` becomes a frozenset (each turn builds two retry
  policies whose constructor scans a list 999 times).

What it does:

- installation (``installationUpdate`` add): says ``welkom <name>``;
- any other text: answers with an Adaptive Card showing the text, ``from.aadObjectId`` and the
  tenant, with an ``Action.Execute`` ``bump`` (``data.count``);
- ``notify <aadObjectId> <text>``: opens a 1:1 chat with that user (``create_conversation``,
  member id = object id) and sends them a card, then answers ``notified <oid> <conversation>``;
- ``split``: sends text and a card in one activity, then says which id it got back;
- ``delete``: sends a text, deletes it, and says ``delete failed <status>`` if refused;
- ``bump`` invoke: answers with the card at ``count + 1`` and also replaces the clicked message
  with it (``update_activity``), so other viewers see it.

Every activity it receives is kept in ``EchoBot.received`` (as JSON) for the tests.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from botbuilder.core import (
    ActivityHandler,
    CardFactory,
    MessageFactory,
    TurnContext,
)
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import (
    Activity,
    AdaptiveCardInvokeResponse,
    ChannelAccount,
    ConversationParameters,
    InvokeResponse,
)

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
_MENTION = re.compile(r"<at>[^<]*</at>")


def speed_up_msrest() -> None:
    """msrest builds two ``ClientRetryPolicy`` per turn; its constructor tests 999 codes against
    a list. A frozenset makes a bare turn about 7x faster."""
    from msrest.universal_http.requests import ClientRetryPolicy

    ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]


def tenant_of(activity: Activity) -> str:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    return str(tenant.get("id") or "") if isinstance(tenant, dict) else ""


def echo_card(title: str, oid: str, tenant: str, count: int = 0) -> dict[str, Any]:
    """The card the bot answers with: what it saw, and a counter behind ``Action.Execute``."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": title, "wrap": True},
            {"type": "FactSet", "facts": [
                {"title": "oid", "value": oid},
                {"title": "tenant", "value": tenant},
                {"title": "count", "value": str(count)},
            ]},
        ],
        "actions": [{
            "type": "Action.Execute", "title": "Bump", "verb": "bump",
            "data": {"count": count, "title": title},
        }],
    }


def card_activity(card: dict[str, Any]) -> Activity:
    return MessageFactory.attachment(CardFactory.adaptive_card(card))


@dataclass
class EchoBot(ActivityHandler):
    adapter: CloudAdapter
    received: list[dict[str, Any]] = field(default_factory=list)

    async def on_turn(self, turn_context: TurnContext) -> None:
        self.received.append(turn_context.activity.serialize())
        await super().on_turn(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        user = turn_context.activity.from_property
        await turn_context.send_activity(f"welkom {user.aad_object_id if user else ''}".strip())

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        text = _MENTION.sub("", activity.text or "").strip()
        oid = activity.from_property.aad_object_id or ""
        if text.startswith("notify "):
            _, target, *words = text.split()
            conversation = await self.notify(turn_context, target, " ".join(words))
            await turn_context.send_activity(f"notified {target} {conversation}")
            return
        if text == "split":  # text and a card in one activity
            card = echo_card("split", oid, tenant_of(activity))
            sent = await turn_context.send_activity(
                MessageFactory.attachment(CardFactory.adaptive_card(card), text="tekst"))
            await turn_context.send_activity(f"split id {sent.id if sent else None!r}")
            return
        if text == "delete":
            sent = await turn_context.send_activity("weg ermee")
            try:
                await turn_context.delete_activity(sent.id)
            except Exception as error:  # the Playground does not implement delete
                status = getattr(getattr(error, "response", None), "status_code", "?")
                await turn_context.send_activity(f"delete failed {status}")
            return
        await turn_context.send_activity(
            card_activity(echo_card(f"echo: {text}", oid, tenant_of(activity))))

    async def notify(self, turn_context: TurnContext, oid: str, text: str) -> str:
        """Open (or find) the user's 1:1 chat and send them a card; returns its id."""
        activity = turn_context.activity
        tenant = tenant_of(activity)
        parameters = ConversationParameters(
            is_group=False,
            bot=activity.recipient,
            members=[ChannelAccount(id=oid)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        opened: list[str] = []

        async def send(proactive: TurnContext) -> None:
            opened.append(proactive.activity.conversation.id)
            await proactive.send_activity(card_activity(echo_card(f"proactive: {text}", oid,
                                                                  tenant)))

        await self.adapter.create_conversation(
            "", send, parameters, activity.channel_id, activity.service_url)
        return opened[0]

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action") or {}
        data = action.get("data") or {}
        oid = activity.from_property.aad_object_id or ""
        card = echo_card(str(data.get("title", "")), oid, tenant_of(activity),
                         int(data.get("count", 0)) + 1)
        if activity.reply_to_id:  # replace the clicked message for everyone who sees it
            update = card_activity(card)
            update.id = activity.reply_to_id
            await turn_context.update_activity(update)
        body = AdaptiveCardInvokeResponse(status_code=200, type=CARD_TYPE, value=card)
        return InvokeResponse(status=200, body=body)


@dataclass
class RunningBot:
    bot: EchoBot
    endpoint: str  # http://127.0.0.1:PORT/api/messages


@asynccontextmanager
async def run_echo_bot() -> AsyncIterator[RunningBot]:
    """The echo bot served on 127.0.0.1 at a free port until the block ends."""
    speed_up_msrest()

    class _NoAuth:  # what ConfigurationBotFrameworkAuthentication reads; no app id = no auth
        APP_ID = ""
        APP_PASSWORD = ""
        APP_TYPE = "MultiTenant"
        APP_TENANTID = ""

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_NoAuth()))
    bot = EchoBot(adapter)

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    _host, port = runner.addresses[0][:2]
    try:
        yield RunningBot(bot, f"http://127.0.0.1:{port}/api/messages")
    finally:
        await runner.cleanup()
