"""Read models: who is to act, tasks, the timeline and the decision register.

All are pure functions of the dossier state, its flow and its events.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from approvals.dossier import DossierState
from approvals.event_payloads import payload_json
from approvals.events import Event, EventType
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person


@dataclass(frozen=True, slots=True)
class ActiveStage:
    """A stage someone is to act in now."""

    stage_id: str
    title: str
    kind: str
    round: int
    waiting_for: tuple[Person, ...]  # assignees with an open task
    substitutes: tuple[tuple[str, Person], ...]  # (assignee oid, substitute)
    due: str | None

    def overdue(self, today: date) -> bool:
        return self.due is not None and date.fromisoformat(self.due) < today


@dataclass(frozen=True, slots=True)
class DossierSummary:
    """The dossier's projection: what lists, task queries and cards show."""

    id: str
    title: str
    flow_id: str
    flow_version: int
    flow_title: str
    status: str
    initiator: Person
    active: tuple[ActiveStage, ...]
    created_at: str
    updated_at: str
    version: int
    head_hash: str
    decision: str = ""
    end_reason: str = ""

    @property
    def due(self) -> str | None:
        """The earliest due date of the active stages."""
        dues = [s.due for s in self.active if s.due is not None]
        return min(dues) if dues else None

    def actors(self) -> frozenset[str]:
        """Object ids of everyone who may act now: open assignees and their substitutes."""
        oids = {p.oid for s in self.active for p in s.waiting_for}
        oids |= {sub.oid for s in self.active for _, sub in s.substitutes}
        return frozenset(oids)


def who_is_to_act(state: DossierState, flow: FlowDefinition) -> tuple[ActiveStage, ...]:
    """The active stages with the people who still have to act in them."""
    result = []
    for stage in state.active_stages():
        waiting = stage.open_slots()
        open_oids = {p.oid for p in waiting}
        subs = tuple((slot, p) for slot, p in stage.delegations.items() if slot in open_oids)
        definition = flow.stage(stage.stage_id)
        result.append(
            ActiveStage(
                stage_id=stage.stage_id, title=definition.title, kind=definition.kind.value,
                round=stage.round, waiting_for=waiting, substitutes=subs, due=stage.due,
            )
        )
    return tuple(result)


def summarize(state: DossierState, flow: FlowDefinition) -> DossierSummary:
    """The projection stored beside the events for queries."""
    return DossierSummary(
        id=state.id, title=state.title, flow_id=state.flow_id, flow_version=state.flow_version,
        flow_title=flow.title, status=state.status.value, initiator=state.initiator,
        active=who_is_to_act(state, flow), created_at=state.created_at,
        updated_at=state.updated_at, version=state.version, head_hash=state.head_hash,
        decision=state.decision.text if state.decision else "", end_reason=state.end_reason,
    )


def summary_to_json(summary: DossierSummary) -> dict[str, Any]:
    """A JSON-able form (for stores and ``--json`` output)."""
    return {
        "id": summary.id,
        "title": summary.title,
        "flow_id": summary.flow_id,
        "flow_version": summary.flow_version,
        "flow_title": summary.flow_title,
        "status": summary.status,
        "initiator": summary.initiator.to_json(),
        "active": [
            {
                "stage_id": s.stage_id, "title": s.title, "kind": s.kind, "round": s.round,
                "waiting_for": [p.to_json() for p in s.waiting_for],
                "substitutes": [{"for": slot, "by": p.to_json()} for slot, p in s.substitutes],
                "due": s.due,
            }
            for s in summary.active
        ],
        "created_at": summary.created_at,
        "updated_at": summary.updated_at,
        "version": summary.version,
        "head_hash": summary.head_hash,
        "decision": summary.decision,
        "end_reason": summary.end_reason,
    }


def summary_from_json(data: dict[str, Any]) -> DossierSummary:
    """The inverse of :func:`summary_to_json`."""
    return DossierSummary(
        id=data["id"], title=data["title"], flow_id=data["flow_id"],
        flow_version=int(data["flow_version"]), flow_title=data["flow_title"],
        status=data["status"], initiator=Person.from_json(data["initiator"]),
        active=tuple(
            ActiveStage(
                stage_id=s["stage_id"], title=s["title"], kind=s["kind"], round=int(s["round"]),
                waiting_for=tuple(Person.from_json(p) for p in s["waiting_for"]),
                substitutes=tuple((x["for"], Person.from_json(x["by"])) for x in s["substitutes"]),
                due=s["due"],
            )
            for s in data["active"]
        ),
        created_at=data["created_at"], updated_at=data["updated_at"],
        version=int(data["version"]), head_hash=data["head_hash"],
        decision=data.get("decision", ""), end_reason=data.get("end_reason", ""),
    )


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of a dossier's history: who did what, when, and why."""

    seq: int
    at: str
    type: str
    actor: Person
    on_behalf_of: Person | None
    channel: str
    stage: str
    detail: dict[str, Any]


_SILENT = {EventType.STAGE_COMPLETED}


def timeline(events: Iterable[Event], *, include_system: bool = True) -> list[TimelineEntry]:
    """The dossier's history in order, with reasons, advice and comments."""
    entries = []
    for event in events:
        if event.type in _SILENT and not include_system:
            continue
        p = event.payload
        stage = str(getattr(p, "stage", "") or getattr(p, "from_stage", ""))
        entries.append(
            TimelineEntry(
                seq=event.seq, at=event.timestamp, type=event.type.value, actor=event.actor,
                on_behalf_of=event.on_behalf_of, channel=event.channel, stage=stage,
                detail=payload_json(p),
            )
        )
    return entries


@dataclass(frozen=True, slots=True)
class RegisteredDecision:
    """A line of the decision register (besluitenlijst)."""

    dossier_id: str
    title: str
    flow_id: str
    stage_id: str
    text: str
    by: Person
    on_behalf_of: Person | None
    at: str
    register_url: str = ""  # where a decision register (ZGW) keeps it; "" when none does


def decision_register(states: Iterable[DossierState]) -> list[RegisteredDecision]:
    """Every decision taken, oldest first."""
    register = [
        RegisteredDecision(
            dossier_id=s.id, title=s.title, flow_id=s.flow_id, stage_id=s.decision.stage_id,
            text=s.decision.text, by=s.decision.by, on_behalf_of=s.decision.on_behalf_of,
            at=s.decision.at, register_url=s.registered.url if s.registered else "",
        )
        for s in states
        if s.decision is not None
    ]
    return sorted(register, key=lambda d: d.at)


def tasks(summaries: Sequence[DossierSummary], oid: str) -> list[DossierSummary]:
    """The open dossiers in which this person is to act, the most urgent first."""
    mine = [s for s in summaries if s.status == "open" and oid in s.actors()]
    return sorted(mine, key=lambda s: (s.due or "9999-12-31", s.created_at))


@dataclass(frozen=True, slots=True)
class SummaryQuery:
    """A question to the dossiers overview: every filter optional; ``viewer`` limits it to
    the dossiers that person started or is to act in now (None: every dossier)."""

    status: str | None = None
    flow_id: str | None = None
    stage_id: str | None = None
    to_act: str | None = None  # an object id
    initiator: str | None = None  # an object id
    overdue: bool | None = None  # due before ``today``
    text: str | None = None  # in the title or the dossier id, case-insensitive
    viewer: str | None = None
    today: date | None = None
    # the initiating department: the object ids of its people (the directory's department
    # of the initiator, as the insight's "per department"); an empty tuple lists nothing
    initiators: tuple[str, ...] | None = None
    # the period the dossier started (was created) in: from this moment on, before that one
    # (aware datetimes; the tab gives the midnights of its days in the municipality's zone)
    started_from: datetime | None = None
    started_before: datetime | None = None


def stamp(moment: datetime) -> str:
    """A moment in the form of the events' timestamps (``created_at``): ISO in UTC with
    microseconds, so that they compare as text."""
    if moment.tzinfo is None:
        raise ValueError("A timezone-aware datetime is needed.")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def overdue(summary: DossierSummary, today: date) -> bool:
    """Whether an active stage of the dossier is past its due date."""
    return any(stage.overdue(today) for stage in summary.active)


def matches(summary: DossierSummary, query: SummaryQuery) -> bool:
    """Whether the overview lists this dossier for the query (a store that answers the
    query itself answers the same)."""
    actors = summary.actors()
    checks = (
        query.viewer is None or query.viewer == summary.initiator.oid or query.viewer in actors,
        query.status is None or summary.status == query.status,
        query.flow_id is None or summary.flow_id == query.flow_id,
        query.stage_id is None or query.stage_id in {s.stage_id for s in summary.active},
        query.to_act is None or query.to_act in actors,
        query.initiator is None or summary.initiator.oid == query.initiator,
        query.overdue is None or query.today is None
        or overdue(summary, query.today) == query.overdue,
        not query.text or query.text.casefold() in summary.title.casefold()
        or query.text.casefold() in summary.id.casefold(),
        query.initiators is None or summary.initiator.oid in query.initiators,
        query.started_from is None or summary.created_at >= stamp(query.started_from),
        query.started_before is None or summary.created_at < stamp(query.started_before),
    )
    return all(checks)


@dataclass(frozen=True, slots=True)
class SummaryPage:
    """A page of the overview. ``next`` is the opaque cursor of the page after it (None on
    the last page); ``total`` is how many dossiers the query lists in all, or None where the
    store cannot count them without reading every one (Microsoft 365: list items have no
    ``$count``)."""

    items: tuple[DossierSummary, ...]
    next: str | None
    total: int | None


MAX_OFFSET = 10**9  # no overview has more dossiers


class BadCursor(ValueError):
    """A page cursor that this store did not hand out for this query."""


def encode_cursor(data: dict[str, Any]) -> str:
    """An opaque page cursor: the store's own position, as URL-safe text."""
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """The position a cursor of :func:`encode_cursor` holds; BadCursor for anything else.
    A store re-applies every filter to what it reads from there, so an altered cursor can
    at most point at another page of the same query."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise BadCursor("This page cursor cannot be read.") from error
    if not isinstance(data, dict):
        raise BadCursor("This page cursor cannot be read.")
    return data


def query_key(query: SummaryQuery) -> str:
    """A short fingerprint of the query, kept in a cursor to refuse it for another query."""
    return hashlib.sha256(repr(query).encode("utf-8")).hexdigest()[:16]


def offset_cursor(query: SummaryQuery, offset: int) -> str:
    return encode_cursor({"q": query_key(query), "o": offset})


def cursor_offset(query: SummaryQuery, cursor: str | None) -> int:
    """The offset a cursor of :func:`offset_cursor` holds (0 for the first page)."""
    if cursor is None:
        return 0
    data = decode_cursor(cursor)
    offset = data.get("o")
    if (data.get("q") != query_key(query) or not isinstance(offset, int)
            or not 0 <= offset <= MAX_OFFSET):
        raise BadCursor("This page cursor belongs to another query.")
    return offset


def offset_page(found: Sequence[DossierSummary], total: int, query: SummaryQuery,
                offset: int) -> SummaryPage:
    """A page read by offset (a store that counts), with the cursor of the next one."""
    after = offset + len(found)
    return SummaryPage(tuple(found), offset_cursor(query, after) if found and after < total
                       else None, total)
