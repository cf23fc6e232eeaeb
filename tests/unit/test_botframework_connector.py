"""Proactive sends and updates of the botbuilder gateway: the requests botbuilder's own
connector client makes, over one kept-alive connection."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.schema import ConversationReference

from approvals.ports import ConversationRef
from bot.settings import Settings
from bot.teams.botframework import BotFrameworkGateway, card_activity
from bot.teams.gateway import DeliveryError, NotInstalled

CARD: dict[str, Any] = {
    "type": "AdaptiveCard", "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Voorstel · € 5.000", "wrap": True},
             {"type": "Input.Text", "id": "text", "isMultiline": True, "maxLength": 2000}],
    "actions": [{"type": "Action.Execute", "verb": "advise", "title": "Advies geven",
                 "data": {"dossier_id": "2026-A", "round": 1, "flag": True, "none": None}}],
}
COMPARED_HEADERS = ("Accept", "Content-Type", "User-Agent", "x-ms-conversation-id",
                    "Authorization")


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    peer: Any


@dataclass
class Recorder:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    answer: tuple[int, dict[str, Any], dict[str, str]] | None = None  # status, body, headers

    async def handle(self, request: web.Request) -> web.Response:
        transport = request.transport
        peer = transport.get_extra_info("peername") if transport is not None else None
        self.seen.append(Seen(request.method, request.raw_path,
                              {k: request.headers[k] for k in COMPARED_HEADERS
                               if k in request.headers},
                              json.loads(await request.read()), peer))
        if self.answer is not None:
            status, body, headers = self.answer
            return web.json_response(body, status=status, headers=headers)
        return web.json_response({"id": f"m-{len(self.seen)}"})


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    found = Recorder()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", found.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    found.url = f"http://127.0.0.1:{port}/"
    yield found
    await runner.cleanup()


def _ref(service_url: str) -> ConversationRef:
    """A personal chat as the bot stores it, with an id that needs quoting in a URL."""
    conversation = "a:1Xk-9_Abc@thread.tacv2;messageid=17"
    return ConversationRef("oid-1", "tenant-1", conversation, {
        "activityId": "f:act-1",
        "user": {"id": "29:1user", "aadObjectId": "oid-1", "name": "Ans de Jong"},
        "bot": {"id": "28:bot-app", "name": "paraaf"},
        "conversation": {"id": conversation, "conversationType": "personal",
                         "tenantId": "tenant-1"},
        "channelId": "msteams", "serviceUrl": service_url, "locale": "nl-NL"})


async def _through_botbuilder(gateway: BotFrameworkGateway, ref: ConversationRef,
                              activity_id: str | None = None) -> None:
    """What the gateway did before it posted itself: a proactive turn of the SDK."""
    reference = ConversationReference().deserialize(ref.reference)

    async def callback(turn_context: TurnContext) -> None:
        activity = card_activity(CARD)
        if activity_id is None:
            await turn_context.send_activity(activity)
        else:
            activity.id = activity_id
            await turn_context.update_activity(activity)

    await gateway.adapter.continue_conversation(reference, callback, gateway.app_id)


def _without_continuation_id(seen: Seen) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    """The request with the continuation activity's id (a new uuid per turn) taken out."""
    body = dict(seen.body)
    reply_to = body.pop("replyToId")
    path = seen.path.replace(reply_to, "<reply-to>")
    return seen.method, path, seen.headers, body


async def test_a_send_is_the_request_botbuilder_makes(tmp_path: Any,
                                                      recorder: Recorder) -> None:
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    ref = _ref(recorder.url)
    try:
        await _through_botbuilder(gateway, ref)
        assert await gateway.send(ref, CARD) == "m-2"
    finally:
        await gateway.close()
    before, now = recorder.seen
    assert _without_continuation_id(now) == _without_continuation_id(before)
    assert now.method == "POST"
    assert now.path.startswith("/v3/conversations/a%3A1Xk-9_Abc%40thread.tacv2%3Bmessageid"
                               "%3D17/activities/")
    assert now.body["attachments"][0]["content"] == CARD


async def test_an_update_is_the_request_botbuilder_makes(tmp_path: Any,
                                                         recorder: Recorder) -> None:
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    ref = _ref(recorder.url)
    try:
        await _through_botbuilder(gateway, ref, activity_id="1:m 7")
        await gateway.update(ref, "1:m 7", CARD)
    finally:
        await gateway.close()
    before, now = recorder.seen
    assert _without_continuation_id(now) == _without_continuation_id(before)
    assert (now.method, now.path) == ("PUT", "/v3/conversations/a%3A1Xk-9_Abc%40thread.tacv2"
                                             "%3Bmessageid%3D17/activities/1%3Am%207")
    assert now.body["id"] == "1:m 7"


async def test_cards_go_over_one_kept_alive_connection(tmp_path: Any,
                                                       recorder: Recorder) -> None:
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    ref = _ref(recorder.url)
    try:
        for n in range(5):
            await gateway.send(ref, CARD)
            await gateway.update(ref, f"m-{n}", CARD)
    finally:
        await gateway.close()
    assert len(recorder.seen) == 10
    assert len({seen.peer for seen in recorder.seen}) == 1


async def test_a_throttled_send_says_when_to_try_again(tmp_path: Any,
                                                       recorder: Recorder) -> None:
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    recorder.answer = (429, {"error": {"code": "Throttled", "message": "Too many"}},
                       {"Retry-After": "3"})
    try:
        with pytest.raises(DeliveryError) as raised:
            await gateway.send(_ref(recorder.url), CARD)
    finally:
        await gateway.close()
    assert raised.value.retry_after == 3.0
    assert not isinstance(raised.value, NotInstalled)


async def test_a_user_teams_cannot_reach_is_not_installed(tmp_path: Any,
                                                          recorder: Recorder) -> None:
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    recorder.answer = (404, {"error": {"code": "ConversationNotFound", "message": "gone"}}, {})
    try:
        with pytest.raises(NotInstalled):
            await gateway.update(_ref(recorder.url), "m-1", CARD)
    finally:
        await gateway.close()


async def test_a_connector_that_does_not_answer_is_a_delivery_error(tmp_path: Any) -> None:
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    try:
        with pytest.raises(DeliveryError, match="no answer"):
            await gateway.send(_ref("http://127.0.0.1:9/"), CARD)
    finally:
        await gateway.close()


class CountingThreads(ThreadPoolExecutor):
    """The event loop's default executor (``asyncio.to_thread``), counting what it is given."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.jobs = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.jobs += 1
        return super().submit(fn, *args, **kwargs)


async def test_the_environment_is_read_once_per_service_url(tmp_path: Any,
                                                            recorder: Recorder) -> None:
    """Proxy and ~/.netrc are looked up once for a connector, not in a thread before every
    card (aiohttp's trust_env does that)."""
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    ref = _ref(recorder.url)
    try:
        await gateway.send(ref, CARD)
        threads = CountingThreads()
        asyncio.get_running_loop().set_default_executor(threads)
        for n in range(3):
            await gateway.send(ref, CARD)
            await gateway.update(ref, f"m-{n}", CARD)
    finally:
        await gateway.close()
    assert len(recorder.seen) == 7
    assert threads.jobs == 0


async def test_cards_go_through_the_proxy_the_environment_names(
        tmp_path: Any, recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY",
                 "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", recorder.url)  # the recorder stands in for the proxy
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    try:
        await gateway.send(_ref("http://connector.invalid/"), CARD)
    finally:
        await gateway.close()
    [seen] = recorder.seen
    assert seen.path.startswith("http://connector.invalid/v3/conversations/")


async def test_no_proxy_for_a_host_the_environment_exempts(
        tmp_path: Any, recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    try:
        assert await gateway.send(_ref(recorder.url), CARD) == "m-1"
    finally:
        await gateway.close()
