"""Stromen (beheerders): flows and their versions, checking a draft, simulating a dossier on
it, publishing, withdrawing, export and import.

The same domain code as the command line's ``paraaf flow ...``: the validator
(:func:`approvals.flows.yaml_io.check_flow`), publishing (:func:`approvals.flow_admin.publish`),
the FlowRepository's version rules and the simulation (:mod:`approvals.simulation`). A draft
comes as data (the designer's form, in the shape of the YAML document) or as YAML text; data is
written as YAML first, so the validator's paths and lines are those of that text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field

from approvals import commands as c
from approvals.errors import (
    DomainError,
    FlowIssue,
    FlowValidationError,
    InvalidInput,
    UnknownFlow,
    UnknownUser,
)
from approvals.events import Channel
from approvals.flow_admin import publish, simulate_start
from approvals.flows.definition import FlowDefinition
from approvals.flows.nodes import MAX_DEPTH
from approvals.flows.yaml_io import check_flow, dump_data, flow_data
from approvals.ports import DirectorySearch, FlowRecord, FlowStatus
from approvals.service import flow_version, read, try_execute
from approvals.simulation import Simulation
from approvals.text import one_line
from bot.tab import models as m
from bot.tab.core import ApiError, Call
from bot.tab.handlers import ID, refused
from cards.flow_words import issue_texts
from cards.skips import skip_text
from cards.strings import strings

DRAFT = "<concept>"
MAX_PICKS = 50


class VersionQuery(m.Query):
    version: Annotated[int, Field(ge=1, le=1_000_000)] | None = None


class DirectoryQuery(m.Query):
    q: Annotated[str, Field(max_length=100)] = ""
    kind: Literal["user", "group", "role"] | None = None


# --- reading --------------------------------------------------------------------------------


def _version(record: FlowRecord) -> m.FlowVersion:
    return m.FlowVersion(id=record.id, version=record.version, title=record.title,
                         status=record.status.value, published_by=record.published_by,
                         published_at=record.published_at)


async def flows(call: Call) -> m.Flows:
    """Every flow with its versions, by id; the title of the newest version."""
    by_id: dict[str, list[FlowRecord]] = {}
    for record in await call.tab.services.flows.list():
        by_id.setdefault(record.id, []).append(record)
    items = []
    for flow_id in sorted(by_id):
        records = sorted(by_id[flow_id], key=lambda r: r.version)
        published = [r.version for r in records if r.status is FlowStatus.PUBLISHED]
        items.append(m.FlowItem(id=flow_id, title=records[-1].title,
                                current=max(published) if published else None,
                                versions=[_version(r) for r in records]))
    return m.Flows(items=items)


def _unknown(call: Call) -> ApiError:
    return ApiError(404, "not_found", strings(call.lang).tab_not_found)


async def _record(call: Call) -> FlowRecord:
    """The version asked for (none named: the current one, else the newest)."""
    flow_id: str = call.path("id")
    version = call.query.version if call.query is not None else None
    repository = call.tab.services.flows
    record = await repository.get(flow_id, version)
    if record is None and version is None:
        stored = [r for r in await repository.list() if r.id == flow_id]
        record = max(stored, key=lambda r: r.version, default=None)
    if record is None:
        raise _unknown(call)
    return record


async def flow(call: Call) -> m.FlowVersionDetail:
    record = await _record(call)
    try:
        definition: dict[str, Any] = flow_data(check_flow(record.source, record.id)[0])
    except FlowValidationError:  # a stored text the validator no longer takes
        definition = {}
    return m.FlowVersionDetail(flow=_version(record), yaml=record.source, definition=definition)


async def export(call: Call) -> m.FlowExport:
    record = await _record(call)
    return m.FlowExport(filename=f"{record.id}-v{record.version}.yaml", yaml=record.source)


# --- checking a draft ----------------------------------------------------------------------


def _depth(value: object, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def draft_text(call: Call, draft: m.FlowDraft) -> str:
    """The draft as YAML: the text itself, or the data written as YAML."""
    if (draft.definition is None) == (draft.yaml is None):
        raise ApiError(422, "draft_required", strings(call.lang).tab_flow_draft_required,
                       "definition")
    if draft.yaml is not None:
        return draft.yaml
    if _depth(draft.definition) > MAX_DEPTH:
        raise ApiError(422, "too_deep", strings(call.lang).tab_bad_request.format(
            detail=f"> {MAX_DEPTH}"), "definition")
    return dump_data(draft.definition)


def _problem(issue: FlowIssue, lang: str) -> m.FlowProblem:
    message, hint = issue_texts(issue, lang)
    return m.FlowProblem(path=issue.path, line=issue.line, code=issue.code, message=message,
                         hint=hint)


async def validate(call: Call) -> m.FlowCheck:
    """The validator's verdict on a draft: every problem with the path of the field it
    concerns, or (valid) the definition read back, with its warnings."""
    text = draft_text(call, call.body)
    try:
        parsed, warnings = check_flow(text, DRAFT)
    except FlowValidationError as error:
        return m.FlowCheck(valid=False, yaml=text, definition=None,
                           issues=[_problem(i, call.lang) for i in error.issues], warnings=[])
    return m.FlowCheck(valid=True, yaml=text, definition=flow_data(parsed), issues=[],
                       warnings=[_problem(w, call.lang) for w in warnings])


def invalid(call: Call, error: FlowValidationError) -> ApiError:
    """A flow that cannot be used: 422 with the first problem and where it is."""
    first = error.issues[0] if error.issues else None
    if first is None:
        return ApiError(422, "flow_invalid", strings(call.lang).tab_flow_invalid)
    message, hint = issue_texts(first, call.lang)
    text = f"{message} ({hint})" if hint else message
    return ApiError(422, "flow_invalid", strings(call.lang).tab_flow_problem.format(
        count=len(error.issues), problem=text), first.path or None)


def _refused(call: Call, error: DomainError) -> ApiError:
    if isinstance(error, FlowValidationError):
        return invalid(call, error)
    if isinstance(error, UnknownFlow):
        return _unknown(call)
    answer = refused(call, error, None)
    if isinstance(error, InvalidInput) and error.refusal in ("flow_version_fixed",
                                                             "flow_status_change"):
        answer.status = 409
    return answer


# --- simulating -----------------------------------------------------------------------------


async def _simulated_flow(call: Call, request: m.SimulationRequest) -> FlowDefinition:
    if request.draft is not None and request.flow is not None:
        raise ApiError(422, "draft_required", strings(call.lang).tab_flow_draft_required,
                       "flow")
    if request.draft is not None:
        try:
            return check_flow(draft_text(call, request.draft), DRAFT)[0]
        except FlowValidationError as error:
            raise invalid(call, error) from None
    if request.flow is None:
        raise ApiError(422, "draft_required", strings(call.lang).tab_flow_draft_required,
                       "draft")
    record = await call.tab.services.flows.get(request.flow, request.version)
    if record is None:
        raise _unknown(call)
    try:
        return await flow_version(call.tab.services, record.id, record.version)
    except DomainError as error:
        raise _refused(call, error) from None


async def simulate(call: Call) -> m.Simulation:
    """A dossier run through the flow on paper, stage by stage; nothing is recorded."""
    request: m.SimulationRequest = call.body
    definition = await _simulated_flow(call, request)
    services = call.tab.services
    initiator = await services.directory.user(request.initiator)
    if initiator is None:
        raise ApiError(422, "unknown_user", strings(call.lang).bot_unknown_colleague.format(
            email=request.initiator[:100]), "initiator")
    try:
        result = await simulate_start(services, definition, request.fields, initiator)
    except (InvalidInput, UnknownUser) as error:
        answer = refused(call, error, definition)
        answer.body = m.Error(code=answer.body.code, message=answer.body.message,
                              field=f"fields.{error.params.get('field', '')}"
                              if isinstance(error, InvalidInput) else "fields")
        raise answer from None
    return _simulation(call, result)


def _person(p: Any) -> m.PersonRef:
    return m.PersonRef(id=p.oid, name=p.name)


def _simulation(call: Call, result: Simulation) -> m.Simulation:
    s = strings(call.lang)
    flow = result.flow
    return m.Simulation(
        flow=flow.id, version=flow.version, initiator=_person(result.initiator),
        start=result.start, end=result.end, nobody=list(result.nobody),
        stages=[m.SimulatedStage(
            stage_id=x.stage.id, title=x.stage.title, kind=x.stage.kind.value, step=x.step,
            parallel=x.parallel, outcome=x.outcome.value,
            assignees=[_person(p) for p in x.assignees],
            left_out=[_person(p) for p in x.left_out], starts=x.starts, due=x.due,
            deadline_days=x.stage.deadline_days,
            condition=x.stage.condition.source if x.stage.condition else None,
            reason=skip_text(x.skip, flow, s) if x.skip else None,
        ) for x in result.stages])


# --- publishing, withdrawing, importing ----------------------------------------------------


async def publish_draft(call: Call) -> m.FlowVersion:
    """The draft published as its version (running dossiers keep theirs)."""
    text = draft_text(call, call.body)
    try:
        record = await publish(call.tab.services, text, DRAFT, call.user.person)
    except DomainError as error:
        raise _refused(call, error) from None
    return _version(record)


async def withdraw(call: Call) -> m.FlowVersion:
    request: m.FlowVersionRef = call.body
    services = call.tab.services
    try:
        record = await services.flows.set_status(call.path("id"), request.version,
                                                 FlowStatus.WITHDRAWN, call.user.person,
                                                 services.clock.now())
    except DomainError as error:
        raise _refused(call, error) from None
    return _version(record)


async def import_flow(call: Call) -> m.FlowVersion:
    """A flow file stored as a concept version, as ``paraaf flow import`` does."""
    request: m.FlowText = call.body
    try:
        definition = check_flow(request.yaml, DRAFT)[0]
        record = await call.tab.services.flows.save(definition, request.yaml)
    except DomainError as error:
        raise _refused(call, error) from None
    return _version(record)


async def move(call: Call) -> m.BulkResults:
    """Each chosen dossier moved to the version, its own command and event, when it is a
    running dossier of this flow whose progress fits that version; a result per dossier."""
    request: m.MoveRequest = call.body
    flow_id = call.path("id")
    services = call.tab.services
    if not ID.match(flow_id) or not any(r.id == flow_id for r in await services.flows.list()):
        raise _unknown(call)
    try:
        reason = one_line(request.reason, "reason")
    except DomainError as error:
        raise refused(call, error, None) from None
    results = []
    for dossier_id in request.dossiers:
        try:
            snapshot = await read(services, dossier_id)
        except DomainError:
            snapshot = None
        if snapshot is None or snapshot.state.flow_id != flow_id:
            results.append(m.BulkResult(dossier_id=dossier_id, ok=False,
                                        error=_unknown(call).body))
            continue
        command = c.MoveToVersion(
            dossier_id=dossier_id, actor=call.user.person, channel=Channel.TAB.value,
            command_id=c.click_command_id(dossier_id, "move", str(request.version),
                                          call.user.person.oid, str(snapshot.state.version),
                                          "move", ""),
            to_version=request.version, reason=reason)
        outcome = await try_execute(command, services)
        if outcome.refusal is not None:
            answer = refused(call, outcome.refusal, outcome.flow)
            results.append(m.BulkResult(dossier_id=dossier_id, ok=False, error=answer.body))
            continue
        results.append(m.BulkResult(dossier_id=dossier_id, ok=True, error=None))
    return m.BulkResults(results=results)


# --- the directory picker ------------------------------------------------------------------


async def directory(call: Call) -> m.DirectoryEntries:
    """People, groups and roles an assignee rule may name (none when the directory cannot be
    searched: the designer then takes a typed value)."""
    q: DirectoryQuery = call.query
    found: Sequence[Any] = ()
    source = call.tab.services.directory
    if isinstance(source, DirectorySearch):
        found = await source.search(q.q.strip(), 500)
    items = [m.DirectoryEntry(kind=e.kind, value=e.value, name=e.name, detail=e.detail)
             for e in found if q.kind is None or e.kind == q.kind]
    return m.DirectoryEntries(items=items[:MAX_PICKS])
