"""``paraaf provision --site URL [--dry-run]``: create or upgrade the site's lists.

Exit codes as the rest of the command line: 0 done (or nothing to do), 2 bad input (the site
URL), 3 Graph, the site or the credential could not be used, or the site has something
provisioning must not repair by itself (a problem is printed for each).

Only the standard library is imported at start-up (``paraaf --help`` stays fast).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.settings import Settings

EXIT_OK, EXIT_INPUT, EXIT_UNAVAILABLE = 0, 2, 3


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "provision", parents=[common],
        help="create or upgrade the SharePoint lists (Microsoft 365 backend)",
        description="Create the lists and the library paraaf needs on a SharePoint site, or "
                    "add what an older version lacks. Never removes anything; running it "
                    "again changes nothing. Uses the PARAAF_GRAPH_* settings.")
    p.add_argument("--site", metavar="URL",
                   help="the site, https://<tenant>.sharepoint.com/sites/<name> "
                        "(default: $PARAAF_SITE_URL)")
    p.add_argument("--dry-run", action="store_true",
                   help="print what would change, change nothing")


def _fail(args: argparse.Namespace, code: str, message: str, exit_code: int) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))
    else:
        print(f"paraaf: {message}", file=sys.stderr)
    return exit_code


def _report(args: argparse.Namespace, site: Any, outcome: Any) -> int:
    if getattr(args, "json", False):
        print(json.dumps({
            "site": {"url": site.web_url, "id": site.id}, "dry_run": outcome.dry_run,
            "changes": [c.to_json() for c in outcome.changes],
            "problems": [p.to_json() for p in outcome.problems],
        }, ensure_ascii=False, indent=2))
    else:
        print(f"Site {site.web_url} ({site.id})")
        for change in outcome.changes:
            print("  " + change.describe(done=not outcome.dry_run))
        for problem in outcome.problems:
            where = f"{problem.list}.{problem.column}" if problem.column else problem.list
            print(f"  Problem: {where} {problem.message}")
        count = len(outcome.changes)
        if not count:
            print("nothing to change" + (": the lists are up to date" if not outcome.problems
                                         else " that provisioning may change"))
        elif outcome.dry_run:
            print(f"Dry run: {count} change{'s' if count != 1 else ''} to make; "
                  "nothing was changed.")
        else:
            print(f"Made {count} change{'s' if count != 1 else ''}.")
    return EXIT_UNAVAILABLE if outcome.problems else EXIT_OK


def _unreachable(base_url: str, url: str, error: Any) -> str:
    status = getattr(error, "status", 0)
    if status == 0:
        return (f"Microsoft Graph at {base_url} could not be reached ({error.code}: "
                f"{error.message}); the site {url} was not changed.")
    if status == 404:
        return f"There is no SharePoint site at {url} (Graph answered 404)."
    if status in (401, 403):
        return (f"The app may not use the site {url} (Graph answered {status}): check the "
                "credential and the Sites.Selected grant for this site "
                "(docs/microsoft-365.md).")
    return f"Graph refused a request for the site {url}: {error}"


async def run(args: argparse.Namespace) -> int:
    """Provision the site named by ``--site`` or PARAAF_SITE_URL."""
    from bot.settings import Settings, SettingsError, check_graph
    from bot.wiring import site_address

    try:
        settings = Settings.from_env(data_dir=getattr(args, "data", None))
    except SettingsError as exc:
        return _fail(args, "settings", str(exc), EXIT_UNAVAILABLE)
    url = (args.site or settings.site_url or "").strip().rstrip("/")
    if not url:
        return _fail(args, "input", "Name the site with --site URL (or set PARAAF_SITE_URL).",
                     EXIT_INPUT)
    try:
        url = site_address(url)
    except ValueError as exc:
        return _fail(args, "input", str(exc), EXIT_INPUT)
    try:
        check_graph(settings, need_site=False)
    except SettingsError as exc:
        return _fail(args, "settings", str(exc), EXIT_UNAVAILABLE)
    return await _provision(args, settings, url)


async def _provision(args: argparse.Namespace, settings: Settings, url: str) -> int:
    from bot.settings import SettingsError
    from bot.wiring import ListsNotChanged, NoGraphToken, SiteUnreachable, provision_site

    try:
        site, outcome = await provision_site(settings, url, dry_run=args.dry_run)
    except SettingsError as exc:
        return _fail(args, "settings", str(exc), EXIT_UNAVAILABLE)
    except SiteUnreachable as failed:
        return _fail(args, "unreachable", _unreachable(failed.base_url, url, failed.error),
                     EXIT_UNAVAILABLE)
    except NoGraphToken as failed:
        return _fail(args, "credential", f"No token for Microsoft Graph: {failed.message}",
                     EXIT_UNAVAILABLE)
    except ListsNotChanged as failed:
        return _fail(args, "graph", f"Provisioning {url} stopped: {failed.error}. What was done "
                     "stays done; run it again to continue.", EXIT_UNAVAILABLE)
    return _report(args, site, outcome)
