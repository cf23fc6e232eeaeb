"""The actions of a task card: one stage action by kind, plus return, reject, comment and
delegate. Each submits an ``Action.Execute`` whose ``data`` carries the dossier, the stage,
its round and the dossier version the card was built from; the inputs add their ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from approvals.dossier import DossierState
from approvals.flows.definition import MAY_REJECT, FlowDefinition, StageKind
from approvals.limits import MAX_REASON, MAX_TEXT
from approvals.turns import ViewerTask
from cards import contract as k
from cards.contract import (
    ADVICE,
    COMMENT,
    DELEGATE_REASON,
    DELEGATE_TO,
    EMAIL_PATTERN,
    REJECT_REASON,
    RETURN_REASON,
    RETURN_TO,
    TEXT,
)
from cards.dossier_view import stage_title
from cards.elements import Json, execute, input_choice, input_text, show_card
from cards.strings import Strings

Task = ViewerTask
"""The viewer's open task (the read model of :mod:`approvals.turns`, where the rule lives)."""


def action_data(state: DossierState, task: Task) -> dict[str, Any]:
    """The data every action of a task carries (plus its inputs)."""
    data: dict[str, Any] = {
        k.DOSSIER_ID: state.id, k.STAGE_ID: task.stage.stage_id, k.ROUND: task.stage.round,
        k.VERSION: state.version,
    }
    if task.behalf is not None:
        data[k.ON_BEHALF_OF] = task.slot
    return data


def _typed(values: Mapping[str, object], key: str) -> str:
    value = values.get(key)
    return value if isinstance(value, str) else ""


def _text_input(values: Mapping[str, object], key: str, label: str, error: str, *,
                required: bool, limit: int, placeholder: str = "") -> Json:
    return input_text(key, label, max_length=limit, required=required,
                      error=error if required else None, multiline=True,
                      placeholder=placeholder, value=_typed(values, key))


def _advise(s: Strings, data: dict[str, Any], values: Mapping[str, object]) -> Json:
    labels = {"positief": s.advice_positief, "negatief": s.advice_negatief,
              "neutraal": s.advice_neutraal}
    choices = [(choice, labels[choice]) for choice in k.ADVICE_CHOICES]
    body = [
        input_choice(ADVICE, s.label_advice, choices, required=True, error=s.err_advice,
                     value=_typed(values, ADVICE), expanded=True),
        _text_input(values, TEXT, s.label_explanation, "", required=False, limit=MAX_TEXT),
    ]
    submit = execute(s.submit_advise, k.ADVISE, data, style="positive")
    return show_card(s.act_advise, body, [submit], style="positive")


def _decide(s: Strings, data: dict[str, Any], values: Mapping[str, object]) -> Json:
    body = [_text_input(values, TEXT, s.label_decision, s.err_text.format(max=MAX_TEXT),
                        required=True, limit=MAX_TEXT, placeholder=s.placeholder_decision)]
    submit = execute(s.submit_decide, k.DECIDE, data, style="positive")
    return show_card(s.act_decide, body, [submit], style="positive")


def _direct_title(kind: StageKind, s: Strings) -> str:
    return {
        StageKind.INITIAL: s.act_initial,
        StageKind.APPROVE: s.act_approve,
        StageKind.SIGN: s.act_sign,
        StageKind.ACKNOWLEDGE: s.act_acknowledge,
    }[kind]


def stage_inputs(kind: StageKind, s: Strings, values: Mapping[str, object]) -> list[Json]:
    """Inputs in the card body: an optional explanation with a paraaf, accord or signature."""
    if kind in (StageKind.INITIAL, StageKind.APPROVE, StageKind.SIGN):
        return [_text_input(values, TEXT, s.label_explanation_optional, "", required=False,
                            limit=MAX_TEXT)]
    return []


def stage_action(kind: StageKind, s: Strings, data: dict[str, Any],
                 values: Mapping[str, object]) -> Json:
    """The one action of the stage kind (a form for advise and decide)."""
    if kind is StageKind.ADVISE:
        return _advise(s, data, values)
    if kind is StageKind.DECIDE:
        return _decide(s, data, values)
    return execute(_direct_title(kind, s), kind.value, data, style="positive")


def return_action(flow: FlowDefinition, stage_id: str, s: Strings, data: dict[str, Any],
                  values: Mapping[str, object]) -> Json | None:
    """Send back: a choice of the stage's return_to stages and a required reason."""
    targets = flow.stage(stage_id).return_to
    if not targets:
        return None
    choices = [(t, stage_title(flow, t)) for t in targets]
    chosen = _typed(values, RETURN_TO) or (targets[0] if len(targets) == 1 else "")
    body = [
        input_choice(RETURN_TO, s.label_return_to, choices, required=True,
                     error=s.err_return_to, value=chosen, expanded=len(choices) <= 4),
        _text_input(values, RETURN_REASON, s.label_reason, s.err_reason.format(max=MAX_REASON),
                    required=True, limit=MAX_REASON, placeholder=s.placeholder_return_reason),
    ]
    return show_card(s.act_return, body, [execute(s.submit_return, k.RETURN, data)])


def reject_action(s: Strings, data: dict[str, Any], values: Mapping[str, object]) -> Json:
    body = [_text_input(values, REJECT_REASON, s.label_reason,
                        s.err_reason.format(max=MAX_REASON), required=True, limit=MAX_REASON,
                        placeholder=s.placeholder_reject_reason)]
    submit = execute(s.submit_reject, k.REJECT, data, style="destructive")
    return show_card(s.act_reject, body, [submit])


def comment_action(s: Strings, data: dict[str, Any], values: Mapping[str, object]) -> Json:
    body = [_text_input(values, COMMENT, s.label_comment, s.err_text.format(max=MAX_TEXT),
                        required=True, limit=MAX_TEXT)]
    return show_card(s.act_comment, body, [execute(s.submit_comment, k.COMMENT_VERB, data)])


def delegate_action(s: Strings, data: dict[str, Any], values: Mapping[str, object]) -> Json:
    """Delegate to a colleague by e-mail address (a people picker would be Teams-only and is
    not in the 1.5 schema)."""
    body = [
        input_text(DELEGATE_TO, s.label_delegate_to, max_length=k.MAX_EMAIL, required=True,
                   error=s.err_email, placeholder=s.placeholder_email, style="email",
                   regex=EMAIL_PATTERN, value=_typed(values, DELEGATE_TO)),
        _text_input(values, DELEGATE_REASON, s.label_reason,
                    s.err_reason.format(max=MAX_REASON), required=True, limit=MAX_REASON,
                    placeholder=s.placeholder_delegate_reason),
    ]
    return show_card(s.act_delegate, body, [execute(s.submit_delegate, k.DELEGATE, data)])


def task_actions(state: DossierState, flow: FlowDefinition, task: Task, s: Strings,
                 values: Mapping[str, object]) -> list[Json]:
    """The card's action bar for a task: at most five actions."""
    kind = flow.stage(task.stage.stage_id).kind
    data = action_data(state, task)
    actions = [stage_action(kind, s, data, values)]
    back = return_action(flow, task.stage.stage_id, s, data, values)
    if back is not None:
        actions.append(back)
    if kind in MAY_REJECT:
        actions.append(reject_action(s, data, values))
    actions.append(comment_action(s, data, values))
    if task.behalf is None:  # only the assignee themselves may delegate
        actions.append(delegate_action(s, data, values))
    return actions


def prompt(kind: StageKind, s: Strings) -> str:
    return {
        StageKind.ADVISE: s.prompt_advise,
        StageKind.INITIAL: s.prompt_initial,
        StageKind.APPROVE: s.prompt_approve,
        StageKind.DECIDE: s.prompt_decide,
        StageKind.SIGN: s.prompt_sign,
        StageKind.ACKNOWLEDGE: s.prompt_acknowledge,
    }[kind]
