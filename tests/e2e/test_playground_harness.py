"""The Playground harness against the real Agents Playground and a tiny botbuilder bot.

One Playground and one echo bot serve the whole module; each test looks only at what happened
after its own ``mark``. Skipped, with the reason, where Node.js is missing or the npm registry
cannot be reached.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from playground.config import BOT_NAME_MAX, COLLEGEVOORSTEL_CAST, build_config, read_directory
from tests.e2e.echo_bot import EchoBot, run_echo_bot
from tests.e2e.playground import BotMessage, Playground, PlaygroundError, PlaygroundUnavailable

on_module_loop = pytest.mark.asyncio(loop_scope="module")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
USER_FIELDS = {"id", "name", "userPrincipleName", "aadObjectId", "givenName", "surname", "email"}


@dataclass
class Stage:
    bot: EchoBot
    pg: Playground


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stage() -> AsyncIterator[Stage]:
    async with AsyncExitStack() as stack:
        running = await stack.enter_async_context(run_echo_bot())
        try:
            pg = await stack.enter_async_context(Playground(running.endpoint, timeout=10))
        except PlaygroundUnavailable as error:
            pytest.skip(str(error))
        yield Stage(running.bot, pg)


def facts(card: dict[str, Any] | None) -> dict[str, str]:
    assert card is not None
    return {f["title"]: f["value"] for f in card["body"][1]["facts"]}


def oid(pg: Playground, who: str) -> str:
    return pg.user(who)["aadObjectId"]


# ---------------------------------------------------------------- config (no Node needed)


def test_config_has_the_collegevoorstel_cast_with_object_ids_as_ids() -> None:
    directory = read_directory()
    config = build_config(directory)
    people = [config["currentUser"], *config["users"]]
    assert [p["userPrincipleName"].split("@")[0] for p in people] == list(COLLEGEVOORSTEL_CAST)
    assert len(config["users"]) == 5
    for person in people:
        assert set(person) == USER_FIELDS
        assert person["id"] == person["aadObjectId"] and GUID.match(person["id"])
    assert config["currentUser"]["givenName"] == "Thomas"
    assert config["currentUser"]["surname"] == "de Jong"
    assert config["version"] == "0.1.1"
    assert GUID.match(config["tenantId"]) and GUID.match(config["bot"]["id"])
    assert GUID.match(config["team"]["aadGroupId"])
    assert 0 < len(config["bot"]["name"]) <= BOT_NAME_MAX


def test_config_refuses_a_wrong_cast() -> None:
    directory = read_directory()
    with pytest.raises(ValueError, match="exactly 6"):
        build_config(directory, COLLEGEVOORSTEL_CAST[:5])
    with pytest.raises(ValueError, match="names 0 directory users"):
        build_config(directory, ("nobody", *COLLEGEVOORSTEL_CAST[1:]))
    with pytest.raises(ValueError, match="twice"):
        build_config(directory, (*COLLEGEVOORSTEL_CAST[:5], "t.dejong@voorbeeldstad.nl"))
    with pytest.raises(ValueError, match="bot name"):
        build_config(directory, bot_name="x" * (BOT_NAME_MAX + 1))


# ---------------------------------------------------------------- through the Playground


@on_module_loop
async def test_install_is_greeted_in_the_current_users_chat(stage: Stage) -> None:
    pg = stage.pg
    chat = await pg.conversation_id_for("t.dejong")
    sent = await pg.install()
    assert [e.activity["type"] for e in sent] == ["installationUpdate", "conversationUpdate"]
    assert all(e.status < 300 for e in sent)
    assert sent[0].activity["channelData"]["tenant"]["id"] == pg.tenant_id
    greeting = await pg.wait_for_message("t.dejong", since=sent[0].mark,
                                         where=lambda m: m.text.startswith("welkom"))
    assert greeting.text == f"welkom {oid(pg, 't.dejong')}"
    assert greeting.conversation_id == chat
    await pg.wait_for(lambda: pg.stream_events("createMessage", chat))


@on_module_loop
async def test_another_user_installs_and_is_greeted_in_their_own_chat(stage: Stage) -> None:
    pg = stage.pg
    chat = await pg.conversation_id_for("h.vandijk")
    sent = await pg.install(chat)
    assert [e.activity["type"] for e in sent] == ["installationUpdate", "conversationUpdate"]
    assert all(e.activity["from"]["aadObjectId"] == oid(pg, "h.vandijk") for e in sent)
    greeting = await pg.wait_for_message("h.vandijk", since=sent[0].mark)
    assert greeting.text == f"welkom {oid(pg, 'h.vandijk')}"


@on_module_loop
async def test_text_from_the_current_user_carries_identity_and_tenant(stage: Stage) -> None:
    pg = stage.pg
    sent = await pg.send_text("t.dejong", "hallo")
    activity = sent.activity
    assert sent.status < 300
    assert activity["from"]["aadObjectId"] == activity["from"]["id"] == oid(pg, "t.dejong")
    assert activity["from"]["name"] == "Thomas de Jong"
    assert activity["channelData"]["tenant"]["id"] == pg.tenant_id
    assert activity["conversation"]["conversationType"] == "personal"
    assert activity["channelId"] == "msteams"
    assert stage.bot.received[-1]["id"] == activity["id"]
    [reply] = sent.replies
    assert facts(reply.card) == {"oid": oid(pg, "t.dejong"), "tenant": pg.tenant_id,
                                 "count": "0"}


@on_module_loop
async def test_text_from_another_user_arrives_as_that_user(stage: Stage) -> None:
    pg = stage.pg
    sent = await pg.send_text("e.vanleeuwen", "advies volgt", locale="nl-NL")
    activity = sent.activity
    assert activity["from"]["aadObjectId"] == oid(pg, "e.vanleeuwen")
    assert activity["channelData"]["tenant"]["id"] == pg.tenant_id
    assert activity["locale"] == "nl-NL"
    received = next(a for a in stage.bot.received if a["id"] == activity["id"])
    assert received["from"]["aadObjectId"] == oid(pg, "e.vanleeuwen")
    [reply] = sent.replies
    assert reply.conversation_id == await pg.conversation_id_for("e.vanleeuwen")
    assert facts(reply.card)["oid"] == oid(pg, "e.vanleeuwen")
    # another user's chat is not on the conversation stream (only the log stream sees it)
    assert not pg.stream_events(conversation=reply.conversation_id)


@on_module_loop
async def test_group_chat_text_mentions_the_bot_and_keeps_the_sender(stage: Stage) -> None:
    pg = stage.pg
    mine = await pg.send_text("t.dejong", "groep", conversation=pg.group_chat_id)
    theirs = await pg.send_text("f.meijer", "ook groep", conversation=pg.group_chat_id)
    assert mine.activity["conversation"]["isGroup"] is True
    assert facts(mine.replies[0].card)["oid"] == oid(pg, "t.dejong")
    assert facts(theirs.replies[0].card)["oid"] == oid(pg, "f.meijer")
    await pg.wait_for(lambda: len(pg.stream_events("createMessage", pg.group_chat_id)) >= 2)


@on_module_loop
async def test_invoke_returns_the_new_card_and_the_message_is_updated_in_place(
        stage: Stage) -> None:
    pg = stage.pg
    [card] = (await pg.send_text("t.dejong", "kaart")).replies
    data = card.card["actions"][0]["data"] if card.card else {}
    answer = await pg.invoke("t.dejong", "bump", data, card)
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert facts(answer["value"])["count"] == "1"
    updated = await pg.wait_for_update(card)
    assert updated is card and facts(card.card)["count"] == "1"
    await pg.wait_for(lambda: [e for e in pg.stream_events("updateMessage", card.conversation_id)
                               if e["message"]["messageId"] == card.message_id])
    invoke = stage.bot.received[-1]
    assert invoke["type"] == "invoke" and invoke["name"] == "adaptiveCard/action"
    assert invoke["from"]["aadObjectId"] == oid(pg, "t.dejong")
    assert invoke["channelData"]["tenant"]["id"] == pg.tenant_id
    assert invoke["replyToId"] == card.message_id


@on_module_loop
async def test_only_a_chat_member_can_click_its_cards(stage: Stage) -> None:
    pg = stage.pg
    [card] = (await pg.send_text("r.bakker", "kaart")).replies
    answer = await pg.invoke("r.bakker", "bump", {"count": 4, "title": "x"}, card)
    assert facts(answer["value"]) == {"oid": oid(pg, "r.bakker"), "tenant": pg.tenant_id,
                                      "count": "5"}
    with pytest.raises(PlaygroundError) as refused:
        await pg.invoke("t.dejong", "bump", {"count": 0}, card)
    assert refused.value.status == 400


@on_module_loop
async def test_proactive_message_to_another_user_is_seen_on_the_log_stream(
        stage: Stage) -> None:
    pg = stage.pg
    mayor = oid(pg, "w.vandenberg")
    sent = await pg.send_text("t.dejong", f"notify {mayor} vergadering")
    note = await pg.wait_for_message("w.vandenberg", since=sent.mark)
    assert isinstance(note, BotMessage) and note not in sent.replies
    assert facts(note.card)["oid"] == mayor
    assert note.card is not None and note.card["body"][0]["text"] == "proactive: vergadering"
    assert sent.replies[0].text == f"notified {mayor} {note.conversation_id}"
    assert await pg.conversation_id_for("w.vandenberg") == note.conversation_id
    assert not pg.stream_events(conversation=note.conversation_id)
    # the mayor can click the card the bot sent on its own initiative
    answer = await pg.invoke("w.vandenberg", "bump", {"count": 0, "title": "t"}, note)
    assert facts(answer["value"])["count"] == "1"
    assert not pg.recorder.bot_errors


@on_module_loop
async def test_text_and_card_in_one_activity_become_two_messages_without_an_id(
        stage: Stage) -> None:
    pg = stage.pg
    sent = await pg.send_text("t.dejong", "split")
    split, said = sent.replies
    assert split.message_id is None and split.text == "tekst" and split.card is not None
    assert said.text == "split id ''"  # botbuilder's ResourceResponse of a 202
    chat = split.conversation_id

    def shown_apart() -> bool:
        shown = [e["message"] for e in pg.stream_events("createMessage", chat)]
        return (any(m.get("text") == "tekst" and not m["attachments"] for m in shown)
                and any(not m.get("text") and m["attachments"]
                        and m["attachments"][0]["content"]["body"][0]["text"] == "split"
                        for m in shown))

    await pg.wait_for(shown_apart)


@on_module_loop
async def test_delete_is_not_implemented(stage: Stage) -> None:
    pg = stage.pg
    errors = len(pg.recorder.bot_errors)
    sent = await pg.send_text("t.dejong", "delete")
    assert [m.text for m in sent.replies] == ["weg ermee", "delete failed 501"]
    assert pg.recorder.bot_errors[errors]["response"]["statusCode"] == 501


@on_module_loop
async def test_the_playground_process_is_gone_after_the_block() -> None:
    async with run_echo_bot() as running:
        try:
            async with Playground(running.endpoint) as pg:
                process = pg._process
                assert process is not None and process.returncode is None
                workdir = pg.workdir
        except PlaygroundUnavailable as error:
            pytest.skip(str(error))
    assert process.returncode is not None
    assert not workdir.exists()
