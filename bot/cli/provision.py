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
    from cards.strings import CliStrings

EXIT_OK, EXIT_INPUT, EXIT_UNAVAILABLE = 0, 2, 3


def _texts(texts: CliStrings | None = None) -> CliStrings:
    from bot.cli.constants import cli_texts

    return texts or cli_texts()


def _english() -> CliStrings:
    from bot.cli.constants import cli_texts

    return cli_texts("en")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser, texts: CliStrings | None = None) -> None:
    t = _texts(texts)
    p = sub.add_parser("provision", parents=[common], help=t.h_provision,
                       description=t.d_provision)
    p.add_argument("--site", metavar="URL", help=t.h_site)
    p.add_argument("--dry-run", action="store_true", help=t.h_dry_run)


def _fail(args: argparse.Namespace, code: str, message: str, exit_code: int) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))
    else:
        print(f"paraaf: {message}", file=sys.stderr)
    return exit_code


def describe(change: Any, done: bool, t: CliStrings) -> str:
    """One change in words: 'Created list Dossiers with 21 columns', 'Would add column
    Processtromen.Body (multiple lines of text)'."""
    from bot.wiring import provision_change_actions
    from cards.strings import plural

    CREATE_LIST, ADD_COLUMN, INDEX_COLUMN, ADD_CHOICES = provision_change_actions()

    if change.action == CREATE_LIST:
        kind = t.p_list_kinds[1 if change.detail == "library" else 0]
        columns = len((change.body or {}).get("columns") or [])
        return ((t.p_created if done else t.p_would_create).format(kind=kind, list=change.list)
                + (plural(t.p_with_columns, columns) if columns else ""))
    column = f"{change.list}.{change.column}"
    template = {ADD_COLUMN: (t.p_added_column, t.p_would_add_column),
                INDEX_COLUMN: (t.p_indexed_column, t.p_would_index_column),
                ADD_CHOICES: (t.p_extended_choices, t.p_would_extend_choices),
                }[change.action][0 if done else 1]
    detail = change.detail if change.action == ADD_CHOICES else _detail(change.detail, t)
    return template.format(column=column, detail=detail)


def _detail(detail: str, t: CliStrings) -> str:
    """graph.provision's 'multiple lines of text, indexed' in the catalogue's words (graph
    writes them as the English catalogue does)."""
    english = _english()
    names = dict(zip(english.p_column_kinds, t.p_column_kinds, strict=True))
    flags = dict(zip(english.p_flags, t.p_flags, strict=True))
    for flag, word in sorted(flags.items(), key=lambda item: -len(item[0])):
        if detail == flag or detail.endswith(", " + flag):
            head = detail[:len(detail) - len(flag)].rstrip(", ")
            return ", ".join(part for part in (names.get(head, head), word) if part)
    return names.get(detail, detail)


_COLUMN_KINDS = ("text", "note", "number", "datetime", "boolean", "choice")  # graph's codes


def problem_text(problem: Any, t: CliStrings) -> str:
    """What provisioning may not put right, in the catalogue's words (graph's English message
    for a problem it has no words for)."""
    have, need = (*problem.values, "", "")[:2]
    if problem.code == "column_type":
        kinds = dict(zip(_COLUMN_KINDS, t.p_column_kinds, strict=True))
        return t.p_problems[0].format(have=kinds.get(have, have), need=kinds.get(need, need))
    if problem.code == "list_template":
        return t.p_problems[1].format(have=have, need=need)
    if problem.code == "not_indexed":
        return t.p_problems[2].format(flags=_detail(have, t), error=need)
    return str(problem.message)


def _report(args: argparse.Namespace, site: Any, outcome: Any) -> int:
    if getattr(args, "json", False):
        print(json.dumps({
            "site": {"url": site.web_url, "id": site.id}, "dry_run": outcome.dry_run,
            "changes": [c.to_json() for c in outcome.changes],
            "problems": [p.to_json() for p in outcome.problems],
        }, ensure_ascii=False, indent=2))
        return EXIT_UNAVAILABLE if outcome.problems else EXIT_OK
    from cards.strings import plural

    t = _texts()
    print(t.p_site.format(url=site.web_url, id=site.id))
    for change in outcome.changes:
        print("  " + describe(change, not outcome.dry_run, t))
    for problem in outcome.problems:
        where = f"{problem.list}.{problem.column}" if problem.column else problem.list
        print(t.p_problem.format(where=where, message=problem_text(problem, t)))
    count = len(outcome.changes)
    if not count:
        print(t.p_nothing_allowed if outcome.problems else t.p_up_to_date)
    else:
        print(plural(t.p_dry_run if outcome.dry_run else t.p_made, count))
    return EXIT_UNAVAILABLE if outcome.problems else EXIT_OK


def _bad_site(error: Any) -> str:
    """``--site: 'x' is not a SharePoint site URL; ...``: the option to fix (a bad
    PARAAF_SITE_URL is reported by the settings, before this)."""
    t = _texts()
    reasons = getattr(type(error), "REASONS", ())  # graph.site's InvalidSiteUrl
    if getattr(error, "reason", None) not in reasons:
        return f"--site: {error}"
    return "--site: " + t.p_site_urls[reasons.index(error.reason)].format(text=error.text)


def _unreachable(base_url: str, url: str, error: Any) -> str:
    t = _texts()
    status = getattr(error, "status", 0)
    if status == 0:
        return t.p_unreachable.format(base_url=base_url, code=error.code,
                                      message=error.message, url=url)
    if status == 404:
        return t.p_no_site.format(url=url)
    if status in (401, 403):
        return t.p_forbidden.format(url=url, status=status)
    return t.p_refused.format(url=url, error=error)


async def run(args: argparse.Namespace) -> int:
    """Provision the site named by ``--site`` or PARAAF_SITE_URL."""
    from bot.settings import Settings, SettingsError, check_graph, language_of
    from bot.wiring import site_address

    try:
        settings = Settings.from_env(data_dir=getattr(args, "data", None))
    except SettingsError as exc:
        return _fail(args, "settings", exc.advice(language_of()), EXIT_UNAVAILABLE)
    url = (args.site or settings.site_url or "").strip().rstrip("/")
    if not url:
        return _fail(args, "input", _texts().p_name_site, EXIT_INPUT)
    try:
        url = site_address(url)
    except ValueError as exc:  # graph.site's InvalidSiteUrl
        return _fail(args, "input", _bad_site(exc), EXIT_INPUT)
    try:
        check_graph(settings, need_site=False)
    except SettingsError as exc:
        return _fail(args, "settings", exc.advice(language_of()), EXIT_UNAVAILABLE)
    return await _provision(args, settings, url)


async def _provision(args: argparse.Namespace, settings: Settings, url: str) -> int:
    from bot.settings import SettingsError, language_of
    from bot.wiring import ListsNotChanged, NoGraphToken, SiteUnreachable, provision_site

    try:
        site, outcome = await provision_site(settings, url, dry_run=args.dry_run)
    except SettingsError as exc:
        return _fail(args, "settings", exc.advice(language_of()), EXIT_UNAVAILABLE)
    except SiteUnreachable as failed:
        return _fail(args, "unreachable", _unreachable(failed.base_url, url, failed.error),
                     EXIT_UNAVAILABLE)
    except NoGraphToken as failed:
        return _fail(args, "credential", _texts().p_no_token.format(message=failed.message),
                     EXIT_UNAVAILABLE)
    except ListsNotChanged as failed:
        return _fail(args, "graph", _texts().p_stopped.format(url=url, error=failed.error),
                     EXIT_UNAVAILABLE)
    return _report(args, site, outcome)
