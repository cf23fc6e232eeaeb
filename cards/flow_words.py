"""Flow problems as a beheerder reads them, in the command line's language.

A :class:`approvals.errors.FlowIssue` carries a ``code``, a ``hint_code`` and typed
``params``; the text is the language's template for each, filled the same way the domain
fills its English (:func:`approvals.errors.fill_flow`). The validator's line shape stays
``source:line: path: message (hint)``.
"""

from __future__ import annotations

from approvals.errors import FlowIssue, FlowValidationError, Param, fill_flow
from cards.strings import CliStrings, Strings, cli_strings, strings

_VERBS = ("four_eyes_off",)
"""Problems whose ``{kind}`` is said as the action (besluiten, ondertekenen)."""


def issue_texts(issue: FlowIssue, lang: str | None) -> tuple[str, str]:
    """The issue's message and hint in ``lang`` ('nl' or 'en')."""
    return texts_in(issue, cli_strings(lang), strings(lang))


def texts_in(issue: FlowIssue, c: CliStrings, s: Strings) -> tuple[str, str]:
    """The issue's message and hint in the words of ``c`` and ``s``; the English of the
    domain for a code the language has no template for."""
    params: dict[str, Param] = dict(issue.params)
    if issue.code in _VERBS and "kind" in params:
        params["kind"] = s.refusal_words.get(str(params["kind"]), str(params["kind"]))
    template = c.flow_words.get(issue.code)
    message = fill_flow(template, params, c.flow_values) if template else issue.message
    hint = ""
    if issue.hint_code:
        hint_template = c.flow_hints.get(issue.hint_code)
        hint = fill_flow(hint_template, params, c.flow_values) if hint_template else issue.hint
    return message, hint


def issue_line(issue: FlowIssue, source: str, lang: str | None) -> str:
    """``source:line: path: message (hint)`` in ``lang``."""
    message, hint = issue_texts(issue, lang)
    return issue.format(source, message, hint)


def flow_error_text(error: FlowValidationError, lang: str | None) -> str:
    """Every problem of a flow that cannot be used, one line each, in ``lang``."""
    return "\n".join(issue_line(issue, error.source, lang) for issue in error.issues)


def issue_json(issue: FlowIssue) -> dict[str, object]:
    """An issue for ``--json``: where, the codes, the English message and hint, the params."""
    return {"path": issue.path, "line": issue.line, "code": issue.code,
            "message": issue.message, "hint_code": issue.hint_code, "hint": issue.hint,
            "params": dict(issue.params)}
