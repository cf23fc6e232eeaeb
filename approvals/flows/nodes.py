"""A flow file's YAML read into a tree of nodes that keep their line numbers.

The text is read with the safe loader (``yaml.compose``), within the format's limits: at most
MAX_BYTES of text, MAX_DEPTH levels of nesting and MAX_NODES nodes after expanding aliases, and
no recursive aliases, merge keys or tags beyond the plain scalars, lists and mappings. A document
that breaks these rules is :class:`Rejected` with the issues that say why.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.constructor import SafeConstructor

from approvals.errors import FlowIssue

SCHEMA = "paraaf/flow/v1"
SCHEMA_LINE = f"schema: {SCHEMA}"
MAX_BYTES = 256 * 1024  # a larger document is refused before it is parsed
MAX_NODES = 10_000  # YAML nodes after expanding aliases (*name)
MAX_DEPTH = 24  # nesting of lists and mappings

_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with its 1-based line; ``raw`` is a scalar as written."""

    value: object  # str | int | float | bool | date | None | dict[str, Node] | list[Node]
    line: int
    raw: str = ""


class Rejected(Exception):
    """The document cannot be read at all; carries the issues that say why."""

    def __init__(self, *issues: FlowIssue) -> None:
        super().__init__()
        self.issues = issues


def load_nodes(text: str) -> Node:
    """The document's root node; Rejected when it cannot be read or breaks a limit."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8")) > MAX_BYTES:
        size = -(-len(text.encode("utf-8")) // 1024)  # rounded up
        message = f"the flow definition is too large ({size} KiB, at most 256 KiB)"
        hint = "move long instructions into a document of the dossier"
        raise Rejected(FlowIssue("", None, message, hint))
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise Rejected(_too_deep(mark.line + 1 if mark else None))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise Rejected(_syntax_issue(text, error)) from None
    if root is None:
        raise Rejected(
            FlowIssue("", 1, "the flow definition is empty", f"start with: {SCHEMA_LINE}")
        )
    _measure(root, {}, set())
    converter = _Converter()
    node = converter.convert(root, "")
    if converter.issues:
        raise Rejected(*converter.issues)
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
        raise Rejected(FlowIssue("", line, message, "remove the recursive alias (*name)"))
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
            raise Rejected(FlowIssue("", line, message, hint))
        if depth > MAX_DEPTH:
            raise Rejected(_too_deep(line))
    active.discard(key)
    memo[key] = (size, depth)
    return size, depth


class _Converter:
    """YAML nodes -> Node tree; reports tags, keys and values the schema cannot hold."""

    def __init__(self) -> None:
        self.issues: list[FlowIssue] = []
        self._constructor = SafeConstructor()

    def convert(self, node: yaml.Node, path: str) -> Node:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path, line)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, _SEQ_TAG, path, line)
            items = [self.convert(item, index_path(path, i)) for i, item in enumerate(node.value)]
            return Node(items, line)
        self._check_tag(node, _MAP_TAG, path, line)
        mapping: dict[str, Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._issue(path, key_line, "merge keys (<<) are not supported", "write keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                self._issue(path, key_line, f"the key {shown!r} is not text", "put it in quotes")
                continue
            key = str(key_node.value)
            if key in first_line:
                message = f"duplicate key '{key}' (first on line {first_line[key]})"
                self._issue(key_path(path, key), key_line, message, "keep one of them")
            first_line[key] = key_line
            mapping[key] = self.convert(value_node, key_path(path, key))
        return Node(mapping, line)

    def _scalar(self, node: yaml.ScalarNode, path: str, line: int) -> Node:
        raw = str(node.value)
        if node.tag not in _SCALAR_TAGS:
            self._issue(path, line, f"unsupported YAML tag {node.tag!r}", "remove the tag")
            return Node(raw, line, raw)
        try:
            value: object = self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            self._issue(path, line, f"cannot read the value {raw[:40]!r}", "put it in quotes")
            return Node(raw, line, raw)
        return Node(value, line, raw)

    def _check_tag(self, node: yaml.Node, expected: str, path: str, line: int) -> None:
        if node.tag != expected:
            self._issue(path, line, f"unsupported YAML tag {node.tag!r}", "remove the tag")

    def _issue(self, path: str, line: int, message: str, hint: str) -> None:
        self.issues.append(FlowIssue(path, line, message, hint))


def key_path(path: str, key: str) -> str:
    """The path of ``key`` in the mapping at ``path``."""
    return f"{path}.{key}" if path else key


def index_path(path: str, index: int) -> str:
    """The path of item ``index`` in the list at ``path``."""
    return f"{path}[{index}]"
