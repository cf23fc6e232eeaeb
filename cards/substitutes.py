"""Four-eyes refusals as a person reads them (see :mod:`cards.refusals`), and the card
about standing substitutes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from approvals.errors import FourEyesViolation
from approvals.substitutes import Absence
from cards.elements import Json, adaptive_card, banner, execute, header, text
from cards.format import format_date, user_text
from cards.refusals import refusal_text
from cards.strings import Strings, strings


def four_eyes_text(error: FourEyesViolation, lang: str,
                   stage_title: Callable[[str], str] = str) -> str:
    """Which rule refused, and who already holds the other part, in the user's language."""
    return refusal_text(error, lang, stage_title)


def absence_line(absence: Absence, s: Strings) -> str:
    """``J. Visser vervangt H. van Dijk van 1 december 2026 tot en met ...``."""
    line = s.substitute_set.format(
        substitute=user_text(absence.substitute.name, 200),
        person=user_text(absence.person.name, 200), start=format_date(absence.start, s),
        end=format_date(absence.end, s), reason=user_text(absence.reason, 500))
    if absence.set_by.oid != absence.person.oid:
        line += " " + s.substitute_set_by.format(name=user_text(absence.set_by.name, 200))
    return line


def substitute_card(absences: Sequence[Absence], lang: str, *, notice: str | None = None,
                    error: str | None = None) -> Json:
    """The periods in which someone stands in (or a notice, or what to fix)."""
    s = strings(lang)
    body: list[Json] = [header(s.substitute_title)]
    if error:
        body.append(banner(user_text(error, 1000), "attention"))
    elif notice:
        body.append(banner(user_text(notice, 1000), "accent"))
    body.extend(text(absence_line(a, s)) for a in absences)
    if not absences and not notice:
        body.append(text(s.substitute_none))
    body.append(text(s.substitute_usage, subtle=True, size="Small"))
    return adaptive_card(body, [execute(s.help_my_tasks, "my_tasks", {})], s=s)
