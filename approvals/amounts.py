"""Numbers and amounts of money as a Dutch reader writes them.

One parser for every channel (the start card, ``paraaf dossier start --field``, flow
conditions): ``.`` groups thousands and ``,`` is the decimal comma.

=====================  ==========  =============================================
written                read as     why
=====================  ==========  =============================================
``25000``              25000
``25.000``             25000       a dot followed by groups of three digits
``1.234.567``          1234567
``25 000``             25000       spaces (also non-breaking) group thousands
``25.000,50``          25000.5
``25,5`` / ``0,50``    25.5 / 0.5  the decimal comma
``€ 25.000``           25000       ``€`` or ``EUR`` before or after, ``,-`` after
``-25,5`` ``€ -25``    -25.5 / -25
``1.5`` ``2500.50``    1.5 / 2500.5  one dot not followed by exactly three digits has only
                                   one reading: a decimal point
=====================  ==========  =============================================

Refused, because a reader cannot tell which number is meant (:class:`AmbiguousNumber`
carries both readings): one comma followed by exactly three digits after one to three digits
(not starting with 0), such as ``1,234`` (1,234 or 1.234) and ``25,000`` (25 or 25.000).

Refused as not Dutch (:class:`NotDutchNumber`, with the Dutch way to write it): English
grouping such as ``1,234,567`` or ``25,000.50``. Anything else that is not a number
(``1.234,5.6``, ``1..5``, ``12ab``) is a plain :class:`NotANumber`.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = [
    "AmbiguousNumber",
    "NotANumber",
    "NotDutchNumber",
    "format_dutch",
    "parse_dutch",
    "plain",
]

MAX_LENGTH = 64  # characters of one number as written
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_CURRENCY = re.compile(r"^(?:€|eur\b|euro\b)\s*|\s*(?:€|eur|euro)$", re.IGNORECASE)
_WHOLE_EUROS = re.compile(r",[-–—]$")
_DIGITS = re.compile(r"[0-9]+")
# Thousands grouping: one to three digits, not starting with 0, then groups of three.
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:[.][0-9]{3})+")  # 1.234 / 25.000 / 1.234.567
_SPACED = re.compile(r"[1-9][0-9]{0,2}(?: [0-9]{3})+")  # 25 000
_COMMAS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")  # 1,234,567 (English grouping)


class NotANumber(ValueError):
    """Text that is not a number at all."""

    def __init__(self, text: str) -> None:
        super().__init__(f"'{text}' is not a number")
        self.text = text


class AmbiguousNumber(ValueError):
    """Text a reader can take for two different numbers; ``readings`` holds both."""

    def __init__(self, text: str, readings: tuple[Decimal, Decimal]) -> None:
        first, second = (format_dutch(r) for r in readings)
        super().__init__(f"'{text}' can be read as {first} or as {second}")
        self.text = text
        self.readings = readings


class NotDutchNumber(ValueError):
    """A number written the English way (``1,234,567``, ``25,000.50``); ``dutch`` is how to
    write it in Dutch."""

    def __init__(self, text: str, value: Decimal) -> None:
        self.dutch = format_dutch(value)
        super().__init__(f"'{text}' is written the English way: write {self.dutch}")
        self.text = text
        self.value = value


def _whole(part: str) -> str | None:
    """The digits of an integer part written with or without thousands separators."""
    if _DIGITS.fullmatch(part):
        return part
    if _GROUPED.fullmatch(part):
        return part.replace(".", "")
    if _SPACED.fullmatch(part):
        return part.replace(" ", "")
    return None


def _strip(text: str) -> tuple[str, bool]:
    """The bare number and whether it was negative: currency, sign and spaces removed."""
    body = _CURRENCY.sub("", text.translate(_SPACES).strip()).strip()
    negative = body[:1] in ("-", "−")
    if body[:1] in ("-", "−", "+"):  # "-25", "€ -25", "-€ 25"; a second sign is refused
        body = _CURRENCY.sub("", body[1:].strip()).strip()
    if _WHOLE_EUROS.search(body):
        body = body[:-2]
    return body, negative


def _unsigned(body: str, text: str) -> Decimal:
    dots, commas = body.count("."), body.count(",")
    if commas == 0 and dots <= 1 and not _GROUPED.fullmatch(body):
        whole, _, fraction = body.partition(".")
        digits = _whole(whole)
        if digits is None or (dots and not _DIGITS.fullmatch(fraction)):
            raise NotANumber(text)
        return Decimal(f"{digits}.{fraction}" if dots else digits)  # 2500.50: a decimal point
    if commas == 0:
        digits = _whole(body)
        if digits is None:
            raise NotANumber(text)
        return Decimal(digits)
    if commas == 1 and body.index(",") > body.rfind("."):
        whole, _, fraction = body.partition(",")
        digits = _whole(whole)
        if digits is None or not _DIGITS.fullmatch(fraction):
            raise _english(body, text)
        value = Decimal(f"{digits}.{fraction}")
        if dots == 0 and _COMMAS.fullmatch(body):  # 1,234: also English grouping
            raise AmbiguousNumber(text, (value, Decimal(whole + fraction)))
        return value
    raise _english(body, text)


def _english(body: str, text: str) -> ValueError:
    """NotDutchNumber when ``body`` is a well-formed English number, else NotANumber."""
    whole, dot, fraction = body.partition(".")
    if _COMMAS.fullmatch(whole) and (not dot or _DIGITS.fullmatch(fraction)):
        return NotDutchNumber(text, Decimal(whole.replace(",", "") + dot + fraction))
    return NotANumber(text)


def parse_dutch(text: str) -> Decimal:
    """The number a Dutch reader means by ``text`` (see the module docstring).

    Raises :class:`AmbiguousNumber`, :class:`NotDutchNumber` or :class:`NotANumber` (all
    ``ValueError``).
    """
    if len(text) > MAX_LENGTH:
        raise NotANumber(text[:MAX_LENGTH] + "…")
    body, negative = _strip(text)
    if not body or not body[0].isdigit() or not body[-1].isdigit():
        raise NotANumber(text)
    value = _unsigned(body, text)
    return -value if negative else value


def plain(value: Decimal) -> int | float:
    """A parsed number as stored in a dossier's fields: an int when whole, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def format_dutch(value: Decimal | int | float, places: int | None = None) -> str:
    """A number written the Dutch way: ``25.000``, ``25.000,5``, ``-1.234,50`` (``places``
    fixes the number of decimals)."""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if number < 0 else ""
    return sign + ".".join(groups) + ("," + fraction if fraction else "")
