"""Conditions on dossier fields, such as ``bedrag >= 10000 and regeling == 'Cultuur'``.

The grammar (keywords are case-insensitive, ``and`` binds tighter than ``or``)::

    condition  := conjunction ("or" conjunction)*
    conjunction:= term ("and" term)*
    term       := comparison | "(" condition ")"
    comparison := FIELD OPERATOR value
    OPERATOR   := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in"
    value      := NUMBER | TEXT | "[" TEXT ("," TEXT)* "]"     (a list only after in / not in)

NUMBER is read the Dutch way, as a field value is (:mod:`approvals.amounts`): ``10000``,
``10.000``, ``2500,50``, ``-5``; ``2500.50`` still means 2500.5, and ``1,234`` (two readings)
is refused;
TEXT is in single or double quotes. The parsed form is a disjunction of conjunctions (see
:class:`approvals.flows.definition.Condition`); parentheses are multiplied out into that form.
Nothing is ever evaluated as Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from approvals.amounts import AmbiguousNumber, NotDutchNumber, format_dutch, parse_dutch
from approvals.errors import ConditionError
from approvals.flows.definition import Condition

__all__ = [
    "OPERATORS",
    "ConditionError",
    "evaluate",
    "parse_condition",
    "referenced_fields",
]

Operand = str | float | tuple[str, ...]
Comparison = tuple[str, str, Operand]
_Dnf = tuple[tuple[Comparison, ...], ...]
_Scalar = TypeVar("_Scalar", float, str)

OPERATORS: tuple[str, ...] = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")
MAX_LENGTH = 1000  # characters in one condition
MAX_CONJUNCTIONS = 64  # after multiplying out parentheses
MAX_NESTING = 16  # levels of parentheses

_KEYWORDS = frozenset({"and", "or", "not", "in"})
_SYMBOLS = ("==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ",")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)*")
_VALUE_HINT = "write a number like 10.000 or text in quotes like 'Cultuur'"
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "name", "number", "text", "symbol" or "end"
    text: str  # as written (for text: without the quotes)
    column: int  # 1-based

    def is_symbol(self, symbol: str) -> bool:
        return self.kind == "symbol" and self.text == symbol

    @property
    def keyword(self) -> str:
        return self.text.lower() if self.kind == "name" and self.text.lower() in _KEYWORDS else ""


def parse_condition(text: str) -> Condition:
    """Parse a condition; raises :class:`ConditionError` with the column of the problem."""
    source = text.strip()
    if not source:
        raise ConditionError(text, 1, "the condition is empty", "e.g. bedrag >= 10000")
    if len(source) > MAX_LENGTH:
        raise ConditionError(text, MAX_LENGTH + 1, f"longer than {MAX_LENGTH} characters")
    return Condition(source=source, clauses=_Parser(text).parse())


def referenced_fields(condition: Condition) -> set[str]:
    """The names of the fields a condition reads."""
    return {name for conjunction in condition.clauses for name, _, _ in conjunction}


def evaluate(condition: Condition, fields: Mapping[str, object]) -> bool:
    """Whether the fields satisfy the condition.

    A number compares numerically (the field may hold an int, float, Decimal or numeric text;
    money is a number of euros); text compares by equality and ordering (a date field by its
    ISO form). A comparison on a missing or empty (None) field is False, whatever its operator.
    """
    return any(
        all(_holds(fields.get(name), op, literal) for name, op, literal in conjunction)
        for conjunction in condition.clauses
    )


def _holds(value: object, op: str, literal: Operand) -> bool:
    if value is None:
        return False
    if isinstance(literal, tuple):
        text = _as_text(value)
        return text is not None and (text in literal) == (op == "in")
    if isinstance(literal, float):
        number = _as_number(value)
        return number is not None and _compare(number, op, literal)
    text = _as_text(value)
    return text is not None and _compare(text, op, literal)


def _compare(left: _Scalar, op: str, right: _Scalar) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return number if number == number else None  # NaN compares as missing
    if isinstance(value, str):
        try:
            return float(parse_dutch(value))
        except ValueError:
            return None  # not a number, or one that reads two ways
    return None


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return None


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        column = pos + 1
        if char.isspace():
            pos += 1
        elif char in "'\"":
            end = text.find(char, pos + 1)
            if end < 0:
                raise ConditionError(
                    text, column, "text without a closing quote", f"end the text with {char}"
                )
            tokens.append(_Token("text", text[pos + 1 : end], column))
            pos = end + 1
        elif number := _NUMBER.match(text, pos):
            end = number.end()
            if end < len(text) and (text[end].isalnum() or text[end] in "_."):
                raise ConditionError(
                    text,
                    column,
                    f"malformed number starting '{number.group()}{text[end]}'",
                    "write numbers the Dutch way, e.g. 10000, 10.000 or 2500,50",
                )
            tokens.append(_Token("number", _number_text(text, number.group(), column), column))
            pos = end
        elif name := _NAME.match(text, pos):
            tokens.append(_Token("name", name.group(), column))
            pos = name.end()
        else:
            symbol = next((s for s in _SYMBOLS if text.startswith(s, pos)), None)
            if symbol is None:
                hint = (
                    "use == to compare" if char == "=" else f"operators are {', '.join(OPERATORS)}"
                )
                raise ConditionError(text, column, f"unexpected character '{char}'", hint)
            tokens.append(_Token("symbol", symbol, column))
            pos += len(symbol)
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


def _number_text(text: str, number: str, column: int) -> str:
    """A number as written, checked: one that reads two ways or is not Dutch is refused."""
    try:
        parse_dutch(number)
    except AmbiguousNumber as ambiguous:
        first, second = (format_dutch(r) for r in ambiguous.readings)
        raise ConditionError(
            text, column, f"the number '{number}' can be read as {first} or as {second}",
            f"write {second} for thousands (a dot groups them) or {first} with a decimal comma",
        ) from None
    except NotDutchNumber as english:
        raise ConditionError(text, column, f"the number '{number}' is written the English way",
                             f"write {english.dutch}") from None
    except ValueError:
        raise ConditionError(text, column, f"malformed number '{number}'",
                             "write numbers the Dutch way, e.g. 10000, 10.000 or 2500,50") from None
    return number


class _Parser:
    def __init__(self, text: str) -> None:
        self._text = text
        self._tokens = _tokenize(text)
        self._pos = 0
        self._depth = 0

    def parse(self) -> _Dnf:
        result = self._disjunction()
        token = self._peek()
        if token.kind != "end":
            hint = "combine comparisons with 'and' or 'or'"
            if token.is_symbol(","):
                hint = "lists go in brackets: ['a', 'b']; a number takes no spaces: 2500,50"
            elif token.is_symbol(")"):
                hint = "remove it, or add the matching '('"
            raise self._error(token, f"unexpected {self._describe(token)}", hint)
        return result

    def _peek(self) -> _Token:
        return self._tokens[self._pos]

    def _next(self) -> _Token:
        token = self._tokens[self._pos]
        if token.kind != "end":
            self._pos += 1
        return token

    def _error(self, token: _Token, problem: str, hint: str = "") -> ConditionError:
        return ConditionError(self._text, token.column, problem, hint)

    @staticmethod
    def _describe(token: _Token) -> str:
        if token.kind == "end":
            return "end of the condition"
        if token.kind == "text":
            return f"text '{token.text}'"
        return f"'{token.text}'"

    def _disjunction(self) -> _Dnf:
        result = self._conjunction()
        while self._peek().keyword == "or":
            self._next()
            result = result + self._conjunction()
            self._check_size(result)
        return result

    def _conjunction(self) -> _Dnf:
        result = self._term()
        while self._peek().keyword == "and":
            self._next()
            right = self._term()
            result = tuple(left + more for left in result for more in right)
            self._check_size(result)
        return result

    def _check_size(self, result: _Dnf) -> None:
        if len(result) > MAX_CONJUNCTIONS:
            raise self._error(
                self._peek(),
                f"too complex: more than {MAX_CONJUNCTIONS} alternatives",
                "split the stage, or simplify the parentheses",
            )

    def _term(self) -> _Dnf:
        token = self._peek()
        if not token.is_symbol("("):
            return ((self._comparison(),),)
        if self._depth >= MAX_NESTING:
            raise self._error(token, f"more than {MAX_NESTING} levels of parentheses")
        self._next()
        self._depth += 1
        inner = self._disjunction()
        self._depth -= 1
        closing = self._next()
        if not closing.is_symbol(")"):
            raise self._error(
                closing,
                f"expected ')', got {self._describe(closing)}",
                f"close the '(' at column {token.column}",
            )
        return inner

    def _comparison(self) -> Comparison:
        token = self._next()
        if token.kind != "name" or token.keyword:
            raise self._error(
                token,
                f"expected a field name, got {self._describe(token)}",
                "a comparison starts with a field name, e.g. bedrag >= 10000",
            )
        op = self._operator(token)
        return (token.text, op, self._operand(op))

    def _operator(self, field: _Token) -> str:
        token = self._next()
        if token.keyword == "not":
            follow = self._next()
            if follow.keyword != "in":
                raise self._error(
                    follow, f"expected 'in' after 'not', got {self._describe(follow)}"
                )
            return "not in"
        if token.keyword == "in" or (token.kind == "symbol" and token.text in _COMPARISONS):
            return token.text.lower()
        raise self._error(
            token,
            f"expected an operator after '{field.text}', got {self._describe(token)}",
            f"operators are {', '.join(OPERATORS)}",
        )

    def _operand(self, op: str) -> Operand:
        token = self._next()
        if op in ("in", "not in"):
            if not token.is_symbol("["):
                raise self._error(
                    token,
                    f"'{op}' needs a list, got {self._describe(token)}",
                    "e.g. regeling in ['Sport', 'Cultuur']",
                )
            return self._list(token)
        if token.kind == "number":
            return float(parse_dutch(token.text))
        if token.kind == "text":
            return token.text
        if token.is_symbol("["):
            raise self._error(token, f"a list can only follow 'in' or 'not in', not '{op}'")
        if token.kind == "name":
            raise self._error(
                token,
                f"expected a value after '{op}', got the word '{token.text}'",
                f"put text in quotes: '{token.text}'",
            )
        raise self._error(
            token, f"expected a value after '{op}', got {self._describe(token)}", _VALUE_HINT
        )

    def _list(self, opening: _Token) -> tuple[str, ...]:
        items: list[str] = []
        while True:
            token = self._next()
            if token.is_symbol("]"):
                break
            if token.kind != "text":
                raise self._error(
                    token,
                    f"expected text in quotes in the list, got {self._describe(token)}",
                    "list items are text in quotes: ['a', 'b']",
                )
            items.append(token.text)
            separator = self._next()
            if separator.is_symbol("]"):
                break
            if not separator.is_symbol(","):
                raise self._error(
                    separator,
                    f"expected ',' or ']' in the list, got {self._describe(separator)}",
                    f"close the '[' at column {opening.column} with ']'",
                )
        if not items:
            raise self._error(opening, "the list is empty", "name at least one value")
        return tuple(items)
