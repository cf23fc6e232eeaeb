"""The dossier cards: a task card for an assignee, and a read-only status card for everyone
else (and for ``status <dossier>`` and the initiator's notifications).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from approvals.dossier import DossierState, DossierStatus
from approvals.flows.definition import FlowDefinition
from approvals.ports import DocumentComment
from approvals.readmodels import ActiveStage, TimelineEntry, who_is_to_act
from approvals.signatures import provider_title
from approvals.turns import viewer_task
from cards import dossier_view as view
from cards import skips
from cards.contract import REFRESH
from cards.elements import (
    MAX_REFRESH_USERS,
    SIZE_BUDGET,
    Json,
    action_set,
    adaptive_card,
    banner,
    card_size,
    execute,
    header,
    open_url,
    refresh,
    styled,
    text,
    unique,
)
from cards.format import DEFAULT_ZONE, capitalize, user_text
from cards.strings import Strings, strings
from cards.task_actions import Task, prompt, stage_inputs, task_actions


@dataclass(frozen=True, slots=True)
class _View:
    """Everything one dossier card is built from."""

    state: DossierState
    flow: FlowDefinition
    entries: Sequence[TimelineEntry]
    s: Strings
    today: date
    refresh_user_ids: Sequence[str]
    notice: str | None
    error: str | None
    headline: tuple[str, str, str] | None  # (text, tone, reason)
    open_url: str | None
    comments: Sequence[DocumentComment] = ()
    tone: str = "accent"  # of the notice: good, accent, warning or attention
    zone: str = DEFAULT_ZONE
    signatures: Mapping[str, str] | None = None  # signed PDF name -> its check now


def _subtitle(v: _View, active: Sequence[ActiveStage], task: Task | None) -> str:
    """'2026-0042 · Collegevoorstel · Paraaf (ronde 2)': the dossier number, the flow and
    the viewer's (or every active) stage, or the status of a closed dossier."""
    parts = [user_text(v.state.id, 64), user_text(v.flow.title, 120)]
    if task is not None:
        active = [st for st in active if st.stage_id == task.stage.stage_id]
    parts += [view.stage_line(stage, v.s) for stage in active]
    if not v.state.is_open:
        parts.append(view.status_label(v.state.status.value, v.s))
    return " · ".join(parts)


def _due(v: _View, active: Sequence[ActiveStage], task: Task | None) -> str | None:
    if task is not None:
        return task.stage.due
    dues = [stage.due for stage in active if stage.due is not None]
    return min(dues) if dues else None


def _head(v: _View, active: Sequence[ActiveStage], task: Task | None,
          budget: view.Budget) -> list[Json]:
    extra = []
    if v.headline is not None:
        line, tone, reason = v.headline
        said = [text(line, weight="Bolder", size="Medium")]
        if reason:
            said.append(text(v.s.end_reason.format(reason=user_text(reason, budget.decision)),
                             spacing="None"))
        extra += [styled(said, tone)] if tone else said
    if task is not None:
        kind = v.flow.stage(task.stage.stage_id).kind
        extra.append(text(prompt(kind, v.s), spacing="Small"))
        if task.behalf is not None:
            name = user_text(task.behalf.name, budget.name)
            extra.append(text(v.s.prompt_on_behalf.format(name=name), spacing="None",
                              subtle=True))
    due = view.due_block(_due(v, active, task), v.today, v.s) if v.state.is_open else None
    if due is not None:
        extra.append(due)
    blocks = [header(view.title_text(v.state, budget), _subtitle(v, active, task), extra=extra)]
    if v.notice:
        blocks.append(banner(user_text(v.notice, 500), v.tone))
    if v.error:
        blocks.append(banner(user_text(v.error, 500), "attention"))
    return blocks


def _refresh_data(v: _View, task: Task | None) -> dict[str, Any]:
    data: dict[str, Any] = {"dossier_id": v.state.id, "version": v.state.version}
    if task is not None:
        data["stage_id"] = task.stage.stage_id
    return data


def _utility_row(v: _View, task: Task | None) -> list[Json]:
    """A visible Vernieuwen (when auto-refresh cannot list everyone) and Openen in paraaf."""
    buttons = []
    ids = unique(v.refresh_user_ids)
    if v.state.is_open and len(ids) > MAX_REFRESH_USERS:
        buttons.append(execute(v.s.refresh, REFRESH, _refresh_data(v, task)))
    if v.open_url:
        buttons.append(open_url(v.s.open_in_app, v.open_url))
    return [action_set(buttons, spacing="Medium")] if buttons else []


def _build(v: _View, task: Task | None, budget: view.Budget,
           values: Mapping[str, object]) -> Json:
    s, state, flow = v.s, v.state, v.flow
    active = who_is_to_act(state, flow) if state.is_open else ()
    body = _head(v, active, task, budget)
    body.append(view.summary_facts(state, flow, active, s, budget))
    body += view.end_block(state, s, budget)
    body += view.fields_block(state, flow, s, budget)
    body += [text(line, color="Attention", weight="Bolder") for line in
             skips.unstaffed_lines(state, flow, s)] if state.is_open else []
    body += [text(line, subtle=True, size="Small")
             for line in skips.skipped_lines(v.entries, state, flow, s)]
    body += view.documents_block(state, s, budget)
    body += view.signing_block(state, flow, active, s, budget, v.signatures, v.zone)
    body += view.advice_block(state, flow, s, budget, v.zone)
    body += view.comments_block(v.comments, s, budget, v.zone)
    body += view.decision_block(state, s, budget, v.zone)
    body += view.timeline_block(v.entries, flow, s, budget, v.zone)
    actions: list[Json] = []
    if task is not None:
        kind = flow.stage(task.stage.stage_id).kind
        inputs = stage_inputs(kind, s, values)
        if inputs:
            inputs[0]["separator"] = True
        body += inputs
        actions = task_actions(state, flow, task, s, values)
    body += _utility_row(v, task)
    card_refresh = None
    if state.is_open:
        card_refresh = refresh(_refresh_data(v, task), v.refresh_user_ids, s.refresh)
    return adaptive_card(body, actions, s=s, refresh=card_refresh)


def _fit(v: _View, task: Task | None, values: Mapping[str, object]) -> Json:
    """The fullest card that stays within the size budget."""
    card: Json = {}
    for budget in view.LEVELS:
        card = _build(v, task, budget, values if budget.echo else {})
        if card_size(card) <= SIZE_BUDGET:
            break
    return card


def task_card(
    state: DossierState,
    flow: FlowDefinition,
    entries: Sequence[TimelineEntry],
    *,
    viewer_oid: str,
    lang: str,
    today: date,
    refresh_user_ids: Sequence[str] = (),
    stage_id: str | None = None,
    notice: str | None = None,
    error: str | None = None,
    values: Mapping[str, object] | None = None,
    open_url: str | None = None,
    comments: Sequence[DocumentComment] = (),
    tone: str = "accent",
    zone: str = DEFAULT_ZONE,
    task: Task | None = None,
    signatures: Mapping[str, str] | None = None,
) -> Json:
    """The card for the viewer: with the actions of their open ``task`` (the domain's read
    model; when not given, their task in ``stage_id``, or any), or read-only when they have
    none. ``error`` shows a validation message and ``values`` (the data of the rejected
    invoke) refills the inputs. ``comments`` (from the dossier's Word documents) show with the
    advice. ``tone`` styles the ``notice`` (good, accent, warning, attention); times show in
    the time ``zone``. ``signatures`` is how each signed PDF reads now (its name ->
    "valid", "changed", "untrusted", "unsigned" or "missing"), from the verifier."""
    if task is None:
        task = viewer_task(state, viewer_oid, stage_id)
    if notice is None and task is not None:
        notice = _signing_notice(state, task, strings(lang))
    v = _View(state, flow, entries, strings(lang), today, refresh_user_ids, notice, error, None,
              open_url, comments, tone, zone, signatures)
    return _fit(v, task, values or {})


def _signing_notice(state: DossierState, task: Task, s: Strings) -> str | None:
    """What the task waits for when a signing service asks its signer (ValidSign)."""
    for sent in state.signing_open.values():
        if (sent.stage, sent.round, sent.slot) == (task.stage.stage_id, task.stage.round,
                                                   task.slot):
            return s.notice_signing_sent.format(name=sent.name,
                                                provider=provider_title(sent.provider))
    return None


def _headline(state: DossierState, flow: FlowDefinition, s: Strings, viewer_oid: str,
              event: TimelineEntry | None) -> tuple[str, str, str]:
    """(headline, tone, reason); no tone for a plain status. A closed dossier's end reason
    is in the body already."""
    subject = s.subject_yours if viewer_oid == state.initiator.oid else s.subject_the
    kind = event.type if event is not None else {
        DossierStatus.COMPLETED: "DossierCompleted",
        DossierStatus.REJECTED: "DossierRejected",
        DossierStatus.WITHDRAWN: "DossierWithdrawn",
    }.get(state.status, "")
    if kind == "DossierReturned" and event is not None:
        target = view.stage_title(flow, str(event.detail.get("to_stage", "")))
        reason = event.detail.get("reason")
        line = capitalize(s.head_returned.format(subject=subject, stage=target))
        return line, "warning", reason if isinstance(reason, str) else ""
    if kind == "DossierRejected":
        return capitalize(s.head_rejected.format(subject=subject)), "attention", ""
    if kind == "DossierWithdrawn":
        return capitalize(s.head_withdrawn.format(subject=subject)), "attention", ""
    if kind == "DossierCompleted":
        line = s.head_decided if state.decision is not None else s.head_completed
        return capitalize(line.format(subject=subject)), "good", ""
    return s.head_status, "", ""


def status_card(
    state: DossierState,
    flow: FlowDefinition,
    entries: Sequence[TimelineEntry],
    *,
    viewer_oid: str,
    lang: str,
    today: date,
    refresh_user_ids: Sequence[str] = (),
    notice: str | None = None,
    event: TimelineEntry | None = None,
    headline: bool = True,
    open_url: str | None = None,
    comments: Sequence[DocumentComment] = (),
    tone: str = "accent",
    zone: str = DEFAULT_ZONE,
    signatures: Mapping[str, str] | None = None,
) -> Json:
    """The read-only card: no actions but refresh and open. With ``event`` (the return,
    rejection, decision or withdrawal that caused a notification) its headline says what
    happened and why; without it, where the dossier stands. ``headline=False`` leaves the
    headline out (for a stale or non-assignee click answered with a ``notice``). ``comments``
    (from the dossier's Word documents) show with the advice."""
    s = strings(lang)
    line = _headline(state, flow, s, viewer_oid, event) if headline else None
    v = _View(state, flow, entries, s, today, refresh_user_ids, notice, None, line, open_url,
              comments, tone, zone, signatures)
    return _fit(v, None, {})
