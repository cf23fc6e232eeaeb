"""UI strings per language: Dutch by default, English for Teams locales starting with "en"."""

from __future__ import annotations

from cards.strings.catalog import Strings
from cards.strings.en import EN
from cards.strings.nl import NL

LANGUAGES: dict[str, Strings] = {"nl": NL, "en": EN}


def lang_for(locale: str | None) -> str:
    """'en' for a locale that starts with "en" (en, en-US, en_GB), else 'nl'."""
    return "en" if (locale or "").strip().lower()[:2] == "en" else "nl"


def strings(lang: str | None) -> Strings:
    """The strings of a language ('nl' or 'en'); a Teams locale such as 'en-US' works too."""
    return LANGUAGES[lang_for(lang)]


__all__ = ["LANGUAGES", "Strings", "lang_for", "strings"]
