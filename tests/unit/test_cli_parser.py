"""The command line's parser: every option and argument says what it is for."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import fields

import pytest

from bot.cli.main import build_parser
from cards.strings.en import CLI_EN
from cards.strings.nl import CLI_NL


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


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_option_and_argument_has_help_text(language: str) -> None:
    missing = {path: names for path, parser in _parsers(build_parser(language))
               if (names := _helpless(parser))}
    assert missing == {}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_command_has_a_help_line(language: str) -> None:
    missing = []
    for action in build_parser(language)._actions:
        if isinstance(action, argparse._SubParsersAction):
            helped = {id(action.choices[choice.dest]) for choice in action._choices_actions}
            missing += [name for name, parser in action.choices.items()  # aliases share one
                        if id(parser) not in helped]
    assert missing == []


def test_the_walk_sees_every_command() -> None:
    paths = {path for path, _ in _parsers(build_parser())}
    assert {"paraaf dossier act", "paraaf tasks", "paraaf flow publish",
            "paraaf audit verify", "paraaf manifest build", "paraaf provision"} <= paths


def test_every_command_line_text_is_translated_or_the_same_on_purpose() -> None:
    """A text that reads the same in Dutch and English is one of these; any other was
    forgotten in one of the two catalogues."""
    same = {f.name for f in fields(CLI_NL) if getattr(CLI_NL, f.name) == getattr(CLI_EN, f.name)}
    assert same == {"dossier_head", "label_status", "n_dossiers", "demo_counts", "mv_dossier",
                    "p_site", "pg_config_error"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_help_of_options_and_commands_differs_per_language(language: str) -> None:
    other = "en" if language == "nl" else "nl"
    for (path, parser), (_, twin) in zip(_parsers(build_parser(language)),
                                         _parsers(build_parser(other)), strict=True):
        for action, twin_action in zip(parser._actions, twin._actions, strict=True):
            if action.help and action.help != argparse.SUPPRESS:
                assert action.help != twin_action.help, (path, action.option_strings)
