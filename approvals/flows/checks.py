"""Checks of a whole flow definition: its top-level keys, fields, steps, groups and stages.

:class:`FlowChecker` walks the node tree once, builds the model and collects every issue on the
way; the checks of a stage's own rules are :mod:`approvals.flows.stage_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from approvals.flows.definition import (
    AssigneeRule,
    FieldDef,
    FieldType,
    FlowDefinition,
    StageDef,
    StageKind,
    Starters,
    Step,
)
from approvals.flows.nodes import SCHEMA, SCHEMA_LINE, Node, index_path, key_path
from approvals.flows.stage_checks import ASSIGNEES_HINT, StageChecker
from approvals.flows.starter_checks import check_starters
from approvals.flows.value_checks import describe, suggest

MAX_TITLE = 200
MAX_TEXT_LENGTH = 100_000  # upper bound for a text field's max_length

ID_PATTERN = re.compile(r"[a-z][a-z0-9_-]{1,63}")
FIELD_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
TOP_KEYS = ("schema", "id", "version", "title", "description", "fields", "stages", "starters")
FIELD_KEYS = ("name", "type", "label", "required", "options", "max_length")
GROUP_KEYS = ("id", "parallel")
STAGE_KEYS = (
    "id",
    "kind",
    "title",
    "assignees",
    "completion",
    "condition",
    "deadline_days",
    "return_to",
    "instructions",
    "allow_initiator",
)

DEFAULT_MAX_LENGTH = FieldDef("_", FieldType.TEXT, "_").max_length
_FIELD_TYPES = tuple(field_type.value for field_type in FieldType)
_KINDS = tuple(kind.value for kind in StageKind)
_ID_HINT = "lowercase letters, digits, - and _, starting with a letter, e.g. paraaf_directeur"
_FIELD_HINT = "lowercase letters, digits and _, starting with a letter, e.g. bedrag"
_VERSION_HINT = "a whole number of 1 or more, e.g. version: 1"
_OPTIONS_HINT = "list the choices, e.g. options: [Sport, Cultuur]"


class FlowChecker(StageChecker):
    """Walks the node tree, builds the model and collects every issue on the way."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: dict[str, int] = {}  # stage and group ids -> line of first definition

    # -- the flow

    def flow(self, root: Node) -> FlowDefinition | None:
        top = self.mapping(root, "", "a flow definition", f"start with: {SCHEMA_LINE}")
        if top is None:
            return None
        self.known_keys(top, "", TOP_KEYS)
        node = self.required(top, "schema", "", root, f"add as the first line: {SCHEMA_LINE}")
        if node is not None and (schema := self.text(node, "schema")) and schema != SCHEMA:
            self.issue("schema", node, f"unsupported schema '{schema}'", f"write: {SCHEMA_LINE}")
        node = self.required(top, "id", "", root, "add e.g. id: collegevoorstel")
        flow_id = self.identifier(node, "id", ID_PATTERN, _ID_HINT) if node else ""
        node = self.required(top, "version", "", root, "add e.g. version: 1")
        version = self.integer(node, "version", 1, None, _VERSION_HINT) if node else 1
        node = self.required(top, "title", "", root, "add e.g. title: Collegevoorstel")
        title = self.text(node, "title", free=True, limit=MAX_TITLE) if node else ""
        node = top.get("description")
        description = self.text(node, "description", free=True, lines=True) if node else ""
        fields = self.fields(top["fields"]) if "fields" in top else ()
        node = self.required(top, "stages", "", root, "add a list of stages")
        steps = self.steps(node) if node else ()
        self.check_returns()
        starters = check_starters(self, top["starters"]) if "starters" in top else Starters()
        return FlowDefinition(flow_id, version, title, steps, fields, description, SCHEMA,
                              starters)

    # -- fields

    def fields(self, node: Node) -> tuple[FieldDef, ...]:
        if not isinstance(node.value, list):
            hint = "write each field as '- name: ...' under fields"
            self.issue("fields", node, f"must be a list of fields, got {describe(node)}", hint)
            return ()
        defs = (self.field(item, index_path("fields", i)) for i, item in enumerate(node.value))
        return tuple(field_def for field_def in defs if field_def is not None)

    def field(self, node: Node, path: str) -> FieldDef | None:
        item = self.mapping(node, path, "a field", "e.g. - {name: bedrag, type: money}")
        if item is None:
            return None
        self.known_keys(item, path, FIELD_KEYS)
        name = self.field_name(item, path, node)
        type_node = self.required(item, "type", path, node, "add e.g. type: text")
        kind = self.choice(type_node, key_path(path, "type"), _FIELD_TYPES, "field type")
        field_type = FieldType(kind) if kind else None
        if name and name not in self._fields:
            self._fields[name] = field_type
        label = name
        if "label" in item:
            label = self.text(item["label"], key_path(path, "label"), free=True, limit=MAX_TITLE)
        required_node = item.get("required")
        required = (
            self.boolean(required_node, key_path(path, "required")) if required_node else False
        )
        options = self.options(item, path, node, field_type)
        if name and options:
            self._options[name] = options
        max_length = self.max_length(item, path, field_type)
        return FieldDef(name, field_type or FieldType.TEXT, label, required, options, max_length)

    def field_name(self, item: Mapping[str, Node], path: str, parent: Node) -> str:
        node = self.required(item, "name", path, parent, "add e.g. name: bedrag")
        if node is None:
            return ""
        path = key_path(path, "name")
        name = self.identifier(node, path, FIELD_PATTERN, _FIELD_HINT, "field name")
        if name in self._fields:
            self.issue(
                path, node, f"duplicate field name '{name}'", "give every field its own name"
            )
            return ""
        return name

    def options(
        self, item: Mapping[str, Node], path: str, parent: Node, field_type: FieldType | None
    ) -> tuple[str, ...]:
        node = item.get("options")
        if node is None:
            if field_type is FieldType.CHOICE:
                self.issue(path, parent, "a choice field needs options", _OPTIONS_HINT)
            return ()
        path = key_path(path, "options")
        if field_type is not FieldType.CHOICE:
            if field_type is not None:
                message = f"options are only allowed on choice fields, not on {field_type}"
                self.issue(path, node, message, "remove options, or make it type: choice")
            return ()
        if not isinstance(node.value, list) or not node.value:
            self.issue(path, node, "must be a non-empty list of options", _OPTIONS_HINT)
            return ()
        options: list[str] = []
        for index, option_node in enumerate(node.value):
            option = self.text(option_node, index_path(path, index), free=True)
            if option in options:
                self.issue(
                    index_path(path, index),
                    option_node,
                    f"duplicate option '{option}'",
                    "remove one",
                )
            options.append(option)
        return tuple(options)

    def max_length(self, item: Mapping[str, Node], path: str, field_type: FieldType | None) -> int:
        node = item.get("max_length")
        if node is None:
            return DEFAULT_MAX_LENGTH
        path = key_path(path, "max_length")
        if field_type is not FieldType.TEXT:
            if field_type is not None:
                message = f"max_length is only allowed on text fields, not on {field_type}"
                self.issue(path, node, message, "remove max_length")
            return DEFAULT_MAX_LENGTH
        return self.integer(node, path, 1, MAX_TEXT_LENGTH, "a number of characters, e.g. 2000")

    # -- steps, parallel groups and stages

    def steps(self, node: Node) -> tuple[Step, ...]:
        if not isinstance(node.value, list) or not node.value:
            shown = "an empty list" if node.value == [] else describe(node)
            hint = "write each stage as '- id: ...' under stages"
            self.issue("stages", node, f"must be a non-empty list of stages, got {shown}", hint)
            return ()
        steps: list[Step] = []
        for position, item in enumerate(node.value):
            path = index_path("stages", position)
            if isinstance(item.value, dict) and "parallel" in item.value:
                steps.append(self.group(item, item.value, path, position))
            elif (stage := self.stage(item, path, position)) is not None:
                steps.append(Step(stage.id, (stage,)))
        return tuple(steps)

    def group(self, node: Node, item: dict[str, Node], path: str, position: int) -> Step:
        for key, value in item.items():
            if key in STAGE_KEYS and key not in GROUP_KEYS:
                hint = "a group has only id and parallel: move it to the stages in the group"
                self.issue(key_path(path, key), value, f"a parallel group has no '{key}'", hint)
            elif key not in GROUP_KEYS:
                hint = suggest(key, GROUP_KEYS, "allowed keys")
                self.issue(key_path(path, key), value, f"unknown key '{key}'", hint)
        group_id = self.stage_id(item, path, node, "add e.g. id: advies")
        inner = key_path(path, "parallel")
        members = item["parallel"]
        items = members.value if isinstance(members.value, list) else [members]
        if members.value is None:
            items = []
        if len(items) < 2:
            message = f"a parallel group needs at least 2 stages, got {len(items)}"
            hint = "list its stages under parallel, or write one stage without a group"
            self.issue(inner, members, message, hint)
        stages: list[StageDef] = []
        for index, stage_node in enumerate(items):
            stage_path = index_path(inner, index)
            if isinstance(stage_node.value, dict) and "parallel" in stage_node.value:
                hint = "put these stages in this group, or in a step of their own"
                self.issue(stage_path, stage_node, "parallel groups cannot be nested", hint)
            elif (stage := self.stage(stage_node, stage_path, position)) is not None:
                stages.append(stage)
        self._groups[group_id] = tuple(stage.id for stage in stages)
        return Step(group_id, tuple(stages))

    def stage_id(self, item: Mapping[str, Node], path: str, parent: Node, hint: str) -> str:
        node = self.required(item, "id", path, parent, hint)
        if node is None:
            return ""
        path = key_path(path, "id")
        stage_id = self.identifier(node, path, ID_PATTERN, _ID_HINT)
        if stage_id in self._ids:
            message = f"duplicate stage id '{stage_id}' (first on line {self._ids[stage_id]})"
            self.issue(path, node, message, "give every stage and parallel group its own id")
        elif stage_id:
            self._ids[stage_id] = node.line
        return stage_id

    def stage(self, node: Node, path: str, position: int) -> StageDef | None:
        item = self.mapping(node, path, "a stage", "e.g. - {id: paraaf, kind: initial, ...}")
        if item is None:
            return None
        self.known_keys(item, path, STAGE_KEYS)
        stage_id = self.stage_id(item, path, node, "add e.g. id: paraaf_afdelingshoofd")
        if stage_id:
            self._positions.setdefault(stage_id, position)
        kind_node = self.required(item, "kind", path, node, "add e.g. kind: initial")
        kind = self.choice(kind_node, key_path(path, "kind"), _KINDS, "stage kind")
        rules: tuple[AssigneeRule, ...] = ()
        if rules_node := self.required(item, "assignees", path, node, ASSIGNEES_HINT):
            rules = self.assignees(rules_node, key_path(path, "assignees"))
        return StageDef(
            id=stage_id,
            kind=StageKind(kind) if kind else StageKind.ADVISE,
            title=self.optional_text(item, "title", path, MAX_TITLE) or stage_id,
            assignees=rules,
            completion=self.completion(item.get("completion"), key_path(path, "completion"), rules),
            condition=self.condition(item.get("condition"), key_path(path, "condition")),
            deadline_days=self.deadline(item.get("deadline_days"), key_path(path, "deadline_days")),
            return_to=self.return_to(item.get("return_to"), path, stage_id, position),
            instructions=self.optional_text(item, "instructions", path, lines=True),
            allow_initiator=self.allow_initiator(item, path, kind, rules),
        )
