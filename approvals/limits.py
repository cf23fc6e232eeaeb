"""Input limits, checked before anything is decided (oversized input changes nothing)."""

from __future__ import annotations

from approvals.errors import InvalidInput
from approvals.text import multi_line

MAX_TITLE = 200
MAX_REASON = 2000
MAX_TEXT = 4000
MAX_FIELD_TEXT = 10_000


def limit_text(value: str, limit: int, what: str) -> str:
    """The text itself, or InvalidInput when it is not text or longer than ``limit``."""
    if not isinstance(value, str):
        raise InvalidInput(f"The {what} must be text.")
    if len(value) > limit:
        raise InvalidInput(f"The {what} is too long: {len(value)} characters, at most {limit}.")
    return value


def require_reason(reason: str) -> str:
    """A stripped, non-empty reason of at most MAX_REASON characters, with no control or
    bidi characters (line breaks allowed)."""
    text = multi_line(limit_text(reason, MAX_REASON, "reason"), "reason")
    if not text:
        raise InvalidInput("A reason is required.")
    return text
