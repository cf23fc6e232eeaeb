"""Text formatting per language: numbers, money, dates, times, and safe, bounded user text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from approvals.flows.definition import FieldDef, FieldType
from approvals.signatures import provider_title
from approvals.text import strip_unsafe
from cards.strings import Strings

ELLIPSIS = "…"
DEFAULT_ZONE = "Europe/Amsterdam"
"""The tenant's time zone unless the settings name another (PARAAF_TIMEZONE)."""


def truncate(text: str, limit: int) -> str:
    """The text, cut to at most ``limit`` characters with an ellipsis when it was longer."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def user_text(text: object, limit: int) -> str:
    """Text someone typed, made safe for a markdown TextBlock and cut to ``limit``.

    Control and bidi characters go (line breaks stay), and markdown link syntax is broken up
    (``[a](b)`` becomes ``[a] (b)``) so user text can never render as a clickable link in an
    official card. ``<at>`` stays text: a card mentions nobody (it has no mention entities).
    """
    cleaned = strip_unsafe(text).replace("](", "] (")
    return truncate(cleaned, limit)


def _group(digits: str, sep: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sep.join(parts)


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_number(value: object, s: Strings, places: int | None = None) -> str:
    """A number with the language's separators: 12.500,5 (nl) or 12,500.5 (en)."""
    number = _decimal(value)
    if number is None:
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    sign = "-" if number < 0 else ""
    grouped = _group(whole, s.thousands_sep)
    return sign + grouped + (s.decimal_sep + fraction if fraction else "")


def format_money(value: object, s: Strings) -> str:
    """An amount in euros: € 12.500,00 / € -12,50 (nl) or €12,500.00 / -€12.50 (en)."""
    if _decimal(value) is None:
        return str(value)
    text = format_number(value, s, places=2)
    if text.startswith("-"):
        return s.money_negative.format(amount=text[1:])
    return s.money.format(amount=text)


def _as_date(value: date | str) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def format_date(value: date | str, s: Strings) -> str:
    """A date in words: 27 november 2026 (nl) or 27 November 2026 (en)."""
    day = _as_date(value)
    if day is None:
        return str(value)
    return s.date_long.format(day=day.day, month=s.months[day.month - 1], year=day.year)


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def dutch_time(moment: datetime) -> datetime:
    """A UTC moment as Dutch wall-clock time (CET, or CEST between the EU switch dates)."""
    moment = moment.astimezone(UTC).replace(tzinfo=None)
    year = moment.year
    summer_start = datetime.combine(_last_sunday(year, 3), datetime.min.time()).replace(hour=1)
    summer_end = datetime.combine(_last_sunday(year, 10), datetime.min.time()).replace(hour=1)
    offset = 2 if summer_start <= moment < summer_end else 1
    return moment + timedelta(hours=offset)


def local_time(moment: datetime, zone: str = DEFAULT_ZONE) -> tuple[datetime, str]:
    """A moment as wall-clock time in the zone, with the zone's abbreviation (CET, CEST).

    Without a time zone database, Europe/Amsterdam follows the EU rules by hand and any
    other zone is shown in UTC (and says so)."""
    try:
        local = moment.astimezone(ZoneInfo(zone))
        return local, local.tzname() or zone
    except (ZoneInfoNotFoundError, ValueError):
        if zone == DEFAULT_ZONE:
            wall = dutch_time(moment)
            summer = wall - moment.astimezone(UTC).replace(tzinfo=None) == timedelta(hours=2)
            return wall, "CEST" if summer else "CET"
        return moment.astimezone(UTC), "UTC"


def format_timestamp(value: str, s: Strings, zone: str = DEFAULT_ZONE) -> str:
    """An event time (ISO 8601 UTC) in the tenant's zone, with the zone:
    23 nov. 2026 11:00 (CET)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local, name = local_time(moment, zone)
    return s.date_time.format(
        day=local.day, month=s.months_short[local.month - 1], year=local.year,
        time=f"{local.hour:02d}:{local.minute:02d}", zone=name,
    )


def format_field(field: FieldDef | None, value: object, s: Strings, limit: int) -> str:
    """A dossier field's value as the card shows it."""
    if field is not None and field.type is FieldType.MONEY:
        return format_money(value, s)
    if field is not None and field.type is FieldType.NUMBER:
        return format_number(value, s)
    if field is not None and field.type is FieldType.DATE:
        return format_date(str(value), s)
    if isinstance(value, bool):
        return s.yes if value else s.no
    if isinstance(value, list | tuple):
        return user_text(", ".join(str(v) for v in value), limit)
    return user_text(value, limit)


def capitalize(text: str) -> str:
    """The text with its first letter upper case (for sentences that start with a field)."""
    return text[:1].upper() + text[1:]



def provider_name(detail: Mapping[str, Any]) -> str:
    """A signing provider as people know it ("ValidSign")."""
    return provider_title(str(detail.get("provider", "")))
