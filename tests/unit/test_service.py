"""The service layer with the in-memory fakes: idempotency, reused ids, a changed history."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import pytest

from approvals import commands as c
from approvals.dossier import fold
from approvals.errors import InvalidInput, UnknownDossier
from approvals.events import sealed
from approvals.flows.yaml_io import parse_flow
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
