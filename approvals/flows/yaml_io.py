"""Flow definitions in YAML (``schema: paraaf/flow/v1``): parse with every problem reported, dump.

The format is described in ``docs/flow-schema.md``. :func:`parse_flow` reads the YAML node tree
(``yaml.compose`` with the safe loader, so every value keeps its line), checks the whole
definition and raises one :class:`~approvals.errors.FlowValidationError` listing all problems
it found, each with its path (``stages[1].parallel[0].assignees[0]``), line and a fix hint.

Reading the YAML within its limits is :mod:`approvals.flows.nodes`; the checks are
:mod:`approvals.flows.checks` (the flow, its fields and stages), :mod:`approvals.flows.stage_checks`
(assignees, completion, conditions, return targets) and :mod:`approvals.flows.value_checks`.
"""

from __future__ import annotations

from typing import Any

import yaml

from approvals.errors import FlowIssue, FlowValidationError
from approvals.flows.checks import DEFAULT_MAX_LENGTH, FlowChecker
from approvals.flows.definition import (
    AssigneeKind,
    AssigneeRule,
    CompletionMode,
    FieldDef,
    FieldType,
    FlowDefinition,
    StageDef,
    Starters,
    Step,
)
from approvals.flows.nodes import MAX_BYTES, MAX_NODES, SCHEMA, STR_TAG, Rejected, load_nodes

__all__ = ["MAX_BYTES", "MAX_NODES", "SCHEMA", "check_flow", "dump_data", "dump_flow",
           "flow_data", "parse_flow"]


def parse_flow(text: str, source: str = "<flow>") -> FlowDefinition:
    """Parse and validate a flow definition; raises FlowValidationError with every problem."""
    return check_flow(text, source)[0]


def check_flow(text: str, source: str = "<flow>") -> tuple[FlowDefinition, tuple[FlowIssue, ...]]:
    """Parse and validate a flow definition: the flow and its warnings (things that are valid
    but worth a second look, e.g. ``allow_initiator: true``), by line. Raises
    FlowValidationError with every problem."""
    try:
        root = load_nodes(text)
    except Rejected as rejected:
        raise FlowValidationError(source, rejected.issues) from None
    checker = FlowChecker()
    flow = checker.flow(root)
    if checker.issues or flow is None:
        issues = sorted(checker.issues, key=lambda issue: issue.line or 0)
        raise FlowValidationError(source, issues)
    return flow, tuple(sorted(checker.warnings, key=lambda issue: issue.line or 0))


# ------------------------------------------------------------------------------ dumping


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, no anchors, multi-line text as ``|``."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(STR_TAG, text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _represent_text)


def dump_flow(flow: FlowDefinition) -> str:
    """The flow as YAML that :func:`parse_flow` reads back to an equal definition."""
    return dump_data(flow_data(flow))


def dump_data(data: object) -> str:
    """Plain data (a flow as :func:`flow_data` gives it, or as a form edits it) as YAML in
    the format's style: block style, keys in the order given."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def flow_data(flow: FlowDefinition) -> dict[str, object]:
    """The flow as the plain data of its YAML document (mappings, lists, scalars)."""
    data: dict[str, object] = {
        "schema": flow.schema,
        "id": flow.id,
        "version": flow.version,
        "title": flow.title,
    }
    if flow.description:
        data["description"] = flow.description
    if flow.fields:
        data["fields"] = [_field_data(field_def) for field_def in flow.fields]
    if flow.starters != Starters():
        starters: list[dict[str, object]] = [{"employees": True}] if flow.starters.employees else []
        data["starters"] = starters + [_rule_data(rule) for rule in flow.starters.rules]
    data["stages"] = [_step_data(step) for step in flow.steps]
    return data


def _field_data(field_def: FieldDef) -> dict[str, object]:
    data: dict[str, object] = {"name": field_def.name, "type": field_def.type.value}
    if field_def.label != field_def.name:
        data["label"] = field_def.label
    if field_def.required:
        data["required"] = True
    if field_def.type is FieldType.CHOICE:
        data["options"] = list(field_def.options)
    if field_def.type is FieldType.TEXT and field_def.max_length != DEFAULT_MAX_LENGTH:
        data["max_length"] = field_def.max_length
    return data


def _step_data(step: Step) -> dict[str, object]:
    if len(step.stages) == 1 and step.stages[0].id == step.id:
        return _stage_data(step.stages[0])
    return {"id": step.id, "parallel": [_stage_data(stage) for stage in step.stages]}


def _stage_data(stage: StageDef) -> dict[str, object]:
    data: dict[str, object] = {"id": stage.id, "kind": stage.kind.value}
    if stage.title != stage.id:
        data["title"] = stage.title
    data["assignees"] = [_rule_data(rule) for rule in stage.assignees]
    completion = stage.completion
    if completion.mode is CompletionMode.QUORUM:
        data["completion"] = {"quorum": completion.quorum}
    elif completion.mode is CompletionMode.ANY:
        data["completion"] = "any"
    if stage.condition is not None:
        data["condition"] = stage.condition.source
    if stage.deadline_days is not None:
        data["deadline_days"] = stage.deadline_days
    if stage.return_to:
        data["return_to"] = list(stage.return_to)
    if stage.instructions:
        data["instructions"] = stage.instructions
    if stage.allow_initiator:
        data["allow_initiator"] = True
    if stage.provider is not None:
        data["provider"] = stage.provider
    return data


def _rule_data(rule: AssigneeRule) -> dict[str, object]:
    if rule.kind is AssigneeKind.MANAGER:
        return {"manager": rule.levels}
    if rule.kind is AssigneeKind.INITIATOR:
        return {"initiator": True}
    return {rule.kind.value: rule.value}
