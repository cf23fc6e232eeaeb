"""The tab as a person uses it: pick a demo user, see the werkvoorraad, initial one task,
initial two in bulk, open the dossier page and read the events; every page screenshotted and
checked by axe-core, at desktop and phone width and in the light, dark and high-contrast
themes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from approvals.flows.yaml_io import parse_flow
from tests.browser.conftest import Demo, axe_violations, paraaf, shot

pytestmark = pytest.mark.slow

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
ROOT = Path(__file__).resolve().parents[2]


def open_tab(browser: Any, demo: Demo, path: str, viewport: dict[str, int],
             query: str = "") -> Any:
    context = browser.new_context(viewport=viewport, locale="nl-NL", reduced_motion="reduce")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{demo.url}{path}{query}")
    return page


def sign_in(page: Any, name: str, button: str = "Verder als deze gebruiker") -> None:
    page.get_by_role("radio", name=re.compile(name)).check()
    page.get_by_role("button", name=button).click()


def to_tab(page: Any, name: str) -> None:
    """A part of the app from the header: its tab, or, when the tab bar is too narrow for it,
    the "Meer" menu's item."""
    tab = page.get_by_role("tab", name=name, exact=True)
    if tab.is_visible():
        tab.click()
        return
    page.locator("header nav").get_by_role("button", name="Meer", exact=True).click()
    page.get_by_role("menuitem", name=name, exact=True).click()


def check_page(page: Any, name: str) -> None:
    shot(page, name)
    assert axe_violations(page) == [], name


def dossier_id(demo: Demo, title: str) -> str:
    found = paraaf(demo.data, "dossier", "list")
    items = found["items"] if isinstance(found, dict) else found
    return next(d["id"] for d in items if d["title"] == title)


def test_initial_one_task_then_two_in_bulk_and_read_the_timeline(browser: Any,
                                                                 demo: Demo) -> None:
    page = open_tab(browser, demo, "/tab/werkvoorraad", DESKTOP)
    page.get_by_role("heading", name="Kies een demogebruiker").wait_for()
    check_page(page, "light-desktop-1-gebruiker-kiezen")

    sign_in(page, "Bas Peters")
    page.get_by_role("heading", name="Mijn werkvoorraad").wait_for()
    tasks = page.get_by_role("listitem").filter(has=page.get_by_role("button", name="Paraferen"))
    tasks.nth(2).wait_for()
    assert tasks.count() == 3
    assert page.get_by_text("Aangemeld als Bas Peters").is_visible()
    check_page(page, "light-desktop-2-werkvoorraad")

    # the overview: the dossiers Bas Peters is to act in, and a search on the number
    page.get_by_role("tab", name="Dossiers").click()
    page.get_by_role("heading", name="Dossiers", exact=True).wait_for()
    rows = page.get_by_role("row").filter(has_text="Energietoeslag")
    rows.nth(2).wait_for()
    assert rows.count() == 3
    for number in rows.get_by_role("link").all():  # on one line, not broken at its hyphen
        box = number.bounding_box()
        assert box is not None and box["height"] < 30, number.inner_text()
    check_page(page, "light-desktop-3-dossiers")
    page.get_by_role("searchbox").fill("Z-2026-0512")
    page.get_by_text("Pagina 1 van 1 · 2 dossiers").wait_for()
    assert rows.count() == 2
    assert rows.filter(has_text="Z-2026-04811").count() == 0
    # the period they started in: none of them started in 2099; the department's dropdown
    assert page.get_by_role("group", name="Gestart tussen").is_visible()
    page.get_by_label("Gestart vanaf").fill("2099-01-01")
    page.get_by_text("Geen dossiers gevonden.").wait_for()
    page.get_by_label("Gestart vanaf").fill("")
    page.get_by_text("Pagina 1 van 1 · 2 dossiers").wait_for()
    assert page.get_by_role("combobox", name="Afdeling van de initiatiefnemer").is_visible()
    page.get_by_role("tab", name="Werkvoorraad").click()
    page.get_by_role("heading", name="Mijn werkvoorraad").wait_for()

    # one task on its own, with the button its card has
    first = page.get_by_role("listitem").filter(has_text="Energietoeslag Z-2026-04811")
    first.get_by_role("button", name="Paraferen").click()
    page.get_by_text(re.compile(r"Paraferen: gelukt voor")).wait_for()
    page.get_by_role("listitem").filter(has_text="Energietoeslag Z-2026-04811").wait_for(
        state="detached")
    assert tasks.count() == 2
    check_page(page, "light-desktop-4-na-paraferen")

    # the other two at once: each its own command, a result per dossier
    for title in demo.extra:
        page.get_by_role("checkbox", name=re.compile(title)).check()
    page.get_by_text("2 geselecteerd").wait_for()
    page.get_by_role("button", name="Selectie paraferen").click()
    page.get_by_text("Resultaat per dossier").wait_for()
    for title in demo.extra:
        assert page.get_by_text(re.compile(f"{title}: Gelukt")).is_visible()
    page.get_by_text("Je hebt geen openstaande taken").wait_for()
    check_page(page, "light-desktop-5-na-bulk")

    # every one of the three was initialled by Bas Peters in the tab, as its own event
    for title in ("Energietoeslag Z-2026-04811", *demo.extra):
        shown = paraaf(demo.data, "dossier", "show", dossier_id(demo, title))
        initialled = [(e["actor"]["name"], e["channel"]) for e in shown["timeline"]
                      if e["type"] == "Initialled"]
        assert initialled == [("Bas Peters", "tab")], title

    # the dossier page, loaded afresh on its own address (a client route below /tab/)
    page.goto(f"{demo.url}/tab/dossiers/DEMO-3")
    page.get_by_role("heading", name=re.compile("Energietoeslag Z-2026-04811")).wait_for()
    timeline = page.get_by_role("list").filter(has_text="Dossier gestart")
    initialled = timeline.get_by_role("listitem").filter(has_text="Geparafeerd")
    assert initialled.count() == 1
    assert "door Bas Peters" in initialled.inner_text()
    assert re.search(r"\d{2}:\d{2} \(UTC[+-]?[\d:]*\)", initialled.inner_text())
    assert page.get_by_text(re.compile("Onveranderd: alle \\d+ gebeurtenissen")).is_visible()
    assert page.get_by_text("Familie El Amrani").is_visible()  # the dossier's fields
    terms = page.locator("section[aria-labelledby='fields-title'] dt").all_inner_texts()
    flow = parse_flow((ROOT / "local" / "demo" / "flows" / "energietoeslag.yaml").read_text())
    labels = {f.name: f.label for f in flow.fields}
    assert terms and set(terms) <= set(labels.values())  # the flow's labels, not field names
    values = page.locator("section[aria-labelledby='fields-title'] dd")
    widths = [values.nth(i).bounding_box()["width"] for i in range(values.count())]
    assert min(widths) > 100, widths  # a long label wraps; it does not squeeze the value
    check_page(page, "light-desktop-6-dossier")
    assert page.get_by_text("Besluit op de aanvraag").first.is_visible()  # the next stage

    page.get_by_role("tab", name="Beheer").click()
    page.get_by_role("heading", name="Beheer").wait_for()
    check_page(page, "light-desktop-7-beheer")
    page.context.close()


@pytest.mark.parametrize(("theme", "viewport"), [
    ("light", PHONE), ("dark", DESKTOP), ("contrast", DESKTOP), ("dark", PHONE),
    ("contrast", PHONE),
], ids=["light-phone", "dark-desktop", "contrast-desktop", "dark-phone", "contrast-phone"])
def test_every_page_in_every_theme_and_at_phone_width(browser: Any, demo: Demo, theme: str,
                                                      viewport: dict[str, int]) -> None:
    name = f"{theme}-{'phone' if viewport is PHONE else 'desktop'}"
    page = open_tab(browser, demo, "/tab/dossiers", viewport, f"?theme={theme}")
    page.get_by_role("heading", name="Kies een demogebruiker").wait_for()
    assert page.locator(f"[data-theme={theme}]").count() == 1
    check_page(page, f"{name}-1-gebruiker-kiezen")

    sign_in(page, "Jeroen Visser")
    page.get_by_role("heading", name="Dossiers", exact=True).wait_for()
    page.get_by_role("link", name=re.compile("DEMO-2")).wait_for()  # a row, or a card on a phone
    check_page(page, f"{name}-2-dossiers")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide"

    to_tab(page, "Werkvoorraad")  # at phone width, tabs that do not fit are in "Meer"
    page.get_by_role("heading", name="Mijn werkvoorraad").wait_for()
    page.get_by_role("listitem").first.wait_for()
    check_page(page, f"{name}-3-werkvoorraad")

    page.get_by_role("listitem").first.get_by_role("link").click()
    page.get_by_role("heading", name="Tijdlijn").wait_for()
    check_page(page, f"{name}-4-dossier")

    to_tab(page, "Beheer")
    page.get_by_role("heading", name="Beheer").wait_for()
    check_page(page, f"{name}-5-beheer")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.context.close()


def test_english_when_asked_and_operable_by_keyboard(browser: Any, demo: Demo) -> None:
    # the manifest's second tab URL, loaded directly
    page = open_tab(browser, demo, "/tab/beheer", DESKTOP, "?lang=en")
    page.get_by_role("heading", name="Pick a demo user").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    # the first radio, chosen and confirmed with the keyboard alone
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # the first demo user
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Administration").wait_for()
    check_page(page, "light-desktop-english-beheer")
    # and on to the werkvoorraad by keyboard: the tabs are one stop, the arrows move in them
    page.get_by_role("tab", name="Administration").focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="My tasks").wait_for()
    assert page.evaluate("document.activeElement.id") == "main"  # focus moved to the content
    check_page(page, "light-desktop-english-werkvoorraad")
    page.context.close()


def test_advice_in_its_dialog_and_the_refusal_for_a_task_another_advisor_completed(
        browser: Any, demo: Demo) -> None:
    # DEMO-1's financieel advies asks Daan Hendriks or Fleur Meijer (the first advice counts)
    daan = open_tab(browser, demo, "/tab/werkvoorraad", DESKTOP)
    sign_in(daan, "Daan Hendriks")
    daan.get_by_role("button", name="Advies geven").wait_for()

    fleur = open_tab(browser, demo, "/tab/werkvoorraad", DESKTOP)
    sign_in(fleur, "Fleur Meijer")
    fleur.get_by_role("button", name="Advies geven").click()
    dialog = fleur.get_by_role("dialog")
    dialog.wait_for()
    send = dialog.get_by_role("button", name="Advies versturen")
    assert send.is_disabled()  # no advice chosen yet
    dialog.get_by_role("radio", name="Positief").check()
    dialog.get_by_role("textbox", name="Toelichting").fill("Gedekt uit de reserve Binnenstad.")
    check_page(fleur, "light-desktop-8-advies-geven")
    send.click()
    fleur.get_by_text("Advies geven: gelukt voor DEMO-1.").wait_for()
    fleur.context.close()

    # Daan's page still shows the task: the same refusal as on the card, nothing recorded
    daan.get_by_role("button", name="Advies geven").click()
    dialog = daan.get_by_role("dialog")
    dialog.get_by_role("radio", name="Neutraal").check()
    dialog.get_by_role("button", name="Advies versturen").click()
    refusal = daan.get_by_role("status").filter(has_text="DEMO-1: ")
    refusal.wait_for()
    assert "al afgehandeld door Fleur Meijer" in refusal.inner_text()
    check_page(daan, "light-desktop-9-geweigerd")
    daan.get_by_text("Je hebt geen openstaande taken").wait_for()
    shown = paraaf(demo.data, "dossier", "show", "DEMO-1")
    advice = [e["actor"]["name"] for e in shown["timeline"]
              if e["type"] == "AdviceGiven" and e["stage"] == "financieel_advies"]
    assert advice == ["Fleur Meijer"]
    daan.context.close()


def test_a_decision_taken_in_its_dialog_shows_on_the_dossier_page(browser: Any,
                                                                  demo: Demo) -> None:
    # a dossier of its own, initialled on the command line: the decision is Jeroen Visser's
    title = "Energietoeslag Z-2026-05300"
    started = paraaf(demo.data, "dossier", "start", "--flow", "energietoeslag", "--as", "i.kok",
                     "--title", title, "--field", "aanvrager=Familie Bakker",
                     "--field", "zaaknummer=Z-2026-05300", "--field", "huishoudinkomen=1390",
                     "--field", "behandelaar=j.visser@voorbeeldstad.nl")
    paraaf(demo.data, "dossier", "act", "--as", "b.peters", "--action", "initial",
           started["id"])
    page = open_tab(browser, demo, "/tab/werkvoorraad", PHONE)
    sign_in(page, "Jeroen Visser")
    task = page.get_by_role("listitem").filter(has_text=title)
    task.get_by_role("button", name="Besluiten").click()
    dialog = page.get_by_role("dialog")
    record = dialog.get_by_role("button", name="Besluit vastleggen")
    assert record.is_disabled()  # a decision needs its text
    dialog.get_by_role("textbox", name="Besluit").fill("Toegekend: € 350 energietoeslag.")
    check_page(page, "light-phone-6-besluiten")
    record.click()
    page.get_by_text(re.compile("Besluiten: gelukt voor")).wait_for()

    page.goto(f"{demo.url}/tab/dossiers/{started['id']}")
    decision = page.get_by_role("region", name="Besluit")
    decision.get_by_text("Toegekend: € 350 energietoeslag.").wait_for()
    assert "Besloten door Jeroen Visser" in decision.inner_text()
    check_page(page, "light-phone-7-dossier-besloten")
    page.context.close()
