"""The sign stage with the embedded provider, through the service layer and the in-memory
fakes: burgemeester and secretaris sign one PDF in order; a document that cannot be
rendered, or a signed PDF changed since its last signature, refuses the action and records
and stores nothing."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.errors import ConcurrencyConflict
from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import DocumentStore, FlowStatus, StoredDocument
from approvals.service import Services, execute, read, try_execute
from approvals.signatures import SignatureState, SigningRequest
from approvals.signing_stage import MISSING, SignStage, signed_states
from graph.rest import Graph
from local.clock import SystemClock
from local.documents import FolderDocumentStore
from signing.keys import DemoKeys
from signing.pades import LEVEL
from signing.pki import DemoPki
from signing.render import TextRenderer, text_pdf
from signing.service import PadesSigningService, PadesVerifier
from tests.support.fakes import (
    InMemoryDocumentStore,
    InMemoryDossierStore,
)
from tests.support.graph_fixtures import document_store
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env
from tests.support.signing_kit import DECISION_TEXT, decision_docx, sign_services

pytestmark = SDK_IMPORT_DEPRECATIONS


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
    versions = store.versions[("D-9", name)]
    versions[0] = versions[0].replace(b"Speeltuinen", b"Speelweides", 1)  # the recorded one
    version = (await read(services, "D-9")).state.version
    outcome = await try_execute(await _sign(services, "r.bakker@voorbeeldstad.nl", "s-2"),
                                services)
    assert outcome.refusal is not None and outcome.refusal.refusal == "signed_document_changed"
    assert (await read(services, "D-9")).state.version == version
    assert len(store.versions[("D-9", name)]) == 1  # nothing stored


async def test_the_next_signer_signs_the_recorded_version_not_a_later_file(
        services: Services) -> None:
    await _start(services, _decision_docx())
    await execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services)
    store = _documents(services)
    name = "besluit - ondertekend.pdf"
    (one,) = (await read(services, "D-9")).state.signings
    tampered = (await store.get("D-9", name)).replace(b"Speeltuinen", b"Speelweides", 1)
    await store.put("D-9", name, tampered)
    await execute(await _sign(services, "r.bakker@voorbeeldstad.nl", "s-2"), services)
    _, two = (await read(services, "D-9")).state.signings
    assert two.sha256_before == one.sha256
    assert b"Speelweides" not in await store.get("D-9", name)


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


TOGETHER = """\
schema: paraaf/flow/v1
id: college
version: 1
title: Besluit van het college
stages:
  - id: college
    kind: sign
    title: Ondertekening burgemeester en secretaris
    assignees:
      - user: m.jansen@voorbeeldstad.nl
      - user: r.bakker@voorbeeldstad.nl
{completion}"""


class _BothRead:
    """A document store that holds each signed PDF's first ``writers`` stores until all of
    them arrived: the signers both read what they sign before either stores."""

    def __init__(self, inner: DocumentStore, writers: int = 2) -> None:
        self.inner = inner
        self.waiting = writers
        self.arrived = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def put(self, dossier_id: str, name: str, content: bytes) -> StoredDocument:
        if name.endswith(".pdf") and self.waiting > 0:
            self.waiting -= 1
            if self.waiting == 0:
                self.arrived.set()
            await self.arrived.wait()
        return await self.inner.put(dossier_id, name, content)


@pytest.fixture
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    """The documents of each backend: in memory, a folder, a library on the Graph test
    server (driveItem versions)."""
    if request.param == "memory":
        yield InMemoryDocumentStore()
    elif request.param == "folder":
        yield FolderDocumentStore(tmp_path / "documents")
    else:
        async with graph_env() as (server, client):
            yield await document_store(server, Graph(client))


BACKENDS = pytest.mark.parametrize("store", ["memory", "folder", "graph"], indirect=True)


async def _together(services: Services, keys: DemoKeys, documents: DocumentStore,
                    completion: str) -> _BothRead:
    """The services with flow ``college`` (two signers in one stage) and D-9 started on it."""
    admin = await _person(services, "s.vos@voorbeeldstad.nl")
    text = TOGETHER.format(completion=completion)
    await services.flows.save(parse_flow(text), text)
    await services.flows.set_status("college", 1, FlowStatus.PUBLISHED, admin,
                                    SystemClock().now())
    gate = _BothRead(documents)
    services.signing = SignStage(PadesSigningService(keys), TextRenderer(), gate,
                                 PadesVerifier(keys))
    await execute(c.StartDossier(
        dossier_id="D-9", actor=await _person(services, "t.dejong@voorbeeldstad.nl"),
        command_id="start", flow_id="college", title="Verordening speeltuinen",
        fields={}), services)
    return gate


@BACKENDS
async def test_two_signers_of_one_stage_signing_at_once_both_sign_one_pdf(
        services: Services, keys: DemoKeys, store: DocumentStore) -> None:
    documents = store
    await _together(services, keys, documents, "")
    outcomes = await asyncio.gather(
        try_execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services),
        try_execute(await _sign(services, "r.bakker@voorbeeldstad.nl", "s-2"), services))
    assert [o.refusal for o in outcomes] == [None, None]
    state = (await read(services, "D-9")).state
    assert state.status.value == "completed"
    one, two = state.signings
    assert two.sha256_before == one.sha256  # the later one signed on top of the first
    assert {p.upn for p in two.signers} == {"m.jansen@voorbeeldstad.nl",
                                           "r.bakker@voorbeeldstad.nl"}
    pdf = await documents.get("D-9", two.name)
    assert hashlib.sha256(pdf).hexdigest() == two.sha256  # the link shows what was recorded
    assert await documents.get_version("D-9", one.name, one.version) != pdf
    assert services.signing is not None and services.signing.verifier is not None
    (shown,) = await signed_states(state, documents, services.signing.verifier)
    assert (shown.state, len(shown.report.signatures if shown.report else ())) == ("valid", 2)


@BACKENDS
async def test_the_signer_who_came_second_in_an_any_stage_leaves_the_signed_pdf_as_recorded(
        services: Services, keys: DemoKeys, store: DocumentStore) -> None:
    documents = store
    await _together(services, keys, documents, "    completion: any\n")
    outcomes = await asyncio.gather(
        try_execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services),
        try_execute(await _sign(services, "r.bakker@voorbeeldstad.nl", "s-2"), services))
    assert sum(o.refusal is None for o in outcomes) == 1
    state = (await read(services, "D-9")).state
    (signed,) = state.signings
    pdf = await documents.get("D-9", signed.name)
    assert hashlib.sha256(pdf).hexdigest() == signed.sha256
    evidence = await documents.get("D-9", signed.evidence)
    assert hashlib.sha256(evidence).hexdigest() == signed.evidence_sha256
    assert services.signing is not None and services.signing.verifier is not None
    (shown,) = await signed_states(state, documents, services.signing.verifier)
    assert shown.state == "valid"


class _CountingVerifier:
    def __init__(self, inner: PadesVerifier) -> None:
        self.inner = inner
        self.calls = 0

    async def verify(self, pdf: bytes) -> Any:
        self.calls += 1
        return await self.inner.verify(pdf)


async def test_a_cards_check_verifies_each_content_once(services: Services,
                                                       keys: DemoKeys) -> None:
    assert services.signing is not None
    counting = _CountingVerifier(PadesVerifier(keys))
    services.signing.verifier = counting
    await _start(services, _decision_docx())
    await execute(await _sign(services, "m.jansen@voorbeeldstad.nl", "s-1"), services)
    state = (await read(services, "D-9")).state
    name = "besluit - ondertekend.pdf"
    assert await services.signing.checks(state) == {name: "valid"}
    assert await services.signing.checks(state) == {name: "valid"}
    assert counting.calls == 1  # a refresh of the card verifies nothing again

    store = _documents(services)
    await store.put("D-9", name, (await store.get("D-9", name)) + b"\n% appended")
    assert await services.signing.checks(state) == {name: "changed"}
    assert counting.calls == 2
    del store.versions[("D-9", name)]
    assert await services.signing.checks(state) == {name: MISSING}
