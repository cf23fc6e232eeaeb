"""The content every dossier card shows: facts, fields, due date, documents, advice, decision
and the last steps of the timeline. Builders here never add actions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from approvals.dossier import DossierState, DossierStatus
from approvals.flows.definition import FieldType, FlowDefinition, StageKind
from approvals.identity import Person
from approvals.ports import DocumentComment
from approvals.readmodels import ActiveStage, TimelineEntry
from cards.elements import Json, container, facts, heading, styled, text
from cards.format import (
    DEFAULT_ZONE,
    format_date,
    format_field,
    format_timestamp,
    provider_name,
    truncate,
    user_text,
)
from cards.strings import Strings, plural


@dataclass(frozen=True, slots=True)
class Budget:
    """How much of a dossier a card shows; smaller levels keep a big dossier under the limit."""

    title: int
    name: int
    fields: int
    field_value: int
    documents: int
    advice: int
    advice_text: int
    comments: int  # comments in documents
    comment_text: int
    passage: int
    decision: int
    timeline: int
    timeline_text: int
    people: int
    echo: bool  # keep the values the user typed (on an error card)


LEVELS = (
    Budget(title=200, name=80, fields=40, field_value=500, documents=15, advice=10,
           advice_text=1000, comments=12, comment_text=600, passage=160, decision=2000,
           timeline=5, timeline_text=400, people=12, echo=True),
    Budget(title=200, name=60, fields=25, field_value=200, documents=10, advice=6,
           advice_text=300, comments=6, comment_text=200, passage=100, decision=600,
           timeline=5, timeline_text=200, people=8, echo=True),
    Budget(title=120, name=40, fields=15, field_value=80, documents=5, advice=3,
           advice_text=120, comments=3, comment_text=80, passage=60, decision=200,
           timeline=3, timeline_text=80, people=5, echo=False),
)

HIDDEN_EVENTS = frozenset({"StageStarted", "StageSkipped", "StageCompleted"})
"""Engine bookkeeping that the timeline on a card leaves out."""


STAGE_TITLE = 100


def stage_title(flow: FlowDefinition, stage_id: str) -> str:
    title = flow.stage(stage_id).title if flow.has_stage(stage_id) else stage_id
    return user_text(title, STAGE_TITLE)


def status_label(status: str, s: Strings) -> str:
    return {
        DossierStatus.OPEN.value: s.status_open,
        DossierStatus.COMPLETED.value: s.status_completed,
        DossierStatus.REJECTED.value: s.status_rejected,
        DossierStatus.WITHDRAWN.value: s.status_withdrawn,
    }.get(status, status)


def advice_label(advice: str, s: Strings) -> str:
    return {
        "positief": s.advice_positief, "negatief": s.advice_negatief,
        "neutraal": s.advice_neutraal,
    }.get(advice, advice)


def person_name(person: Person, behalf: Person | None, s: Strings, budget: Budget) -> str:
    """'Jan Jansen', or 'Jan Jansen namens Piet Pieters' for a substitute."""
    name = user_text(person.name, budget.name)
    if behalf is None:
        return name
    return s.on_behalf_of.format(name=name, other=user_text(behalf.name, budget.name))


def stage_line(stage: ActiveStage, s: Strings) -> str:
    """'Paraaf' or 'Paraaf (ronde 2)'."""
    title = user_text(stage.title, STAGE_TITLE)
    if stage.round > 1:
        return f"{title} ({s.round.format(round=stage.round)})"
    return title


def _waiting(stage: ActiveStage, s: Strings, budget: Budget) -> str:
    subs = {slot: sub for slot, sub in stage.substitutes}
    names = []
    for person in stage.waiting_for[: budget.people]:
        name = user_text(person.name, budget.name)
        if person.oid in subs:
            name = s.substitute_for.format(name=name,
                                           other=user_text(subs[person.oid].name, budget.name))
        names.append(name)
    hidden = len(stage.waiting_for) - budget.people
    if hidden > 0:
        names.append(s.more_items.format(count=hidden))
    return ", ".join(names) or s.nobody_to_act


def summary_facts(state: DossierState, flow: FlowDefinition, active: Sequence[ActiveStage],
                  s: Strings, budget: Budget) -> Json:
    """Flow, status, initiator, the active stage(s) and who is to act in them."""
    pairs = [
        (s.label_flow, user_text(flow.title, budget.title)),
        (s.label_status, status_label(state.status.value, s)),
        (s.label_initiator, user_text(state.initiator.name, budget.name)),
    ]
    if len(active) == 1:
        pairs.append((s.label_stage, stage_line(active[0], s)))
        pairs.append((s.label_waiting_for, _waiting(active[0], s, budget)))
    elif active:
        pairs.append((s.label_stage, ", ".join(stage_line(st, s) for st in active)))
        waiting = [f"{_waiting(st, s, budget)} ({stage_line(st, s)})" for st in active]
        pairs.append((s.label_waiting_for, "; ".join(waiting)))
    return facts(pairs)


def due_block(due: str | None, today: date, s: Strings) -> Json | None:
    """The due date; overdue in attention style, due today in warning style (a styled
    container with the default text colour: coloured text fails contrast in Teams' themes)."""
    if due is None:
        return None
    try:
        day = date.fromisoformat(due)
    except ValueError:
        return None
    shown = format_date(day, s)
    if day < today:
        return styled([text(s.due_overdue.format(date=shown), weight="Bolder")], "attention")
    if day == today:
        return styled([text(s.due_today.format(date=shown), weight="Bolder")], "warning")
    return text(s.due_on.format(date=shown))


def fields_block(state: DossierState, flow: FlowDefinition, s: Strings,
                 budget: Budget) -> list[Json]:
    """The dossier's fields with the flow's labels, in the flow's order."""
    names = [f.name for f in flow.fields if f.name in state.fields]
    names += [n for n in state.fields if flow.field_def(n) is None]
    pairs = []
    for name in names[: budget.fields]:
        field = flow.field_def(name)
        label = field.label if field else name
        value = state.fields[name]
        if value is None or value == "":
            continue
        if field is not None and field.type is FieldType.DOCUMENT and isinstance(value, str):
            shown = _link(_document_name(value), value, budget.name)
        else:
            shown = format_field(field, value, s, budget.field_value)
        pairs.append((user_text(label, budget.name), shown))
    if not pairs:
        return []
    blocks = [heading(s.section_fields), facts(pairs)]
    if len(names) > budget.fields:
        blocks.append(text(s.more_items.format(count=len(names) - budget.fields), subtle=True))
    return blocks


_PERCENT_RUN = re.compile(r"((?:%[0-9A-Fa-f]{2})+)")


def _document_name(value: str) -> str:
    """The file name of a link (its last path segment, percent-decoded), or the value."""
    if not value.startswith(("https://", "http://")):
        return value
    path = re.split(r"[?#]", value, maxsplit=1)[0].rstrip("/")
    segment = path.rsplit("/", 1)[-1] if path.count("/") > 2 else ""
    name = _PERCENT_RUN.sub(
        lambda m: bytes.fromhex(m.group(1).replace("%", "")).decode("utf-8", "replace"), segment
    )
    return name or value


def _link(name: str, uri: str, limit: int) -> str:
    label = user_text(name, limit).replace("[", "(").replace("]", ")")
    safe = uri.startswith(("https://", "http://")) and len(uri) <= 1000
    if not safe or any(ch in uri for ch in " ()<>"):
        return label
    return f"[{label}]({uri})"


def documents_block(state: DossierState, s: Strings, budget: Budget) -> list[Json]:
    """The dossier's documents as links (http/https only; anything else as plain text)."""
    docs = state.documents
    if not docs:
        return []
    blocks = [heading(s.section_documents)]
    blocks += [text(_link(d.name, d.uri, budget.name), spacing="Small")
               for d in docs[: budget.documents]]
    if len(docs) > budget.documents:
        blocks.append(text(s.more_items.format(count=len(docs) - budget.documents),
                           subtle=True))
    return blocks


def signing_block(state: DossierState, flow: FlowDefinition, active: Sequence[ActiveStage],
                  s: Strings, budget: Budget, checks: Mapping[str, str] | None = None,
                  zone: str = DEFAULT_ZONE) -> list[Json]:
    """The signing state: who signed (the latest signature of each signed PDF, with when),
    who is still to sign (the open sign stages' assignees, then the sign stages not reached
    yet), the check of each signed PDF as it is now when ``checks`` has it (signed PDF name
    -> "valid", "changed", "untrusted", "unsigned" or "missing": the verifier's, which the
    card does not run), and a link to the signed PDF. Nothing for a dossier without sign
    stages or signatures."""
    sign_stages = [st for st in flow.all_stages() if st.kind is StageKind.SIGN]
    if not sign_stages and not state.signings:
        return []
    latest: dict[str, Any] = {}
    for signed in state.signings:
        latest[signed.name] = signed
    pairs: list[tuple[str, str]] = []
    for signed in latest.values():
        names = [user_text(p.name or p.upn, budget.name) for p in signed.signers]
        pairs.append((s.label_signed_by, s.signed_by_value.format(
            names=", ".join(names[: budget.people]), time=format_timestamp(signed.signed_at,
                                                                           s, zone))))
        check = (checks or {}).get(signed.name)
        if check is not None:
            shown = s.signature_check.get(check, check)
            level = signed.level if check == "valid" and signed.level else ""
            pairs.append((s.label_signature_check,
                          f"{shown} ({level})" if level else shown))
    if not latest:
        pairs.append((s.label_signed_by, s.nobody_signed))
    if state.is_open:
        waiting = [_waiting(st, s, budget) for st in active if st.kind == StageKind.SIGN.value]
        later = [user_text(st.title, STAGE_TITLE) for st in sign_stages
                 if st.id not in state.stages]
        still = "; ".join(waiting + [s.sign_stage_later.format(stage=t) for t in later])
        if still:
            pairs.append((s.label_to_sign, still))
    blocks = [heading(s.section_signing), facts(pairs)]
    for name, check in (checks or {}).items():
        if name in latest and check != "valid":
            shown = s.signature_check.get(check, check)
            blocks.append(styled([text(f"{user_text(name, budget.name)}: {shown}",
                                       weight="Bolder")], "attention"))
    for signed in latest.values():
        blocks.append(text(s.signed_document.format(link=_link(signed.name, signed.uri,
                                                               budget.name)),
                           spacing="Small"))
    return blocks


def advice_block(state: DossierState, flow: FlowDefinition, s: Strings,
                 budget: Budget, zone: str = DEFAULT_ZONE) -> list[Json]:
    """The advice given so far, newest last: verdict, adviser, stage (and round), text."""
    records = state.advice[-budget.advice:]
    if not records:
        return []
    blocks = [heading(s.section_advice)]
    hidden = len(state.advice) - len(records)
    if hidden:
        blocks.append(text(plural(s.advice_earlier, hidden), subtle=True, size="Small"))
    for record in records:
        who = person_name(record.by, record.on_behalf_of, s, budget)
        verdict = s.advice_by.format(advice=advice_label(record.advice, s), name=who)
        where = stage_title(flow, record.stage_id)
        if record.round > 1:
            where += f" ({s.round.format(round=record.round)})"
        style = {"positief": "good", "negatief": "attention"}.get(record.advice)
        items = [
            text(f"**{verdict}**"),
            text(f"{where} · {format_timestamp(record.at, s, zone)}", size="Small",
                 subtle=True, spacing="None"),
        ]
        if record.text:
            items.append(text(user_text(record.text, budget.advice_text), spacing="Small"))
        block = styled(items, style) if style else container(items)
        block["spacing"] = "Medium"
        blocks.append(block)
    return blocks


def comments_block(comments: Sequence[DocumentComment], s: Strings,
                   budget: Budget, zone: str = DEFAULT_ZONE) -> list[Json]:
    """The comments in the dossier's Word documents, per document: who, when, on which
    passage (shortened) and what, in the documents' order.

    A dossier's comments stay the same across many refreshes, so the rendered block is
    kept (by the comments shown, their count, language, budget and zone); callers do not change
    the blocks they get.
    """
    if not comments:
        return []
    return list(_comments_block(tuple(comments[: budget.comments]), len(comments), s, budget,
                                zone))


@functools.lru_cache(maxsize=256)
def _comments_block(shown: tuple[DocumentComment, ...], count: int, s: Strings,
                    budget: Budget, zone: str) -> tuple[Json, ...]:
    blocks = [heading(s.section_document_comments)]
    document = None
    for comment in shown:
        if comment.document != document:
            document = comment.document
            blocks.append(text(f"**{user_text(document, budget.name)}**", spacing="Small"))
        if comment.unreadable:
            blocks.append(text(s.comments_unreadable, subtle=True, spacing="None"))
            continue
        meta = user_text(comment.author or s.comment_unknown_author, budget.name)
        if comment.date:
            meta += f" · {format_timestamp(comment.date, s, zone)}"
        items = [text(meta, size="Small", subtle=True, spacing="None")]
        if comment.passage:
            passage = user_text(comment.passage, budget.passage)
            items.append(text(s.comment_on.format(passage=passage), size="Small",
                              spacing="None"))
        if comment.text:
            items.append(text(user_text(comment.text, budget.comment_text), spacing="None"))
        blocks.append(container(items, spacing="Small"))
    hidden = count - budget.comments
    if hidden > 0:
        blocks.append(text(s.more_items.format(count=hidden), subtle=True))
    return tuple(blocks)


def decision_block(state: DossierState, s: Strings, budget: Budget,
                   zone: str = DEFAULT_ZONE) -> list[Json]:
    decision = state.decision
    if decision is None:
        return []
    who = person_name(decision.by, decision.on_behalf_of, s, budget)
    blocks = [heading(s.section_decision)]
    if decision.text:
        blocks.append(text(user_text(decision.text, budget.decision)))
    when = format_timestamp(decision.at, s, zone)
    blocks.append(text(s.decision_by.format(name=who, date=when), size="Small", subtle=True))
    entry = state.registered
    if entry is not None:  # the entry in the decision register (ZGW), as a link
        label = s.decision_register.format(identificatie=entry.identificatie)
        blocks.append(text(_link(label, entry.url, budget.name + len(label)), size="Small"))
    return blocks


def _detail_name(detail: dict[str, Any], key: str, budget: Budget) -> str:
    value = detail.get(key)
    if isinstance(value, dict):
        return user_text(value.get("name", ""), budget.name)
    return user_text(value or "", budget.name)


def _line(entry: TimelineEntry, flow: FlowDefinition, s: Strings, budget: Budget) -> str:
    who = f"**{person_name(entry.actor, entry.on_behalf_of, s, budget)}**"
    d = entry.detail
    stage = stage_title(flow, entry.stage)
    lines: dict[str, Callable[[], str]] = {
        "DossierStarted": lambda: s.ev_dossier_started.format(who=who),
        "AdviceGiven": lambda: s.ev_advice_given.format(
            who=who, advice=advice_label(str(d.get("advice", "")), s).lower()),
        "Initialled": lambda: s.ev_initialled.format(who=who),
        "Approved": lambda: s.ev_approved.format(who=who),
        "Decided": lambda: s.ev_decided.format(who=who),
        "Signed": lambda: s.ev_signed.format(who=who),
        "Acknowledged": lambda: s.ev_acknowledged.format(who=who),
        "DossierReturned": lambda: s.ev_dossier_returned.format(
            who=who, stage=stage_title(flow, str(d.get("to_stage", "")))),
        "DossierRejected": lambda: s.ev_dossier_rejected.format(who=who),
        "DossierWithdrawn": lambda: s.ev_dossier_withdrawn.format(who=who),
        "DossierCompleted": lambda: s.ev_dossier_completed,
        "CommentAdded": lambda: s.ev_comment_added.format(who=who),
        "DocumentAttached": lambda: s.ev_document_attached.format(
            who=who, name=_detail_name(d, "name", budget)),
        "DocumentSigned": lambda: s.ev_document_signed.format(
            who=who, name=_detail_name(d, "name", budget)),
        "SigningSent": lambda: s.ev_signing_sent.format(
            who=who, name=_detail_name(d, "name", budget), provider=provider_name(d)),
        "SigningStopped": lambda: (s.ev_signing_expired if d.get("status") == "expired"
                                   else s.ev_signing_declined).format(
            who=who, name=_detail_name(d, "name", budget), provider=provider_name(d),
            reason=_detail_name(d, "reason", budget)),
        "Delegated": lambda: s.ev_delegated.format(who=who, name=_detail_name(d, "to", budget)),
        "Reassigned": lambda: s.ev_reassigned.format(who=who,
                                                     name=_detail_name(d, "to", budget)),
        "FlowVersionChanged": lambda: s.ev_flow_version_changed.format(
            who=who, version=d.get("to_version")),
        "DecisionRegistered": lambda: s.ev_decision_registered.format(
            identificatie=_detail_name(d, "identificatie", budget)),
        "DueDateChanged": lambda: s.ev_due_date_changed.format(
            who=who, date=format_date(str(d.get("due", "")), s)),
        "ReminderSent": lambda: s.ev_reminder_sent.format(stage=stage),
        "Escalated": lambda: s.ev_escalated.format(stage=stage),
    }
    build = lines.get(entry.type)
    return build() if build else s.ev_other.format(who=who, type=entry.type)


def entry_block(entry: TimelineEntry, flow: FlowDefinition, s: Strings,
                budget: Budget, zone: str = DEFAULT_ZONE) -> Json:
    """One step of the timeline: what happened, when, and the reason or text given."""
    items = [
        text(_line(entry, flow, s, budget), spacing="None"),
        text(format_timestamp(entry.at, s, zone), size="Small", subtle=True, spacing="None"),
    ]
    reason = entry.detail.get("reason")
    said = entry.detail.get("text")
    if isinstance(reason, str) and reason:
        items.append(text(s.end_reason.format(reason=user_text(reason, budget.timeline_text)),
                          spacing="None"))
    elif isinstance(said, str) and said:
        items.append(text(user_text(said, budget.timeline_text), spacing="None"))
    return container(items, spacing="Small")


def timeline_block(entries: Sequence[TimelineEntry], flow: FlowDefinition, s: Strings,
                   budget: Budget, zone: str = DEFAULT_ZONE) -> list[Json]:
    """The last few steps, oldest first, with a count of the earlier ones."""
    shown = [e for e in entries if e.type not in HIDDEN_EVENTS]
    if not shown:
        return []
    last = shown[-budget.timeline:]
    blocks = [heading(s.section_timeline)]
    if len(shown) > len(last):
        blocks.append(text(plural(s.timeline_earlier, len(shown) - len(last)),
                           size="Small", subtle=True))
    blocks += [entry_block(e, flow, s, budget, zone) for e in last]
    return blocks


def end_block(state: DossierState, s: Strings, budget: Budget) -> list[Json]:
    """For a rejected or withdrawn dossier: the reason it ended."""
    if state.is_open or not state.end_reason:
        return []
    return [text(s.end_reason.format(reason=user_text(state.end_reason, budget.decision)))]


def title_text(state: DossierState, budget: Budget) -> str:
    return truncate(user_text(state.title, budget.title), budget.title)
