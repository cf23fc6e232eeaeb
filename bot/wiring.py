"""The one place that builds the object graph: settings -> adapters -> services -> channels.

Only this module imports the adapters (``graph/``, ``local/``, ``signing/``); the entry
points get what they need from it. Each backend's adapters are imported where that backend
is built, so a command on the embedded backend does not load the Microsoft 365 SDK (and the
other way round).
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from approvals.ports import (
        AnchorLog,
        Clock,
        ConversationStore,
        Directory,
        DocumentStore,
        DossierQueries,
        DossierStore,
        FactsQueries,
        FlowRepository,
        ListedUser,
        Outbox,
        PeopleDirectory,
    )
    from approvals.service import AfterCommit, Services
    from approvals.signatures import DecisionRegistry, DocumentRenderer
    from approvals.signing_stage import SignStage
    from approvals.substitutes import SubstituteStore
    from approvals.zgw import ZgwOrganisation
    from bot.post_commit import OutboxHandlers
    from bot.tab.api import Tab
    from bot.teams.app import Bot
    from bot.teams.context import BotContext
    from bot.teams.delivery import RateLimiter
    from bot.teams.gateway import InboundHandler, Intake, TeamsGateway
    from bot.telemetry import Telemetry
    from graph.client import GraphConfig, GraphConnection
    from graph.provision import Outcome
    from graph.rest import GraphError
    from graph.site import Site
    from signing.embedded import KeySettings
    from signing.zgw import ZgwRegistry

Closer = Callable[[], Awaitable[None]]


async def jittered_pause(attempt: int) -> None:
    """Back off after a concurrency conflict: a random wait that grows with the attempt."""
    await asyncio.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))


class NotInitialised(SettingsError):
    """The data folder has no paraaf data yet."""


@dataclass(frozen=True)
class Ports:
    """The backend's adapters, each typed by its port."""

    store: DossierStore
    outbox: Outbox  # the notifications the commits wrote (the dossier store keeps them)
    flows: FlowRepository
    directory: Directory
    substitutes: SubstituteStore
    documents: DocumentStore
    conversations: ConversationStore
    anchors: AnchorLog  # audit anchors, kept apart from the store
    clock: Clock
    graph: GraphConnection | None = None  # the Microsoft 365 backend's client (throttle counts)
    # what the builder opened, closed in this order (database files, the Graph client)
    closers: tuple[Closer, ...] = ()
    queries: DossierQueries | None = None  # a store that answers the overview itself
    facts: FactsQueries | None = None  # a store that keeps the facts: register, insight
    demo_users: tuple[ListedUser, ...] | None = None  # the demo directory's people (local)
    people: PeopleDirectory | None = None  # everyone's department (the tab; both backends)


@dataclass(frozen=True)
class TeamsChannel:
    """The Teams channel as the server runs it: the bot (with its outbox worker) and the
    intake that runs one verified activity through the chosen SDK."""

    bot: Bot
    intake: Intake


@dataclass(frozen=True)
class Wiring:
    """Everything an entry point needs, built from the settings; ``teams`` only when the
    Teams channel was asked for (``build(settings, teams=True)``)."""

    settings: Settings
    services: Services
    documents: DocumentStore
    directory: Directory
    conversations: ConversationStore
    outbox: Outbox  # the notifications the commits wrote (the dossier store keeps them)
    anchors: AnchorLog  # audit anchors, kept apart from the store
    graph: GraphConnection | None = None  # the Microsoft 365 backend's client (throttle counts)
    closers: tuple[Closer, ...] = ()
    teams: TeamsChannel | None = None
    telemetry: Telemetry | None = None  # the server's (built with the Teams channel)
    queries: DossierQueries | None = None  # a store that answers the overview itself
    facts: FactsQueries | None = None  # a store that keeps the facts: register, insight
    demo_users: tuple[ListedUser, ...] | None = None  # the demo directory's people (local)
    people: PeopleDirectory | None = None  # everyone's department (the tab; both backends)

    async def close(self) -> None:
        for closer in self.closers:
            await closer()


def _closing(close: Callable[[], None]) -> Closer:
    async def closer() -> None:
        close()

    return closer


def build(settings: Settings, *, teams: bool = False) -> Wiring:
    """settings -> adapters (the embedded default, or Microsoft 365) -> services ->
    channels (:func:`ports_for`, then :func:`assemble`)."""
    return assemble(settings, ports_for(settings), teams=teams)


def ports_for(settings: Settings) -> Ports:
    """The adapters of the configured backend."""
    return _graph_ports(settings) if settings.backend == "graph" else _local_ports(settings)


def assemble(settings: Settings, ports: Ports, *, teams: bool = False) -> Wiring:
    """The services over the adapters, and the channels over them. The command line's
    services have no post-commit handlers (what a commit leaves to do is in the outbox, for
    the worker of ``paraaf serve``); with ``teams`` the Teams channel is built too, and its
    handlers are the services' post-commit table."""
    if teams:
        return _with_teams(settings, ports)
    return _wiring(settings, ports, _services(settings, ports, ()))


def _services(settings: Settings, ports: Ports, after_commit: tuple[AfterCommit, ...],
              store: DossierStore | None = None) -> Services:
    """The services over the adapters (over ``store`` instead of the backend's own, when
    given: the telemetry's traced one)."""
    from approvals.service import Services
    from approvals.workdays import WorkingCalendar

    return Services(store=store or ports.store, flows=ports.flows, directory=ports.directory,
                    clock=ports.clock, calendar=WorkingCalendar(), pause=jittered_pause,
                    substitutes=ports.substitutes, after_commit=after_commit,
                    signing=sign_stage(settings, ports.documents),
                    register_decisions=settings.zgw_register)


def _wiring(settings: Settings, ports: Ports, services: Services,
            teams: TeamsChannel | None = None, closers: tuple[Closer, ...] = (),
            telemetry: Telemetry | None = None) -> Wiring:
    return Wiring(settings, services, ports.documents, ports.directory, ports.conversations,
                  ports.outbox, ports.anchors, graph=ports.graph,
                  closers=closers + _signing_closers(services) + ports.closers, teams=teams,
                  telemetry=telemetry,
                  queries=ports.queries, facts=ports.facts, demo_users=ports.demo_users,
                  people=ports.people)


def _telemetry(settings: Settings, ports: Ports) -> tuple[Telemetry, Closer]:
    """The server's telemetry (bot/telemetry.py; off unless configured), watching the Graph
    client, and what sends what it still holds when the wiring closes."""
    from bot.telemetry import Telemetry

    telemetry = Telemetry.from_settings(settings)
    if ports.graph is not None:
        telemetry.watch_graph(ports.graph)

    async def shutdown() -> None:
        await asyncio.to_thread(telemetry.shutdown)  # sends what is still buffered

    return telemetry, shutdown


def _teams_sdk(settings: Settings) -> tuple[TeamsGateway, Callable[[InboundHandler], Intake],
                                            tuple[Closer, ...]]:
    """The Teams gateway on the SDK that ``PARAAF_BOT_SDK`` names (the one place that picks),
    how to make the intake that runs the bot's logic through it, and what to close after."""
    if settings.bot_sdk == "agents":
        from bot.teams.agents_gateway import AgentsGateway, AgentsHandler

        agents = AgentsGateway(settings)

        def agents_intake(logic: InboundHandler) -> Intake:
            return agents.intake(AgentsHandler(logic))

        return agents, agents_intake, (agents.close,)  # its kept-alive connector clients
    from bot.teams.botframework import BotFrameworkGateway, ParaafHandler

    botbuilder = BotFrameworkGateway(settings)

    def botbuilder_intake(logic: InboundHandler) -> Intake:
        return botbuilder.intake(ParaafHandler(logic))

    return botbuilder, botbuilder_intake, (botbuilder.close,)  # its kept-alive connection


def teams_outbox_work(ctx: BotContext, gateway: TeamsGateway,
                      limiter: RateLimiter | None = None,
                      register: tuple[DecisionRegistry, DocumentRenderer] | None = None,
                      ) -> OutboxHandlers:
    """The Teams channel's outbox table: a notification becomes a card in the recipient's
    chat; an ``access`` row brings the dossier folder's access in line with the dossier; a
    ``signing_recall`` row takes back the signing packages the dossier no longer waits for;
    with a decision ``register`` (and the renderer of an unsigned decision's PDF), a
    ``register`` row registers the decided dossier."""
    from zoneinfo import ZoneInfo

    from bot.post_commit import (
        GrantDocumentAccess,
        OutboxHandler,
        OutboxHandlers,
        RecallSigning,
        RegisterDecision,
    )
    from bot.teams.delivery import SendNotificationCard

    handlers: list[OutboxHandler] = [SendNotificationCard(ctx, gateway, limiter),
                                     GrantDocumentAccess(ctx.services, ctx.documents),
                                     RecallSigning(ctx.services)]
    if register is not None:
        registry, renderer = register
        handlers.append(RegisterDecision(ctx.services, ctx.documents, renderer, registry,
                                         ZoneInfo(ctx.timezone)))
    return OutboxHandlers.of(handlers)


def _with_teams(settings: Settings, ports: Ports) -> Wiring:
    """The Teams channel: its post-commit handlers (in this process, run by the services)
    and its outbox handlers (run by the delivery worker), then the bot."""
    from bot.teams.after_commit import NoteRecordedInTurn, RefreshEarlierCards, WakeOutboxWorker
    from bot.teams.app import Bot
    from bot.teams.context import BotContext
    from bot.teams.delivery import Delivery
    from bot.teams.demo_persona import DemoPersonas

    telemetry, telemetry_closer = _telemetry(settings, ports)
    gateway, intake, gateway_closers = _teams_sdk(settings)
    wake = asyncio.Event()  # a commit wakes the outbox worker
    earlier_cards = RefreshEarlierCards(ports.conversations, ports.documents, gateway,
                                        settings.timezone)
    services = _services(settings, ports,
                         (NoteRecordedInTurn(), WakeOutboxWorker(wake), earlier_cards),
                         store=telemetry.traced_store(ports.store))
    ctx = BotContext(services, ports.conversations, ports.documents,
                     settings.tenant_allowlist, settings.language,
                     local_demo=settings.mode == "local", timezone=settings.timezone)
    registry = decision_registry(settings)
    register = None if registry is None else (registry, decision_renderer(settings))
    if registry is not None:
        gateway_closers = (*gateway_closers, registry.close)
    delivery = Delivery(ports.outbox, teams_outbox_work(ctx, gateway, register=register),
                        f"{socket.gethostname()}-{os.getpid()}", wake,
                        poll_seconds=float(settings.outbox_poll_seconds),
                        lease_seconds=float(settings.outbox_lease_seconds))
    bot = Bot(ctx, gateway, delivery, DemoPersonas(ctx), earlier_cards)
    return _wiring(settings, ports, services, TeamsChannel(bot, intake(bot.on_inbound)),
                   (telemetry_closer, *gateway_closers), telemetry)


def graph_config(settings: Settings) -> GraphConfig:
    """The Graph client's configuration from the PARAAF_GRAPH_* settings."""
    from graph.client import GraphConfig

    return GraphConfig(
        auth=settings.graph_auth, tenant_id=settings.graph_tenant_id,
        client_id=settings.graph_client_id, client_secret=settings.graph_client_secret,
        cert_file=settings.graph_cert_file, cert_password=settings.graph_cert_password,
        base_url=settings.graph_base_url,
    )


def connect_graph(settings: Settings, credential: Any = None) -> GraphConnection:
    """An app-only Graph connection (SettingsError when the settings cannot give one), with
    the credential of the settings or the one given."""
    from graph.client import make_client

    return make_client(graph_config(settings), credential or graph_credential(settings))


def graph_credential(settings: Settings) -> Any:
    """The app-only azure-identity credential of the PARAAF_GRAPH_* settings (SettingsError
    when they cannot give one)."""
    from graph.client import GraphConfigError, app_credential

    try:
        return app_credential(graph_config(settings))
    except (GraphConfigError, ValueError) as exc:  # azure-identity checks ids with ValueError
        raise SettingsError(str(exc)) from None


def graph_target(settings: Settings) -> tuple[str, str]:
    """Where the Graph client goes (its endpoint) and the token scope it asks for."""
    from graph.client import GRAPH_SCOPE

    return graph_config(settings).endpoint, GRAPH_SCOPE


def _graph_ports(settings: Settings) -> Ports:
    """The Microsoft 365 backend: SharePoint lists and library, Entra directory.

    The site is addressed by its path (``host:/sites/name:``), so nothing is sent to Graph
    while building; the first request shows whether the site can be reached.
    """
    from bot.settings import check_graph
    from graph.anchors import GraphAnchorLog
    from graph.conversations import GraphConversationStore
    from graph.directory import GraphDirectory
    from graph.documents import GraphDocumentStore
    from graph.dossier_store import GraphDossierStore
    from graph.flows import GraphFlowRepository
    from graph.site import site_path_id
    from graph.substitutes import GraphSubstituteStore
    from local.clock import SystemClock

    check_graph(settings)
    connection = connect_graph(settings)
    graph, site_id = connection.graph, site_path_id(settings.site_url)
    store = GraphDossierStore(graph, site_id)
    directory = GraphDirectory(graph, tenant=settings.graph_tenant_id)
    return Ports(
        store=store, outbox=store, flows=GraphFlowRepository(graph, site_id),
        directory=directory,
        substitutes=GraphSubstituteStore(graph, site_id),
        documents=GraphDocumentStore(graph, site_id),
        conversations=GraphConversationStore(graph, site_id),
        anchors=GraphAnchorLog(graph, site_id), clock=SystemClock(),
        graph=connection, closers=(connection.close,),
        queries=store,  # the overview page by page from the list's indexed columns
        people=directory,  # the tenant's users with their department, kept for a while
    )


def _local_ports(settings: Settings) -> Ports:
    from local.anchors import FileAnchorLog
    from local.clock import SystemClock
    from local.conversations import SqliteConversationStore
    from local.directory import YamlDirectory
    from local.documents import FolderDocumentStore
    from local.flows import SqliteFlowRepository
    from local.sqlite_store import SqliteDossierStore
    from local.substitutes import SqliteSubstituteStore

    if not settings.directory_file.exists() or not settings.database.exists():
        raise NotInitialised(
            f"There is no paraaf data in {settings.data_dir}. "
            f"Create it with: paraaf demo --data {settings.data_dir}"
        )
    store = SqliteDossierStore(settings.database)
    directory = YamlDirectory.from_file(settings.directory_file)
    flows = SqliteFlowRepository(settings.database)
    substitutes = SqliteSubstituteStore(settings.database)
    conversations = SqliteConversationStore(settings.database)
    return Ports(
        store=store, outbox=store, flows=flows,
        directory=directory, substitutes=substitutes,
        documents=FolderDocumentStore(settings.documents_dir,
                                      base_url=settings.public_url or None),
        conversations=conversations, anchors=FileAnchorLog(settings.anchors_path),
        clock=SystemClock(),
        closers=tuple(_closing(db.close) for db in (store, flows, conversations, substitutes)),
        queries=store, facts=store, demo_users=directory.listed_users(), people=directory,
    )


def signing_keys(settings: Settings) -> KeySettings:
    """Where signatures get their keys and timestamps (see signing/keys.py)."""
    from signing.embedded import KeySettings

    return KeySettings(
        demo_dir=settings.signing_dir, pkcs12=settings.signing_pkcs12,
        pkcs12_password=settings.signing_pkcs12_password,
        trust_roots=settings.signing_trust_roots, tsa_url=settings.tsa_url,
        english=settings.language == "en", demo_allowed=settings.mode == "local")


def create_signing_demo(settings: Settings) -> None:
    """The demo CA and timestamp authority in the data folder, when signatures use them
    (no PKCS#12) and they are not there yet."""
    if settings.signing == "off" or settings.signing_pkcs12:
        return
    from signing.pki import DemoPki

    if not DemoPki.exists(settings.signing_dir):
        DemoPki.create().save(settings.signing_dir)


def sign_stage(settings: Settings, documents: DocumentStore) -> SignStage | None:
    """What a sign action does besides recording it: PAdES with pyHanko (built on first
    use), or ValidSign (PARAAF_SIGNING_PROVIDER=validsign: it asks the signers itself), or
    nothing (PARAAF_SIGNING=off). With ValidSign set up (PARAAF_VALIDSIGN_URL), a flow's sign
    stage may name either (``provider:``). Signatures are checked by the embedded verifier."""
    if settings.signing == "off":
        return None
    from approvals.signing_stage import SignStage
    from signing.embedded import ChosenRenderer, EmbeddedSigning

    embedded = EmbeddedSigning(signing_keys(settings))
    renderer = ChosenRenderer(settings.renderer)
    if not settings.validsign_url:
        return SignStage(embedded, renderer, documents, embedded)
    from signing.validsign import ValidSignSettings, ValidSignSigning

    remote = ValidSignSigning(ValidSignSettings(
        settings.validsign_url, settings.validsign_api_key, settings.validsign_callback_key,
        settings.validsign_anchor, language=settings.language))
    if settings.signing_provider == "validsign":
        return SignStage(remote, renderer, documents, embedded, others=(embedded,))
    return SignStage(embedded, renderer, documents, embedded, others=(remote,))


def _signing_closers(services: Services) -> tuple[Closer, ...]:
    """The signing providers with a connection to close (ValidSign's HTTP session)."""
    providers = services.signing.providers if services.signing is not None else ()
    found = (getattr(service, "close", None) for service in providers)
    return tuple(close for close in found if close is not None)


def zgw_organisation(settings: Settings) -> ZgwOrganisation | None:
    """Who registers decisions in the ZGW shape (PARAAF_ZGW_RSIN and the catalogue's types);
    None when it is not configured."""
    if not settings.zgw_rsin:
        return None
    from approvals.zgw import ZgwOrganisation

    return ZgwOrganisation(settings.zgw_rsin, settings.zgw_besluittype,
                           settings.zgw_informatieobjecttype)


def decision_registry(settings: Settings) -> ZgwRegistry | None:
    """The ZGW Besluiten and Documenten API every decision is registered in; None when the
    register stays in paraaf (no PARAAF_ZGW_BESLUITEN_URL). Close it after use."""
    organisation = zgw_organisation(settings)
    if not settings.zgw_register or organisation is None:
        return None
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from signing.zgw import ZgwRegistry, ZgwSettings

    zone = ZoneInfo(settings.timezone)

    def today() -> date:  # the municipality's day: "after today" as the register means it
        return datetime.now(zone).date()

    return ZgwRegistry(ZgwSettings(
        besluiten_url=settings.zgw_besluiten_url, documenten_url=settings.zgw_documenten_url,
        client_id=settings.zgw_client_id, secret=settings.zgw_secret,
        organisation=organisation), today=today)


def decision_renderer(settings: Settings) -> DocumentRenderer:
    """What renders an unsigned decision to PDF for the register (as the sign stage does)."""
    from signing.embedded import ChosenRenderer

    return ChosenRenderer(settings.renderer)


def create_local_store(settings: Settings) -> None:
    """Create the embedded backend's database (its schema) if it is not there yet."""
    from local.sqlite_store import SqliteDossierStore

    SqliteDossierStore(settings.database).close()


def tab(wiring: Wiring) -> Tab:
    """The tab's channel on the wiring's services; with what the backend's adapters give
    beyond their ports: the demo directory's people for the local user picker, the
    directory's people with their department, and a store answering the overview, the
    register and the insight itself."""
    from bot.tab.api import Tab

    return Tab.of(wiring.services, wiring.documents, wiring.settings, wiring.demo_users,
                  wiring.queries, wiring.facts, wiring.people)


async def serve(settings: Settings, playground: bool = False) -> None:
    """``paraaf serve``: the Teams channel, and the tab on the same server (bot/tab/), on the
    configured backend, until interrupted."""
    from bot.logs import setup_logging
    from bot.tab.api import channel
    from bot.teams.server import serve as serve_teams  # aiohttp and the Bot Framework load here

    setup_logging(settings)
    wiring = build(settings, teams=True)
    try:
        await serve_teams(wiring, playground=playground, channels=[channel(tab(wiring))])
    finally:
        await wiring.close()


# --- provisioning: the SharePoint site's lists (``paraaf provision``) ---------------------------


class ProvisioningFailed(Exception):
    """Provisioning stopped at Graph; ``error`` is what Graph answered."""

    def __init__(self, error: GraphError, base_url: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.base_url = base_url  # where Graph was asked


class SiteUnreachable(ProvisioningFailed):
    """The site could not be found or read (``error.status`` 0: Graph gave no answer)."""


class ListsNotChanged(ProvisioningFailed):
    """Reading or changing the site's lists failed part-way; what was done stays done."""


class NoGraphToken(Exception):
    """The credential gave no token for Microsoft Graph."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def provision_change_actions() -> tuple[str, str, str, str]:
    """graph.provision's kinds of change: create list, add column, index column, add
    choices (the command line words each its own way)."""
    from graph.provision import ADD_CHOICES, ADD_COLUMN, CREATE_LIST, INDEX_COLUMN

    return CREATE_LIST, ADD_COLUMN, INDEX_COLUMN, ADD_CHOICES


def site_address(url: str) -> str:
    """A SharePoint site's address as provisioning uses it; ValueError when ``url`` is not
    one (the message says what is wrong)."""
    from graph.site import parse_site_url

    return parse_site_url(url).url


async def provision_site(settings: Settings, url: str, *, dry_run: bool,
                         credential: Any = None) -> tuple[Site, Outcome]:
    """Create or upgrade the lists on the site at ``url`` with an app-only connection (the
    PARAAF_GRAPH_* settings, or ``credential``): the site and what was (or, dry, would be)
    changed."""
    connection = connect_graph(settings, credential)
    try:
        return await _provision_on(connection.graph, url, dry_run)
    finally:
        await connection.close()


async def _provision_on(graph: Any, url: str, dry_run: bool) -> tuple[Site, Outcome]:
    from azure.core.exceptions import ClientAuthenticationError

    from graph.provision import provision
    from graph.rest import GraphError
    from graph.site import resolve_site

    try:
        site = await resolve_site(graph, url)
    except GraphError as error:
        raise SiteUnreachable(error, graph.base_url) from None
    except ClientAuthenticationError as error:
        raise NoGraphToken(str(error.message)) from None
    try:
        return site, await provision(graph, site.id, dry_run=dry_run)
    except GraphError as error:
        raise ListsNotChanged(error, graph.base_url) from None


@dataclass
class SiteGrant:
    """The app's Sites.Selected grant on a site: its roles, or the status with which Graph
    would not show them (403: the app may not read the site's permissions)."""

    roles: tuple[str, ...] | None  # None: no grant names the app (or it could not be read)
    status: int = 200


async def inspect_site(settings: Settings, url: str, *,
                       credential: Any = None) -> tuple[Site, Outcome, SiteGrant]:
    """What ``paraaf doctor`` reads of a site, writing nothing: the site, what provisioning
    would change, and the grant of the app PARAAF_GRAPH_CLIENT_ID names."""
    connection = connect_graph(settings, credential)  # one connection: it closes the credential
    try:
        site, outcome = await _provision_on(connection.graph, url, dry_run=True)
        grant = await _grant_of(connection.graph, site.id, settings.graph_client_id)
        return site, outcome, grant
    finally:
        await connection.close()


async def _grant_of(graph: Any, site_id: str, client_id: str) -> SiteGrant:
    """The roles of the app's grants on the site (Graph lists grants without their roles)."""
    from urllib.parse import quote

    from graph.rest import GraphError

    try:
        grants = await graph.get_all(f"/sites/{site_id}/permissions")
        mine = [g for g in grants if _names_app(g, client_id)]
        if not mine:
            return SiteGrant(None)
        roles: set[str] = set()
        for grant in mine:
            one = await graph.request(
                "GET", f"/sites/{site_id}/permissions/{quote(str(grant['id']), safe='')}")
            roles.update(str(r) for r in (one or {}).get("roles") or [])
        return SiteGrant(tuple(sorted(roles)))
    except GraphError as error:
        return SiteGrant(None, error.status)


def _names_app(grant: dict[str, Any], client_id: str) -> bool:
    for key in ("grantedToIdentitiesV2", "grantedToIdentities"):
        for identity in grant.get(key) or []:
            app = (identity or {}).get("application") or {}
            if str(app.get("id", "")).lower() == client_id.lower() and client_id:
                return True
    return False
