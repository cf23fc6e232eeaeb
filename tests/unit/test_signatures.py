"""The signing ports' values: a report sums up its signatures, the worst one counting, and
a signature recorded in the log puts the signed PDF among the dossier's documents."""

from __future__ import annotations

from approvals import event_payloads as ev
from approvals.dossier import fold
from approvals.events import GENESIS_HASH, Event, EventType, sealed
from approvals.identity import Person
from approvals.signatures import (
    RenderFailed,
    SignatureCheck,
    SignatureState,
    VerificationReport,
    sha256_hex,
)

ANNA = Person(oid="a-1", upn="anna@voorbeeldstad.nl", name="Anna", tenant="t-1")


def _check(state: SignatureState) -> SignatureCheck:
    return SignatureCheck(signer="Anna", signed_at="2026-12-03T10:00:00Z", state=state,
                          level="PAdES-B-LTA" if state is SignatureState.VALID else "")


def test_no_signature_is_unsigned_and_the_worst_signature_decides() -> None:
    assert VerificationReport(()).state is SignatureState.UNSIGNED
    valid, changed, untrusted = (_check(s) for s in (
        SignatureState.VALID, SignatureState.CHANGED, SignatureState.UNTRUSTED))
    assert VerificationReport((valid, valid)).state is SignatureState.VALID
    assert VerificationReport((valid, untrusted)).state is SignatureState.UNTRUSTED
    assert VerificationReport((untrusted, changed, valid)).state is SignatureState.CHANGED


def test_a_document_that_cannot_be_rendered_is_refused_with_its_reason() -> None:
    error = RenderFailed("besluit.docx", "not a Word document")
    assert error.refusal == "document_not_renderable"
    assert "besluit.docx" in error.message and "not a Word document" in error.message
    assert "Nothing was signed" in error.message


def _event(seq: int, prev: str, payload: ev.Payload) -> Event:
    return sealed(Event(event_id=f"e{seq}", dossier_id="D-1", seq=seq,
                        type=EventType(payload.TYPE), payload=payload, actor=ANNA,
                        on_behalf_of=None, channel="cli",
                        timestamp=f"2026-12-03T10:00:0{seq}.000000Z", prev_hash=prev))


def test_a_signature_in_the_log_puts_the_signed_pdf_among_the_documents() -> None:
    started = _event(1, GENESIS_HASH, ev.DossierStarted(
        flow_id="f", flow_version=1, title="T", fields={}, initiator=ANNA))
    pdf = b"%PDF-1.7 signed"
    signed = _event(2, started.hash, ev.DocumentSigned(
        stage="tekenen", round=1, slot="a-1", source="besluit.docx", source_sha256="2" * 64,
        name="besluit.pdf",
        uri="file:///d/besluit.pdf", version="1", size=len(pdf), sha256_before="0" * 64,
        sha256=sha256_hex(pdf), signers=(ANNA,), signed_at="2026-12-03T10:00:02Z",
        provider="pades", level="PAdES-B-LTA", evidence="besluit.pdf.bewijs.json",
        evidence_sha256="1" * 64))
    state = fold([started, signed])
    assert state is not None
    assert [(d.name, d.sha256) for d in state.documents] == [("besluit.pdf", sha256_hex(pdf))]
    assert [s.signers for s in state.signings] == [(ANNA,)]
