"""What the command line's parser and its commands share: exit codes, action names and
the language of its words.

Standard library only at import: the parser imports it at start-up (``paraaf --help`` stays
fast); the word lists are imported when they are asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cards.strings import CliStrings

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


def language() -> str:
    """PARAAF_LANGUAGE as the command line reads it before the settings: ``en`` for English,
    Dutch otherwise (``auto`` too: the command line has no Teams locale to follow)."""
    from bot.settings import language_of  # standard library only, like this module

    return language_of()


def cli_texts(lang: str | None = None) -> CliStrings:
    """The command line's words in ``lang`` (default: :func:`language`)."""
    from cards.strings import cli_strings

    return cli_strings(lang or language())
