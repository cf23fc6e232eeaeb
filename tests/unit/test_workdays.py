"""Dutch working days for stage deadlines (approvals.workdays)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from approvals import workdays
from approvals.workdays import WorkingCalendar

NL = WorkingCalendar()


def test_koningsdag_2027_is_not_a_working_day() -> None:
    assert date(2027, 4, 27).weekday() == 1  # a Tuesday
    assert not NL.is_working_day(date(2027, 4, 27))
    assert NL.holiday_name(date(2027, 4, 27)) == "Koningsdag"


def test_koningsdag_moves_to_saturday_when_27_april_is_a_sunday() -> None:
    assert not NL.is_working_day(date(2025, 4, 26))
    assert NL.is_working_day(date(2025, 4, 28))


def test_bevrijdingsdag_is_a_holiday_in_lustrum_years_only() -> None:
    assert not NL.is_working_day(date(2025, 5, 5))
    assert NL.is_working_day(date(2026, 5, 5))


def test_weekends_are_not_working_days() -> None:
    assert NL.is_working_day(date(2026, 6, 5))  # Friday
    assert not NL.is_working_day(date(2026, 6, 6))
    assert not NL.is_working_day(date(2026, 6, 7))
    assert NL.is_working_day(date(2026, 6, 8))


def test_ordinary_weekday_is_a_working_day() -> None:
    assert NL.is_working_day(date(2026, 3, 11))
    assert NL.holiday_name(date(2026, 3, 11)) is None


def test_deadline_skips_the_weekend() -> None:
    assert NL.add_working_days(date(2026, 6, 4), 1) == date(2026, 6, 5)  # Thu -> Fri
    assert NL.add_working_days(date(2026, 6, 5), 1) == date(2026, 6, 8)  # Fri -> Mon
    assert NL.add_working_days(date(2026, 6, 6), 1) == date(2026, 6, 8)  # Sat -> Mon
    assert NL.add_working_days(date(2026, 6, 1), 5) == date(2026, 6, 8)  # Mon + 5 -> Mon


def test_deadline_across_easter() -> None:
    # Goede Vrijdag 26 March and Tweede Paasdag 29 March 2027.
    assert NL.add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert NL.add_working_days(date(2027, 3, 24), 5) == date(2027, 4, 2)


def test_deadline_across_christmas_and_new_year() -> None:
    # 25 and 26 December, a weekend, 1 January.
    assert NL.add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    assert NL.add_working_days(date(2025, 12, 24), 5) == date(2026, 1, 5)
    assert NL.working_days_between(date(2025, 12, 24), date(2026, 1, 5)) == 5


def test_deadline_across_koningsdag() -> None:
    assert NL.add_working_days(date(2027, 4, 26), 1) == date(2027, 4, 28)


def test_zero_days_is_the_start_itself() -> None:
    assert NL.add_working_days(date(2026, 6, 6), 0) == date(2026, 6, 6)


def test_negative_days_count_back() -> None:
    assert NL.add_working_days(date(2026, 6, 8), -1) == date(2026, 6, 5)
    assert NL.add_working_days(date(2027, 3, 30), -1) == date(2027, 3, 25)


def test_working_days_between_counts_after_the_first_up_to_the_last() -> None:
    assert NL.working_days_between(date(2026, 6, 1), date(2026, 6, 1)) == 0
    assert NL.working_days_between(date(2026, 6, 1), date(2026, 6, 2)) == 1
    assert NL.working_days_between(date(2026, 6, 5), date(2026, 6, 7)) == 0
    assert NL.working_days_between(date(2026, 6, 1), date(2026, 6, 15)) == 10


def test_working_days_between_is_negative_when_overdue() -> None:
    assert NL.working_days_between(date(2026, 6, 8), date(2026, 6, 5)) == -1
    assert NL.working_days_between(date(2026, 6, 6), date(2026, 6, 5)) == -1


def test_a_whole_year_has_the_expected_working_days() -> None:
    # 2026: 261 weekdays, minus 7 holidays on weekdays (Tweede Kerstdag is a Saturday and
    # Bevrijdingsdag is a holiday in lustrum years only).
    assert NL.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 254


def test_datetimes_count_as_their_date() -> None:
    assert not NL.is_working_day(datetime(2027, 4, 27, 9, 30))
    assert NL.add_working_days(datetime(2026, 6, 5, 17, 0), 1) == date(2026, 6, 8)
    assert NL.working_days_between(datetime(2026, 6, 1, 23, 0), date(2026, 6, 2)) == 1


def test_organisation_closing_days_are_not_working_days() -> None:
    calendar = WorkingCalendar(closed=[date(2026, 5, 15)])  # the Friday after Hemelvaart
    assert not calendar.is_working_day(date(2026, 5, 15))
    assert calendar.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)
    assert calendar.working_days_between(date(2026, 5, 13), date(2026, 5, 18)) == 1


def test_holidays_are_looked_up_once_per_year() -> None:
    calendar = WorkingCalendar()
    first = calendar.holidays_in(2026)
    assert calendar.holidays_in(2026) is first
    assert date(2026, 12, 25) in first


def test_holiday_names_can_be_english() -> None:
    calendar = WorkingCalendar(language="en_US")
    assert calendar.holiday_name(date(2027, 4, 27)) == "King's Day"


def test_module_functions_use_one_shared_calendar() -> None:
    assert workdays.default_calendar() is workdays.default_calendar()
    assert not workdays.is_working_day(date(2027, 4, 27))
    assert workdays.add_working_days(date(2027, 4, 26), 1) == date(2027, 4, 28)
    assert workdays.working_days_between(date(2027, 4, 26), date(2027, 4, 28)) == 1


days_around_now = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@given(start=days_around_now, days=st.integers(min_value=1, max_value=400))
def test_adding_working_days_lands_on_a_working_day_the_count_matches(
    start: date, days: int
) -> None:
    end = NL.add_working_days(start, days)
    assert end > start
    assert NL.is_working_day(end)
    assert NL.working_days_between(start, end) == days
    assert NL.working_days_between(start, end - timedelta(days=1)) == days - 1


@given(start=days_around_now, days=st.integers(min_value=-400, max_value=400))
def test_working_days_between_inverts_adding_in_both_directions(start: date, days: int) -> None:
    assert NL.working_days_between(start, NL.add_working_days(start, days)) == days


@given(first=days_around_now, last=days_around_now)
def test_counting_agrees_with_checking_day_by_day(first: date, last: date) -> None:
    low, high = min(first, last), max(first, last)
    high = min(high, low + timedelta(days=800))
    expected = sum(
        1 for n in range(1, (high - low).days + 1) if NL.is_working_day(low + timedelta(days=n))
    )
    assert NL.working_days_between(low, high) == expected
    assert NL.working_days_between(high, low) == -sum(
        1 for n in range((high - low).days) if NL.is_working_day(low + timedelta(days=n))
    )
