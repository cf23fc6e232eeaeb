"""The ``paraaf`` command line: argument parsing, exit codes and error reporting.

Exit codes:
  0  success
  1  ``audit verify`` found a broken chain; ``doctor`` found something wrong
  2  bad input or an action that is not allowed (nothing was written)
  3  the data or a backend could not be used (not initialised, unreachable, conflict)

At start-up only the standard library and the catalogue of words (cards.strings, for the
help in PARAAF_LANGUAGE) are imported, so ``paraaf --help`` stays fast; each command imports
what it needs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

from bot.cli import doctor as doctor_cli
from bot.cli import manifest as manifest_cli
from bot.cli import provision as provision_cli
from bot.cli import substitutes as substitute_cli
from bot.cli.constants import ACTIONS, EXIT_INPUT, EXIT_UNAVAILABLE, cli_texts, language

if TYPE_CHECKING:
    from approvals.errors import DomainError
    from cards.strings import CliStrings

STATUSES = {"lopend": "open", "afgerond": "completed", "afgewezen": "rejected",
            "ingetrokken": "withdrawn"}  # the Dutch words for --status, as the cards say them

ARGPARSE_MSGIDS: dict[str, str] = {
    # argparse's own messages (its gettext msgids) -> the catalogue's field
    "usage: ": "ap_usage",
    "%(prog)s: error: %(message)s\n": "ap_error",
    "argument %(argument_name)s: %(message)s": "ap_argument",
    "the following arguments are required: %s": "ap_required",
    "invalid choice: %(value)r (choose from %(choices)s)": "ap_invalid_choice",
    "invalid %(type)s value: %(value)r": "ap_invalid_value",
    "expected one argument": "ap_expected_one",
    "expected at most one argument": "ap_expected_at_most_one",
    "expected at least one argument": "ap_expected_at_least_one",
    "unrecognized arguments: %s": "ap_unrecognized",
    "ambiguous option: %(option)s could match %(matches)s": "ap_ambiguous",
    "ignored explicit argument %r": "ap_ignored_argument",
    "not allowed with argument %s": "ap_not_allowed_with",
    "one of the arguments %s is required": "ap_one_of_required",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "ap_unknown_parser",
    "positional arguments": "ap_positionals",
    "options": "ap_options",
    "show this help message and exit": "ap_help",
}
ARGPARSE_PLURALS: dict[tuple[str, str], str] = {
    ("expected %s argument", "expected %s arguments"): "ap_expected_n",
}


_SPEAKING: list[CliStrings] = []  # the words of the parsers being built, innermost last


@contextmanager
def speaking(texts: CliStrings) -> Iterator[None]:
    """argparse's own words (usage, error, options, required, invalid choice, ...) from the
    catalogue while the block runs.

    argparse looks each of its messages up at the moment it writes it, by calling its
    module's ``_`` (gettext) and ``ngettext`` with the English msgid (the msgids are stable
    across Python versions; checked on 3.11). The block puts a lookup in the catalogue in
    their place and restores them after, also when argparse exits on a usage error; a msgid
    the catalogue lacks stays English. This needs no .mo files, no process-wide locale or
    gettext domain and no copies of argparse's formatting code (which differ between
    versions), and it reaches every message, including those written while a parser and its
    groups are made (group titles, the help of -h): so parsers are built inside the block
    too. Should a later argparse stop looking its messages up this way, they stay English
    and tests/e2e/test_cli_language.py says so."""

    def gettext(msgid: str) -> str:
        field = ARGPARSE_MSGIDS.get(msgid)
        return str(getattr(texts, field)) if field else msgid

    def ngettext(one: str, other: str, count: int) -> str:
        field = ARGPARSE_PLURALS.get((one, other))
        forms = getattr(texts, field) if field else (one, other)
        return str(forms[0] if count == 1 else forms[1])

    module = vars(argparse)  # argparse's globals, where its messages look ``_`` up
    saved = module["_"], module["ngettext"]
    module["_"], module["ngettext"] = gettext, ngettext
    _SPEAKING.append(texts)
    try:
        yield
    finally:
        _SPEAKING.pop()
        module["_"], module["ngettext"] = saved


class _Parser(argparse.ArgumentParser):
    """A parser that speaks the command line's language (see :func:`speaking`): the one it
    was built in, for its help, its usage and its errors. Usage errors quote what was typed:
    shown inert (see approvals.text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.texts = _SPEAKING[-1] if _SPEAKING else cli_texts()
        with speaking(self.texts):
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with speaking(self.texts):
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with speaking(self.texts):
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with speaking(self.texts):
            return super().format_usage()

    def format_help(self) -> str:
        with speaking(self.texts):
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        from approvals.text import neutralize_lines

        with speaking(self.texts):
            super().error(neutralize_lines(message))


def _status(t: CliStrings) -> Any:
    """--status in either language (lopend or open, afgerond or completed, ...) as its code;
    another word is refused in ``t``'s words."""

    def status(value: str) -> str:
        word = value.strip().lower()
        code = STATUSES.get(word, word)
        if code not in STATUSES.values():
            raise argparse.ArgumentTypeError(t.err_status.format(value=value))
        return code

    return status


def _common(t: CliStrings) -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=t.h_json)
    common.add_argument("--data", metavar=t.mv_folder, default=argparse.SUPPRESS,
                        help=t.h_data)
    return common


def _flow_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                  common: argparse.ArgumentParser, t: CliStrings) -> None:
    flow = sub.add_parser("flow", help=t.h_flow, description=t.d_flow)
    fsub = flow.add_subparsers(dest="flow_command", required=True, metavar=t.mv_command)
    p = fsub.add_parser("validate", parents=[common], help=t.h_flow_validate)
    p.add_argument("file", metavar=t.mv_file, help=t.h_flow_file)
    fsub.add_parser("list", parents=[common], help=t.h_flow_list)
    p = fsub.add_parser("show", parents=[common], help=t.h_flow_show)
    p.add_argument("id", metavar=t.mv_flow, help=t.h_flow_id_example)
    p.add_argument("--version", type=int, metavar="N", help=t.h_flow_version)
    p = fsub.add_parser("publish", parents=[common], help=t.h_flow_publish)
    p.add_argument("file", metavar=t.mv_file, help=t.h_flow_file)
    p.add_argument("--as", dest="as_user", metavar=t.mv_user,
                   help=t.h_flow_publish_as.format(who=t.h_who))
    p = fsub.add_parser("export", parents=[common], help=t.h_flow_export)
    p.add_argument("id", metavar=t.mv_flow, help=t.h_flow_id)
    p.add_argument("--version", type=int, metavar="N", help=t.h_flow_version)
    p.add_argument("-o", "--output", metavar=t.mv_file, help=t.h_flow_output)
    p = fsub.add_parser("import", parents=[common], help=t.h_flow_import)
    p.add_argument("file", metavar=t.mv_file, help=t.h_flow_file)
    p = fsub.add_parser("withdraw", parents=[common], help=t.h_flow_withdraw)
    p.add_argument("id", metavar=t.mv_flow, help=t.h_flow_id)
    p.add_argument("--version", type=int, required=True, metavar="N",
                   help=t.h_flow_withdraw_version)
    p.add_argument("--as", dest="as_user", metavar=t.mv_user,
                   help=t.h_flow_withdraw_as.format(who=t.h_who))


def _dossier_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                     common: argparse.ArgumentParser, t: CliStrings) -> None:
    as_help = t.h_as.format(who=t.h_who)
    dossier = sub.add_parser("dossier", help=t.h_dossier)
    dsub = dossier.add_subparsers(dest="dossier_command", required=True, metavar=t.mv_command)
    p = dsub.add_parser("start", parents=[common], help=t.h_dossier_start)
    p.add_argument("--flow", required=True, metavar=t.mv_flow, help=t.h_start_flow)
    p.add_argument("--as", dest="as_user", metavar=t.mv_user, help=as_help)
    p.add_argument("--title", required=True, metavar=t.mv_text, help=t.h_start_title)
    p.add_argument("--field", action="append", default=[], metavar=t.mv_pair,
                   help=t.h_start_field)
    p = dsub.add_parser("act", parents=[common], help=t.h_dossier_act,
                        description=t.d_dossier_act.format(actions=", ".join(sorted(ACTIONS))))
    p.add_argument("id", metavar=t.mv_dossier, help=t.h_dossier_id_example)
    p.add_argument("--as", dest="as_user", metavar=t.mv_user, help=as_help)
    p.add_argument("--action", required=True, type=str.lower, choices=sorted(ACTIONS),
                   metavar=t.mv_action, help=t.h_act_action)
    p.add_argument("--reason", default="", metavar=t.mv_text, help=t.h_act_reason)
    p.add_argument("--text", default="", metavar=t.mv_text, help=t.h_act_text)
    p.add_argument("--advice", choices=["positief", "negatief", "neutraal"],
                   help=t.h_act_advice)
    p.add_argument("--to-stage", metavar=t.mv_stage, help=t.h_act_to_stage)
    p.add_argument("--stage", metavar=t.mv_stage, help=t.h_act_stage)
    p.add_argument("--to", metavar=t.mv_user, help=t.h_act_to)
    p.add_argument("--from", dest="from_user", metavar=t.mv_user, help=t.h_act_from)
    p.add_argument("--due", metavar=t.mv_due, help=t.h_act_due)
    p.add_argument("--on-behalf-of", metavar=t.mv_user, help=t.h_act_on_behalf_of)
    p = dsub.add_parser("attach", parents=[common], help=t.h_dossier_attach)
    p.add_argument("id", metavar=t.mv_dossier, help=t.h_dossier_id)
    p.add_argument("--as", dest="as_user", metavar=t.mv_user, help=as_help)
    p.add_argument("files", nargs="+", metavar=t.mv_file, help=t.h_attach_files)
    p = dsub.add_parser("show", parents=[common], help=t.h_dossier_show)
    p.add_argument("id", metavar=t.mv_dossier, help=t.h_dossier_id)
    p = dsub.add_parser("list", parents=[common], help=t.h_dossier_list)
    p.add_argument("--status", type=_status(t), metavar="STATUS", help=t.h_list_status)
    p.add_argument("--limit", type=int, default=50, metavar="N", help=t.h_list_limit)


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The full argument parser (``--help`` works on every level), in ``lang`` (default:
    PARAAF_LANGUAGE, Dutch unless it says ``en``): help, usage and argparse's own errors."""
    t = cli_texts(lang)
    with speaking(t):
        return _build(t)


def _build(t: CliStrings) -> argparse.ArgumentParser:
    common = _common(t)
    parser: argparse.ArgumentParser = _Parser(  # its sub-commands' parsers are _Parser too
        prog="paraaf", parents=[common], epilog=t.h_epilog, description=t.h_description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"paraaf {version()}",
                        help=t.ap_version)
    sub = parser.add_subparsers(dest="command", required=True, metavar=t.mv_command)
    p = sub.add_parser("demo", parents=[common], help=t.h_demo)
    # no default here: BooleanOptionalAction would add an English "(default: True)"
    p.add_argument("--samples", action=argparse.BooleanOptionalAction, help=t.h_samples)
    p.set_defaults(samples=True)
    _flow_parsers(sub, common, t)
    _dossier_parsers(sub, common, t)
    manifest_cli.add_parser(sub, common, t)
    p = sub.add_parser("tasks", parents=[common], help=t.h_tasks)
    p.add_argument("--user", required=True, metavar=t.mv_user,
                   help=t.h_tasks_user.format(who=t.h_who))
    audit = sub.add_parser("audit", help=t.h_audit)
    asub = audit.add_subparsers(dest="audit_command", required=True, metavar=t.mv_command)
    p = asub.add_parser("verify", parents=[common], help=t.h_audit_verify)
    p.add_argument("--dossier", metavar=t.mv_dossier, help=t.h_audit_dossier)
    p.add_argument("--anchor", metavar=t.mv_anchor, help=t.h_audit_kept)
    asub.add_parser("anchor", parents=[common], help=t.h_audit_anchor)
    p = sub.add_parser("decisions", parents=[common], help=t.h_decisions)
    zgw = p.add_mutually_exclusive_group()
    zgw.add_argument("--zgw", metavar=t.mv_file, help=t.h_decisions_zgw)
    zgw.add_argument("--register", action="store_true", help=t.h_decisions_register)
    sub.add_parser("tick", parents=[common], help=t.h_tick)
    p = sub.add_parser("serve", parents=[common], help=t.h_serve)
    p.add_argument("--playground", action="store_true", help=t.h_playground)
    provision_cli.add_parser(sub, common, t)
    doctor_cli.add_parser(sub, common, t)
    substitute_cli.add_parser(sub, common, t)
    return parser


def version() -> str:
    """The installed package's version (pyproject.toml; the top entry of CHANGELOG.md)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("paraaf")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _print_error(args: argparse.Namespace, code: str, message: str,
                 refused: DomainError | None = None) -> None:
    """The error as JSON (code, the English message, and a refusal's code and parameters)
    with --json, else ``message`` on stderr."""
    from approvals.text import escape_json, neutralize_lines  # messages quote what was typed

    if getattr(args, "json", False):
        error: dict[str, Any] = {"code": code, "message": message}
        if refused is not None and refused.refusal:
            error |= {"refusal": refused.refusal, "params": refused.params}
        issues = getattr(refused, "issues", None)  # a flow that cannot be used
        if issues is not None:
            from cards.flow_words import issue_json

            error["issues"] = [issue_json(issue) for issue in issues]
        print(escape_json(json.dumps({"error": error}, ensure_ascii=False)))
    else:
        print(f"paraaf: {neutralize_lines(message)}", file=sys.stderr)


def _refused(args: argparse.Namespace, exc: DomainError, hint: str = "") -> None:
    """A domain refusal: the English message with --json, else the text in PARAAF_LANGUAGE."""
    if getattr(args, "json", False):
        _print_error(args, exc.code, exc.message, exc)
        return
    from cards.refusals import refusal_text

    text = refusal_text(exc, language())
    _print_error(args, exc.code, f"{text} {hint}" if hint else text)


def _print_settings_error(args: argparse.Namespace, exc: Any) -> None:
    """A setting that cannot be used: with --json the English message, the setting's code
    and parameters, the variable and the fix; else the message and the fix in
    PARAAF_LANGUAGE (read on its own)."""
    if getattr(args, "json", False):
        from approvals.text import escape_json

        error = {"code": "settings", "message": str(exc), "setting": exc.code,
                 "params": exc.params, "variable": exc.setting, "fix": exc.fix("en")}
        print(escape_json(json.dumps({"error": error}, ensure_ascii=False)))
        return
    from bot.settings import language_of

    _print_error(args, "settings", exc.advice(language_of()))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns (and, as a console script, exits with) its exit code."""
    args = build_parser().parse_args(argv)
    from approvals.errors import ConcurrencyConflict, DomainError
    from bot.cli.commands import run

    run = manifest_cli.run if args.command == "manifest" else run
    run = provision_cli.run if args.command == "provision" else run
    run = doctor_cli.run if args.command == "doctor" else run
    run = substitute_cli.run if args.command in ("vervanger", "substitute") else run
    from bot.settings import SettingsError

    try:
        return asyncio.run(run(args))
    except ConcurrencyConflict as exc:
        _refused(args, exc, _words().c.err_try_again)
        return EXIT_UNAVAILABLE
    except DomainError as exc:
        _refused(args, exc)
        return EXIT_INPUT
    except SettingsError as exc:
        _print_settings_error(args, exc)
        return EXIT_UNAVAILABLE
    except OSError as exc:
        _print_error(args, "io", f"{exc.strerror or exc}: {exc.filename or ''}".strip(": "))
        return EXIT_UNAVAILABLE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from bot.backend_errors import is_backend_error

        if not is_backend_error(exc):
            raise
        _print_error(args, "backend_unavailable",
                     _words().c.err_backend.format(detail=str(exc)[:500]))
        return EXIT_UNAVAILABLE


def _words() -> Any:
    """The command line's words for an error message (Dutch when the settings cannot be
    read: that error is reported on its own)."""
    from bot.cli.output import words
    from bot.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError:
        return words()
    return words(settings.language, settings.timezone)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
