"""Insight for beheerders: lead times per flow, stage and department (median and p90),
overdue counts, and the stages where dossiers wait longest. Pure computation over the
dossiers' facts (approvals/facts.py).

- A dossier's lead time runs from its start to its end (completed, rejected, withdrawn);
  one still open has none yet. A stage's lead time runs from its start to its completion
  (a round sent back or stopped before it was done is no lead time of that stage).
- A stage round is overdue when it has a due date and was completed after it, or is still
  open after it (``today``).
- A stage's wait counts every round: completed, sent back, stopped, and still open (then up
  to ``now``); the stages with the longest median wait are where dossiers wait longest.
- p90 is the nearest-rank percentile (the smallest value that at least 90% do not exceed);
  times are in days (of 24 hours), to two decimals.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

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


def lead(days: Sequence[float]) -> Lead:
    if not days:
        return Lead(0, None, None)
    return Lead(len(days), round(statistics.median(days), 2),
                round(percentile(days, 0.9) or 0.0, 2))


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


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _days(start: str, end: str | datetime) -> float:
    stop = end if isinstance(end, datetime) else _at(end)
    return max(0.0, (stop - _at(start)).total_seconds() / DAY)


def overdue(span: StageSpan, today: date) -> bool:
    """Completed after its due date, or still open after it."""
    if span.due is None:
        return False
    if span.outcome == OPEN:
        return today.isoformat() > span.due
    return span.outcome == COMPLETED and span.ended is not None and span.ended[:10] > span.due


def in_query(facts: DossierFacts, query: InsightQuery, department: str) -> bool:
    day = facts.started[:10]
    return ((query.since is None or day >= query.since.isoformat())
            and (query.until is None or day <= query.until.isoformat())
            and (query.flow_id is None or facts.flow_id == query.flow_id)
            and (query.department is None or department == query.department))


@dataclass
class _Acc:
    title: str = ""
    started: int = 0
    closed: int = 0
    days: list[float] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)
    overdue: int = 0
    open: int = 0


def insight(facts: Iterable[DossierFacts], query: InsightQuery, now: datetime,
            department_of: Callable[[str], str] | Mapping[str, str] = lambda oid: "",
            ) -> Insight:
    """The numbers of the dossiers the query counts, as of ``now`` (UTC)."""
    where = department_of.get if isinstance(department_of, Mapping) else department_of
    today = now.date()
    flows: dict[str, _Acc] = {}
    stages: dict[tuple[str, str], _Acc] = {}
    departments: dict[str, _Acc] = {}
    count = 0
    for f in facts:
        department = where(f.initiator.oid) or ""
        if not in_query(f, query, department):
            continue
        count += 1
        flow = flows.setdefault(f.flow_id, _Acc(f.flow_title))
        dep = departments.setdefault(department, _Acc(department))
        for acc in (flow, dep):
            acc.started += 1
            if f.ended is not None:
                acc.closed += 1
                acc.days.append(_days(f.started, f.ended))
        for span in f.spans:
            stage = stages.setdefault((f.flow_id, span.stage_id), _Acc(f.flow_title))
            if span.outcome == COMPLETED and span.ended is not None:
                stage.days.append(_days(span.started, span.ended))
            stage.waits.append(_days(span.started, span.ended or now))
            if span.outcome == OPEN:
                stage.open += 1
            if overdue(span, today):
                stage.overdue += 1
                flow.overdue += 1
                dep.overdue += 1
    stage_rows = tuple(
        StageInsight(flow_id=flow_id, flow_title=acc.title, stage_id=stage_id,
                     lead=lead(acc.days), wait=lead(acc.waits), overdue=acc.overdue,
                     open=acc.open)
        for (flow_id, stage_id), acc in sorted(stages.items()))
    longest = sorted((s for s in stage_rows if s.wait.median is not None),
                     key=lambda s: (-(s.wait.median or 0.0), s.flow_id, s.stage_id))
    return Insight(
        since=query.since, until=query.until, dossiers=count,
        flows=tuple(FlowInsight(flow_id=k, flow_title=a.title, started=a.started,
                                closed=a.closed, lead=lead(a.days), overdue=a.overdue)
                    for k, a in sorted(flows.items())),
        stages=stage_rows, longest=tuple(longest[:LONGEST]),
        departments=tuple(DepartmentInsight(department=k, started=a.started, closed=a.closed,
                                            lead=lead(a.days), overdue=a.overdue)
                          for k, a in sorted(departments.items())),
    )
