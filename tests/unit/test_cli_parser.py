"""The command line's parser: every option and argument says what it is for."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from bot.cli import build_parser


def _parsers(parser: argparse.ArgumentParser,
             path: str = "paraaf") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def _helpless(parser: argparse.ArgumentParser) -> list[str]:
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
            missing.append("/".join(action.option_strings) or action.dest)
    return missing


def test_every_option_and_argument_has_help_text() -> None:
    missing = {path: names for path, parser in _parsers(build_parser())
               if (names := _helpless(parser))}
    assert missing == {}


def test_every_command_has_a_help_line() -> None:
    missing = []
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            helped = {id(action.choices[choice.dest]) for choice in action._choices_actions}
            missing += [name for name, parser in action.choices.items()  # aliases share one
                        if id(parser) not in helped]
    assert missing == []


def test_the_walk_sees_every_command() -> None:
    paths = {path for path, _ in _parsers(build_parser())}
    assert {"paraaf dossier act", "paraaf tasks", "paraaf flow publish",
            "paraaf audit verify", "paraaf manifest build", "paraaf provision"} <= paths
