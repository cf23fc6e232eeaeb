"""Conditions on dossier fields (approvals.flows.conditions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from approvals.errors import DomainError
from approvals.flows.conditions import (
    MAX_CONJUNCTIONS,
    ConditionError,
    evaluate,
    parse_condition,
    referenced_fields,
)
from approvals.flows.definition import Condition


def holds(text: str, **fields: object) -> bool:
    return evaluate(parse_condition(text), fields)


# --- parsing --------------------------------------------------------------------------------


def test_simple_comparison_parses_to_one_clause() -> None:
    assert parse_condition("bedrag >= 10000") == Condition(
        "bedrag >= 10000", ((("bedrag", ">=", 10000.0),),)
    )


def test_source_is_kept_without_surrounding_space() -> None:
    assert parse_condition("  bedrag > 1 ").source == "bedrag > 1"


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
def test_every_comparison_operator_parses(op: str) -> None:
    assert parse_condition(f"bedrag {op} 5").clauses == ((("bedrag", op, 5.0),),)


def test_literals_are_numbers_texts_and_lists() -> None:
    condition = parse_condition(
        "a == 2500.50 and b == 'x y' and c == \"it's\" and d in ['p', \"q\"] and e == -3"
    )
    assert condition.clauses == (
        (
            ("a", "==", 2500.5),
            ("b", "==", "x y"),
            ("c", "==", "it's"),
            ("d", "in", ("p", "q")),
            ("e", "==", -3.0),
        ),
    )


def test_and_binds_tighter_than_or() -> None:
    condition = parse_condition("a == 1 or b == 2 and c == 3")
    assert condition.clauses == (
        (("a", "==", 1.0),),
        (("b", "==", 2.0), ("c", "==", 3.0)),
    )


def test_parentheses_are_multiplied_out() -> None:
    condition = parse_condition("(a == 1 or b == 2) and c not in ['x']")
    assert condition.clauses == (
        (("a", "==", 1.0), ("c", "not in", ("x",))),
        (("b", "==", 2.0), ("c", "not in", ("x",))),
    )


def test_keywords_are_case_insensitive() -> None:
    condition = parse_condition("a NOT IN ['x'] AND b In ['y'] Or c == 1")
    assert condition.clauses == (
        (("a", "not in", ("x",)), ("b", "in", ("y",))),
        (("c", "==", 1.0),),
    )


def test_referenced_fields_lists_every_field_once() -> None:
    condition = parse_condition("(a == 1 or b == 2) and a < 5")
    assert referenced_fields(condition) == {"a", "b"}


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("", 1, "the condition is empty"),
        ("   ", 1, "the condition is empty"),
        ("bedrag >= 10_000", 11, "malformed number starting '10_'"),
        ("bedrag >= 1e5", 11, "malformed number"),
        ("bedrag >= 10.", 11, "malformed number"),
        ("bedrag = 5", 8, "unexpected character '='"),
        ("bedrag ~ 5", 8, "unexpected character '~'"),
        ("bedrag >= 'a', 'b'", 14, "unexpected ','"),
        ("bedrag >= 10,000", 11, "the number '10,000' can be read as 10 or as 10.000"),
        ("regeling == Cultuur", 13, "expected a value after '==', got the word 'Cultuur'"),
        ("regeling in 'Cultuur'", 13, "'in' needs a list, got text 'Cultuur'"),
        ("regeling == ['a']", 13, "a list can only follow 'in' or 'not in', not '=='"),
        ("regeling in []", 13, "the list is empty"),
        ("regeling in ['a' 'b']", 18, "expected ',' or ']' in the list, got text 'b'"),
        ("regeling in ['a', 1]", 19, "expected text in quotes in the list, got '1'"),
        ("regeling in ['a',", 18, "expected text in quotes in the list, got end of the condition"),
        ("regeling == 'a", 13, "text without a closing quote"),
        ("bedrag >", 9, "expected a value after '>', got end of the condition"),
        ("bedrag > )", 10, "expected a value after '>', got ')'"),
        ("bedrag", 7, "expected an operator after 'bedrag', got end of the condition"),
        ("bedrag not == 5", 12, "expected 'in' after 'not', got '=='"),
        ("and == 1", 1, "expected a field name, got 'and'"),
        ("'a' == 1", 1, "expected a field name, got text 'a'"),
        ("a == 1 b == 2", 8, "unexpected 'b'"),
        ("(a == 1", 8, "expected ')', got end of the condition"),
        ("a == 1)", 7, "unexpected ')'"),
    ],
)
def test_syntax_errors_name_the_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    error = caught.value
    assert error.column == column
    assert fragment in error.problem
    assert str(error) == f"column {column}: {error.problem}"


def test_columns_count_from_the_text_as_given() -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition("  bedrag = 5")
    assert caught.value.column == 10


def test_condition_error_is_a_value_error_and_a_domain_error() -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition("bedrag = 5")
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, DomainError)
    assert caught.value.code == "condition_invalid"
    assert caught.value.hint == "use == to compare"


def test_hints_help_fix_the_common_mistakes() -> None:
    hints = {}
    for text in ("bedrag >= 10,000", "regeling == Cultuur", "a == 1)", "bedrag >= 10_000"):
        with pytest.raises(ConditionError) as caught:
            parse_condition(text)
        hints[text] = caught.value.hint
    assert hints["bedrag >= 10,000"] == (
        "write 10.000 for thousands (a dot groups them) or 10 with a decimal comma")
    assert hints["regeling == Cultuur"] == "put text in quotes: 'Cultuur'"
    assert "add the matching '('" in hints["a == 1)"]
    assert "the Dutch way" in hints["bedrag >= 10_000"]


def test_overly_long_conditions_are_rejected() -> None:
    with pytest.raises(ConditionError, match="longer than 1000 characters"):
        parse_condition("a == 1 or " * 100 + "a == 1")


def test_parentheses_that_multiply_too_far_are_rejected() -> None:
    part = "(a == 1 or b == 2)"
    with pytest.raises(ConditionError, match=f"more than {MAX_CONJUNCTIONS} alternatives"):
        parse_condition(" and ".join([part] * 7))


def test_many_plain_alternatives_are_rejected() -> None:
    with pytest.raises(ConditionError, match="alternatives"):
        parse_condition(" or ".join(["a == 1"] * (MAX_CONJUNCTIONS + 1)))


def test_deep_parentheses_are_rejected() -> None:
    with pytest.raises(ConditionError, match="levels of parentheses"):
        parse_condition("(" * 20 + "a == 1" + ")" * 20)


def test_no_python_is_evaluated() -> None:
    with pytest.raises(ConditionError):
        parse_condition("__import__('os').system('echo') == 1")


# --- evaluating -----------------------------------------------------------------------------


def test_numbers_compare_numerically() -> None:
    assert holds("bedrag >= 10000", bedrag=10000)
    assert holds("bedrag >= 10000", bedrag=12500.75)
    assert holds("bedrag >= 10000", bedrag=Decimal("10000.00"))
    assert holds("bedrag >= 10000", bedrag="10000.5")
    assert holds("bedrag >= 10000", bedrag=" 20000 ")
    assert not holds("bedrag >= 10000", bedrag=9999.99)
    assert holds("bedrag < 9", bedrag=10) is False
    assert holds("bedrag != 5", bedrag=6)
    assert holds("bedrag == 5", bedrag=5.0)
    assert holds("bedrag <= 5", bedrag=-1)
    assert holds("bedrag > -5", bedrag=0)


def test_non_numbers_do_not_satisfy_a_numeric_comparison() -> None:
    assert not holds("bedrag >= 0", bedrag="tienduizend")
    assert not holds("bedrag >= 0", bedrag="25,000")  # reads two ways: not a number
    assert holds("bedrag >= 10000", bedrag="10.000,00")  # numeric text is read the Dutch way
    assert not holds("bedrag >= 0", bedrag=True)
    assert not holds("bedrag != 0", bedrag=float("nan"))
    assert not holds("bedrag != 0", bedrag=["1"])


def test_missing_or_empty_field_makes_any_comparison_false() -> None:
    for text in ("bedrag >= 0", "bedrag != 5", "regeling not in ['x']", "regeling != 'x'"):
        assert not holds(text)
        assert not holds(text, bedrag=None, regeling=None)


def test_text_compares_by_equality_and_order() -> None:
    assert holds("regeling == 'Cultuur'", regeling="Cultuur")
    assert not holds("regeling == 'Cultuur'", regeling="cultuur")
    assert holds("regeling != 'Cultuur'", regeling="Sport")
    assert holds("naam < 'M'", naam="Jansen")
    assert holds("naam >= 'M'", naam="Visser")
    assert not holds("regeling == '5'", regeling=5)


def test_dates_compare_by_their_iso_form() -> None:
    assert holds("ontvangen_op >= '2026-01-01'", ontvangen_op=date(2026, 3, 1))
    assert holds("ontvangen_op >= '2026-01-01'", ontvangen_op="2026-01-01")
    assert not holds("ontvangen_op > '2026-01-01'", ontvangen_op=date(2025, 12, 31))


def test_in_and_not_in_test_membership() -> None:
    assert holds("regeling in ['Sport', 'Cultuur']", regeling="Sport")
    assert not holds("regeling in ['Sport', 'Cultuur']", regeling="Welzijn")
    assert holds("regeling not in ['Sport', 'Cultuur']", regeling="Welzijn")
    assert not holds("regeling not in ['Sport']", regeling="Sport")
    assert not holds("regeling in ['5']", regeling=5)


def test_or_of_ands_is_evaluated() -> None:
    text = "bedrag >= 50000 or regeling == 'Evenementen' and bedrag > 0"
    assert holds(text, bedrag=60000, regeling="Sport")
    assert holds(text, bedrag=100, regeling="Evenementen")
    assert not holds(text, bedrag=0, regeling="Evenementen")
    assert not holds(text, bedrag=100, regeling="Sport")
