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
from approvals.errors import ConditionError, Param
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
        raise ConditionError(text, 1, "empty", "condition_example")
    if len(source) > MAX_LENGTH:
        raise ConditionError(text, MAX_LENGTH + 1, "too_long", limit=MAX_LENGTH)
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
                raise ConditionError(text, column, "no_closing_quote", "end_quote", quote=char)
            tokens.append(_Token("text", text[pos + 1 : end], column))
            pos = end + 1
        elif number := _NUMBER.match(text, pos):
            end = number.end()
            if end < len(text) and (text[end].isalnum() or text[end] in "_."):
                raise ConditionError(text, column, "malformed_number_start", "dutch_numbers",
                                     start=f"{number.group()}{text[end]}")
            tokens.append(_Token("number", _number_text(text, number.group(), column), column))
            pos = end
        elif name := _NAME.match(text, pos):
            tokens.append(_Token("name", name.group(), column))
            pos = name.end()
        else:
            symbol = next((s for s in _SYMBOLS if text.startswith(s, pos)), None)
            if symbol is None:
                hint = "use_equals" if char == "=" else "operators"
                raise ConditionError(text, column, "unexpected_char", hint, char=char,
                                     operators=", ".join(OPERATORS))
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
        raise ConditionError(text, column, "ambiguous_number", "ambiguous_number",
                             number=number, first=first, second=second) from None
    except NotDutchNumber as english:
        raise ConditionError(text, column, "english_number", "write_dutch", number=number,
                             dutch=english.dutch) from None
    except ValueError:
        raise ConditionError(text, column, "malformed_number", "dutch_numbers",
                             number=number) from None
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
            hint = "combine"
            if token.is_symbol(","):
                hint = "lists_in_brackets"
            elif token.is_symbol(")"):
                hint = "remove_paren"
            raise self._error(token, "unexpected", hint, **self._describe(token))
        return result

    def _peek(self) -> _Token:
        return self._tokens[self._pos]

    def _next(self) -> _Token:
        token = self._tokens[self._pos]
        if token.kind != "end":
            self._pos += 1
        return token

    def _error(self, token: _Token, code: str, hint: str = "", **params: Param) -> ConditionError:
        return ConditionError(self._text, token.column, code, hint, **params)

    @staticmethod
    def _describe(token: _Token) -> dict[str, Param]:
        """The token as a problem names it: ``got`` its kind, ``raw`` its text."""
        if token.kind == "end":
            return {"got": "end", "raw": ""}
        return {"got": "quoted" if token.kind == "text" else "token", "raw": token.text}

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
            raise self._error(self._peek(), "too_complex", "simplify", limit=MAX_CONJUNCTIONS)

    def _term(self) -> _Dnf:
        token = self._peek()
        if not token.is_symbol("("):
            return ((self._comparison(),),)
        if self._depth >= MAX_NESTING:
            raise self._error(token, "too_nested", limit=MAX_NESTING)
        self._next()
        self._depth += 1
        inner = self._disjunction()
        self._depth -= 1
        closing = self._next()
        if not closing.is_symbol(")"):
            raise self._error(closing, "expected_close", "close_paren",
                              open_column=token.column, **self._describe(closing))
        return inner

    def _comparison(self) -> Comparison:
        token = self._next()
        if token.kind != "name" or token.keyword:
            raise self._error(token, "expected_field", "starts_with_field",
                              **self._describe(token))
        op = self._operator(token)
        return (token.text, op, self._operand(op))

    def _operator(self, field: _Token) -> str:
        token = self._next()
        if token.keyword == "not":
            follow = self._next()
            if follow.keyword != "in":
                raise self._error(follow, "expected_in", "", **self._describe(follow))
            return "not in"
        if token.keyword == "in" or (token.kind == "symbol" and token.text in _COMPARISONS):
            return token.text.lower()
        raise self._error(token, "expected_operator", "operators", field=field.text,
                          operators=", ".join(OPERATORS), **self._describe(token))

    def _operand(self, op: str) -> Operand:
        token = self._next()
        if op in ("in", "not in"):
            if not token.is_symbol("["):
                raise self._error(token, "needs_list", "list_example", op=op,
                                  **self._describe(token))
            return self._list(token)
        if token.kind == "number":
            return float(parse_dutch(token.text))
        if token.kind == "text":
            return token.text
        if token.is_symbol("["):
            raise self._error(token, "list_after_op", op=op)
        if token.kind == "name":
            raise self._error(token, "value_word", "quote_word", op=op, word=token.text)
        raise self._error(token, "expected_value", "value", op=op, **self._describe(token))

    def _list(self, opening: _Token) -> tuple[str, ...]:
        items: list[str] = []
        while True:
            token = self._next()
            if token.is_symbol("]"):
                break
            if token.kind != "text":
                raise self._error(token, "expected_list_text", "list_items",
                                  **self._describe(token))
            items.append(token.text)
            separator = self._next()
            if separator.is_symbol("]"):
                break
            if not separator.is_symbol(","):
                raise self._error(separator, "expected_separator", "close_bracket",
                                  open_column=opening.column, **self._describe(separator))
        if not items:
            raise self._error(opening, "list_empty", "name_value")
        return tuple(items)
