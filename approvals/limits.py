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
        raise InvalidInput(refusal="text_not_text", what=what)
    if len(value) > limit:
        raise InvalidInput(refusal="text_too_long", what=what, length=len(value), limit=limit)
    return value


def require_reason(reason: str) -> str:
    """A stripped, non-empty reason of at most MAX_REASON characters, with no control or
    bidi characters (line breaks allowed)."""
    text = multi_line(limit_text(reason, MAX_REASON, "reason"), "reason")
    if not text:
        raise InvalidInput(refusal="reason_required")
    return text
