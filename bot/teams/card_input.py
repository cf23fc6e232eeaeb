"""Checking what a card sends: every key, type and length, before anything is decided.

Card data comes from the client and can be forged. Each verb accepts the keys its card
sends and nothing else; a wrong type, a missing or oversized value is refused with a message
for the card, and nothing is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from approvals.limits import MAX_REASON, MAX_TEXT, MAX_TITLE
from approvals.text import UnsafeText, describe, multi_line, one_line

ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
EMAIL = re.compile(r"^[^@\s]{1,200}@[^@\s]{1,200}$")

# Keys that every task card's actions carry (the fallback Action.Submit adds "verb").
CONTEXT_KEYS = {"dossier_id", "stage_id", "round", "version", "on_behalf_of", "verb"}
# Every input a task card has; a form posts all of them, whichever button was pressed.
TASK_INPUTS = {"advice", "text", "return_to", "return_reason", "reject_reason", "comment",
               "delegate_to", "delegate_reason"}
TASK_VERBS = {"advise", "initial", "approve", "decide", "sign", "acknowledge", "return",
              "reject", "comment", "delegate"}


class CardInputError(ValueError):
    """What is wrong with the card's data; ``field`` is the input to point at, if any."""

    def __init__(self, problem: str, field: str = "", limit: int = 0, *,
                 char: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.field = field
        self.limit = limit
        self.char = char  # the control or bidi character the text holds ("U+001B ESC")


@dataclass(frozen=True)
class TaskInput:
    """A checked task action."""

    verb: str
    dossier_id: str
    stage_id: str
    round: int
    version: int
    on_behalf_of: str | None
    values: dict[str, str]


# The inputs a card shows with several lines; every other text input is one line.
MULTI_LINE = {"text", "comment", "return_reason", "reject_reason", "delegate_reason",
              "documents"}


def _text(data: Mapping[str, Any], key: str, limit: int, required: bool,
          lines: bool | None = None) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise CardInputError(f"'{key}' must be text", key, limit)
    if len(value) > limit:
        raise CardInputError(f"'{key}' is longer than {limit} characters", key, limit)
    try:
        value = (multi_line if (key in MULTI_LINE if lines is None else lines) else one_line)(
            value, f"'{key}'")
    except UnsafeText as error:  # a control or bidi character: the card says which field
        raise CardInputError(error.message, key, limit, char=describe(error.char)) from None
    if required and not value:
        raise CardInputError(f"'{key}' is required", key, limit)
    return value


def _integer(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**9:
        raise CardInputError(f"'{key}' must be a whole number")
    return value


def _identifier(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not ID.match(value):
        raise CardInputError(f"'{key}' is missing or not an identifier")
    return value


def dossier_id_of(data: Mapping[str, Any]) -> str:
    """The dossier id a card names (CardInputError when it names none)."""
    return _identifier(data, "dossier_id")


_REQUIRED: dict[str, tuple[tuple[str, int], ...]] = {
    "decide": (("text", MAX_TEXT),),
    "return": (("return_reason", MAX_REASON),),
    "reject": (("reject_reason", MAX_REASON),),
    "comment": (("comment", MAX_TEXT),),
    "delegate": (("delegate_reason", MAX_REASON),),
}
_LIMITS = {"text": MAX_TEXT, "return_reason": MAX_REASON, "reject_reason": MAX_REASON,
           "comment": MAX_TEXT, "delegate_reason": MAX_REASON, "delegate_to": 254,
           "return_to": 64, "advice": 16}


def parse_task(verb: str, data: Mapping[str, Any]) -> TaskInput:
    """Check a task action's data; CardInputError names the first problem."""
    unexpected = sorted(set(data) - CONTEXT_KEYS - TASK_INPUTS)
    if unexpected:
        raise CardInputError(f"unexpected field '{unexpected[0][:40]}'")
    dossier_id, stage_id = _identifier(data, "dossier_id"), _identifier(data, "stage_id")
    round_no, version = _integer(data, "round"), _integer(data, "version")
    behalf = data.get("on_behalf_of")
    if behalf is not None and (not isinstance(behalf, str) or len(behalf) > 64):
        raise CardInputError("'on_behalf_of' must be an object id")
    values = {key: _text(data, key, limit, required=False) for key, limit in _LIMITS.items()}
    for key, limit in _REQUIRED.get(verb, ()):
        values[key] = _text(data, key, limit, required=True)
    if verb == "advise" and values["advice"] not in ("positief", "negatief", "neutraal"):
        raise CardInputError("choose positief, negatief or neutraal", "advice")
    if verb == "return" and not ID.match(values["return_to"]):
        raise CardInputError("choose the stage to return to", "return_to")
    if verb == "delegate" and not EMAIL.match(values["delegate_to"]):
        raise CardInputError("give a colleague's e-mail address", "delegate_to")
    return TaskInput(verb=verb, dossier_id=dossier_id, stage_id=stage_id, round=round_no,
                     version=version, on_behalf_of=behalf, values=values)


@dataclass(frozen=True)
class StartInput:
    """A checked start form."""

    flow_id: str
    flow_version: int
    title: str
    fields: dict[str, str]
    documents: list[str]


def parse_start(data: Mapping[str, Any], field_names: set[str]) -> StartInput:
    """Check the start form's data against the flow's fields."""
    allowed = {"flow_id", "flow_version", "title", "documents", "verb"}
    allowed |= {f"field.{name}" for name in field_names}
    unexpected = sorted(set(data) - allowed)
    if unexpected:
        raise CardInputError(f"unexpected field '{unexpected[0][:40]}'")
    # the engine holds each field to its own rule (one line unless a long text field)
    fields = {name: _text(data, f"field.{name}", 10_000, required=False, lines=True)
              for name in field_names}
    documents = [line.strip() for line in _text(data, "documents", 4000, False).splitlines()]
    links = [link for link in documents if link]
    for link in links:
        if not link.startswith(("https://", "http://")) or len(link) > 1000:
            raise CardInputError("a document link must start with https://", "documents")
    return StartInput(
        flow_id=_identifier(data, "flow_id"), flow_version=_integer(data, "flow_version"),
        title=_text(data, "title", MAX_TITLE, required=True), fields=fields,
        documents=links[:20],
    )
