"""How the command line shows things: plain text for people, JSON with ``--json``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from approvals.audit import ChainBreak
from approvals.dossier import DossierState
from approvals.events import Event
from approvals.flow import FlowDefinition
from approvals.identity import Person
from approvals.ports import DocumentComment
from approvals.readmodels import (
    DossierSummary,
    RegisteredDecision,
    TimelineEntry,
    summary_to_json,
)


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """Print ``data`` as JSON when --json was given, else the text."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


# --- flows -------------------------------------------------------------------------------------


def flow_json(flow: FlowDefinition) -> dict[str, Any]:
    return {
        "id": flow.id, "version": flow.version, "title": flow.title,
        "fields": [f.name for f in flow.fields],
        "steps": [[s.id for s in step.stages] for step in flow.steps],
    }


def flow_valid_text(flow: FlowDefinition, source: str) -> str:
    stages = sum(len(step.stages) for step in flow.steps)
    return (f"{source}: valid flow '{flow.id}' version {flow.version} ({flow.title}): "
            f"{len(flow.fields)} fields, {stages} stages in {len(flow.steps)} steps.")


def flow_record_json(record: Any) -> dict[str, Any]:
    return {"id": record.id, "version": record.version, "title": record.title,
            "status": str(record.status), "published_by": record.published_by,
            "published_at": record.published_at}


def flow_record_text(record: Any, verb: str) -> str:
    return f"{verb} flow '{record.id}' version {record.version} ({record.title}): {record.status}."


def flow_table(records: Sequence[Any]) -> str:
    if not records:
        return "No flows yet. Publish one with: paraaf flow publish FILE"
    rows = [("ID", "VERSION", "STATUS", "TITLE", "PUBLISHED BY")]
    rows += [(r.id, str(r.version), str(r.status), r.title, r.published_by) for r in records]
    return _table(rows)


# --- dossiers ----------------------------------------------------------------------------------


def _who(person: Person) -> str:
    return f"{person.name} <{person.upn}>"


def _stage_lines(summary: DossierSummary, today: date) -> list[str]:
    if not summary.active:
        return ["  nobody (the dossier is " + summary.status + ")"]
    lines = []
    for stage in summary.active:
        due = ""
        if stage.due:
            due = f", due {stage.due}" + (" (OVERDUE)" if stage.overdue(today) else "")
        people = ", ".join(_who(p) for p in stage.waiting_for)
        lines.append(f"  {stage.title} [{stage.kind}]{due}: {people}")
        lines += [f"    substitute for {slot}: {_who(p)}" for slot, p in stage.substitutes]
    return lines


def _header(summary: DossierSummary) -> list[str]:
    lines = [
        f"Dossier {summary.id}: {summary.title}",
        f"  flow:       {summary.flow_title} ({summary.flow_id} v{summary.flow_version})",
        f"  status:     {summary.status}",
        f"  initiator:  {_who(summary.initiator)}",
    ]
    if summary.decision:
        lines.append(f"  decision:   {summary.decision}")
    if summary.end_reason:
        lines.append(f"  reason:     {summary.end_reason}")
    return lines


def outcome_text(summary: DossierSummary, events: Sequence[Event], today: date) -> str:
    lines = _header(summary)
    if events:
        lines.append(f"Recorded {len(events)} events: " + ", ".join(e.type for e in events))
    else:
        lines.append("Nothing new to record (already done).")
    return "\n".join([*lines, "Wie is aan zet:", *_stage_lines(summary, today)])


def dossier_text(summary: DossierSummary, state: DossierState,
                 entries: Sequence[TimelineEntry], today: date,
                 comments: Sequence[DocumentComment] = ()) -> str:
    lines = _header(summary)
    lines += [f"  {name}: {value}" for name, value in state.fields.items()]
    lines += ["Wie is aan zet:", *_stage_lines(summary, today)]
    if state.documents:
        lines.append("Documents:")
        lines += [f"  {d.name} (v{d.version}, sha256 {d.sha256[:12]}…) {d.uri}"
                  for d in state.documents]
    if state.advice:
        lines.append("Advice:")
        lines += [f"  {a.stage_id}: {a.advice} by {a.by.name}" + (f": {a.text}" if a.text else "")
                  for a in state.advice]
    lines += comments_lines(comments)
    lines.append("Timeline:")
    lines += [f"  {e.seq:>3}  {e.at[:16].replace('T', ' ')}  {describe(e)}" for e in entries]
    return "\n".join(lines)


def comments_lines(comments: Sequence[DocumentComment]) -> list[str]:
    """Per document: author, time, text and the commented passage (shortened)."""
    if not comments:
        return []
    lines = ["Comments in documents:"]
    document = None
    for c in comments:
        if c.document != document:
            document = c.document
            lines.append(f"  {document}")
        if c.unreadable:
            lines.append("    (the comments in this document could not be read)")
            continue
        when = f", {c.date[:16].replace('T', ' ')}" if c.date else ""
        lines.append(f"    {c.author or 'unknown author'}{when}: {' '.join(c.text.split())}")
        if c.passage:
            passage = c.passage if len(c.passage) <= 100 else c.passage[:99].rstrip() + "…"
            lines.append(f'      on "{passage}"')
    return lines


def comments_json(comments: Sequence[DocumentComment]) -> list[dict[str, str | bool]]:
    return [{"document": c.document, "author": c.author, "date": c.date, "text": c.text,
             "passage": c.passage, **({"unreadable": True} if c.unreadable else {})}
            for c in comments]


def describe(entry: TimelineEntry) -> str:
    """One line of the timeline in plain words, with reasons and advice."""
    d = entry.detail
    who = entry.actor.name
    if entry.on_behalf_of is not None:
        who += f" (on behalf of {entry.on_behalf_of.name})"
    text = {
        "DossierStarted": f"{who} started the dossier",
        "StageStarted": f"stage {d.get('stage')} started for "
        + ", ".join(p["name"] for p in d.get("assignees", []))
        + (f", due {d['due']}" if d.get("due") else ""),
        "StageSkipped": f"stage {d.get('stage')} skipped ({d.get('condition')} does not hold)",
        "AdviceGiven": f"{who} advised {d.get('advice')} in {d.get('stage')}",
        "Initialled": f"{who} initialled (paraaf) in {d.get('stage')}",
        "Approved": f"{who} approved (accord) in {d.get('stage')}",
        "Decided": f"{who} decided in {d.get('stage')}",
        "Signed": f"{who} signed in {d.get('stage')}",
        "Acknowledged": f"{who} acknowledged in {d.get('stage')}",
        "StageCompleted": f"stage {d.get('stage')} completed",
        "DossierReturned": f"{who} returned it from {d.get('from_stage')} to {d.get('to_stage')}",
        "DossierRejected": f"{who} rejected the dossier",
        "DossierWithdrawn": f"{who} withdrew the dossier",
        "DossierCompleted": f"dossier completed ({d.get('outcome')})",
        "CommentAdded": f"{who} commented",
        "DocumentAttached": f"{who} added {d.get('name')} (v{d.get('version')})",
        "Delegated": f"{who} delegated to {d.get('to', {}).get('name')}",
        "Reassigned": f"{who} reassigned to {d.get('to', {}).get('name')}",
        "DueDateChanged": f"{who} moved the due date of {d.get('stage')} to {d.get('due')}",
        "ReminderSent": f"reminder for {d.get('stage')} (due {d.get('due')})",
        "Escalated": f"escalation for {d.get('stage')} (due {d.get('due')})",
    }.get(entry.type, entry.type)
    extra = d.get("reason") or d.get("text")
    return f"{text}: {extra}" if extra else text


def dossier_json(summary: DossierSummary, state: DossierState,
                 events: Iterable[Event]) -> dict[str, Any]:
    return {
        **summary_to_json(summary),
        "fields": dict(state.fields),
        "documents": [{"name": d.name, "uri": d.uri, "sha256": d.sha256, "version": d.version}
                      for d in state.documents],
        "advice": [{"stage": a.stage_id, "advice": a.advice, "text": a.text,
                    "by": a.by.to_json(), "at": a.at} for a in state.advice],
        "recorded": [{"seq": e.seq, "type": e.type.value, "event_id": e.event_id}
                     for e in events],
    }


def timeline_json(entries: Sequence[TimelineEntry]) -> list[dict[str, Any]]:
    return [{"seq": e.seq, "at": e.at, "type": e.type, "actor": e.actor.to_json(),
             "on_behalf_of": e.on_behalf_of.to_json() if e.on_behalf_of else None,
             "channel": e.channel, "stage": e.stage, "detail": e.detail,
             "text": describe(e)} for e in entries]


def dossier_table(summaries: Sequence[DossierSummary], today: date) -> str:
    if not summaries:
        return "No dossiers."
    rows = [("ID", "STATUS", "FLOW", "STAGE", "DUE", "TITLE")]
    for s in summaries:
        stage = ", ".join(a.stage_id for a in s.active) or "-"
        due = (s.due or "-") + (" !" if any(a.overdue(today) for a in s.active) else "")
        rows.append((s.id, s.status, s.flow_id, stage, due, s.title))
    return _table(rows)


def tasks_text(user: Person, summaries: Sequence[DossierSummary], today: date) -> str:
    if not summaries:
        return f"{user.name} has no tasks."
    lines = [f"Tasks of {user.name} ({len(summaries)}):"]
    for s in summaries:
        for stage in s.active:
            holders = {p.oid for p in stage.waiting_for} | {p.oid for _, p in stage.substitutes}
            if user.oid not in holders:
                continue
            due = f" due {stage.due}" + (" (OVERDUE)" if stage.overdue(today) else "")
            lines.append(f"  {s.id}  {stage.title} [{stage.kind}]{due if stage.due else ''}"
                         f" - {s.title}")
    return "\n".join(lines)


def decision_json(d: RegisteredDecision) -> dict[str, Any]:
    return {"dossier_id": d.dossier_id, "title": d.title, "flow_id": d.flow_id,
            "stage": d.stage_id, "text": d.text, "by": d.by.to_json(), "at": d.at,
            "on_behalf_of": d.on_behalf_of.to_json() if d.on_behalf_of else None}


def decision_table(register: Sequence[RegisteredDecision]) -> str:
    if not register:
        return "No decisions yet."
    rows = [("DATE", "DOSSIER", "BY", "DECISION")]
    rows += [(d.at[:10], d.dossier_id, d.by.name, d.text or d.title) for d in register]
    return _table(rows)


def audit_text(dossiers: int, events: int, breaks: Sequence[ChainBreak]) -> str:
    if not breaks:
        return f"OK: {events} events in {dossiers} dossiers verified; every chain holds."
    lines = [f"BROKEN: {len(breaks)} of {dossiers} dossiers fail verification."]
    lines += [f"  dossier {b.dossier_id}, event {b.seq}: {b.reason}" for b in breaks]
    return "\n".join(lines)


def demo_text(report: dict[str, Any], settings: Any) -> str:
    lines = [f"Demo data in {report['data']}:",
             f"  {report['users']} demo users, {len(report['flows'])} published flows: "
             + ", ".join(report["flows"])]
    if report["dossiers"]:
        lines.append("  example dossiers: " + ", ".join(report["dossiers"]))
    lines.append(f"Try: paraaf --data {report['data']} dossier list")
    return "\n".join(lines)


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    )
