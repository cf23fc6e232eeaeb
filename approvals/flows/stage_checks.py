"""Checks of a stage's assignees, completion, condition, deadline and return targets.

These refer to the rest of the flow: assignees and conditions to its fields, return targets to
stages of earlier steps. Return targets are checked at the end, when every stage is known.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from approvals.errors import ConditionError, FlowIssue
from approvals.flows.conditions import parse_condition
from approvals.flows.definition import (
    DECIDING,
    AssigneeKind,
    AssigneeRule,
    CompletionMode,
    CompletionRule,
    Condition,
    FieldType,
    StageKind,
)
from approvals.flows.nodes import Node, index_path, key_path
from approvals.flows.value_checks import DUTCH, ValueChecker, describe, suggest

_SOURCES = tuple(source.value for source in AssigneeKind)
ASSIGNEES_HINT = "e.g. assignees: [{group: juristen}] or assignees: [{manager: 1}]"
_MANAGER_HINT = "levels of the initiator's manager chain: 1 is the direct manager"
_QUORUM_HINT = "e.g. completion: {quorum: 2}"
_NO_FIELDS_HINT = "define the field under fields"


@dataclass(frozen=True, slots=True)
class _Return:
    stage: str
    step: int
    path: str
    node: Node
    target: str


class StageChecker(ValueChecker):
    """The checks of a stage's rules, and what they need to know about the rest of the flow."""

    def __init__(self) -> None:
        super().__init__()
        self._fields: dict[str, FieldType | None] = {}  # None: declared, but its type is wrong
        self._options: dict[str, tuple[str, ...]] = {}
        self._positions: dict[str, int] = {}  # stage id -> position of its step
        self._groups: dict[str, tuple[str, ...]] = {}  # group id -> its stage ids
        self._returns: list[_Return] = []
        self.warnings: list[FlowIssue] = []  # valid, but worth a second look

    def deadline(self, node: Node | None, path: str) -> int | None:
        if node is None:
            return None
        return self.integer(node, path, 1, 365, "working days, e.g. deadline_days: 5")

    # -- assignees and completion

    def assignees(self, node: Node, path: str) -> tuple[AssigneeRule, ...]:
        if not isinstance(node.value, list) and node.value is not None:
            return tuple(rule for rule in [self.assignee(node, path)] if rule is not None)
        if not node.value:
            self.issue(path, node, "a stage needs at least one assignee", ASSIGNEES_HINT)
            return ()
        rules = (self.assignee(item, index_path(path, i)) for i, item in enumerate(node.value))
        return tuple(rule for rule in rules if rule is not None)

    def assignee(self, node: Node, path: str) -> AssigneeRule | None:
        if not isinstance(node.value, dict):
            hint = f"e.g. {{group: juristen}}; sources are {', '.join(_SOURCES)}"
            if isinstance(node.value, str) and "@" in node.value:
                hint = f"write {{user: {node.value}}}"
            message = f"an assignee is a mapping with one key, got {describe(node)}"
            self.issue(path, node, message, hint)
            return None
        if len(node.value) != 1:
            keys = ", ".join(node.value) or "none"
            message = f"an assignee has exactly one key, got {len(node.value)} ({keys})"
            self.issue(path, node, message, "write each source as a list item of its own")
            return None
        ((source, value),) = node.value.items()
        path = key_path(path, source)
        if source not in _SOURCES:
            hint = suggest(source, _SOURCES, "sources")
            self.issue(path, value, f"unknown assignee source '{source}'", hint)
            return None
        return self.assignee_rule(AssigneeKind(source), value, path)

    def assignee_rule(self, kind: AssigneeKind, node: Node, path: str) -> AssigneeRule:
        if kind is AssigneeKind.MANAGER:
            levels = self.integer(node, path, 1, 10, _MANAGER_HINT)
            return AssigneeRule(kind, levels=levels)
        if kind is AssigneeKind.INITIATOR:
            if node.value is not True:
                message = f"expected true, got {describe(node)}"
                if node.value is False:
                    message = "initiator: false assigns nobody"
                self.issue(path, node, message, "write initiator: true, or remove it")
            return AssigneeRule(kind)
        value = self.text(node, path)
        if kind is AssigneeKind.USER and value and "@" not in value:
            message = f"expected a user principal name, got '{value}'"
            self.issue(path, node, message, "write the sign-in name, e.g. j.jansen@gemeente.nl")
        elif kind is AssigneeKind.FIELD and value:
            self.check_user_field(value, node, path)
        return AssigneeRule(kind, value)

    def check_user_field(self, name: str, node: Node, path: str) -> None:
        if name not in self._fields:
            hint = "define it under fields with type: user"
            users = [key for key, kind in self._fields.items() if kind is FieldType.USER]
            if users:
                hint = suggest(name, users, "fields of type user")
            self.issue(path, node, f"there is no field named '{name}'", hint)
        elif (field_type := self._fields[name]) not in (FieldType.USER, None):
            message = f"field '{name}' is of type {field_type}, not user"
            self.issue(path, node, message, "assignees can only come from a field of type user")

    def completion(
        self, node: Node | None, path: str, rules: tuple[AssigneeRule, ...]
    ) -> CompletionRule:
        if node is None:
            return CompletionRule()
        value = node.value
        if value in ("all", "any"):
            return CompletionRule(CompletionMode(value))
        if isinstance(value, dict) and list(value) == ["quorum"]:
            quorum = self.integer(value["quorum"], key_path(path, "quorum"), 1, None, _QUORUM_HINT)
            users = {rule.value for rule in rules}
            if all(rule.kind is AssigneeKind.USER for rule in rules) and quorum > len(users):
                message = f"a quorum of {quorum} is more than the {len(users)} named users"
                self.issue(path, node, message, "lower the quorum, or add assignees")
            return CompletionRule(CompletionMode.QUORUM, quorum)
        message = f"invalid completion: {describe(node)}"
        hint = "use all, any or {quorum: N}"
        if value == "quorum":
            message, hint = "a quorum needs a number", _QUORUM_HINT
        elif isinstance(value, str) and value.lower() in DUTCH:
            hint = f"did you mean '{DUTCH[value.lower()]}'? {hint}"
        self.issue(path, node, message, hint)
        return CompletionRule()

    # -- four eyes

    def allow_initiator(self, item: dict[str, Node], path: str, kind: str | None,
                        rules: tuple[AssigneeRule, ...]) -> bool:
        """``allow_initiator: true`` lets the initiator hold a deciding part (a warning);
        a deciding stage assigned to the initiator without it is an error."""
        deciding = kind is not None and StageKind(kind) in DECIDING
        node = item.get("allow_initiator")
        if node is None:
            if deciding and any(rule.kind is AssigneeKind.INITIATOR for rule in rules):
                message = (f"a {kind} stage cannot be assigned to the initiator: four eyes "
                           "keeps the initiator out of initial, approve, decide and sign")
                hint = "choose other assignees, or add allow_initiator: true (a warning)"
                self.issue(key_path(path, "assignees"), item["assignees"], message, hint)
            return False
        path = key_path(path, "allow_initiator")
        allowed = self.boolean(node, path)
        if allowed and not deciding:
            message = f"allow_initiator only applies to {', '.join(sorted(DECIDING))} stages"
            self.issue(path, node, message, "remove allow_initiator")
        elif allowed:
            message = (f"four eyes is off for this stage: the initiator may {kind} "
                       "in their own dossier")
            hint = "keep it only where a mandate allows the initiator to decide"
            self.warnings.append(FlowIssue(path, node.line, message, hint))
        return allowed

    # -- conditions

    def condition(self, node: Node | None, path: str) -> Condition | None:
        if node is None:
            return None
        text = self.text(node, path)
        if not text:
            return None
        try:
            condition = parse_condition(text)
        except ConditionError as error:
            message = f"invalid condition at column {error.column}: {error.problem}"
            self.issue(path, node, message, error.hint or "see the flow schema documentation")
            return None
        comparisons = dict.fromkeys(part for clause in condition.clauses for part in clause)
        for name, op, literal in comparisons:
            self.check_comparison(name, op, literal, node, path)
        return condition

    def check_comparison(self, name: str, op: str, literal: object, node: Node, path: str) -> None:
        if name not in self._fields:
            hint = suggest(name, self._fields, "fields") if self._fields else _NO_FIELDS_HINT
            self.issue(path, node, f"the condition uses unknown field '{name}'", hint)
            return
        field_type = self._fields[name]
        if field_type is None:
            return  # the field itself is reported already
        numeric = field_type in (FieldType.NUMBER, FieldType.MONEY)
        texts = literal if isinstance(literal, tuple) else (literal,)
        if numeric and not isinstance(literal, float):
            message = f"'{op}' compares {field_type} field '{name}' with text"
            self.issue(path, node, message, f"compare with a number, e.g. {name} >= 10000")
        elif not numeric and isinstance(literal, float):
            shown = _number(literal)
            message = f"'{op}' compares {field_type} field '{name}' with the number {shown}"
            self.issue(path, node, message, f"put the value in quotes: '{shown}'")
        elif field_type is FieldType.CHOICE and name in self._options:
            options = self._options[name]
            for text in texts:
                if text not in options:
                    hint = f"options are {', '.join(options)}"
                    self.issue(path, node, f"'{text}' is not an option of field '{name}'", hint)
        elif field_type is FieldType.DATE:
            for text in texts:
                if not _is_date(str(text)):
                    hint = "write dates as 'YYYY-MM-DD', e.g. '2026-01-01'"
                    self.issue(path, node, f"'{text}' is not a date", hint)

    # -- return_to

    def return_to(
        self, node: Node | None, path: str, stage_id: str, position: int
    ) -> tuple[str, ...]:
        if node is None:
            return ()
        path = key_path(path, "return_to")
        listed = isinstance(node.value, list)
        items = node.value if isinstance(node.value, list) else [node]
        targets: list[str] = []
        for index, item in enumerate(items):
            item_path = index_path(path, index) if listed else path
            target = self.text(item, item_path)
            if target in targets:
                self.issue(item_path, item, f"'{target}' is named twice", "remove one")
            elif target:
                self._returns.append(_Return(stage_id, position, item_path, item, target))
            targets.append(target)
        return tuple(targets)

    def check_returns(self) -> None:
        for back in self._returns:
            earlier = [stage for stage, step in self._positions.items() if step < back.step]
            choices = (
                f"stages of earlier steps: {', '.join(earlier)}"
                if earlier
                else "this stage is in the first step: remove return_to"
            )
            target = back.target
            if target == back.stage:
                message = "a stage cannot return to itself"
            elif target in self._groups:
                message = f"'{target}' is a parallel group, not a stage"
                choices = f"name one of its stages: {', '.join(self._groups[target])}"
            elif target not in self._positions:
                message = f"unknown stage '{target}'"
                close = difflib.get_close_matches(target, list(self._positions), n=1)
                choices = f"did you mean '{close[0]}'? {choices}" if close else choices
            elif self._positions[target] >= back.step:
                where = "in the same step" if self._positions[target] == back.step else "later"
                message = f"impossible return target '{target}': it runs {where}, not earlier"
            else:
                continue
            self.issue(back.path, back.node, message, choices)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
