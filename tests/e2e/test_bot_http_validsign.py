"""Signing with ValidSign through the bot, end to end: the burgemeester's sign click sends
the decision to the ValidSign stand-in; what happens there comes back by callbacks to
/api/validsign/callback (or ``paraaf tick``'s check when they are lost): completed, declined
and expired. A replayed, forged, late or out-of-order callback changes nothing it should
not: the events are counted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.flows.yaml_io import parse_flow
from approvals.identity import SYSTEM
from approvals.notifications import RECALL_KIND
from approvals.ports import FlowStatus, Notification, OutboxItem
from approvals.service import Services, execute, read
from approvals.signatures import SignatureState, sha256_hex
from approvals.signing_outcome import settle_open
from bot.teams.server import SIGNING_CALLBACK
from local.clock import SystemClock
from signing.pades import verify_pdf
from signing.pki import DemoPki
from tests.e2e.bot_http import BotClient, bot_server, card_text, copy_demo
from tests.support.validsign import ValidSignStandIn, running_validsign
from tests.support.validsign.server import validsign_root_pem, validsign_trust

INITIATOR, FINANCE = "t.dejong@voorbeeldstad.nl", "f.meijer@voorbeeldstad.nl"
MAYOR = "m.jansen@voorbeeldstad.nl"
DOSSIER = "VS-1"
ANCHOR = "dossier:"  # the dossier's own rendering holds "dossier: VS-1"
FLOW = f"""\
schema: paraaf/flow/v1
id: ondertekening
version: 1
title: Besluit, ondertekend in ValidSign
fields:
  - name: onderwerp
    type: text
    label: Onderwerp
    required: true
stages:
  - id: paraaf
    kind: initial
    title: Paraaf
    assignees:
      - user: {FINANCE}
  - id: burgemeester
    kind: sign
    title: Ondertekening burgemeester
    assignees:
      - user: {MAYOR}
    return_to: [paraaf]
"""


@dataclass
class Signing:
    client: BotClient
    validsign: ValidSignStandIn

    @property
    def services(self) -> Services:
        return self.client.wiring.services

    async def events(self) -> list[str]:
        return await self.client.event_types(DOSSIER)

    async def payloads(self, kind: type[ev.Payload]) -> list[Any]:
        events = await self.services.store.load(DOSSIER)
        return [e.payload for e in events if isinstance(e.payload, kind)]

    async def click_sign(self) -> dict[str, Any]:
        state = (await read(self.services, DOSSIER)).state
        return await self.client.invoke(MAYOR, "sign", {
            "dossier_id": DOSSIER, "stage_id": "burgemeester",
            "round": state.stages["burgemeester"].round, "version": state.version})

    async def sent_package(self) -> str:
        state = (await read(self.services, DOSSIER)).state
        assert len(state.signing_open) == 1
        return next(iter(state.signing_open))


@asynccontextmanager
async def _signing(data: Path, tenant_provider: str, flow: str,
                   more: dict[str, str] | None = None) -> AsyncIterator[Signing]:
    """The bot with ValidSign set up (the tenant's provider, or only for the flows that name
    it) and the ``more`` settings, a dossier on ``flow`` initialled and at the burgemeester's
    sign stage."""
    async with running_validsign() as validsign:
        env = {**(more or {}), "PARAAF_SIGNING_PROVIDER": tenant_provider,
               "PARAAF_VALIDSIGN_URL": validsign.url,
               "PARAAF_VALIDSIGN_API_KEY": validsign.api_key,
               "PARAAF_VALIDSIGN_CALLBACK_KEY": validsign.callback_key,
               "PARAAF_VALIDSIGN_ANCHOR": ANCHOR, "PARAAF_RENDERER": "text"}
        async with bot_server(data, env) as client:
            validsign.callback_url = client.base + SIGNING_CALLBACK
            services = client.wiring.services
            admin = await services.directory.user("s.vos@voorbeeldstad.nl")
            assert admin is not None
            await services.flows.save(parse_flow(flow), flow)
            await services.flows.set_status("ondertekening", 1, FlowStatus.PUBLISHED, admin,
                                            SystemClock().now())
            initiator = await services.directory.user(INITIATOR)
            finance = await services.directory.user(FINANCE)
            assert initiator is not None and finance is not None
            await execute(c.StartDossier(
                dossier_id=DOSSIER, actor=initiator, command_id="start",
                flow_id="ondertekening", title="Subsidie speeltuin",
                fields={"onderwerp": "Speeltuin"}), services)
            await execute(c.Act(dossier_id=DOSSIER, actor=finance, command_id="paraaf",
                                action=c.Action.INITIAL), services)
            yield Signing(client, validsign)


@pytest.fixture
async def signing(demo_template: Path, tmp_path: Path) -> AsyncIterator[Signing]:
    async with _signing(copy_demo(demo_template, tmp_path / "data"), "validsign",
                        FLOW) as found:
        yield found


@pytest.mark.parametrize(("tenant", "stage", "provider", "sent"), [
    ("embedded", "validsign", "validsign", True),  # the flow picks ValidSign
    ("validsign", "embedded", "pades", False),  # the flow keeps to paraaf's own signer
])
async def test_a_flows_sign_stage_picks_its_provider(
        demo_template: Path, tmp_path: Path, tenant: str, stage: str, provider: str,
        sent: bool) -> None:
    flow = FLOW + f"    provider: {stage}\n"
    async with _signing(copy_demo(demo_template, tmp_path / "data"), tenant, flow) as signing:
        await signing.click_sign()
        events = await signing.events()
        assert ("SigningSent" in events) is sent and ("DocumentSigned" in events) is not sent
        if sent:
            await signing.validsign.sign(await signing.sent_package())
        [signed] = await signing.payloads(ev.DocumentSigned)
        assert signed.provider == provider


async def test_a_completed_package_is_the_signature_recorded_once(signing: Signing) -> None:
    card = await signing.click_sign()
    events = await signing.events()
    assert events[-1] == "SigningSent" and "Signed" not in events
    assert "ligt bij ValidSign ter ondertekening: je krijgt er een e-mail over" in card_text(
        card)
    package = await signing.sent_package()
    assert signing.validsign.packages[package].status == "SENT"

    again = await signing.click_sign()  # a second click while ValidSign asks the signer
    assert await signing.events() == events
    assert "ligt bij ValidSign ter ondertekening" in card_text(again)

    await signing.validsign.sign(package)  # its callbacks arrive
    after = await signing.events()
    assert after[len(events):] == ["Signed", "DocumentSigned", "StageCompleted",
                                   "DossierCompleted"]
    [signed] = await signing.payloads(ev.DocumentSigned)
    [sent] = await signing.payloads(ev.SigningSent)
    assert signed.provider == "validsign" and [p.upn for p in signed.signers] == [MAYOR]
    pdf = await signing.client.wiring.documents.get(DOSSIER, signed.name)
    evidence = await signing.client.wiring.documents.get(DOSSIER, signed.evidence)
    assert signed.sha256 == sha256_hex(pdf) and signed.sha256_before == sent.sha256_before
    assert signed.evidence_sha256 == sha256_hex(evidence) and evidence.startswith(b"%PDF")
    report = await verify_pdf(pdf, validsign_trust())
    assert report.state is SignatureState.VALID  # signed by ValidSign's own CA

    statuses = [await signing.validsign.replay(i) for i in range(len(signing.validsign.delivered))]
    assert set(statuses) == {200}  # every callback again: nothing more is recorded
    assert await signing.events() == after


@pytest.mark.parametrize(("roots", "verdict"), [
    ("validsign", "valid"),  # PARAAF_SIGNING_TRUST_ROOTS holds ValidSign's root
    ("foreign", "untrusted"),  # another root only
    ("", "untrusted"),  # the demo CA only
])
async def test_validsigns_signatures_are_trusted_with_its_root_in_the_trust_roots(
        demo_template: Path, tmp_path: Path, roots: str, verdict: str) -> None:
    more = {}
    if roots:
        pem = validsign_root_pem() if roots == "validsign" else DemoPki.create(
            name="Foreign CA").ca.cert.public_bytes(serialization.Encoding.PEM)
        (tmp_path / "roots.pem").write_bytes(pem)
        more["PARAAF_SIGNING_TRUST_ROOTS"] = str(tmp_path / "roots.pem")
    async with _signing(copy_demo(demo_template, tmp_path / "data"), "validsign", FLOW,
                        more) as signing:
        await signing.click_sign()
        await signing.validsign.sign(await signing.sent_package())
        [signed] = await signing.payloads(ev.DocumentSigned)
        state = (await read(signing.services, DOSSIER)).state
        assert signing.services.signing is not None
        assert await signing.services.signing.checks(state) == {signed.name: verdict}


async def test_a_package_the_dossier_no_longer_waits_for_is_taken_back_at_validsign(
        signing: Signing) -> None:
    """Withdrawn while its package is out: the outbox row changes the package to draft at
    ValidSign (nobody can sign it any more), once, and taking the row again changes nothing;
    ValidSign's later word on it records nothing."""
    await signing.click_sign()
    package = await signing.sent_package()
    initiator = await signing.services.directory.user(INITIATOR)
    assert initiator is not None
    await execute(c.Withdraw(dossier_id=DOSSIER, actor=initiator, command_id="withdraw",
                             reason="Onderwerp vervallen"), signing.services)
    delivery = signing.client.app_runtime.bot.delivery
    await signing.client.app_runtime.bot.drain()
    await delivery.run_once(limit=100)
    stand_in = signing.validsign.packages[package]
    assert stand_in.status == "DRAFT"
    assert sum("changed to draft" in line for line in stand_in.trail) == 1
    with pytest.raises(AssertionError, match="is DRAFT"):
        await signing.validsign.sign(package)  # its signer can no longer sign it
    again = OutboxItem(0, Notification(DOSSIER, "again", SYSTEM, RECALL_KIND), attempts=2)
    await delivery.handlers.for_kind(RECALL_KIND).handle(again)  # a row taken again
    assert sum("changed to draft" in line for line in stand_in.trail) == 1
    assert (await signing.events())[-1] == "DossierWithdrawn"


async def test_a_forged_callback_is_refused_and_changes_nothing(signing: Signing) -> None:
    await signing.click_sign()
    package = await signing.sent_package()
    signing.validsign.callback_url = ""  # ValidSign's own callbacks are held back
    await signing.validsign.sign(package)
    before = await signing.events()
    signing.validsign.callback_url = signing.client.base + SIGNING_CALLBACK
    notice = {"name": "PACKAGE_COMPLETE", "packageId": package, "createdDate": "x"}
    assert await signing.validsign.post_notice(notice, key="guessed") == 401
    assert await signing.events() == before
    assert set(await signing.validsign.deliver()) == {200}  # the genuine ones, late
    assert (await signing.events()).count("DocumentSigned") == 1


async def test_callbacks_twice_and_out_of_order_record_the_outcome_once(
        signing: Signing) -> None:
    signing.validsign.duplicate = signing.validsign.reverse = True
    await signing.click_sign()
    package = await signing.sent_package()
    before = await signing.events()
    # a notice that says declined while ValidSign says the package is still out to sign
    lying = {"name": "PACKAGE_DECLINE", "packageId": package, "createdDate": "early"}
    assert await signing.validsign.post_notice(lying) == 200
    assert await signing.events() == before
    await signing.validsign.sign(package)  # complete, signer complete, activate: reversed, x2
    delivered = [notice["name"] for notice, _ in signing.validsign.delivered[1:]]
    assert delivered[:2] == ["PACKAGE_COMPLETE", "PACKAGE_COMPLETE"]
    assert delivered[-1] == "PACKAGE_ACTIVATE"  # the oldest notice comes last
    after = await signing.events()
    assert after.count("Signed") == after.count("DocumentSigned") == 1


async def test_a_declined_package_goes_back_with_the_signers_reason(signing: Signing) -> None:
    await signing.click_sign()
    package = await signing.sent_package()
    before = await signing.events()
    await signing.validsign.decline(package, "Het bedrag klopt niet")
    after = await signing.events()
    assert after[len(before):] == ["SigningStopped", "DossierReturned", "StageStarted"]
    [stopped] = await signing.payloads(ev.SigningStopped)
    [returned] = await signing.payloads(ev.DossierReturned)
    assert (stopped.status, stopped.reason) == ("declined", "Het bedrag klopt niet")
    assert (returned.to_stage, returned.reason) == ("paraaf", "Het bedrag klopt niet")
    state = (await read(signing.services, DOSSIER)).state
    assert [s.stage_id for s in state.active_stages()] == ["paraaf"]
    assert not state.signing_open and "Signed" not in after
    await signing.validsign.replay()
    assert await signing.events() == after


async def test_an_expired_package_is_reported_and_the_signer_sends_it_again(
        signing: Signing) -> None:
    await signing.click_sign()
    first = await signing.sent_package()
    before = await signing.events()
    await signing.validsign.expire(first)
    after = await signing.events()
    assert after[len(before):] == ["SigningStopped"]
    [stopped] = await signing.payloads(ev.SigningStopped)
    assert stopped.status == "expired"
    state = (await read(signing.services, DOSSIER)).state
    assert [s.stage_id for s in state.active_stages()] == ["burgemeester"]

    await signing.click_sign()  # sent again: a new package
    second = await signing.sent_package()
    assert second != first
    await signing.validsign.sign(second)
    assert (await signing.events()).count("DocumentSigned") == 1


async def test_lost_callbacks_are_made_up_for_by_the_periodic_check(signing: Signing) -> None:
    await signing.click_sign()
    package = await signing.sent_package()
    signing.validsign.callback_url = ""  # no callback reaches paraaf
    await signing.validsign.sign(package)
    before = await signing.events()
    assert "Signed" not in before
    report = await settle_open(signing.services)
    assert (report.checked, report.settled) == (1, 1)
    after = await signing.events()
    assert after.count("Signed") == after.count("DocumentSigned") == 1
    assert (await settle_open(signing.services)).checked == 0
    assert await signing.events() == after
