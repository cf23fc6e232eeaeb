"""The bot over real HTTP on /api/messages: concurrency, stale clicks, forged card data, auth."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.bot_http import (
    BotClient,
    activity,
    bot_server,
    card_text,
    copy_demo,
    execute_verbs,
    say,
)
from tests.e2e.connector import Connector

FINANCE = "f.meijer@voorbeeldstad.nl"
FINANCE2 = "d.hendriks@voorbeeldstad.nl"
INITIATOR = "t.dejong@voorbeeldstad.nl"
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}




async def test_two_concurrent_clicks_record_one_advice_and_both_get_the_fresh_card(
    client: BotClient,
) -> None:
    before = await client.event_types("DEMO-1")
    first, second = await asyncio.gather(client.invoke(FINANCE, "advise", ADVICE),
                                         client.invoke(FINANCE, "advise", ADVICE))
    after = await client.event_types("DEMO-1")
    assert after.count("AdviceGiven") == before.count("AdviceGiven") + 1
    for card in (first, second):
        assert "advise" not in execute_verbs(card)  # the task is done: a read-only card
        assert "Paraaf afdelingshoofd" in card_text(card)  # the dossier moved on


async def test_a_colleague_in_the_same_group_sees_it_was_done(client: BotClient) -> None:
    await client.invoke(FINANCE, "advise", ADVICE)
    before = await client.event_types("DEMO-1")
    card = await client.invoke(FINANCE2, "advise", ADVICE)
    assert await client.event_types("DEMO-1") == before
    assert "al afgehandeld door Fleur Meijer" in card_text(card)
    assert execute_verbs(card) <= {"refresh"}


async def test_non_assignee_gets_the_read_only_card_and_no_event(client: BotClient) -> None:
    before = await client.event_types("DEMO-1")
    card = await client.invoke(INITIATOR, "advise", ADVICE)
    assert await client.event_types("DEMO-1") == before
    assert "Het is niet jouw beurt in dit dossier." in card_text(card)
    assert execute_verbs(card) <= {"refresh"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dossier_id": "DEMO-2"}, "niet betrokken bij dit dossier"),
        ({"dossier_id": "DEMO-999"}, "Er is geen dossier"),
        ({"dossier_id": "../../etc"}, "ongeldige gegevens"),
        ({"stage_id": None}, "ongeldige gegevens"),
        ({"admin": True}, "unexpected field 'admin'"),
        ({"text": "x" * 100_000}, "maximaal 4000 tekens"),
        ({"advice": "heel goed"}, "Kies positief, negatief of neutraal."),
        ({"round": "1"}, "ongeldige gegevens"),
        ({"version": True}, "ongeldige gegevens"),
        ({"on_behalf_of": {"oid": "x"}}, "ongeldige gegevens"),
    ],
)
async def test_forged_card_data_gets_a_clear_message_and_no_event(
    client: BotClient, change: dict[str, Any], message: str
) -> None:
    before = {d: await client.event_types(d) for d in ("DEMO-1", "DEMO-2")}
    data = {k: v for k, v in {**ADVICE, **change}.items() if v is not None}
    card = await client.invoke(FINANCE, "advise", data)
    assert message in card_text(card)
    assert {d: await client.event_types(d) for d in before} == before


async def test_another_verb_than_the_stage_asks_is_refused(client: BotClient) -> None:
    before = await client.event_types("DEMO-1")
    card = await client.invoke(FINANCE, "approve", ADVICE)
    assert ("De stap ‘Financieel advies’ vraagt niet om ‘accorderen’ maar om ‘adviseren’."
            in card_text(card))
    assert await client.event_types("DEMO-1") == before


async def test_unknown_verb_and_data_that_is_no_object(client: BotClient) -> None:
    assert "unknown action" in card_text(await client.invoke(FINANCE, "steal", ADVICE))
    assert "ongeldige gegevens" in card_text(await client.invoke(FINANCE, "advise", ["x"]))


async def test_unknown_user_gets_a_clear_card_and_nothing_is_written(client: BotClient) -> None:
    before = await client.event_types("DEMO-1")
    card = await client.invoke(FINANCE, "advise", ADVICE,
                               oid="00000000-0000-4000-8000-00000000dead")
    assert "We kennen je niet" in card_text(card)
    assert await client.event_types("DEMO-1") == before


async def test_english_locale_gets_english_cards(client: BotClient) -> None:
    card = await client.invoke(INITIATOR, "advise", ADVICE, locale="en-US")
    assert "It is not your turn" in card_text(card) or "not your turn" in card_text(card)


async def test_bad_requests_are_400_not_500(client: BotClient) -> None:
    assert (await client.post(None, raw=b"{not json"))[0] == 400
    assert (await client.post({"no": "type"}))[0] == 400
    outside = activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"})
    outside["serviceUrl"] = "https://smba.trafficmanager.net/emea/"
    assert (await client.post(outside))[0] == 400


# forged and expired tokens, against a signing service on 127.0.0.1: test_front_door_auth.py
@pytest.mark.parametrize("header", [None, "Bearer", "Bearer abc", "Basic dXNlcjpwYXNz",
                                    "bearer " + "a.b.c"])
async def test_production_mode_answers_401_to_a_bad_authorization_header(
    demo_template: Path, tmp_path: Path, header: str | None
) -> None:
    env = {"PARAAF_MODE": "production", "PARAAF_HOST": "127.0.0.1",
           "PARAAF_APP_ID": "11111111-2222-3333-4444-555555555555",
           "PARAAF_APP_PASSWORD": "not-a-real-secret"}
    async with bot_server(copy_demo(demo_template, tmp_path / "data"), env) as prod:
        body = activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"})
        body["serviceUrl"] = "https://smba.trafficmanager.net/emea/"
        status, payload = await prod.post(body, {"Authorization": header} if header else {})
        assert status == 401, payload
        assert payload == {"error": "unauthorized"}






async def test_local_demo_plays_another_part_and_records_that_person(
    client: BotClient, connector: Connector
) -> None:
    assert "Fleur Meijer" in await say(client, connector, INITIATOR, "als f.meijer")
    card = await client.invoke(INITIATOR, "advise", ADVICE)
    assert "Gelukt" in card_text(card)
    events = await client.wiring.services.store.load("DEMO-1")
    advice = [e for e in events if e.type.value == "AdviceGiven"][-1]
    assert advice.actor.upn == FINANCE
    assert "weer jezelf" in await say(client, connector, INITIATOR, "als mezelf")
    after = card_text(await client.invoke(INITIATOR, "advise", ADVICE))
    assert "al afgehandeld door Fleur Meijer" in after


async def test_chat_commands_answer_with_cards(client: BotClient, connector: Connector) -> None:
    assert "Hoi, ik ben paraaf" in await say(client, connector, INITIATOR, "hallo")
    assert "Mijn taken" in await say(client, connector, FINANCE, "mijn taken")
    assert "Herinrichting Marktplein" in await say(client, connector, FINANCE, "status DEMO-1")
    assert "Er is geen dossier" in await say(client, connector, FINANCE, "status NOPE")
    assert "Collegevoorstel" in await say(client, connector, INITIATOR, "start")
    assert "We vinden" in await say(client, connector, INITIATOR, "als niemand")


async def test_production_has_no_role_switch(demo_template: Path, tmp_path: Path,
                                             connector: Connector) -> None:
    from bot.teams.server import Runtime

    async with bot_server(copy_demo(demo_template, tmp_path / "data")) as running:
        runtime: Runtime = running.app_runtime
        runtime.bot.ctx.local_demo = False
        text = await say(running, connector, INITIATOR, "als f.meijer")
        assert "Hoi, ik ben paraaf" in text  # just the help card
        card = await running.invoke(INITIATOR, "advise", ADVICE)
        assert "beurt" in card_text(card)


async def test_the_next_assignee_gets_the_documents_when_their_stage_starts(
    client: BotClient,
) -> None:
    """Access is outbox work: the delivery worker settles it after the commit."""
    people = [await client.wiring.directory.user(upn)
              for upn in ("h.vandijk@voorbeeldstad.nl", FINANCE, FINANCE2)]
    head, finance, finance2 = [p.oid for p in people if p is not None]
    assert head not in await client.wiring.documents.access("DEMO-1")
    await client.invoke(FINANCE, "advise", ADVICE)  # the advice is complete: paraaf starts
    await client.app_runtime.bot.drain()
    await client.app_runtime.bot.delivery.run_once(limit=100)
    access = await client.wiring.documents.access("DEMO-1")
    assert (access.get(head), access.get(finance), access.get(finance2)) == (
        "write", "read", None)  # finance acted; her colleague's part ended without acting


async def test_someone_not_involved_cannot_see_a_dossier(
    client: BotClient, connector: Connector
) -> None:
    outsider = "g.bos@voorbeeldstad.nl"
    card = await client.invoke(outsider, "refresh", {"dossier_id": "DEMO-3"})
    assert "niet betrokken" in card_text(card)
    assert "Familie El Amrani" not in card_text(card)  # personal data stays hidden
    assert "niet betrokken" in await say(client, connector, outsider, "status DEMO-3")
    beheerder = await client.invoke("s.vos@voorbeeldstad.nl", "refresh", {"dossier_id": "DEMO-3"})
    assert "Familie El Amrani" in card_text(beheerder)


async def test_a_start_form_cannot_pick_a_version_that_is_not_published(
    client: BotClient,
) -> None:
    from approvals.flows.yaml_io import parse_flow

    flows = client.wiring.services.flows
    record = await flows.get("energietoeslag")
    assert record is not None
    source = record.source.replace("version: 1", "version: 2")
    await flows.save(parse_flow(source), source)  # a concept, not published
    data = {"flow_id": "energietoeslag", "flow_version": 2, "title": "Via een concept",
            "field.aanvrager": "X", "field.zaaknummer": "Z-1", "field.huishoudinkomen": "1",
            "field.behandelaar": "l.smit@voorbeeldstad.nl"}
    card = await client.invoke(INITIATOR, "start", data)
    assert "Kies een processtroom" in card_text(card)
    assert [s for s in await client.wiring.services.store.list_summaries()
            if s.title == "Via een concept"] == []


async def test_the_same_start_form_sent_twice_starts_one_dossier(client: BotClient) -> None:
    data = {"flow_id": "energietoeslag", "flow_version": 1, "title": "Twee keer verstuurd",
            "field.aanvrager": "X", "field.zaaknummer": "Z-2", "field.huishoudinkomen": "1",
            "field.behandelaar": "l.smit@voorbeeldstad.nl",
            "documents": "https://voorbeeldstad.sharepoint.com/a%2Fb.docx"}
    body = activity(INITIATOR, verb="start", data=data)
    first = await client.post(body)
    second = await client.post(body)
    assert first[0] == second[0] == 200
    started = [s for s in await client.wiring.services.store.list_summaries()
               if s.title == "Twee keer verstuurd"]
    assert len(started) == 1
    assert started[0].id in card_text(second[1]["value"])


def _styled(card: Any, style: str) -> str:
    """The texts inside containers of a style, in one string."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Container" and node.get("style") == style:
                found.append(card_text(node))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(found)


async def test_status_without_a_number_is_a_usage_hint(client: BotClient,
                                                       connector: Connector) -> None:
    before = len(connector.posted)
    await say(client, connector, FINANCE, "status")
    [(_, _, body)] = connector.posted[before:]
    card = body["attachments"][0]["content"]
    assert "status DEMO-1" in _styled(card, "accent")
    assert "Er ging iets mis" not in card_text(card)
    assert _styled(card, "attention") == ""


async def test_opening_a_task_from_my_tasks_keeps_the_list(client: BotClient,
                                                           connector: Connector) -> None:
    await say(client, connector, FINANCE, "mijn taken")
    before = len(connector.posted)
    answer = await client.invoke(FINANCE, "open", {"dossier_id": "DEMO-1"},
                                 service_url=connector.url)
    assert "Mijn taken" in card_text(answer)  # the list stays where it was
    assert "open" in execute_verbs(answer)
    [(_, _, body)] = connector.posted[before:]  # the dossier as a card of its own, below it
    opened = body["attachments"][0]["content"]
    assert "DEMO-1" in card_text(opened) and "advise" in execute_verbs(opened)


async def test_a_refused_click_is_a_warning_and_a_recorded_one_a_success(
        client: BotClient) -> None:
    done = await client.invoke(FINANCE, "advise", ADVICE)
    assert "Gelukt" in _styled(done, "good")
    again = await client.invoke(FINANCE2, "advise", ADVICE)
    assert "al afgehandeld" in _styled(again, "warning")
    assert "Gelukt" not in _styled(again, "good") and "afgehandeld" not in _styled(again, "good")


async def test_every_dossier_card_carries_its_number(client: BotClient,
                                                     connector: Connector) -> None:
    card = await client.invoke(FINANCE, "refresh", {"dossier_id": "DEMO-1"})
    assert "DEMO-1 · " in card_text(card)
    tasks = await say(client, connector, FINANCE, "mijn taken")
    assert "DEMO-1 · " in tasks and "Initiatiefnemer: Thomas de Jong" in tasks
