"""The domain's refusals as a person reads them, in their language.

A refusal (:class:`approvals.errors.DomainError` with a ``refusal`` code) is rendered from
the language's template for that code, its parameters shown the way the language writes
them: a status or an action in words, a stage by its title, a day as a date, numbers (and
both readings of a number that reads two ways) with the language's separators. An error
without a refusal code carries a message a channel already wrote in the reader's language;
that message is shown as it is.

The text quotes what people typed as it was typed: a card shows it as user text
(:func:`cards.format.user_text`), the command line with every control character escaped.
"""

from __future__ import annotations

from collections.abc import Callable

from approvals.errors import (
    AmbiguousValue,
    ChainBroken,
    DomainError,
    FlowValidationError,
    FourEyesViolation,
    Param,
    audit_reason,
    fill,
)
from cards.flow_words import flow_error_text
from cards.format import format_date, format_money, format_number
from cards.strings import Strings, cli_strings, strings

_STAGES = ("stage", "held_stage", "target")
"""Parameters that name a stage by its id: shown by the stage's title."""
_STAGE_LISTS = {"return_target_invalid": ("options",), "several_stages": ("stages",)}
"""Parameters that list stage ids (``a, b``), per refusal: shown by the stages' titles."""
_DATES = ("start", "end")
"""Parameters that hold a day (YYYY-MM-DD): shown as the language writes a date."""


def _word(s: Strings, prefix: str, value: Param) -> str | None:
    word = getattr(s, f"{prefix}{value}", None)
    return word if isinstance(word, str) else None


def _localized(error: DomainError, s: Strings,
               stage_title: Callable[[str], str]) -> dict[str, Param]:
    params: dict[str, Param] = {
        key: format_number(value, s) if isinstance(value, int) else value  # 12.500 / 12,500
        for key, value in error.params.items()
    }
    for key in _DATES:
        if isinstance(params.get(key), str):
            params[key] = format_date(str(params[key]), s)
    for key in _STAGES:
        if isinstance(params.get(key), str):
            params[key] = stage_title(str(error.params[key]))
    for key in _STAGE_LISTS.get(error.refusal, ()):
        params[key] = ", ".join(stage_title(stage) for stage in str(error.params[key]).split(", "))
    status = params.get("status")
    if status is not None:
        dossier_status = _word(s, "status_", status)
        params["status"] = (dossier_status.lower() if dossier_status
                            else s.refusal_words.get(str(status), str(status)))
    for key in ("new_status", "action", "kind"):  # words of the language, not code names
        if key in params:
            params[key] = s.refusal_words.get(str(params[key]), str(params[key]))
    if isinstance(error, FourEyesViolation):
        params["part"] = _word(s, "part_", error.held_kind) or error.held_kind
    if isinstance(error, AmbiguousValue):
        params["first"], params["second"] = (
            format_money(r, s) if error.money else format_number(r, s) for r in error.readings)
    return params


def refusal_text(error: DomainError, lang: str | None,
                 stage_title: Callable[[str], str] = str) -> str:
    """What was refused and what to fix, in ``lang`` ('nl' or 'en', or a Teams locale);
    ``stage_title`` names a stage by its id (the id itself when not given)."""
    if isinstance(error, FlowValidationError):
        return flow_error_text(error, lang)
    if isinstance(error, ChainBroken):
        words = cli_strings(lang)
        reason = audit_reason(error.reason_code, error.params, words.audit_words)
        return words.chain_broken.format(dossier=error.dossier_id, seq=error.seq, reason=reason)
    s = strings(lang)
    template = s.refusals.get(error.refusal) if error.refusal else None
    if template is None:
        return error.message
    return fill(template, _localized(error, s, stage_title), s.refusal_subjects)
