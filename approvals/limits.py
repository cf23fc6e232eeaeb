"""Input limits, checked before anything is decided (oversized input changes nothing)."""

from __future__ import annotations

from approvals.errors import InvalidInput

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
    """A stripped, non-empty reason of at most MAX_REASON characters."""
    text = limit_text(reason, MAX_REASON, "reason").strip()
    if not text:
        raise InvalidInput("A reason is required.")
    return text
