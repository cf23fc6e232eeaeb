"""The Graph dossier store on the Graph test server: requests per approve, per "my tasks" and
per page of the tab's overview, and the time of an approve with 80 ms between this process
and Graph.

An approve through ``approvals.service.execute`` sends three requests: ``load_for_command``
(the command id check and the load, one ``$batch``), the commit (one conditional PATCH) and
its roll-forward (one more ``$batch``). The action is durable, and visible to every reader,
once the commit is written: the time until the commit is reported apart.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from approvals import commands as c
from approvals.readmodels import SummaryQuery
from approvals.service import Services, execute
from benchmarks.stats import Result, latency_ms, percentile
from graph.dossier_store import GraphDossierStore
from tests.support.graph_fixtures import GraphSite, demo_services, graph_site

INITIATOR = "t.dejong@voorbeeldstad.nl"
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"
DIRECTOR = "r.bakker@voorbeeldstad.nl"
LATENCY = 0.08


async def _person(services: Services, key: str) -> Any:
    person = await services.directory.user(key)
    assert person is not None, key
    return person


async def _at_accord(services: Services, first: int, count: int) -> list[str]:
    """Dossiers waiting for the director's approval (advised and initialled)."""
    ids = []
    for n in range(first, first + count):
        dossier_id = f"G-{n:04d}"
        await execute(c.StartDossier(
            dossier_id=dossier_id, actor=await _person(services, INITIATOR),
            command_id=f"start-{n}", flow_id="collegevoorstel", title=f"Voorstel {n}",
            fields={"onderwerp": "Benchmark", "bedrag": "5000"}), services)
        await execute(c.Act(dossier_id=dossier_id, actor=await _person(services, JURIST),
                            command_id=f"advise-{n}", action=c.Action.ADVISE,
                            advice=c.Advice.POSITIEF), services)
        await execute(c.Act(dossier_id=dossier_id, actor=await _person(services, HEAD),
                            command_id=f"initial-{n}", action=c.Action.INITIAL), services)
        ids.append(dossier_id)
    return ids


def _approve(dossier_id: str, director: Any) -> c.Act:
    return c.Act(dossier_id=dossier_id, actor=director, command_id=f"approve-{dossier_id}",
                 action=c.Action.APPROVE)


async def _my_tasks(site: GraphSite) -> Result:
    store = GraphDossierStore(site.graph(), site.site_id)
    director = await _person(await demo_services(store, store.clock), DIRECTOR)
    await store.lists.list_url("Dossiers")
    site.server.stats.reset()
    tasks = await store.tasks_for(director.oid)
    return Result("graph: requests of 'my tasks'", site.server.stats.http_requests, "requests",
                  2, higher_is_better=False, details={
                      "tasks": len(tasks),
                      "operations (batch parts)": site.server.stats.operations})


OVERVIEW_PAGE = 10


async def _overview(site: GraphSite, name: str, queries: dict[str, SummaryQuery],
                    page: int) -> Result:
    """Requests of one page of the overview (``page`` 1 or 2: the second by the cursor of
    the first), for each query, by a store that has looked up the list ids; the most
    requests any query needed."""
    used: dict[str, int] = {}
    listed: dict[str, int] = {}
    for label, query in queries.items():
        store = GraphDossierStore(site.graph(), site.site_id)
        await store.lists.list_url("Dossiers")
        after = None
        if page == 2:
            after = (await store.page_summaries(query, limit=OVERVIEW_PAGE)).next
            assert after is not None, label
        site.server.stats.reset()
        found = await store.page_summaries(query, limit=OVERVIEW_PAGE, after=after)
        used[label] = site.server.stats.http_requests
        listed[label] = len(found.items)
        assert found.items, label
    return Result(name, max(used.values()), "requests", 2, higher_is_better=False, details={
        "page size": OVERVIEW_PAGE,
        **{f"{label}: requests (dossiers)": f"{used[label]} ({listed[label]})"
           for label in queries}})


async def _overviews(site: GraphSite, setup: Services) -> list[Result]:
    """The overview's first page and a second page of filtered queries (a beheerder's and
    an employee's), each in at most two requests."""
    director = await _person(setup, DIRECTOR)
    initiator = await _person(setup, INITIATOR)
    today = setup.clock.now().date() + timedelta(days=60)  # every due date has passed
    first = await _overview(site, "graph: requests of an overview page (first page)", {
        "everything": SummaryQuery(), "open": SummaryQuery(status="open"),
        "what an employee sees": SummaryQuery(viewer=initiator.oid)}, 1)
    filtered = await _overview(site, "graph: requests of an overview page (filtered, page 2)", {
        "status and flow": SummaryQuery(status="open", flow_id="collegevoorstel"),
        "initiator": SummaryQuery(initiator=initiator.oid),
        "overdue": SummaryQuery(overdue=True, today=today),
        "who is to act": SummaryQuery(to_act=director.oid),
        "what an employee sees": SummaryQuery(viewer=initiator.oid, status="open"),
        "search on the title": SummaryQuery(text="voorstel 1"),
        "stage": SummaryQuery(stage_id="accord_directeur")}, 2)
    return [first, filtered]


async def _approves(site: GraphSite, dossiers: list[str]) -> Result:
    """Requests of each approve, by a fresh process's store (nothing cached)."""
    per: list[Counter[str]] = []
    for dossier_id in dossiers:
        store = GraphDossierStore(site.graph(), site.site_id)
        services = await demo_services(store, store.clock)
        director = await _person(services, DIRECTOR)
        await store.lists.list_url("Dossiers")  # the list ids, looked up once per process
        site.server.stats.reset()
        await execute(_approve(dossier_id, director), services)
        used = Counter(store.round_trips)
        used["http"] = site.server.stats.http_requests
        used["operations"] = site.server.stats.operations
        used["resource units"] = site.server.stats.resource_units
        per.append(used)
    n = len(per)
    totals = sum(per, Counter())
    upto = [u["load"] + u["commit"] for u in per]
    return Result("graph: requests of an approve", max(u["http"] for u in per), "requests", 3,
                  higher_is_better=False, details={
                      "command check + load (one $batch)": totals["load"] / n,
                      "commit (one conditional PATCH)": totals["commit"] / n,
                      "up to and including the commit": max(upto),
                      "roll-forward (after the commit)": totals["roll_forward"] / n,
                      "HTTP requests in all": totals["http"] / n,
                      "operations (batch parts)": totals["operations"] / n,
                      "SharePoint resource units (estimate)": totals["resource units"] / n,
                      "approves": n})


async def _latency(site: GraphSite, dossiers: list[str]) -> Result:
    store = GraphDossierStore(site.graph(), site.site_id)
    services = await demo_services(store, store.clock)
    director = await _person(services, DIRECTOR)
    await store.lists.list_url("Dossiers")
    commit = store.commits.commit
    to_commit: list[float] = []
    started = 0.0

    async def timed(*args: Any, **kwargs: Any) -> Any:
        head = await commit(*args, **kwargs)
        to_commit.append(time.perf_counter() - started)
        return head

    store.commits.commit = timed  # type: ignore[method-assign]
    site.server.faults.latency = LATENCY
    samples = []
    try:
        for dossier_id in dossiers:
            started = time.perf_counter()
            await execute(_approve(dossier_id, director), services)
            samples.append(time.perf_counter() - started)
    finally:
        site.server.faults.latency = 0.0
    ms = latency_ms(samples)
    return Result("graph: approve with 80 ms to Graph, p95", ms["p95"], "ms", 500,
                  higher_is_better=False, details={
                      "p50 ms": round(ms["p50"], 1), "p95 ms": round(ms["p95"], 1),
                      "until the commit p50 ms": round(percentile(to_commit, 50) * 1000, 1),
                      "until the commit p95 ms": round(percentile(to_commit, 95) * 1000, 1),
                      "floor (3 sequential requests x 80 ms)": 3 * LATENCY * 1000,
                      "approves": len(samples)})


async def _run(approves: int, tasks: int) -> list[Result]:
    async with graph_site(seed=3) as site:
        store = GraphDossierStore(site.graph(), site.site_id)
        setup = await demo_services(store, store.clock)
        counted = await _at_accord(setup, 0, tasks)
        results = [await _my_tasks(site)]
        results += await _overviews(site, setup)  # before the approves: all at the accord
        results.append(await _approves(site, counted))
        timed = await _at_accord(setup, tasks, approves)
        results.append(await _latency(site, timed))
        return results


def run(workdir: Path, approves: int = 30, tasks: int = 20) -> list[Result]:
    """``workdir`` is unused: the server keeps its lists in memory."""
    return asyncio.run(_run(approves, tasks))


if __name__ == "__main__":
    for result in run(Path(".bench")):
        print(f"{result.name}: {result.value:,.1f} {result.unit} (target {result.target}) "
              f"{result.details}")
