"""The answer to a card action, as botbuilder hands it to the server."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.settings import Settings
from bot.teams.botframework import CARD_TYPE, BotFrameworkGateway, ParaafHandler
from bot.teams.gateway import Inbound, TurnReply
from tests.e2e.bot_http import activity

CARD: dict[str, Any] = {
    "type": "AdaptiveCard", "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Opmerkingen in documenten", "wrap": True},
             {"type": "Container", "items": [{"type": "TextBlock", "text": "Ans · 23 nov."}]}],
    "refresh": {"action": {"type": "Action.Execute", "verb": "refresh",
                           "data": {"dossier_id": "2026-A", "version": 3}},
                "userIds": ["29:a"]},
}


async def test_card_action_is_answered_with_the_card_as_is(tmp_path: Any) -> None:
    seen: list[Inbound] = []

    async def logic(inbound: Inbound, reply: TurnReply) -> dict[str, Any]:
        seen.append(inbound)
        return CARD

    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    body = activity("t.dejong@voorbeeldstad.nl", verb="refresh",
                    data={"dossier_id": "2026-A", "version": 3})
    status, answer = await gateway.process_activity(None, body, ParaafHandler(logic))
    assert status == 200
    assert answer == {"statusCode": 200, "type": CARD_TYPE, "value": CARD}
    assert [i.verb for i in seen] == ["refresh"]


async def test_card_action_answer_is_json_already(tmp_path: Any) -> None:
    """msrest would walk the card node by node to make the same JSON (for a card with a
    dozen document comments that is most of a refresh's cost)."""
    async def logic(inbound: Inbound, reply: TurnReply) -> dict[str, Any]:
        return CARD

    gateway = BotFrameworkGateway(Settings.from_env({}, data_dir=str(tmp_path)))
    body = activity("t.dejong@voorbeeldstad.nl", verb="refresh", data={"dossier_id": "2026-A"})
    turn = TurnContext(gateway.adapter, Activity().deserialize(body))
    response = await ParaafHandler(logic).on_invoke_activity(turn)
    assert response.status == 200
    assert response.body == {"statusCode": 200, "type": CARD_TYPE, "value": CARD}
    assert response.body["value"] is CARD
