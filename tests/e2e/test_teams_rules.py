"""Dutch amounts in Teams: the start form through the real Agents Playground in front of
`paraaf` in local mode, as a Dutch employee types them."""

from __future__ import annotations

import re

from tests.e2e.bot_http import card_text, execute_actions
from tests.e2e.playground import BotMessage, Playground

INITIATOR, FINANCE = "t.dejong", "f.meijer"


def _form(bedrag: str) -> dict[str, object]:
    return {"flow_id": "collegevoorstel", "flow_version": 1, "title": "Speeltuin Parkwijk",
            "field.onderwerp": "Nieuwe speeltuin", "field.bedrag": bedrag, "documents": ""}


async def _picker(pg: Playground) -> BotMessage:
    await pg.install()
    start = await pg.send_text(INITIATOR, "start", locale="nl-NL")
    return start.replies[-1]


async def test_typing_25_000_as_bedrag_asks_the_financial_advice(teams: Playground) -> None:
    pg = teams
    picker = await _picker(pg)
    form = (await pg.invoke(INITIATOR, "start_form", {"flow_id": "collegevoorstel"},
                            picker))["value"]
    bedrag = [n for n in _inputs(form) if n.get("id") == "field.bedrag"]
    assert bedrag and bedrag[0]["type"] == "Input.Text"  # typed text reaches paraaf as is
    mark = pg.mark()
    started = (await pg.invoke(INITIATOR, "start", _form("25.000"), picker))["value"]
    shown = card_text(started)
    assert re.search(r"Dossier \S+ is gestart", shown), shown
    assert "€ 25.000,00" in shown  # the value as understood
    assert "Financieel advies" in shown and "overgeslagen" not in shown

    def asks_advice(message: BotMessage) -> bool:
        return message.card is not None and any(
            (a.get("data") or {}).get("stage_id") == "financieel_advies"
            for a in execute_actions(message.card))
    await pg.wait_for_message(FINANCE, since=mark, where=asks_advice, timeout=20)


async def test_a_small_amount_says_why_the_financial_advice_is_skipped(
        teams: Playground) -> None:
    pg = teams
    picker = await _picker(pg)
    started = (await pg.invoke(INITIATOR, "start", _form("€ 8.000"), picker))["value"]
    assert ("Financieel advies overgeslagen: Financiële gevolgen (EUR) € 8.000,00 is kleiner "
            "dan € 10.000,00.") in card_text(started)


async def test_an_amount_that_reads_two_ways_is_refused_with_both(teams: Playground) -> None:
    pg = teams
    picker = await _picker(pg)
    refused = (await pg.invoke(INITIATOR, "start", _form("25,000"), picker))["value"]
    shown = card_text(refused)
    assert "‘25,000’ kan twee dingen betekenen: € 25,00 of € 25.000,00" in shown, shown
    assert "is gestart" not in shown


GUEST = "p.devries_ketenpartner.nl#EXT#@voorbeeldstad.onmicrosoft.com"


async def test_a_guest_is_offered_no_flow_and_cannot_start_one(teams: Playground) -> None:
    pg = teams
    await pg.install()
    await pg.send_text(INITIATOR, f"als {GUEST}", locale="nl-NL")
    picker = (await pg.send_text(INITIATOR, "start", locale="nl-NL")).replies[-1]
    assert "collegevoorstel" not in str(picker.card)  # only the flows they may start
    refused = (await pg.invoke(INITIATOR, "start", _form("5000"), picker))["value"]
    shown = card_text(refused)
    assert "Je kunt ‘Collegevoorstel’ niet starten" in shown, shown
    assert "is gestart" not in shown


async def test_a_start_warns_when_nobody_is_found_for_a_later_stage(
        teams: Playground) -> None:
    pg = teams
    await pg.install()
    await pg.send_text(INITIATOR, "als m.jansen", locale="nl-NL")  # has no manager
    picker = (await pg.send_text(INITIATOR, "start", locale="nl-NL")).replies[-1]
    started = (await pg.invoke(INITIATOR, "start", _form("5000"), picker))["value"]
    shown = card_text(started)
    assert "is gestart" in shown
    assert "Let op: voor Paraaf afdelingshoofd is nu niemand te vinden." in shown, shown


def _inputs(card: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(card, dict):
        if str(card.get("type", "")).startswith("Input."):
            found.append(card)
        for value in card.values():
            found += _inputs(value)
    elif isinstance(card, list):
        for value in card:
            found += _inputs(value)
    return found
