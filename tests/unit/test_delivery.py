"""Outbox delivery with the in-memory fakes and a recording Teams gateway (our own port)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from approvals import commands as c
from approvals.access import ACCESS_KIND, Access
from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import ConversationRef, DocumentStore, FlowStatus
from approvals.service import Services, execute
from approvals.workdays import WorkingCalendar
from bot.teams.context import BotContext
from bot.teams.delivery import MAX_ATTEMPTS, Delivery, RateLimiter
from bot.teams.gateway import Card, DeliveryError, NotInstalled, TeamsGateway
from bot.wiring import teams_outbox_work
from local.clock import SystemClock
from tests.support.fakes import (
    InMemoryConversationStore,
    InMemoryDirectory,
    InMemoryDocumentStore,
    InMemoryDossierStore,
    InMemoryFlowRepository,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "local" / "demo"


@dataclass
class RecordingGateway(TeamsGateway):
    """Sends succeed (and are recorded) unless a failure is planned for the recipient."""

    sent: list[tuple[str, Card]] = field(default_factory=list)
    fail: dict[str, Exception] = field(default_factory=dict)

    async def send(self, ref: ConversationRef, card: Card) -> str:
        if ref.oid in self.fail:
            raise self.fail[ref.oid]
        self.sent.append((ref.oid, card))
        return f"activity-{len(self.sent)}"

    async def update(self, ref: ConversationRef, activity_id: str, card: Card) -> None:
        return None

    async def open_chat(self, user: Person, template: ConversationRef | None) -> ConversationRef:
        assert template is not None
        return ConversationRef(user.oid, user.tenant, f"chat-{user.oid}", {"locale": "nl-NL"})


@pytest.fixture
async def world() -> dict[str, Any]:
    directory = InMemoryDirectory.from_yaml_text((DEMO / "directory.yaml").read_text("utf-8"))
    flows = InMemoryFlowRepository()
    admin = await directory.user("s.vos@voorbeeldstad.nl")
    assert admin is not None
    source = (DEMO / "flows" / "collegevoorstel.yaml").read_text("utf-8")
    await flows.save(parse_flow(source), source)
    await flows.set_status("collegevoorstel", 1, FlowStatus.PUBLISHED, admin,
                           SystemClock().now())
    store = InMemoryDossierStore()
    services = Services(store=store, flows=flows, directory=directory, clock=SystemClock(),
                        calendar=WorkingCalendar())
    conversations = InMemoryConversationStore()
    initiator = await directory.user("t.dejong@voorbeeldstad.nl")
    assert initiator is not None
    await conversations.save_reference(ConversationRef(
        initiator.oid, initiator.tenant, "chat-initiator", {"locale": "nl-NL"}))
    await execute(c.StartDossier(
        dossier_id="D-1", actor=initiator, command_id="start", flow_id="collegevoorstel",
        title="Speeltuin", fields={"onderwerp": "Speeltuin", "bedrag": "25000"}), services)
    gateway = RecordingGateway()
    ctx = BotContext(services, conversations, InMemoryDocumentStore())
    return {"delivery": outbox_worker(ctx, store, gateway), "gateway": gateway, "store": store,
            "ctx": ctx, "directory": directory, "conversations": conversations}


def outbox_worker(ctx: BotContext, store: InMemoryDossierStore,
                  gateway: RecordingGateway) -> Delivery:
    """The delivery worker with the Teams channel's outbox table, as the wiring builds it."""
    return Delivery(store, teams_outbox_work(ctx, gateway, RateLimiter(1000, 1000)),
                    "worker-1", asyncio.Event())


def with_documents(world: dict[str, Any], documents: DocumentStore) -> None:
    """From now on the worker works with another document store."""
    world["ctx"] = replace(world["ctx"], documents=documents)
    world["delivery"] = outbox_worker(world["ctx"], world["store"], world["gateway"])


async def _oid(world: dict[str, Any], upn: str) -> str:
    person = await world["directory"].user(upn)
    assert person is not None
    return str(person.oid)


async def test_every_notification_is_sent_once_with_the_task_card(world: dict[str, Any]) -> None:
    pending = await world["store"].pending_count()
    assert pending == 6  # juristen (3), financien (2) and the document access
    assert await world["delivery"].run_once() == 6
    assert await world["delivery"].run_once() == 0
    assert len(world["gateway"].sent) == 5
    assert len({oid for oid, _ in world["gateway"].sent}) == 5
    assert await world["store"].pending_count() == 0


async def test_a_recipient_gets_the_documents_with_the_task(world: dict[str, Any]) -> None:
    await world["delivery"].run_once()
    jurist = await _oid(world, "e.vanleeuwen@voorbeeldstad.nl")
    assert (await world["ctx"].documents.access("D-1")).get(jurist) == "write"


async def _act(world: dict[str, Any], upn: str, command_id: str, **kw: Any) -> None:
    actor = await world["directory"].user(upn)
    assert actor is not None
    kind = kw.pop("kind", c.Act)
    await execute(kind(dossier_id="D-1", actor=actor, command_id=command_id, **kw),
                  world["ctx"].services)


JURISTEN = ("e.vanleeuwen@voorbeeldstad.nl", "k.boukhari@voorbeeldstad.nl")


async def test_when_a_stage_completes_its_write_access_is_withdrawn(
    world: dict[str, Any],
) -> None:
    await world["delivery"].run_once()
    await _act(world, JURISTEN[0], "advies-1", action=c.Action.ADVISE,
               advice=c.Advice.POSITIEF)
    await world["delivery"].run_once()
    access = await world["ctx"].documents.access("D-1")
    juristen = [await _oid(world, upn) for upn in JURISTEN]
    assert access.get(juristen[0]) == "read"  # acted: keeps read
    assert juristen[1] not in access  # did not act: nothing left
    assert "write" not in {access.get(oid) for oid in juristen}
    initiator = await _oid(world, "t.dejong@voorbeeldstad.nl")
    assert access[initiator] == "read"


async def test_a_closed_dossier_leaves_nobody_write_access(world: dict[str, Any]) -> None:
    await world["delivery"].run_once()
    await _act(world, "t.dejong@voorbeeldstad.nl", "intrekken", kind=c.Withdraw,
               reason="Niet meer nodig.")
    await world["delivery"].run_once()
    access = await world["ctx"].documents.access("D-1")
    initiator = await _oid(world, "t.dejong@voorbeeldstad.nl")
    assert access == {initiator: "read"}


class FlakyDocuments(InMemoryDocumentStore):
    """Its first ``set_access`` fails, as a document store that does not answer."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def set_access(self, dossier_id: str, wanted: Mapping[str, Access]) -> None:
        self.calls += 1
        if self.calls == 1:
            raise ConnectionError("the document store did not answer")
        await super().set_access(dossier_id, wanted)


async def test_an_access_row_that_fails_is_retried_and_then_settles(
    world: dict[str, Any],
) -> None:
    documents = FlakyDocuments()
    with_documents(world, documents)
    await world["delivery"].run_once()
    assert await world["store"].pending_count() == 1  # given back, to be tried later
    assert await documents.access("D-1") == {}
    for row in world["store"].outbox.values():
        row.not_before = 0.0  # the backoff has passed
    assert await world["delivery"].run_once() == 1
    assert await world["store"].pending_count() == 0
    jurist = await _oid(world, JURISTEN[0])
    assert (await documents.access("D-1"))[jurist] == "write"


class BrokenDocuments(InMemoryDocumentStore):
    async def set_access(self, dossier_id: str, wanted: Mapping[str, Access]) -> None:
        raise ConnectionError("the document store did not answer")


async def test_access_work_given_up_marks_nobody_unreachable(world: dict[str, Any]) -> None:
    with_documents(world, BrokenDocuments())
    for row in world["store"].outbox.values():
        if row.notification.kind == ACCESS_KIND:
            row.attempts = MAX_ATTEMPTS - 1  # its last try
    await world["delivery"].run_once()
    assert await world["store"].pending_count() == 0
    assert await world["conversations"].unreachable() == {}


async def test_one_failing_row_does_not_hold_up_the_others(world: dict[str, Any]) -> None:
    jurist = await _oid(world, "e.vanleeuwen@voorbeeldstad.nl")
    world["gateway"].fail[jurist] = RuntimeError("a bug somewhere")
    assert await world["delivery"].run_once() == 6
    assert len(world["gateway"].sent) == 4
    assert await world["store"].pending_count() == 1  # released, to be tried again later


async def test_throttling_is_retried_later_and_unreachable_people_are_recorded(
    world: dict[str, Any],
) -> None:
    jurist = await _oid(world, "e.vanleeuwen@voorbeeldstad.nl")
    guest = await _oid(world, "p.devries_ketenpartner.nl#EXT#@voorbeeldstad.onmicrosoft.com")
    world["gateway"].fail[jurist] = DeliveryError("throttled by Teams (429)", 30.0)
    world["gateway"].fail[guest] = NotInstalled("app not installed")
    await world["delivery"].run_once()
    assert await world["store"].pending_count() == 1  # the throttled one waits 30 s
    assert await world["delivery"].run_once() == 0  # and is not claimed before that
    assert (await world["conversations"].unreachable()).keys() == {guest}
