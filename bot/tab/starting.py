"""Starting a dossier from the tab: the flows the user may start with their fields, and the
start itself, through the same ``StartDossier`` command and refusals as the bot's start card.

Who may start is the flow's ``starters`` (``approvals.starters``); the fields are read and
checked by the domain (``approvals.fields``), so a value the card refuses is refused here
with the same words, at the field it concerns.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from approvals import commands as c
from approvals.errors import (
    DomainError,
    FourEyesViolation,
    InvalidInput,
    NotEntitled,
    UnknownFlow,
    UnknownUser,
)
from approvals.events import Channel
from approvals.flows.definition import AssigneeKind, FieldType, FlowDefinition
from approvals.ports import FlowStatus
from approvals.readmodels import summarize
from approvals.service import execute, flow_version, published_flow, read
from approvals.starters import may_start
from approvals.text import UnsafeText
from bot.ids import new_dossier_id
from bot.tab import models as m
from bot.tab import reads
from bot.tab.core import ApiError, Call
from bot.tab.handlers import refused
from cards.refusals import refusal_text
from cards.strings import strings

_START_IDS = uuid.UUID("5b0f6a52-2f0e-4c1e-9d55-7c3a2f4e8b19")


async def _published(call: Call) -> list[FlowDefinition]:
    """The latest published version of every flow."""
    latest: dict[str, int] = {}
    for record in await call.tab.services.flows.list():
        if record.status is FlowStatus.PUBLISHED:
            latest[record.id] = max(latest.get(record.id, 0), record.version)
    found = []
    for flow_id, version in sorted(latest.items()):
        try:
            found.append(await flow_version(call.tab.services, flow_id, version))
        except DomainError:  # a version that cannot be read is not offered
            continue
    return found


def _form(flow: FlowDefinition) -> m.StartableFlow:
    return m.StartableFlow(
        id=flow.id, version=flow.version, title=flow.title, description=flow.description,
        fields=[m.StartField(name=f.name, label=f.label, type=f.type.value,
                             required=f.required, choices=list(f.options),
                             max_length=f.max_length if f.type is FieldType.TEXT else None)
                for f in flow.fields])


async def startable(call: Call) -> m.StartableFlows:
    """The published flows the user may start, with the fields of their start form."""
    directory = call.tab.services.directory
    person = call.user.person
    return m.StartableFlows(items=[_form(flow) for flow in await _published(call)
                                   if await may_start(flow, person, directory)])


def _field_of(error: DomainError, flow: FlowDefinition, request: m.StartRequest) -> str | None:
    """The input a refusal of the start concerns: ``title``, ``flow`` or ``fields.<name>``."""
    if isinstance(error, UnsafeText):
        return "title" if error.what == "title" else None
    if error.refusal == "title_required" or error.refusal.startswith("title_"):
        return "title"
    name = error.params.get("field")
    if isinstance(name, str) and name:
        return f"fields.{name}"
    if isinstance(error, UnknownUser):  # a colleague named in a user field who is not found
        for field in flow.fields:
            if (field.type is FieldType.USER
                    and request.fields.get(field.name, "").strip() == error.key):
                return f"fields.{field.name}"
    if isinstance(error, FourEyesViolation) and flow.has_stage(error.stage):
        # the initiator named for a deciding stage: the user field that named them
        for rule in flow.stage(error.stage).assignees:
            if rule.kind is AssigneeKind.FIELD:
                return f"fields.{rule.value}"
    return None


def _stage_title(flow: FlowDefinition) -> Callable[[str], str]:
    return lambda stage: flow.stage(stage).title if flow.has_stage(stage) else stage


def _refusal(call: Call, error: DomainError, flow: FlowDefinition,
             request: m.StartRequest) -> ApiError:
    s = strings(call.lang)
    if isinstance(error, NotEntitled) and not isinstance(error, FourEyesViolation):
        return ApiError(403, "not_a_starter", s.not_a_starter.format(flow=flow.title), "flow")
    if isinstance(error, UnknownFlow):
        return ApiError(422, "unknown_flow", s.err_pick_flow, "flow")
    field = _field_of(error, flow, request)
    if isinstance(error, (InvalidInput, UnknownUser, FourEyesViolation, UnsafeText)) or field:
        message = (refusal_text(error, call.lang, _stage_title(flow)) if error.refusal
                   else error.message)
        return ApiError(422, error.refusal or error.code, message, field)
    if error.refusal:
        return refused(call, error, flow)
    return ApiError(409, error.code, s.bot_no_assignees)


def _command_id(call: Call, request: m.StartRequest) -> str:
    """The same request id from the same user gives the same command: a repeated send (a
    retry after a lost answer) starts one dossier."""
    if request.request_id is None:
        return str(uuid.uuid4())
    return str(uuid.uuid5(_START_IDS, f"{call.user.person.oid}|{request.request_id}"))


async def start(call: Call) -> m.Started:
    """Start a dossier as the card does: ``StartDossier`` on the flow's latest published
    version (or the one the form was shown for); the empty fields left out."""
    request: m.StartRequest = call.body
    services = call.tab.services
    s = strings(call.lang)
    try:
        flow = await published_flow(services, request.flow, request.version)
    except DomainError:
        raise ApiError(422, "unknown_flow", s.err_pick_flow, "flow") from None
    unexpected = sorted(set(request.fields) - {f.name for f in flow.fields})
    if unexpected:
        raise ApiError(422, "unknown_field", s.tab_bad_input.format(field=unexpected[0][:64]),
                       f"fields.{unexpected[0][:64]}")
    key = _command_id(call, request)
    done = await services.store.find_event(key)
    if done is None:
        command = c.StartDossier(
            dossier_id=new_dossier_id(services.clock.now().year), actor=call.user.person,
            channel=Channel.TAB.value, command_id=key, flow_id=flow.id,
            flow_version=flow.version, title=request.title,
            fields={name: value for name, value in request.fields.items() if value.strip()})
        try:
            outcome = await execute(command, services)
        except DomainError as error:
            raise _refusal(call, error, flow, request) from None
        state, used, unstaffed = outcome.state, outcome.flow, outcome.unstaffed
    else:  # the same request sent again: what it started
        snapshot = await read(services, done.dossier_id)
        state, used, unstaffed = snapshot.state, snapshot.flow, ()
    today = services.clock.now().date()
    return m.Started(
        dossier=reads.summary(summarize(state, used), today, call.tab.zone),
        unstaffed=[used.stage(i).title for i in unstaffed if used.has_stage(i)])
