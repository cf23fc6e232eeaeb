"""Standing substitutes and four eyes through user fields, on the service layer with the demo
directory and flows (in-memory fakes for the stores)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals import substitute_commands as sc
from approvals.errors import FourEyesViolation, InvalidInput, NotEntitled
from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import FlowStatus
from approvals.service import Services, execute
from approvals.substitutes import Absence, parse_day
from approvals.workdays import WorkingCalendar
from local.clock import FixedClock
from tests.support.fakes import (
    InMemoryDirectory,
    InMemoryDossierStore,
    InMemoryFlowRepository,
    InMemorySubstituteStore,
)

DEMO = Path(__file__).resolve().parents[2] / "local" / "demo"
MAIL = "@voorbeeldstad.nl"


@pytest.fixture
async def services() -> Services:
    directory = InMemoryDirectory.from_yaml_text((DEMO / "directory.yaml").read_text("utf-8"))
    flows = InMemoryFlowRepository()
    admin = await directory.user("s.vos" + MAIL)
    assert admin is not None
    clock = FixedClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    for name in ("collegevoorstel", "energietoeslag"):
        source = (DEMO / "flows" / f"{name}.yaml").read_text("utf-8")
        await flows.save(parse_flow(source), source)
        await flows.set_status(name, 1, FlowStatus.PUBLISHED, admin, clock.now())
    return Services(store=InMemoryDossierStore(clock=clock), flows=flows, directory=directory,
                    clock=clock, calendar=WorkingCalendar(),
                    substitutes=InMemorySubstituteStore())


async def _who(services: Services, name: str) -> Person:
    person = await services.directory.user(name + MAIL)
    assert person is not None
    return person


async def _collegevoorstel_to_paraaf(services: Services, dossier_id: str = "D-1") -> None:
    thomas = await _who(services, "t.dejong")
    await execute(c.StartDossier(dossier_id=dossier_id, actor=thomas, command_id=dossier_id,
                                 flow_id="collegevoorstel", title="Speeltuin",
                                 fields={"onderwerp": "Speeltuin", "bedrag": "5000"}), services)
    await execute(c.Act(dossier_id=dossier_id, actor=await _who(services, "e.vanleeuwen"),
                        command_id=dossier_id + "-advies", action=c.Action.ADVISE,
                        advice=c.Advice.POSITIEF), services)


async def _set(services: Services, actor: str, person: str, substitute: str,
               start: str = "2026-12-01", end: str = "2026-12-14") -> Absence:
    return await sc.set_substitute(
        services, actor=await _who(services, actor), person=await _who(services, person),
        substitute=await _who(services, substitute), start=date.fromisoformat(start),
        end=date.fromisoformat(end), reason="vakantie")


# --- standing substitutes ---------------------------------------------------------------


async def test_a_task_arriving_in_the_period_goes_to_the_substitute(services: Services) -> None:
    await _set(services, "h.vandijk", "h.vandijk", "j.visser")
    await _collegevoorstel_to_paraaf(services)
    hanneke, jeroen = await _who(services, "h.vandijk"), await _who(services, "j.visser")
    store = services.store
    assert isinstance(store, InMemoryDossierStore)
    started = [e for e in store.events["D-1"] if e.type.value == "StageStarted"][-1]
    assert isinstance(started.payload, ev.StageStarted) and started.payload.substitutes
    standing = started.payload.substitutes[hanneke.oid]
    assert standing["to"]["oid"] == jeroen.oid
    assert (standing["from"], standing["until"], standing["reason"]) == (
        "2026-12-01", "2026-12-14", "vakantie")
    told = {(row.notification.recipient.oid, row.notification.kind)
            for row in store.outbox.values() if row.notification.event_id == started.event_id
            and row.notification.kind != "access"}  # document access is outbox work of its own
    assert told == {(jeroen.oid, "task"), (hanneke.oid, "substituted")}
    assert [s.id for s in await store.tasks_for(jeroen.oid)] == ["D-1"]
    outcome = await execute(c.Act(dossier_id="D-1", actor=jeroen, command_id="p-1",
                                  action=c.Action.INITIAL), services)
    initialled = outcome.events[0]
    assert initialled.actor.oid == jeroen.oid
    assert initialled.on_behalf_of is not None and initialled.on_behalf_of.oid == hanneke.oid
    assert hanneke.oid in outcome.state.participants  # she keeps seeing the dossier


async def test_outside_the_period_the_task_stays_with_the_person(services: Services) -> None:
    await _set(services, "h.vandijk", "h.vandijk", "j.visser", "2026-12-10", "2026-12-14")
    await _collegevoorstel_to_paraaf(services)
    paraaf = (await services.store.get_summary("D-1"))
    assert paraaf is not None
    jeroen = await _who(services, "j.visser")
    assert await services.store.tasks_for(jeroen.oid) == []


async def test_four_eyes_holds_for_a_standing_substitute(services: Services) -> None:
    # Hanneke names the initiator of the dossier as her substitute: he may not initial it
    await _set(services, "h.vandijk", "h.vandijk", "t.dejong")
    await _collegevoorstel_to_paraaf(services)
    store = services.store
    assert isinstance(store, InMemoryDossierStore)
    started = [e for e in store.events["D-1"] if e.type.value == "StageStarted"][-1]
    assert isinstance(started.payload, ev.StageStarted)
    assert started.payload.substitutes is None  # stays with Hanneke
    hanneke = await _who(services, "h.vandijk")
    assert [s.id for s in await store.tasks_for(hanneke.oid)] == ["D-1"]


async def test_a_beheerder_sets_a_substitute_for_someone_else(services: Services) -> None:
    absence = await _set(services, "s.vos", "h.vandijk", "j.visser")
    assert absence.set_by.upn == "s.vos" + MAIL
    with pytest.raises(NotEntitled, match="or a beheerder"):
        await _set(services, "l.smit", "h.vandijk", "j.visser", "2027-01-05", "2027-01-06")
    with pytest.raises(NotEntitled):
        await sc.clear_substitutes(services, actor=await _who(services, "l.smit"),
                                   person=await _who(services, "h.vandijk"))
    removed = await sc.clear_substitutes(services, actor=await _who(services, "s.vos"),
                                         person=await _who(services, "h.vandijk"))
    assert len(removed) == 1 and await sc.current_substitutes(services) == []


@pytest.mark.parametrize(("substitute", "start", "end", "reason", "message"), [
    ("h.vandijk", "2026-12-03", "2026-12-04", "vakantie", "someone else"),
    ("j.visser", "2026-12-09", "2026-12-04", "vakantie", "before it starts"),
    ("j.visser", "2026-11-01", "2026-11-04", "vakantie", "in the past"),
    ("j.visser", "2026-12-03", "2028-12-04", "vakantie", "at most a year"),
    ("j.visser", "2026-12-03", "2026-12-04", "  ", "reason"),
    ("j.visser", "2026-12-14", "2026-12-20", "verlof", "clear that period first"),
])
async def test_a_bad_period_is_refused_and_stores_nothing(
        services: Services, substitute: str, start: str, end: str, reason: str,
        message: str) -> None:
    await _set(services, "h.vandijk", "h.vandijk", "a.mulder", "2026-12-10", "2026-12-14")
    with pytest.raises(InvalidInput, match=message):
        await sc.set_substitute(
            services, actor=await _who(services, "h.vandijk"),
            person=await _who(services, "h.vandijk"),
            substitute=await _who(services, substitute), start=date.fromisoformat(start),
            end=date.fromisoformat(end), reason=reason)
    assert len(await sc.current_substitutes(services)) == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-01", date(2026, 12, 1)), ("1-12-2026", date(2026, 12, 1)),
    ("01-12-2026", date(2026, 12, 1)), ("14/12/2026", date(2026, 12, 14)),
])
def test_dates_are_read_iso_or_day_first(text: str, expected: date) -> None:
    assert parse_day(text, "--from") == expected


@pytest.mark.parametrize("text", ["2026-13-01", "31-02-2026", "morgen", "1-12", ""])
def test_a_date_that_is_no_date_names_the_option(text: str) -> None:
    with pytest.raises(InvalidInput, match="--to must be a date"):
        parse_day(text, "--to")


# --- four eyes through user fields ------------------------------------------------------


async def _energietoeslag(services: Services, initiator: str, behandelaar: str) -> None:
    await execute(c.StartDossier(
        dossier_id="E-1", actor=await _who(services, initiator), command_id="E-1",
        flow_id="energietoeslag", title="Aanvraag",
        fields={"aanvrager": "A. de Boer", "zaaknummer": "Z-1", "huishoudinkomen": "1200",
                "behandelaar": behandelaar + MAIL}), services)


async def test_the_initiator_cannot_name_themself_as_the_decider(services: Services) -> None:
    with pytest.raises(FourEyesViolation) as refused:
        await _energietoeslag(services, "l.smit", "l.smit")
    error = refused.value
    assert (error.rule, error.held_stage, error.held_kind) == ("initiator", "besluit", "decide")
    assert error.holder_name == "Lotte Smit"
    assert await services.store.get_summary("E-1") is None


async def test_the_named_decider_cannot_also_do_the_assessment(services: Services) -> None:
    await _energietoeslag(services, "l.smit", "b.peters")
    with pytest.raises(FourEyesViolation) as refused:
        await execute(c.Act(dossier_id="E-1", actor=await _who(services, "b.peters"),
                            command_id="b-1", action=c.Action.INITIAL), services)
    assert (refused.value.holder_name, refused.value.held_stage) == ("Bas Peters", "besluit")
    outcome = await execute(c.Act(dossier_id="E-1", actor=await _who(services, "i.kok"),
                                  command_id="k-1", action=c.Action.INITIAL), services)
    assert [s.stage_id for s in outcome.state.active_stages()] == ["besluit"]
