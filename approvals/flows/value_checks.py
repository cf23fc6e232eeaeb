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

from approvals.errors import FlowIssue
from approvals.flows.nodes import Node, key_path
from approvals.text import UnsafeText, multi_line, one_line, problem

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


def describe(node: Node) -> str:
    """How a value reads in a message: "the number 3", "a list", "the text 'x'"."""
    value = node.value
    if isinstance(value, bool):
        return f"the boolean '{node.raw}'"
    if isinstance(value, int | float):
        return f"the number {node.raw}"
    if isinstance(value, date):
        return f"the date {node.raw}"
    if value is None:
        return "an empty value"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text '{value}'"


def suggest(word: str, choices: Iterable[str], what: str) -> str:
    """A hint naming the closest allowed word (or its Dutch equivalent) and all allowed words."""
    allowed = list(choices)
    listing = f"{what} are {', '.join(allowed)}"
    translated = DUTCH.get(word.lower())
    if translated in allowed:
        return f"did you mean '{translated}'? {listing}"
    close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? {listing}" if close else listing


class ValueChecker:
    """Collects issues while reading texts, ids, numbers, booleans and choices from nodes."""

    def __init__(self) -> None:
        self.issues: list[FlowIssue] = []

    def issue(self, path: str, node: Node, message: str, hint: str) -> None:
        self.issues.append(FlowIssue(path, node.line, message, hint))

    def mapping(self, node: Node, path: str, what: str, hint: str) -> dict[str, Node] | None:
        if isinstance(node.value, dict):
            return node.value
        self.issue(path, node, f"{what} must be a mapping of keys, got {describe(node)}", hint)
        return None

    def known_keys(self, item: Mapping[str, Node], path: str, allowed: tuple[str, ...]) -> None:
        what = "top-level key" if not path else "key"
        for key, node in item.items():
            if key not in allowed:
                hint = suggest(key, allowed, "allowed keys")
                self.issue(key_path(path, key), node, f"unknown {what} '{key}'", hint)

    def required(
        self, item: Mapping[str, Node], key: str, path: str, parent: Node, hint: str
    ) -> Node | None:
        node = item.get(key)
        if node is None:
            self.issue(path, parent, f"missing required key '{key}'", hint)
        return node

    def text(self, node: Node, path: str, *, free: bool = False, limit: int = 0,
             lines: bool = False) -> str:
        """A non-empty text; ``free`` text also takes a number or a date as written. One
        line, unless ``lines``; never a control or bidi character (then "" is returned)."""
        value = node.value
        if free and isinstance(value, int | float | date) and not isinstance(value, bool):
            value = node.raw
        if not isinstance(value, str):
            hint = "put the value in quotes"
            if isinstance(node.value, bool):
                hint = f"YAML reads yes/no/on/off/true/false as booleans: write '{node.raw}'"
            self.issue(path, node, f"expected text, got {describe(node)}", hint)
            return ""
        if not value.strip():
            self.issue(path, node, "must not be empty", "write a value, or leave the key out")
        elif limit and len(value) > limit:
            self.issue(path, node, f"longer than {limit} characters ({len(value)})", "shorten it")
        try:
            if not lines:
                return one_line(value, "text")
            multi_line(value, "text")  # the text as written (a block keeps its last line break)
            return value.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
        except UnsafeText as error:
            hint = ("write it on one line" if "line break" in problem(error.char) else
                    "remove it (in double quotes an escape such as \\e or \\u202e makes one)")
            self.issue(path, node, f"the text {problem(error.char)}", hint)
            return ""

    def identifier(
        self, node: Node, path: str, pattern: re.Pattern[str], hint: str, what: str = "id"
    ) -> str:
        value = self.text(node, path)
        if value and not pattern.fullmatch(value):
            self.issue(path, node, f"invalid {what} '{value}'", hint)
        return value

    def integer(self, node: Node, path: str, low: int, high: int | None, hint: str) -> int:
        value = node.value
        if not isinstance(value, int) or isinstance(value, bool):
            self.issue(path, node, f"expected a whole number, got {describe(node)}", hint)
            return low
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.issue(path, node, f"must be {bounds}, got {value}", hint)
        return value

    def boolean(self, node: Node, path: str) -> bool:
        if isinstance(node.value, bool):
            return node.value
        key = path.rsplit(".", 1)[-1]
        self.issue(
            path, node, f"expected true or false, got {describe(node)}", f"write {key}: true"
        )
        return False

    def choice(
        self, node: Node | None, path: str, allowed: tuple[str, ...], what: str
    ) -> str | None:
        """One of the allowed words, or None (when missing, which is reported by the caller)."""
        if node is None:
            return None
        value = self.text(node, path)
        if value and value not in allowed:
            self.issue(path, node, f"unknown {what} '{value}'", suggest(value, allowed, what + "s"))
        return value if value in allowed else None

    def optional_text(self, item: Mapping[str, Node], key: str, path: str, limit: int = 0,
                      lines: bool = False) -> str:
        node = item.get(key)
        if not node:
            return ""
        return self.text(node, key_path(path, key), free=True, limit=limit, lines=lines)
