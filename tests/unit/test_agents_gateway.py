"""The Agents SDK gateway beside the botbuilder one: the setting that chooses, the same
reading of an activity, interchangeable stored references, and sending tokens that cannot
stall the server."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from botbuilder.schema import Activity as BotbuilderActivity
from microsoft_agents.activity import Activity as AgentsActivity
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core import AuthTypes

from bot.settings import Settings, SettingsError
from bot.teams import agents_gateway, botframework
from bot.teams.agents_gateway import TimedTokens, TokenUnavailable, auth_configuration

TENANT = "6f1b2c3d-0000-4000-8000-000000000001"
OID = "0a1b2c3d-0000-4000-8000-000000000002"


def _activity(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "invoke", "id": "activity-1", "channelId": "msteams",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "from": {"id": "29:user", "name": "A. de Vries", "aadObjectId": OID},
        "recipient": {"id": "28:paraaf", "name": "paraaf"},
        "conversation": {"id": "a:personal", "conversationType": "personal",
                         "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "nl-NL", "replyToId": "card-1", "name": "adaptiveCard/action",
        "value": {"action": {"type": "Action.Execute", "verb": "approve",
                             "data": {"dossier_id": "D-1", "comment": ""}}},
    }
    body.update(extra)
    return body


def _without_tenant_id(reference: dict[str, Any]) -> dict[str, Any]:
    conversation = {k: v for k, v in reference["conversation"].items() if k != "tenantId"}
    return {**reference, "conversation": conversation}


def test_the_setting_chooses_the_sdk_and_refuses_others() -> None:
    assert Settings.from_env({}).bot_sdk == "botbuilder"
    assert Settings.from_env({"PARAAF_BOT_SDK": " Agents "}).bot_sdk == "agents"
    with pytest.raises(SettingsError, match="PARAAF_BOT_SDK must be one of botbuilder, agents"):
        Settings.from_env({"PARAAF_BOT_SDK": "teams-ai"})


@pytest.mark.parametrize("kind", ["invoke", "message"])
def test_both_sdks_read_an_activity_alike(kind: str) -> None:
    body = _activity() if kind == "invoke" else _activity(
        type="message", text="start", value={"x": "y"}, name=None)
    body = {k: v for k, v in body.items() if v is not None}
    on_botbuilder = botframework.to_inbound(BotbuilderActivity().deserialize(body), kind)
    on_agents = agents_gateway.to_inbound(AgentsActivity.model_validate(body), kind)
    assert on_agents.conversation is not None and on_botbuilder.conversation is not None
    assert _without_tenant_id(on_agents.conversation.reference) == \
        on_botbuilder.conversation.reference
    assert replace(on_agents, conversation=None) == replace(on_botbuilder, conversation=None)
    assert on_agents.tenant == TENANT and on_agents.user_oid == OID
    assert on_agents.conversation is not None


def test_a_reference_stored_by_one_sdk_is_read_by_the_other() -> None:
    body = _activity()
    from_botbuilder = botframework.conversation_ref(BotbuilderActivity().deserialize(body))
    from_agents = agents_gateway.conversation_ref(AgentsActivity.model_validate(body))
    assert from_botbuilder is not None and from_agents is not None
    # the same shape; botbuilder drops conversation.tenantId, the Agents SDK keeps it
    conversation = from_agents.reference["conversation"]
    assert isinstance(conversation, dict) and conversation["tenantId"] == TENANT
    assert _without_tenant_id(from_agents.reference) == from_botbuilder.reference
    from botbuilder.schema import ConversationReference as BotbuilderReference
    from microsoft_agents.activity import ConversationReference as AgentsReference

    agents_reading = AgentsReference.model_validate(from_botbuilder.reference)
    assert agents_reading.service_url == body["serviceUrl"]
    assert agents_reading.agent is not None and agents_reading.agent.id == "28:paraaf"
    botbuilder_reading = BotbuilderReference().deserialize(from_agents.reference)
    assert botbuilder_reading.conversation.id == "a:personal"


def test_empty_fields_are_read_as_absent_but_card_inputs_are_kept() -> None:
    body = _activity(name="", text="")
    body["from"]["name"] = ""
    kept = agents_gateway._blank_fields_dropped(body)
    activity = AgentsActivity.model_validate(kept)  # the raw body would not validate
    assert activity.name is None
    assert activity.value["action"]["data"]["comment"] == ""


@pytest.mark.parametrize(("env", "auth_type", "tenant"), [
    ({"PARAAF_APP_PASSWORD": "s"}, AuthTypes.client_secret, "botframework.com"),
    ({"PARAAF_APP_PASSWORD": "s", "PARAAF_APP_TYPE": "singletenant",
      "PARAAF_APP_TENANT_ID": TENANT}, AuthTypes.client_secret, TENANT),
    ({"PARAAF_APP_TYPE": "userassignedmsi", "PARAAF_APP_TENANT_ID": TENANT},
     AuthTypes.user_managed_identity, TENANT),
    ({"PARAAF_APP_CERT_THUMBPRINT": "AB12", "PARAAF_APP_CERT_KEY_FILE": "k.pem"},
     AuthTypes.certificate, "botframework.com"),
])
def test_the_app_registration_becomes_the_sdk_settings(env: dict[str, str],
                                                      auth_type: AuthTypes,
                                                      tenant: str | None) -> None:
    settings = Settings.from_env({"PARAAF_MODE": "production", "PARAAF_APP_ID": "app-1", **env})
    configuration = auth_configuration(settings)
    assert auth_type == configuration.AUTH_TYPE
    assert configuration.CLIENT_ID == "app-1"
    assert tenant == configuration.TENANT_ID
    # where MSAL asks for the sending token
    assert MsalAuth._resolve_authority(configuration) == \
        f"https://login.microsoftonline.com/{tenant}"
    assert configuration.ANONYMOUS_ALLOWED is False
    assert auth_configuration(Settings.from_env({})).ANONYMOUS_ALLOWED is True


def test_a_certificate_is_handed_to_msal_as_thumbprint_and_key(tmp_path: Any) -> None:
    key = tmp_path / "bot.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n")
    settings = Settings.from_env({"PARAAF_MODE": "production", "PARAAF_APP_ID": "app-1",
                                  "PARAAF_APP_CERT_THUMBPRINT": "AB12",
                                  "PARAAF_APP_CERT_KEY_FILE": str(key)})
    gateway = agents_gateway.AgentsGateway(settings)
    inner = gateway.tokens.inner
    assert isinstance(inner, agents_gateway._CertificateAuth)
    assert (inner._thumbprint, inner._key_file) == ("AB12", str(key))


class SilentProvider:
    """A token provider whose service never answers (or answers ``token``)."""

    configuration: Any = None

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self.calls = 0

    async def get_access_token(self, resource_url: str, scopes: list[str],
                               force_refresh: bool = False) -> str:
        self.calls += 1
        if self.token is None:
            await asyncio.sleep(3600)
        return self.token or ""


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_silent_token_service_costs_one_wait_then_fails_at_once() -> None:
    clock = Clock()
    provider = SilentProvider()
    tokens = TimedTokens(provider, timeout=0.2, failure_ttl=30, clock=clock)
    loop = asyncio.get_running_loop()
    started = loop.time()
    results = await asyncio.gather(
        *(tokens.get_access_token("https://api.botframework.com", ["s"]) for _ in range(5)),
        return_exceptions=True)
    assert all(isinstance(r, TokenUnavailable) for r in results)
    assert provider.calls == 1  # the callers shared one fetch
    assert loop.time() - started < 5  # one wait of the time limit, not one per caller
    with pytest.raises(TokenUnavailable, match=r"did not answer within 0\.2 s"):
        await tokens.get_access_token("https://api.botframework.com", ["s"])
    assert provider.calls == 1  # remembered: no second fetch, so no second wait
    clock.now = 31
    provider.token = "t"
    assert await tokens.get_access_token("https://api.botframework.com", ["s"]) == "t"


class Recorder:
    """A connector on 127.0.0.1 that keeps the Authorization header of each card."""

    def __init__(self) -> None:
        self.headers: list[str] = []
        self.runner: Any = None
        self.url = ""

    async def __aenter__(self) -> Recorder:
        from aiohttp import web

        async def post(request: web.Request) -> web.Response:
            self.headers.append(request.headers.get("Authorization", ""))
            return web.json_response({"id": f"m-{len(self.headers)}"})

        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", post)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *_: Any) -> None:
        await self.runner.cleanup()


def _production_gateway(provider: SilentProvider) -> agents_gateway.AgentsGateway:
    settings = Settings.from_env({"PARAAF_MODE": "production", "PARAAF_APP_ID": "app-1",
                                  "PARAAF_APP_PASSWORD": "s"})
    gateway = agents_gateway.AgentsGateway(settings, token_timeout=0.3)
    gateway.tokens.inner = provider
    return gateway


async def test_cards_are_sent_with_the_bots_token() -> None:
    from bot.teams.gateway import Card

    gateway = _production_gateway(SilentProvider("token-1"))
    async with Recorder() as connector:
        body = _activity(serviceUrl=connector.url)
        ref = agents_gateway.conversation_ref(AgentsActivity.model_validate(body))
        assert ref is not None
        card: Card = {"type": "AdaptiveCard", "version": "1.5", "body": []}
        try:
            assert await gateway.send(ref, card) == "m-1"
            await gateway.update(ref, "m-1", card)
        finally:
            await gateway.close()
    assert connector.headers == ["Bearer token-1", "Bearer token-1"]


async def test_a_silent_token_service_fails_a_send_but_not_an_invoke() -> None:
    from bot.teams.gateway import Card, DeliveryError, Inbound, TurnReply

    gateway = _production_gateway(SilentProvider())
    card: Card = {"type": "AdaptiveCard", "version": "1.5", "body": []}

    async def logic(inbound: Inbound, reply: TurnReply) -> Card | None:
        return card

    async with Recorder() as connector:
        body = _activity(serviceUrl=connector.url)
        claims = {"aud": "app-1", "iss": "https://api.botframework.com",
                  "serviceurl": connector.url}
        loop = asyncio.get_running_loop()
        started = loop.time()
        status, payload = await gateway.process_activity(
            claims, body, agents_gateway.AgentsHandler(logic))
        assert (status, payload["statusCode"], payload["value"]) == (200, 200, card)
        assert loop.time() - started < 2
        event = {**body, "type": "event", "name": "application/vnd.microsoft.meetingStart"}
        event.pop("value")
        assert await gateway.process_activity(
            claims, event, agents_gateway.AgentsHandler(logic)) == (201, None)
        ref = agents_gateway.conversation_ref(AgentsActivity.model_validate(body))
        assert ref is not None
        with pytest.raises(DeliveryError, match="token"):
            await gateway.send(ref, card)
        assert loop.time() - started < 2  # the failure was remembered: no second wait
    assert connector.headers == []


async def test_proactive_cards_go_over_one_kept_alive_client_with_the_token_of_the_moment(
) -> None:
    """Sends and updates reuse one connector client (one connection) per service URL; a new
    token makes a new client; closing the gateway closes them."""
    from aiohttp import web

    from bot.teams.gateway import Card

    peers: list[Any] = []
    headers: list[str] = []

    async def post(request: web.Request) -> web.Response:
        transport = request.transport
        peers.append(transport.get_extra_info("peername") if transport else None)
        headers.append(request.headers.get("Authorization", ""))
        return web.json_response({"id": f"m-{len(peers)}"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", post)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # type: ignore[union-attr]
    provider = SilentProvider("token-1")
    gateway = _production_gateway(provider)
    card: Card = {"type": "AdaptiveCard", "version": "1.5", "body": []}
    try:
        ref = agents_gateway.conversation_ref(
            AgentsActivity.model_validate(_activity(serviceUrl=url)))
        assert ref is not None
        for n in range(3):
            await gateway.send(ref, card)
            await gateway.update(ref, f"m-{n}", card)
        provider.token = "token-2"
        await gateway.send(ref, card)
        kept = list(gateway._clients._kept.values())
    finally:
        await gateway.close()
        await runner.cleanup()
    assert len(peers) == 7 and len(set(peers[:6])) == 1
    assert headers == ["Bearer token-1"] * 6 + ["Bearer token-2"]
    assert kept and all(k.client.client.closed for k in kept)
