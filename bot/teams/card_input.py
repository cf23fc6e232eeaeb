"""Checking what a card sends: every key, type and length, before anything is decided.

Card data comes from the client and can be forged. Each verb accepts the keys its card
sends and nothing else; a wrong type, a missing or oversized value is refused with a message
for the card, and nothing is recorded. The keys, verbs, limits and patterns are the card data
contract (cards/contract.py), the same the cards render.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from approvals.text import UnsafeText, describe, multi_line, one_line
from cards import contract as k
from cards.contract import CONTEXT_KEYS, MULTI_LINE, TASK_INPUTS, TASK_VERBS

__all__ = ["CONTEXT_KEYS", "MULTI_LINE", "TASK_INPUTS", "TASK_VERBS", "CardInputError",
           "StartInput", "TaskInput", "dossier_id_of", "parse_start", "parse_task"]

ID = re.compile(k.ID_PATTERN)
EMAIL = re.compile(k.EMAIL_ACCEPTED)


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
    return _identifier(data, k.DOSSIER_ID)


def parse_task(verb: str, data: Mapping[str, Any]) -> TaskInput:
    """Check a task action's data; CardInputError names the first problem."""
    unexpected = sorted(set(data) - CONTEXT_KEYS - TASK_INPUTS)
    if unexpected:
        raise CardInputError(f"unexpected field '{unexpected[0][:40]}'")
    dossier_id, stage_id = _identifier(data, k.DOSSIER_ID), _identifier(data, k.STAGE_ID)
    round_no, version = _integer(data, k.ROUND), _integer(data, k.VERSION)
    behalf = data.get(k.ON_BEHALF_OF)
    if behalf is not None and (not isinstance(behalf, str) or len(behalf) > k.MAX_OBJECT_ID):
        raise CardInputError("'on_behalf_of' must be an object id")
    values = {key: _text(data, key, limit, required=False)
              for key, limit in k.TASK_LIMITS.items()}
    for key in k.REQUIRED.get(verb, ()):
        values[key] = _text(data, key, k.TASK_LIMITS[key], required=True)
    if verb == k.ADVISE and values[k.ADVICE] not in k.ADVICE_CHOICES:
        raise CardInputError("choose positief, negatief or neutraal", k.ADVICE)
    if verb == k.RETURN and not ID.match(values[k.RETURN_TO]):
        raise CardInputError("choose the stage to return to", k.RETURN_TO)
    if verb == k.DELEGATE and not EMAIL.match(values[k.DELEGATE_TO]):
        raise CardInputError("give a colleague's e-mail address", k.DELEGATE_TO)
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
    allowed = set(k.START_KEYS) | {k.field_key(name) for name in field_names}
    unexpected = sorted(set(data) - allowed)
    if unexpected:
        raise CardInputError(f"unexpected field '{unexpected[0][:40]}'")
    # the engine holds each field to its own rule (one line unless a long text field)
    fields = {name: _text(data, k.field_key(name), k.MAX_FIELD_INPUT, required=False,
                          lines=True)
              for name in field_names}
    documents = [line.strip() for line in
                 _text(data, k.DOCUMENTS, k.MAX_DOCUMENTS_TEXT, False).splitlines()]
    links = [link for link in documents if link]
    for link in links:
        if not link.startswith(k.LINK_SCHEMES) or len(link) > k.MAX_LINK:
            raise CardInputError("a document link must start with https://", k.DOCUMENTS)
    return StartInput(
        flow_id=_identifier(data, k.FLOW_ID), flow_version=_integer(data, k.FLOW_VERSION),
        title=_text(data, k.TITLE, k.START_LIMITS[k.TITLE], required=True), fields=fields,
        documents=links[:k.MAX_LINKS],
    )
