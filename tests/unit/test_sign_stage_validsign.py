"""The sign stage on a provider that asks the signer itself (ValidSign, its stand-in here),
through the service layer and the in-memory fakes: a sign action sends a package and waits;
what ValidSign says, read when a callback comes, settles it once, as the signer's action,
a return with the signer's reason, or a stop the signer can send again from."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.errors import ActionNotAllowed
from approvals.notifications import RECALL_KIND
from approvals.ports import OutboxItem
from approvals.service import Services, execute, read, try_execute
from approvals.signing_outcome import on_callback, settle
from approvals.signing_stage import SignStage
from bot.post_commit import RecallSigning
from signing.render import TextRenderer
from signing.validsign import ValidSignSettings, ValidSignSigning
from tests.support.fakes import InMemoryDocumentStore
from tests.support.signing_kit import INITIATOR_UPN, MAYOR_UPN, SIGN_FLOW, sign_services
from tests.support.validsign import ValidSignStandIn, running_validsign

DOSSIER = "D-7"
FLOW = SIGN_FLOW.replace("      - user: r.bakker@voorbeeldstad.nl\n",
                         "      - user: r.bakker@voorbeeldstad.nl\n"
                         "    return_to: [burgemeester]\n")


_MADE: list[ValidSignSigning] = []


@pytest.fixture
async def validsign() -> AsyncIterator[ValidSignStandIn]:
    async with running_validsign() as stand_in:
        yield stand_in
        while _MADE:
            await _MADE.pop().close()


async def _services(validsign: ValidSignStandIn, flow: str = FLOW) -> Services:
    remote = ValidSignSigning(ValidSignSettings(validsign.url, validsign.api_key,
                                                validsign.callback_key, anchor="dossier:"))
    _MADE.append(remote)
    services = await sign_services(SignStage(remote, TextRenderer(), InMemoryDocumentStore()),
                                   flow)
    initiator = await services.directory.user(INITIATOR_UPN)
    assert initiator is not None
    await execute(c.StartDossier(dossier_id=DOSSIER, actor=initiator, command_id="start",
                                 flow_id="raadsbesluit", title="Verordening speeltuinen",
                                 fields={"onderwerp": "Speeltuinen"}), services)
    return services


async def _sign(services: Services, upn: str, command_id: str) -> c.Act:
    actor = await services.directory.user(upn)
    assert actor is not None
    return c.Act(dossier_id=DOSSIER, actor=actor, command_id=command_id, action=c.Action.SIGN)


async def _types(services: Services) -> list[str]:
    return [e.type.value for e in await services.store.load(DOSSIER)]


def _open(services: Services, state_open: dict[str, ev.SigningSent]) -> str:
    assert len(state_open) == 1
    return next(iter(state_open))


async def test_a_second_sign_action_while_validsign_asks_is_refused(
        validsign: ValidSignStandIn) -> None:
    services = await _services(validsign)
    sent = await execute(await _sign(services, MAYOR_UPN, "s-1"), services)
    assert [e.type.value for e in sent.events] == ["SigningSent"]
    before = await _types(services)
    again = await try_execute(await _sign(services, MAYOR_UPN, "s-2"), services)
    assert again.refusal is not None and "is with ValidSign to be signed" in again.refusal.message
    assert await _types(services) == before and len(validsign.packages) == 1


async def test_an_expired_package_found_by_the_next_sign_action_is_sent_again(
        validsign: ValidSignStandIn) -> None:
    services = await _services(validsign)
    await execute(await _sign(services, MAYOR_UPN, "s-1"), services)
    first = _open(services, dict((await read(services, DOSSIER)).state.signing_open))
    await validsign.expire(first)  # no callback URL: paraaf has not heard of it
    again = await execute(await _sign(services, MAYOR_UPN, "s-2"), services)
    assert [e.type.value for e in again.events] == ["SigningStopped", "SigningSent"]
    second = _open(services, dict(again.state.signing_open))
    assert second != first
    await validsign.sign(second)
    done = await settle(services, DOSSIER, second)
    assert done is not None
    assert [e.type.value for e in done.events][:2] == ["Signed", "DocumentSigned"]
    assert await settle(services, DOSSIER, second) is None  # settled once


async def test_a_package_the_dossier_no_longer_waits_for_settles_nothing(
        validsign: ValidSignStandIn) -> None:
    services = await _services(validsign)
    await execute(await _sign(services, MAYOR_UPN, "s-1"), services)
    package = _open(services, dict((await read(services, DOSSIER)).state.signing_open))
    initiator = await services.directory.user(INITIATOR_UPN)
    assert initiator is not None
    await execute(c.Withdraw(dossier_id=DOSSIER, actor=initiator, command_id="w",
                             reason="Niet meer nodig"), services)
    before = await _types(services)
    await validsign.sign(package)
    assert await settle(services, DOSSIER, package) is None
    assert await _types(services) == before


async def test_a_forged_callback_is_not_genuine_and_records_nothing(
        validsign: ValidSignStandIn) -> None:
    services = await _services(validsign)
    await execute(await _sign(services, MAYOR_UPN, "s-1"), services)
    package = _open(services, dict((await read(services, DOSSIER)).state.signing_open))
    await validsign.sign(package)
    before = await _types(services)
    body = f'{{"name": "PACKAGE_COMPLETE", "packageId": "{package}"}}'.encode()
    forged = await on_callback(services, body, {"Authorization": "Basic guess"})
    assert not forged.genuine and await _types(services) == before
    genuine = await on_callback(services, body,
                                {"Authorization": f"Basic {validsign.callback_key}"})
    assert genuine.genuine and genuine.outcome is not None
    assert (await _types(services)).count("DocumentSigned") == 1


async def test_a_flow_that_names_a_provider_not_set_up_is_refused(
        validsign: ValidSignStandIn) -> None:
    flow = SIGN_FLOW.replace("      - user: m.jansen@voorbeeldstad.nl\n",
                             "      - user: m.jansen@voorbeeldstad.nl\n"
                             "    provider: embedded\n")
    services = await _services(validsign, flow)
    before = await _types(services)
    refused = await try_execute(await _sign(services, MAYOR_UPN, "s-1"), services)
    assert isinstance(refused.refusal, ActionNotAllowed)
    assert "signs with PAdES, which is not set up here" in refused.refusal.message
    assert await _types(services) == before and not validsign.packages


async def test_a_task_reassigned_while_validsign_asks_no_longer_waits_for_it(
        validsign: ValidSignStandIn) -> None:
    services = await _services(validsign)
    await execute(await _sign(services, MAYOR_UPN, "s-1"), services)
    package = _open(services, dict((await read(services, DOSSIER)).state.signing_open))
    admin = await services.directory.user("s.vos@voorbeeldstad.nl")
    mayor = await services.directory.user(MAYOR_UPN)
    deputy = await services.directory.user("f.meijer@voorbeeldstad.nl")
    assert admin is not None and mayor is not None and deputy is not None
    moved = await execute(c.Reassign(dossier_id=DOSSIER, actor=admin, command_id="r",
                                     stage_id="burgemeester", from_oid=mayor.oid, to=deputy,
                                     reason="Burgemeester met verlof"), services)
    assert not moved.state.signing_open
    await validsign.sign(package)  # the burgemeester signs at ValidSign anyway
    assert await settle(services, DOSSIER, package) is None
    sent = await execute(await _sign(services, "f.meijer@voorbeeldstad.nl", "s-2"), services)
    assert [e.type.value for e in sent.events] == ["SigningSent"]  # the deputy's own package


async def test_a_genuine_callback_about_a_package_paraaf_does_not_know_records_nothing(
        validsign: ValidSignStandIn) -> None:
    services = await _services(validsign)
    before = await _types(services)
    headers = {"Authorization": f"Basic {validsign.callback_key}"}
    result = await on_callback(services, b'{"name": "PACKAGE_COMPLETE", "packageId": "nope"}',
                               headers)
    assert result.genuine and result.outcome is None
    assert await _types(services) == before


def _recall_rows(services: Services) -> list[OutboxItem]:
    rows = services.store.outbox.values()  # type: ignore[attr-defined]
    return [OutboxItem(row.id, row.notification, row.attempts) for row in rows
            if row.notification.kind == RECALL_KIND]


async def test_a_package_dropped_by_a_reassignment_is_taken_back_once_settled_ones_not(
        validsign: ValidSignStandIn) -> None:
    """The commit that drops a package still out adds one recall row; its work takes the
    package back at ValidSign (changed to draft), and doing it again changes nothing. A
    package that completed adds no row."""
    services = await _services(validsign)
    await execute(await _sign(services, MAYOR_UPN, "s-1"), services)
    package = _open(services, dict((await read(services, DOSSIER)).state.signing_open))
    assert not _recall_rows(services)  # sent: nothing to take back yet
    admin = await services.directory.user("s.vos@voorbeeldstad.nl")
    mayor = await services.directory.user(MAYOR_UPN)
    deputy = await services.directory.user("f.meijer@voorbeeldstad.nl")
    assert admin is not None and mayor is not None and deputy is not None
    await execute(c.Reassign(dossier_id=DOSSIER, actor=admin, command_id="r",
                             stage_id="burgemeester", from_oid=mayor.oid, to=deputy,
                             reason="Burgemeester met verlof"), services)
    [row] = _recall_rows(services)
    work = RecallSigning(services)
    for _ in range(2):  # a row taken again after a crash
        assert (await work.handle(row)).result == "recalled"
    assert validsign.packages[package].status == "DRAFT"
    assert sum("changed to draft" in line for line in validsign.packages[package].trail) == 1
    sent = await execute(await _sign(services, "f.meijer@voorbeeldstad.nl", "s-2"), services)
    [own] = [e.payload.package for e in sent.events if isinstance(e.payload, ev.SigningSent)]
    await validsign.sign(own)
    assert await settle(services, DOSSIER, own) is not None
    assert len(_recall_rows(services)) == 1  # the deputy's signature settled: no new row
    await work.handle(row)
    assert validsign.packages[own].status == "COMPLETED"  # an ended package is left alone
