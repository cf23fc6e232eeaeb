"""The Besluitenregister, Inzicht and the werkvoorraad's own parts in a real browser: a
decision taken on the command line is in the register and its CSV export, Inzicht shows its
charts and tables to a beheerder only, a substitute is named and cleared in the werkvoorraad;
every page screenshotted and checked by axe-core, also in the dark and high-contrast themes
and at phone width."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Demo, paraaf
from tests.browser.test_tab import DESKTOP, PHONE, check_page, open_tab, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TITLE = "Energietoeslag Z-2026-05900"
DECISION = "=SUM(1+1) Toegekend: € 350 energietoeslag."


@pytest.fixture(scope="module")
def decided(demo: Demo) -> str:
    """A dossier of its own, decided on the command line by Jeroen Visser."""
    started = paraaf(demo.data, "dossier", "start", "--flow", "energietoeslag", "--as", "i.kok",
                     "--title", TITLE, "--field", "aanvrager=Familie Bakker",
                     "--field", "zaaknummer=Z-2026-05900", "--field", "huishoudinkomen=1390",
                     "--field", "behandelaar=j.visser@voorbeeldstad.nl")
    paraaf(demo.data, "dossier", "act", "--as", "b.peters", "--action", "initial",
           started["id"])
    paraaf(demo.data, "dossier", "act", "--as", "j.visser", "--action", "decide",
           "--text", DECISION, started["id"])
    return str(started["id"])


def test_the_register_lists_the_decision_and_exports_it_as_safe_csv(
        browser: Any, demo: Demo, decided: str, tmp_path: Path) -> None:
    page = open_tab(browser, demo, "/tab/besluiten", DESKTOP)
    sign_in(page, "Sanne Vos")
    page.get_by_role("heading", name="Besluitenregister").wait_for()
    row = page.get_by_role("row").filter(has_text=decided)
    row.wait_for()
    assert "Jeroen Visser" in row.inner_text() and DECISION in row.inner_text()
    check_page(page, "light-desktop-10-besluitenregister")

    page.get_by_role("searchbox").fill("nergens-te-vinden")
    page.get_by_text("Geen besluiten gevonden.").wait_for()
    page.get_by_role("searchbox").fill("Z-2026-05900")
    row.wait_for()

    with page.expect_download() as started:
        page.get_by_role("button", name="Exporteren als CSV").click()
    target = tmp_path / "besluiten.csv"
    started.value.save_as(str(target))
    header, *rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert header[:3] == ["Datum", "Dossiernummer", "Titel"]
    [line] = rows
    assert line[1] == decided and line[6] == "'" + DECISION  # no formula in a spreadsheet
    assert line[7].endswith(f"/tab/dossiers/{decided}")

    # Inzicht: the same numbers as charts and as tables
    page.get_by_role("tab", name="Inzicht").click()
    page.get_by_role("heading", name="Inzicht", exact=True).wait_for()
    flows = page.get_by_role("region", name="Doorlooptijd per stroom")
    flows.get_by_role("row").filter(has_text="Energietoeslag").wait_for()
    page.get_by_role("heading", name="Waar dossiers het langst wachten").wait_for()
    page.locator("svg[role], svg[aria-label], [class*=chart] svg").first.wait_for()
    # the flows nobody closed a dossier of yet are named under the chart, not left out silently
    assert page.get_by_text(re.compile(
        "Nog niets afgerond, dus niet in de grafiek: .*Collegevoorstel")).is_visible()
    check_page(page, "light-desktop-11-inzicht")
    assert labels_cut_off(page) == []

    # a flow with nothing closed: a sentence instead of an empty chart, and still its table
    page.get_by_role("combobox", name="Stroom").click()
    page.get_by_role("option", name="Collegevoorstel", exact=True).click()
    flows.get_by_role("row").filter(has_text="Collegevoorstel").wait_for()
    none_closed = page.get_by_text("Nog geen afgeronde dossiers in deze periode.")
    none_closed.first.wait_for()
    assert page.get_by_text("1 dossier in deze periode", exact=True).is_visible()  # singular
    assert none_closed.count() == 2  # per stroom and per afdeling
    assert flows.get_by_role("row").filter(has_text="Energietoeslag").count() == 0
    check_page(page, "light-desktop-11-inzicht-niets-afgerond")
    page.context.close()


def labels_cut_off(page: Any) -> list[str]:
    """The charts' axis labels that begin left of their chart (cut off on screen)."""
    page.locator(".fui-cart__yAxis text").first.wait_for()
    return list(page.evaluate("""() => [...document.querySelectorAll('.fui-cart__yAxis text')]
        .filter((t) => t.getBoundingClientRect().left
                       < t.closest('svg').getBoundingClientRect().left - 0.5)
        .map((t) => t.textContent)"""))


def test_inzicht_is_for_beheerders_only(browser: Any, demo: Demo) -> None:
    page = open_tab(browser, demo, "/tab/besluiten", DESKTOP)
    sign_in(page, "Jeroen Visser")
    page.get_by_role("heading", name="Besluitenregister").wait_for()
    assert page.get_by_role("tab", name="Inzicht").count() == 0
    page.goto(f"{demo.url}/tab/inzicht")
    page.get_by_text("Alleen een beheerder kan Inzicht zien.").wait_for()
    page.context.close()


@pytest.mark.parametrize(("theme", "viewport"), [
    ("dark", DESKTOP), ("contrast", DESKTOP), ("light", PHONE), ("dark", PHONE),
], ids=["dark-desktop", "contrast-desktop", "light-phone", "dark-phone"])
def test_register_and_insight_in_every_theme_and_at_phone_width(
        browser: Any, demo: Demo, decided: str, theme: str, viewport: dict[str, int]) -> None:
    name = f"{theme}-{'phone' if viewport is PHONE else 'desktop'}"
    page = open_tab(browser, demo, "/tab/besluiten", viewport, f"?theme={theme}")
    sign_in(page, "Sanne Vos")
    page.get_by_role("link", name=re.compile(decided)).first.wait_for()
    check_page(page, f"{name}-10-besluitenregister")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.goto(f"{demo.url}/tab/inzicht")
    page.get_by_role("heading", name="Doorlooptijd per stroom").wait_for()
    page.get_by_role("region", name="Doorlooptijd per stroom").get_by_role("row").nth(1).wait_for()
    check_page(page, f"{name}-11-inzicht")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert labels_cut_off(page) == []
    page.context.close()


def test_a_substitute_is_named_and_cleared_in_the_werkvoorraad(browser: Any, demo: Demo) -> None:
    page = open_tab(browser, demo, "/tab/werkvoorraad", PHONE)
    sign_in(page, "Iris Kok")
    page.get_by_role("heading", name="Dossiers die ik startte").wait_for()
    page.get_by_role("heading", name="Mijn vervanging").wait_for()
    page.get_by_text("Je hebt geen vervanger ingesteld.").wait_for()
    page.get_by_role("textbox", name=re.compile("Vervanger")).fill("b.peters@voorbeeldstad.nl")
    page.get_by_role("textbox", name=re.compile("Reden")).fill("Vakantie")
    page.get_by_role("button", name="Vervanger instellen").click()
    page.get_by_text("Je vervanging is ingesteld.").wait_for()
    assert page.get_by_text(re.compile("Bas Peters, van .* tot en met .*: Vakantie")).is_visible()
    check_page(page, "light-phone-12-vervanging")
    assert paraaf(demo.data, "vervanger", "list")[0]["substitute"]["name"] == "Bas Peters"
    page.get_by_role("button", name="Vervanging beëindigen").click()
    page.get_by_text("Je vervanging is beëindigd.").wait_for()
    page.get_by_text("Je hebt geen vervanger ingesteld.").wait_for()
    assert paraaf(demo.data, "vervanger", "list") == []
    page.context.close()


def test_beheer_is_the_hub_to_stromen_the_register_insight_and_the_unassigned(
        browser: Any, demo: Demo) -> None:
    page = open_tab(browser, demo, "/tab/beheer", DESKTOP)
    sign_in(page, "Sanne Vos")
    page.get_by_role("heading", name="Beheer", exact=True).wait_for()
    assert page.get_by_text("binnenkort", exact=False).count() == 0
    hub = page.get_by_role("list", name="Onderdelen van Beheer")
    for heading in ("Stromen", "Besluitenregister", "Inzicht", "Niemand aan zet"):
        assert hub.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    page.get_by_role("heading", name="Dossiers waarin niemand aan zet is").wait_for()
    check_page(page, "light-desktop-13-beheer")

    hub.get_by_role("link", name="Naar de stromen").click()
    page.get_by_role("heading", name="Stromen", exact=True).wait_for()
    page.go_back()
    hub.get_by_role("link", name="Naar het besluitenregister").click()
    page.get_by_role("heading", name="Besluitenregister").wait_for()
    page.go_back()
    hub.get_by_role("link", name="Naar Inzicht").click()
    page.get_by_role("heading", name="Inzicht", exact=True).wait_for()
    page.go_back()
    hub.get_by_role("link", name="Naar deze dossiers").click()
    page.wait_for_function("location.hash === '#niemand-aan-zet'")
    page.context.close()


def test_beheer_in_english_and_for_someone_who_is_not_a_beheerder(
        browser: Any, demo: Demo) -> None:
    page = open_tab(browser, demo, "/tab/beheer", DESKTOP, "?lang=en")
    sign_in(page, "Sanne Vos", "Continue as this user")
    hub = page.get_by_role("list", name="Parts of Administration")
    for link in ("Go to the flows", "To the decision register", "To Insight", "To these dossiers"):
        assert hub.get_by_role("link", name=link).is_visible(), link
    page.context.close()

    page = open_tab(browser, demo, "/tab/beheer", PHONE)
    sign_in(page, "Jeroen Visser")
    page.get_by_text(re.compile("Beheer is voor de beheerders van paraaf")).wait_for()
    assert page.get_by_role("list", name="Onderdelen van Beheer").count() == 0
    page.get_by_role("link", name="Naar het besluitenregister").click()
    page.get_by_role("heading", name="Besluitenregister").wait_for()
    page.context.close()
