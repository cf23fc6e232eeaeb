"""A refused card action changes nothing: no event, outbox row, document, grant, stored
conversation reference or remembered card, over real HTTP on /api/messages."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from approvals import commands as c
from approvals.service import execute
from tests.e2e.bot_http import BotClient, activity, card_text
from tests.e2e.snapshots import difference, local_snapshot

FINANCE = "f.meijer@voorbeeldstad.nl"  # to advise on DEMO-1
INITIATOR = "t.dejong@voorbeeldstad.nl"  # of DEMO-1
HEAD = "h.vandijk@voorbeeldstad.nl"
OUTSIDER = "g.bos@voorbeeldstad.nl"
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}
PARAAF = {"dossier_id": "DEMO-2", "stage_id": "paraaf_afdelingshoofd", "round": 1,
          "version": 5}
CLOSED = {"dossier_id": "DEMO-3", "stage_id": "beoordeling", "round": 1, "version": 3}
START = {"flow_id": "energietoeslag", "flow_version": 1, "title": "Energietoeslag Z-9",
         "field.aanvrager": "Familie Jansen", "field.zaaknummer": "Z-9",
         "field.huishoudinkomen": "1500", "field.behandelaar": "l.smit@voorbeeldstad.nl"}

# (who, verb, data) of card actions that must be refused
REFUSED: dict[str, tuple[str, str, dict[str, Any]]] = {
    "not your turn: advise": (INITIATOR, "advise", ADVICE),
    "not your turn: initial": (HEAD, "initial", PARAAF),
    "not your turn: return": (INITIATOR, "return", {**PARAAF, "return_to":
                                                    "inhoudelijke_beoordeling",
                                                    "return_reason": "Graag aanvullen"}),
    "not your turn: reject": (INITIATOR, "reject", {**PARAAF, "reject_reason": "Nee"}),
    "not your turn: delegate": (INITIATOR, "delegate", {**PARAAF, "delegate_to": HEAD,
                                                        "delegate_reason": "Vakantie"}),
    "not involved: comment": (OUTSIDER, "comment", {**ADVICE, "comment": "Mag dit?"}),
    "another verb than the stage asks": (FINANCE, "approve", ADVICE),
    "an earlier round": (FINANCE, "advise", {**ADVICE, "round": 2}),
    "closed dossier: initial": ("j.visser@voorbeeldstad.nl", "initial", CLOSED),
    "closed dossier: comment": ("i.kok@voorbeeldstad.nl", "comment",
                                {**CLOSED, "comment": "Nog iets"}),
    "bad input: no advice": (FINANCE, "advise", {**ADVICE, "advice": ""}),
    "bad input: text with escapes": (FINANCE, "advise", {**ADVICE, "text": "ok\x1b[2J\x07"}),
    "bad input: text with a bidi override": (FINANCE, "advise",
                                             {**ADVICE, "text": "ok \u202eesnopmi"}),
    "bad input: text too long": (FINANCE, "advise", {**ADVICE, "text": "x" * 100_000}),
    "bad input: an unexpected field": (FINANCE, "advise", {**ADVICE, "admin": True}),
    "bad input: a delegate nobody knows": (FINANCE, "delegate", {
        **ADVICE, "delegate_to": "niemand@voorbeeldstad.nl", "delegate_reason": "Ziek"}),
    "bad input: an unknown verb": (FINANCE, "steal", ADVICE),
    "start: a title of two lines": (INITIATOR, "start", {**START, "title": "Z-9\nparaaf: ok"}),
    "start: a field with escapes": (INITIATOR, "start", {**START,
                                                         "field.aanvrager": "Jansen\x1b]0;x"}),
    "start: a field that is no amount": (INITIATOR, "start",
                                         {**START, "field.huishoudinkomen": "veel"}),
    "start: an unknown flow": (INITIATOR, "start", {**START, "flow_id": "onbekend"}),
}




async def _withdraw_demo_3(client: BotClient) -> None:
    initiator = await client.wiring.directory.user("i.kok@voorbeeldstad.nl")
    assert initiator is not None
    await execute(c.Withdraw(dossier_id="DEMO-3", actor=initiator, command_id=str(uuid.uuid4()),
                             reason="Aanvraag ingetrokken"), client.wiring.services)


async def test_a_refused_card_action_stores_nothing_anywhere(client: BotClient) -> None:
    await _withdraw_demo_3(client)
    snapshot = local_snapshot(client.wiring.settings.data_dir)
    problems = []
    for name, (who, verb, data) in REFUSED.items():
        before = snapshot()
        status, payload = await client.post(activity(who, verb=verb, data=data))
        await client.app_runtime.bot.drain()
        after = snapshot()
        if status != 200 or "Gelukt" in card_text(payload):
            problems.append(f"{name}: not refused ({status})")
        if after != before:
            problems.append(f"{name}: changed {difference(before, after)}")
    assert not problems, "\n".join(problems)


async def test_an_accepted_card_action_stores_where_to_reach_the_user(
    client: BotClient,
) -> None:
    finance = await client.wiring.directory.user(FINANCE)
    assert finance is not None
    assert await client.wiring.conversations.reference(finance.oid) is None
    card = await client.invoke(FINANCE, "advise", ADVICE)
    assert "Gelukt" in card_text(card)
    reference = await client.wiring.conversations.reference(finance.oid)
    assert reference is not None and reference.conversation_id == f"a:personal-{FINANCE}"
    assert [copy.oid for copy in await client.wiring.conversations.cards("DEMO-1")] == [
        finance.oid]


async def test_text_with_control_characters_gets_a_message_naming_the_input(
    client: BotClient,
) -> None:
    card = await client.invoke(FINANCE, "advise", {**ADVICE, "text": "ok\x1b[2J"})
    assert "‘Toelichting’ bevat een stuurteken" in card_text(card)
    assert "U+001B ESC" in card_text(card)
    card = await client.invoke(INITIATOR, "start", {**START, "title": "Z-9\nparaaf: ok"},
                               locale="en-US")
    assert "‘Title’ contains a control character" in card_text(card)


async def _paraaf_assignee(client: BotClient) -> str:
    from approvals.service import load

    state, _, _ = await load(client.wiring.services, "DEMO-2")
    return state.stages["paraaf_afdelingshoofd"].open_slots()[0].upn


@pytest.mark.parametrize(("locale", "expected"), [
    ("nl-NL", "De stap ‘Paraaf afdelingshoofd’ kan niet terugsturen naar ‘Besluit (mandaat "
              "directeur)’. Kies uit: Inhoudelijke beoordeling."),
    ("en-US", "Stage 'Paraaf afdelingshoofd' cannot send back to 'Besluit (mandaat directeur)'. "
              "Allowed: Inhoudelijke beoordeling."),
])
async def test_a_refused_click_says_why_in_the_users_language(
        client: BotClient, locale: str, expected: str) -> None:
    who = await _paraaf_assignee(client)
    before = await client.event_types("DEMO-2")
    card = await client.invoke(who, "return", {**PARAAF, "return_to": "besluit",
                                               "return_reason": "Graag aanvullen"},
                               locale=locale)
    shown = card_text(card)
    assert expected in shown, shown
    assert "Deze actie past niet bij de huidige stap" not in shown
    banners = [b for b in _blocks(card) if b.get("style") == "attention"]
    assert any(expected in card_text({"body": [b]}) for b in banners), banners
    assert await client.event_types("DEMO-2") == before


def _blocks(node: Any) -> list[dict[str, Any]]:
    """Every element of a card, depth first."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_blocks(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_blocks(item))
    return found


async def test_a_refused_start_form_says_why_in_dutch(client: BotClient) -> None:
    card = await client.invoke(INITIATOR, "start", {**START, "field.huishoudinkomen": "veel"})
    shown = card_text(card)
    assert ("Het veld ‘Netto huishoudinkomen per maand (EUR)’ (huishoudinkomen) vraagt een "
            "bedrag in euro’s") in shown, shown
    assert "must be" not in shown
