"""Makes ``paraaf.db`` (and the demo's ``directory.yaml`` beside it): a local store whose
dossiers hold every event type paraaf records.

Run once, with the code of the day, and keep the database: later changes to how events are
represented in code must read it, fold it and re-seal it byte for byte (see
tests/unit/test_stored_history.py). Do not run it again to make that test pass: a store
written by an older paraaf is exactly what the test is about.

    python tests/data/stored/make_stored.py tests/data/stored
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from approvals import commands as c
from approvals.deadlines import tick
from approvals.flows.yaml_io import parse_flow
from approvals.ports import FlowStatus
from approvals.service import execute
from bot.cli.demo import create_demo
from bot.settings import Settings
from bot.wiring import build
from local.clock import FixedClock

START = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)  # a Monday
DOMAIN = "@voorbeeldstad.nl"

KENNISGEVING = """\
schema: paraaf/flow/v1
id: kennisgeving
version: 1
title: Kennisgeving
fields:
  - name: onderwerp
    type: text
    label: Onderwerp
    required: true
stages:
  - id: kennisnemen
    kind: acknowledge
    title: Kennisnemen
    assignees:
      - group: klantcontact
    completion: all
"""


async def make(target: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        settings = Settings.from_env({}, data_dir=work)
        await create_demo(settings, samples=True)
        wiring = build(settings)
        clock = FixedClock(START)
        wiring.services.clock = clock
        try:
            flows = wiring.services.flows
            await flows.save(parse_flow(KENNISGEVING, "kennisgeving.yaml"), KENNISGEVING)
            beheerder = await wiring.directory.user("m.jansen" + DOMAIN)
            assert beheerder is not None
            await flows.set_status("kennisgeving", 1, FlowStatus.PUBLISHED, beheerder, START)
            await _history(wiring, clock)
        finally:
            await wiring.close()
        target.mkdir(parents=True, exist_ok=True)
        for name in ("paraaf.db", "directory.yaml"):
            shutil.copyfile(Path(work) / name, target / name)


async def _history(wiring: Any, clock: FixedClock) -> None:
    services = wiring.services
    numbers = iter(range(1, 1000))

    async def who(name: str) -> Any:
        found = await wiring.directory.user(name + DOMAIN)
        assert found is not None, name
        return found

    async def run(command_type: type, actor: str, **fields: Any) -> None:
        clock.advance(timedelta(minutes=7))
        await execute(command_type(command_id=f"stored-{next(numbers)}", channel="cli",
                                   actor=await who(actor), **fields), services)

    # STORED-1: a collegevoorstel through every stage: comment, document, two advices, a
    # return, a new due date, a delegated paraaf, accord and besluit.
    d = "STORED-1"
    await run(c.StartDossier, "t.dejong", dossier_id=d, flow_id="collegevoorstel",
              title="Parkeertarieven binnenstad",
              fields={"onderwerp": "Tarieven 2027", "bedrag": "25.000"})
    await run(c.AddComment, "t.dejong", dossier_id=d, text="Graag voor de 14e.")
    await run(c.Attach, "t.dejong", dossier_id=d, name="Raadsvoorstel.docx",
              uri="file:///documents/STORED-1/Raadsvoorstel.docx", sha256="ab" * 32,
              size=12345, version="1")
    await run(c.Act, "e.vanleeuwen", dossier_id=d, action=c.Action.ADVISE,
              advice=c.Advice.POSITIEF, text="Juridisch houdbaar.")
    await run(c.Act, "f.meijer", dossier_id=d, action=c.Action.ADVISE,
              advice=c.Advice.NEGATIEF, text="Dekking ontbreekt.")
    await run(c.Return, "h.vandijk", dossier_id=d, to_stage="financieel_advies",
              reason="Dekking uitwerken.")
    await run(c.ChangeDueDate, "s.vos", dossier_id=d, stage_id="financieel_advies",
              due=date(2026, 11, 20), reason="Begrotingswijziging loopt.")
    await run(c.Act, "d.hendriks", dossier_id=d, action=c.Action.ADVISE,
              advice=c.Advice.POSITIEF, text="Gedekt uit de reserve.")
    await run(c.Delegate, "h.vandijk", dossier_id=d, to=await who("a.mulder"),
              reason="Met verlof.")
    await run(c.Act, "a.mulder", dossier_id=d, action=c.Action.INITIAL, text="Akkoord.")
    await run(c.Act, "m.jansen", dossier_id=d, action=c.Action.APPROVE)
    await run(c.Act, "w.vandenberg", dossier_id=d, action=c.Action.DECIDE,
              text="Het college stelt de tarieven vast.")

    # STORED-2: a subsidiebeschikking decided and signed.
    d = "STORED-2"
    await run(c.StartDossier, "l.smit", dossier_id=d, flow_id="subsidiebeschikking",
              title="Subsidie buurthuis", fields=await _subsidy_fields(wiring))
    for stage in await _open_stages(services, d):
        await run(c.Act, "n.yilmaz" if "inhoud" in stage else "k.boukhari", dossier_id=d,
                  action=c.Action.ADVISE, advice=c.Advice.POSITIEF, stage_id=stage)
    await run(c.Act, "j.visser", dossier_id=d, action=c.Action.INITIAL)
    await run(c.Act, "r.bakker", dossier_id=d, action=c.Action.DECIDE, text="Toegekend.")
    await run(c.Act, "s.elmoussaoui", dossier_id=d, action=c.Action.SIGN)

    # STORED-3: rejected after a reassignment.
    d = "STORED-3"
    await run(c.StartDossier, "t.dejong", dossier_id=d, flow_id="collegevoorstel",
              title="Nieuwe fietsenstalling", fields={"onderwerp": "Stalling", "bedrag": "500"})
    await run(c.Reassign, "s.vos", dossier_id=d, stage_id="juridisch_advies",
              from_oid=(await who("e.vanleeuwen")).oid, to=await who("l.smit"),
              reason="Ziek.")
    await run(c.Act, "l.smit", dossier_id=d, action=c.Action.ADVISE,
              advice=c.Advice.NEGATIEF, text="Niet vergunbaar.")
    await run(c.Reject, "h.vandijk", dossier_id=d, reason="Niet haalbaar.")

    # STORED-4: withdrawn by its initiator.
    d = "STORED-4"
    await run(c.StartDossier, "t.dejong", dossier_id=d, flow_id="collegevoorstel",
              title="Ingetrokken voorstel", fields={"onderwerp": "Later", "bedrag": "0"})
    await run(c.Withdraw, "t.dejong", dossier_id=d, reason="Komt volgend jaar terug.")

    # STORED-5: a kennisgeving acknowledged by both.
    d = "STORED-5"
    await run(c.StartDossier, "a.mulder", dossier_id=d, flow_id="kennisgeving",
              title="Nieuwe openingstijden", fields={"onderwerp": "Openingstijden"})
    await run(c.Act, "b.peters", dossier_id=d, action=c.Action.ACKNOWLEDGE)
    await run(c.Act, "i.kok", dossier_id=d, action=c.Action.ACKNOWLEDGE)

    # STORED-6: left waiting: a reminder and, days later, an escalation.
    d = "STORED-6"
    await run(c.StartDossier, "t.dejong", dossier_id=d, flow_id="collegevoorstel",
              title="Blijft liggen", fields={"onderwerp": "Wacht", "bedrag": "100"})
    for days in (5, 8, 15):
        clock.advance(timedelta(days=days))
        await tick(services)


async def _subsidy_fields(wiring: Any) -> dict[str, object]:
    record = await wiring.services.flows.get("subsidiebeschikking")
    flow = parse_flow(record.source)
    values: dict[str, object] = {}
    for field in flow.fields:
        if field.type == "money":
            values[field.name] = "60.000"
        elif field.options:
            values[field.name] = field.options[0]
        elif field.type == "text":
            values[field.name] = f"{field.label} van het buurthuis"
        elif field.type == "date":
            values[field.name] = "2027-03-01"
    return values


async def _open_stages(services: Any, dossier_id: str) -> list[str]:
    from approvals.service import load

    state, _flow, *_ = await load(services, dossier_id)
    return sorted(sid for sid, stage in state.stages.items() if stage.status == "active")


if __name__ == "__main__":
    asyncio.run(make(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)))
