"""Document access on SharePoint follows the stage, in both directions, through the outbox:
under about one request in ten failing, and when the process dies between the commit and
the change of the folder's permissions (or in the middle of it).

The real msgraph-sdk against the local Graph-shaped server: the SharePoint lists, the
Dossierstukken library and the demo directory as Entra ID.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from approvals import commands as c
from approvals.access import ACCESS_KIND, Level
from approvals.errors import ConcurrencyConflict
from approvals.identity import Person
from approvals.ports import ConversationRef
from approvals.service import Services, execute, load
from bot.document_access import wanted_access
from bot.teams.context import BotContext
from bot.teams.delivery import Delivery, RateLimiter
from bot.teams.gateway import Card, NotYetReachable
from bot.wiring import teams_outbox_work
from graph.documents import GraphDocumentStore
from graph.dossier_store import GraphDossierStore
from graph.rest import Graph, GraphError
from graph.schema import DOSSIERS, OUTBOX
from local.clock import FixedClock
from tests.e2e.test_graph_store_faults import MortalGraph, ProcessKilled
from tests.support.fakes import InMemoryConversationStore, InMemoryFlowRepository
from tests.support.graph_fixtures import (
    GraphSite,
    demo_flows,
    demo_services,
    fault_seed,
    graph_site,
    one_in_ten_faults,
)
from tests.support.graph_server.faults import FaultRule
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS

pytestmark = SDK_IMPORT_DEPRECATIONS

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "local" / "demo" / "directory.yaml"
LIBRARY = "Dossierstukken"
DOSSIER = "2026-A"
INITIATOR, HEAD, ADMIN = ("t.dejong@voorbeeldstad.nl", "h.vandijk@voorbeeldstad.nl",
                          "s.vos@voorbeeldstad.nl")
JURIST, JURIST2 = "e.vanleeuwen@voorbeeldstad.nl", "k.boukhari@voorbeeldstad.nl"
GUEST = "p.devries_ketenpartner.nl#EXT#@voorbeeldstad.onmicrosoft.com"  # a jurist too
SUBSTITUTE, STANDIN = "j.visser@voorbeeldstad.nl", "l.smit@voorbeeldstad.nl"
DIRECTOR, MAYOR = "r.bakker@voorbeeldstad.nl", "w.vandenberg@voorbeeldstad.nl"


class NoTeams:
    """Nobody has installed the app: notifications wait (only the access work is done)."""

    async def send(self, ref: ConversationRef, card: Card) -> str:
        raise NotYetReachable("not installed", 300.0)

    async def update(self, ref: ConversationRef, activity_id: str, card: Card) -> None:
        raise NotYetReachable("not installed", 300.0)

    async def open_chat(self, user: Person, template: ConversationRef | None) -> ConversationRef:
        raise NotYetReachable("not installed", 300.0)


@dataclass
class Process:
    """One paraaf instance: the service layer, the library and a delivery worker."""

    services: Services
    documents: GraphDocumentStore
    delivery: Delivery


async def process(site: GraphSite, clock: FixedClock, flows: InMemoryFlowRepository,
                  graph: Graph | None = None, name: str = "worker") -> Process:
    graph = graph or site.graph()
    store = GraphDossierStore(graph, site.site_id, clock=clock)
    services = await demo_services(store, clock, flows=flows)
    documents = GraphDocumentStore(graph, site.site_id, LIBRARY)
    ctx = BotContext(services, InMemoryConversationStore(), documents)
    work = teams_outbox_work(ctx, NoTeams(), RateLimiter(1000, 1000))
    return Process(services, documents, Delivery(store, work, name, asyncio.Event()))


async def person(p: Process, upn: str) -> Person:
    found = await p.services.directory.user(upn)
    assert found is not None, upn
    return found


async def run(p: Process, make: Callable[[Process], Awaitable[c.Command]]) -> None:
    """The client sends the command again (same id) until it is recorded (bounded)."""
    command = await make(p)
    for _ in range(30):
        try:
            await execute(command, p.services)
            return
        except (GraphError, ConcurrencyConflict):
            continue
    raise AssertionError(f"{command.command_id} was never recorded")


async def settle(p: Process, clock: FixedClock) -> dict[str, str]:
    """Let the worker take the outbox until the folder matches the dossier (bounded); the
    clock moves on so that released rows and leases come due. Returns the folder's access."""
    expected: dict[str, str] = {}
    for _ in range(12):
        try:
            await p.delivery.run_once(limit=50)
            state, flow, _ = await load(p.services, DOSSIER)
            wanted = await wanted_access(p.services, state, flow)
            expected = {oid: a.level.value for oid, a in wanted.items()
                        if a.level is not Level.NONE}
            if await p.documents.access(DOSSIER) == expected:
                return expected
        except GraphError:  # a read that failed even after its retries: look again
            pass
        clock.advance(timedelta(minutes=10))
    raise AssertionError(f"the folder never matched {expected}")


async def levels(p: Process, *upns: str) -> list[str]:
    access = await p.documents.access(DOSSIER)
    return [access.get((await person(p, upn)).oid.lower(), "none") for upn in upns]


def _start(p: Process) -> Awaitable[c.Command]:
    async def make() -> c.Command:
        return c.StartDossier(dossier_id=DOSSIER, actor=await person(p, INITIATOR),
                              command_id="start", flow_id="collegevoorstel", title="Parkeren",
                              fields={"onderwerp": "Parkeren", "bedrag": "5000"})
    return make()


def _act(upn: str, action: c.Action, command_id: str, **kw: object
         ) -> Callable[[Process], Awaitable[c.Command]]:
    async def make(p: Process) -> c.Command:
        return c.Act(dossier_id=DOSSIER, actor=await person(p, upn), command_id=command_id,
                     action=action, **kw)  # type: ignore[arg-type]
    return make


def _advise(upn: str, command_id: str) -> Callable[[Process], Awaitable[c.Command]]:
    return _act(upn, c.Action.ADVISE, command_id, advice=c.Advice.POSITIEF, text="Akkoord")


def _delegate(p: Process) -> Awaitable[c.Command]:
    async def make() -> c.Command:
        return c.Delegate(dossier_id=DOSSIER, actor=await person(p, HEAD), command_id="delegate",
                          to=await person(p, SUBSTITUTE), reason="Met vakantie")
    return make()


def _reassign(p: Process) -> Awaitable[c.Command]:
    async def make() -> c.Command:
        return c.Reassign(dossier_id=DOSSIER, actor=await person(p, ADMIN),
                          command_id="reassign", stage_id="paraaf_afdelingshoofd",
                          from_oid=(await person(p, HEAD)).oid, to=await person(p, STANDIN),
                          reason="Afwezig")
    return make()


def _return(p: Process) -> Awaitable[c.Command]:
    async def make() -> c.Command:
        return c.Return(dossier_id=DOSSIER, actor=await person(p, STANDIN), command_id="return",
                        to_stage="juridisch_advies", reason="Graag de aanbesteding toetsen.")
    return make()


async def _close(p: Process, how: str) -> None:
    if how == "withdrawn":
        async def withdraw(p: Process) -> c.Command:
            return c.Withdraw(dossier_id=DOSSIER, actor=await person(p, INITIATOR),
                              command_id="withdraw", reason="Niet meer nodig.")
        await run(p, withdraw)
    elif how == "rejected":
        async def reject(p: Process) -> c.Command:
            return c.Reject(dossier_id=DOSSIER, actor=await person(p, DIRECTOR),
                            command_id="reject", reason="Niet haalbaar.")
        await run(p, reject)
    else:
        await run(p, _act(DIRECTOR, c.Action.APPROVE, "approve"))
        await run(p, _act(MAYOR, c.Action.DECIDE, "decide", text="Het college stemt in."))


@pytest.mark.parametrize("close", ["decided", "rejected", "withdrawn"])
async def test_access_follows_every_stage_change_while_one_request_in_ten_fails(
    close: str,
) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    async with graph_site(seed=fault_seed(close), retry_delay=0.05,
                          directory=DIRECTORY) as site:
        p = await process(site, clock, await demo_flows(clock))
        rules = one_in_ten_faults(site.server.faults)
        await run(p, lambda p: _start(p))
        await settle(p, clock)
        assert await levels(p, JURIST, JURIST2, GUEST, INITIATOR, HEAD) == [
            "write", "write", "write", "read", "none"]
        await run(p, _advise(JURIST, "advies-1"))  # the stage completes
        await settle(p, clock)
        assert await levels(p, JURIST, JURIST2, GUEST, HEAD) == ["read", "none", "none", "write"]
        await run(p, lambda p: _delegate(p))
        await settle(p, clock)
        assert await levels(p, HEAD, SUBSTITUTE) == ["none", "write"]
        await run(p, lambda p: _reassign(p))  # herverdelen by a beheerder
        await settle(p, clock)
        assert await levels(p, SUBSTITUTE, STANDIN, ADMIN) == ["none", "write", "read"]
        await run(p, lambda p: _return(p))  # back to the juristen: write again
        await settle(p, clock)
        assert await levels(p, STANDIN, JURIST, JURIST2, GUEST) == [
            "read", "write", "write", "write"]
        await run(p, _advise(JURIST2, "advies-2"))
        await run(p, _act(HEAD, c.Action.INITIAL, "paraaf"))
        await settle(p, clock)
        assert await levels(p, JURIST, JURIST2, HEAD, DIRECTOR) == [
            "read", "read", "read", "write"]
        await _close(p, close)
        final = await settle(p, clock)
        assert Level.WRITE.value not in final.values()
        assert await levels(p, INITIATOR, JURIST, HEAD, ADMIN, SUBSTITUTE, GUEST) == [
            "read", "read", "read", "read", "none", "none"]
        assert sum(rule.fired for rule in rules) >= 10
        site.server.faults.clear()
        rows = [r for r in site.server.items(OUTBOX.title) if r["Kind"] == ACCESS_KIND]
        assert rows and all(r["State"] == "sent" for r in rows)


@dataclass(frozen=True)
class CrashPoint:
    name: str
    method: str
    path: Callable[[GraphSite], str]
    in_command: bool  # the process dies while committing, else while settling access


CRASH_POINTS = [
    CrashPoint("commit", "PATCH",
               lambda s: s.list_path(DOSSIERS.title) + "/items/*/fields", True),
    CrashPoint("create of the outbox rows", "POST",
               lambda s: s.list_path(OUTBOX.title) + "/items", True),
    CrashPoint("invite", "POST", lambda s: "*/invite", False),
    CrashPoint("lowering write to read", "PATCH", lambda s: "*/permissions/*", False),
    CrashPoint("removal", "DELETE", lambda s: "*/permissions/*", False),
]


@pytest.mark.parametrize("drop", ["drop_before", "drop_after"])
@pytest.mark.parametrize("point", CRASH_POINTS, ids=[p.name for p in CRASH_POINTS])
async def test_a_crash_between_commit_and_access_change_is_made_good(point: CrashPoint,
                                                                    drop: str) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    async with graph_site(seed=13, retry_delay=0.05, directory=DIRECTORY) as site:
        flows = await demo_flows(clock)
        first = await process(site, clock, flows, name="first")
        await run(first, lambda p: _start(p))
        await settle(first, clock)

        rule: FaultRule = getattr(site.server.faults, drop)(method=point.method,
                                                             path=point.path(site))
        mortal = await process(site, clock, flows, MortalGraph(site.graph(), rule), "mortal")
        command = await _advise(JURIST, "advies-1")(mortal)
        if point.in_command:
            with pytest.raises(ProcessKilled):
                await execute(command, mortal.services)
        else:
            await execute(command, mortal.services)
            with pytest.raises(ProcessKilled):
                await mortal.delivery.run_once(limit=50)
        assert rule.fired == 1
        if point.in_command:  # the folder is as it was: the access work waits in the outbox
            assert await levels(first, JURIST, JURIST2, GUEST, HEAD) == [
                "write", "write", "write", "none"]
        else:  # died while changing it: its row was never marked done
            rows = [r for r in site.server.items(OUTBOX.title) if r["Kind"] == ACCESS_KIND]
            assert [r["State"] for r in rows].count("pending") == 1

        clock.advance(timedelta(minutes=5))  # leases run out, a half-done commit is stale
        restarted = await process(site, clock, flows, name="restarted")
        await execute(command, restarted.services)  # the client's retry (or a duplicate)
        await settle(restarted, clock)
        assert await levels(restarted, JURIST, JURIST2, GUEST, HEAD, INITIATOR) == [
            "read", "none", "none", "write", "read"]
