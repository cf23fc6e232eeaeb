"""The ``paraaf`` command line: argument parsing, exit codes and error reporting.

Exit codes:
  0  success
  1  ``audit verify`` found a broken chain
  2  bad input or an action that is not allowed (nothing was written)
  3  the data or a backend could not be used (not initialised, unreachable, conflict)

Only the standard library is imported at start-up, so ``paraaf --help`` is fast; each
command imports what it needs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from bot import manifest_cli, provision_cli, substitute_cli

if TYPE_CHECKING:
    from approvals.errors import DomainError

EXIT_OK, EXIT_BROKEN, EXIT_INPUT, EXIT_UNAVAILABLE = 0, 1, 2, 3

ACTIONS = {
    # English code names and the Dutch verbs users know.
    "advise": "advise", "advies": "advise", "adviseren": "advise",
    "initial": "initial", "paraferen": "initial", "paraaf": "initial",
    "approve": "approve", "accorderen": "approve", "accord": "approve",
    "decide": "decide", "besluiten": "decide", "besluit": "decide",
    "sign": "sign", "ondertekenen": "sign",
    "acknowledge": "acknowledge", "kennisnemen": "acknowledge", "kennisname": "acknowledge",
    "return": "return", "terugsturen": "return",
    "reject": "reject", "afwijzen": "reject",
    "withdraw": "withdraw", "intrekken": "withdraw",
    "comment": "comment", "opmerking": "comment",
    "delegate": "delegate", "delegeren": "delegate",
    "reassign": "reassign", "herverdelen": "reassign",
    "due": "due", "termijn": "due",
}

WHO = "e-mail address, UPN or short name such as j.visser"
AS_HELP = (f"who acts ({WHO}); local mode only: with the Microsoft 365 backend you act as the "
           "person signed in with Entra ID")

EPILOG = """exit codes: 0 success, 1 audit chain broken, 2 bad input or not allowed (nothing
written), 3 data or backend unavailable.
environment: PARAAF_DATA selects the data folder (see the README for every PARAAF_* setting)."""


class _Parser(argparse.ArgumentParser):
    """Usage errors quote what was typed: show it inert (see approvals.text)."""

    def error(self, message: str) -> NoReturn:
        from approvals.text import neutralize_lines

        super().error(neutralize_lines(message))


def _common() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")
    common.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                        help="data folder (default: $PARAAF_DATA or the user data folder)")
    return common


def _flow_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                  common: argparse.ArgumentParser) -> None:
    flow = sub.add_parser("flow", help="validate, publish, share and inspect flows",
                          description="Flow definitions (processtromen): YAML files.")
    fsub = flow.add_subparsers(dest="flow_command", required=True, metavar="COMMAND")
    p = fsub.add_parser("validate", parents=[common], help="check a flow file")
    p.add_argument("file", help="the flow's YAML file")
    fsub.add_parser("list", parents=[common], help="every stored flow version")
    p = fsub.add_parser("show", parents=[common], help="one flow (latest published version)")
    p.add_argument("id", help="the flow's id, e.g. collegevoorstel")
    p.add_argument("--version", type=int, metavar="N", help="this version (default: latest)")
    p = fsub.add_parser("publish", parents=[common], help="validate, store and publish a file")
    p.add_argument("file", help="the flow's YAML file")
    p.add_argument("--as", dest="as_user", metavar="USER", help="the beheerder publishing it "
                   f"({WHO})")
    p = fsub.add_parser("export", parents=[common], help="write a flow to share it")
    p.add_argument("id", help="the flow's id")
    p.add_argument("--version", type=int, metavar="N", help="this version (default: latest)")
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    p = fsub.add_parser("import", parents=[common], help="store a shared flow as a concept")
    p.add_argument("file", help="the flow's YAML file")
    p = fsub.add_parser("withdraw", parents=[common], help="stop new dossiers on a version")
    p.add_argument("id", help="the flow's id")
    p.add_argument("--version", type=int, required=True, metavar="N",
                   help="the version to withdraw")
    p.add_argument("--as", dest="as_user", metavar="USER",
                   help=f"the beheerder withdrawing it ({WHO})")


def _dossier_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                     common: argparse.ArgumentParser) -> None:
    dossier = sub.add_parser("dossier", help="start, act on and inspect dossiers")
    dsub = dossier.add_subparsers(dest="dossier_command", required=True, metavar="COMMAND")
    p = dsub.add_parser("start", parents=[common], help="start a dossier on a published flow")
    p.add_argument("--flow", required=True, metavar="ID", help="the flow, e.g. collegevoorstel")
    p.add_argument("--as", dest="as_user", metavar="USER", help=AS_HELP)
    p.add_argument("--title", required=True, help="what the dossier is about")
    p.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                   help="a field of the flow's form; repeat for each field")
    p = dsub.add_parser(
        "act", parents=[common], help="act on a dossier",
        description="Actions: " + ", ".join(sorted(set(ACTIONS))),
    )
    p.add_argument("id", help="the dossier number, e.g. DEMO-1")
    p.add_argument("--as", dest="as_user", metavar="USER", help=AS_HELP)
    p.add_argument("--action", required=True, type=str.lower, choices=sorted(ACTIONS),
                   metavar="ACTION", help="what to do: advies, paraferen, accorderen, "
                   "besluiten, ondertekenen, kennisnemen, terugsturen, afwijzen, intrekken, "
                   "opmerking, delegeren, herverdelen, termijn (or the English verbs)")
    p.add_argument("--reason", default="", help="required to return, reject, withdraw, "
                   "delegate, reassign or move a due date")
    p.add_argument("--text", default="", help="a remark, toelichting or decision text")
    p.add_argument("--advice", choices=["positief", "negatief", "neutraal"],
                   help="the advice (required for advies)")
    p.add_argument("--to-stage", metavar="STAGE", help="where to return the dossier to")
    p.add_argument("--stage", metavar="STAGE", help="which stage (when you act in several)")
    p.add_argument("--to", metavar="USER", help="the substitute (delegeren, herverdelen)")
    p.add_argument("--from", dest="from_user", metavar="USER",
                   help="the assignee (herverdelen; leave out for a stage nobody is to act in)")
    p.add_argument("--due", metavar="YYYY-MM-DD", help="the new due date (termijn)")
    p.add_argument("--on-behalf-of", metavar="USER", help="whose task you do as substitute")
    p = dsub.add_parser("attach", parents=[common], help="add documents to a dossier")
    p.add_argument("id", help="the dossier number")
    p.add_argument("--as", dest="as_user", metavar="USER", help=AS_HELP)
    p.add_argument("files", nargs="+", metavar="FILE", help="the documents to add")
    p = dsub.add_parser("show", parents=[common], help="status, who is to act, timeline")
    p.add_argument("id", help="the dossier number")
    p = dsub.add_parser("list", parents=[common], help="dossiers, most recent first")
    p.add_argument("--status", choices=["open", "completed", "rejected", "withdrawn"],
                   help="only dossiers with this status")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="at most this many (default: 50)")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (``--help`` works on every level)."""
    common = _common()
    parser: argparse.ArgumentParser = _Parser(  # its sub-commands' parsers are _Parser too
        prog="paraaf", parents=[common], epilog=EPILOG,
        description="paraaf: prepare and take administrative decisions in Microsoft Teams.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("demo", parents=[common], help="create a demo data folder")
    p.add_argument("--samples", action=argparse.BooleanOptionalAction, default=True,
                   help="also start a few example dossiers (default: yes)")
    _flow_parsers(sub, common)
    _dossier_parsers(sub, common)
    manifest_cli.add_parser(sub, common)
    p = sub.add_parser("tasks", parents=[common], help="a user's tasks (wie is aan zet)")
    p.add_argument("--user", required=True, metavar="USER", help=f"whose tasks ({WHO})")
    audit = sub.add_parser("audit", help="verify the tamper-evident history")
    asub = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    p = asub.add_parser("verify", parents=[common], help="re-compute every hash chain")
    p.add_argument("--dossier", metavar="ID", help="only this dossier (default: all)")
    p.add_argument("--anchor", metavar="SEQ:HASH",
                   help="an anchor you kept outside paraaf (or the file `audit anchor --json` "
                        "wrote): the stored anchors must still contain it")
    asub.add_parser("anchor", parents=[common],
                    help="verify, then record every dossier's head in the audit anchors")
    sub.add_parser("decisions", parents=[common], help="the decision register")
    sub.add_parser("tick", parents=[common], help="send deadline reminders and escalations")
    p = sub.add_parser("serve", parents=[common], help="run the server")
    p.add_argument("--playground", action="store_true",
                   help="local mode: also start the Microsoft 365 Agents Playground (a Teams "
                        "stand-in in the browser) in front of the bot")
    provision_cli.add_parser(sub, common)
    substitute_cli.add_parser(sub, common)
    return parser


def _print_error(args: argparse.Namespace, code: str, message: str,
                 refused: DomainError | None = None) -> None:
    """The error as JSON (code, the English message, and a refusal's code and parameters)
    with --json, else ``message`` on stderr."""
    from approvals.text import escape_json, neutralize_lines  # messages quote what was typed

    if getattr(args, "json", False):
        error: dict[str, Any] = {"code": code, "message": message}
        if refused is not None and refused.refusal:
            error |= {"refusal": refused.refusal, "params": refused.params}
        print(escape_json(json.dumps({"error": error}, ensure_ascii=False)))
    else:
        print(f"paraaf: {neutralize_lines(message)}", file=sys.stderr)


def _refused(args: argparse.Namespace, exc: DomainError, hint: str = "") -> None:
    """A domain refusal: the English message with --json, else the text in PARAAF_LANGUAGE."""
    if getattr(args, "json", False):
        _print_error(args, exc.code, exc.message, exc)
        return
    from cards.refusals import refusal_text

    text = refusal_text(exc, _language())
    _print_error(args, exc.code, f"{text} {hint}" if hint else text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns (and, as a console script, exits with) its exit code."""
    args = build_parser().parse_args(argv)
    from approvals.errors import ConcurrencyConflict, DomainError
    from bot.cli_commands import run

    run = manifest_cli.run if args.command == "manifest" else run
    run = provision_cli.run if args.command == "provision" else run
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
        _print_error(args, "settings", str(exc))
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
    from bot.cli_output import words
    from bot.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError:
        return words()
    return words(settings.language, settings.timezone)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def _language() -> str:
    """PARAAF_LANGUAGE for the command line: 'en' for English, else Dutch (also when the
    settings cannot be read)."""
    from bot.settings import Settings, SettingsError

    try:
        return "en" if Settings.from_env().language == "en" else "nl"
    except SettingsError:
        return "nl"
