"""Small builders of Adaptive Card elements (schema 1.5). Each returns plain JSON data."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cards.strings import Strings

Json = dict[str, Any]

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
MAX_REFRESH_USERS = 60
"""Teams refreshes a card automatically for at most 60 listed users."""
SIZE_BUDGET = 24_000
"""Bytes a card may take, leaving room under Teams' ~28 KB message limit for the envelope."""


def card_size(card: Mapping[str, Any]) -> int:
    """The size of the card's JSON in bytes (ASCII-escaped, the largest encoding)."""
    return len(json.dumps(card, ensure_ascii=True, separators=(",", ":")))


def adaptive_card(
    body: Sequence[Json],
    actions: Sequence[Json] = (),
    *,
    s: Strings,
    refresh: Json | None = None,
) -> Json:
    """A top-level card, full width in Teams.

    No ``lang``: the npm renderer checks it with a global regular expression whose state
    carries over between calls, so every other card would get a bogus parse warning."""
    result: Json = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "fallbackText": s.fallback_text,
        "body": list(body),
    }
    if actions:
        result["actions"] = list(actions)
    if refresh is not None:
        result["refresh"] = refresh
    result["msteams"] = {"width": "Full"}
    return result


def text(
    value: str,
    *,
    weight: str | None = None,
    size: str | None = None,
    color: str | None = None,
    subtle: bool = False,
    spacing: str | None = None,
    separator: bool = False,
) -> Json:
    """A wrapping TextBlock."""
    block: Json = {"type": "TextBlock", "text": value, "wrap": True}
    if weight:
        block["weight"] = weight
    if size:
        block["size"] = size
    if color:
        block["color"] = color
    if subtle:
        block["isSubtle"] = True
    if spacing:
        block["spacing"] = spacing
    if separator:
        block["separator"] = True
    return block


def heading(value: str) -> Json:
    """A section heading inside a card body."""
    return text(value, weight="Bolder", spacing="Medium", separator=True)


def header(title: str, subtitle: str = "", *, extra: Iterable[Json] = ()) -> Json:
    """The emphasised block at the top of a card: subtitle (small), title (large)."""
    items = []
    if subtitle:
        items.append(text(subtitle, size="Small", subtle=True))
    items.append(text(title, weight="Bolder", size="Large", spacing="None"))
    items.extend(extra)
    return {"type": "Container", "style": "emphasis", "bleed": True, "items": items}


TONES = ("good", "accent", "warning", "attention")
"""Container styles that say what a line is: done ('good'), information ('accent'), a
warning ('warning') or a refusal or error ('attention')."""


def styled(items: Sequence[Json], style: str) -> Json:
    """A container in one of the :data:`TONES`, its text in the default colour.

    Teams' coloured *text* (good, warning, attention) fails WCAG 2.1 AA contrast in its
    light or dark theme; the default text colour on these container colours passes in both.
    """
    if style not in TONES:
        raise ValueError(f"unknown tone {style!r}")
    return {"type": "Container", "style": style, "items": list(items)}


def banner(value: str, style: str) -> Json:
    """A line at the top of a card in one of the :data:`TONES`."""
    return styled([text(value, weight="Bolder")], style)


def facts(pairs: Iterable[tuple[str, str]]) -> Json:
    """A FactSet of (title, value) pairs."""
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in pairs]}


def container(items: Sequence[Json], *, spacing: str | None = None,
              separator: bool = False) -> Json:
    block: Json = {"type": "Container", "items": list(items)}
    if spacing:
        block["spacing"] = spacing
    if separator:
        block["separator"] = True
    return block


def columns(*cols: tuple[str, Sequence[Json]]) -> Json:
    """A ColumnSet of (width, items) columns, vertically centred."""
    return {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": width, "verticalContentAlignment": "Center",
             "items": list(items)}
            for width, items in cols
        ],
    }


def execute(title: str, verb: str, data: Mapping[str, Any], *, style: str | None = None) -> Json:
    """An Action.Execute (Universal Actions); hosts older than 1.4 fall back to Action.Submit
    with the verb inside its data."""
    action: Json = {"type": "Action.Execute", "title": title, "verb": verb, "data": dict(data)}
    if style:
        action["style"] = style
    action["fallback"] = {
        "type": "Action.Submit", "title": title, "data": {"verb": verb, **data},
    }
    return action


def show_card(title: str, body: Sequence[Json], actions: Sequence[Json], *,
              style: str | None = None) -> Json:
    """An Action.ShowCard with a small form: its inputs and its submit action."""
    action: Json = {
        "type": "Action.ShowCard",
        "title": title,
        "card": {"type": "AdaptiveCard", "body": list(body), "actions": list(actions)},
    }
    if style:
        action["style"] = style
    return action


def open_url(title: str, url: str) -> Json:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def action_set(actions: Sequence[Json], *, spacing: str | None = None) -> Json:
    block: Json = {"type": "ActionSet", "actions": list(actions)}
    if spacing:
        block["spacing"] = spacing
    return block


def refresh(data: Mapping[str, Any], user_ids: Sequence[str], title: str) -> Json:
    """The card's refresh block; ``userIds`` only when there are 1..60 of them."""
    block: Json = {
        "action": {"type": "Action.Execute", "title": title, "verb": "refresh",
                   "data": dict(data)},
    }
    ids = unique(user_ids)
    if 0 < len(ids) <= MAX_REFRESH_USERS:
        block["userIds"] = ids
    return block


def unique(values: Iterable[str]) -> list[str]:
    """The values without repeats, in their first order."""
    return list(dict.fromkeys(values))


def _input(kind: str, input_id: str, label: str, required: bool, error: str | None) -> Json:
    element: Json = {"type": kind, "id": input_id, "label": label}
    if required:
        element["isRequired"] = True
    if error:
        element["errorMessage"] = error
    return element


def input_text(
    input_id: str,
    label: str,
    *,
    max_length: int,
    required: bool = False,
    error: str | None = None,
    multiline: bool = False,
    placeholder: str = "",
    value: str = "",
    style: str | None = None,
    regex: str | None = None,
) -> Json:
    element = _input("Input.Text", input_id, label, required, error)
    element["maxLength"] = max_length
    if multiline:
        element["isMultiline"] = True
    if placeholder:
        element["placeholder"] = placeholder
    if value:
        element["value"] = value[:max_length]
    if style:
        element["style"] = style
    if regex:
        element["regex"] = regex
    return element


def input_choice(
    input_id: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    *,
    required: bool = False,
    error: str | None = None,
    value: str = "",
    expanded: bool = False,
    placeholder: str = "",
) -> Json:
    """An Input.ChoiceSet of (value, title) choices."""
    element = _input("Input.ChoiceSet", input_id, label, required, error)
    element["style"] = "expanded" if expanded else "compact"
    element["choices"] = [{"title": title, "value": val} for val, title in choices]
    element["wrap"] = True
    if placeholder and not expanded:
        element["placeholder"] = placeholder
    if value and value in {val for val, _ in choices}:
        element["value"] = value
    return element


def input_number(input_id: str, label: str, *, required: bool = False,
                 error: str | None = None, value: float | None = None,
                 placeholder: str = "") -> Json:
    element = _input("Input.Number", input_id, label, required, error)
    if placeholder:
        element["placeholder"] = placeholder
    if value is not None:
        element["value"] = value
    return element


def input_date(input_id: str, label: str, *, required: bool = False,
               error: str | None = None, value: str = "") -> Json:
    element = _input("Input.Date", input_id, label, required, error)
    if value:
        element["value"] = value
    return element
