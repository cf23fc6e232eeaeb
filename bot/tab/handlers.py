"""What each API operation does: through the same service, commands and refusals as the cards.

A task action goes through ``approvals.service.try_execute`` with the task the user saw
(stage, round, for whom), exactly as a card click does, so a stale task, a closed dossier or a
click that is not the user's turn is refused with the domain's reason and records nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, cast
from urllib.parse import quote
from zoneinfo import ZoneInfo

from pydantic import Field

from approvals import commands as c
from approvals.audit import verify_chain
from approvals.dossier import DossierState
from approvals.errors import (
    AUDIT_WORDS,
    ChainBroken,
    DomainError,
    DossierClosed,
    InvalidInput,
    NotYourTurn,
    StaleTask,
    UnknownDossier,
    UnknownUser,
    audit_reason,
)
from approvals.events import Channel
from approvals.flows.definition import FlowDefinition, StageKind
from approvals.readmodels import (
    BadCursor,
    DossierSummary,
    SummaryQuery,
    matches,
    offset_page,
    summarize,
    timeline,
    who_is_to_act,
)
from approvals.service import Snapshot, flow_version, read, try_execute
from approvals.signing_stage import signed_states
from approvals.text import UnsafeText, multi_line, one_line
from approvals.turns import SeenTask
from bot.tab import models as m
from bot.tab import reads
from bot.tab.core import ApiError, Call
from cards import contract as k
from cards.refusals import refusal_text
from cards.strings import cli_strings, strings

log = logging.getLogger("paraaf.tab")
ID = re.compile(k.ID_PATTERN)
MAX_QUERY = 200
MAX_CURSOR = 2000
SCAN_BATCH = 500


class PageQuery(m.Query):
    page: Annotated[int, Field(ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25


class DossierQuery(PageQuery):
    """The overview's filters: status, flow, stage, who is to act (an object id), overdue,
    initiator (an object id), the initiating department (the initiator's department in the
    directory, as the insight's), the period the dossier started in (``started_from`` to
    ``started_to``, ISO days, both included) and a search on title and number; ``after`` is
    the cursor ``next`` of the page before (it replaces ``page``)."""

    status: m.Status | None = None
    flow: m.Id | None = None
    stage: m.Id | None = None
    to_act: m.ObjectId | None = None
    overdue: bool | None = None
    initiator: m.ObjectId | None = None
    department: m.Department | None = None
    started_from: m.Day | None = None
    started_to: m.Day | None = None
    q: Annotated[str, Field(max_length=MAX_QUERY)] | None = None
    after: Annotated[str, Field(max_length=MAX_CURSOR)] | None = None


# --- who I am ----------------------------------------------------------------------------


async def me(call: Call) -> m.Me:
    p = call.user.person
    return m.Me(id=p.oid, name=p.name, language="en" if call.lang == "en" else "nl",
                beheerder=call.user.beheerder)


async def departments_of(call: Call) -> dict[str, str]:
    """Each person's department (object id -> name), as the directory lists its people (the
    YAML one locally, Entra ID on Microsoft 365): the insight's "per department" and the
    overview's department filter."""
    people = call.tab.people
    return {} if people is None else dict(await people.departments())


async def departments(call: Call) -> m.Departments:
    return m.Departments(items=sorted({d for d in (await departments_of(call)).values() if d}))


async def local_users(call: Call) -> m.LocalUsers:
    return m.LocalUsers(items=[
        m.LocalUser(id=u.person.oid, name=u.person.name, department=u.department,
                    beheerder=u.beheerder)
        for u in call.tab.demo_users or ()])


# --- the werkvoorraad --------------------------------------------------------------------


async def _flows(call: Call, summaries: Sequence[DossierSummary],
                 ) -> dict[tuple[str, int], FlowDefinition]:
    found: dict[tuple[str, int], FlowDefinition] = {}
    for s in summaries:
        key = (s.flow_id, s.flow_version)
        if key not in found:
            try:
                found[key] = await flow_version(call.tab.services, *key)
            except DomainError:  # a flow version that cannot be read: its tasks still show
                continue
    return found


async def tasks(call: Call) -> m.Tasks:
    services = call.tab.services
    summaries = await services.store.tasks_for(call.user.person.oid)
    today = services.clock.now().date()
    return m.Tasks(items=reads.tasks(summaries, call.user.person.oid, today,
                                     await _flows(call, summaries)))


# --- task actions ------------------------------------------------------------------------


def _not_found(call: Call) -> ApiError:
    return ApiError(404, "not_found", strings(call.lang).tab_not_found)


def _dossier_id(call: Call, value: str) -> str:
    if not ID.match(value):
        raise _not_found(call)
    return value


async def _visible(call: Call, dossier_id: str) -> Snapshot:
    """The dossier, when the user is involved in it or a beheerder (else 404, as for a
    dossier that does not exist: a dossier holds personal data)."""
    try:
        snapshot = await read(call.tab.services, dossier_id)
    except UnknownDossier:
        raise _not_found(call) from None
    if call.user.person.oid not in snapshot.state.participants and not call.user.beheerder:
        raise _not_found(call)
    return snapshot


@dataclass(frozen=True)
class _Task:
    """A checked task action: the task the user saw and the inputs of the verb."""

    verb: str
    stage_id: str
    round: int
    on_behalf_of: str | None
    values: dict[str, str]
    version: int = 0  # the dossier version the user saw


def _checked(call: Call, request: m.ActionRequest) -> _Task:
    """The inputs as the domain takes them: texts trimmed and held to the card's rules
    (one line or several, no control characters), the verb's required inputs present."""
    values: dict[str, str] = {}
    for key in k.TASK_INPUTS:
        raw = getattr(request, key, None) or ""
        what = {k.TEXT: "text", k.COMMENT: "comment"}.get(key, "reason")
        values[key] = (multi_line if key in k.MULTI_LINE else one_line)(raw, what)
    for key in k.REQUIRED.get(request.verb, ()):
        if not values[key]:
            raise ApiError(422, "required", strings(call.lang).tab_bad_input.format(field=key),
                           key)
    return _Task(request.verb, request.stage_id, request.round, request.on_behalf_of, values,
                 request.version)


async def _command(call: Call, dossier_id: str, task: _Task) -> c.Command:
    actor = call.user.person
    v = task.values
    base: dict[str, Any] = {
        "dossier_id": dossier_id, "actor": actor, "channel": Channel.TAB.value,
        "round": task.round,
        # the same task action gives the same id as the same click on its card
        "command_id": c.click_command_id(
            dossier_id, task.stage_id, str(task.round), actor.oid, task.on_behalf_of or "",
            task.verb, {"comment": v[k.COMMENT], "delegate": v[k.DELEGATE_TO],
                        "sign": str(task.version)}.get(task.verb, "")),
    }
    slot: dict[str, Any] = {"stage_id": task.stage_id, "on_behalf_of": task.on_behalf_of}
    if task.verb == k.RETURN:
        return c.Return(**base, **slot, to_stage=v[k.RETURN_TO], reason=v[k.RETURN_REASON])
    if task.verb == k.REJECT:
        return c.Reject(**base, **slot, reason=v[k.REJECT_REASON])
    if task.verb == k.COMMENT_VERB:
        return c.AddComment(**base, text=v[k.COMMENT])
    if task.verb == k.DELEGATE:
        substitute = await call.tab.services.directory.user(v[k.DELEGATE_TO])
        if substitute is None:
            message = strings(call.lang).bot_unknown_colleague.format(email=v[k.DELEGATE_TO])
            raise ApiError(422, "unknown_user", message, k.DELEGATE_TO)
        return c.Delegate(**base, stage_id=task.stage_id, to=substitute,
                          reason=v[k.DELEGATE_REASON])
    if task.verb == k.ADVISE and not v[k.ADVICE]:
        raise ApiError(422, "advice_required", strings(call.lang).refusals["advice_required"],
                       k.ADVICE)
    advice = c.Advice(v[k.ADVICE]) if task.verb == k.ADVISE else None
    return c.Act(**base, **slot, action=c.Action(task.verb), advice=advice, text=v[k.TEXT])


_FIELDS = {"return_target_invalid": k.RETURN_TO, "advice_required": k.ADVICE,
           "advice_not_allowed": k.ADVICE, "comment_empty": k.COMMENT,
           "delegate_to_self": k.DELEGATE_TO, "delegate_to_initiator": k.DELEGATE_TO,
           "delegate_already_assignee": k.DELEGATE_TO}


def refused(call: Call, error: DomainError, flow: FlowDefinition | None) -> ApiError:
    """A domain refusal as the API answers it: 422 for input the user can correct, 409 for
    a task that no longer fits the dossier (stale, closed, not their turn, busy)."""

    def title(stage: str) -> str:
        return flow.stage(stage).title if flow and flow.has_stage(stage) else stage

    bad_input = isinstance(error, (InvalidInput, UnknownUser)) or error.refusal in _FIELDS
    if isinstance(error, (DossierClosed, StaleTask, NotYourTurn)):
        bad_input = False
    message = refusal_text(error, call.lang, title) if error.refusal else (
        strings(call.lang).bot_busy if error.code == "concurrency_conflict"
        else strings(call.lang).bot_not_allowed)
    field = _FIELDS.get(error.refusal)
    if isinstance(error, UnsafeText):
        field = {"text": k.TEXT, "comment": k.COMMENT}.get(error.what)
    return ApiError(422 if bad_input else 409, error.refusal or error.code, message, field)


async def _act(call: Call, dossier_id: str, request: m.ActionRequest) -> m.DossierSummary:
    """One task action through the service; the dossier after it, or ApiError."""
    snapshot = await _visible(call, dossier_id)
    try:
        task = _checked(call, request)
    except UnsafeText as error:
        raise refused(call, error, snapshot.flow) from None
    command = await _command(call, dossier_id, task)
    outcome = await try_execute(command, call.tab.services,
                                SeenTask(task.stage_id, task.round, task.on_behalf_of))
    if outcome.refusal is not None:
        raise refused(call, outcome.refusal, outcome.flow)
    services = call.tab.services
    return reads.summary(summarize(outcome.state, outcome.flow), services.clock.now().date(),
                         call.tab.zone)


async def act(call: Call) -> m.ActionResult:
    dossier_id = _dossier_id(call, call.path("id"))
    return m.ActionResult(dossier=await _act(call, dossier_id, call.body))


async def bulk(call: Call) -> m.BulkResults:
    """Each task its own command, in the order given; one refused does not stop the rest."""
    request: m.BulkRequest = call.body
    results = []
    for item in request.items:
        action = m.ActionRequest(verb=request.verb, stage_id=item.stage_id, round=item.round,
                                 version=item.version, on_behalf_of=item.on_behalf_of,
                                 text=request.text)
        try:
            await _act(call, item.dossier_id, action)
        except ApiError as error:
            results.append(m.BulkResult(dossier_id=item.dossier_id, ok=False,
                                        error=error.body))
            continue
        results.append(m.BulkResult(dossier_id=item.dossier_id, ok=True, error=None))
    return m.BulkResults(results=results)


# --- the dossiers ------------------------------------------------------------------------


async def _summaries(call: Call, status: str | None) -> list[DossierSummary]:
    """Every dossier (with ``status``) the store lists, most recently changed first."""
    store = call.tab.services.store
    found: list[DossierSummary] = []
    while True:
        batch = await store.list_summaries(status=status, limit=SCAN_BATCH,
                                           offset=len(found))
        found.extend(batch)
        if len(batch) < SCAN_BATCH:
            return found


def _page(call: Call, found: list[DossierSummary], query: PageQuery) -> m.DossierPage:
    today = call.tab.services.clock.now().date()
    start = (query.page - 1) * query.page_size
    return m.DossierPage(
        items=[reads.summary(s, today, call.tab.zone)
               for s in found[start:start + query.page_size]],
        total=len(found), page=query.page, page_size=query.page_size)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, zone)


async def dossiers(call: Call) -> m.DossierPage:
    """The dossiers a user may see in the overview: for a beheerder every dossier, for
    anyone else those they started or are to act in now. A store that answers the query
    itself (the embedded one, from its indexes) does; another is read and filtered here."""
    q: DossierQuery = call.query
    today = call.tab.services.clock.now().date()
    user = call.user
    if q.started_from is not None and q.started_to is not None and q.started_from > q.started_to:
        s = strings(call.lang)
        raise ApiError(422, "invalid_input", s.tab_bad_request.format(
            detail=s.tab_period_reversed.format(start=q.started_from, end=q.started_to)),
            field="started_to")
    initiators = None
    if q.department is not None:
        initiators = tuple(sorted(oid for oid, name in (await departments_of(call)).items()
                                  if name == q.department))
    # the days in the municipality's zone: from the midnight that starts the first, before
    # the one that ends the last
    zone = ZoneInfo(call.tab.zone)
    query = SummaryQuery(
        status=q.status, flow_id=q.flow, stage_id=q.stage, to_act=q.to_act,
        initiator=q.initiator, overdue=q.overdue, text=(q.q or "").strip() or None,
        viewer=None if user.beheerder else user.person.oid, today=today,
        initiators=initiators,
        started_from=None if q.started_from is None else _midnight(q.started_from, zone),
        started_before=None if q.started_to is None
        else _midnight(q.started_to + timedelta(days=1), zone))
    queries = call.tab.queries
    if queries is not None:
        if q.after is not None or q.page == 1:
            try:
                got = await queries.page_summaries(query, limit=q.page_size, after=q.after)
            except BadCursor as error:
                raise ApiError(422, "invalid_input", str(error), field="after") from error
        else:
            offset = (q.page - 1) * q.page_size
            found, total = await queries.query_summaries(query, limit=q.page_size,
                                                         offset=offset)
            got = offset_page(found, total, query, offset)
        return m.DossierPage(items=[reads.summary(s, today, call.tab.zone) for s in got.items],
                             total=got.total, page=q.page, page_size=q.page_size,
                             next=got.next)
    listed = [s for s in await _summaries(call, q.status) if matches(s, query)]
    return _page(call, listed, q)


async def unassigned(call: Call) -> m.DossierPage:
    """Open dossiers in which nobody is to act (a stage nobody could be found for)."""
    found = [s for s in await _summaries(call, "open") if not s.actors()]
    return _page(call, found, call.query)


async def dossier(call: Call) -> m.Dossier:
    dossier_id = _dossier_id(call, call.path("id"))
    try:
        snapshot = await _visible(call, dossier_id)
    except ChainBroken:
        return await _broken(call, dossier_id)
    state, flow, zone = snapshot.state, snapshot.flow, call.tab.zone
    services = call.tab.services
    today = services.clock.now().date()
    return m.Dossier(
        summary=reads.summary(summarize(state, flow), today, zone),
        fields={name: reads.json_value(value) for name, value in state.fields.items()},
        field_labels={f.name: f.label for f in flow.fields if f.name in state.fields},
        events=reads.events(timeline(snapshot.events), zone),
        documents=reads.documents(state, await _comments(call, state.id)),
        advice=reads.advice(state, flow, zone),
        decision=reads.decision(state, zone),
        audit=await _audit(call, state.id),
        signing=await _signing(call, state, flow),
    )


async def _signing(call: Call, state: DossierState,
                   flow: FlowDefinition) -> m.Signing | None:
    """Who signed, who is still to sign, and each signed PDF checked as it is now."""
    sign_stages = [st for st in flow.all_stages() if st.kind is StageKind.SIGN]
    if not sign_stages and not state.signings:
        return None
    stage = call.tab.services.signing
    verifier = stage.verifier if stage is not None else None
    documents: list[m.SignedPdf] = []
    if verifier is not None:
        checked = await signed_states(state, call.tab.documents, verifier)
        shown = [(c.recorded, c.state, c.level) for c in checked]
    else:
        latest = {signed.name: signed for signed in state.signings}
        shown = [(signed, "unchecked", "") for signed in latest.values()]
    for signed, check, level in shown:
        documents.append(m.SignedPdf(
            name=signed.name, url=signed_url(call, state.id, signed.name, signed.uri),
            state=cast(m.SignatureCheck, check), level=level,
            signers=[reads.person(p) for p in signed.signers],
            signed_at=reads.moment(signed.signed_at, call.tab.zone)))
    active = who_is_to_act(state, flow) if state.is_open else ()
    to_sign = [reads.person(p) for st in active if st.kind == StageKind.SIGN.value
               for p in st.waiting_for]
    later = [st.title for st in sign_stages if st.id not in state.stages] \
        if state.is_open else []
    return m.Signing(documents=documents, to_sign=to_sign, later_stages=later)


def signed_url(call: Call, dossier_id: str, name: str, uri: str) -> str:
    """The document library's link; on the local backend the tab's own download (a folder
    of files has no web address)."""
    if call.tab.settings.backend == "local":
        return f"/api/v1/dossiers/{dossier_id}/signed?name={quote(name)}"
    return uri


class SignedQuery(m.Query):
    name: Annotated[str, Field(min_length=1, max_length=200)]


async def signed_pdf(call: Call) -> m.Download:
    """A signed PDF of the dossier, as it is now (someone who may see the dossier)."""
    dossier_id = _dossier_id(call, call.path("id"))
    snapshot = await _visible(call, dossier_id)
    q: SignedQuery = call.query
    if q.name not in {signed.name for signed in snapshot.state.signings}:
        raise _not_found(call)
    try:
        content = await call.tab.documents.get(dossier_id, q.name)
    except DomainError:
        raise _not_found(call) from None
    return m.Download(media_type="application/pdf", filename=q.name, data=content,
                      inline=True)


async def _broken(call: Call, dossier_id: str) -> m.Dossier:
    """A dossier whose stored events do not form a chain cannot be read as a state: its page
    shows the summary stored beside the events and where the chain breaks."""
    summary = await call.tab.services.store.get_summary(dossier_id)
    oid = call.user.person.oid
    if summary is None or not (call.user.beheerder or oid == summary.initiator.oid
                               or oid in summary.actors()):
        raise _not_found(call)
    today = call.tab.services.clock.now().date()
    return m.Dossier(summary=reads.summary(summary, today, call.tab.zone), fields={},
                     field_labels={}, events=[],
                     documents=[], advice=[], decision=None, audit=await _audit(call, dossier_id),
                     signing=None)


async def _comments(call: Call, dossier_id: str) -> Sequence[Any]:
    """The comments in the dossier's Word documents; none when the library cannot be read
    (the page still shows the rest)."""
    try:
        return await call.tab.documents.comments(dossier_id)
    except Exception:
        log.warning("document comments unavailable",
                                                exc_info=True, extra={"dossier_id": dossier_id})
        return ()


async def _audit(call: Call, dossier_id: str) -> m.Audit:
    """The dossier's hash chain checked as ``paraaf audit verify`` checks it."""
    store = call.tab.services.store
    records = [r async for batch in store.chain_records(dossier_id) for r in batch]
    breaks = verify_chain(records, await store.chain_heads(dossier_id))
    if not breaks:
        return m.Audit(intact=True, events=len(records), problem=None)
    first = breaks[0]
    words = cli_strings(call.lang).audit_words
    reason = audit_reason(first.code, first.params, words or AUDIT_WORDS)
    return m.Audit(intact=False, events=len(records), problem=f"{first.seq}: {reason}")
