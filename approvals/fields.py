"""Dossier fields: checking and normalising the values given when a dossier starts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from approvals.amounts import AmbiguousNumber, NotDutchNumber, parse_dutch, plain
from approvals.errors import AmbiguousValue, InvalidInput
from approvals.flows.definition import FieldDef, FieldType, FlowDefinition
from approvals.limits import MAX_FIELD_TEXT
from approvals.text import multi_line, one_line

ONE_LINE_MAX = 200
"""A text field of at most this many characters is one line (a card shows a one-line input)."""


def parse_number(text: str) -> int | float:
    """A number as a Dutch reader means it: ``25.000`` is 25000, ``25,5`` is 25.5 (see
    :mod:`approvals.amounts`); ValueError when it is not one, or reads two ways."""
    return plain(parse_dutch(text))


def _decimal(field: FieldDef, raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError(raw)
        return Decimal(str(raw))
    text = str(raw)
    try:
        return parse_dutch(text)
    except AmbiguousNumber as ambiguous:
        money = field.type is FieldType.MONEY
        raise AmbiguousValue(field.name, field.label, text.strip(), ambiguous.readings,
                             money) from None
    except NotDutchNumber as english:
        raise InvalidInput(refusal="field_english_number", field=field.name, label=field.label,
                           text=text.strip(), dutch=english.dutch) from None


def _number(field: FieldDef, raw: object) -> int | float:
    return plain(_decimal(field, raw))


def _money(field: FieldDef, raw: object) -> int | float:
    value = _decimal(field, raw)
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(raw)
    return plain(value)


def _date(field: FieldDef, raw: object) -> str:
    return date.fromisoformat(str(raw).strip()).isoformat()


def _choice(field: FieldDef, raw: object) -> str:
    value = one_line(str(raw), "field", **_what(field))
    if value not in field.options:
        raise ValueError(raw)
    return value


def _text(field: FieldDef, raw: object) -> str:
    if not isinstance(raw, str):
        raise ValueError(raw)
    if len(raw) > min(field.max_length, MAX_FIELD_TEXT):
        raise InvalidInput(refusal="field_too_long", field=field.name, label=field.label,
                           length=len(raw), limit=min(field.max_length, MAX_FIELD_TEXT))
    if field.type is FieldType.TEXT and is_multi_line(field):
        return multi_line(raw, "field", **_what(field))
    return one_line(raw, "field", **_what(field))


def is_multi_line(field: FieldDef) -> bool:
    """Whether a text field may hold several lines (a longer one may; a short one not)."""
    return field.type is FieldType.TEXT and min(field.max_length, MAX_FIELD_TEXT) > ONE_LINE_MAX


def _what(field: FieldDef) -> dict[str, str]:
    return {"field": field.name, "label": field.label}


_PARSERS: dict[FieldType, Callable[[FieldDef, object], Any]] = {
    FieldType.TEXT: _text,
    FieldType.NUMBER: _number,
    FieldType.MONEY: _money,
    FieldType.DATE: _date,
    FieldType.CHOICE: _choice,
    FieldType.USER: _text,  # the service layer has already resolved it to a UPN
    FieldType.DOCUMENT: _text,
}

_EXPECTED: dict[FieldType, str] = {
    FieldType.TEXT: "field_not_text",
    FieldType.NUMBER: "field_not_number",
    FieldType.MONEY: "field_not_money",
    FieldType.DATE: "field_not_date",
    FieldType.CHOICE: "field_not_choice",
    FieldType.USER: "field_not_user",
    FieldType.DOCUMENT: "field_not_document",
}
"""The refusal for a value a field's type cannot take."""


def normalize_fields(flow: FlowDefinition, raw: Mapping[str, object]) -> dict[str, Any]:
    """The checked, normalised field values; InvalidInput names the first wrong field."""
    unknown = sorted(set(raw) - {f.name for f in flow.fields})
    if unknown:
        known = ", ".join(f.name for f in flow.fields) or "-"
        raise InvalidInput(refusal="unknown_field", field=unknown[0], flow=flow.id, known=known)
    values: dict[str, Any] = {}
    for field in flow.fields:
        value = raw.get(field.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                raise InvalidInput(refusal="field_required", field=field.name,
                                   label=field.label)
            continue
        try:
            values[field.name] = _PARSERS[field.type](field, value)
        except (ValueError, TypeError) as exc:
            raise InvalidInput(refusal=_EXPECTED[field.type], field=field.name,
                               label=field.label, options=", ".join(field.options),
                               value=repr(value)[:200]) from exc
    return values
