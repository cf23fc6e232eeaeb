"""From the domain's read models to the API's response models (no I/O here)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from approvals.dossier import DossierState
from approvals.flows.definition import MAY_REJECT, FlowDefinition, StageKind
from approvals.identity import Person
from approvals.ports import DocumentComment
from approvals.readmodels import ActiveStage, DossierSummary, TimelineEntry
from bot.tab import models as m


def person(p: Person) -> m.PersonRef:
    return m.PersonRef(id=p.oid, name=p.name)


def moment(text: str, zone: str) -> datetime:
    """A stored UTC timestamp as a time with offset in the tenant's time zone."""
    at = datetime.fromisoformat(text)
    return at.astimezone(ZoneInfo(zone)) if at.tzinfo else at


def _due(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def summary(s: DossierSummary, today: date, zone: str) -> m.DossierSummary:
    """A dossier as the overview lists it: who is to act in which stage, and when it is due."""
    actors: dict[str, Person] = {}
    for stage in s.active:
        for p in stage.waiting_for:
            actors.setdefault(p.oid, p)
        for _, sub in stage.substitutes:
            actors.setdefault(sub.oid, sub)
    return m.DossierSummary(
        id=s.id, number=s.id, title=s.title, flow=s.flow_title,
        status=cast(m.Status, s.status),
        stage=" + ".join(st.title for st in s.active) or None,
        to_act=[person(p) for p in actors.values()], initiator=person(s.initiator),
        started=moment(s.created_at, zone), due=_due(s.due),
        overdue=any(st.overdue(today) for st in s.active),
    )


def verbs(kind: str, flow: FlowDefinition | None, stage_id: str, own: bool) -> list[m.Verb]:
    """What a task offers, as its card does: the stage's action, send back (where the flow
    allows it), stop (deciding stages), a comment, and delegating (only one's own task)."""
    found: list[m.Verb] = [cast(m.Verb, kind)]
    if flow is not None and flow.has_stage(stage_id) and flow.stage(stage_id).return_to:
        found.append("return")
    if StageKind(kind) in MAY_REJECT:
        found.append("reject")
    found.append("comment")
    if own:
        found.append("delegate")
    return found


def tasks(summaries: Iterable[DossierSummary], oid: str, today: date,
          flows: Mapping[tuple[str, int], FlowDefinition]) -> list[m.Task]:
    """The user's open tasks, one per stage slot they may fill (their own, or that of an
    assignee they act for), the most urgent first: overdue, then by due date, then oldest."""
    found: list[tuple[tuple[bool, str, str], m.Task]] = []
    for s in summaries:
        if s.status != "open":
            continue
        flow = flows.get((s.flow_id, s.flow_version))
        for stage in s.active:
            for slot, own in _slots(stage, oid):
                task = m.Task(
                    dossier_id=s.id, number=s.id, title=s.title, flow=s.flow_title,
                    stage_id=stage.stage_id, stage=stage.title, kind=cast(m.Kind, stage.kind),
                    round=stage.round, version=s.version, due=_due(stage.due),
                    overdue=stage.overdue(today), verbs=verbs(stage.kind, flow, stage.stage_id,
                                                              own),
                    on_behalf_of=None if own else slot)
                key = (not task.overdue, stage.due or "9999-12-31", s.created_at)
                found.append((key, task))
    return [task for _, task in sorted(found, key=lambda pair: pair[0])]


def _slots(stage: ActiveStage, oid: str) -> list[tuple[str, bool]]:
    """The open slots of the stage the user may fill: (slot, whether it is their own)."""
    waiting = {p.oid for p in stage.waiting_for}
    slots = [(oid, True)] if oid in waiting else []
    slots += [(slot, False) for slot, sub in stage.substitutes
              if sub.oid == oid and slot in waiting and slot != oid]
    return slots


def json_value(value: Any) -> Any:
    """A field value as JSON: amounts as text (exact), dates as ISO dates."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.loads(json.dumps(value, default=str))


def events(entries: Sequence[TimelineEntry], zone: str) -> list[m.Event]:
    """Every event of the dossier: who (for whom), when in the tenant's zone, and why."""
    result = []
    for e in entries:
        detail = e.detail
        reason = detail.get("reason")
        text = detail.get("text") or detail.get("comment")
        result.append(m.Event(
            seq=e.seq, at=moment(e.at, zone), type=e.type, actor=person(e.actor),
            on_behalf_of=person(e.on_behalf_of) if e.on_behalf_of else None,
            reason=reason if isinstance(reason, str) and reason else None,
            text=text if isinstance(text, str) and text else None))
    return result


def documents(state: DossierState, comments: Sequence[DocumentComment]) -> list[m.Document]:
    """The dossier's documents, each with the comments in it (Word), in document order."""
    by_name: dict[str, list[m.Comment]] = {}
    for c in comments:
        if c.unreadable:
            continue
        by_name.setdefault(c.document, []).append(m.Comment(
            author=c.author, text=c.text, date=c.date or None, passage=c.passage or None))
    latest = {d.name: d for d in state.documents}  # a document added again: its last version
    return [m.Document(name=d.name, url=d.uri, comments=by_name.get(d.name, []))
            for d in latest.values()]


def advice(state: DossierState, flow: FlowDefinition, zone: str) -> list[m.AdviceEntry]:
    return [m.AdviceEntry(
        stage_id=a.stage_id,
        stage=flow.stage(a.stage_id).title if flow.has_stage(a.stage_id) else a.stage_id,
        round=a.round, by=person(a.by),
        on_behalf_of=person(a.on_behalf_of) if a.on_behalf_of else None,
        advice=cast(m.AdviceChoice, a.advice), text=a.text, at=moment(a.at, zone))
        for a in state.advice if a.advice in ("positief", "negatief", "neutraal")]


def decision(state: DossierState, zone: str) -> m.DecisionEntry | None:
    d = state.decision
    if d is None:
        return None
    return m.DecisionEntry(stage_id=d.stage_id, text=d.text, by=person(d.by),
                           on_behalf_of=person(d.on_behalf_of) if d.on_behalf_of else None,
                           at=moment(d.at, zone),
                           register_url=state.registered.url if state.registered else None)
