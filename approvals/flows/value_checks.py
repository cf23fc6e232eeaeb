"""Reading typed values from a flow's node tree, reporting what does not fit.

Each check records its issues and returns a stand-in value ("" or a default) when the input is
wrong, so one pass finds every problem; parse_flow discards the model if there was any issue.
Hints name the closest allowed word, also when a beheerder wrote it in Dutch.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from datetime import date

from approvals.errors import FlowIssue, Param
from approvals.flows.nodes import Node, key_path
from approvals.text import BIDI_CONTROLS, LINE_BREAKS, UnsafeText, multi_line, one_line
from approvals.text import describe as describe_char

# Dutch words a beheerder may write, mapped to the schema's words (used in hints only).
# fmt: off
DUTCH = {
    "advies": "advise", "adviseren": "advise", "paraaf": "initial", "paraferen": "initial",
    "accord": "approve", "accorderen": "approve", "goedkeuren": "approve", "besluit": "decide",
    "besluiten": "decide", "ondertekenen": "sign", "tekenen": "sign", "kennisname": "acknowledge",
    "tekst": "text", "getal": "number", "bedrag": "money", "geld": "money", "datum": "date",
    "keuze": "choice", "gebruiker": "user", "persoon": "user", "medewerker": "user",
    "groep": "group", "rol": "role", "leidinggevende": "manager", "veld": "field",
    "initiatiefnemer": "initiator", "alle": "all", "iedereen": "all", "een": "any", "één": "any",
}
# fmt: on


def describe(node: Node) -> dict[str, Param]:
    """How a value reads in a message, as the parameters ``got`` (its kind: ``number``,
    ``list``, ``text`` ...) and ``raw`` (as written): "the number 3", "a list"."""
    value = node.value
    kind = "text"
    if isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, int | float):
        kind = "number"
    elif isinstance(value, date):
        kind = "date"
    elif value is None:
        kind = "none"
    elif isinstance(value, list):
        kind = "list"
    elif isinstance(value, dict):
        kind = "mapping"
    return {"got": kind, "raw": node.raw if kind != "text" else str(value)}


def suggest(word: str, choices: Iterable[str], listing: str) -> tuple[str, dict[str, Param]]:
    """A hint naming the closest allowed word (or its Dutch equivalent) and all allowed words:
    its code and parameters (``listing`` names the kind of words: ``keys``, ``sources`` ...)."""
    allowed = list(choices)
    params: dict[str, Param] = {"listing": listing, "allowed": ", ".join(allowed)}
    translated = DUTCH.get(word.lower())
    if translated in allowed:
        return "did_you_mean", {**params, "word": str(translated)}
    close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.6)
    return ("did_you_mean", {**params, "word": close[0]}) if close else ("allowed", params)


class ValueChecker:
    """Collects issues while reading texts, ids, numbers, booleans and choices from nodes."""

    def __init__(self) -> None:
        self.issues: list[FlowIssue] = []

    def issue(self, path: str, node: Node, code: str, hint: str = "", **params: Param) -> None:
        """Record problem ``code`` at ``node`` with hint ``hint`` (a code of FLOW_HINTS)."""
        self.issues.append(FlowIssue(path, node.line, code, params, hint))

    def mapping(self, node: Node, path: str, what: str, hint: str,
                **hint_params: Param) -> dict[str, Node] | None:
        if isinstance(node.value, dict):
            return node.value
        self.issue(path, node, "not_mapping", hint, what=what, **describe(node), **hint_params)
        return None

    def known_keys(self, item: Mapping[str, Node], path: str, allowed: tuple[str, ...]) -> None:
        code = "unknown_top_key" if not path else "unknown_key"
        for key, node in item.items():
            if key not in allowed:
                hint, params = suggest(key, allowed, "keys")
                self.issue(key_path(path, key), node, code, hint, key=key, **params)

    def required(
        self, item: Mapping[str, Node], key: str, path: str, parent: Node, hint: str,
        **hint_params: Param,
    ) -> Node | None:
        node = item.get(key)
        if node is None:
            self.issue(path, parent, "missing_key", hint, key=key, **hint_params)
        return node

    def text(self, node: Node, path: str, *, free: bool = False, limit: int = 0,
             lines: bool = False) -> str:
        """A non-empty text; ``free`` text also takes a number or a date as written. One
        line, unless ``lines``; never a control or bidi character (then "" is returned)."""
        value = node.value
        if free and isinstance(value, int | float | date) and not isinstance(value, bool):
            value = node.raw
        if not isinstance(value, str):
            hint = "yaml_boolean" if isinstance(node.value, bool) else "quote_value"
            self.issue(path, node, "not_text", hint, **describe(node))
            return ""
        if not value.strip():
            self.issue(path, node, "text_empty", "write_value")
        elif limit and len(value) > limit:
            self.issue(path, node, "text_too_long", "shorten", limit=limit, length=len(value))
        try:
            if not lines:
                return one_line(value, "text")
            multi_line(value, "text")  # the text as written (a block keeps its last line break)
            return value.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
        except UnsafeText as error:
            char = error.char
            if char in BIDI_CONTROLS:
                self.issue(path, node, "text_bidi", "remove_char", char=describe_char(char))
            elif char in LINE_BREAKS:
                self.issue(path, node, "text_line_break", "one_line", char=describe_char(char))
            else:
                self.issue(path, node, "text_control", "remove_char", char=describe_char(char))
            return ""

    def identifier(
        self, node: Node, path: str, pattern: re.Pattern[str], hint: str, code: str = "invalid_id"
    ) -> str:
        value = self.text(node, path)
        if value and not pattern.fullmatch(value):
            self.issue(path, node, code, hint, value=value)
        return value

    def integer(self, node: Node, path: str, low: int, high: int | None, hint: str) -> int:
        value = node.value
        if not isinstance(value, int) or isinstance(value, bool):
            self.issue(path, node, "not_whole_number", hint, **describe(node))
            return low
        if high is not None and not low <= value <= high:
            self.issue(path, node, "out_of_range", hint, low=low, high=high, value=value)
        elif value < low:
            self.issue(path, node, "too_small", hint, low=low, value=value)
        return value

    def boolean(self, node: Node, path: str) -> bool:
        if isinstance(node.value, bool):
            return node.value
        key = path.rsplit(".", 1)[-1]
        self.issue(path, node, "not_boolean", "write_true", key=key, **describe(node))
        return False

    def choice(
        self, node: Node | None, path: str, allowed: tuple[str, ...], code: str, listing: str
    ) -> str | None:
        """One of the allowed words, or None (when missing, which is reported by the caller);
        ``code`` names an unknown word, ``listing`` the kind of words allowed."""
        if node is None:
            return None
        value = self.text(node, path)
        if value and value not in allowed:
            hint, params = suggest(value, allowed, listing)
            self.issue(path, node, code, hint, value=value, **params)
        return value if value in allowed else None

    def optional_text(self, item: Mapping[str, Node], key: str, path: str, limit: int = 0,
                      lines: bool = False) -> str:
        node = item.get(key)
        if not node:
            return ""
        return self.text(node, key_path(path, key), free=True, limit=limit, lines=lines)
