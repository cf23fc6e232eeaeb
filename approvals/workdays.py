"""Dutch working days, for stage deadlines (``deadline_days``).

A working day is Monday to Friday except the Dutch public holidays as the ``holidays``
package defines them (Nieuwjaarsdag, Goede Vrijdag, Pasen, Koningsdag, Bevrijdingsdag in
lustrum years, Hemelvaart, Pinksteren, Kerstmis). Holidays are looked up once per year and
kept; nothing is computed at import time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

__all__ = [
    "WorkingCalendar",
    "add_working_days",
    "default_calendar",
    "is_working_day",
    "working_days_between",
]

_SATURDAY = 5


def _day(value: date) -> date:
    """A datetime counts as its calendar date."""
    return value.date() if isinstance(value, datetime) else value


class WorkingCalendar:
    """Working days of one country (default: the Netherlands), holidays cached per year.

    ``closed`` adds organisation-specific closing days (e.g. a *collectieve vrije dag*);
    ``language`` is the language of the holiday names (Dutch unless asked otherwise).
    """

    def __init__(
        self, country: str = "NL", closed: Iterable[date] = (), language: str = "nl"
    ) -> None:
        self._country = country
        self._language = language
        self._closed = frozenset(_day(d) for d in closed)
        self._years: dict[int, dict[date, str]] = {}

    def holidays_in(self, year: int) -> dict[date, str]:
        """The public holidays of a year, date -> name."""
        known = self._years.get(year)
        if known is None:
            table = holidays.country_holidays(self._country, years=year, language=self._language)
            known = {day: str(name) for day, name in table.items()}
            self._years[year] = known
        return known

    def holiday_name(self, day: date) -> str | None:
        """The public holiday's name on this day, or None."""
        day = _day(day)
        return self.holidays_in(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday, not a public holiday and not a closing day."""
        day = _day(day)
        return (
            day.weekday() < _SATURDAY
            and day not in self._closed
            and day not in self.holidays_in(day.year)
        )

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (start itself is not counted).

        Negative ``days`` count back; 0 gives ``start``, working day or not.
        """
        day = _day(start)
        step = timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days after ``a`` up to and including ``b``.

        When ``b`` is before ``a`` the count is negative: minus the working days from ``b`` up
        to but not including ``a``. Either way ``working_days_between(d, add_working_days(d, n))``
        is ``n``.
        """
        first, last = _day(a), _day(b)
        if last < first:
            one = timedelta(days=1)
            return -self.working_days_between(last - one, first - one)
        weeks, extra = divmod((last - first).days, 7)
        count = weeks * 5
        for offset in range(1, extra + 1):
            if (first + timedelta(days=offset)).weekday() < _SATURDAY:
                count += 1
        for year in range(first.year, last.year + 1):
            days_off = self._closed.union(self.holidays_in(year))
            count -= sum(
                1
                for day in days_off
                if first < day <= last and day.year == year and day.weekday() < _SATURDAY
            )
        return count


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The shared Dutch calendar, created on first use."""
    return WorkingCalendar()


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a Dutch working day."""
    return default_calendar().is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` Dutch working days after ``start`` (start itself is not counted)."""
    return default_calendar().add_working_days(start, days)


def working_days_between(a: date, b: date) -> int:
    """The number of Dutch working days after ``a`` up to and including ``b``."""
    return default_calendar().working_days_between(a, b)
