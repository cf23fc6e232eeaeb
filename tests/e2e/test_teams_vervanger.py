"""A standing substitute and four eyes as people see them in Teams: the real Agents Playground
in front of `paraaf` in local mode.

The head of department names her substitute in chat before her holiday; the paraaf that
arrives in the period goes to him, on her behalf, and she gets a card that says so. Handing the
task to the initiator is refused with the rule and the person; the substitute who initialled
gets no part in the accord.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from approvals import event_payloads as ev
from tests.e2e.bot_http import card_text
from tests.e2e.conftest import TeamsChat
from tests.e2e.test_teams_collegevoorstel import click, task_card

INITIATOR, JURIST, HEAD, DIRECTOR = "t.dejong", "e.vanleeuwen", "h.vandijk", "r.bakker"
TODAY = datetime.now(UTC).date()
FROM, TO = TODAY.isoformat(), (TODAY + timedelta(days=13)).isoformat()


async def test_the_paraaf_goes_to_the_substitute_while_the_head_is_away(chat: TeamsChat) -> None:
    pg = chat.pg
    await pg.install()
    named = await pg.send_text(HEAD, f"vervanger r.bakker {FROM} {TO} vakantie", locale="nl-NL")
    said = "\n".join(card_text(m.card) for m in named.replies)
    assert "Ruud Bakker vervangt Hanneke van Dijk" in said and "(vakantie)" in said

    start = await pg.send_text(INITIATOR, "start", locale="nl-NL")
    picker = start.replies[-1]
    mark = pg.mark()
    started = (await pg.invoke(INITIATOR, "start", {
        "flow_id": "collegevoorstel", "flow_version": 1, "title": "Bankjes Stationsplein",
        "field.onderwerp": "Nieuwe bankjes", "field.bedrag": "4000",
    }, picker))["value"]
    dossier = re.search(r"Dossier (\S+) is gestart", card_text(started))
    assert dossier, card_text(started)
    legal = await task_card(pg, JURIST, mark, "juridisch_advies")
    mark = pg.mark()
    await click(pg, JURIST, legal, "advise", advice="positief", text="Akkoord")

    # the substitute gets the task, on her behalf; she is told and keeps the dossier
    paraaf = await task_card(pg, DIRECTOR, mark, "paraaf_afdelingshoofd")
    assert "namens Hanneke van Dijk" in card_text(paraaf.card)
    told = await pg.wait_for_message(
        HEAD, since=mark, timeout=20,
        where=lambda m: "je vervanger Ruud Bakker" in card_text(m.card))
    assert "Bankjes Stationsplein" in card_text(told.card)

    # four eyes: she cannot hand the paraaf to the initiator instead
    refused = await click(pg, HEAD, told, "delegate", delegate_to="t.dejong@voorbeeldstad.nl",
                          delegate_reason="Hij kent het dossier")
    text = card_text(refused)
    assert "Niet toegestaan (vier-ogenprincipe)" in text
    assert "Thomas de Jong is initiatiefnemer" in text

    initialled = await click(pg, DIRECTOR, paraaf, "initial")
    assert "Gelukt" in card_text(initialled)
    events = await chat.bot.wiring.services.store.load(dossier.group(1))
    done = [e for e in events if e.type.value == "Initialled"][-1]
    assert done.actor.upn.startswith(DIRECTOR) and done.on_behalf_of is not None
    assert done.on_behalf_of.upn.startswith(HEAD)
    accord = [e for e in events if e.type.value == "StageStarted"][-1]
    assert isinstance(accord.payload, ev.StageStarted)
    assert accord.payload.stage == "accord_directeur"
    upns = {a.upn for a in accord.payload.assignees}
    assert upns and not any(u.startswith(DIRECTOR) for u in upns)  # he holds the paraaf
