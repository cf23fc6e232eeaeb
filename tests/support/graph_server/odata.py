"""The OData query options the product uses: `$filter`, `$orderby`, `$expand`, `$select`, paging.

`$filter` is parsed into a small tree and evaluated against a resolver, so SharePoint items and
directory objects share one grammar:

    expr    := or
    or      := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | "(" expr ")" | call | operand (op operand | "in" "(" list ")")
    call    := startswith|endswith|contains "(" operand "," operand ")"
    op      := eq | ne | lt | le | gt | ge
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from tests.support.graph_server.protocol import GraphError

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>'(?:[^']|'')*')
    | (?P<dt>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)
    | (?P<num>-?\d+(?:\.\d+)?(?![\w-]))
    | (?P<punct>[(),])
    | (?P<word>[A-Za-z_@$][\w./@$#-]*)
    )""",
    re.VERBOSE,
)
COMPARISONS = {"eq", "ne", "lt", "le", "gt", "ge"}
FUNCTIONS = {"startswith", "endswith", "contains"}


@dataclass(frozen=True)
class Prop:
    path: str  # e.g. fields/Title, userPrincipalName


@dataclass(frozen=True)
class Lit:
    value: Any  # str, int, float, bool, datetime, None


Node = tuple[Any, ...]


class FilterSyntaxError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FilterSyntaxError(f"syntax error at position {pos} in '{text}'")
        pos = match.end()
        kind = match.lastgroup or ""
        raw = match.group(kind)
        if kind == "str":
            out.append(("lit", raw[1:-1].replace("''", "'")))
        elif kind == "dt":
            out.append(("lit", datetime.fromisoformat(raw.replace("Z", "+00:00"))))
        elif kind == "num":
            out.append(("lit", float(raw) if "." in raw else int(raw)))
        elif kind == "punct":
            out.append((raw, raw))
        else:
            low = raw.lower()
            if low in ("true", "false"):
                out.append(("lit", low == "true"))
            elif low == "null":
                out.append(("lit", None))
            elif low in COMPARISONS | {"and", "or", "not", "in"} | FUNCTIONS:
                out.append((low, low))
            else:
                out.append(("prop", raw))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def take(self, kind: str | None = None) -> tuple[str, Any]:
        if self.i >= len(self.toks):
            raise FilterSyntaxError("unexpected end of the filter")
        tok = self.toks[self.i]
        if kind is not None and tok[0] != kind:
            raise FilterSyntaxError(f"expected '{kind}', found '{tok[1]}'")
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_()
        if self.peek() is not None:
            raise FilterSyntaxError(f"unexpected '{self.toks[self.i][1]}'")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek() == "or":
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.unary()
        while self.peek() == "and":
            self.take()
            node = ("and", node, self.unary())
        return node

    def unary(self) -> Node:
        kind = self.peek()
        if kind == "not":
            self.take()
            return ("not", self.unary())
        if kind == "(":
            self.take()
            node = self.or_()
            self.take(")")
            return node
        if kind in FUNCTIONS:
            name = self.take()[0]
            self.take("(")
            left = self.operand()
            self.take(",")
            right = self.operand()
            self.take(")")
            return ("call", name, left, right)
        left = self.operand()
        op = self.peek()
        if op in COMPARISONS:
            self.take()
            return ("cmp", op, left, self.operand())
        if op == "in":
            self.take()
            self.take("(")
            values = [self.operand()]
            while self.peek() == ",":
                self.take()
                values.append(self.operand())
            self.take(")")
            return ("in", left, values)
        raise FilterSyntaxError("a comparison is expected")

    def operand(self) -> Prop | Lit:
        kind, value = self.take()
        if kind == "prop":
            return Prop(value)
        if kind == "lit":
            return Lit(value)
        raise FilterSyntaxError(f"an operand is expected, found '{value}'")


def parse_filter(text: str) -> Node:
    return _Parser(text).parse()


def properties(node: Node) -> list[str]:
    """Every property the filter references, in order of appearance."""
    found: list[str] = []
    for part in node[1:]:
        if isinstance(part, Prop):
            found.append(part.path)
        elif isinstance(part, tuple):
            found += properties(part)
        elif isinstance(part, list):
            found += [p.path for p in part if isinstance(p, Prop)]
    return found


Resolver = Callable[[str], Any]
Coercer = Callable[[str, Any], Any]


def _norm(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _compare(op: str, left: Any, right: Any) -> bool:
    # SharePoint and the directory compare text without regard to case
    left, right = _norm(left), _norm(right)
    if op == "eq":
        return bool(left == right)
    if op == "ne":
        return bool(left != right)
    if left is None or right is None:
        return False
    try:
        if op == "lt":
            return bool(left < right)
        if op == "le":
            return bool(left <= right)
        if op == "gt":
            return bool(left > right)
        return bool(left >= right)
    except TypeError:
        return False


def evaluate(node: Node, resolve: Resolver, coerce: Coercer) -> bool:
    """Evaluate a parsed filter; `coerce(path, literal)` turns a literal into the property type."""

    def value(operand: Prop | Lit, other: Prop | Lit | None) -> Any:
        if isinstance(operand, Prop):
            return resolve(operand.path)
        if isinstance(other, Prop):
            return coerce(other.path, operand.value)
        return operand.value

    kind = node[0]
    if kind == "and":
        return evaluate(node[1], resolve, coerce) and evaluate(node[2], resolve, coerce)
    if kind == "or":
        return evaluate(node[1], resolve, coerce) or evaluate(node[2], resolve, coerce)
    if kind == "not":
        return not evaluate(node[1], resolve, coerce)
    if kind == "cmp":
        _, op, left, right = node
        return _compare(op, value(left, right), value(right, left))
    if kind == "in":
        _, left, values = node
        subject = _norm(value(left, None))
        return any(subject == _norm(value(v, left)) for v in values)
    _, name, left, right = node
    subject, needle = value(left, right), value(right, left)
    if not isinstance(subject, str) or not isinstance(needle, str):
        return False
    subject, needle = subject.casefold(), needle.casefold()
    if name == "startswith":
        return subject.startswith(needle)
    if name == "endswith":
        return subject.endswith(needle)
    return needle in subject


def parse_orderby(text: str | None) -> list[tuple[str, bool]]:
    """`fields/A desc, fields/B` -> [("fields/A", True), ("fields/B", False)] (True = desc)."""
    if not text:
        return []
    out: list[tuple[str, bool]] = []
    for part in text.split(","):
        words = part.split()
        direction = words[1].lower() if len(words) == 2 else "asc"
        if not words or len(words) > 2 or direction not in ("asc", "desc"):
            raise GraphError(400, "invalidRequest", f"Invalid $orderby clause '{text}'.")
        out.append((words[0], direction == "desc"))
    return out


def split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def parse_expand(text: str | None) -> dict[str, dict[str, str]]:
    """`fields(select=A,B),columns` -> {"fields": {"select": "A,B"}, "columns": {}}."""
    out: dict[str, dict[str, str]] = {}
    for part in split_top_level(text or ""):
        name, _, rest = part.partition("(")
        options: dict[str, str] = {}
        if rest:
            for opt in rest[:-1].split(";") if rest.endswith(")") else rest.split(";"):
                key, _, val = opt.partition("=")
                key = key.strip().lstrip("$").lower()
                if key == "select":
                    options["select"] = (options.get("select", "") + "," + val).strip(",")
                elif key in options or not key:
                    continue
                else:
                    options[key] = val
        out[name.strip()] = options
    return out


def parse_select(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [s.strip() for s in text.split(",") if s.strip()]


def apply_select(body: dict[str, Any], select: list[str] | None) -> dict[str, Any]:
    """Keep the selected properties (and OData annotations) of an entity, as `$select` does."""
    if not select:
        return body
    wanted = {s.lower() for s in select}
    return {k: v for k, v in body.items() if k.startswith("@") or k.lower() in wanted}


def select_all(body: dict[str, Any], select: list[str] | None) -> dict[str, Any]:
    """`$select` on a single entity or on every entity of a collection answer."""
    if isinstance(body.get("value"), list):
        return {**body, "value": [apply_select(v, select) for v in body["value"]]}
    return apply_select(body, select)


def parse_top(text: str | None, default: int, maximum: int, *, strict: bool = False) -> int:
    if text is None:
        return default
    try:
        top = int(text)
    except ValueError as exc:
        raise GraphError(400, "invalidRequest", f"Invalid value '{text}' for $top.") from exc
    if top < 1 or (strict and top > maximum):
        raise GraphError(
            400,
            "Request_UnsupportedQuery" if strict else "invalidRequest",
            f"Invalid page size specified: '{top}'. Must be between 1 and {maximum} inclusive.",
        )
    return min(top, maximum)


def encode_token(text: str) -> str:
    return base64.b64encode(text.encode()).decode().rstrip("=")


def decode_token(token: str) -> str:
    try:
        return base64.b64decode(token + "=" * (-len(token) % 4)).decode()
    except ValueError as exc:
        raise GraphError(400, "invalidRequest", "Invalid $skiptoken.") from exc


def next_link(base_url: str, path: str, query: list[tuple[str, str]], token: str) -> str:
    """An absolute `@odata.nextLink`: the same request with a new `$skiptoken`."""
    kept = [(k, v) for k, v in query if k.lower() not in ("$skiptoken", "skiptoken")]
    kept.append(("$skiptoken", token))
    rendered = "&".join(f"{k}={quote(v, safe=chr(39) + '()=,/$:@*')}" for k, v in kept)
    return f"{base_url}{quote(path, safe='/:,!()$@')}?{rendered}"
