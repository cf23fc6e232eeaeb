"""The Graph dossier store under failure: every crash point of the commit protocol, and
1,000 actions by eight concurrent workers while one request in ten fails.

A crash point is a request whose connection drops, before or after the service applied it.
In ``crash`` mode the process dies right there (its next request never leaves); another
process then reads, retries the same command and finishes the work. In ``recover`` mode the
store itself carries on. Either way each action is recorded once and every chain holds.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.audit import verify_chain
from approvals.errors import ConcurrencyConflict, InvalidInput
from approvals.events import EventType
from approvals.identity import Person
from approvals.service import Services, execute
from graph.dossier_store import GraphDossierStore
from graph.rest import Graph, GraphError
from graph.schema import DOSSIERS, EVENTS, OUTBOX, TASKS
from local.clock import FixedClock, SystemClock
from tests.support import contract_kit as kit
from tests.support.graph_fixtures import GraphSite, demo_flows, demo_services, graph_site
from tests.support.graph_server.faults import FaultRule
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS

pytestmark = SDK_IMPORT_DEPRECATIONS

INITIATOR = "t.dejong@voorbeeldstad.nl"
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"
JURISTS = (JURIST, "k.boukhari@voorbeeldstad.nl",
           "p.devries_ketenpartner.nl#EXT#@voorbeeldstad.onmicrosoft.com")


class ProcessKilled(Exception):
    """The process died: nothing it would have sent next is sent."""


class MortalGraph(Graph):
    """A process's Graph client that dies once ``rule`` has fired."""

    def __init__(self, base: Graph, rule: FaultRule) -> None:
        super().__init__(base.client)
        self.rule = rule

    async def request(self, method: str, path: str, body: Any = None,
                      headers: dict[str, str] | None = None) -> Any:
        if self.rule.fired:
            raise ProcessKilled()
        return await super().request(method, path, body, headers)


@dataclass(frozen=True)
class CrashPoint:
    name: str
    method: str
    list_title: str
    tail: str
    skip: int = 0
    command: str = "advise"  # the command that crashes: "start" or "advise"

    def path(self, site: GraphSite) -> str:
        return site.list_path(self.list_title) + self.tail


POINTS = [
    CrashPoint("create of a new dossier", "POST", DOSSIERS.title, "/items", command="start"),
    CrashPoint("commit", "PATCH", DOSSIERS.title, "/items/*/fields"),
    *(CrashPoint(f"create of event {n + 1} of 3", "POST", EVENTS.title, "/items", skip=n)
      for n in range(3)),
    CrashPoint("create of the notification", "POST", OUTBOX.title, "/items"),
    CrashPoint("create of the new task row", "POST", TASKS.title, "/items"),
    CrashPoint("delete of a task row", "DELETE", TASKS.title, "/items/*"),
    CrashPoint("clear of the pending events", "PATCH", DOSSIERS.title, "/items/*/fields",
               skip=1),
]


async def _person(services: Services, key: str) -> Person:
    person = await services.directory.user(key)
    assert person is not None, key
    return person


async def _start(services: Services, dossier_id: str, command_id: str) -> c.StartDossier:
    return c.StartDossier(dossier_id=dossier_id, actor=await _person(services, INITIATOR),
                          command_id=command_id, flow_id="collegevoorstel",
                          title="Parkeerbeleid 2027",
                          fields={"onderwerp": "Parkeren", "bedrag": "5000"})


async def _advise(services: Services, dossier_id: str) -> c.Act:
    return c.Act(dossier_id=dossier_id, actor=await _person(services, JURIST),
                 command_id="advise-1", action=c.Action.ADVISE, advice=c.Advice.POSITIEF,
                 text="Akkoord")


async def _check_all(site: GraphSite, clock: FixedClock) -> GraphDossierStore:
    """Finish what was left half done (the outbox's sweep), then check every invariant."""
    store = GraphDossierStore(site.graph(), site.site_id, clock=clock)
    clock.advance(timedelta(minutes=5))  # older than roll_forward_after: any worker finishes it
    await store.claim("sweeper", 100, 60)
    for item in site.server.items(DOSSIERS.title):
        assert "PendingEvents" not in item and "PendingSince" not in item, item["DossierId"]
    positions = Counter((i["DossierId"], i["Seq"]) for i in site.server.items(EVENTS.title))
    assert set(positions.values()) == {1}
    heads = await store.chain_heads()
    for dossier_id, (version, _) in heads.items():
        assert sorted(seq for d, seq in positions if d == dossier_id) == list(
            range(1, version + 1))
    records = [r for batch in [b async for b in store.chain_records()] for r in batch]
    assert verify_chain(records, heads) == []
    keys = Counter(i["NotificationKey"] for i in site.server.items(OUTBOX.title))
    assert set(keys.values()) == {1}
    return store


@pytest.mark.parametrize("mode", ["crash", "recover"])
@pytest.mark.parametrize("drop", ["drop_before", "drop_after"])
@pytest.mark.parametrize("point", POINTS, ids=[p.name for p in POINTS])
async def test_a_crash_point_records_each_action_once(point: CrashPoint, drop: str,
                                                      mode: str) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    async with graph_site(seed=11, retry_delay=0.05) as site:
        flows = await demo_flows(clock)
        setup = await demo_services(GraphDossierStore(site.graph(), site.site_id, clock=clock),
                                    clock, flows=flows)
        if point.command == "advise":
            await execute(await _start(setup, "2026-A", "start-1"), setup)
        before = list(await setup.store.load("2026-A"))
        command = (await _start(setup, "2026-A", "start-1") if point.command == "start"
                   else await _advise(setup, "2026-A"))
        rule: FaultRule = getattr(site.server.faults, drop)(
            method=point.method, path=point.path(site), skip=point.skip)
        graph = site.graph()
        first = await demo_services(GraphDossierStore(
            MortalGraph(graph, rule) if mode == "crash" else graph, site.site_id, clock=clock),
            clock, flows=flows)
        applied = not (point.name in ("commit", "create of a new dossier")
                       and drop == "drop_before")
        if mode == "crash":
            with pytest.raises(ProcessKilled):
                await execute(command, first)
        else:
            outcome = await execute(command, first)
            assert not outcome.duplicate
        assert rule.fired == 1

        # another process: it sees exactly what was committed, and a retry records nothing twice
        again = await demo_services(GraphDossierStore(site.graph(), site.site_id, clock=clock),
                                    clock, flows=flows)
        seen = list(await again.store.load("2026-A"))
        assert len(seen) > len(before) if applied or mode == "recover" else seen == before
        left = any("PendingEvents" in item for item in site.server.items(DOSSIERS.title))
        assert left == (mode == "crash" and applied
                        and (point.name, drop) != ("clear of the pending events", "drop_after"))
        retried = await execute(command, again)
        assert retried.duplicate == (applied or mode == "recover")
        after = list(await again.store.load("2026-A"))
        assert [e.seq for e in after] == list(range(1, len(after) + 1))
        assert Counter(e.event_id for e in after)[command.command_id] == 1
        assert [e.type for e in after].count(
            EventType.ADVICE_GIVEN if point.command == "advise" else EventType.DOSSIER_STARTED
        ) == 1
        store = await _check_all(site, clock)
        summary = await store.get_summary("2026-A")
        assert summary is not None
        rows = site.server.items(TASKS.title)
        assert {r["ActorOid"] for r in rows} == set(summary.actors())
        mine = await store.tasks_for(next(iter(summary.actors())))
        assert [s.id for s in mine] == ["2026-A"]


async def test_an_action_takes_three_requests_with_its_commit_the_second() -> None:
    """The command id check and the load in one ``$batch``, the commit (one conditional
    PATCH), then the roll-forward (one ``$batch``)."""
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    async with graph_site(seed=3) as site:
        store = GraphDossierStore(site.graph(), site.site_id, clock=clock)
        services = await demo_services(store, clock)
        await execute(await _start(services, "2026-A", "start-1"), services)
        fresh = GraphDossierStore(site.graph(), site.site_id, clock=clock)
        await fresh.lists.list_url(DOSSIERS.title)  # list ids: once per process
        site.server.stats.reset()
        outcome = await execute(await _advise(services, "2026-A"),
                                await demo_services(fresh, clock))
        assert len(outcome.events) == 3
        assert fresh.round_trips == {"lists": 1, "load": 1, "commit": 1, "roll_forward": 1}
        assert site.server.stats.http_requests == 3
        assert site.server.stats.count("PATCH", route="PATCH /sites/{site}/lists/{list}/items"
                                       "/{item}/fields", include_batch=False) == 1
        mine = await fresh.tasks_for((await _person(services, HEAD)).oid)
        assert [s.id for s in mine] == ["2026-A"]
        assert site.server.stats.http_requests == 3 + 2


async def test_a_command_id_reused_in_two_dossiers_at_once_keeps_both_chains_whole() -> None:
    """Only a forged request can do this: the id is new when one process checks it, another
    records it in dossier A, then the first commits it in dossier B. Both keep their event;
    the id stays A's."""
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    async with graph_site(seed=3) as site:
        first = GraphDossierStore(site.graph(), site.site_id, clock=clock)
        other = GraphDossierStore(site.graph(), site.site_id, clock=clock)
        in_a, in_b = kit.start("2026-A", first_id="reused"), kit.start("2026-B", first_id="reused")
        assert await first.find_event("reused") is None
        await other.append("2026-A", 0, in_a, kit.summary(in_a))
        assert list(await first.load("2026-B")) == []
        await first.append("2026-B", 0, in_b, kit.summary(in_b))
        reader = GraphDossierStore(site.graph(), site.site_id, clock=clock)
        assert list(await reader.load("2026-A")) == in_a
        assert list(await reader.load("2026-B")) == in_b
        found = await reader.find_event("reused")
        assert found is not None and found.dossier_id == "2026-A"
        records = [r for batch in [b async for b in reader.chain_records()] for r in batch]
        assert len(records) == 4
        assert sorted(i["EventId"] for i in site.server.items(EVENTS.title)) == [
            "reused", "reused#2026-B#1", "reused.1", "reused.1#2026-B#2"]
        assert verify_chain(records, await reader.chain_heads()) == []
        assert all("PendingEvents" not in item for item in site.server.items(DOSSIERS.title))


async def test_ids_that_differ_only_in_case_are_refused_not_retried() -> None:
    """SharePoint's unique columns ignore case: such an id can never be stored."""
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    async with graph_site(seed=3) as site:
        store = GraphDossierStore(site.graph(), site.site_id, clock=clock)
        stored = kit.start("2026-A", first_id="Start-1")
        await store.append("2026-A", 0, stored, kit.summary(stored))
        other = GraphDossierStore(site.graph(), site.site_id, clock=clock)
        lower = kit.start("2026-a")
        with pytest.raises(InvalidInput):
            await other.append("2026-a", 0, lower, kit.summary(lower))
        same_id = kit.start("2026-B", first_id="start-1")
        with pytest.raises(InvalidInput):
            await other.append("2026-B", 0, same_id, kit.summary(same_id))
        again = kit.start("2026-C", first_id="Start-1")
        with pytest.raises(ConcurrencyConflict):
            await other.append("2026-C", 0, again, kit.summary(again))
        assert [i["DossierId"] for i in site.server.items(DOSSIERS.title)] == ["2026-A"]


# --- 1,000 actions, eight workers, faults --------------------------------------------------

WORKERS = 8
ACTIONS = 1000
DOSSIER_COUNT = 5
COMMENTERS = (INITIATOR, *JURISTS)


def _share(number: int) -> list[int]:
    """The actions a worker sends: its own, and every tenth of its neighbour's again (a
    redelivery that reaches two instances at once)."""
    own = range(number, ACTIONS, WORKERS)
    twice = [n for n in range((number - 1) % WORKERS, ACTIONS, WORKERS) if n % 10 == 0]
    return sorted([*own, *twice])


async def _worker(site: GraphSite, number: int, dossiers: list[str], clock: SystemClock,
                  sent: set[str]) -> Counter[str]:
    store = GraphDossierStore(site.graph(), site.site_id, clock=clock)
    services = await demo_services(store, clock)
    tally: Counter[str] = Counter()
    for n in _share(number):
        author = await _person(services, COMMENTERS[n % len(COMMENTERS)])
        command = c.AddComment(dossier_id=dossiers[n % len(dossiers)], actor=author,
                               command_id=f"comment-{n}", text=f"opmerking {n}")
        sent.add(command.command_id)
        for _ in range(30):  # the client tries again with the same command id
            try:
                outcome = await execute(command, services)
            except (GraphError, ConcurrencyConflict) as error:
                tally[type(error).__name__] += 1
                continue
            tally["duplicate" if outcome.duplicate else "recorded"] += 1
            tally["attempts"] += outcome.attempts
            break
        else:
            raise AssertionError(f"{command.command_id} was never recorded")
    for op, count in store.round_trips.items():
        tally[f"rt:{op}"] += count
    return tally


@pytest.mark.slow
async def test_1000_actions_by_8_workers_with_faults_are_each_recorded_once() -> None:
    clock = SystemClock()
    async with graph_site(seed=5, retry_delay=0.05) as site:
        setup = await demo_services(GraphDossierStore(site.graph(), site.site_id, clock=clock),
                                    clock)
        dossiers = [f"2026-{n:03d}" for n in range(DOSSIER_COUNT)]
        for dossier_id in dossiers:
            await execute(await _start(setup, dossier_id, f"start-{dossier_id}"), setup)
        faults = site.server.faults
        faults.throttle(retry_after=1, rate=0.003, times=None)
        faults.unavailable(rate=0.015, times=None)
        faults.drop_before(rate=0.02, times=None)
        faults.drop_after(method="POST", rate=0.03, times=None)
        faults.drop_after(method="PATCH", rate=0.05, times=None)
        faults.race(rate=0.1, times=None)  # conditional writes only
        site.server.stats.reset()
        sent: set[str] = set()
        tallies = await asyncio.gather(*(_worker(site, w, dossiers, clock, sent)
                                         for w in range(WORKERS)))
        tally = sum(tallies, Counter())
        stats = site.server.stats
        faulted = sum(r.fired for r in faults.rules)
        print(f"\n{dict(tally)}\nrequests {stats.http_requests}, operations {stats.operations}, "
              f"faults {faulted}: {[(r.action, r.status, r.fired) for r in faults.rules]}")
        assert faulted >= 0.08 * stats.operations  # of every request and batch part
        faults.clear()

        reader = GraphDossierStore(site.graph(), site.site_id, clock=clock,
                                   roll_forward_after=0)
        events = [e for d in dossiers for e in await reader.load(d)]
        comments = [e for e in events if e.type is EventType.COMMENT_ADDED]
        assert len(comments) == ACTIONS
        assert sorted(e.payload.text for e in comments  # the comments' own payload type
                      if isinstance(e.payload, ev.CommentAdded)) == sorted(
            f"opmerking {n}" for n in range(ACTIONS))
        assert {e.event_id for e in comments} == sent  # nothing that was not sent
        assert tally["recorded"] + tally["duplicate"] == ACTIONS + ACTIONS // 10
        assert len({e.event_id for e in events}) == len(events)
        setup_ids = {f"start-{d}" for d in dossiers}
        assert all(e.event_id.split(".")[0] in setup_ids for e in events
                   if e.type is not EventType.COMMENT_ADDED)
        heads = await reader.chain_heads()
        records = [r for batch in [b async for b in reader.chain_records()] for r in batch]
        assert len(records) == len(events)
        assert verify_chain(records, heads) == []
