"""The one place that builds the object graph: settings -> adapters -> services -> channels.

Only this module imports the adapters (``graph/``, ``local/``); the entry points get what they
need from it. Each backend's adapters are imported where that backend is built, so a command
on the embedded backend does not load the Microsoft 365 SDK (and the other way round).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from approvals.ports import (
        AnchorLog,
        ConversationStore,
        Directory,
        DocumentStore,
        DossierQueries,
        FactsQueries,
        Outbox,
    )
    from approvals.service import Services
    from bot.tab.api import Tab
    from graph.client import GraphConfig, GraphConnection
    from graph.provision import Outcome
    from graph.rest import GraphError
    from graph.site import Site


async def jittered_pause(attempt: int) -> None:
    """Back off after a concurrency conflict: a random wait that grows with the attempt."""
    await asyncio.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))


class NotInitialised(SettingsError):
    """The data folder has no paraaf data yet."""


@dataclass
class Wiring:
    """Everything an entry point needs, built from the settings."""

    settings: Settings
    services: Services
    documents: DocumentStore
    directory: Directory
    conversations: ConversationStore
    outbox: Outbox  # the notifications the commits wrote (the dossier store keeps them)
    anchors: AnchorLog  # audit anchors, kept apart from the store
    graph: GraphConnection | None = None  # the Microsoft 365 backend's client (throttle counts)
    # what the builder opened, closed in this order (database files, the Graph client)
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def close(self) -> None:
        for closer in self.closers:
            await closer()


def _closing(close: Callable[[], None]) -> Callable[[], Awaitable[None]]:
    async def closer() -> None:
        close()

    return closer


def build(settings: Settings) -> Wiring:
    """Adapters for the configured backend (the embedded default, or Microsoft 365)."""
    if settings.backend == "graph":
        return _build_graph(settings)
    return _build_local(settings)


def graph_config(settings: Settings) -> GraphConfig:
    """The Graph client's configuration from the PARAAF_GRAPH_* settings."""
    from graph.client import GraphConfig

    return GraphConfig(
        auth=settings.graph_auth, tenant_id=settings.graph_tenant_id,
        client_id=settings.graph_client_id, client_secret=settings.graph_client_secret,
        cert_file=settings.graph_cert_file, cert_password=settings.graph_cert_password,
        base_url=settings.graph_base_url,
    )


def connect_graph(settings: Settings) -> GraphConnection:
    """An app-only Graph connection (SettingsError when the settings cannot give one)."""
    from graph.client import GraphConfigError, connect

    try:
        return connect(graph_config(settings))
    except (GraphConfigError, ValueError) as exc:  # azure-identity checks ids with ValueError
        raise SettingsError(str(exc)) from None


def _build_graph(settings: Settings) -> Wiring:
    """The Microsoft 365 backend: SharePoint lists and library, Entra directory.

    The site is addressed by its path (``host:/sites/name:``), so nothing is sent to Graph
    while building; the first request shows whether the site can be reached.
    """
    from approvals.service import Services
    from approvals.workdays import WorkingCalendar
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
    directory = GraphDirectory(graph, tenant=settings.graph_tenant_id)
    store = GraphDossierStore(graph, site_id)
    services = Services(
        store=store,
        flows=GraphFlowRepository(graph, site_id),
        directory=directory,
        clock=SystemClock(),
        calendar=WorkingCalendar(),
        pause=jittered_pause,
        substitutes=GraphSubstituteStore(graph, site_id),
    )
    documents = GraphDocumentStore(graph, site_id)
    conversations = GraphConversationStore(graph, site_id)
    return Wiring(settings, services, documents, directory, conversations, store,
                  GraphAnchorLog(graph, site_id), graph=connection, closers=[connection.close])


def _build_local(settings: Settings) -> Wiring:
    from approvals.service import Services
    from approvals.workdays import WorkingCalendar
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
    directory = YamlDirectory.from_file(settings.directory_file)
    store = SqliteDossierStore(settings.database)
    flows = SqliteFlowRepository(settings.database)
    substitutes = SqliteSubstituteStore(settings.database)
    services = Services(
        store=store,
        flows=flows,
        directory=directory,
        clock=SystemClock(),
        calendar=WorkingCalendar(),
        pause=jittered_pause,
        substitutes=substitutes,
    )
    base_url = settings.public_url or None
    documents = FolderDocumentStore(settings.documents_dir, base_url=base_url)
    conversations = SqliteConversationStore(settings.database)
    closers = [_closing(db.close) for db in (store, flows, conversations, substitutes)]
    return Wiring(settings, services, documents, directory, conversations, store,
                  FileAnchorLog(settings.anchors_path), closers=closers)


def create_local_store(settings: Settings) -> None:
    """Create the embedded backend's database (its schema) if it is not there yet."""
    from local.sqlite_store import SqliteDossierStore

    SqliteDossierStore(settings.database).close()


def tab(wiring: Wiring) -> Tab:
    """The tab's channel on the wiring's services; on the embedded backend with the demo
    directory's people for the local user picker, and the store answering the overview."""
    from bot.tab.api import DemoUser, Tab

    demo: tuple[DemoUser, ...] | None = None
    queries: DossierQueries | None = None
    facts: FactsQueries | None = None
    if wiring.settings.backend == "local":
        from local.directory import YamlDirectory
        from local.sqlite_store import SqliteDossierStore

        if isinstance(wiring.services.store, SqliteDossierStore):
            queries = facts = wiring.services.store

        if isinstance(wiring.directory, YamlDirectory):
            directory = wiring.directory
            demo = tuple(DemoUser(p, profile.department if profile else "",
                                  profile.admin if profile else False)
                         for p in directory.users()
                         for profile in [directory.profile(p.oid)])
    return Tab(wiring.services, wiring.documents, wiring.settings, demo, queries, facts)


async def serve(settings: Settings, playground: bool = False) -> None:
    """``paraaf serve``: the Teams channel, and the tab on the same server (bot/tab/), on the
    configured backend, until interrupted."""
    from bot.logs import setup_logging
    from bot.tab.api import channel
    from bot.teams.server import serve as serve_teams  # aiohttp and the Bot Framework load here

    setup_logging(settings)
    wiring = build(settings)
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


async def provision_site(settings: Settings, url: str, *,
                         dry_run: bool) -> tuple[Site, Outcome]:
    """Create or upgrade the lists on the site at ``url`` with an app-only connection (the
    PARAAF_GRAPH_* settings): the site and what was (or, dry, would be) changed."""
    from azure.core.exceptions import ClientAuthenticationError

    from graph.provision import provision
    from graph.rest import GraphError
    from graph.site import resolve_site

    connection = connect_graph(settings)
    graph = connection.graph
    try:
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
    finally:
        await connection.close()
