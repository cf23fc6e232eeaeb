"""The Teams gateway on botbuilder (Bot Framework SDK for Python 4.17).

This is the one module that knows botbuilder. The SDK is out of support since 2025-12-31;
its successor, the Microsoft 365 Agents SDK, keeps the same handler model, so moving means
rewriting this module only. Facts this module works around (verified on 4.17.1):

- the stock ``on_adaptive_card_invoke`` answers HTTP 500 through ``CloudAdapter``: the
  ``adaptiveCard/action`` invoke is answered here with model objects instead;
- the activity model drops ``conversation.tenantId``: the tenant is ``channelData.tenant.id``;
- a malformed ``Authorization`` header makes the SDK answer 500, and its token check fetches
  the signing keys with a blocking HTTP call without a timeout on the event loop: the server
  checks the token itself first (``bot.teams.channel_token``) and hands the adapter the verified
  identity, so the SDK's own inbound token path never runs;
- each proactive message through the SDK builds a new connector client, deep-copies the
  activity, walks every node of the card with msrest and posts it with ``requests`` in a
  thread (about 10 ms a card here): :class:`_Connector` posts sends and updates itself over
  one kept-alive aiohttp session, with the URL, headers and body the SDK would send (the
  envelope of each conversation serialized by msrest once, the token from the same
  credentials).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

import aiohttp
from aiohttp.helpers import basicauth_from_netrc, get_env_proxy_for_url, netrc_from_env
from botbuilder.core import CardFactory, MessageFactory, TurnContext, serializer_helper
from botbuilder.core.conversation_reference_extension import get_continuation_activity
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import (
    Activity,
    CallerIdConstants,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    InvokeResponse,
)
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
)
from msrest.exceptions import DeserializationError
from yarl import URL

from approvals.identity import Person
from approvals.ports import ConversationRef
from bot.settings import Settings
from bot.teams.activity_check import BadActivity
from bot.teams.gateway import (
    Card,
    DeliveryError,
    Inbound,
    InboundHandler,
    Intake,
    NotInstalled,
)
from bot.teams.outbound_tokens import WarmCredentialsFactory

log = logging.getLogger("paraaf.botframework")

CARD_TYPE = "application/vnd.microsoft.card.adaptive"


def speed_up_msrest() -> None:
    """Each turn builds msrest ``ClientRetryPolicy`` objects whose constructor scans a list
    999 times; a frozenset makes a bare invoke about 7x faster. Applied once at wiring."""
    from msrest.universal_http.requests import ClientRetryPolicy

    ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]


class _Config:
    """The configuration object botbuilder reads (APP_ID, APP_PASSWORD, APP_TYPE, ...)."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.app_tenant_id


def _tenant(activity: Activity) -> str:
    data: dict[str, Any] = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    return str(tenant.get("id") or "") if isinstance(tenant, dict) else ""


def conversation_ref(activity: Activity) -> ConversationRef | None:
    """The activity's conversation as our port's reference."""
    user = activity.from_property
    if user is None or not user.aad_object_id or activity.conversation is None:
        return None
    reference = TurnContext.get_conversation_reference(activity)
    data: dict[str, Any] = reference.serialize()
    data["locale"] = activity.locale or ""
    return ConversationRef(user.aad_object_id, _tenant(activity), activity.conversation.id, data)


def to_inbound(activity: Activity, kind: str) -> Inbound:
    """Reduce an activity to what the bot's logic reads."""
    user = activity.from_property
    value: dict[str, Any] = activity.value if isinstance(activity.value, dict) else {}
    found = value.get("action")
    action: dict[str, Any] = found if isinstance(found, dict) else {}
    data = action.get("data") if kind == "invoke" else value
    conversation_type = activity.conversation.conversation_type if activity.conversation else ""
    return Inbound(
        kind=kind,
        user_oid=(user.aad_object_id or "") if user else "",
        tenant=_tenant(activity),
        locale=activity.locale or "",
        conversation=conversation_ref(activity),
        text=activity.text or "",
        verb=str(action.get("verb") or "")[:64],
        data=data if isinstance(data, dict) else {},
        reply_to_id=activity.reply_to_id or "",
        is_personal=conversation_type in (None, "", "personal"),
    )


def card_activity(card: Card) -> Activity:
    return MessageFactory.attachment(CardFactory.adaptive_card(card))


class _Reply:
    """Sending within a turn."""

    def __init__(self, turn_context: TurnContext) -> None:
        self._turn = turn_context

    async def send_card(self, card: Card) -> str:
        try:
            response = await self._turn.send_activity(card_activity(card))
        except Exception as error:  # the channel's service could not be reached or refused
            raise _delivery_error(error) from error
        return str(response.id) if response is not None and response.id else ""


class ParaafHandler(TeamsActivityHandler):
    """Translates Teams activities to ``Inbound`` and hands them to the bot's logic."""

    def __init__(self, logic: InboundHandler) -> None:
        self._logic = logic

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        inbound = to_inbound(turn_context.activity, "message")
        await self._logic(inbound, _Reply(turn_context))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        # Teams also sends conversationUpdate (bot added), which greets: this one only
        # records where to reach the user
        await self._logic(to_inbound(turn_context.activity, "installed"), _Reply(turn_context))

    async def on_members_added_activity(self, members_added: list[ChannelAccount],
                                        turn_context: TurnContext) -> None:
        recipient = turn_context.activity.recipient
        if any(m.id == recipient.id for m in members_added if recipient is not None):
            await self._logic(to_inbound(turn_context.activity, "install"),
                              _Reply(turn_context))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            # paraaf offers no message extensions, task modules, tabs or sign-in: the SDK
            # would answer 501, or 500 on a value it cannot read
            return InvokeResponse(status=400, body={"error": "paraaf does not handle this invoke"})
        card = await self._logic(to_inbound(turn_context.activity, "invoke"),
                                 _Reply(turn_context))
        # the AdaptiveCardInvokeResponse as JSON already: msrest would walk every node of
        # the card (a card with document comments: ~1.5 ms per answer) to produce the same
        body = {"statusCode": 200, "type": CARD_TYPE, "value": card}
        return InvokeResponse(status=200, body=body)


class ConnectorRefused(Exception):
    """The connector answered a send or an update with an error status."""

    def __init__(self, status: int, retry_after: str | None, code: str) -> None:
        super().__init__(f"the connector answered {status} {code}".strip())
        self.status = status
        self.retry_after = retry_after
        self.code = code


def _status(error: Exception) -> tuple[int, float | None]:
    if isinstance(error, ConnectorRefused):
        status, retry = error.status, error.retry_after
        try:
            return status, float(retry) if retry is not None else None
        except ValueError:
            return status, None
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None) or 0
    headers = getattr(response, "headers", None) or {}
    retry = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        retry_after = float(retry) if retry is not None else None
    except ValueError:
        retry_after = None
    return int(status), retry_after


# Error codes with which Teams says that this user cannot be reached (app removed, chat
# blocked, unknown user); the Agents Playground answers UserNotFound for anyone outside its
# configured users.
UNREACHABLE_CODES = frozenset({"UserNotFound", "ConversationNotFound",
                               "ConversationBlockedByUser", "BotNotInConversationRoster",
                               "BotDisabledByAdmin"})


def _error_code(error: Exception) -> str:
    if isinstance(error, ConnectorRefused):
        return error.code
    body = getattr(getattr(error, "error", None), "error", None)
    return str(getattr(body, "code", "") or "")


def _delivery_error(error: Exception, opening: bool = False) -> DeliveryError:
    status, retry_after = _status(error)
    code = _error_code(error)
    if (opening and status in (403, 404)) or code in UNREACHABLE_CODES:
        return NotInstalled(f"Teams cannot reach this user ({status} {code})".strip())
    if status == 429:
        return DeliveryError("throttled by Teams (429)", retry_after or 2.0)
    return DeliveryError(f"{type(error).__name__} ({status or 'no answer'})", retry_after)


ACTIVITY_PATH = "/v3/conversations/{conversationId}/activities/{activityId}"
"""The connector's reply-to-activity (POST) and update-activity (PUT) operations: a proactive
send through the SDK replies to its continuation activity's new id, as botbuilder's does."""


class _Envelope:
    """What a send or an update to one conversation carries besides the card: the activity
    botbuilder would build around it, serialized by msrest once (per conversation reference)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        reference = ConversationReference().deserialize(data)
        self.service_url: str = reference.service_url or ""
        self.conversation_id: str = reference.conversation.id if reference.conversation else ""
        # the turn botbuilder runs for a proactive message: a continuation activity
        turn = TurnContext.get_conversation_reference(get_continuation_activity(reference))
        # TurnContext.send_activities: the reference applied, then the validator's defaults
        sent = TurnContext.apply_conversation_reference(card_activity({}), turn)
        sent.type = sent.type or "message"
        sent.input_hint = sent.input_hint or "acceptingInput"
        sent.id = None
        self.send: dict[str, Any] = sent.serialize()
        # TurnContext.update_activity: the reference applied to the activity with its id
        updated = card_activity({})
        updated.id = "-"
        self.update: dict[str, Any] = TurnContext.apply_conversation_reference(
            updated, turn).serialize()

    def body(self, template: dict[str, Any], card: Card, reply_to: str,
             activity_id: str | None = None) -> dict[str, Any]:
        body = dict(template)  # the keys keep msrest's order
        body["attachments"] = [{"contentType": CARD_TYPE, "content": card}]
        if "replyToId" in body:
            body["replyToId"] = reply_to
        if activity_id is not None:
            body["id"] = activity_id
        return body


@dataclass(frozen=True)
class _Route:
    """How requests to one service URL go, as the environment says (what aiohttp's
    ``trust_env`` reads before every request: a proxy from ``HTTPS_PROXY``/``NO_PROXY``,
    credentials from ``~/.netrc``), read once per service URL, in a thread."""

    proxy: URL | None = None
    proxy_auth: aiohttp.BasicAuth | None = None
    auth: aiohttp.BasicAuth | None = None  # from ~/.netrc, for a host it names


def _route_from_env(url: URL) -> _Route:
    proxy, proxy_auth, auth = None, None, None
    with contextlib.suppress(LookupError):
        proxy, proxy_auth = get_env_proxy_for_url(url)
    if url.host is not None:
        with contextlib.suppress(LookupError):
            auth = basicauth_from_netrc(netrc_from_env(), url.host)
    return _Route(proxy, proxy_auth, auth)


class _Connector:
    """Proactive sends and updates posted over one kept-alive aiohttp session.

    The same requests the connector client of botbuilder makes (URL, ``Accept``,
    ``Content-Type``, ``x-ms-conversation-id``, ``User-Agent``, ``Authorization`` with the
    token of the same credentials, kept warm by :class:`WarmCredentialsFactory`) and the same
    body, without a new client, a deep copy and an msrest walk of the card per message."""

    def __init__(self, adapter: CloudAdapter, auth: Any, app_id: str,
                 timeout: float = 60.0) -> None:
        self._factory = auth.create_connector_factory(adapter.create_claims_identity(app_id))
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        self._envelopes: dict[str, _Envelope] = {}  # conversation id -> its envelope
        self._agents: dict[str, str] = {}  # service URL -> the connector client's User-Agent
        self._routes: dict[str, _Route] = {}  # service URL -> its proxy and credentials

    def _envelope(self, ref: ConversationRef) -> _Envelope:
        envelope = self._envelopes.get(ref.conversation_id)
        if envelope is None or envelope.data != ref.reference:
            envelope = _Envelope(dict(ref.reference))
            if len(self._envelopes) >= 10_000:  # a bound, not a policy: start over
                self._envelopes.clear()
            self._envelopes[ref.conversation_id] = envelope
        return envelope

    async def _headers(self, service_url: str) -> dict[str, str]:
        factory = self._factory
        agent = self._agents.get(service_url)
        if agent is None:  # one connector client per service URL, for its User-Agent
            client = await factory.create(service_url)
            agent = self._agents[service_url] = str(client.config.user_agent)
        # _ConnectorFactoryImpl.create's first step: the credentials (cached, token warmed)
        credentials = await factory._credential_factory.create_credentials(
            factory._app_id, factory._to_channel_from_bot_oauth_scope,
            factory._login_endpoint, factory._validate_authority)
        headers = {"Accept": "application/json",
                   "Content-Type": "application/json; charset=utf-8", "User-Agent": agent}
        app = getattr(credentials, "microsoft_app_id", None)
        if app and app != AuthenticationConstants.ANONYMOUS_SKILL_APP_ID:
            headers["Authorization"] = f"Bearer {credentials.get_access_token()}"
        return headers

    def _session_now(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # proxies from the environment, as requests honours them: read once per service
            # URL (_route), not by aiohttp in two threads before every message (trust_env)
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout, sock_connect=10))
        return self._session

    async def _route(self, service_url: str, url: URL) -> _Route:
        route = self._routes.get(service_url)
        if route is None:
            route = self._routes[service_url] = await asyncio.to_thread(_route_from_env, url)
        return route

    @staticmethod
    def _url(service_url: str, conversation_id: str, activity_id: str) -> URL:
        path = ACTIVITY_PATH.format(conversationId=quote(conversation_id, safe=""),
                                activityId=quote(activity_id, safe=""))
        return URL(urljoin(service_url.rstrip("/") + "/", path.lstrip("/")), encoded=True)

    async def _request(self, method: str, service_url: str, url: URL,
                       headers: dict[str, str], body: dict[str, Any]) -> str:
        payload = json.dumps(body).encode("utf-8")
        route = await self._route(service_url, url)
        async with self._session_now().request(
                method, url, data=payload, headers=headers, proxy=route.proxy,
                proxy_auth=route.proxy_auth, auth=route.auth) as response:
            if response.status not in (200, 201, 202):
                code = ""
                try:
                    answer = await response.json(content_type=None)
                    code = str(answer["error"]["code"])
                except (ValueError, KeyError, TypeError, aiohttp.ClientError):
                    pass
                raise ConnectorRefused(response.status, response.headers.get("Retry-After"),
                                       code)
            try:
                answer = await response.json(content_type=None)
            except ValueError:
                return ""
            found = answer.get("id") if isinstance(answer, dict) else None
            return str(found) if found else ""

    async def send(self, ref: ConversationRef, card: Card) -> str:
        envelope = self._envelope(ref)
        reply_to = str(uuid.uuid1())  # the continuation activity's id, as botbuilder makes it
        headers = await self._headers(envelope.service_url)
        headers["x-ms-conversation-id"] = envelope.conversation_id
        url = self._url(envelope.service_url, envelope.conversation_id, reply_to)
        return await self._request("POST", envelope.service_url, url, headers,
                                   envelope.body(envelope.send, card, reply_to))

    async def update(self, ref: ConversationRef, activity_id: str, card: Card) -> None:
        envelope = self._envelope(ref)
        reply_to = str(uuid.uuid1())
        headers = await self._headers(envelope.service_url)
        url = self._url(envelope.service_url, envelope.conversation_id, activity_id)
        await self._request("PUT", envelope.service_url, url, headers,
                            envelope.body(envelope.update, card, reply_to, activity_id))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class BotFrameworkGateway:
    """``TeamsGateway`` and the inbound endpoint on botbuilder's ``CloudAdapter``."""

    def __init__(self, settings: Settings) -> None:
        speed_up_msrest()
        self.app_id = settings.app_id
        factory: Any = ConfigurationServiceClientCredentialFactory(_Config(settings))
        if settings.app_cert_thumbprint:
            from botframework.connector.auth import CertificateServiceClientCredentialsFactory

            with open(settings.app_cert_key_file, encoding="utf-8") as key:
                factory = CertificateServiceClientCredentialsFactory(
                    settings.app_cert_thumbprint, key.read(), settings.app_id,
                    settings.app_tenant_id or None,
                )
        self.tokens = WarmCredentialsFactory(factory)  # tokens fetched off the event loop
        self.auth = ConfigurationBotFrameworkAuthentication(_Config(settings),
                                                            credentials_factory=self.tokens)
        self.adapter = CloudAdapter(self.auth)
        self.connector = _Connector(self.adapter, self.auth, self.app_id)

    def _authenticated(self, claims: dict[str, Any] | None) -> AuthenticateRequestResult:
        """What the adapter's own token check would return, for claims already verified by
        ``bot.teams.channel_token`` (None: local mode, where authentication is off)."""
        result = AuthenticateRequestResult()
        if claims is None:
            result.claims_identity = ClaimsIdentity(
                {}, True, AuthenticationConstants.ANONYMOUS_AUTH_TYPE)
            result.caller_id = None
        else:
            result.claims_identity = ClaimsIdentity(claims, True)
            result.caller_id = CallerIdConstants.public_azure_channel
        result.audience = self.auth.get_originating_audience()
        result.connector_factory = self.auth.create_connector_factory(result.claims_identity)
        return result

    def intake(self, handler: ParaafHandler) -> Intake:
        """Activities through this gateway to ``handler`` (the bot's logic in the SDK)."""

        async def run(claims: dict[str, Any] | None, body: dict[str, Any]) -> tuple[int, Any]:
            return await self.process_activity(claims, body, handler)

        return run

    async def process_activity(self, claims: dict[str, Any] | None, body: dict[str, Any],
                               handler: ParaafHandler) -> tuple[int, Any]:
        """Run one inbound activity whose sender is verified (``claims``; None in local
        mode); returns (HTTP status, invoke response body or None)."""
        try:
            activity = Activity().deserialize(body)
        except (DeserializationError, ValueError, TypeError, AttributeError) as error:
            raise BadActivity(f"the activity cannot be read ({type(error).__name__})") from None
        response = await self.adapter.process_activity(self._authenticated(claims), activity,
                                                       handler.on_turn)
        if response is None:
            return 201, None
        body = response.body
        return int(response.status), body if isinstance(body, dict) else serializer_helper(body)

    async def _continue(self, ref: ConversationRef, callback: Any) -> None:
        reference = ConversationReference().deserialize(ref.reference)
        await self.adapter.continue_conversation(reference, callback, self.app_id)

    async def send(self, ref: ConversationRef, card: Card) -> str:
        try:
            return await self.connector.send(ref, card)
        except Exception as error:
            raise _delivery_error(error) from error

    async def update(self, ref: ConversationRef, activity_id: str, card: Card) -> None:
        try:
            await self.connector.update(ref, activity_id, card)
        except Exception as error:
            raise _delivery_error(error) from error

    async def close(self) -> None:
        """Close the kept-alive connection to the connector."""
        await self.connector.close()

    async def open_chat(self, user: Person, template: ConversationRef | None) -> ConversationRef:
        if template is None:
            raise NotInstalled("no service URL is known for this tenant yet")
        reference = ConversationReference().deserialize(template.reference)
        tenant = user.tenant or template.tenant
        parameters = ConversationParameters(
            is_group=False, bot=reference.bot, members=[ChannelAccount(id=user.oid)],
            tenant_id=tenant, channel_data={"tenant": {"id": tenant}},
        )
        opened: list[ConversationRef] = []

        async def callback(turn_context: TurnContext) -> None:
            activity = turn_context.activity
            data: dict[str, Any] = TurnContext.get_conversation_reference(activity).serialize()
            data["user"] = {"id": user.oid, "aadObjectId": user.oid, "name": user.name}
            data["locale"] = template.reference.get("locale", "")
            opened.append(ConversationRef(user.oid, tenant, activity.conversation.id, data))

        try:
            await self.adapter.create_conversation(
                self.app_id, callback, parameters, channel_id=reference.channel_id,
                service_url=reference.service_url,
            )
        except Exception as error:
            raise _delivery_error(error, opening=True) from error
        if not opened:
            raise NotInstalled("Teams opened no chat")
        return opened[0]


