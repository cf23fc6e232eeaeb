"""How the command line shows things: plain text for people, JSON with ``--json``.

Text follows PARAAF_LANGUAGE like the cards (Dutch unless it says ``en``), with every word
from the language's catalogue, and shows times in the tenant's time zone (PARAAF_TIMEZONE)
with the zone; JSON keeps codes and ISO 8601 UTC times.

Text from people is shown, never acted on: every value goes through ``_v`` (one line, each
control or bidi character as a visible escape), and ``emit`` neutralises the whole text once
more; JSON writes such characters as ``\\uXXXX`` escapes (see :mod:`approvals.text`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from approvals.audit import ChainBreak
from approvals.dossier import DossierState
from approvals.errors import audit_reason
from approvals.events import Event
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person
from approvals.ports import DocumentComment
from approvals.readmodels import (
    ActiveStage,
    DossierSummary,
    RegisteredDecision,
    TimelineEntry,
    summary_to_json,
)
from approvals.signing_stage import SignedState
from approvals.text import escape_json, neutralize, neutralize_lines
from cards import skips
from cards.format import DEFAULT_ZONE, format_timestamp, local_time, provider_name
from cards.strings import CliStrings, Strings, cli_strings, plural, strings


@dataclass(frozen=True, slots=True)
class Words:
    """The command line's language: its own words, the cards' words (statuses, advice,
    timeline) and the tenant's time zone."""

    c: CliStrings
    s: Strings
    zone: str = DEFAULT_ZONE

    def when(self, moment: str) -> str:
        """An ISO 8601 UTC time as local time with the zone: 23 nov. 2026 10:00 (CET)."""
        return format_timestamp(moment, self.s, self.zone) if moment else ""

    def day(self, moment: str) -> str:
        """The local date (YYYY-MM-DD) of an ISO 8601 UTC time."""
        try:
            parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return moment[:10]
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return local_time(parsed, self.zone)[0].date().isoformat()

    def status(self, status: str) -> str:
        return {"open": self.s.status_open, "completed": self.s.status_completed,
                "rejected": self.s.status_rejected, "withdrawn": self.s.status_withdrawn,
                }.get(status, status).lower()

    def kind(self, kind: str) -> str:
        kinds = ("advise", "initial", "approve", "decide", "sign", "acknowledge")
        return self.c.kinds[kinds.index(kind)] if kind in kinds else kind

    def flow_status(self, status: object) -> str:
        codes = ("concept", "gepubliceerd", "ingetrokken")
        value = str(status)
        return self.c.flow_statuses[codes.index(value)] if value in codes else value


def words(language: str = "nl", zone: str = DEFAULT_ZONE) -> Words:
    """The words for PARAAF_LANGUAGE: English for ``en``, else Dutch (``auto`` too: the
    command line has no Teams locale to follow)."""
    lang = "en" if language == "en" else "nl"
    return Words(cli_strings(lang), strings(lang), zone)

_v = neutralize  # a value from people or the store, shown on one line


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """Print ``data`` as JSON when --json was given, else the text."""
    if getattr(args, "json", False):
        print(escape_json(json.dumps(data, ensure_ascii=False, indent=2, default=str)))
    else:
        print(neutralize_lines(text))


# --- flows -------------------------------------------------------------------------------------


def flow_json(flow: FlowDefinition) -> dict[str, Any]:
    return {
        "id": flow.id, "version": flow.version, "title": flow.title,
        "fields": [f.name for f in flow.fields],
        "steps": [[s.id for s in step.stages] for step in flow.steps],
    }


def flow_valid_text(flow: FlowDefinition, source: str, w: Words) -> str:
    stages = sum(len(step.stages) for step in flow.steps)
    return w.c.flow_valid.format(
        source=_v(source), id=_v(flow.id), version=flow.version, title=_v(flow.title),
        fields=plural(w.c.n_fields, len(flow.fields)), stages=plural(w.c.n_stages, stages),
        steps=plural(w.c.n_steps, len(flow.steps)))


def flow_record_json(record: Any) -> dict[str, Any]:
    return {"id": record.id, "version": record.version, "title": record.title,
            "status": str(record.status), "published_by": record.published_by,
            "published_at": record.published_at}


def flow_record_text(record: Any, template: str, w: Words) -> str:
    """``template``: one of the catalogue's flow_published, flow_imported, flow_withdrawn."""
    return template.format(id=_v(record.id), version=record.version, title=_v(record.title),
                           status=w.flow_status(record.status))


def flow_table(records: Sequence[Any], w: Words) -> str:
    if not records:
        return w.c.no_flows
    rows: list[tuple[str, ...]] = [w.c.flow_columns]
    rows += [(r.id, str(r.version), w.flow_status(r.status), r.title, r.published_by)
             for r in records]
    return _table(rows)


# --- dossiers ----------------------------------------------------------------------------------


def _who(person: Person) -> str:
    return f"{_v(person.name)} <{_v(person.upn)}>"


def _stage_lines(summary: DossierSummary, today: date, w: Words) -> list[str]:
    if not summary.active:
        return [w.c.nobody.format(status=w.status(summary.status))]
    lines = []
    for stage in summary.active:
        lines.append(f"  {_stage_text(stage, today, w)}: "
                     + (", ".join(_who(p) for p in stage.waiting_for) or w.s.nobody_to_act))
        lines += [w.c.substitute_for.format(slot=slot, who=_who(p))
                  for slot, p in stage.substitutes]
    return lines


def _stage_text(stage: ActiveStage, today: date, w: Words) -> str:
    """'Paraaf [paraaf], termijn 2026-12-01 (VERSTREKEN)'."""
    due = ""
    if stage.due:
        due = w.c.label_due.format(date=stage.due) + (w.c.overdue if stage.overdue(today)
                                                     else "")
    return f"{_v(stage.title)} [{w.kind(stage.kind)}]{due}"


def _header(summary: DossierSummary, w: Words) -> list[str]:
    c = w.c
    labels = [c.label_flow, c.label_status, c.label_initiator, c.label_decision,
              c.label_reason]
    width = max(len(label) for label in labels) + 2

    def line(label: str, value: str) -> str:
        return f"  {(label + ':').ljust(width)}{value}"

    lines = [
        c.dossier_head.format(id=_v(summary.id), title=_v(summary.title)),
        line(c.label_flow,
             f"{_v(summary.flow_title)} ({_v(summary.flow_id)} v{summary.flow_version})"),
        line(c.label_status, w.status(summary.status)),
        line(c.label_initiator, _who(summary.initiator)),
    ]
    if summary.decision:
        lines.append(line(c.label_decision, _v(summary.decision)))
    if summary.end_reason:
        lines.append(line(c.label_reason, _v(summary.end_reason)))
    return lines


def outcome_text(summary: DossierSummary, events: Sequence[Event], today: date,
                 w: Words) -> str:
    lines = _header(summary, w)
    lines.append(plural(w.c.recorded, len(events)) if events else w.c.nothing_new)
    return "\n".join([*lines, w.c.who_is_to_act, *_stage_lines(summary, today, w)])


def rule_lines(state: DossierState, flow: FlowDefinition | None,
               entries: Sequence[TimelineEntry], w: Words) -> list[str]:
    """Stages nobody is to act in, and which value each skipped stage's condition tested."""
    if flow is None:
        return []
    s = w.s
    lines = skips.unstaffed_lines(state, flow, s) if state.is_open else []
    return lines + skips.skipped_lines(entries, state, flow, s)


def unstaffed_warning(flow: FlowDefinition, stage_ids: Sequence[str], w: Words) -> str:
    """The warning at a start when stages ahead would find nobody ("" when none)."""
    if not stage_ids:
        return ""
    titles = ", ".join(flow.stage(i).title if flow.has_stage(i) else i for i in stage_ids)
    return w.s.unstaffed_ahead.format(stages=titles)


def unstaffed_tasks_text(summaries: Sequence[DossierSummary], w: Words) -> list[str]:
    """For a beheerder: the open dossiers that wait at a stage nobody is to act in."""
    s = w.s
    return [f"  {d.id}  {stage.title} [{s.nobody_to_act}] - {d.title}"
            for d in summaries if d.status == "open"
            for stage in d.active if not stage.waiting_for]


def dossier_text(summary: DossierSummary, state: DossierState,
                 entries: Sequence[TimelineEntry], today: date, w: Words,
                 comments: Sequence[DocumentComment] = (),
                 flow: FlowDefinition | None = None,
                 signed: Sequence[SignedState] = ()) -> str:
    lines = _header(summary, w)
    lines += [f"  {_v(name)}: {_v(value)}" for name, value in state.fields.items()]
    lines += [w.c.who_is_to_act, *_stage_lines(summary, today, w)]
    lines += [f"  {_v(line)}" for line in rule_lines(state, flow, entries, w)]
    if state.documents:
        lines.append(w.c.documents)
        lines += [f"  {_v(d.name)} (v{_v(d.version)}, sha256 {_v(d.sha256[:12])}…) {_v(d.uri)}"
                  for d in state.documents]
    lines += signature_lines(signed, w)
    if state.advice:
        lines.append(w.c.advice)
        lines += ["  " + w.c.advice_line.format(stage=_v(a.stage_id),
                                                advice=_advice(a.advice, w), name=_v(a.by.name))
                  + (f": {_v(a.text)}" if a.text else "") for a in state.advice]
    lines += comments_lines(comments, w)
    lines.append(w.c.timeline)
    lines += [f"  {e.seq:>3}  {w.when(e.at)}  {_v(describe(e, w))}" for e in entries]
    return "\n".join(lines)


def signature_lines(signed: Sequence[SignedState], w: Words) -> list[str]:
    """Per signed PDF: valid, changed after signing, untrusted (or missing), and who signed."""
    if not signed:
        return []
    c = w.c
    lines = [c.signatures]
    for item in signed:
        level = f" ({item.level})" if item.level else ""
        signers = ", ".join(p.name or p.upn for p in item.signers)
        lines.append("  " + c.signature_line.format(
            name=_v(item.name), state=c.signature_state.get(item.state, item.state),
            level=level, signers=_v(signers)))
    return lines


def signatures_json(signed: Sequence[SignedState]) -> list[dict[str, Any]]:
    return [{"name": item.name, "state": item.state, "level": item.level,
             "signers": [p.to_json() for p in item.signers],
             "sha256": item.recorded.sha256, "signed_at": item.recorded.signed_at,
             "provider": item.recorded.provider,
             "checks": [{"signer": check.signer, "signed_at": check.signed_at,
                         "state": check.state.value, "level": check.level}
                        for check in (item.report.signatures if item.report else ())]}
            for item in signed]


def _advice(advice: str, w: Words) -> str:
    return {"positief": w.s.advice_positief, "negatief": w.s.advice_negatief,
            "neutraal": w.s.advice_neutraal}.get(advice, advice)


def comments_lines(comments: Sequence[DocumentComment], w: Words) -> list[str]:
    """Per document: author, time, text and the commented passage (shortened)."""
    if not comments:
        return []
    lines = [w.c.comments]
    document = None
    for c in comments:
        if c.document != document:
            document = c.document
            lines.append(f"  {_v(document)}")
        if c.unreadable:
            lines.append(f"    ({w.s.comments_unreadable})")
            continue
        when = f", {w.when(c.date)}" if c.date else ""
        author = _v(c.author) if c.author else w.c.comment_unknown_author
        lines.append(f"    {author}{when}: {_v(' '.join(c.text.split()))}")
        if c.passage:
            passage = c.passage if len(c.passage) <= 100 else c.passage[:99].rstrip() + "…"
            lines.append("      " + w.c.comment_on.format(passage=_v(passage)))
    return lines


def comments_json(comments: Sequence[DocumentComment]) -> list[dict[str, str | bool]]:
    return [{"document": c.document, "author": c.author, "date": c.date, "text": c.text,
             "passage": c.passage, **({"unreadable": True} if c.unreadable else {})}
            for c in comments]


def describe(entry: TimelineEntry, w: Words | None = None) -> str:
    """One line of the timeline in plain words (the cards' sentences), with reasons and
    advice."""
    w = w or words()
    s, c, d = w.s, w.c, entry.detail
    who = entry.actor.name
    if entry.on_behalf_of is not None:
        who = c.on_behalf_of.format(name=who, other=entry.on_behalf_of.name)
    stage = str(d.get("stage") or "")

    def name_of(key: str) -> str:
        value = d.get(key)
        return str(value.get("name", "")) if isinstance(value, dict) else str(value or "")

    lines = {
        "DossierStarted": lambda: s.ev_dossier_started.format(who=who),
        "StageStarted": lambda: c.ev_stage_started.format(
            stage=stage, names=", ".join(p["name"] for p in d.get("assignees", [])))
        + (c.label_due.format(date=d["due"]) if d.get("due") else ""),
        "StageSkipped": lambda: c.ev_stage_skipped.format(stage=stage,
                                                          condition=d.get("condition")),
        "AdviceGiven": lambda: s.ev_advice_given.format(
            who=who, advice=_advice(str(d.get("advice", "")), w).lower()) + f" ({stage})",
        "Initialled": lambda: s.ev_initialled.format(who=who) + f" ({stage})",
        "Approved": lambda: s.ev_approved.format(who=who) + f" ({stage})",
        "Decided": lambda: s.ev_decided.format(who=who) + f" ({stage})",
        "Signed": lambda: s.ev_signed.format(who=who) + f" ({stage})",
        "Acknowledged": lambda: s.ev_acknowledged.format(who=who) + f" ({stage})",
        "StageCompleted": lambda: c.ev_stage_completed.format(stage=stage),
        "DossierReturned": lambda: s.ev_dossier_returned.format(
            who=who, stage=d.get("to_stage")) + f" ({d.get('from_stage')})",
        "DossierRejected": lambda: s.ev_dossier_rejected.format(who=who),
        "DossierWithdrawn": lambda: s.ev_dossier_withdrawn.format(who=who),
        "DossierCompleted": lambda: s.ev_dossier_completed,
        "CommentAdded": lambda: s.ev_comment_added.format(who=who),
        "DocumentAttached": lambda: s.ev_document_attached.format(
            who=who, name=f"{d.get('name')} (v{d.get('version')})"),
        "DocumentSigned": lambda: s.ev_document_signed.format(
            who=who, name=f"{d.get('name')} (v{d.get('version')}, {d.get('level')})"),
        "SigningSent": lambda: s.ev_signing_sent.format(
            who=who, name=d.get("name"), provider=provider_name(d)),
        "SigningStopped": lambda: (s.ev_signing_expired if d.get("status") == "expired"
                                   else s.ev_signing_declined).format(
            who=who, name=d.get("name"), provider=provider_name(d),
            reason=d.get("reason") or "-"),
        "Delegated": lambda: s.ev_delegated.format(who=who, name=name_of("to")),
        "Reassigned": lambda: s.ev_reassigned.format(who=who, name=name_of("to")),
        "FlowVersionChanged": lambda: s.ev_flow_version_changed.format(
            who=who, version=d.get("to_version")),
        "DecisionRegistered": lambda: s.ev_decision_registered.format(
            identificatie=d.get("identificatie")) + f": {d.get('url')}",
        "DueDateChanged": lambda: s.ev_due_date_changed.format(who=who, date=d.get("due"))
        + f" ({stage})",
        "ReminderSent": lambda: s.ev_reminder_sent.format(stage=stage)
        + c.label_due.format(date=d.get("due")),
        "Escalated": lambda: s.ev_escalated.format(stage=stage)
        + c.label_due.format(date=d.get("due")),
    }
    build = lines.get(entry.type)
    text = build() if build else s.ev_other.format(who=who, type=entry.type)
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


def timeline_json(entries: Sequence[TimelineEntry], w: Words) -> list[dict[str, Any]]:
    return [{"seq": e.seq, "at": e.at, "type": e.type, "actor": e.actor.to_json(),
             "on_behalf_of": e.on_behalf_of.to_json() if e.on_behalf_of else None,
             "channel": e.channel, "stage": e.stage, "detail": e.detail,
             "text": describe(e, w)} for e in entries]


def dossier_table(summaries: Sequence[DossierSummary], today: date, w: Words) -> str:
    if not summaries:
        return w.c.no_dossiers
    rows: list[tuple[str, ...]] = [w.c.dossier_columns]
    for s in summaries:
        stage = ", ".join(a.stage_id for a in s.active) or "-"
        due = (s.due or "-") + (" !" if any(a.overdue(today) for a in s.active) else "")
        rows.append((s.id, w.status(s.status), s.flow_id, stage, due, s.title))
    return _table(rows)


def tasks_text(user: Person, summaries: Sequence[DossierSummary], today: date,
               w: Words) -> str:
    """Per task: dossier number, stage, due date, initiator and title."""
    if not summaries:
        return w.c.no_tasks.format(name=_v(user.name))
    lines = [plural(w.c.tasks_of, len(summaries), name=_v(user.name))]
    for s in summaries:
        for stage in s.active:
            holders = {p.oid for p in stage.waiting_for} | {p.oid for _, p in stage.substitutes}
            if user.oid not in holders:
                continue
            lines.append(f"  {_v(s.id)}  {_stage_text(stage, today, w)} - {_v(s.title)} "
                         f"({w.c.label_initiator} {_v(s.initiator.name)})")
    return "\n".join(lines)


def decision_json(d: RegisteredDecision) -> dict[str, Any]:
    return {"dossier_id": d.dossier_id, "title": d.title, "flow_id": d.flow_id,
            "stage": d.stage_id, "text": d.text, "by": d.by.to_json(), "at": d.at,
            "on_behalf_of": d.on_behalf_of.to_json() if d.on_behalf_of else None}


def decision_table(register: Sequence[RegisteredDecision], w: Words) -> str:
    if not register:
        return w.c.no_decisions
    rows: list[tuple[str, ...]] = [w.c.decision_columns]
    rows += [(w.day(d.at), d.dossier_id, d.by.name, d.text or d.title) for d in register]
    return _table(rows)


def audit_text(dossiers: int, events: int, breaks: Sequence[ChainBreak], w: Words) -> str:
    c = w.c
    if not breaks:
        return c.audit_ok.format(events=plural(c.n_events, events),
                                 dossiers=plural(c.n_dossiers, dossiers))
    lines = [c.audit_broken.format(broken=len(breaks), dossiers=plural(c.n_dossiers, dossiers))]
    lines += [c.audit_break.format(id=_v(b.dossier_id), seq=b.seq,
                                   reason=_v(audit_reason(b.code, b.params, c.audit_words)))
              for b in breaks]
    return "\n".join(lines)


def tick_text(checked: int, reminders: int, escalations: int,
              failed: Sequence[tuple[str, str]], w: Words) -> str:
    c = w.c
    text = c.tick_done.format(checked=plural(c.n_dossiers, checked),
                              reminders=plural(c.n_reminders, reminders),
                              escalations=plural(c.n_escalations, escalations))
    return text + "".join(c.tick_failed.format(id=d, message=m) for d, m in failed)


def demo_text(report: dict[str, Any], settings: Any, w: Words) -> str:
    c = w.c
    lines = [c.demo_data.format(folder=report["data"]),
             c.demo_counts.format(users=plural(c.n_users, report["users"]),
                                  flows=plural(c.n_flows, len(report["flows"])),
                                  names=", ".join(report["flows"]))]
    if report["dossiers"]:
        lines.append(c.demo_examples.format(ids=", ".join(report["dossiers"])))
    lines.append(c.demo_try.format(folder=report["data"]))
    return "\n".join(lines)


def _table(rows: Sequence[Sequence[str]]) -> str:
    rows = [[_v(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    )
