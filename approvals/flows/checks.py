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
from approvals.flows.stage_checks import StageChecker
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
    "provider",
)

DEFAULT_MAX_LENGTH = FieldDef("_", FieldType.TEXT, "_").max_length
_FIELD_TYPES = tuple(field_type.value for field_type in FieldType)
_KINDS = tuple(kind.value for kind in StageKind)


class FlowChecker(StageChecker):
    """Walks the node tree, builds the model and collects every issue on the way."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: dict[str, int] = {}  # stage and group ids -> line of first definition

    # -- the flow

    def flow(self, root: Node) -> FlowDefinition | None:
        top = self.mapping(root, "", "flow", "start_with", schema_line=SCHEMA_LINE)
        if top is None:
            return None
        self.known_keys(top, "", TOP_KEYS)
        node = self.required(top, "schema", "", root, "add_first_line", schema_line=SCHEMA_LINE)
        if node is not None and (schema := self.text(node, "schema")) and schema != SCHEMA:
            self.issue("schema", node, "schema_unsupported", "write_schema", schema=schema,
                       schema_line=SCHEMA_LINE)
        node = self.required(top, "id", "", root, "add_example", example="id: collegevoorstel")
        flow_id = self.identifier(node, "id", ID_PATTERN, "id") if node else ""
        node = self.required(top, "version", "", root, "add_example", example="version: 1")
        version = self.integer(node, "version", 1, None, "version") if node else 1
        node = self.required(top, "title", "", root, "add_example",
                             example="title: Collegevoorstel")
        title = self.text(node, "title", free=True, limit=MAX_TITLE) if node else ""
        node = top.get("description")
        description = self.text(node, "description", free=True, lines=True) if node else ""
        fields = self.fields(top["fields"]) if "fields" in top else ()
        node = self.required(top, "stages", "", root, "add_stages")
        steps = self.steps(node) if node else ()
        self.check_returns()
        starters = check_starters(self, top["starters"]) if "starters" in top else Starters()
        return FlowDefinition(flow_id, version, title, steps, fields, description, SCHEMA,
                              starters)

    # -- fields

    def fields(self, node: Node) -> tuple[FieldDef, ...]:
        if not isinstance(node.value, list):
            self.issue("fields", node, "fields_not_list", "fields_list", **describe(node))
            return ()
        defs = (self.field(item, index_path("fields", i)) for i, item in enumerate(node.value))
        return tuple(field_def for field_def in defs if field_def is not None)

    def field(self, node: Node, path: str) -> FieldDef | None:
        item = self.mapping(node, path, "field", "example", example="- {name: bedrag, type: money}")
        if item is None:
            return None
        self.known_keys(item, path, FIELD_KEYS)
        name = self.field_name(item, path, node)
        type_node = self.required(item, "type", path, node, "add_example", example="type: text")
        kind = self.choice(type_node, key_path(path, "type"), _FIELD_TYPES, "unknown_field_type",
                           "field_types")
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
        node = self.required(item, "name", path, parent, "add_example", example="name: bedrag")
        if node is None:
            return ""
        path = key_path(path, "name")
        name = self.identifier(node, path, FIELD_PATTERN, "field_name", "invalid_field_name")
        if name in self._fields:
            self.issue(path, node, "duplicate_field", "unique_field", name=name)
            return ""
        return name

    def options(
        self, item: Mapping[str, Node], path: str, parent: Node, field_type: FieldType | None
    ) -> tuple[str, ...]:
        node = item.get("options")
        if node is None:
            if field_type is FieldType.CHOICE:
                self.issue(path, parent, "choice_without_options", "options")
            return ()
        path = key_path(path, "options")
        if field_type is not FieldType.CHOICE:
            if field_type is not None:
                self.issue(path, node, "options_not_allowed", "remove_options",
                           type=field_type.value)
            return ()
        if not isinstance(node.value, list) or not node.value:
            self.issue(path, node, "options_empty", "options")
            return ()
        options: list[str] = []
        for index, option_node in enumerate(node.value):
            option = self.text(option_node, index_path(path, index), free=True)
            if option in options:
                self.issue(index_path(path, index), option_node, "duplicate_option",
                           "remove_one", option=option)
            options.append(option)
        return tuple(options)

    def max_length(self, item: Mapping[str, Node], path: str, field_type: FieldType | None) -> int:
        node = item.get("max_length")
        if node is None:
            return DEFAULT_MAX_LENGTH
        path = key_path(path, "max_length")
        if field_type is not FieldType.TEXT:
            if field_type is not None:
                self.issue(path, node, "max_length_not_allowed", "remove_max_length",
                           type=field_type.value)
            return DEFAULT_MAX_LENGTH
        return self.integer(node, path, 1, MAX_TEXT_LENGTH, "max_length")

    # -- steps, parallel groups and stages

    def steps(self, node: Node) -> tuple[Step, ...]:
        if not isinstance(node.value, list) or not node.value:
            got = describe(node)
            if node.value == []:
                got["got"] = "empty_list"
            self.issue("stages", node, "stages_not_list", "stages_list", **got)
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
                self.issue(key_path(path, key), value, "group_stage_key", "group_keys", key=key)
            elif key not in GROUP_KEYS:
                hint, params = suggest(key, GROUP_KEYS, "keys")
                self.issue(key_path(path, key), value, "unknown_key", hint, key=key, **params)
        group_id = self.stage_id(item, path, node, "id: advies")
        inner = key_path(path, "parallel")
        members = item["parallel"]
        items = members.value if isinstance(members.value, list) else [members]
        if members.value is None:
            items = []
        if len(items) < 2:
            self.issue(inner, members, "group_too_small", "group_too_small", count=len(items))
        stages: list[StageDef] = []
        for index, stage_node in enumerate(items):
            stage_path = index_path(inner, index)
            if isinstance(stage_node.value, dict) and "parallel" in stage_node.value:
                self.issue(stage_path, stage_node, "group_nested", "group_nested")
            elif (stage := self.stage(stage_node, stage_path, position)) is not None:
                stages.append(stage)
        self._groups[group_id] = tuple(stage.id for stage in stages)
        return Step(group_id, tuple(stages))

    def stage_id(self, item: Mapping[str, Node], path: str, parent: Node, example: str) -> str:
        node = self.required(item, "id", path, parent, "add_example", example=example)
        if node is None:
            return ""
        path = key_path(path, "id")
        stage_id = self.identifier(node, path, ID_PATTERN, "id")
        if stage_id in self._ids:
            self.issue(path, node, "duplicate_stage_id", "unique_stage", id=stage_id,
                       first_line=self._ids[stage_id])
        elif stage_id:
            self._ids[stage_id] = node.line
        return stage_id

    def stage(self, node: Node, path: str, position: int) -> StageDef | None:
        item = self.mapping(node, path, "stage", "example",
                            example="- {id: paraaf, kind: initial, ...}")
        if item is None:
            return None
        self.known_keys(item, path, STAGE_KEYS)
        stage_id = self.stage_id(item, path, node, "id: paraaf_afdelingshoofd")
        if stage_id:
            self._positions.setdefault(stage_id, position)
        kind_node = self.required(item, "kind", path, node, "add_example", example="kind: initial")
        kind = self.choice(kind_node, key_path(path, "kind"), _KINDS, "unknown_stage_kind",
                           "stage_kinds")
        rules: tuple[AssigneeRule, ...] = ()
        if rules_node := self.required(item, "assignees", path, node, "assignees"):
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
            provider=self.provider(item, path, kind),
        )
