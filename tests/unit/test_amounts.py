"""Dutch numbers and amounts: one parser for every channel, and what it refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals.amounts import (
    AmbiguousNumber,
    NotANumber,
    NotDutchNumber,
    format_dutch,
    parse_dutch,
)
from approvals.errors import AmbiguousValue, ConditionError, InvalidInput
from approvals.fields import normalize_fields
from approvals.flows.conditions import evaluate, parse_condition
from approvals.flows.definition import (
    FieldDef,
    FieldType,
    FlowDefinition,
    StageDef,
    StageKind,
    Step,
)
from approvals.skips import skip_reason

WHOLE = st.integers(min_value=0, max_value=10**12)
CENTS = st.integers(min_value=-(10**14), max_value=10**14).map(lambda c: Decimal(c) / 100)


@pytest.mark.parametrize(("text", "value"), [
    ("25000", 25000), ("25.000", 25000), ("25.000,00", 25000), ("25.000,50", Decimal("25000.5")),
    ("€ 25.000", 25000), ("€25.000", 25000), ("EUR 25.000", 25000), ("25.000 euro", 25000),
    ("25 000", 25000), ("25\u00a0000", 25000), ("25,5", Decimal("25.5")), ("0,50", Decimal("0.5")),
    ("1.234.567", 1234567), ("1.234.567,89", Decimal("1234567.89")), ("€ 25,-", 25),
    ("-25,5", Decimal("-25.5")), ("€ -1.250", -1250), ("-€ 1.250", -1250), ("+7", 7),
    ("1.5", Decimal("1.5")), ("2500.50", Decimal("2500.5")), ("0.500", Decimal("0.5")),
    ("0,500", Decimal("0.5")), ("1234,567", Decimal("1234.567")), ("  12 ", 12),
])
def test_numbers_are_read_the_dutch_way(text: str, value: int | Decimal) -> None:
    assert parse_dutch(text) == value


@pytest.mark.parametrize(("text", "readings"), [
    ("25,000", (Decimal("25"), Decimal("25000"))),
    ("1,234", (Decimal("1.234"), Decimal("1234"))),
    ("€ 999,999", (Decimal("999.999"), Decimal("999999"))),
])
def test_a_number_with_two_readings_is_refused_with_both(text: str,
                                                         readings: tuple[Decimal, ...]) -> None:
    with pytest.raises(AmbiguousNumber) as caught:
        parse_dutch(text)
    assert caught.value.readings == readings


@pytest.mark.parametrize(("text", "dutch"), [
    ("1,234,567", "1.234.567"), ("25,000.50", "25.000,5"), ("1,000.5", "1.000,5"),
])
def test_english_grouping_is_refused_with_the_dutch_spelling(text: str, dutch: str) -> None:
    with pytest.raises(NotDutchNumber) as caught:
        parse_dutch(text)
    assert caught.value.dutch == dutch


@pytest.mark.parametrize("text", [
    "", "€", "veel", "1.234,5.6", "1..5", "12ab", "1.2.3", "1,2,3", ",5", "5,", "1e5", "NaN",
    "25 00", "1.23.456", "--5", "1" * 100,
])
def test_what_is_no_number_is_refused(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_dutch(text)


@given(CENTS)
def test_every_dutch_amount_reads_back_as_itself(value: Decimal) -> None:
    written = format_dutch(value, 2)
    assert parse_dutch(written) == value
    assert parse_dutch(f"€ {written}") == value
    assert parse_dutch(written.replace(".", " ")) == value  # spaces group thousands too


@given(WHOLE)
def test_every_whole_number_reads_back_grouped_or_plain(value: int) -> None:
    assert parse_dutch(format_dutch(value)) == value
    assert parse_dutch(str(value)) == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_one_comma_before_three_digits_always_has_two_readings(head: int, tail: int) -> None:
    text = f"{head},{tail:03d}"
    with pytest.raises(AmbiguousNumber) as caught:
        parse_dutch(text)
    assert set(caught.value.readings) == {Decimal(f"{head}.{tail:03d}"),
                                          Decimal(head * 1000 + tail)}


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_one_dot_before_three_digits_is_thousands(head: int, tail: int) -> None:
    assert parse_dutch(f"{head}.{tail:03d}") == head * 1000 + tail


# --- fields: every channel goes through normalize_fields ----------------------------------


def _flow() -> FlowDefinition:
    stage = StageDef("advies", StageKind.ADVISE, "Advies", ())
    return FlowDefinition("f", 1, "F", (Step("advies", (stage,)),), fields=(
        FieldDef("bedrag", FieldType.MONEY, "Bedrag"), FieldDef("aantal", FieldType.NUMBER,
                                                                "Aantal")))


@pytest.mark.parametrize(("text", "value"), [
    ("25.000", 25000), ("€ 25.000", 25000), ("25.000,50", 25000.5), ("25 000", 25000),
    ("25000", 25000), ("25,5", 25.5),
])
def test_a_money_field_stores_what_a_dutch_reader_means(text: str, value: float) -> None:
    assert normalize_fields(_flow(), {"bedrag": text}) == {"bedrag": value}


def test_an_ambiguous_field_value_is_refused_naming_both_readings() -> None:
    with pytest.raises(AmbiguousValue) as caught:
        normalize_fields(_flow(), {"bedrag": "25,000"})
    assert caught.value.field == "bedrag"
    assert caught.value.readings == (Decimal(25), Decimal(25000))
    assert "25,00" in caught.value.message and "25.000,00" in caught.value.message


def test_an_english_field_value_is_refused_with_the_dutch_spelling() -> None:
    with pytest.raises(InvalidInput, match=r"write 1\.234\.567"):
        normalize_fields(_flow(), {"aantal": "1,234,567"})


def test_money_takes_at_most_two_decimals() -> None:
    with pytest.raises(InvalidInput, match="bedrag"):
        normalize_fields(_flow(), {"bedrag": "1234,567"})


# --- conditions read their numbers the same way ----------------------------------------------


@pytest.mark.parametrize(("condition", "limit"), [
    ("bedrag >= 10000", 10000.0), ("bedrag >= 10.000", 10000.0),
    ("bedrag >= 2500,50", 2500.5), ("bedrag >= 2500.50", 2500.5),
])
def test_a_condition_reads_its_number_the_dutch_way(condition: str, limit: float) -> None:
    parsed = parse_condition(condition)
    assert parsed.clauses[0][0][2] == limit
    assert evaluate(parsed, {"bedrag": 25000}) is (limit <= 25000)


def test_a_condition_with_an_ambiguous_number_is_refused_with_both_readings() -> None:
    with pytest.raises(ConditionError, match=r"can be read as 10 or as 10\.000"):
        parse_condition("bedrag >= 10,000")


def test_numeric_text_is_compared_as_a_dutch_number() -> None:
    assert evaluate(parse_condition("bedrag >= 10000"), {"bedrag": "25.000"})


# --- a skipped stage says which value it tested -------------------------------------------


def test_a_skip_names_the_value_and_the_comparison_that_held() -> None:
    reason = skip_reason({"stage": "financieel_advies", "condition": "bedrag >= 10000",
                          "tested": {"bedrag": 8000}})
    assert reason is not None
    assert (reason.field, reason.relation, reason.limit, reason.value) == (
        "bedrag", "<", 10000.0, 8000)


def test_a_skip_recorded_before_values_were_kept_takes_them_from_the_fields() -> None:
    reason = skip_reason({"stage": "x", "condition": "bedrag > 5 and soort == 'a'"},
                         {"bedrag": 3, "soort": "b"})
    assert reason is not None and reason.field == ""
    assert reason.tested == {"bedrag": 3, "soort": "b"}
