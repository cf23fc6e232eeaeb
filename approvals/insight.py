"""Insight for beheerders: lead times per flow, stage and department (median and p90),
overdue counts, and the stages where dossiers wait longest. Pure computation over the
dossiers' facts (approvals/facts.py).

- A dossier's lead time runs from its start to its end (completed, rejected, withdrawn);
  one still open has none yet. A stage's lead time runs from its start to its completion
  (a round sent back or stopped before it was done is no lead time of that stage).
- A stage round is overdue when it has a due date and was completed after it (UTC day), or
  is still open after it (``today``).
- A stage's wait counts every round: completed, sent back, stopped, and still open (then up
  to ``now``); the stages with the longest median wait are where dossiers wait longest.
- p90 is the nearest-rank percentile (the smallest value that at least 90% do not exceed);
  times are in days (of 24 hours), to two decimals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import NamedTuple

from approvals.facts import COMPLETED, OPEN, DossierFacts, StageSpan

DAY = 86_400.0
LONGEST = 5


@dataclass(frozen=True, slots=True)
class Lead:
    """How long it took: how many, the median and the p90 in days (None when none)."""

    count: int
    median: float | None
    p90: float | None


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile of ``values`` (``share`` between 0 and 1)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def lead_of(n: int, at: Callable[[int], float]) -> Lead:
    """The count, median and p90 of ``n`` values, given the value at a rank (from 0, in
    ascending order): a store that keeps them in order reads only those ranks."""
    if n <= 0:
        return Lead(0, None, None)
    middle = at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2
    return Lead(n, round(middle, 2), round(at(max(1, math.ceil(0.9 * n)) - 1), 2))


def lead(days: list[float]) -> Lead:
    """The count, median and p90 of ``days`` (sorted here, in place, once)."""
    days.sort()
    return lead_of(len(days), days.__getitem__)


def days(seconds: float) -> float:
    """A duration in days, none below zero."""
    count = seconds / DAY
    return count if count > 0.0 else 0.0


def took(started: float, ended: float) -> float:
    """The days from ``started`` to ``ended`` (seconds since the epoch), none below zero."""
    return days(ended - started)


def late_round(ended: float, late: float | None, outcome: str) -> bool:
    """Whether a round that ended at ``ended`` counts as overdue: completed once late."""
    return outcome == COMPLETED and late is not None and ended >= late


def at_ranks_of_both(rank: int, count: int, kept: Callable[[int, int], Sequence[float]],
                     held: Sequence[float], descending: bool = False) -> list[float]:
    """The values at ``rank`` .. ``rank + count - 1`` (from 0) of two sequences together, in
    ascending order (or descending): ``held`` in hand (short, in any order), ``kept`` in that
    order, read as a slice (offset, count). At most ``len(held)`` of ``held`` come before
    them, so they lie in ``kept[rank - len(held) .. rank + count - 1]`` merged with ``held``."""
    low = max(0, rank - len(held))
    merged = sorted([*kept(low, rank + count - low), *held], reverse=descending)
    return merged[rank - low:rank - low + count]


@dataclass(frozen=True, slots=True)
class FlowInsight:
    flow_id: str
    flow_title: str
    started: int
    closed: int
    lead: Lead
    overdue: int


@dataclass(frozen=True, slots=True)
class StageInsight:
    flow_id: str
    flow_title: str
    stage_id: str
    lead: Lead  # completed rounds
    wait: Lead  # every round (open ones up to now)
    overdue: int
    open: int


@dataclass(frozen=True, slots=True)
class DepartmentInsight:
    department: str
    started: int
    closed: int
    lead: Lead
    overdue: int


@dataclass(frozen=True, slots=True)
class Insight:
    since: date | None
    until: date | None
    dossiers: int
    flows: tuple[FlowInsight, ...]
    stages: tuple[StageInsight, ...]
    longest: tuple[StageInsight, ...]
    departments: tuple[DepartmentInsight, ...]


@dataclass(frozen=True, slots=True)
class InsightQuery:
    """Which dossiers count: started in ``since``..``until`` (both included), of a flow,
    of initiators of a department."""

    since: date | None = None
    until: date | None = None
    flow_id: str | None = None
    department: str | None = None


class DossierRow(NamedTuple):
    """A dossier as the insight counts it (times in seconds since the epoch, UTC)."""

    dossier_id: str
    flow_id: str
    flow_title: str
    initiator: str  # object id
    started: float
    ended: float | None


class SpanRow(NamedTuple):
    """A stage round as the insight counts it (times in seconds since the epoch, UTC)."""

    dossier_id: str
    flow_id: str
    stage_id: str
    started: float
    ended: float | None
    late_at: float | None  # the start of the day after the due date (UTC): late from then
    outcome: str


def epoch(text: str) -> float:
    """An ISO 8601 UTC timestamp in seconds since the epoch."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def late_at(due: str | None) -> float | None:
    """When a stage round due on ``due`` (an ISO date) is late: the next day, UTC."""
    if due is None:
        return None
    return datetime.combine(date.fromisoformat(due), time.min, UTC).timestamp() + DAY


def rows(facts: Iterable[DossierFacts]) -> tuple[list[DossierRow], list[SpanRow]]:
    """The rows of the dossiers' facts (what a store keeps beside them)."""
    dossiers: list[DossierRow] = []
    spans: list[SpanRow] = []
    for f in facts:
        dossiers.append(DossierRow(f.dossier_id, f.flow_id, f.flow_title, f.initiator.oid,
                                   epoch(f.started), epoch(f.ended) if f.ended else None))
        spans += [SpanRow(f.dossier_id, f.flow_id, s.stage_id, epoch(s.started),
                          epoch(s.ended) if s.ended else None, late_at(s.due), s.outcome)
                  for s in f.spans]
    return dossiers, spans


def overdue(span: StageSpan, today: date) -> bool:
    """Completed after its due date, or still open after it."""
    if span.due is None:
        return False
    if span.outcome == OPEN:
        return today.isoformat() > span.due
    return span.outcome == COMPLETED and span.ended is not None and span.ended[:10] > span.due


def bounds(query: InsightQuery) -> tuple[float, float]:
    """The query's period in seconds since the epoch: from its first day's start (included)
    to its last day's end (excluded); open ends are infinite."""
    low = (datetime.combine(query.since, time.min, UTC).timestamp()
           if query.since is not None else -math.inf)
    high = (datetime.combine(query.until, time.min, UTC).timestamp() + DAY
            if query.until is not None else math.inf)
    return low, high


@dataclass
class _Acc:
    title: str = ""
    started: int = 0
    closed: int = 0
    days: list[float] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)
    overdue: int = 0
    open: int = 0


def insight(dossiers: Iterable[DossierRow], spans: Iterable[SpanRow], query: InsightQuery,
            now: datetime,
            department_of: Callable[[str], str] | Mapping[str, str] = lambda oid: "",
            ) -> Insight:
    """The numbers of the dossiers the query counts, as of ``now`` (UTC): a dossier counts
    when it started in the period (UTC days), of the flow, by an initiator of the
    department; its stage rounds count with it."""
    where = department_of.get if isinstance(department_of, Mapping) else department_of
    stamp = now.timestamp()
    low, high = bounds(query)
    flows: dict[str, _Acc] = {}
    stages: dict[tuple[str, str], _Acc] = {}
    departments: dict[str, _Acc] = {}
    counted: dict[str, tuple[_Acc, _Acc]] = {}
    # rows are unpacked by position: a store may hand over plain tuples in the fields' order
    for dossier_id, flow_id, flow_title, initiator, started, ended in dossiers:
        if not low <= started < high or (query.flow_id is not None
                                         and flow_id != query.flow_id):
            continue
        department = where(initiator) or ""
        if query.department is not None and department != query.department:
            continue
        flow = flows.get(flow_id)
        if flow is None:
            flow = flows[flow_id] = _Acc(flow_title)
        dep = departments.get(department)
        if dep is None:
            dep = departments[department] = _Acc(department)
        counted[dossier_id] = (flow, dep)
        for acc in (flow, dep):
            acc.started += 1
            if ended is not None:
                acc.closed += 1
                acc.days.append(took(started, ended))
    owner = counted.get
    for dossier_id, flow_id, stage_id, started, ended, late, outcome in spans:
        owners = owner(dossier_id)
        if owners is None:
            continue
        stage = stages.get((flow_id, stage_id))
        if stage is None:
            stage = stages[(flow_id, stage_id)] = _Acc(owners[0].title)
        if ended is None:
            stage.waits.append(took(started, stamp))
            stage.open += 1
            is_late = late is not None and stamp >= late
        else:
            spent = took(started, ended)
            stage.waits.append(spent)
            if outcome == COMPLETED:
                stage.days.append(spent)
            is_late = late_round(ended, late, outcome)
        if is_late:
            stage.overdue += 1
            owners[0].overdue += 1
            owners[1].overdue += 1
    return report(
        query, len(counted),
        [FlowInsight(flow_id=k, flow_title=a.title, started=a.started, closed=a.closed,
                     lead=lead(a.days), overdue=a.overdue) for k, a in flows.items()],
        [StageInsight(flow_id=flow_id, flow_title=acc.title, stage_id=stage_id,
                      lead=lead(acc.days), wait=lead(acc.waits), overdue=acc.overdue,
                      open=acc.open) for (flow_id, stage_id), acc in stages.items()],
        [DepartmentInsight(department=k, started=a.started, closed=a.closed,
                           lead=lead(a.days), overdue=a.overdue)
         for k, a in departments.items()])


def report(query: InsightQuery, dossiers: int, flows: Iterable[FlowInsight],
           stages: Iterable[StageInsight], departments: Iterable[DepartmentInsight],
           ) -> Insight:
    """The insight of its parts: each in order of its key, the longest waits picked."""
    stage_rows = tuple(sorted(stages, key=lambda s: (s.flow_id, s.stage_id)))
    longest = sorted((s for s in stage_rows if s.wait.median is not None),
                     key=lambda s: (-(s.wait.median or 0.0), s.flow_id, s.stage_id))
    return Insight(
        since=query.since, until=query.until, dossiers=dossiers,
        flows=tuple(sorted(flows, key=lambda f: f.flow_id)),
        stages=stage_rows, longest=tuple(longest[:LONGEST]),
        departments=tuple(sorted(departments, key=lambda d: d.department)))
