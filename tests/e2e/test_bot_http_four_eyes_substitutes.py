"""Four eyes and standing substitutes through the bot over real HTTP on /api/messages."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.bot_http import (
    BotClient,
    card_text,
    execute_actions,
    say,
)
from tests.e2e.connector import Connector

MAIL = "@voorbeeldstad.nl"
HEAD, SUBSTITUTE, FINANCE = "h.vandijk" + MAIL, "j.visser" + MAIL, "f.meijer" + MAIL
TODAY = datetime.now(UTC).date()
FROM, TO = TODAY.isoformat(), (TODAY + timedelta(days=13)).isoformat()
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}








def _outbox(client: BotClient) -> set[tuple[str, str]]:
    """(recipient UPN, kind) of the dossier's notifications waiting in the outbox."""
    with sqlite3.connect(client.wiring.settings.database) as db:
        rows = db.execute("SELECT recipient, kind FROM outbox WHERE dossier_id = 'DEMO-1'")
        return {(json.loads(row[0])["upn"], row[1]) for row in rows}


async def test_a_person_names_a_substitute_in_chat_and_the_task_goes_there(
    client: BotClient, connector: Connector
) -> None:
    said = await say(client, connector, HEAD, f"vervanger j.visser {FROM} {TO} vakantie")
    assert "Jeroen Visser vervangt Hanneke van Dijk" in said and "(vakantie)" in said
    assert "Jeroen Visser vervangt" in await say(client, connector, HEAD, "vervanger")
    await client.invoke(FINANCE, "advise", ADVICE)  # the advice is complete: paraaf starts
    told = _outbox(client)
    assert (SUBSTITUTE, "task") in told and (HEAD, "substituted") in told
    assert (HEAD, "task") not in told
    card = await client.invoke(SUBSTITUTE, "refresh", {"dossier_id": "DEMO-1"})
    assert "namens Hanneke van Dijk" in card_text(card)
    initial = next(a for a in execute_actions(card) if a["verb"] == "initial")
    done = await client.invoke(SUBSTITUTE, "initial", initial["data"])
    assert "Gelukt" in card_text(done)
    events = await client.wiring.services.store.load("DEMO-1")
    initialled = [e for e in events if e.type.value == "Initialled"][-1]
    assert initialled.actor.upn == SUBSTITUTE
    assert initialled.on_behalf_of is not None and initialled.on_behalf_of.upn == HEAD
    own = await client.invoke(HEAD, "refresh", {"dossier_id": "DEMO-1"})
    assert "Marktplein" in card_text(own)  # she keeps seeing the dossier


async def test_someone_else_cannot_name_a_substitute_for_a_colleague(
    client: BotClient, connector: Connector
) -> None:
    said = await say(client, connector, FINANCE,
                      f"vervanger voor h.vandijk j.visser {FROM} {TO} vakantie")
    assert ("Alleen Hanneke van Dijk of een beheerder kan een vervanger voor Hanneke van Dijk "
            "aanwijzen.") in said
    assert "Er is geen vervanger" in await say(client, connector, HEAD, "vervanger")
    said = await say(client, connector, "s.vos" + MAIL,
                      f"vervanger voor h.vandijk j.visser {FROM} {TO} ziekte")
    assert "Vastgelegd door Sanne Vos" in said
    assert "beëindigd" in await say(client, connector, HEAD, "vervanger stop")


@pytest.mark.parametrize(("text", "expected"), [
    (f"vervanger j.visser morgen {TO} vakantie", "‘morgen’ is geen datum"),
    ("vervanger j.visser", "Typ ‘vervanger ‹naam› ‹van› ‹tot› ‹reden›’"),
    (f"vervanger niemand {FROM} {TO} vakantie", "We vinden ‘niemand’ niet"),
    (f"vervanger j.visser {TO} {FROM} vakantie", "De periode eindigt op "),
    (f"vervanger h.vandijk {FROM} {TO} vakantie", "Een vervanger is iemand anders: kies een "
                                                  "collega."),
])
async def test_a_bad_chat_command_says_what_to_fix(
    client: BotClient, connector: Connector, text: str, expected: str
) -> None:
    assert expected in await say(client, connector, HEAD, text)
    assert "Er is geen vervanger" in await say(client, connector, HEAD, "vervanger")


async def test_a_delegation_to_the_initiator_is_refused_with_the_rule(
    client: BotClient,
) -> None:
    await client.invoke(FINANCE, "advise", ADVICE)
    card = await client.invoke(HEAD, "refresh", {"dossier_id": "DEMO-1"})
    delegate = next(a for a in execute_actions(card) if a["verb"] == "delegate")
    before = await client.event_types("DEMO-1")
    answer = await client.invoke(HEAD, "delegate", {
        **delegate["data"], "delegate_to": "t.dejong" + MAIL, "delegate_reason": "Verlof"})
    text = card_text(answer)
    assert "vier-ogenprincipe" in text and "Thomas de Jong is initiatiefnemer" in text
    assert "Paraaf afdelingshoofd" in text
    assert await client.event_types("DEMO-1") == before


async def test_the_initiator_cannot_start_as_the_decider_from_the_card(
    client: BotClient,
) -> None:
    answer = await client.invoke("i.kok" + MAIL, "start", {
        "flow_id": "energietoeslag", "flow_version": 1, "title": "Energietoeslag",
        "field.aanvrager": "A. de Boer", "field.zaaknummer": "Z-1",
        "field.huishoudinkomen": "1200", "field.behandelaar": "i.kok" + MAIL})
    text = card_text(answer)
    assert "vier-ogenprincipe" in text and "Iris Kok is initiatiefnemer" in text
    assert "het besluit (Besluit op de aanvraag)" in text
