"""Checks of a stage's assignees, completion, condition, deadline and return targets.

These refer to the rest of the flow: assignees and conditions to its fields, return targets to
stages of earlier steps. Return targets are checked at the end, when every stage is known.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from approvals.errors import ConditionError, FlowIssue, Param
from approvals.flows.conditions import parse_condition
from approvals.flows.definition import (
    DECIDING,
    SIGNING_PROVIDERS,
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
        return self.integer(node, path, 1, 365, "deadline")

    # -- assignees and completion

    def assignees(self, node: Node, path: str) -> tuple[AssigneeRule, ...]:
        if not isinstance(node.value, list) and node.value is not None:
            return tuple(rule for rule in [self.assignee(node, path)] if rule is not None)
        if not node.value:
            self.issue(path, node, "no_assignees", "assignees")
            return ()
        rules = (self.assignee(item, index_path(path, i)) for i, item in enumerate(node.value))
        return tuple(rule for rule in rules if rule is not None)

    def assignee(self, node: Node, path: str) -> AssigneeRule | None:
        if not isinstance(node.value, dict):
            hint = "assignee_sources"
            if isinstance(node.value, str) and "@" in node.value:
                hint = "write_user"
            self.issue(path, node, "assignee_not_mapping", hint, sources=", ".join(_SOURCES),
                       value=str(node.value), **describe(node))
            return None
        if len(node.value) != 1:
            code = "assignee_keys" if node.value else "assignee_no_keys"
            self.issue(path, node, code, "one_source", count=len(node.value),
                       keys=", ".join(node.value))
            return None
        ((source, value),) = node.value.items()
        path = key_path(path, source)
        if source not in _SOURCES:
            hint, params = suggest(source, _SOURCES, "sources")
            self.issue(path, value, "unknown_assignee_source", hint, source=source, **params)
            return None
        return self.assignee_rule(AssigneeKind(source), value, path)

    def assignee_rule(self, kind: AssigneeKind, node: Node, path: str) -> AssigneeRule:
        if kind is AssigneeKind.MANAGER:
            levels = self.integer(node, path, 1, 10, "manager")
            return AssigneeRule(kind, levels=levels)
        if kind is AssigneeKind.INITIATOR:
            if node.value is not True:
                code = "initiator_false" if node.value is False else "expected_true"
                self.issue(path, node, code, "initiator_true", **describe(node))
            return AssigneeRule(kind)
        value = self.text(node, path)
        if kind is AssigneeKind.USER and value and "@" not in value:
            self.issue(path, node, "not_upn", "upn", value=value)
        elif kind is AssigneeKind.FIELD and value:
            self.check_user_field(value, node, path)
        return AssigneeRule(kind, value)

    def check_user_field(self, name: str, node: Node, path: str) -> None:
        if name not in self._fields:
            hint, params = "define_user_field", dict[str, Param]()
            users = [key for key, kind in self._fields.items() if kind is FieldType.USER]
            if users:
                hint, params = suggest(name, users, "user_fields")
            self.issue(path, node, "unknown_user_field", hint, name=name, **params)
        elif (field_type := self._fields[name]) not in (FieldType.USER, None):
            self.issue(path, node, "field_not_user", "user_field_only", name=name,
                       type=field_type.value)

    def completion(
        self, node: Node | None, path: str, rules: tuple[AssigneeRule, ...]
    ) -> CompletionRule:
        if node is None:
            return CompletionRule()
        value = node.value
        if value in ("all", "any"):
            return CompletionRule(CompletionMode(value))
        if isinstance(value, dict) and list(value) == ["quorum"]:
            quorum = self.integer(value["quorum"], key_path(path, "quorum"), 1, None, "quorum")
            users = {rule.value for rule in rules}
            if all(rule.kind is AssigneeKind.USER for rule in rules) and quorum > len(users):
                self.issue(path, node, "quorum_too_high", "lower_quorum", quorum=quorum,
                           users=len(users))
            return CompletionRule(CompletionMode.QUORUM, quorum)
        code, hint, params = "completion_invalid", "completion", describe(node)
        if value == "quorum":
            code, hint = "quorum_needs_number", "quorum"
        elif isinstance(value, str) and value.lower() in DUTCH:
            hint, params["word"] = "completion_mean", DUTCH[value.lower()]
        self.issue(path, node, code, hint, **params)
        return CompletionRule()

    # -- signing

    def provider(self, item: dict[str, Node], path: str, kind: str | None) -> str | None:
        """``provider: validsign`` (or ``embedded``) picks a sign stage's signing provider."""
        node = item.get("provider")
        if node is None:
            return None
        path = key_path(path, "provider")
        value = self.choice(node, path, SIGNING_PROVIDERS, "unknown_signing_provider",
                            "signing_providers")
        if value is not None and kind is not None and StageKind(kind) is not StageKind.SIGN:
            self.issue(path, node, "provider_not_sign", "remove_provider")
            return None
        return value

    # -- four eyes

    def allow_initiator(self, item: dict[str, Node], path: str, kind: str | None,
                        rules: tuple[AssigneeRule, ...]) -> bool:
        """``allow_initiator: true`` lets the initiator hold a deciding part (a warning);
        a deciding stage assigned to the initiator without it is an error."""
        deciding = kind is not None and StageKind(kind) in DECIDING
        node = item.get("allow_initiator")
        if node is None:
            if deciding and any(rule.kind is AssigneeKind.INITIATOR for rule in rules):
                self.issue(key_path(path, "assignees"), item["assignees"], "initiator_deciding",
                           "initiator_deciding", kind=str(kind))
            return False
        path = key_path(path, "allow_initiator")
        allowed = self.boolean(node, path)
        if allowed and not deciding:
            self.issue(path, node, "allow_initiator_not_deciding", "remove_allow_initiator",
                       kinds=", ".join(sorted(DECIDING)))
        elif allowed:
            self.warnings.append(FlowIssue(path, node.line, "four_eyes_off", {"kind": str(kind)},
                                           "four_eyes_off"))
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
            self.issue(path, node, "condition_invalid", error.hint_code or "condition_docs",
                       **error.params, column=error.column, problem=error.problem_code)
            return None
        comparisons = dict.fromkeys(part for clause in condition.clauses for part in clause)
        for name, op, literal in comparisons:
            self.check_comparison(name, op, literal, node, path)
        return condition

    def check_comparison(self, name: str, op: str, literal: object, node: Node, path: str) -> None:
        if name not in self._fields:
            hint, params = (suggest(name, self._fields, "fields") if self._fields
                            else ("no_fields", {}))
            self.issue(path, node, "condition_unknown_field", hint, name=name, **params)
            return
        field_type = self._fields[name]
        if field_type is None:
            return  # the field itself is reported already
        numeric = field_type in (FieldType.NUMBER, FieldType.MONEY)
        texts = literal if isinstance(literal, tuple) else (literal,)
        if numeric and not isinstance(literal, float):
            self.issue(path, node, "condition_number_vs_text", "compare_number", op=op,
                       type=field_type.value, name=name)
        elif not numeric and isinstance(literal, float):
            self.issue(path, node, "condition_text_vs_number", "quote_number", op=op,
                       type=field_type.value, name=name, shown=_number(literal))
        elif field_type is FieldType.CHOICE and name in self._options:
            options = self._options[name]
            for text in texts:
                if text not in options:
                    self.issue(path, node, "condition_not_option", "options_are", text=str(text),
                               name=name, options=", ".join(options))
        elif field_type is FieldType.DATE:
            for text in texts:
                if not _is_date(str(text)):
                    self.issue(path, node, "condition_not_date", "date", text=str(text))

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
                self.issue(item_path, item, "return_twice", "remove_one", target=target)
            elif target:
                self._returns.append(_Return(stage_id, position, item_path, item, target))
            targets.append(target)
        return tuple(targets)

    def check_returns(self) -> None:
        for back in self._returns:
            earlier = [stage for stage, step in self._positions.items() if step < back.step]
            hint = "earlier" if earlier else "first_step"
            target = back.target
            params: dict[str, Param] = {"target": target, "stages": ", ".join(earlier)}
            if target == back.stage:
                code = "return_to_itself"
            elif target in self._groups:
                code, hint = "return_to_group", "group_members"
                params["stages"] = ", ".join(self._groups[target])
            elif target not in self._positions:
                code = "return_unknown"
                close = difflib.get_close_matches(target, list(self._positions), n=1)
                if close:
                    hint = "earlier_mean" if earlier else "first_step_mean"
                    params["word"] = close[0]
            elif self._positions[target] >= back.step:
                same = self._positions[target] == back.step
                code = "return_same_step" if same else "return_later"
            else:
                continue
            self.issue(back.path, back.node, code, hint, **params)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
