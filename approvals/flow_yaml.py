"""Flow definitions in YAML (``schema: paraaf/flow/v1``): parse with every problem reported, dump.

The format is described in ``docs/flow-schema.md``. :func:`parse_flow` reads the YAML node tree
(``yaml.compose`` with the safe loader, so every value keeps its line), checks the whole
definition and raises one :class:`~approvals.errors.FlowValidationError` listing all problems
it found, each with its path (``stages[1].parallel[0].assignees[0]``), line and a fix hint.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from approvals.conditions import parse_condition
from approvals.errors import ConditionError, FlowIssue, FlowValidationError
from approvals.flow import (
    AssigneeKind,
    AssigneeRule,
    CompletionMode,
    CompletionRule,
    Condition,
    FieldDef,
    FieldType,
    FlowDefinition,
    StageDef,
    StageKind,
    Step,
)

__all__ = ["MAX_BYTES", "MAX_NODES", "SCHEMA", "dump_flow", "parse_flow"]

SCHEMA = "paraaf/flow/v1"
MAX_BYTES = 256 * 1024  # a larger document is refused before it is parsed
MAX_NODES = 10_000  # YAML nodes after expanding aliases (*name)
MAX_DEPTH = 24  # nesting of lists and mappings
MAX_TITLE = 200
MAX_TEXT_LENGTH = 100_000  # upper bound for a text field's max_length

ID_PATTERN = re.compile(r"[a-z][a-z0-9_-]{1,63}")
FIELD_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
TOP_KEYS = ("schema", "id", "version", "title", "description", "fields", "stages")
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
)
# Dutch words a beheerder may write, mapped to the schema's words (used in hints only).
# fmt: off
_DUTCH = {
    "advies": "advise", "adviseren": "advise", "paraaf": "initial", "paraferen": "initial",
    "accord": "approve", "accorderen": "approve", "goedkeuren": "approve", "besluit": "decide",
    "besluiten": "decide", "ondertekenen": "sign", "tekenen": "sign", "kennisname": "acknowledge",
    "tekst": "text", "getal": "number", "bedrag": "money", "geld": "money", "datum": "date",
    "keuze": "choice", "gebruiker": "user", "persoon": "user", "medewerker": "user",
    "groep": "group", "rol": "role", "leidinggevende": "manager", "veld": "field",
    "initiatiefnemer": "initiator", "alle": "all", "iedereen": "all", "een": "any", "één": "any",
}
# fmt: on
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_STR_TAG = "tag:yaml.org,2002:str"
_SCHEMA = f"schema: {SCHEMA}"
_DEFAULT_MAX_LENGTH = FieldDef("_", FieldType.TEXT, "_").max_length
_FIELD_TYPES = tuple(field_type.value for field_type in FieldType)
_KINDS = tuple(kind.value for kind in StageKind)
_SOURCES = tuple(source.value for source in AssigneeKind)
_ID_HINT = "lowercase letters, digits, - and _, starting with a letter, e.g. paraaf_directeur"
_FIELD_HINT = "lowercase letters, digits and _, starting with a letter, e.g. bedrag"
_VERSION_HINT = "a whole number of 1 or more, e.g. version: 1"
_OPTIONS_HINT = "list the choices, e.g. options: [Sport, Cultuur]"
_ASSIGNEES_HINT = "e.g. assignees: [{group: juristen}] or assignees: [{manager: 1}]"
_MANAGER_HINT = "levels of the initiator's manager chain: 1 is the direct manager"
_QUORUM_HINT = "e.g. completion: {quorum: 2}"
_NO_FIELDS_HINT = "define the field under fields"


# ------------------------------------------------------------------------------ reading YAML


@dataclass(frozen=True, slots=True)
class _Node:
    """A YAML value with its 1-based line; ``raw`` is a scalar as written."""

    value: object  # str | int | float | bool | date | None | dict[str, _Node] | list[_Node]
    line: int
    raw: str = ""


class _Rejected(Exception):
    """The document cannot be read at all; carries the issues that say why."""

    def __init__(self, *issues: FlowIssue) -> None:
        super().__init__()
        self.issues = issues


def parse_flow(text: str, source: str = "<flow>") -> FlowDefinition:
    """Parse and validate a flow definition; raises FlowValidationError with every problem."""
    try:
        root = _load(text)
    except _Rejected as rejected:
        raise FlowValidationError(source, rejected.issues) from None
    checker = _Checker()
    flow = checker.flow(root)
    if checker.issues or flow is None:
        issues = sorted(checker.issues, key=lambda issue: issue.line or 0)
        raise FlowValidationError(source, issues)
    return flow


def _load(text: str) -> _Node:
    if len(text) > MAX_BYTES or len(text.encode("utf-8")) > MAX_BYTES:
        size = -(-len(text.encode("utf-8")) // 1024)  # rounded up
        message = f"the flow definition is too large ({size} KiB, at most 256 KiB)"
        hint = "move long instructions into a document of the dossier"
        raise _Rejected(FlowIssue("", None, message, hint))
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise _Rejected(_too_deep(mark.line + 1 if mark else None))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise _Rejected(_syntax_issue(text, error)) from None
    if root is None:
        raise _Rejected(FlowIssue("", 1, "the flow definition is empty", f"start with: {_SCHEMA}"))
    _measure(root, {}, set())
    converter = _Converter()
    node = converter.convert(root, "")
    if converter.issues:
        raise _Rejected(*converter.issues)
    return node


def _too_deep(line: int | None) -> FlowIssue:
    return FlowIssue("", line, f"nested more than {MAX_DEPTH} levels deep", "flatten the document")


def _syntax_issue(text: str, error: yaml.YAMLError) -> FlowIssue:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "unreadable"
        if error.context and error.problem:
            context = error.context
            if error.context_mark is not None and error.context_mark.line + 1 != line:
                context = f"{context} that starts on line {error.context_mark.line + 1}"
            problem = f"{problem} ({context})"
    else:  # a ReaderError: a character YAML does not allow
        position = getattr(error, "position", 0)
        line = text.count("\n", 0, position) + 1
        problem = "a character that YAML does not allow (a control character?)"
    hint = "check the indentation and the quotes on this line and the one before"
    if "'\\t'" in problem:
        hint = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "put text that contains ': ' in quotes, or fix the indentation"
    elif "another document" in problem:
        hint = "one flow per file: remove the '---' separator"
    elif "undefined alias" in problem:
        hint = "define the anchor (&name) before using the alias (*name)"
    return FlowIssue("", line, f"not valid YAML: {problem}", hint)


def _measure(
    node: yaml.Node, memo: dict[int, tuple[int, int]], active: set[int]
) -> tuple[int, int]:
    """Count the nodes and depth after alias expansion, refusing recursion and bombs."""
    key = id(node)
    if key in memo:
        return memo[key]
    line = node.start_mark.line + 1
    if key in active:
        message = "an alias refers to the list or mapping that contains it"
        raise _Rejected(FlowIssue("", line, message, "remove the recursive alias (*name)"))
    active.add(key)
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    size, depth = 1, 1
    for child in children:
        child_size, child_depth = _measure(child, memo, active)
        size += child_size
        depth = max(depth, child_depth + 1)
        if size > MAX_NODES:
            message = f"the document expands to more than {MAX_NODES} YAML nodes"
            hint = "aliases (*name) repeat what they refer to: write the flow out instead"
            raise _Rejected(FlowIssue("", line, message, hint))
        if depth > MAX_DEPTH:
            raise _Rejected(_too_deep(line))
    active.discard(key)
    memo[key] = (size, depth)
    return size, depth


class _Converter:
    """YAML nodes -> _Node tree; reports tags, keys and values the schema cannot hold."""

    def __init__(self) -> None:
        self.issues: list[FlowIssue] = []
        self._constructor = SafeConstructor()

    def convert(self, node: yaml.Node, path: str) -> _Node:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path, line)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, _SEQ_TAG, path, line)
            items = [self.convert(item, _index(path, i)) for i, item in enumerate(node.value)]
            return _Node(items, line)
        self._check_tag(node, _MAP_TAG, path, line)
        mapping: dict[str, _Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._issue(path, key_line, "merge keys (<<) are not supported", "write keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                self._issue(path, key_line, f"the key {shown!r} is not text", "put it in quotes")
                continue
            key = str(key_node.value)
            if key in first_line:
                message = f"duplicate key '{key}' (first on line {first_line[key]})"
                self._issue(_join(path, key), key_line, message, "keep one of them")
            first_line[key] = key_line
            mapping[key] = self.convert(value_node, _join(path, key))
        return _Node(mapping, line)

    def _scalar(self, node: yaml.ScalarNode, path: str, line: int) -> _Node:
        raw = str(node.value)
        if node.tag not in _SCALAR_TAGS:
            self._issue(path, line, f"unsupported YAML tag {node.tag!r}", "remove the tag")
            return _Node(raw, line, raw)
        try:
            value: object = self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            self._issue(path, line, f"cannot read the value {raw[:40]!r}", "put it in quotes")
            return _Node(raw, line, raw)
        return _Node(value, line, raw)

    def _check_tag(self, node: yaml.Node, expected: str, path: str, line: int) -> None:
        if node.tag != expected:
            self._issue(path, line, f"unsupported YAML tag {node.tag!r}", "remove the tag")

    def _issue(self, path: str, line: int, message: str, hint: str) -> None:
        self.issues.append(FlowIssue(path, line, message, hint))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _index(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _describe(node: _Node) -> str:
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


def _suggest(word: str, choices: Iterable[str], what: str) -> str:
    """A hint naming the closest allowed word (or its Dutch equivalent) and all allowed words."""
    allowed = list(choices)
    listing = f"{what} are {', '.join(allowed)}"
    translated = _DUTCH.get(word.lower())
    if translated in allowed:
        return f"did you mean '{translated}'? {listing}"
    close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? {listing}" if close else listing


# ------------------------------------------------------------------------------ checking
#
# Each check records its issues and returns a stand-in value ("" or a default) when the input is
# wrong, so one pass finds every problem; parse_flow discards the model if there was any issue.


@dataclass(frozen=True, slots=True)
class _Return:
    stage: str
    step: int
    path: str
    node: _Node
    target: str


class _Checker:
    """Walks the _Node tree, builds the model and collects every issue on the way."""

    def __init__(self) -> None:
        self.issues: list[FlowIssue] = []
        self._fields: dict[str, FieldType | None] = {}  # None: declared, but its type is wrong
        self._options: dict[str, tuple[str, ...]] = {}
        self._ids: dict[str, int] = {}  # stage and group ids -> line of first definition
        self._positions: dict[str, int] = {}  # stage id -> position of its step
        self._groups: dict[str, tuple[str, ...]] = {}  # group id -> its stage ids
        self._returns: list[_Return] = []

    def issue(self, path: str, node: _Node, message: str, hint: str) -> None:
        self.issues.append(FlowIssue(path, node.line, message, hint))

    # -- values

    def mapping(self, node: _Node, path: str, what: str, hint: str) -> dict[str, _Node] | None:
        if isinstance(node.value, dict):
            return node.value
        self.issue(path, node, f"{what} must be a mapping of keys, got {_describe(node)}", hint)
        return None

    def known_keys(self, item: Mapping[str, _Node], path: str, allowed: tuple[str, ...]) -> None:
        what = "top-level key" if not path else "key"
        for key, node in item.items():
            if key not in allowed:
                hint = _suggest(key, allowed, "allowed keys")
                self.issue(_join(path, key), node, f"unknown {what} '{key}'", hint)

    def required(
        self, item: Mapping[str, _Node], key: str, path: str, parent: _Node, hint: str
    ) -> _Node | None:
        node = item.get(key)
        if node is None:
            self.issue(path, parent, f"missing required key '{key}'", hint)
        return node

    def text(self, node: _Node, path: str, *, free: bool = False, limit: int = 0) -> str:
        """A non-empty text; ``free`` text also takes a number or a date as written."""
        value = node.value
        if free and isinstance(value, int | float | date) and not isinstance(value, bool):
            value = node.raw
        if not isinstance(value, str):
            hint = "put the value in quotes"
            if isinstance(node.value, bool):
                hint = f"YAML reads yes/no/on/off/true/false as booleans: write '{node.raw}'"
            self.issue(path, node, f"expected text, got {_describe(node)}", hint)
            return ""
        if not value.strip():
            self.issue(path, node, "must not be empty", "write a value, or leave the key out")
        elif limit and len(value) > limit:
            self.issue(path, node, f"longer than {limit} characters ({len(value)})", "shorten it")
        return value

    def identifier(
        self, node: _Node, path: str, pattern: re.Pattern[str], hint: str, what: str = "id"
    ) -> str:
        value = self.text(node, path)
        if value and not pattern.fullmatch(value):
            self.issue(path, node, f"invalid {what} '{value}'", hint)
        return value

    def integer(self, node: _Node, path: str, low: int, high: int | None, hint: str) -> int:
        value = node.value
        if not isinstance(value, int) or isinstance(value, bool):
            self.issue(path, node, f"expected a whole number, got {_describe(node)}", hint)
            return low
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.issue(path, node, f"must be {bounds}, got {value}", hint)
        return value

    def boolean(self, node: _Node, path: str) -> bool:
        if isinstance(node.value, bool):
            return node.value
        key = path.rsplit(".", 1)[-1]
        self.issue(
            path, node, f"expected true or false, got {_describe(node)}", f"write {key}: true"
        )
        return False

    def choice(
        self, node: _Node | None, path: str, allowed: tuple[str, ...], what: str
    ) -> str | None:
        """One of the allowed words, or None (when missing, which is reported by the caller)."""
        if node is None:
            return None
        value = self.text(node, path)
        if value and value not in allowed:
            self.issue(
                path, node, f"unknown {what} '{value}'", _suggest(value, allowed, what + "s")
            )
        return value if value in allowed else None

    # -- the flow

    def flow(self, root: _Node) -> FlowDefinition | None:
        top = self.mapping(root, "", "a flow definition", f"start with: {_SCHEMA}")
        if top is None:
            return None
        self.known_keys(top, "", TOP_KEYS)
        node = self.required(top, "schema", "", root, f"add as the first line: {_SCHEMA}")
        if node is not None and (schema := self.text(node, "schema")) and schema != SCHEMA:
            self.issue("schema", node, f"unsupported schema '{schema}'", f"write: {_SCHEMA}")
        node = self.required(top, "id", "", root, "add e.g. id: collegevoorstel")
        flow_id = self.identifier(node, "id", ID_PATTERN, _ID_HINT) if node else ""
        node = self.required(top, "version", "", root, "add e.g. version: 1")
        version = self.integer(node, "version", 1, None, _VERSION_HINT) if node else 1
        node = self.required(top, "title", "", root, "add e.g. title: Collegevoorstel")
        title = self.text(node, "title", free=True, limit=MAX_TITLE) if node else ""
        node = top.get("description")
        description = self.text(node, "description", free=True) if node else ""
        fields = self.fields(top["fields"]) if "fields" in top else ()
        node = self.required(top, "stages", "", root, "add a list of stages")
        steps = self.steps(node) if node else ()
        self.check_returns()
        return FlowDefinition(flow_id, version, title, steps, fields, description, SCHEMA)

    # -- fields

    def fields(self, node: _Node) -> tuple[FieldDef, ...]:
        if not isinstance(node.value, list):
            hint = "write each field as '- name: ...' under fields"
            self.issue("fields", node, f"must be a list of fields, got {_describe(node)}", hint)
            return ()
        defs = (self.field(item, _index("fields", i)) for i, item in enumerate(node.value))
        return tuple(field_def for field_def in defs if field_def is not None)

    def field(self, node: _Node, path: str) -> FieldDef | None:
        item = self.mapping(node, path, "a field", "e.g. - {name: bedrag, type: money}")
        if item is None:
            return None
        self.known_keys(item, path, FIELD_KEYS)
        name = self.field_name(item, path, node)
        type_node = self.required(item, "type", path, node, "add e.g. type: text")
        kind = self.choice(type_node, _join(path, "type"), _FIELD_TYPES, "field type")
        field_type = FieldType(kind) if kind else None
        if name and name not in self._fields:
            self._fields[name] = field_type
        label = name
        if "label" in item:
            label = self.text(item["label"], _join(path, "label"), free=True, limit=MAX_TITLE)
        required_node = item.get("required")
        required = self.boolean(required_node, _join(path, "required")) if required_node else False
        options = self.options(item, path, node, field_type)
        if name and options:
            self._options[name] = options
        max_length = self.max_length(item, path, field_type)
        return FieldDef(name, field_type or FieldType.TEXT, label, required, options, max_length)

    def field_name(self, item: Mapping[str, _Node], path: str, parent: _Node) -> str:
        node = self.required(item, "name", path, parent, "add e.g. name: bedrag")
        if node is None:
            return ""
        path = _join(path, "name")
        name = self.identifier(node, path, FIELD_PATTERN, _FIELD_HINT, "field name")
        if name in self._fields:
            self.issue(
                path, node, f"duplicate field name '{name}'", "give every field its own name"
            )
            return ""
        return name

    def options(
        self, item: Mapping[str, _Node], path: str, parent: _Node, field_type: FieldType | None
    ) -> tuple[str, ...]:
        node = item.get("options")
        if node is None:
            if field_type is FieldType.CHOICE:
                self.issue(path, parent, "a choice field needs options", _OPTIONS_HINT)
            return ()
        path = _join(path, "options")
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
            option = self.text(option_node, _index(path, index), free=True)
            if option in options:
                self.issue(
                    _index(path, index), option_node, f"duplicate option '{option}'", "remove one"
                )
            options.append(option)
        return tuple(options)

    def max_length(self, item: Mapping[str, _Node], path: str, field_type: FieldType | None) -> int:
        node = item.get("max_length")
        if node is None:
            return _DEFAULT_MAX_LENGTH
        path = _join(path, "max_length")
        if field_type is not FieldType.TEXT:
            if field_type is not None:
                message = f"max_length is only allowed on text fields, not on {field_type}"
                self.issue(path, node, message, "remove max_length")
            return _DEFAULT_MAX_LENGTH
        return self.integer(node, path, 1, MAX_TEXT_LENGTH, "a number of characters, e.g. 2000")

    # -- steps, parallel groups and stages

    def steps(self, node: _Node) -> tuple[Step, ...]:
        if not isinstance(node.value, list) or not node.value:
            shown = "an empty list" if node.value == [] else _describe(node)
            hint = "write each stage as '- id: ...' under stages"
            self.issue("stages", node, f"must be a non-empty list of stages, got {shown}", hint)
            return ()
        steps: list[Step] = []
        for position, item in enumerate(node.value):
            path = _index("stages", position)
            if isinstance(item.value, dict) and "parallel" in item.value:
                steps.append(self.group(item, item.value, path, position))
            elif (stage := self.stage(item, path, position)) is not None:
                steps.append(Step(stage.id, (stage,)))
        return tuple(steps)

    def group(self, node: _Node, item: dict[str, _Node], path: str, position: int) -> Step:
        for key, value in item.items():
            if key in STAGE_KEYS and key not in GROUP_KEYS:
                hint = "a group has only id and parallel: move it to the stages in the group"
                self.issue(_join(path, key), value, f"a parallel group has no '{key}'", hint)
            elif key not in GROUP_KEYS:
                hint = _suggest(key, GROUP_KEYS, "allowed keys")
                self.issue(_join(path, key), value, f"unknown key '{key}'", hint)
        group_id = self.stage_id(item, path, node, "add e.g. id: advies")
        inner = _join(path, "parallel")
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
            stage_path = _index(inner, index)
            if isinstance(stage_node.value, dict) and "parallel" in stage_node.value:
                hint = "put these stages in this group, or in a step of their own"
                self.issue(stage_path, stage_node, "parallel groups cannot be nested", hint)
            elif (stage := self.stage(stage_node, stage_path, position)) is not None:
                stages.append(stage)
        self._groups[group_id] = tuple(stage.id for stage in stages)
        return Step(group_id, tuple(stages))

    def stage_id(self, item: Mapping[str, _Node], path: str, parent: _Node, hint: str) -> str:
        node = self.required(item, "id", path, parent, hint)
        if node is None:
            return ""
        path = _join(path, "id")
        stage_id = self.identifier(node, path, ID_PATTERN, _ID_HINT)
        if stage_id in self._ids:
            message = f"duplicate stage id '{stage_id}' (first on line {self._ids[stage_id]})"
            self.issue(path, node, message, "give every stage and parallel group its own id")
        elif stage_id:
            self._ids[stage_id] = node.line
        return stage_id

    def stage(self, node: _Node, path: str, position: int) -> StageDef | None:
        item = self.mapping(node, path, "a stage", "e.g. - {id: paraaf, kind: initial, ...}")
        if item is None:
            return None
        self.known_keys(item, path, STAGE_KEYS)
        stage_id = self.stage_id(item, path, node, "add e.g. id: paraaf_afdelingshoofd")
        if stage_id:
            self._positions.setdefault(stage_id, position)
        kind_node = self.required(item, "kind", path, node, "add e.g. kind: initial")
        kind = self.choice(kind_node, _join(path, "kind"), _KINDS, "stage kind")
        rules: tuple[AssigneeRule, ...] = ()
        if rules_node := self.required(item, "assignees", path, node, _ASSIGNEES_HINT):
            rules = self.assignees(rules_node, _join(path, "assignees"))
        return StageDef(
            id=stage_id,
            kind=StageKind(kind) if kind else StageKind.ADVISE,
            title=self.optional_text(item, "title", path, MAX_TITLE) or stage_id,
            assignees=rules,
            completion=self.completion(item.get("completion"), _join(path, "completion"), rules),
            condition=self.condition(item.get("condition"), _join(path, "condition")),
            deadline_days=self.deadline(item.get("deadline_days"), _join(path, "deadline_days")),
            return_to=self.return_to(item.get("return_to"), path, stage_id, position),
            instructions=self.optional_text(item, "instructions", path),
        )

    def optional_text(self, item: Mapping[str, _Node], key: str, path: str, limit: int = 0) -> str:
        node = item.get(key)
        return self.text(node, _join(path, key), free=True, limit=limit) if node else ""

    def deadline(self, node: _Node | None, path: str) -> int | None:
        if node is None:
            return None
        return self.integer(node, path, 1, 365, "working days, e.g. deadline_days: 5")

    # -- assignees and completion

    def assignees(self, node: _Node, path: str) -> tuple[AssigneeRule, ...]:
        if not isinstance(node.value, list) and node.value is not None:
            return tuple(rule for rule in [self.assignee(node, path)] if rule is not None)
        if not node.value:
            self.issue(path, node, "a stage needs at least one assignee", _ASSIGNEES_HINT)
            return ()
        rules = (self.assignee(item, _index(path, i)) for i, item in enumerate(node.value))
        return tuple(rule for rule in rules if rule is not None)

    def assignee(self, node: _Node, path: str) -> AssigneeRule | None:
        if not isinstance(node.value, dict):
            hint = f"e.g. {{group: juristen}}; sources are {', '.join(_SOURCES)}"
            if isinstance(node.value, str) and "@" in node.value:
                hint = f"write {{user: {node.value}}}"
            message = f"an assignee is a mapping with one key, got {_describe(node)}"
            self.issue(path, node, message, hint)
            return None
        if len(node.value) != 1:
            keys = ", ".join(node.value) or "none"
            message = f"an assignee has exactly one key, got {len(node.value)} ({keys})"
            self.issue(path, node, message, "write each source as a list item of its own")
            return None
        ((source, value),) = node.value.items()
        path = _join(path, source)
        if source not in _SOURCES:
            hint = _suggest(source, _SOURCES, "sources")
            self.issue(path, value, f"unknown assignee source '{source}'", hint)
            return None
        return self.assignee_rule(AssigneeKind(source), value, path)

    def assignee_rule(self, kind: AssigneeKind, node: _Node, path: str) -> AssigneeRule:
        if kind is AssigneeKind.MANAGER:
            levels = self.integer(node, path, 1, 10, _MANAGER_HINT)
            return AssigneeRule(kind, levels=levels)
        if kind is AssigneeKind.INITIATOR:
            if node.value is not True:
                message = f"expected true, got {_describe(node)}"
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

    def check_user_field(self, name: str, node: _Node, path: str) -> None:
        if name not in self._fields:
            hint = "define it under fields with type: user"
            users = [key for key, kind in self._fields.items() if kind is FieldType.USER]
            if users:
                hint = _suggest(name, users, "fields of type user")
            self.issue(path, node, f"there is no field named '{name}'", hint)
        elif (field_type := self._fields[name]) not in (FieldType.USER, None):
            message = f"field '{name}' is of type {field_type}, not user"
            self.issue(path, node, message, "assignees can only come from a field of type user")

    def completion(
        self, node: _Node | None, path: str, rules: tuple[AssigneeRule, ...]
    ) -> CompletionRule:
        if node is None:
            return CompletionRule()
        value = node.value
        if value in ("all", "any"):
            return CompletionRule(CompletionMode(value))
        if isinstance(value, dict) and list(value) == ["quorum"]:
            quorum = self.integer(value["quorum"], _join(path, "quorum"), 1, None, _QUORUM_HINT)
            users = {rule.value for rule in rules}
            if all(rule.kind is AssigneeKind.USER for rule in rules) and quorum > len(users):
                message = f"a quorum of {quorum} is more than the {len(users)} named users"
                self.issue(path, node, message, "lower the quorum, or add assignees")
            return CompletionRule(CompletionMode.QUORUM, quorum)
        message = f"invalid completion: {_describe(node)}"
        hint = "use all, any or {quorum: N}"
        if value == "quorum":
            message, hint = "a quorum needs a number", _QUORUM_HINT
        elif isinstance(value, str) and value.lower() in _DUTCH:
            hint = f"did you mean '{_DUTCH[value.lower()]}'? {hint}"
        self.issue(path, node, message, hint)
        return CompletionRule()

    # -- conditions

    def condition(self, node: _Node | None, path: str) -> Condition | None:
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

    def check_comparison(self, name: str, op: str, literal: object, node: _Node, path: str) -> None:
        if name not in self._fields:
            hint = _suggest(name, self._fields, "fields") if self._fields else _NO_FIELDS_HINT
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
        self, node: _Node | None, path: str, stage_id: str, position: int
    ) -> tuple[str, ...]:
        if node is None:
            return ()
        path = _join(path, "return_to")
        listed = isinstance(node.value, list)
        items = node.value if isinstance(node.value, list) else [node]
        targets: list[str] = []
        for index, item in enumerate(items):
            item_path = _index(path, index) if listed else path
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


# ------------------------------------------------------------------------------ dumping


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, no anchors, multi-line text as ``|``."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(_STR_TAG, text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _represent_text)


def dump_flow(flow: FlowDefinition) -> str:
    """The flow as YAML that :func:`parse_flow` reads back to an equal definition."""
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
    data["stages"] = [_step_data(step) for step in flow.steps]
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _field_data(field_def: FieldDef) -> dict[str, object]:
    data: dict[str, object] = {"name": field_def.name, "type": field_def.type.value}
    if field_def.label != field_def.name:
        data["label"] = field_def.label
    if field_def.required:
        data["required"] = True
    if field_def.type is FieldType.CHOICE:
        data["options"] = list(field_def.options)
    if field_def.type is FieldType.TEXT and field_def.max_length != _DEFAULT_MAX_LENGTH:
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
    return data


def _rule_data(rule: AssigneeRule) -> dict[str, object]:
    if rule.kind is AssigneeKind.MANAGER:
        return {"manager": rule.levels}
    if rule.kind is AssigneeKind.INITIATOR:
        return {"initiator": True}
    return {rule.kind.value: rule.value}
