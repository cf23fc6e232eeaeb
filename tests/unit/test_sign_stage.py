"""The sign stage with the embedded provider, through the service layer and the in-memory
fakes: burgemeester and secretaris sign one PDF in order; a document that cannot be
rendered, or a signed PDF changed since its last signature, refuses the action and records
and stores nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.errors import ConcurrencyConflict
from approvals.identity import Person
from approvals.service import Services, execute, read, try_execute
from approvals.signatures import SignatureState, SigningRequest
from approvals.signing_stage import MISSING, SignStage, signed_states
from signing.keys import DemoKeys
from signing.pades import LEVEL
from signing.pki import DemoPki
from signing.render import TextRenderer, text_pdf
from signing.service import PadesSigningService, PadesVerifier
from tests.support.fakes import (
    InMemoryDocumentStore,
    InMemoryDossierStore,
)
from tests.support.signing_kit import DECISION_TEXT, decision_docx, sign_services


@pytest.fixture(scope="module")
def keys() -> DemoKeys:
    return DemoKeys(DemoPki.create())


@pytest.fixture
async def services(keys: DemoKeys) -> Services:
    documents = InMemoryDocumentStore()
    return await sign_services(SignStage(PadesSigningService(keys), TextRenderer(), documents,
                                         PadesVerifier(keys)))


async def _person(services: Services, upn: str) -> Person:
    person = await services.directory.user(upn)
    assert person is not None
    return person


def _documents(services: Services) -> InMemoryDocumentStore:
    assert services.signing is not None
    store = services.signing.documents
    assert isinstance(store, InMemoryDocumentStore)
    return store


async def _start(services: Services, document: bytes | None = None) -> None:
    initiator = await _person(services, "t.dejong@voorbeeldstad.nl")
    await execute(c.StartDossier(dossier_id="D-9", actor=initiator, command_id="start",
                                 flow_id="raadsbesluit", title="Verordening speeltuinen",
                                 fields={"onderwerp": "Speeltuinen"}), services)
    if document is not None:
        stored = await _documents(services).put("D-9", "besluit.docx", document)
        await execute(c.Attach(dossier_id="D-9", actor=initiator, command_id="attach",
                               name=stored.name, uri=stored.uri, sha256=stored.sha256,
                               size=stored.size, version=stored.version), services)


async def _sign(services: Services, upn: str, command_id: str) -> c.Act:
    return c.Act(dossier_id="D-9", actor=await _person(services, upn), command_id=command_id,
                 action=c.Action.SIGN)


def _decision_docx() -> bytes:
    return decision_docx(DECISION_TEXT)


async def test_burgemeester_and_secretaris_sign_one_pdf_in_order(services: Services) -> None:
    await _start(services, _decision_docx())
    first = await execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services)
    assert [type(e.payload) for e in first.events][:2] == [ev.Signed, ev.DocumentSigned]
    second = await execute(await _sign(services, "r.bakker@voorbeeldstad.nl", "s-2"), services)
    assert second.state.status.value == "completed"

    snapshot = await read(services, "D-9")
    one, two = snapshot.state.signings
    assert one.source == two.source == "besluit.docx"
    assert one.name == two.name == "besluit - ondertekend.pdf"
    assert two.sha256_before == one.sha256  # the secretaris signed what the burgemeester did
    assert [p.upn for p in two.signers] == ["m.jansen@voorbeeldstad.nl",
                                            "r.bakker@voorbeeldstad.nl"]
    assert (one.provider, one.level) == ("pades", LEVEL)

    pdf = await _documents(services).get("D-9", two.name)
    assert hashlib.sha256(pdf).hexdigest() == two.sha256
    assert b"Besluit over Speeltuinen in dossier D-9" in pdf  # rendered with its fields
    evidence = await _documents(services).get("D-9", two.evidence)
    assert hashlib.sha256(evidence).hexdigest() == two.evidence_sha256
    assert services.signing is not None and services.signing.verifier is not None
    report = await services.signing.verifier.verify(pdf)
    assert report.state is SignatureState.VALID
    assert [c.signer for c in report.signatures] == ["Marieke Jansen", "Ruud Bakker"]
    assert {c.level for c in report.signatures} == {LEVEL}
    assert [d.name for d in snapshot.state.documents] == ["besluit.docx", two.name]


async def test_without_a_decision_document_the_dossier_itself_is_signed(
        services: Services) -> None:
    await _start(services)
    await execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services)
    (signed,) = (await read(services, "D-9")).state.signings
    assert (signed.source, signed.name) == ("", "besluit - ondertekend.pdf")
    pdf = await _documents(services).get("D-9", signed.name)
    assert b"Verordening speeltuinen" in pdf and b"Speeltuinen" in pdf


async def test_a_document_that_cannot_be_rendered_refuses_the_signature(
        services: Services) -> None:
    await _start(services, b"PK\x03\x04 not really a Word document")
    before = await read(services, "D-9")
    outcome = await try_execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"),
                                services)
    assert outcome.refusal is not None
    assert outcome.refusal.refusal == "document_not_renderable"
    assert "besluit.docx" in outcome.refusal.message
    after = await read(services, "D-9")
    assert after.state.version == before.state.version and not after.state.signings
    assert ("D-9", "besluit - ondertekend.pdf") not in _documents(services).versions


async def test_a_signed_pdf_changed_since_its_signature_is_not_signed_again(
        services: Services) -> None:
    await _start(services, _decision_docx())
    await execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services)
    store = _documents(services)
    name = "besluit - ondertekend.pdf"
    tampered = (await store.get("D-9", name)).replace(b"Speeltuinen", b"Speelweides", 1)
    await store.put("D-9", name, tampered)
    version = (await read(services, "D-9")).state.version
    outcome = await try_execute(await _sign(services, "r.bakker@voorbeeldstad.nl", "s-2"),
                                services)
    assert outcome.refusal is not None and outcome.refusal.refusal == "signed_document_changed"
    assert (await read(services, "D-9")).state.version == version
    assert len(store.versions[("D-9", name)]) == 2  # the signed one and the tampered one


async def test_a_signed_pdf_swapped_for_another_valid_one_reads_as_changed(
        services: Services, keys: DemoKeys) -> None:
    await _start(services, _decision_docx())
    await execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services)
    state = (await read(services, "D-9")).state
    assert services.signing is not None and services.signing.verifier is not None
    verifier, store = services.signing.verifier, _documents(services)
    (before,) = await signed_states(state, store, verifier)
    assert (before.state, before.level) == ("valid", LEVEL)

    other = PadesSigningService(keys)  # a validly signed PDF, but not the one recorded
    package = await other.prepare(SigningRequest(
        dossier_id="D-9", dossier_number="D-9", name=before.name,
        pdf=text_pdf(["Een ander besluit"]), signers=(state.initiator,)))
    await other.send(package.id)
    await store.put("D-9", before.name, (await other.signed_document(package.id)).pdf)
    (after,) = await signed_states(state, store, verifier)
    assert (after.state, after.level) == ("changed", "")
    assert after.report is not None and after.report.state is SignatureState.VALID


async def test_a_signed_pdf_that_is_gone_reads_as_missing(services: Services) -> None:
    await _start(services)
    await execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services)
    state = (await read(services, "D-9")).state
    store = _documents(services)
    del store.versions[("D-9", "besluit - ondertekend.pdf")]
    assert services.signing is not None and services.signing.verifier is not None
    (gone,) = await signed_states(state, store, services.signing.verifier)
    assert gone.state == MISSING


class _ConflictOnce(InMemoryDossierStore):
    """A store whose next append meets a concurrency conflict (another writer was first)."""

    conflict = False

    async def append(self, dossier_id: str, expected_version: int, events: Any,
                     summary: Any, notifications: Any = ()) -> None:
        if self.conflict:
            self.conflict = False
            raise ConcurrencyConflict(dossier_id, expected_version)
        await super().append(dossier_id, expected_version, events, summary, notifications)


async def test_a_signature_retried_after_a_conflict_is_made_and_stored_once(
        services: Services) -> None:
    store = _ConflictOnce()
    services.store = store
    await _start(services, _decision_docx())
    await execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services)
    store.conflict = True
    outcome = await execute(await _sign(services, "r.bakker@voorbeeldstad.nl", "s-2"),
                            services)
    assert outcome.attempts == 2
    one, two = (await read(services, "D-9")).state.signings
    assert two.sha256_before == one.sha256
    versions = _documents(services).versions[("D-9", "besluit - ondertekend.pdf")]
    assert len(versions) == 2  # one signed PDF per signer, none left over from the conflict
    assert hashlib.sha256(versions[-1]).hexdigest() == two.sha256
