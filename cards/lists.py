"""The list of the viewer's tasks ("mijn taken")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from approvals.readmodels import ActiveStage, DossierSummary
from cards.dossier_view import stage_line
from cards.elements import (
    Json,
    action_set,
    adaptive_card,
    columns,
    execute,
    header,
    styled,
    text,
)
from cards.format import format_date, truncate, user_text
from cards.strings import Strings, plural, strings

MAX_TASKS = 15


def _stages_for(summary: DossierSummary, viewer_oid: str) -> tuple[ActiveStage, ...]:
    """The active stages the viewer acts in (all active stages when they act in none)."""
    mine = tuple(
        stage for stage in summary.active
        if any(p.oid == viewer_oid for p in stage.waiting_for)
        or any(sub.oid == viewer_oid for _, sub in stage.substitutes)
    )
    return mine or summary.active


def _due_line(due: str | None, today: date, s: Strings) -> Json:
    if due is None:
        return text(s.no_due, size="Small", subtle=True, spacing="None")
    try:
        day = date.fromisoformat(due)
    except ValueError:
        return text(due, size="Small", subtle=True, spacing="None")
    shown = format_date(day, s)
    if day < today:
        line = text(s.due_overdue.format(date=shown), size="Small", weight="Bolder")
        return {**styled([line], "attention"), "spacing": "Small"}
    if day == today:
        line = text(s.due_today.format(date=shown), size="Small", weight="Bolder")
        return {**styled([line], "warning"), "spacing": "Small"}
    return text(s.due_on.format(date=shown), size="Small", spacing="None")


def _row(summary: DossierSummary, viewer_oid: str, today: date, s: Strings) -> Json:
    """Title; dossier number, flow and stage; initiator; due date: two dossiers with the
    same title are told apart."""
    stages = _stages_for(summary, viewer_oid)
    where = " · ".join([user_text(summary.id, 64),
                        truncate(user_text(summary.flow_title, 80), 80),
                        *(stage_line(st, s) for st in stages)])
    dues = [st.due for st in stages if st.due is not None]
    initiator = s.task_row_initiator.format(name=user_text(summary.initiator.name, 80))
    info = [
        text(truncate(user_text(summary.title, 150), 150), weight="Bolder"),
        text(where, size="Small", subtle=True, spacing="None"),
        text(initiator, size="Small", subtle=True, spacing="None"),
        _due_line(min(dues) if dues else None, today, s),
    ]
    button = execute(s.open, "open", {"dossier_id": summary.id})
    row = columns(("stretch", info), ("auto", [action_set([button])]))
    row["separator"] = True
    row["spacing"] = "Medium"
    return row


def _urgency(summary: DossierSummary, viewer_oid: str) -> tuple[str, str]:
    dues = [st.due for st in _stages_for(summary, viewer_oid) if st.due is not None]
    return (min(dues) if dues else "9999-12-31", summary.created_at)


def tasks_card(summaries: Sequence[DossierSummary], viewer_oid: str, lang: str,
               today: date) -> Json:
    """The viewer's open tasks, the most urgent first (15 at most, then "en N meer")."""
    s = strings(lang)
    ordered = sorted(summaries, key=lambda summary: _urgency(summary, viewer_oid))
    count = len(ordered)
    subtitle = plural(s.tasks_count, count)
    body = [header(s.tasks_title, extra=[text(subtitle, subtle=True, spacing="None")]
                   if count else [])]
    if not ordered:
        body.append(text(s.tasks_none))
    body += [_row(summary, viewer_oid, today, s) for summary in ordered[:MAX_TASKS]]
    if count > MAX_TASKS:
        body.append(text(s.more_items.format(count=count - MAX_TASKS), subtle=True,
                         separator=True))
    return adaptive_card(body, s=s)
