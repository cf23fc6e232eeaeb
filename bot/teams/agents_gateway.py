"""The Teams gateway on the Microsoft 365 Agents SDK (``microsoft-agents-hosting-aiohttp`` 1.9).

This is the one module that knows the Agents SDK, botbuilder's successor;
``bot/teams/botframework.py`` is the same port on botbuilder. ``PARAAF_BOT_SDK`` chooses
between them (``bot.teams.server``). The behaviour is the same on both: the same ``Inbound``
(tenant from ``channelData.tenant.id``), the same invoke answer, the same stored
conversation references (both SDKs write the Bot Framework's camelCase shape), the same
``DeliveryError`` for 403/404/429.

Inbound tokens: the issue asked for the SDK's own JWT middleware
(``jwt_authorization_middleware``). Measured against the front-door guarantees on 1.9.0 it
does not meet them, so the server keeps checking the channel token itself
(``bot.teams.channel_token``) before the body is read, for both SDKs, and hands this module the
verified claims:

- its key URL is fixed by the token's issuer (``login.botframework.com``), not configurable,
  so it cannot be pointed at another OpenID document, and a failed key fetch is not remembered;
- it fetches the keys through ``PyJWKClient`` in the default thread pool with a 30 s timeout
  while holding a lock: the loop stays free, but every request waits behind a silent key
  server for up to 30 s each (a stall, where the front door answers 503 at once);
- ``validate_token`` reads the unverified header's ``kid`` with ``header["kid"]``: a
  well-formed token without ``kid`` raises ``KeyError``, which it does not catch (500).

Anonymous access exists only in local mode (``claims`` None here; the server allows it only
for loopback service URLs). Outbound tokens come from the SDK's own MSAL connection
(``microsoft-agents-authentication-msal``): client secret (single- or multi-tenant), a
user-assigned managed identity, or a certificate (thumbprint and PEM key, as for
botbuilder); each fetch runs off the loop, within a time limit, and a failure is
remembered for a while, so a silent token service costs a send, not the server.
``microsoft-agents-hosting-teams`` is not used: paraaf needs none of its Teams extras, and
its 1.x releases need Python 3.12.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiohttp import ClientResponseError
from microsoft_agents.activity import (
    Activity,
    ActivityEventNames,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    InvokeResponse,
)
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    ActivityHandler,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    AuthTypes,
    CardFactory,
    ClaimsIdentity,
    ConnectionManager,
    MessageFactory,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthenticationConstants
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient
from pydantic import ValidationError

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

log = logging.getLogger("paraaf.agents")

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
BOT_FRAMEWORK = AuthenticationConstants.AGENTS_SDK_SCOPE  # https://api.botframework.com
# Error codes with which Teams says that this user cannot be reached (as bot/teams/botframework.py).
UNREACHABLE_CODES = frozenset({"UserNotFound", "ConversationNotFound",
                               "ConversationBlockedByUser", "BotNotInConversationRoster",
                               "BotDisabledByAdmin"})


class TokenUnavailable(Exception):
    """No token for sending could be had in time; the message says why (no secrets)."""


# ---------------------------------------------------------------- activities


def _tenant(activity: Activity) -> str:
    data: Any = activity.channel_data
    if not isinstance(data, dict):  # the SDK may keep it as a model
        dump = getattr(data, "model_dump", None)
        data = dump(by_alias=True) if callable(dump) else {}
    tenant = data.get("tenant") if isinstance(data, dict) else None
    return str(tenant.get("id") or "") if isinstance(tenant, dict) else ""


def _reference_data(reference: ConversationReference) -> dict[str, Any]:
    """A reference as the Bot Framework's JSON (the shape botbuilder stores too)."""
    data: dict[str, Any] = reference.model_dump(by_alias=True, exclude_none=True, mode="json")
    return data


def conversation_ref(activity: Activity) -> ConversationRef | None:
    """The activity's conversation as our port's reference."""
    user = activity.from_property
    if user is None or not user.aad_object_id or activity.conversation is None:
        return None
    data = _reference_data(activity.get_conversation_reference())
    data.pop("requestId", None)
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


_ACCOUNTS = ("from", "recipient", "conversation", "membersAdded", "membersRemoved")


def _blank_fields_dropped(body: dict[str, Any]) -> dict[str, Any]:
    """The activity without empty strings in its own fields and accounts: the SDK's model
    refuses ``""`` where botbuilder reads it as absent (e.g. an invoke named ``""``, which
    must be answered 400 like any invoke paraaf does not offer). ``value`` and
    ``channelData`` are kept as sent (a card's inputs may be empty)."""

    def account(item: Any) -> Any:
        return {k: v for k, v in item.items() if v != ""} if isinstance(item, dict) else item

    kept: dict[str, Any] = {}
    for key, item in body.items():
        if item == "":
            continue
        if key in _ACCOUNTS:
            item = [account(a) for a in item] if isinstance(item, list) else account(item)
        kept[key] = item
    return kept


def _first_field(error: ValidationError) -> str:
    """The field a refused activity has wrong, for the 400 answer (no values echoed)."""
    errors = error.errors(include_url=False, include_input=False)
    where = ".".join(str(part) for part in errors[0]["loc"]) if errors else ""
    return where[:80] or "ValidationError"


# The SDK's activity model logs every activity it refuses at ERROR with a traceback; paraaf
# answers 400 and logs one line itself (bot.teams.server), so a hostile body cannot fill the log.
logging.getLogger("microsoft_agents.activity.activity").setLevel(logging.CRITICAL)


def card_activity(card: Card) -> Activity:
    activity: Activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    return activity


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


class AgentsHandler(ActivityHandler):
    """Translates Teams activities to ``Inbound`` and hands them to the bot's logic."""

    def __init__(self, logic: InboundHandler) -> None:
        self._logic = logic

    async def on_message_activity(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        await self._logic(to_inbound(turn_context.activity, "message"), _Reply(turn_context))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        # Teams also sends conversationUpdate (bot added), which greets: this one only
        # records where to reach the user
        await self._logic(to_inbound(turn_context.activity, "installed"), _Reply(turn_context))

    async def on_members_added_activity(  # type: ignore[override]
            self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        recipient = turn_context.activity.recipient
        if recipient is not None and any(m.id == recipient.id for m in members_added):
            await self._logic(to_inbound(turn_context.activity, "install"),
                              _Reply(turn_context))

    async def on_invoke_activity(  # type: ignore[override]
            self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            # paraaf offers no message extensions, task modules, tabs or sign-in
            return InvokeResponse(status=400, body={"error": "paraaf does not handle this invoke"})
        card = await self._logic(to_inbound(turn_context.activity, "invoke"),
                                 _Reply(turn_context))
        body = {"statusCode": 200, "type": CARD_TYPE, "value": card}
        return InvokeResponse(status=200, body=body)


# ---------------------------------------------------------------- outbound tokens


class _CertificateAuth(MsalAuth):
    """MSAL with a certificate given as thumbprint and PEM key (the SDK takes a PFX file)."""

    def __init__(self, configuration: AgentAuthConfiguration, thumbprint: str,
                 key_file: str) -> None:
        super().__init__(configuration)
        self._thumbprint = thumbprint
        self._key_file = key_file

    def _create_client_application(self, tenant_id: str | None = None) -> Any:
        from msal import ConfidentialClientApplication

        with open(self._key_file, encoding="utf-8") as key:
            credential = {"thumbprint": self._thumbprint, "private_key": key.read()}
        return ConfidentialClientApplication(
            client_id=self._msal_configuration.CLIENT_ID,
            authority=MsalAuth._resolve_authority(self._msal_configuration, tenant_id),
            client_credential=credential,
        )


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """The SDK's settings for the bot's app registration, from paraaf's."""
    if settings.app_type == "userassignedmsi":
        auth_type = AuthTypes.user_managed_identity
    elif settings.app_cert_thumbprint:
        auth_type = AuthTypes.certificate
    else:
        auth_type = AuthTypes.client_secret
    # a multi-tenant bot gets its tokens from the Bot Framework's own tenant (as on botbuilder)
    tenant = (settings.app_tenant_id if settings.app_type != "multitenant"
              else "botframework.com")
    return AgentAuthConfiguration(
        auth_type=auth_type, client_id=settings.app_id or None,
        tenant_id=tenant or None,
        client_secret=settings.app_password or None,
        # the key (PEM) that _CertificateAuth hands MSAL with the thumbprint
        cert_pfx_file=settings.app_cert_key_file or None,
        anonymous_allowed=settings.mode == "local",
    )


class TimedTokens:
    """The SDK's token provider for sending, each fetch within ``timeout`` seconds (MSAL runs
    in a thread, never on the loop), a failure remembered for ``failure_ttl`` seconds
    (callers get :class:`TokenUnavailable` at once meanwhile), one fetch shared by callers."""

    def __init__(self, inner: Any, timeout: float = 5.0, failure_ttl: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.inner = inner
        self.timeout = timeout
        self.failure_ttl = failure_ttl
        self._clock = clock
        self._failed: dict[tuple[str, tuple[str, ...]], tuple[float, str]] = {}
        self._fetching: dict[tuple[str, tuple[str, ...]], asyncio.Task[str]] = {}

    @property
    def configuration(self) -> AgentAuthConfiguration:
        configuration: AgentAuthConfiguration = self.inner.configuration
        return configuration

    def __getattr__(self, name: str) -> Any:  # the rest of the provider protocol
        return getattr(self.inner, name)

    async def get_access_token(self, resource_url: str, scopes: list[str],
                               force_refresh: bool = False) -> str:
        key = (resource_url, tuple(scopes or ()))
        failed = self._failed.get(key)
        if failed is not None and failed[0] > self._clock():
            raise TokenUnavailable(failed[1])
        fetch = self._fetching.get(key)
        if fetch is None:
            fetch = asyncio.ensure_future(
                self.inner.get_access_token(resource_url, scopes, force_refresh))
            self._fetching[key] = fetch
            fetch.add_done_callback(lambda _: self._fetching.pop(key, None))
        try:
            token: str = await asyncio.wait_for(asyncio.shield(fetch), self.timeout)
        except TimeoutError:
            fetch.cancel()  # the next try, after failure_ttl, starts afresh
            why = f"the token service did not answer within {self.timeout:g} s"
        except Exception as error:  # MSAL and requests raise many kinds
            why = f"no token for sending ({type(error).__name__})"
        else:
            self._failed.pop(key, None)
            return token
        self._failed[key] = (self._clock() + self.failure_ttl, why)
        log.warning("token for sending unavailable", extra={"reason": why})
        raise TokenUnavailable(why)


# The HTTP clients the SDK made for the current turn or proactive call: the SDK closes them
# only once its pipeline runs, so a failed call (Teams answering 403 to opening a chat, a
# token that cannot be had) would leave their aiohttp sessions open.
_MADE: ContextVar[list[Any] | None] = ContextVar("paraaf_agents_clients", default=None)


@contextlib.asynccontextmanager
async def _closing_clients() -> AsyncIterator[None]:
    made: list[Any] = []
    reset = _MADE.set(made)
    try:
        yield
    finally:
        _MADE.reset(reset)
        for client in made:
            with contextlib.suppress(Exception):
                await client.close()


def _made(client: Any) -> Any:
    made = _MADE.get()
    if made is not None:
        made.append(client)
    return client


_PROACTIVE = (ActivityEventNames.continue_conversation, ActivityEventNames.create_conversation)
_CONTINUE = ActivityEventNames.continue_conversation


class _KeptClient:
    """The connector client of proactive sends and updates, kept alive from one to the next
    (the SDK closes each call's client when the call ends: this one's ``close`` leaves its
    session open; the gateway closes it)."""

    def __init__(self, client: Any, token: str) -> None:
        self.client = client
        self.token = token

    def __getattr__(self, name: str) -> Any:  # the rest of the connector client
        return getattr(self.client, name)

    async def close(self) -> None:
        return None


class _ClientFactory(RestChannelServiceClientFactory):
    """The SDK's connector factory, with three changes: paraaf has no user sign-in, so no
    user-token client (and no token fetch for it) per turn; an inbound turn whose sending
    token cannot be had still runs (an invoke needs none to be answered), its replies
    failing at the connector instead; and proactive sends and updates go over one kept-alive
    connector client per service URL (with the token of the moment: a new token, a new
    client) instead of a new client and connection each."""

    def __init__(self, connections: ConnectionManager) -> None:
        super().__init__(connections)
        self._kept: dict[str, _KeptClient] = {}  # service URL -> its proactive client
        self._retired: list[_KeptClient] = []  # replaced by a new token: closed at the next

    async def _kept_client(self, claims_identity: ClaimsIdentity, service_url: str,
                           audience: str, scopes: list[str] | None,
                           use_anonymous: bool) -> _KeptClient:
        provider = (self._ANONYMOUS_TOKEN_PROVIDER if use_anonymous else
                    self._connection_manager.get_token_provider(claims_identity, service_url))
        token = await provider.get_access_token(
            audience, scopes or claims_identity.get_token_scope())
        kept = self._kept.get(service_url)
        if kept is None or kept.token != token:
            for old in self._retired:  # an hour or so after their last use
                await old.client.close()
            self._retired = [kept] if kept is not None else []
            kept = self._kept[service_url] = _KeptClient(
                TeamsConnectorClient(endpoint=service_url, token=token), token)
        return kept

    async def close(self) -> None:
        for kept in [*self._kept.values(), *self._retired]:
            with contextlib.suppress(Exception):
                await kept.client.close()
        self._kept.clear()
        self._retired = []

    async def create_user_token_client(self, context: TurnContext,
                                       claims_identity: ClaimsIdentity,
                                       use_anonymous: bool = False) -> UserTokenClient:
        return _made(UserTokenClient(app_id=claims_identity.get_app_id() or "anonymous",
                                     endpoint=self._token_service_endpoint, token=""))

    async def create_connector_client(self, context: TurnContext | None,
                                      claims_identity: ClaimsIdentity, service_url: str,
                                      audience: str, scopes: list[str] | None = None,
                                      use_anonymous: bool = False) -> Any:
        if (context is not None and context.activity.name == _CONTINUE
                and not context.activity.is_agentic_request()):
            return await self._kept_client(claims_identity, service_url, audience, scopes,
                                           use_anonymous)
        try:
            return _made(await super().create_connector_client(
                context, claims_identity, service_url, audience, scopes, use_anonymous))
        except TokenUnavailable:
            if context is None or context.activity.name in _PROACTIVE:  # a send: say so
                raise
            return _made(await super().create_connector_client(
                context, claims_identity, service_url, audience, scopes, True))


# ---------------------------------------------------------------- delivery errors


def _error_code(error: ClientResponseError) -> str:
    try:
        body = json.loads(error.message)
    except (TypeError, ValueError):
        return ""
    inner = body.get("error") if isinstance(body, dict) else None
    return str(inner.get("code") or "") if isinstance(inner, dict) else ""


def _delivery_error(error: Exception, opening: bool = False) -> DeliveryError:
    if isinstance(error, TokenUnavailable):
        return DeliveryError(str(error))
    status, retry_after, code = 0, None, ""
    if isinstance(error, ClientResponseError):
        status, code = error.status, _error_code(error)
        retry = error.headers.get("Retry-After") if error.headers else None
        try:
            retry_after = float(retry) if retry is not None else None
        except ValueError:
            retry_after = None
    if (opening and status in (403, 404)) or code in UNREACHABLE_CODES:
        return NotInstalled(f"Teams cannot reach this user ({status} {code})".strip())
    if status == 429:
        return DeliveryError("throttled by Teams (429)", retry_after or 2.0)
    return DeliveryError(f"{type(error).__name__} ({status or 'no answer'})", retry_after)


# ---------------------------------------------------------------- the gateway


class AgentsGateway:
    """``TeamsGateway`` and the inbound endpoint on the Agents SDK's ``CloudAdapter``."""

    def __init__(self, settings: Settings, token_timeout: float = 5.0) -> None:
        self.app_id = settings.app_id
        configuration = auth_configuration(settings)
        provider: Any
        if not settings.app_id:  # local mode: no app registration, nothing to sign
            provider = AnonymousTokenProvider()
        elif settings.app_cert_thumbprint and settings.app_type != "userassignedmsi":
            provider = _CertificateAuth(configuration, settings.app_cert_thumbprint,
                                        settings.app_cert_key_file)
        else:
            provider = MsalAuth(configuration)
        self.tokens = TimedTokens(provider, timeout=token_timeout)
        connections = ConnectionManager(
            provider_factory=lambda _: self.tokens,
            connections_configurations={"SERVICE_CONNECTION": configuration})
        self._clients = _ClientFactory(connections)
        self.adapter = CloudAdapter(channel_service_client_factory=self._clients)
        self.adapter.on_turn_error = None  # errors reach the server, as with botbuilder

    async def close(self) -> None:
        """Close the kept-alive connector clients of proactive sends and updates."""
        await self._clients.close()

    def intake(self, handler: AgentsHandler) -> Intake:
        """Activities through this gateway to ``handler`` (the bot's logic in the SDK)."""

        async def run(claims: dict[str, Any] | None, body: dict[str, Any]) -> tuple[int, Any]:
            return await self.process_activity(claims, body, handler)

        return run

    async def process_activity(self, claims: dict[str, Any] | None, body: dict[str, Any],
                               handler: AgentsHandler) -> tuple[int, Any]:
        """Run one inbound activity whose sender is verified (``claims``; None in local
        mode); returns (HTTP status, invoke response body or None)."""
        try:
            activity = Activity.model_validate(_blank_fields_dropped(body))
        except ValidationError as error:
            raise BadActivity(f"the activity cannot be read ({_first_field(error)})") from None
        except Exception as error:  # the model also raises a bare Exception (sub-channel)
            raise BadActivity(f"the activity cannot be read ({type(error).__name__})") from None
        try:  # the SDK builds this first in every turn; without, it would answer 500
            activity.get_conversation_reference()
        except ValidationError as error:
            raise BadActivity(f"the activity cannot be read ({_first_field(error)})") from None
        identity = ClaimsIdentity() if claims is None else ClaimsIdentity(dict(claims), "Bearer")
        async with _closing_clients():
            response = await self.adapter.process_activity(identity, activity, handler.on_turn)
        if response is None:
            return 201, None
        payload = response.body
        if payload is not None and not isinstance(payload, dict):
            dump = getattr(payload, "model_dump", None)
            payload = dump(by_alias=True, exclude_none=True, mode="json") if dump else payload
        return int(response.status), payload

    async def _continue(self, ref: ConversationRef,
                        callback: Callable[[TurnContext], Awaitable[None]]) -> None:
        reference = ConversationReference.model_validate(ref.reference)
        async with _closing_clients():
            await self.adapter.continue_conversation(
                self.app_id, reference.get_continuation_activity(), callback)

    async def send(self, ref: ConversationRef, card: Card) -> str:
        sent: list[str] = []

        async def callback(turn_context: TurnContext) -> None:
            response = await turn_context.send_activity(card_activity(card))
            sent.append(str(response.id) if response is not None and response.id else "")

        try:
            await self._continue(ref, callback)
        except Exception as error:
            raise _delivery_error(error) from error
        return sent[0] if sent else ""

    async def update(self, ref: ConversationRef, activity_id: str, card: Card) -> None:
        async def callback(turn_context: TurnContext) -> None:
            activity = card_activity(card)
            activity.id = activity_id
            await turn_context.update_activity(activity)

        try:
            await self._continue(ref, callback)
        except Exception as error:
            raise _delivery_error(error) from error

    async def open_chat(self, user: Person, template: ConversationRef | None) -> ConversationRef:
        if template is None:
            raise NotInstalled("no service URL is known for this tenant yet")
        reference = ConversationReference.model_validate(template.reference)
        tenant = user.tenant or template.tenant
        parameters = ConversationParameters.model_validate({
            "isGroup": False, "bot": reference.agent, "members": [ChannelAccount(id=user.oid)],
            "tenantId": tenant, "channelData": {"tenant": {"id": tenant}},
        })
        opened: list[ConversationRef] = []

        async def callback(turn_context: TurnContext) -> None:
            activity = turn_context.activity
            data = _reference_data(activity.get_conversation_reference())
            data.pop("requestId", None)
            data["user"] = {"id": user.oid, "aadObjectId": user.oid, "name": user.name}
            data["locale"] = template.reference.get("locale", "")
            opened.append(ConversationRef(user.oid, tenant, activity.conversation.id, data))

        try:
            async with _closing_clients():
                await self.adapter.create_conversation(
                    self.app_id, str(reference.channel_id or "msteams"),
                    reference.service_url or "", BOT_FRAMEWORK, parameters, callback)
        except Exception as error:
            raise _delivery_error(error, opening=True) from error
        if not opened:
            raise NotInstalled("Teams opened no chat")
        return opened[0]
