"""Starting a dossier: pick a published flow, then fill in its form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from approvals.amounts import MAX_LENGTH as MAX_NUMBER_TEXT
from approvals.flows.definition import FieldDef, FieldType, FlowDefinition
from approvals.limits import MAX_FIELD_TEXT, MAX_TITLE
from cards.contract import (
    DOCUMENTS,
    EMAIL_PATTERN,
    FLOW_ID,
    FLOW_VERSION,
    MAX_DOCUMENTS_TEXT,
    MAX_EMAIL,
    START,
    START_FORM,
    TITLE,
    field_key,
)
from cards.elements import (
    SIZE_BUDGET,
    Json,
    adaptive_card,
    banner,
    card_size,
    execute,
    header,
    input_choice,
    input_date,
    input_text,
    text,
)
from cards.format import truncate, user_text
from cards.strings import Strings, strings

MAX_FLOWS = 50


def _latest(flows: Sequence[FlowDefinition]) -> list[FlowDefinition]:
    """One flow per id, the highest version, sorted by title."""
    best: dict[str, FlowDefinition] = {}
    for flow in flows:
        if flow.id not in best or flow.version > best[flow.id].version:
            best[flow.id] = flow
    return sorted(best.values(), key=lambda f: (f.title.lower(), f.id))[:MAX_FLOWS]


def start_card(flows: Sequence[FlowDefinition], lang: str, error: str | None = None) -> Json:
    """Choose one of the published flows; verb ``start_form`` with input ``flow_id``."""
    s = strings(lang)
    body = [header(s.start_title)]
    if error:
        body.append(banner(user_text(error, 500), "attention"))
    shown = _latest(flows)
    if not shown:
        body.append(text(s.start_none))
        return adaptive_card(body, s=s)
    choices = [(f.id, truncate(user_text(f.title, 120), 120)) for f in shown]
    body.append(input_choice(FLOW_ID, s.start_pick, choices, required=True,
                             error=s.err_pick_flow, placeholder=s.choose,
                             value=shown[0].id if len(shown) == 1 else ""))
    described = [f for f in shown if f.description][:10]
    for flow in described:
        line = f"**{user_text(flow.title, 120)}**: {user_text(flow.description, 300)}"
        body.append(text(line, size="Small", spacing="Small"))
    actions = [execute(s.start_next, START_FORM, {}, style="positive")]
    return adaptive_card(body, actions, s=s)


def _value(values: Mapping[str, object], key: str) -> str:
    value = values.get(key)
    if value is None or isinstance(value, bool):
        return ""
    return str(value)


def field_input(field: FieldDef, s: Strings, values: Mapping[str, object],
                compact: bool = False) -> Json:
    """The input for one flow field, by its type (``compact``: shorter texts, no hints)."""
    key = field_key(field.name)
    raw = _value(values, key)
    label = user_text(field.label, 60 if compact else 200)
    required = s.err_field_required.format(label=label)
    if field.type in (FieldType.NUMBER, FieldType.MONEY):
        # text, not Input.Number: a number input reads 25.000 as 25 in an English client, so
        # the text goes to the server as typed and is read the Dutch way there
        return input_text(key, label, max_length=MAX_NUMBER_TEXT, required=field.required,
                          error=required, placeholder="" if compact else s.placeholder_amount,
                          value=raw[:MAX_NUMBER_TEXT])
    if field.type is FieldType.DATE:
        return input_date(key, label, required=field.required, error=required, value=raw[:10])
    if field.type is FieldType.CHOICE:
        options = [(o, user_text(o, 40 if compact else 100)) for o in field.options]
        return input_choice(key, label, options, required=field.required, error=required,
                            value=raw, placeholder="" if compact else s.choose)
    hint = "" if compact else s.placeholder_email
    if field.type is FieldType.USER:
        return input_text(key, label, max_length=MAX_EMAIL, required=field.required,
                          error=s.err_email, placeholder=hint, style="email",
                          regex=EMAIL_PATTERN, value=raw)
    if field.type is FieldType.DOCUMENT:
        return input_text(key, label, max_length=2000, required=field.required, error=required,
                          placeholder="" if compact else s.placeholder_url, style="url",
                          value=raw)
    limit = min(field.max_length, MAX_FIELD_TEXT)
    return input_text(key, label, max_length=limit, required=field.required,
                      error=s.err_field_text.format(label=label, max=limit),
                      multiline=limit > 200, value=raw[:limit])


def _form(flow: FlowDefinition, s: Strings, values: Mapping[str, object], error: str | None,
          compact: bool) -> Json:
    subtitle = s.flow_version.format(version=flow.version)
    extra = []
    if flow.description and not compact:
        extra.append(text(user_text(flow.description, 500), spacing="Small"))
    body = [header(s.form_title.format(flow=user_text(flow.title, 120)), subtitle, extra=extra)]
    if error:
        body.append(banner(user_text(error, 500), "attention"))
    body.append(input_text(TITLE, s.label_title, max_length=MAX_TITLE, required=True,
                           error=s.err_title.format(max=MAX_TITLE),
                           placeholder="" if compact else s.placeholder_title,
                           value=_value(values, TITLE)))
    body += [field_input(field, s, values, compact) for field in flow.fields]
    body.append(input_text(DOCUMENTS, s.label_documents, max_length=MAX_DOCUMENTS_TEXT,
                           multiline=True, placeholder=s.placeholder_documents,
                           value=_value(values, DOCUMENTS)))
    data = {FLOW_ID: flow.id, FLOW_VERSION: flow.version}
    actions = [execute(s.submit_start, START, data, style="positive")]
    return adaptive_card(body, actions, s=s)


def start_form_card(flow: FlowDefinition, lang: str, values: Mapping[str, object] | None = None,
                    error: str | None = None) -> Json:
    """The form of a flow: title, one input per field, document links; verb ``start``.

    ``values`` (the data of a rejected submit) refills the inputs and ``error`` says what was
    wrong. A flow too big for a Teams card gets a compact form, or else a pointer to the tab.
    """
    s = strings(lang)
    for compact in (False, True):
        for keep in (values or {}, {}):
            card = _form(flow, s, keep, error, compact)
            if card_size(card) <= SIZE_BUDGET:
                return card
    body = [header(s.form_title.format(flow=user_text(flow.title, 120))), text(s.form_too_large)]
    return adaptive_card(body, s=s)
