"""Four-eyes refusals and substitutes as a person reads them, in Dutch and English."""

from __future__ import annotations

from datetime import date

import pytest

from approvals.errors import FourEyesViolation
from approvals.substitutes import Absence
from cards import four_eyes_text, substitute_card
from tests.support.domain_kit import ADMIN, DIRECTOR, HEAD

TITLES = {"paraaf": "Paraaf afdelingshoofd", "besluit": "Besluit college",
          "accord": "Accord wethouder"}


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", "Niet toegestaan (vier-ogenprincipe): Head heeft in deze ronde van het dossier al "
           "de paraaf (Paraaf afdelingshoofd), dus niet ook een deel in ‘Accord wethouder’."),
    ("en", "Not allowed (four eyes): Head already holds the initial in this round of the "
           "dossier (Paraaf afdelingshoofd), so not also a part in ‘Accord wethouder’."),
])
def test_one_part_names_the_holder_and_the_part(lang: str, expected: str) -> None:
    error = FourEyesViolation("one_part", "accord", "Head", HEAD.oid, "paraaf", "initial")
    assert four_eyes_text(error, lang, TITLES.__getitem__).startswith(expected)


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", "Director is initiatiefnemer van dit dossier en doet daarin niet het besluit "
           "(Besluit college)"),
    ("en", "Director started this dossier and does not give the decision in it "
           "(Besluit college)"),
])
def test_the_initiator_rule_names_the_initiator(lang: str, expected: str) -> None:
    error = FourEyesViolation("initiator", "besluit", "Director", DIRECTOR.oid, "besluit",
                              "decide")
    assert expected in four_eyes_text(error, lang, TITLES.__getitem__)


def test_the_substitute_card_says_who_set_it() -> None:
    away = Absence("a1", HEAD, DIRECTOR, date(2026, 12, 1), date(2026, 12, 14), "vakantie",
                   ADMIN, "2026-11-30T08:00:00Z")
    text = str(substitute_card([away], "nl"))
    assert ("Director vervangt Head van 1 december 2026 tot en met 14 december 2026 "
            "(vakantie).") in text
    assert "Vastgelegd door Admin." in text
    assert "Set by Admin." in str(substitute_card([away], "en"))
