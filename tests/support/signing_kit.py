"""What the signing contracts share: two signers, a decision document, one demo CA per run
(making keys is the slow part) and a PDF signed by it."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import docx

from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import FlowStatus
from approvals.service import Services
from approvals.signatures import SigningRequest, SigningService, SigningStatus, sha256_hex
from approvals.signing_stage import SignStage
from approvals.workdays import WorkingCalendar
from local.clock import SystemClock
from signing.keys import DemoKeys
from signing.pki import DemoPki
from signing.render import text_pdf
from tests.support.fakes import InMemoryDirectory, InMemoryDossierStore, InMemoryFlowRepository

DEMO = Path(__file__).resolve().parents[2] / "local" / "demo"

# the demo directory's people of the sign flow below (local/demo/directory.yaml)
INITIATOR_UPN = "t.dejong@voorbeeldstad.nl"
MAYOR_UPN, SECRETARY_UPN = "m.jansen@voorbeeldstad.nl", "r.bakker@voorbeeldstad.nl"
SIGN_FLOW_ID = "raadsbesluit"
SIGN_FLOW = f"""\
schema: paraaf/flow/v1
id: {SIGN_FLOW_ID}
version: 1
title: Besluit met ondertekening
fields:
  - name: onderwerp
    type: text
    label: Onderwerp
    required: true
stages:
  - id: burgemeester
    kind: sign
    title: Ondertekening burgemeester
    assignees:
      - user: {MAYOR_UPN}
  - id: secretaris
    kind: sign
    title: Ondertekening secretaris
    assignees:
      - user: {SECRETARY_UPN}
"""
"""Burgemeester and secretaris sign, in order (the Gemeentewet asks both)."""
DECISION_TEXT = "Besluit over {{onderwerp}} in dossier {{dossier}}"
"""The decision document's text: its fields filled in when it is rendered."""
SIGNED_NAME = "besluit - ondertekend.pdf"  # besluit.docx, signed

MAYOR = Person(oid="b-1", upn="burgemeester@voorbeeldstad.nl", name="Bea Burgemeester")
SECRETARY = Person(oid="s-1", upn="secretaris@voorbeeldstad.nl", name="Sem Secretaris")

_PKI: list[DemoPki] = []
_FOLDER: list[Path] = []


def decision_docx(text: str = "Het college besluit: {{besluit}}") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def decision_pdf() -> bytes:
    """A PDF to sign that holds the word "toegekend" as it is (not compressed)."""
    return text_pdf(["Besluit", "Het college besluit: toegekend."])


def demo_pki() -> DemoPki:
    if not _PKI:
        _PKI.append(DemoPki.create())
    return _PKI[0]


def stranger_keys() -> DemoKeys:
    """Keys of another demo CA, which a verifier of the run's demo CA does not trust."""
    if len(_PKI) < 2:
        demo_pki()
        _PKI.append(DemoPki.create(name="Elders Demo CA"))
    return DemoKeys(_PKI[1])


def demo_keys() -> DemoKeys:
    """Keys of the run's demo CA (a new DemoKeys: certificates are issued per instance)."""
    return DemoKeys(demo_pki())


def demo_folder() -> Path:
    """A folder holding the run's demo CA, where the embedded provider loads its keys."""
    if not _FOLDER:
        folder = Path(tempfile.mkdtemp(prefix="paraaf-demo-ca-"))
        demo_pki().save(folder)
        _FOLDER.append(folder)
    return _FOLDER[0]


async def signed_by(service: SigningService, pdf: bytes, *signers: Person) -> bytes:
    """``pdf`` signed through ``service`` by ``signers`` (an embedded provider signs when the
    package is sent)."""
    package = await service.prepare(SigningRequest(
        dossier_id="D-1", dossier_number="D-1", name="besluit.pdf", pdf=pdf, signers=signers))
    await service.send(package.id)
    assert (await service.status(package.id)).status is SigningStatus.COMPLETED
    signed = await service.signed_document(package.id)
    assert signed.sha256_before == sha256_hex(pdf)
    return signed.pdf


async def sign_services(signing: SignStage, flow: str = SIGN_FLOW) -> Services:
    """The service layer over the in-memory fakes and the demo directory, with ``flow``
    published and ``signing`` as its sign stage."""
    directory = InMemoryDirectory.from_yaml_text((DEMO / "directory.yaml").read_text("utf-8"))
    flows = InMemoryFlowRepository()
    admin = await directory.user("s.vos@voorbeeldstad.nl")
    assert admin is not None
    definition = parse_flow(flow)
    await flows.save(definition, flow)
    await flows.set_status(definition.id, definition.version, FlowStatus.PUBLISHED, admin,
                           SystemClock().now())
    return Services(store=InMemoryDossierStore(), flows=flows, directory=directory,
                    clock=SystemClock(), calendar=WorkingCalendar(), signing=signing)
