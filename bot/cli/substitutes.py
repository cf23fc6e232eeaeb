"""``paraaf vervanger set|list|clear``: standing substitutes for a period.

``set --for USER --substitute USER --from DATE --to DATE --reason TEXT [--as USER]``: while
USER is away, their new tasks go to the substitute. Without ``--as`` the person sets it
themself (local mode); a beheerder sets it for someone else with ``--as`` and is recorded as
the one who did. Exit codes as the rest of the command line.

Only the standard library is imported at start-up (``paraaf --help`` stays fast).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cards.strings import CliStrings


def _texts(texts: CliStrings | None = None) -> CliStrings:
    from bot.cli.constants import cli_texts

    return texts or cli_texts()


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser, texts: CliStrings | None = None) -> None:
    t = _texts(texts)
    p = sub.add_parser("vervanger", aliases=["substitute"], help=t.h_vervanger,
                       description=t.d_vervanger)
    vsub = p.add_subparsers(dest="vervanger_command", required=True, metavar=t.mv_command)
    s = vsub.add_parser("set", parents=[common], help=t.h_v_set)
    s.add_argument("--for", dest="for_user", required=True, metavar=t.mv_user, help=t.h_v_for)
    s.add_argument("--substitute", required=True, metavar=t.mv_user, help=t.h_v_substitute)
    s.add_argument("--from", dest="start", required=True, metavar=t.mv_date,
                   help=t.h_v_from.format(date=t.h_v_date))
    s.add_argument("--to", dest="end", required=True, metavar=t.mv_date,
                   help=t.h_v_to.format(date=t.h_v_date))
    s.add_argument("--reason", required=True, metavar=t.mv_text, help=t.h_v_reason)
    s.add_argument("--as", dest="as_user", metavar=t.mv_user, help=t.h_v_set_as)
    s = vsub.add_parser("list", parents=[common], help=t.h_v_list)
    s.add_argument("--for", dest="for_user", metavar=t.mv_user, help=t.h_v_list_for)
    s = vsub.add_parser("clear", parents=[common], help=t.h_v_clear)
    s.add_argument("--for", dest="for_user", required=True, metavar=t.mv_user,
                   help=t.h_v_clear_for)
    s.add_argument("--as", dest="as_user", metavar=t.mv_user, help=t.h_v_clear_as)


def _line(absence: Any, t: CliStrings) -> str:
    by = ("" if absence.set_by.oid == absence.person.oid
          else t.v_set_by.format(name=absence.set_by.name))
    return t.v_line.format(
        person=absence.person.name, upn=absence.person.upn, substitute=absence.substitute.name,
        substitute_upn=absence.substitute.upn, start=absence.start, end=absence.end,
        reason=absence.reason) + by


async def run(args: argparse.Namespace) -> int:
    """Run ``paraaf vervanger ...``."""
    from approvals import substitute_commands as sc
    from approvals.substitutes import parse_day
    from bot.cli import output as out
    from bot.cli.base import person, settings_for, words_for
    from bot.cli.constants import EXIT_OK
    from bot.wiring import build
    from cards.strings import plural

    wiring = build(settings_for(args))
    t = _texts(words_for(wiring.settings).c)
    try:
        services = wiring.services
        command = args.vervanger_command
        if command == "list":
            who = await person(wiring, args.for_user, "--for") if args.for_user else None
            found = await sc.current_substitutes(services, who)
            text = "\n".join(_line(a, t) for a in found) or t.v_none
            out.emit(args, [a.to_json() for a in found], text)
            return EXIT_OK
        subject = await person(wiring, args.for_user, "--for")
        actor = await person(wiring, args.as_user, "--as") if args.as_user else subject
        if command == "clear":
            removed = await sc.clear_substitutes(services, actor=actor, person=subject)
            text = (plural(t.v_cleared, len(removed), name=subject.name) if removed
                    else t.v_nothing_to_clear.format(name=subject.name))
            out.emit(args, [a.to_json() for a in removed], text)
            return EXIT_OK
        absence = await sc.set_substitute(
            services, actor=actor, person=subject,
            substitute=await person(wiring, args.substitute, "--substitute"),
            start=parse_day(args.start, "--from"), end=parse_day(args.end, "--to"),
            reason=args.reason)
        out.emit(args, absence.to_json(), t.v_set.format(line=_line(absence, t)))
        return EXIT_OK
    finally:
        await wiring.close()
