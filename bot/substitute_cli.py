"""``paraaf vervanger set|list|clear``: standing substitutes for a period.

``set --for USER --substitute USER --from DATE --to DATE --reason TEXT [--as USER]``: while
USER is away, their new tasks go to the substitute. Without ``--as`` the person sets it
themself (local mode); a beheerder sets it for someone else with ``--as`` and is recorded as
the one who did. Exit codes as the rest of the command line.

Only the standard library is imported at start-up (``paraaf --help`` stays fast).
"""

from __future__ import annotations

import argparse
from typing import Any

DATE_HELP = "a date, YYYY-MM-DD or DD-MM-YYYY"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "vervanger", aliases=["substitute"], help="standing substitutes (vervangers) for a "
        "period of absence", description="While someone is away, the tasks that arrive for "
        "them go to their substitute, who acts on their behalf; they still see the dossier "
        "and are told. Four eyes holds for substitutes too.")
    vsub = p.add_subparsers(dest="vervanger_command", required=True, metavar="COMMAND")
    s = vsub.add_parser("set", parents=[common], help="name a substitute for a period")
    s.add_argument("--for", dest="for_user", required=True, metavar="USER",
                   help="who is away")
    s.add_argument("--substitute", required=True, metavar="USER",
                   help="who takes over their new tasks")
    s.add_argument("--from", dest="start", required=True, metavar="DATE",
                   help=f"first day away ({DATE_HELP})")
    s.add_argument("--to", dest="end", required=True, metavar="DATE",
                   help=f"last day away ({DATE_HELP})")
    s.add_argument("--reason", required=True, help="why, e.g. vakantie or verlof")
    s.add_argument("--as", dest="as_user", metavar="USER",
                   help="who sets it: the person themself (default) or a beheerder")
    s = vsub.add_parser("list", parents=[common], help="periods that have not ended")
    s.add_argument("--for", dest="for_user", metavar="USER", help="only this person's")
    s = vsub.add_parser("clear", parents=[common],
                        help="remove a person's periods that have not ended")
    s.add_argument("--for", dest="for_user", required=True, metavar="USER",
                   help="whose substitute to clear")
    s.add_argument("--as", dest="as_user", metavar="USER",
                   help="who clears it: the person themself (default) or a beheerder")


def _line(absence: Any) -> str:
    by = "" if absence.set_by.oid == absence.person.oid else f", set by {absence.set_by.name}"
    return (f"{absence.person.name} ({absence.person.upn}): {absence.substitute.name} "
            f"({absence.substitute.upn}) from {absence.start} to {absence.end}, "
            f"{absence.reason}{by}")


async def run(args: argparse.Namespace) -> int:
    """Run ``paraaf vervanger ...``."""
    from approvals import substitute_commands as sc
    from approvals.substitutes import parse_day
    from bot import cli_output as out
    from bot.cli_base import person, settings_for
    from bot.cli_constants import EXIT_OK
    from bot.wiring import build

    wiring = build(settings_for(args))
    try:
        services = wiring.services
        command = args.vervanger_command
        if command == "list":
            who = await person(wiring, args.for_user) if args.for_user else None
            found = await sc.current_substitutes(services, who)
            text = "\n".join(_line(a) for a in found) or "No substitutes named."
            out.emit(args, [a.to_json() for a in found], text)
            return EXIT_OK
        subject = await person(wiring, args.for_user)
        actor = await person(wiring, args.as_user) if args.as_user else subject
        if command == "clear":
            removed = await sc.clear_substitutes(services, actor=actor, person=subject)
            text = (f"Cleared {len(removed)} period(s) of {subject.name}." if removed
                    else f"{subject.name} has no substitute to clear.")
            out.emit(args, [a.to_json() for a in removed], text)
            return EXIT_OK
        absence = await sc.set_substitute(
            services, actor=actor, person=subject,
            substitute=await person(wiring, args.substitute),
            start=parse_day(args.start, "--from"), end=parse_day(args.end, "--to"),
            reason=args.reason)
        out.emit(args, absence.to_json(), "Substitute set: " + _line(absence))
        return EXIT_OK
    finally:
        await wiring.close()
