"""A Graph test server with paraaf's lists, for adapter tests and benchmarks.

    async with graph_site() as site:              # GraphServer + the lists of graph.schema
        store = GraphDossierStore(site.graph(), site.site_id)
        other = GraphDossierStore(site.graph(), site.site_id)   # another process's client

``create_lists`` is a test helper: it POSTs each list with its column definitions (the
product's ``paraaf provision`` does this idempotently). ``demo_services`` puts the service
layer on a store, with the demo flows and directory in memory. ``provisioned_site`` is a server
whose lists ``paraaf provision`` made, ``document_store`` a document library on a server, and
``entra_seed`` a directory as Entra holds it.
"""

from __future__ import annotations

import asyncio
import os
import random
import zlib
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from msgraph import GraphServiceClient

from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import Clock, DossierStore, FlowStatus
from approvals.service import Services
from approvals.workdays import WorkingCalendar
from graph.client import GraphConfig, GraphConnection, connect
from graph.documents import GraphDocumentStore
from graph.provision import provision
from graph.rest import Graph
from graph.schema import ALL_LISTS, ListSpec
from graph.site import site_path_id
from tests.support.fakes import InMemoryDirectory, InMemoryFlowRepository
from tests.support.graph_server.client import close_graph_client, make_graph_client
from tests.support.graph_server.faults import FaultRule, Faults
from tests.support.graph_server.server import GraphServer


async def create_lists(graph: Graph, site_id: str, specs: Sequence[ListSpec]) -> dict[str, str]:
    """Create each list with its columns; returns list ids by title."""
    ids = {}
    for spec in specs:
        body: dict[str, Any] = {
            "displayName": spec.title,
            "columns": [column.definition() for column in spec.columns],
            "list": {"template": spec.template},
        }
        if spec.description:
            body["description"] = spec.description
        created = await graph.request("POST", f"/sites/{site_id}/lists", body)
        ids[spec.title] = str(created["id"])
    return ids


@dataclass
class GraphSite:
    """A running server with the lists created, and the clients made for it."""

    server: GraphServer
    site_id: str
    list_ids: dict[str, str]
    client_options: dict[str, Any] = field(default_factory=dict)
    clients: list[GraphServiceClient] = field(default_factory=list)

    def graph(self, **options: Any) -> Graph:
        """A new SDK client (its own connections, as another process would have)."""
        client = make_graph_client(self.server, **{**self.client_options, **options})
        self.clients.append(client)
        return Graph(client)

    def list_path(self, title: str) -> str:
        """The path of a list, for fault rules: ``/sites/{site}/lists/{id}``."""
        return f"/sites/{self.site_id}/lists/{self.list_ids[title]}"


@asynccontextmanager
async def graph_site(*, seed: int = 7, specs: Sequence[ListSpec] = ALL_LISTS,
                     directory: str | Path | None = None,
                     **client_options: Any) -> AsyncIterator[GraphSite]:
    """A started GraphServer whose site has the given lists; clients closed afterwards.

    ``client_options`` go to ``make_graph_client`` (e.g. ``retry_delay=0.05`` so that the
    SDK's retries of a 503 without ``Retry-After`` stay short in tests); ``directory`` is the
    server's Entra directory (a YAML file such as the demo's).
    """
    async with GraphServer(seed=seed, directory=directory) as server:
        site = GraphSite(server, server.site.id, {}, dict(client_options))
        try:
            site.list_ids = await create_lists(site.graph(), site.site_id, specs)
            yield site
        finally:
            for client in site.clients:
                await close_graph_client(client)


# --- the lists as ``paraaf provision`` makes them ---------------------------------------------

SITE_URL = "https://contoso.sharepoint.com/sites/paraaf"


@dataclass
class ListsSite:
    """A server whose lists ``paraaf provision`` made, and one connection to it."""

    server: GraphServer
    connection: GraphConnection
    site_id: str  # in path form, as the wiring addresses it


@asynccontextmanager
async def provisioned_site(*, seed: int) -> AsyncIterator[ListsSite]:
    """A started GraphServer provisioned by ``graph.provision``; its request counts start at
    zero after the provisioning."""
    async with GraphServer(seed=seed) as server:
        connection = connect(GraphConfig(auth="none", base_url=server.base_url, retry_delay=0))
        try:
            outcome = await provision(connection.graph, server.site.id)
            assert not outcome.problems
            server.stats.reset()
            yield ListsSite(server, connection, site_path_id(SITE_URL))
        finally:
            await connection.close()


# --- the document library and the directory -------------------------------------------------

LIBRARY = "Dossierstukken"


async def document_store(server: GraphServer, graph: Graph, **options: Any) -> GraphDocumentStore:
    """A store on a fresh Dossierstukken library (as ``paraaf provision`` creates it)."""
    await graph.request("POST", f"/sites/{server.site.id}/lists",
                        {"displayName": LIBRARY, "list": {"template": "documentLibrary"}})
    return GraphDocumentStore(graph, server.site.id, LIBRARY, **options)


def entra_seed(fixture: Path, admin_group: str = "paraaf-beheerders") -> dict[str, Any]:
    """A directory YAML file as Entra holds it: nested groups as members, and a group per
    role and for the beheerders (Entra has no roles or admin flags on users)."""
    data = yaml.safe_load(fixture.read_text("utf-8"))
    groups = [{"id": g["id"], "name": g.get("name", g["id"]),
               "members": [*g.get("members", []), *g.get("groups", [])]}
              for g in data.get("groups", [])]
    roles: dict[str, list[str]] = {}
    for user in data["users"]:
        for role in user.get("roles", []):
            roles.setdefault(role, []).append(user["upn"])
    groups += [{"id": role, "name": role.capitalize(), "members": upns}
               for role, upns in roles.items()]
    groups.append({"id": admin_group, "name": "paraaf beheerders",
                   "members": [u["upn"] for u in data["users"] if u.get("admin")]})
    return {"users": data["users"], "groups": groups}


# --- about one request in ten failing ------------------------------------------------------

DROPPED_ANSWERS: Mapping[str, float] = {"POST": 0.04, "PATCH": 0.06}
"""Per write method, the share of requests applied whose answer is then lost."""
LOST_READS: Mapping[str, float] = {"GET": 0.04}
"""Reads answered but whose answer is lost: with these about one read in ten fails too."""


def fault_seed(test_name: str) -> int:
    """A server seed per test, so that faults differ from test to test; set
    ``PARAAF_FAULT_SEED`` to draw another set of faults for every test."""
    salt = os.environ.get("PARAAF_FAULT_SEED", "")
    return zlib.crc32(f"{salt}{test_name}".encode())


def one_in_ten_faults(faults: Faults, *,
                      dropped_answers: Mapping[str, float] = DROPPED_ANSWERS) -> list[FaultRule]:
    """About one request in ten fails: throttled (429 with Retry-After 1, which the SDK waits
    out), unavailable (503), dropped before it was applied, a write applied but its answer
    lost (``dropped_answers``), or a conditional write that loses a race.

    Retry-After stays 1: the SDK takes 0 for no header and then waits about 3 s.
    """
    rules = [faults.throttle(retry_after=1, rate=0.005, times=None),
             faults.unavailable(rate=0.02, times=None),
             faults.drop_before(rate=0.03, times=None)]
    rules += [faults.drop_after(method=method, rate=rate, times=None)
              for method, rate in dropped_answers.items()]
    rules.append(faults.race(rate=0.12, times=None))  # only conditional writes can lose a race
    return rules


# --- the service layer on a store, with the demo flows and directory in memory ---------------

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "local" / "demo"
ADMIN = Person("00000000-0000-0000-0000-00000000ad01", "beheer@voorbeeldstad.nl", "Beheer")


def demo_directory() -> InMemoryDirectory:
    return InMemoryDirectory.from_yaml_text((DEMO / "directory.yaml").read_text("utf-8"))


async def demo_flows(clock: Clock) -> InMemoryFlowRepository:
    """The demo flows, published."""
    flows = InMemoryFlowRepository()
    for path in sorted((DEMO / "flows").glob("*.yaml")):
        source = path.read_text("utf-8")
        flow = parse_flow(source, path.name)
        await flows.save(flow, source)
        await flows.set_status(flow.id, flow.version, FlowStatus.PUBLISHED, ADMIN, clock.now())
    return flows


async def jittered_pause(attempt: int) -> None:
    await asyncio.sleep(random.uniform(0, min(0.05, 0.002 * 2**attempt)))


async def demo_services(store: DossierStore, clock: Clock,
                        directory: InMemoryDirectory | None = None,
                        flows: InMemoryFlowRepository | None = None) -> Services:
    """``Services`` on ``store`` (each worker its own: the state cache is per instance)."""
    return Services(store=store, flows=flows or await demo_flows(clock),
                    directory=directory or demo_directory(), clock=clock,
                    calendar=WorkingCalendar(), pause=jittered_pause)


# --- a Graph backend for the adapter contracts -------------------------------------------------


class OnGraphSite:
    """Gives a test class a fresh site with the lists of ``graph.schema`` as ``self.site``,
    seeded by the test's name (faults differ from test to test)."""

    site: GraphSite

    @pytest.fixture(autouse=True)
    async def _on_site(self, request: pytest.FixtureRequest) -> AsyncIterator[None]:
        async with graph_site(seed=fault_seed(request.node.name), retry_delay=0.05) as started:
            self.site = started
            yield


class OnListsSite:
    """Gives a test class a fresh site provisioned by ``graph.provision`` as ``self.site``."""

    site: ListsSite

    @pytest.fixture(autouse=True)
    async def _site(self, request: pytest.FixtureRequest) -> AsyncIterator[None]:
        async with provisioned_site(seed=fault_seed(request.node.name)) as started:
            self.site = started
            yield


class WithFaults(OnListsSite):
    """About one request in ten fails once the lists are provisioned (see
    ``one_in_ten_faults``); a write or read may lose its answer after it was applied."""

    @pytest.fixture(autouse=True)
    def _faults(self, _site: None) -> None:
        one_in_ten_faults(self.site.server.faults,
                          dropped_answers={**DROPPED_ANSWERS, "DELETE": 0.05, **LOST_READS})
