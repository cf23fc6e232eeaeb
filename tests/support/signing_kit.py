"""What the signing contracts share: two signers, a decision document, one demo CA per run
(making keys is the slow part) and a PDF signed by it."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import docx

from approvals.identity import Person
from approvals.signatures import SigningRequest, SigningService, SigningStatus, sha256_hex
from signing.keys import DemoKeys
from signing.pki import DemoPki
from signing.render import text_pdf

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
