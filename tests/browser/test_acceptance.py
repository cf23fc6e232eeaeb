"""Issue 10's acceptance scenario in one run, in a real browser on the local demo.

A beheerder builds a new 4-stage flow in the designer (legal and financial advice in
parallel, the financial one only from 10.000; paraaf; accord; besluit), simulates it for two
sets of values and publishes it in at most 40 clicks and typed fields; an employee starts two
dossiers on it in the tab ("Nieuw dossier", after a refusal shown at its field); the assignees
act in their werkvoorraad (switching user with the local user picker): the advisers one task at
a time, the manager both paraafs in bulk, the director and the college one by one; the dossier
page shows the full timeline; the decision is in the Besluitenregister and in its CSV,
downloaded and read.

The full scenario runs in the light theme at desktop width. The same pages are then visited
(not acted on again: the scenario's state is what they show) at phone width (375 px) in the
light, dark and high-contrast themes, and at desktop width in the dark and high-contrast
themes; a full run per theme would take minutes each for the same assertions. Every page is
screenshotted to test-artefacts/tab/acceptance-*.png and checked by axe-core (no serious or
critical violations)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Demo, axe_violations, paraaf, shot
from tests.browser.test_stromen import BUDGET, build_simulate_publish
from tests.browser.test_tab import DESKTOP, PHONE, open_tab, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LARGE = "Inkoop Raamcontract schoonmaak"  # 25.000: both advices
SMALL = "Inkoop Vergadermeubilair"  # 800: the financial advice is skipped
DECISION = "=HYPERLINK(1) Akkoord met het raamcontract schoonmaak."
EMPLOYEE = "Thomas de Jong"  # starts both; his manager Hanneke van Dijk initials


def check_page(page: Any, name: str) -> None:
    shot(page, f"acceptance-{name}")
    assert axe_violations(page) == [], name


def switch_user(page: Any, name: str) -> None:
    """The local user picker (the demo's stand-in for SSO): another colleague."""
    page.get_by_role("button", name="Andere gebruiker").click()
    sign_in(page, name)
    page.get_by_text(f"Aangemeld als {name}").wait_for()


def werkvoorraad(page: Any) -> None:
    page.get_by_role("tab", name="Werkvoorraad").click()
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


def test_the_whole_scenario_from_a_new_flow_to_the_decision_in_the_register(
        browser: Any, demo: Demo, tmp_path: Path) -> None:
    page = open_tab(browser, demo, "/tab/beheer/stromen", DESKTOP)
    page.get_by_role("heading", name="Kies een demogebruiker").wait_for()
    check_page(page, "01-gebruiker-kiezen")

    # 1. the beheerder builds, simulates (twice) and publishes the flow
    sign_in(page, "Sanne Vos")
    page.get_by_role("link", name="Collegevoorstel").wait_for()
    check_page(page, "02-stromen")
    hands = build_simulate_publish(page, "acceptance-03-ontwerper")
    assert hands.total <= BUDGET, (hands.clicks, hands.typed)

    # 2. an employee starts two dossiers on it; a refusal first, shown at its field
    switch_user(page, EMPLOYEE)
    werkvoorraad(page)
    page.get_by_role("button", name="Nieuw dossier").click()
    page.get_by_role("heading", name="Nieuw dossier").wait_for()
    check_page(page, "04-nieuw-dossier")
    page.get_by_label("Processtroom").select_option(label="Inkoopvoorstel")
    page.get_by_label(re.compile("^Onderwerp")).fill("Schoonmaak van de stadskantoren")
    page.get_by_label(re.compile("^bedrag", re.IGNORECASE)).fill("25.000")
    page.get_by_role("button", name="Dossier starten").click()  # no title
    # the domain's refusal, at the title: the field marked invalid, its message beside it
    page.locator("input[name=title][aria-invalid=true]").wait_for()
    assert page.get_by_role("heading", name="Nieuw dossier").is_visible()  # nothing started
    check_page(page, "05-nieuw-dossier-fout-bij-het-veld")
    page.get_by_label("Titel van het dossier").fill(LARGE)
    page.get_by_role("button", name="Dossier starten").click()
    page.get_by_role("heading", name=re.compile(LARGE)).wait_for()
    large = page.url.rsplit("/", 1)[1].split("?")[0]
    check_page(page, "06-dossier-gestart")
    page.get_by_role("tab", name="Dossiers").click()  # the overview has the button too
    page.get_by_role("heading", name="Dossiers", exact=True).wait_for()
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
            check_page(page, "07-advies-geven")
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
    check_page(page, "08-werkvoorraad-selectie")
    page.get_by_role("button", name="Selectie paraferen").click()
    page.get_by_text("Resultaat per dossier").wait_for()
    for title in (LARGE, SMALL):
        assert page.get_by_text(re.compile(f"{title}: Gelukt")).is_visible()
    check_page(page, "09-na-bulk-paraferen")

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
            check_page(page, "10-besluiten")
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
    check_page(page, "11-dossier-tijdlijn")
    page.goto(f"{demo.url}/tab/dossiers/{small}")
    page.get_by_role("heading", name=re.compile(SMALL)).wait_for()
    assert page.get_by_text("Stap overgeslagen").count() >= 1  # the financial advice

    # every action was the tab's own command, recorded as its own event
    shown = paraaf(demo.data, "dossier", "show", small)
    assert [(e["actor"]["name"], e["channel"]) for e in shown["timeline"]
            if e["type"] == "Initialled"] == [("Hanneke van Dijk", "tab")]
    assert shown["status"] == "completed"

    # 5. the decision in the Besluitenregister and in its CSV
    page.get_by_role("tab", name="Besluiten").click()
    page.get_by_role("heading", name="Besluitenregister").wait_for()
    row = page.get_by_role("row").filter(has_text=large)
    row.wait_for()
    assert "Willem van den Berg" in row.inner_text() and DECISION in row.inner_text()
    check_page(page, "12-besluitenregister")
    page.get_by_role("searchbox").fill("Raamcontract")
    page.get_by_role("row").filter(has_text=small).wait_for(state="detached")
    with page.expect_download() as started:
        page.get_by_role("button", name="Exporteren als CSV").click()
    target = tmp_path / "besluiten.csv"
    started.value.save_as(str(target))
    header, *rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert header[:3] == ["Datum", "Dossiernummer", "Titel"]
    [line] = rows
    assert (line[1], line[2]) == (large, LARGE)
    assert line[6] == "'" + DECISION  # no formula in a spreadsheet
    page.context.close()


PAGES = (  # (name, path, the user, what shows when the page is ready)
    ("werkvoorraad", "/tab/werkvoorraad", EMPLOYEE, ("heading", "Mijn werkvoorraad")),
    ("nieuw-dossier", "/tab/nieuw?stroom=inkoopvoorstel", EMPLOYEE,
     ("heading", "Nieuw dossier")),
    ("dossiers", "/tab/dossiers", EMPLOYEE, ("text", LARGE)),
    ("dossier", "/tab/dossiers/{large}", EMPLOYEE, ("text", "Dossier afgerond")),
    ("besluitenregister", "/tab/besluiten", EMPLOYEE, ("text", LARGE)),
    ("stromen", "/tab/beheer/stromen", "Sanne Vos", ("link", "Inkoopvoorstel")),
    ("ontwerper", "/tab/beheer/stromen/inkoopvoorstel", "Sanne Vos",
     ("text", "De stroom is geldig.")),
)


@pytest.mark.parametrize(("theme", "viewport"), [
    ("light", PHONE), ("dark", PHONE), ("contrast", PHONE), ("dark", DESKTOP),
    ("contrast", DESKTOP),
], ids=["light-phone", "dark-phone", "contrast-phone", "dark-desktop", "contrast-desktop"])
def test_the_scenarios_pages_in_every_theme_and_at_phone_width(
        browser: Any, demo: Demo, theme: str, viewport: dict[str, int]) -> None:
    """Runs after the scenario (same module, same demo data): its flow and dossiers."""
    listed = paraaf(demo.data, "dossier", "list")
    items = listed["items"] if isinstance(listed, dict) else listed
    large = next(d["id"] for d in items if d["title"] == LARGE)
    width = "phone" if viewport is PHONE else "desktop"
    page = open_tab(browser, demo, "/tab/werkvoorraad", viewport, f"?theme={theme}")
    user = None
    for number, (name, path, who, (role, ready)) in enumerate(PAGES, start=1):
        if who != user:
            if user is not None:
                page.get_by_role("button", name="Andere gebruiker").click()
            sign_in(page, who)
            page.get_by_text(f"Aangemeld als {who}").wait_for()
            user = who
        page.goto(f"{demo.url}{path.format(large=large)}")
        if role == "text":
            page.get_by_text(ready).locator("visible=true").first.wait_for()
        else:
            page.get_by_role(role, name=ready).first.wait_for()
        if name == "nieuw-dossier":
            assert page.get_by_label("Processtroom").input_value() == "inkoopvoorstel"
            page.get_by_label("Titel van het dossier").wait_for()
        check_page(page, f"{theme}-{width}-{number:02d}-{name}")
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
