"""The service layer with the in-memory fakes: idempotency, reused ids, a changed history."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path

import pytest

from approvals import commands as c
from approvals.dossier import fold
from approvals.errors import InvalidInput, UnknownDossier
from approvals.event_payloads import StageStarted
from approvals.events import sealed
from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import FlowStatus
from approvals.service import Services, execute
from approvals.workdays import WorkingCalendar
from local.clock import SystemClock
from tests.support.fakes import InMemoryDirectory, InMemoryDossierStore, InMemoryFlowRepository

DEMO = Path(__file__).resolve().parents[2] / "local" / "demo"


@pytest.fixture
async def services() -> Services:
    directory = InMemoryDirectory.from_yaml_text((DEMO / "directory.yaml").read_text("utf-8"))
    flows = InMemoryFlowRepository()
    admin = await directory.user("s.vos@voorbeeldstad.nl")
    assert admin is not None
    source = (DEMO / "flows" / "collegevoorstel.yaml").read_text("utf-8")
    await flows.save(parse_flow(source), source)
    await flows.set_status("collegevoorstel", 1, FlowStatus.PUBLISHED, admin,
                           SystemClock().now())
    return Services(store=InMemoryDossierStore(), flows=flows, directory=directory,
                    clock=SystemClock(), calendar=WorkingCalendar())


async def _start(services: Services, dossier_id: str, command_id: str) -> None:
    actor = await services.directory.user("t.dejong@voorbeeldstad.nl")
    assert actor is not None
    await execute(c.StartDossier(dossier_id=dossier_id, actor=actor, command_id=command_id,
                                 flow_id="collegevoorstel", title="Speeltuin",
                                 fields={"onderwerp": "Speeltuin"}), services)


async def test_a_repeated_command_records_nothing(services: Services) -> None:
    await _start(services, "D-1", "start-1")
    actor = await services.directory.user("t.dejong@voorbeeldstad.nl")
    assert actor is not None
    comment = c.AddComment(dossier_id="D-1", actor=actor, command_id="c-1", text="Graag snel")
    first = await execute(comment, services)
    again = await execute(comment, services)
    assert len(first.events) == 1 and again.duplicate and again.events == ()


async def test_a_command_id_used_in_another_dossier_is_refused(services: Services) -> None:
    await _start(services, "D-1", "start-1")
    with pytest.raises(InvalidInput, match="already used in dossier 'D-1'"):
        await _start(services, "D-2", "start-1")


async def test_a_cached_state_that_no_longer_fits_is_read_again(services: Services) -> None:
    await _start(services, "D-1", "start-1")  # this instance caches the dossier
    store = services.store
    assert isinstance(store, InMemoryDossierStore)
    last = store.events["D-1"][-1]
    # the stored tail is rewritten (a consistent chain, other content), then another
    # instance, with no cache, appends on top of it
    store.events["D-1"][-1] = sealed(replace(last, payload=replace(last.payload, extra={"x": 1})))
    other = replace(services, _flow_cache={}, _states=OrderedDict())
    actor = await services.directory.user("t.dejong@voorbeeldstad.nl")
    assert actor is not None
    await execute(c.AddComment(dossier_id="D-1", actor=actor, command_id="c-1", text="a"),
                  other)
    outcome = await execute(c.AddComment(dossier_id="D-1", actor=actor, command_id="c-2",
                                         text="b"), services)
    assert outcome.state == fold(store.events["D-1"])  # read again in full, not patched up


async def test_a_command_on_an_unknown_dossier(services: Services) -> None:
    actor = await services.directory.user("t.dejong@voorbeeldstad.nl")
    assert actor is not None
    with pytest.raises(UnknownDossier):
        await execute(c.AddComment(dossier_id="D-404", actor=actor, command_id="c-1",
                                   text="x"), services)


class CountingDirectory(InMemoryDirectory):
    """The demo directory, counting each lookup by kind (and the group or role asked)."""

    lookups: Counter[str]

    async def user(self, key: str) -> Person | None:
        self.lookups["user"] += 1
        return await super().user(key)

    async def manager(self, oid: str) -> Person | None:
        self.lookups["manager"] += 1
        return await super().manager(oid)

    async def group_members(self, group_id: str) -> Sequence[Person]:
        self.lookups[f"group {group_id}"] += 1
        return await super().group_members(group_id)

    async def role_members(self, role: str) -> Sequence[Person]:
        self.lookups[f"role {role}"] += 1
        return await super().role_members(role)

    async def list_admins(self) -> Sequence[Person]:
        self.lookups["admins"] += 1
        return await super().list_admins()


async def test_only_the_assignees_of_the_stage_that_starts_are_looked_up(
        services: Services) -> None:
    base = services.directory
    assert isinstance(base, InMemoryDirectory)
    directory = CountingDirectory(**{f.name: getattr(base, f.name) for f in fields(base)})
    directory.lookups = Counter()
    services = replace(services, directory=directory)
    await _start(services, "D-1", "start-1")  # without an amount: no financial advice
    jurist = await directory.user("e.vanleeuwen@voorbeeldstad.nl")
    assert jurist is not None
    directory.lookups.clear()
    outcome = await execute(c.Act(dossier_id="D-1", actor=jurist, command_id="advise-1",
                                  stage_id="juridisch_advies", round=1,
                                  action=c.Action.ADVISE, advice=c.Advice.POSITIEF,
                                  text="Akkoord"), services)
    started = [e.payload for e in outcome.events if isinstance(e.payload, StageStarted)]
    assert [(p.stage, [a.upn for a in p.assignees]) for p in started] == [
        ("paraaf_afdelingshoofd", ["h.vandijk@voorbeeldstad.nl"])]
    # the initiator's manager, for the one stage that starts: not the groups and roles of
    # the stages after it, nor the beheerders (somebody was found)
    assert directory.lookups == Counter({"manager": 1})
