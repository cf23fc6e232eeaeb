"""The beheerders' card when nobody can be found for a stage, through the outbox."""

from __future__ import annotations

from typing import Any

from approvals import commands as c
from approvals.ports import ConversationRef
from approvals.service import execute
from tests.e2e.bot_http import card_text
from tests.unit.test_delivery import world  # noqa: F401  (the fixture)


async def test_the_beheerder_gets_a_card_when_nobody_is_found(world: dict[str, Any]) -> None:  # noqa: F811
    directory, services = world["directory"], world["ctx"].services
    top = await directory.user("m.jansen@voorbeeldstad.nl")  # has no manager
    jurist = await directory.user("e.vanleeuwen@voorbeeldstad.nl")
    admin = await directory.user("s.vos@voorbeeldstad.nl")
    await world["conversations"].save_reference(ConversationRef(
        admin.oid, admin.tenant, "chat-admin", {"locale": "nl-NL"}))
    await execute(c.StartDossier(dossier_id="D-2", actor=top, command_id="start-2",
                                 flow_id="collegevoorstel", title="Herindeling",
                                 fields={"onderwerp": "Herindeling"}), services)
    await execute(c.Act(dossier_id="D-2", actor=jurist, command_id="advies-2",
                        action=c.Action.ADVISE, advice=c.Advice.POSITIEF), services)
    await world["delivery"].run_once()
    to_admin = [card for oid, card in world["gateway"].sent if oid == admin.oid]
    assert len(to_admin) == 1
    shown = card_text(to_admin[0])
    assert "Voor Paraaf afdelingshoofd is niemand te vinden, dus het dossier wacht." in shown
    assert "Paraaf afdelingshoofd: niemand aan zet." in shown
