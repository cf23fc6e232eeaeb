"""A decided dossier is registered as outbox work: its commit writes a ``register`` row when a
decision register is configured; the worker registers the decision and records
``DecisionRegistered`` in the dossier, once; a register that does not answer gets the row
again later, and a decision it refuses is put aside without an entry."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from approvals import commands as c
from approvals.dossier import DossierStatus
from approvals.flows.yaml_io import parse_flow
from approvals.notifications import REGISTER_KIND
from approvals.ports import FlowStatus
from approvals.service import Services, execute, read
from approvals.signatures import DecisionRecord, RegistryEntry
from approvals.workdays import WorkingCalendar
from approvals.zgw import ZgwOrganisation
from bot.teams.context import BotContext
from bot.teams.delivery import Delivery, RateLimiter
from bot.wiring import teams_outbox_work
from local.clock import SystemClock
from signing.render import TextRenderer
from tests.support.fakes import (
    InMemoryConversationStore,
    InMemoryDecisionRegistry,
    InMemoryDirectory,
    InMemoryDocumentStore,
    InMemoryDossierStore,
    InMemoryFlowRepository,
)
from tests.unit.test_delivery import RecordingGateway

DEMO = Path(__file__).resolve().parents[2] / "local" / "demo"
FLOW = """\
schema: paraaf/flow/v1
id: besluit
version: 1
title: Besluit
fields:
  - name: onderwerp
    type: text
    label: Onderwerp
    required: true
stages:
  - id: besluit
    kind: decide
    title: Besluit
    assignees:
      - user: w.vandenberg@voorbeeldstad.nl
"""
ORG = ZgwOrganisation("002220647", "https://oz.example/catalogi/api/v1/besluittypen/1",
                      "https://oz.example/catalogi/api/v1/informatieobjecttypen/2")


class FailingOnce(InMemoryDecisionRegistry):
    """A register that does not answer the first time."""

    def __init__(self, organisation: ZgwOrganisation, today: date) -> None:
        super().__init__(organisation, today)
        self.failed = False

    async def register(self, decision: DecisionRecord) -> RegistryEntry:
        if not self.failed:
            self.failed = True
            raise ConnectionError("the register did not answer")
        return await super().register(decision)


async def _world(register: bool, registry: InMemoryDecisionRegistry) -> dict[str, Any]:
    directory = InMemoryDirectory.from_yaml_text((DEMO / "directory.yaml").read_text("utf-8"))
    flows = InMemoryFlowRepository()
    admin = await directory.user("s.vos@voorbeeldstad.nl")
    assert admin is not None
    await flows.save(parse_flow(FLOW), FLOW)
    await flows.set_status("besluit", 1, FlowStatus.PUBLISHED, admin, SystemClock().now())
    store = InMemoryDossierStore()
    services = Services(store=store, flows=flows, directory=directory, clock=SystemClock(),
                        calendar=WorkingCalendar(), register_decisions=register)
    initiator = await directory.user("t.dejong@voorbeeldstad.nl")
    mayor = await directory.user("w.vandenberg@voorbeeldstad.nl")
    assert initiator is not None and mayor is not None
    await execute(c.StartDossier(dossier_id="D-1", actor=initiator, command_id="start",
                                 flow_id="besluit", title="Subsidie buurthuis",
                                 fields={"onderwerp": "Buurthuis"}), services)
    await execute(c.Act(dossier_id="D-1", actor=mayor, command_id="besluit",
                        action=c.Action.DECIDE, stage_id="besluit",
                        text="Het college kent de subsidie toe."), services)
    ctx = BotContext(services, InMemoryConversationStore(), InMemoryDocumentStore())
    work = teams_outbox_work(ctx, RecordingGateway(), RateLimiter(1000, 1000),
                             register=(registry, TextRenderer()))
    return {"store": store, "services": services,
            "delivery": Delivery(store, work, "worker-1", asyncio.Event())}


def _register_rows(store: InMemoryDossierStore) -> list[Any]:
    return [row for row in store.outbox.values() if row.notification.kind == REGISTER_KIND]


async def test_a_decided_dossier_is_registered_once_and_records_where() -> None:
    registry = InMemoryDecisionRegistry(ORG, date.today())
    w = await _world(True, registry)
    assert (await read(w["services"], "D-1")).state.status is DossierStatus.COMPLETED
    assert len(_register_rows(w["store"])) == 1
    await w["delivery"].run_once()
    state = (await read(w["services"], "D-1")).state
    assert state.registered is not None and state.registered.url == registry.entries["D-1"].url
    zgw = registry.objects["D-1"]
    assert zgw.besluit["toelichting"] == "Het college kent de subsidie toe."
    assert zgw.informatieobject["formaat"] == "application/pdf"
    again = await execute(c.RecordRegistration(
        dossier_id="D-1", actor=state.initiator, command_id="again", register="zgw",
        identificatie="D-1", url=state.registered.url), w["services"])
    assert again.events == ()  # recorded once
    assert registry.sent == 1 and await w["delivery"].run_once() == 0


async def test_without_a_register_no_row_is_written() -> None:
    w = await _world(False, InMemoryDecisionRegistry(ORG, date.today()))
    assert _register_rows(w["store"]) == []


async def test_a_register_that_does_not_answer_gets_the_row_again() -> None:
    registry = FailingOnce(ORG, date.today())
    w = await _world(True, registry)
    await w["delivery"].run_once()
    assert (await read(w["services"], "D-1")).state.registered is None
    for row in _register_rows(w["store"]):
        row.not_before = 0.0  # the retry is due now
    await w["delivery"].run_once()
    assert (await read(w["services"], "D-1")).state.registered is not None


@pytest.mark.parametrize("rsin", ["002220648"])
async def test_a_refused_decision_is_put_aside_without_an_entry(rsin: str) -> None:
    registry = InMemoryDecisionRegistry(ZgwOrganisation(rsin, ORG.besluittype,
                                                        ORG.informatieobjecttype), date.today())
    w = await _world(True, registry)
    await w["delivery"].run_once()
    assert (await read(w["services"], "D-1")).state.registered is None
    assert registry.sent == 0 and await w["delivery"].run_once() == 0
