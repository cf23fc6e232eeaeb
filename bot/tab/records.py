"""The decision register, insight, my substitutes and the filters' choices.

The register and the insight come from the dossiers' facts (approvals/facts.py): a store
that keeps them (the embedded one) answers from its tables; another is read dossier by
dossier and folded here with the same function.

Who sees which decisions: a beheerder every decision; anyone else the decisions of the
dossiers they are involved in (as they may open those dossiers' pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import Field

from approvals import substitute_commands as sc
from approvals.errors import DomainError
from approvals.facts import DossierFacts, advance
from approvals.insight import InsightQuery, Lead, StageInsight, insight, rows
from approvals.ports import FactsQueries, FlowStatus
from approvals.register import RegisterLine, RegisterQuery, register, to_csv
from approvals.service import flow_version
from approvals.substitutes import Absence
from bot.tab import models as m
from bot.tab.core import ApiError, Call
from bot.tab.handlers import SCAN_BATCH, PageQuery, departments_of, refused, signed_url
from bot.tab.reads import moment, person
from cards.strings import strings

EXPORT_LIMIT = 50_000


Day = m.Day


class RegisterQueryParams(PageQuery):
    """The register's filters: the period of the decision (days, both included), the flow,
    who decided (or for whom; an object id), and a search on title, number and text."""

    since: Day | None = None
    until: Day | None = None
    flow: m.Id | None = None
    decider: m.ObjectId | None = None
    q: Annotated[str, Field(max_length=200)] | None = None


class ExportParams(m.Query):
    format: Literal["csv", "json"] = "csv"
    since: Day | None = None
    until: Day | None = None
    flow: m.Id | None = None
    decider: m.ObjectId | None = None
    q: Annotated[str, Field(max_length=200)] | None = None


class InsightParams(m.Query):
    """The insight's dossiers: started in the period (days, both included; a year back from
    today when not given; one that ends before it starts counts none), of a flow, of
    initiators in a department."""

    since: Day | None = None
    until: Day | None = None
    flow: m.Id | None = None
    department: Annotated[str, Field(max_length=200)] | None = None


# --- the facts, from the store or folded here ----------------------------------------------


def _queries(call: Call) -> FactsQueries | None:
    return call.tab.facts


async def _all_facts(call: Call) -> list[DossierFacts]:
    """Every dossier's facts, folded from its events (a store that keeps no facts)."""
    store = call.tab.services.store
    found: list[DossierFacts] = []
    offset = 0
    while True:
        batch = await store.list_summaries(limit=SCAN_BATCH, offset=offset)
        offset += len(batch)
        for s in batch:
            facts = advance(None, await store.load(s.id), s.flow_title)
            if facts is not None:
                found.append(facts)
        if len(batch) < SCAN_BATCH:
            return found


# --- the register -------------------------------------------------------------------------


def _register_query(call: Call, q: RegisterQueryParams | ExportParams) -> RegisterQuery:
    return RegisterQuery(  # a period that ends before it starts lists nothing
        since=q.since, until=q.until, flow_id=q.flow, decider=q.decider,
        text=(q.q or "").strip() or None,
        viewer=None if call.user.beheerder else call.user.person.oid)


async def _lines(call: Call, query: RegisterQuery, limit: int,
                 offset: int) -> tuple[Sequence[RegisterLine], int]:
    queries = _queries(call)
    if queries is not None:
        return await queries.query_decisions(query, limit=limit, offset=offset)
    lines = register(await _all_facts(call), query)
    return lines[offset:offset + limit], len(lines)


def _entry(call: Call, line: RegisterLine) -> m.RegisterEntry:
    d, zone, signed = line.decision, call.tab.zone, line.signed
    return m.RegisterEntry(
        dossier_id=d.dossier_id, number=d.dossier_id, title=d.title, flow_id=d.flow_id,
        flow=line.flow_title, stage_id=d.stage_id, decided_at=moment(d.at, zone),
        by=person(d.by), on_behalf_of=person(d.on_behalf_of) if d.on_behalf_of else None,
        text=d.text, signed=signed is not None,
        signed_url=signed_url(call, d.dossier_id, signed.name, signed.uri)
        if signed is not None else None,
        signers=list(signed.signers) if signed is not None else [],
        register_url=d.register_url or None)


async def decisions(call: Call) -> m.RegisterPage:
    q: RegisterQueryParams = call.query
    lines, total = await _lines(call, _register_query(call, q), q.page_size,
                                (q.page - 1) * q.page_size)
    return m.RegisterPage(items=[_entry(call, line) for line in lines], total=total,
                          page=q.page, page_size=q.page_size)


def dossier_link(call: Call, dossier_id: str) -> str:
    base = call.tab.settings.public_url or f"{call.request.scheme}://{call.request.host}"
    return f"{base}/tab/dossiers/{dossier_id}"


async def export(call: Call) -> m.Download:
    """The register as CSV (every cell safe against formula injection) or JSON."""
    q: ExportParams = call.query
    lines, total = await _lines(call, _register_query(call, q), EXPORT_LIMIT, 0)
    entries = [_entry(call, line) for line in lines]
    stamp = call.tab.services.clock.now().date().isoformat()
    if q.format == "json":
        body = m.RegisterExport(items=entries, total=total, limit=EXPORT_LIMIT)
        return m.Download(media_type="application/json", filename=f"besluiten-{stamp}.json",
                          content=body.model_dump_json())
    rows = ([e.decided_at.isoformat(), e.number, e.title, e.flow, e.by.name,
             e.on_behalf_of.name if e.on_behalf_of else "", e.text,
             dossier_link(call, e.dossier_id), ", ".join(e.signers)] for e in entries)
    return m.Download(media_type="text/csv", filename=f"besluiten-{stamp}.csv",
                      content=to_csv(strings(call.lang).tab_register_columns, rows))


# --- insight ------------------------------------------------------------------------------


async def _stage_titles(call: Call, flow_ids: set[str]) -> dict[tuple[str, str], str]:
    """The stages' titles in the latest version of each flow (the id when it has none)."""
    titles: dict[tuple[str, str], str] = {}
    for flow_id in sorted(flow_ids):
        try:
            flow = await flow_version(call.tab.services, flow_id, None)
        except DomainError:
            continue
        for stage in flow.all_stages():
            titles[(flow_id, stage.id)] = stage.title
    return titles


def _lead(lead: Lead) -> m.Lead:
    return m.Lead(count=lead.count, median=lead.median, p90=lead.p90)


async def insight_report(call: Call) -> m.Insight:
    q: InsightParams = call.query
    now = call.tab.services.clock.now()
    until = q.until or now.date()
    since = q.since or max(date.min + timedelta(days=365), until) - timedelta(days=365)
    queries = _queries(call)
    query = InsightQuery(since=since, until=until, flow_id=q.flow,
                         department=q.department or None)
    people = await departments_of(call)
    report = (await queries.insight(query, now, people) if queries is not None
              else insight(*rows(await _all_facts(call)), query, now, people))
    titles = await _stage_titles(call, {f.flow_id for f in report.flows})

    def stage(s: StageInsight) -> m.StageInsight:
        return m.StageInsight(
            flow_id=s.flow_id, flow=s.flow_title, stage_id=s.stage_id,
            stage=titles.get((s.flow_id, s.stage_id), s.stage_id), lead=_lead(s.lead),
            wait=_lead(s.wait), overdue=s.overdue, open=s.open)

    return m.Insight(
        since=report.since, until=report.until, dossiers=report.dossiers,
        flows=[m.FlowInsight(flow_id=f.flow_id, flow=f.flow_title, started=f.started,
                             closed=f.closed, lead=_lead(f.lead), overdue=f.overdue)
               for f in report.flows],
        stages=[stage(s) for s in report.stages], longest=[stage(s) for s in report.longest],
        departments=[m.DepartmentInsight(department=d.department, started=d.started,
                                         closed=d.closed, lead=_lead(d.lead),
                                         overdue=d.overdue) for d in report.departments])


# --- my substitutes -----------------------------------------------------------------------


def _substitute(a: Absence) -> m.Substitute:
    return m.Substitute(id=a.id, person=person(a.person), substitute=person(a.substitute),
                        start=a.start, end=a.end, reason=a.reason, set_by=person(a.set_by))


async def my_substitutes(call: Call) -> m.Substitutes:
    try:
        found = await sc.current_substitutes(call.tab.services, call.user.person)
    except DomainError as error:
        raise refused(call, error, None) from None
    return m.Substitutes(items=[_substitute(a) for a in found])


async def set_my_substitute(call: Call) -> m.Substitutes:
    """Name a substitute for a period, through the same command as the command line."""
    request: m.SubstituteRequest = call.body
    services = call.tab.services
    who = request.substitute.strip()
    substitute = await services.directory.user(who) if who else None
    if substitute is None:
        raise ApiError(409, "unknown_user", strings(call.lang).bot_unknown_colleague.format(
            email=who[:100]), "substitute")
    me = call.user.person
    try:
        await sc.set_substitute(services, actor=me, person=me, substitute=substitute,
                                start=request.start, end=request.end,
                                reason=request.reason.strip())
    except DomainError as error:
        raise _substitute_refused(call, error) from None
    return await my_substitutes(call)


async def clear_my_substitutes(call: Call) -> m.Substitutes:
    me = call.user.person
    try:
        await sc.clear_substitutes(call.tab.services, actor=me, person=me)
    except DomainError as error:
        raise _substitute_refused(call, error) from None
    return await my_substitutes(call)


_SUBSTITUTE_FIELDS = {"substitute_is_self": "substitute", "period_reversed": "end",
                      "period_past": "end", "period_too_long": "end",
                      "absence_reason_required": "reason", "substitute_overlap": "start"}


def _substitute_refused(call: Call, error: DomainError) -> ApiError:
    from cards.refusals import refusal_text

    # the request is well formed but does not fit (today, the directory, the periods already
    # named): 409, with the input to change in ``field``
    status = 503 if error.refusal == "substitutes_unavailable" else 409
    return ApiError(status, error.refusal or error.code, refusal_text(error, call.lang),
                    _SUBSTITUTE_FIELDS.get(error.refusal))


# --- the filters' choices -----------------------------------------------------------------


async def flow_choices(call: Call) -> m.FlowChoices:
    """The flows that are or were published, each with the stages of its latest version."""
    records = await call.tab.services.flows.list()
    latest: dict[str, int] = {}
    for r in records:
        if r.status in (FlowStatus.PUBLISHED, FlowStatus.WITHDRAWN):
            latest[r.id] = max(latest.get(r.id, 0), r.version)
    items = []
    for flow_id, version in sorted(latest.items()):
        try:
            flow = await flow_version(call.tab.services, flow_id, version)
        except DomainError:
            continue
        items.append(m.FlowChoice(id=flow_id, title=flow.title, stages=[
            m.StageChoice(id=s.id, title=s.title) for s in flow.all_stages()]))
    return m.FlowChoices(items=items)
