"""The rules that need the directory: who may start a flow, and stages nobody is found for."""

from __future__ import annotations

from pathlib import Path

import pytest

from approvals import commands as c
from approvals.errors import NotEntitled
from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import FlowStatus
from approvals.service import Services, execute
from approvals.starters import may_start
from approvals.workdays import WorkingCalendar
from local.clock import SystemClock
from tests.support.fakes import InMemoryDirectory, InMemoryDossierStore, InMemoryFlowRepository

DEMO = Path(__file__).resolve().parents[2] / "local" / "demo"
GUEST = "p.devries_ketenpartner.nl#EXT#@voorbeeldstad.onmicrosoft.com"
COLLEGE = (DEMO / "flows" / "collegevoorstel.yaml").read_text("utf-8")


async def _services(*sources: str) -> Services:
    directory = InMemoryDirectory.from_yaml_text((DEMO / "directory.yaml").read_text("utf-8"))
    flows = InMemoryFlowRepository()
    admin = await directory.user("s.vos@voorbeeldstad.nl")
    assert admin is not None
    for source in sources:
        flow = parse_flow(source)
        await flows.save(flow, source)
        await flows.set_status(flow.id, flow.version, FlowStatus.PUBLISHED, admin,
                               SystemClock().now())
    return Services(store=InMemoryDossierStore(), flows=flows, directory=directory,
                    clock=SystemClock(), calendar=WorkingCalendar())


async def _who(services: Services, key: str) -> Person:
    person = await services.directory.user(key)
    assert person is not None
    return person


def _start(actor: Person, dossier_id: str = "D-1", flow_id: str = "collegevoorstel",
           **fields: object) -> c.StartDossier:
    return c.StartDossier(dossier_id=dossier_id, actor=actor, command_id=f"start-{dossier_id}",
                          flow_id=flow_id, title="Speeltuin",
                          fields={"onderwerp": "Speeltuin", **fields})


async def test_a_guest_cannot_start_a_flow_that_names_no_starters() -> None:
    services = await _services(COLLEGE)
    guest = await _who(services, GUEST)
    with pytest.raises(NotEntitled, match="starters"):
        await execute(_start(guest), services)
    assert await services.store.load("D-1") == []


async def test_every_employee_may_start_a_flow_that_names_no_starters() -> None:
    services = await _services(COLLEGE)
    flow = parse_flow(COLLEGE)
    for key in ("t.dejong@voorbeeldstad.nl", "m.jansen@voorbeeldstad.nl", "s.vos@voorbeeldstad.nl"):
        assert await may_start(flow, await _who(services, key), services.directory)
    assert not await may_start(flow, await _who(services, GUEST), services.directory)


STARTERS = COLLEGE.replace("id: collegevoorstel", "id: ketenadvies").replace(
    "fields:", "starters:\n  - group: juristen\n  - user: l.smit@voorbeeldstad.nl\n\nfields:")


async def test_a_flow_that_names_starters_lets_only_them_start_guests_included() -> None:
    services = await _services(STARTERS)
    flow = parse_flow(STARTERS)
    allowed = [GUEST, "e.vanleeuwen@voorbeeldstad.nl", "l.smit@voorbeeldstad.nl"]
    for key in allowed:
        assert await may_start(flow, await _who(services, key), services.directory), key
    for key in ("t.dejong@voorbeeldstad.nl", "s.vos@voorbeeldstad.nl"):
        assert not await may_start(flow, await _who(services, key), services.directory), key
    outcome = await execute(_start(await _who(services, GUEST), flow_id="ketenadvies"), services)
    assert outcome.state.initiator.upn == GUEST


async def test_a_start_warns_of_stages_ahead_that_nobody_is_found_for() -> None:
    services = await _services(COLLEGE)
    top = await _who(services, "m.jansen@voorbeeldstad.nl")  # has no manager
    outcome = await execute(_start(top, bedrag="25.000"), services)
    assert outcome.unstaffed == ("paraaf_afdelingshoofd",)
    other = await execute(_start(await _who(services, "t.dejong@voorbeeldstad.nl"), "D-2"),
                          services)
    assert other.unstaffed == ()


async def test_the_beheerders_get_the_unstaffed_stage_in_their_outbox() -> None:
    services = await _services(COLLEGE)
    top = await _who(services, "m.jansen@voorbeeldstad.nl")
    await execute(_start(top), services)
    jurist = await _who(services, "e.vanleeuwen@voorbeeldstad.nl")
    outcome = await execute(c.Act(dossier_id="D-1", actor=jurist, command_id="a-1",
                                  action=c.Action.ADVISE, advice=c.Advice.POSITIEF), services)
    assert [e.type.value for e in outcome.events][-1] == "StageStarted"
    store = services.store
    assert isinstance(store, InMemoryDossierStore)
    rows = await store.claim("w", 100, 60)
    unstaffed = [r.notification for r in rows if r.notification.kind == "unstaffed"]
    assert [n.recipient.upn for n in unstaffed] == ["s.vos@voorbeeldstad.nl"]
