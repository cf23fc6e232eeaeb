"""Issue 10's acceptance scenario in one run, in a real browser on the local demo.

A beheerder builds a new 4-stage flow in the designer (legal and financial advice in
parallel, the financial one only from 10.000; paraaf; accord; besluit), simulates it for two
sets of values and publishes it in at most 40 clicks and typed fields; an employee starts two
dossiers on it in the tab ("Nieuw dossier", after a refusal shown at its field); the assignees
act in their werkvoorraad (switching user with the local user picker): the advisers one task at
a time, the manager both paraafs in bulk, the director and the college one by one; the dossier
page shows the full timeline; the decision is in the Besluitenregister and in its CSV,
downloaded and read.

The whole scenario runs in the light, dark and high-contrast themes, each at desktop width and
at phone width (375 px, the smallest phones Teams runs on), each run on a store and server of
its own; the 40-action budget is asserted in each. At the end of each run the beheerder opens
Beheer and Inzicht (at phone width through the header's "Meer" menu, by keyboard). Every page is
screenshotted to test-artefacts/tab/acceptance-<theme>-<width>-*.png and checked by axe-core (no
serious or critical violations), and no page is wider than the window (a table scrolls in its
own box)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    Demo,
    axe_violations,
    paraaf,
    scrolls_sideways,
    shot,
    started_demo,
)
from tests.browser.test_stromen import BUDGET, build_simulate_publish
from tests.browser.test_tab import DESKTOP, PHONE, open_tab, sign_in, to_tab

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LARGE = "Inkoop Raamcontract schoonmaak"  # 25.000: both advices
SMALL = "Inkoop Vergadermeubilair"  # 800: the financial advice is skipped
DECISION = "=HYPERLINK(1) Akkoord met het raamcontract schoonmaak."
EMPLOYEE = "Thomas de Jong"  # starts both; his manager Hanneke van Dijk initials


PARTS = ("Werkvoorraad", "Dossiers", "Beheer", "Besluiten")  # and Inzicht for a beheerder


def check_page(page: Any, name: str) -> None:
    shot(page, f"acceptance-{name}")
    assert axe_violations(page) == [], name
    assert not scrolls_sideways(page), name


def header_fits(page: Any, parts: tuple[str, ...]) -> list[str]:
    """The parts shown as tabs in the header, after checking that each lies wholly in the
    window and the tab bar does not scroll: what does not fit is in the "Meer" menu, never
    cut off ("Bes…") nor reached by scrolling the header sideways."""
    nav = page.locator("header nav")
    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth"), "the tab bar scrolls"
    width = page.evaluate("window.innerWidth")
    shown = []
    for name in parts:
        tab = nav.get_by_role("tab", name=name, exact=True)
        if tab.is_visible():
            box = tab.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, name
            shown.append(name)
    return shown


def more_by_keyboard(page: Any, name: str) -> None:
    """The header's "Meer" menu by keyboard alone: Enter opens it, the arrow keys go to the
    part, Enter opens that part."""
    page.locator("header nav").get_by_role("button", name="Meer", exact=True).focus()
    page.keyboard.press("Enter")
    item = page.get_by_role("menuitem", name=name, exact=True)
    item.wait_for()
    for _ in range(len(PARTS) + 1):
        if item.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    assert item.evaluate("e => e === document.activeElement"), name
    page.keyboard.press("Enter")


def entry(page: Any, text: str) -> Any:
    """The row of an overview's table, or at phone width its card, that holds ``text``."""
    return page.get_by_role("row").or_(page.get_by_role("listitem")).filter(has_text=text)


def switch_user(page: Any, name: str) -> None:
    """The local user picker (the demo's stand-in for SSO): another colleague."""
    page.get_by_role("button", name="Andere gebruiker").click()
    sign_in(page, name)
    page.get_by_text(f"Aangemeld als {name}").wait_for()


def werkvoorraad(page: Any) -> None:
    to_tab(page, "Werkvoorraad")
    page.get_by_role("heading", name="Mijn werkvoorraad").wait_for()


def task(page: Any, title: str, verb: str) -> Any:
    """The werkvoorraad's task of this dossier, once it shows its button."""
    item = page.get_by_role("listitem").filter(has_text=title).filter(
        has=page.get_by_role("button", name=verb, exact=True))
    item.wait_for()
    return item


def start_dossier(page: Any, title: str, onderwerp: str, bedrag: str) -> str:
    """From the page shown: "Nieuw dossier", the flow, its fields, start; the dossier page."""
    page.get_by_role("button", name="Nieuw dossier").click()
    page.get_by_role("heading", name="Nieuw dossier").wait_for()
    page.get_by_label("Processtroom").select_option(label="Inkoopvoorstel")
    page.get_by_label("Titel van het dossier").fill(title)
    page.get_by_label(re.compile("^Onderwerp")).fill(onderwerp)
    page.get_by_label(re.compile("^bedrag", re.IGNORECASE)).fill(bedrag)
    page.get_by_role("button", name="Dossier starten").click()
    page.get_by_role("heading", name=re.compile(re.escape(title))).wait_for()
    number = page.url.rsplit("/", 1)[1].split("?")[0]
    assert re.fullmatch(r"\d{4}-[0-9A-Z]{8}", number), page.url
    return number


RUNS = tuple((theme, viewport) for viewport in (DESKTOP, PHONE)
             for theme in ("light", "dark", "contrast"))


def width_of(viewport: dict[str, int]) -> str:
    return "phone" if viewport is PHONE else "desktop"


@pytest.fixture
def run_demo(request: pytest.FixtureRequest, demo: Demo,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The store and server of one run: the module's own for the first (the light theme at
    desktop width; the English test below reads its flow), a new one for each other run."""
    theme, viewport = request.param
    if (theme, viewport) == RUNS[0]:
        yield demo
        return
    with ExitStack() as stack:
        yield stack.enter_context(started_demo(
            tmp_path_factory.mktemp(f"tab-demo-{theme}-{width_of(viewport)}")))


@pytest.mark.parametrize(("theme", "viewport", "run_demo"), [(*r, r) for r in RUNS],
                         ids=[f"{t}-{width_of(v)}" for t, v in RUNS], indirect=["run_demo"])
def test_the_whole_scenario_from_a_new_flow_to_the_decision_in_the_register(
        browser: Any, run_demo: Demo, theme: str, viewport: dict[str, int],
        tmp_path: Path) -> None:
    demo = run_demo
    run = f"{theme}-{width_of(viewport)}"
    page = open_tab(browser, demo, "/tab/beheer/stromen", viewport, f"?theme={theme}")
    page.get_by_role("heading", name="Kies een demogebruiker").wait_for()
    check_page(page, f"{run}-01-gebruiker-kiezen")

    # 1. the beheerder builds, simulates (twice) and publishes the flow
    sign_in(page, "Sanne Vos")
    page.get_by_role("link", name="Collegevoorstel").wait_for()
    check_page(page, f"{run}-02-stromen")
    # every part of the app is in the header, as a whole tab or in its "Meer" menu
    everything = (*PARTS, "Inzicht")
    shown = header_fits(page, everything)
    hidden = [name for name in everything if name not in shown]
    if hidden:
        page.locator("header nav").get_by_role("button", name="Meer", exact=True).click()
        items = page.get_by_role("menuitem")
        items.first.wait_for()
        assert items.all_inner_texts() == hidden
        check_page(page, f"{run}-02-meer")
        page.keyboard.press("Escape")
    assert viewport is not PHONE or hidden, "at phone width the beheerder's tabs do not all fit"
    hands = build_simulate_publish(page, f"acceptance-{run}-03-ontwerper")
    assert hands.total <= BUDGET, (hands.clicks, hands.typed)

    # 2. an employee starts two dossiers on it; a refusal first, shown at its field
    switch_user(page, EMPLOYEE)
    werkvoorraad(page)
    page.get_by_role("button", name="Nieuw dossier").click()
    page.get_by_role("heading", name="Nieuw dossier").wait_for()
    check_page(page, f"{run}-04-nieuw-dossier")
    page.get_by_label("Processtroom").select_option(label="Inkoopvoorstel")
    page.get_by_label(re.compile("^Onderwerp")).fill("Schoonmaak van de stadskantoren")
    page.get_by_label(re.compile("^bedrag", re.IGNORECASE)).fill("25.000")
    page.get_by_role("button", name="Dossier starten").click()  # no title
    # the domain's refusal, at the title: the field marked invalid, its message beside it
    page.locator("input[name=title][aria-invalid=true]").wait_for()
    assert page.get_by_role("heading", name="Nieuw dossier").is_visible()  # nothing started
    check_page(page, f"{run}-05-nieuw-dossier-fout-bij-het-veld")
    page.get_by_label("Titel van het dossier").fill(LARGE)
    page.get_by_role("button", name="Dossier starten").click()
    page.get_by_role("heading", name=re.compile(LARGE)).wait_for()
    large = page.url.rsplit("/", 1)[1].split("?")[0]
    check_page(page, f"{run}-06-dossier-gestart")
    to_tab(page, "Dossiers")  # the overview has the button too
    page.get_by_role("heading", name="Dossiers", exact=True).wait_for()
    entry(page, large).wait_for()
    check_page(page, f"{run}-06-dossiers")
    small = start_dossier(page, SMALL, "Stoelen en tafels voor zaal 2", "800")

    # 3. the assignees act in their werkvoorraad: the legal adviser on both, one at a time
    switch_user(page, "Emma van Leeuwen")
    werkvoorraad(page)
    for title in (LARGE, SMALL):
        task(page, title, "Advies geven").get_by_role("button", name="Advies geven").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("radio", name="Positief").check()
        dialog.get_by_label("Toelichting").fill("Past binnen de aanbestedingsregels.")
        if title == LARGE:
            check_page(page, f"{run}-07-advies-geven")
        dialog.get_by_role("button", name="Advies versturen").click()
        page.get_by_text(re.compile("Advies geven: gelukt voor")).wait_for()
        page.get_by_role("listitem").filter(has_text=title).wait_for(state="detached")
    switch_user(page, "Fleur Meijer")  # the financial advice: only the large amount
    werkvoorraad(page)
    task(page, LARGE, "Advies geven").get_by_role("button", name="Advies geven").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name="Positief").check()
    dialog.get_by_role("button", name="Advies versturen").click()
    page.get_by_text(re.compile("Advies geven: gelukt voor")).wait_for()
    assert page.get_by_role("listitem").filter(has_text=SMALL).count() == 0

    # the manager initials both in bulk: each its own event, a result per dossier
    switch_user(page, "Hanneke van Dijk")
    werkvoorraad(page)
    for title in (LARGE, SMALL):
        task(page, title, "Paraferen").get_by_role("checkbox").check()
    page.get_by_text("2 geselecteerd").wait_for()
    check_page(page, f"{run}-08-werkvoorraad-selectie")
    page.get_by_role("button", name="Selectie paraferen").click()
    page.get_by_text("Resultaat per dossier").wait_for()
    for title in (LARGE, SMALL):
        assert page.get_by_text(re.compile(f"{title}: Gelukt")).is_visible()
    check_page(page, f"{run}-09-na-bulk-paraferen")

    # the director approves, the college decides (the large one with a decision text)
    switch_user(page, "Marieke Jansen")
    werkvoorraad(page)
    for title in (LARGE, SMALL):
        task(page, title, "Accorderen").get_by_role("button", name="Accorderen").click()
        page.get_by_role("listitem").filter(has_text=title).wait_for(state="detached")
    switch_user(page, "Willem van den Berg")
    werkvoorraad(page)
    for title, text in ((LARGE, DECISION), (SMALL, "Akkoord met de aanschaf.")):
        task(page, title, "Besluiten").get_by_role("button", name="Besluiten").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Besluit").fill(text)
        if title == LARGE:
            check_page(page, f"{run}-10-besluiten")
        dialog.get_by_role("button", name="Besluit vastleggen").click()
        page.get_by_role("listitem").filter(has_text=title).wait_for(state="detached")
    page.get_by_text("Je hebt geen openstaande taken").wait_for()

    # 4. the dossier page: the full timeline, the advice, the decision, the audit chain
    page.goto(f"{demo.url}/tab/dossiers/{large}")
    page.get_by_role("heading", name=re.compile(LARGE)).wait_for()
    timeline = page.get_by_role("list").filter(has_text="Dossier gestart")
    events = timeline.get_by_role("listitem")
    events.first.wait_for()
    text = timeline.inner_text()
    for label, actor in (("Dossier gestart", EMPLOYEE), ("Advies gegeven", "Emma van Leeuwen"),
                         ("Advies gegeven", "Fleur Meijer"), ("Geparafeerd", "Hanneke van Dijk"),
                         ("Geaccordeerd", "Marieke Jansen"),
                         ("Besluit genomen", "Willem van den Berg")):
        assert events.filter(has_text=label).filter(has_text=actor).count() >= 1, (label, actor)
    assert "Dossier afgerond" in text
    assert page.get_by_text(re.compile("Onveranderd: alle \\d+ gebeurtenissen")).is_visible()
    assert page.get_by_text(DECISION).first.is_visible()
    check_page(page, f"{run}-11-dossier-tijdlijn")
    page.goto(f"{demo.url}/tab/dossiers/{small}")
    page.get_by_role("heading", name=re.compile(SMALL)).wait_for()
    assert page.get_by_text("Stap overgeslagen").count() >= 1  # the financial advice

    # every action was the tab's own command, recorded as its own event
    shown = paraaf(demo.data, "dossier", "show", small)
    assert [(e["actor"]["name"], e["channel"]) for e in shown["timeline"]
            if e["type"] == "Initialled"] == [("Hanneke van Dijk", "tab")]
    assert shown["status"] == "completed"

    # 5. the decision in the Besluitenregister and in its CSV
    to_tab(page, "Besluiten")
    page.get_by_role("heading", name="Besluitenregister").wait_for()
    row = entry(page, large)
    row.wait_for()
    assert "Willem van den Berg" in row.inner_text() and DECISION in row.inner_text()
    check_page(page, f"{run}-12-besluitenregister")
    page.get_by_role("searchbox").fill("Raamcontract")
    entry(page, small).wait_for(state="detached")
    with page.expect_download() as started:
        page.get_by_role("button", name="Exporteren als CSV").click()
    target = tmp_path / "besluiten.csv"
    started.value.save_as(str(target))
    header, *rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert header[:3] == ["Datum", "Dossiernummer", "Titel"]
    [line] = rows
    assert (line[1], line[2]) == (large, LARGE)
    assert line[6] == "'" + DECISION  # no formula in a spreadsheet

    # 6. the beheerder's hub and Inzicht: the new flow's two dossiers, both closed
    switch_user(page, "Sanne Vos")
    to_tab(page, "Beheer")
    page.get_by_role("heading", name="Dossiers waarin niemand aan zet is").wait_for()
    check_page(page, f"{run}-13-beheer")
    if viewport is PHONE:  # Inzicht is in the "Meer" menu: by keyboard there
        more_by_keyboard(page, "Inzicht")
    else:
        to_tab(page, "Inzicht")
    flows = page.get_by_role("region", name="Doorlooptijd per stroom")
    cells = flows.get_by_role("row").filter(has_text="Inkoopvoorstel").get_by_role("cell")
    cells.first.wait_for()
    assert cells.all_inner_texts()[:3] == ["Inkoopvoorstel", "2", "2"]  # started, closed
    check_page(page, f"{run}-14-inzicht")
    page.context.close()


def test_starting_a_dossier_in_english_by_keyboard(browser: Any, demo: Demo) -> None:
    """The start page by keyboard alone, in English: a refused amount puts the focus on its
    field with the domain's words; corrected, Enter starts the dossier."""
    page = open_tab(browser, demo, "/tab/nieuw", DESKTOP, "?lang=en&stroom=inkoopvoorstel")
    sign_in(page, "Iris Kok", "Continue as this user")
    page.get_by_role("heading", name="New dossier").wait_for()
    assert page.get_by_label("Flow").input_value() == "inkoopvoorstel"
    page.get_by_label("Flow").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("Inkoop Koffieautomaten")
    page.keyboard.press("Tab")
    page.keyboard.type("Twee automaten voor de kantine")
    page.keyboard.press("Tab")
    page.keyboard.type("heel veel")
    page.keyboard.press("Enter")
    bedrag = page.locator("input[name='fields.bedrag'][aria-invalid=true]")
    bedrag.wait_for()
    assert page.evaluate("document.activeElement.name") == "fields.bedrag"
    check_page(page, "english-nieuw-dossier-fout-bij-het-veld")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("1.200")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Inkoop Koffieautomaten")).wait_for()
    check_page(page, "english-dossier-gestart")
    page.context.close()
