"""Stromen in a real browser: a beheerder builds a new 4-stage flow in the designer (advice in
parallel, paraaf, accord, besluit, one condition), sees a problem at the field it concerns,
simulates the flow for two sets of values and publishes it, and the test counts every click
and typed field on the way (at most 40); the command line then lists the new version. Every
page is screenshotted and checked by axe-core, also in the dark and high-contrast themes and
at phone width."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Demo, axe_violations, paraaf, shot
from tests.browser.test_tab import DESKTOP, PHONE, open_tab, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BUDGET = 40  # clicks and typed fields to build, simulate twice and publish a 4-stage flow


class Counted:
    """The beheerder's hands: every click and every typed field counts one."""

    def __init__(self) -> None:
        self.clicks = 0
        self.typed = 0

    def click(self, locator: Any) -> None:
        locator.click()
        self.clicks += 1

    def type(self, locator: Any, text: str) -> None:
        locator.fill(text)
        self.typed += 1

    def pick(self, page: Any, box: Any, text: str, option: str) -> None:
        """Search the directory picker and choose one of what it finds."""
        self.type(box, text)
        self.click(page.get_by_role("option", name=re.compile(option)))

    @property
    def total(self) -> int:
        return self.clicks + self.typed


def check_page(page: Any, name: str) -> None:
    shot(page, name)
    assert axe_violations(page) == [], name


def stage(page: Any, step: int, index: int = 0) -> Any:
    """The form of a stage: the index-th of step ``step`` (1-based)."""
    return page.get_by_role("group", name=f"Stap {step}", exact=True).get_by_role(
        "group").nth(index)


def build_simulate_publish(page: Any, prefix: str = "stromen") -> Counted:
    """On the Stromen page as a beheerder: build the 4-stage Inkoopvoorstel in the designer
    (legal and, from 10.000, financial advice in parallel; paraaf by the initiator's manager;
    accord by a director; besluit by the college), simulate it for a large and a small amount
    and publish it. Returns the hands that counted every click and typed field."""
    hands = Counted()
    hands.click(page.get_by_role("button", name="Nieuwe stroom"))
    page.get_by_role("heading", name="Stroom ontwerpen").wait_for()
    hands.type(page.get_by_label("Titel").first, "Inkoopvoorstel")
    assert page.get_by_label("Id").first.input_value() == "inkoopvoorstel"

    # a second field, an amount, beside the prefilled onderwerp
    hands.click(page.get_by_role("button", name="Veld toevoegen"))
    field = page.get_by_role("group", name="Veld 2")
    hands.type(field.get_by_label("Naam"), "bedrag")
    hands.click(field.get_by_role("combobox"))
    hands.click(page.get_by_role("option", name="bedrag", exact=True))

    # step 1: the prefilled advice stage becomes the legal advice, and a financial advice
    # runs beside it when the amount is at least 10.000
    juridisch = stage(page, 1, 0)
    hands.type(juridisch.get_by_label("Titel"), "Juridisch advies")
    hands.pick(page, juridisch.get_by_role("combobox", name=re.compile("Zoek persoon")),
               "jur", "^Juridische Zaken")
    hands.click(page.get_by_role("button", name="Tegelijk in stap 1 toevoegen"))
    financieel = stage(page, 1, 1)
    hands.type(financieel.get_by_label("Titel"), "Financieel advies")
    hands.pick(page, financieel.get_by_role("combobox", name=re.compile("Zoek persoon")),
               "financ", "^Financiën")
    # a condition on a field the flow does not have: the validator's problem at the field
    hands.type(financieel.get_by_label("Voorwaarde"), "budget >= 10000")
    financieel.get_by_text(re.compile("gebruikt het onbekende veld 'budget'")).wait_for()
    shot(page, f"{prefix}-2-fout-bij-het-veld")
    hands.type(financieel.get_by_label("Voorwaarde"), "bedrag >= 10000")

    # paraaf (prefilled: the initiator's manager, may send back to both advices), accord by
    # a director, besluit by the college
    hands.click(page.get_by_role("button", name="Stap toevoegen (paraaf)"))
    assert stage(page, 2).get_by_text("Leidinggevende van de initiatiefnemer").is_visible()
    hands.click(page.get_by_role("button", name="Stap toevoegen (accord)"))
    hands.pick(page, stage(page, 3).get_by_role("combobox", name=re.compile("Zoek persoon")),
               "direct", "^directeur")
    hands.click(page.get_by_role("button", name="Stap toevoegen (besluit)"))
    hands.pick(page, stage(page, 4).get_by_role("combobox", name=re.compile("Zoek persoon")),
               "coll", "^college")
    page.get_by_text("De stroom is geldig.").wait_for()
    yaml = page.get_by_label("De stroom als YAML").input_value()
    assert "condition: bedrag >= 10000" in yaml and "- role: college" in yaml
    check_page(page, f"{prefix}-3-ontwerper")

    # simulate: a large amount passes every stage, a small one skips the financial advice
    sim = page.get_by_role("region", name="Simuleer")
    hands.pick(page, sim.get_by_role("combobox", name="Zoek de initiatiefnemer"), "thomas",
               "^Thomas de Jong")
    hands.type(sim.get_by_label("bedrag"), "25.000")
    hands.click(sim.get_by_role("button", name="Simuleer"))
    result = sim.get_by_role("region", name="Uitkomst van de simulatie")
    result.get_by_text("Stap 4 · Besluit").wait_for()
    assert result.get_by_text("overgeslagen", exact=True).count() == 0
    assert result.get_by_text(re.compile("Hanneke van Dijk")).is_visible()  # Thomas's manager
    check_page(page, f"{prefix}-4-simulatie-groot-bedrag")
    hands.type(sim.get_by_label("bedrag"), "800")
    hands.click(sim.get_by_role("button", name="Simuleer"))
    result.get_by_text("overgeslagen", exact=True).wait_for()
    assert result.get_by_text(re.compile(
        r"^Financieel advies overgeslagen: bedrag € 800,00 is kleiner dan")).is_visible()
    check_page(page, f"{prefix}-5-simulatie-klein-bedrag")

    hands.click(page.get_by_role("button", name="Publiceren als nieuwe versie"))
    page.get_by_text(re.compile("Inkoopvoorstel versie 1 is gepubliceerd")).wait_for()
    check_page(page, f"{prefix}-6-gepubliceerd")

    return hands


def test_a_beheerder_builds_simulates_and_publishes_a_flow_within_40_actions(
        browser: Any, demo: Demo) -> None:
    page = open_tab(browser, demo, "/tab/beheer/stromen", DESKTOP)
    sign_in(page, "Sanne Vos")  # the local demo's stand-in for SSO in Teams
    page.get_by_role("heading", name="Stromen", exact=True).wait_for()
    page.get_by_role("link", name="Collegevoorstel").wait_for()
    check_page(page, "stromen-1-lijst")

    hands = build_simulate_publish(page)
    assert hands.total <= BUDGET, (hands.clicks, hands.typed)
    print(f"flow built, simulated twice and published in {hands.total} actions "
          f"({hands.clicks} clicks, {hands.typed} typed fields)")
    listed = paraaf(demo.data, "flow", "list")
    assert {(f["id"], f["version"], f["status"]) for f in listed} >= {
        ("inkoopvoorstel", 1, "gepubliceerd")}
    page.context.close()


@pytest.mark.parametrize("theme", ["dark", "contrast"])
def test_the_flow_pages_in_the_dark_and_high_contrast_themes_at_phone_width(
        browser: Any, demo: Demo, theme: str) -> None:
    page = open_tab(browser, demo, "/tab/beheer/stromen", PHONE, f"?theme={theme}")
    sign_in(page, "Sanne Vos")
    page.get_by_role("link", name="Collegevoorstel").wait_for()
    check_page(page, f"stromen-{theme}-phone-1-lijst")
    page.get_by_role("link", name="Collegevoorstel").click()
    page.get_by_text("Gebaseerd op versie 1; publiceren maakt een nieuwe versie.").wait_for()
    page.get_by_text("De stroom is geldig.").wait_for()
    check_page(page, f"stromen-{theme}-phone-2-ontwerper")
    page.context.close()


def test_the_designer_in_english_and_by_keyboard(browser: Any, demo: Demo) -> None:
    page = open_tab(browser, demo, "/tab/beheer/stromen", DESKTOP, "?lang=en")
    sign_in(page, "Sanne Vos", "Continue as this user")
    page.get_by_role("heading", name="Flows", exact=True).wait_for()
    page.get_by_role("button", name="New flow").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Design a flow").wait_for()
    # the prefilled first stage is an advice; its assignee chosen from the picker by keyboard
    page.get_by_role("combobox", name="Find a person, group or role for Advice").focus()
    page.keyboard.type("jur")
    page.get_by_role("option", name=re.compile("^Juridische Zaken")).wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_text("juristen (group)").wait_for()
    # the stage has its assignee now; a flow without a title and id: the validator's problems
    # in English, at those fields
    page.get_by_text(re.compile(r"^2 problems; each")).wait_for()
    assert page.get_by_text("title: must not be empty").is_visible()
    assert page.get_by_role("button", name="Publish as a new version").is_disabled()
    check_page(page, "stromen-english-ontwerper")
    page.context.close()


def test_a_new_version_and_chosen_running_dossiers_moved_to_it(browser: Any,
                                                               demo: Demo) -> None:
    """Runs last in this module: it publishes collegevoorstel version 2."""
    page = open_tab(browser, demo, "/tab/beheer/stromen/collegevoorstel", DESKTOP)
    sign_in(page, "Sanne Vos")
    page.get_by_text("Gebaseerd op versie 1; publiceren maakt een nieuwe versie.").wait_for()
    assert page.get_by_label("Versie").input_value() == "2"
    page.get_by_role("button", name="Publiceren als nieuwe versie").click()
    page.get_by_text(re.compile("Collegevoorstel versie 2 is gepubliceerd")).wait_for()
    page.get_by_role("link", name="Terug naar de stromen").first.click()
    page.get_by_role("button", name="Lopende dossiers naar versie 2").click()
    panel = page.get_by_role("group", name="Lopende dossiers van Collegevoorstel naar versie 2")
    panel.get_by_role("checkbox", name=re.compile("^DEMO-1 ")).check()
    panel.get_by_label("Reden").fill("Nieuwe versie van de stroom")
    panel.get_by_role("button", name="1 dossier naar versie 2").click()
    panel.get_by_text("DEMO-1: Gelukt").wait_for()
    check_page(page, "stromen-7-dossiers-verplaatst")
    shown = paraaf(demo.data, "dossier", "show", "DEMO-1")
    assert shown["flow_version"] == 2
    page.context.close()
