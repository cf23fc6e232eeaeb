"""UI strings per language: Dutch by default, English for Teams locales starting with "en"."""

from __future__ import annotations

from cards.strings.catalog import CliStrings, Plural, Strings
from cards.strings.en import CLI_EN, EN
from cards.strings.nl import CLI_NL, NL

LANGUAGES: dict[str, Strings] = {"nl": NL, "en": EN}
CLI_LANGUAGES: dict[str, CliStrings] = {"nl": CLI_NL, "en": CLI_EN}


def lang_for(locale: str | None) -> str:
    """'en' for a locale that starts with "en" (en, en-US, en_GB), else 'nl'."""
    return "en" if (locale or "").strip().lower()[:2] == "en" else "nl"


def strings(lang: str | None) -> Strings:
    """The strings of a language ('nl' or 'en'); a Teams locale such as 'en-US' works too."""
    return LANGUAGES[lang_for(lang)]


def cli_strings(lang: str | None) -> CliStrings:
    """The command line's words in a language ('nl' or 'en', or a locale such as 'en-US')."""
    return CLI_LANGUAGES[lang_for(lang)]


def plural(form: Plural, count: int, **values: object) -> str:
    """The text for ``count``: the singular form for exactly one, else the plural form
    (other ``{placeholders}`` filled from ``values``)."""
    one, other = form
    return (one if count == 1 else other).format(count=count, **values)


__all__ = ["CLI_LANGUAGES", "LANGUAGES", "CliStrings", "Plural", "Strings", "cli_strings",
           "lang_for", "plural", "strings"]
