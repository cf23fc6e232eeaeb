"""What every SignatureVerifier promises: a document signed by trusted certificates is
valid with one check per signature, one without signatures is unsigned, one signed by a
certificate it does not trust is untrusted, and a changed byte in what was signed makes it
changed.

Run against each verifier of ``signing/``: the PAdES verifier and the embedded one the wiring
builds, each on a PDF the PAdES provider signed with the same demo CA.
"""

from __future__ import annotations

import pytest

from approvals.signatures import SignatureState, SignatureVerifier
from signing.embedded import EmbeddedSigning, KeySettings
from signing.service import PadesSigningService, PadesVerifier
from tests.support.signing_kit import (
    MAYOR,
    SECRETARY,
    decision_pdf,
    demo_folder,
    demo_keys,
    signed_by,
    stranger_keys,
)


class SignatureVerifierContract:
    def make_verifier(self) -> SignatureVerifier:
        """A verifier that trusts the run's demo CA."""
        raise NotImplementedError

    @pytest.fixture
    def verifier(self) -> SignatureVerifier:
        return self.make_verifier()

    async def test_every_signature_is_valid(self, verifier: SignatureVerifier) -> None:
        pdf = await signed_by(PadesSigningService(demo_keys()), decision_pdf(), MAYOR, SECRETARY)
        report = await verifier.verify(pdf)
        assert report.state is SignatureState.VALID
        assert len(report.signatures) == 2
        assert all(check.state is SignatureState.VALID for check in report.signatures)

    async def test_a_document_without_signatures_is_unsigned(
            self, verifier: SignatureVerifier) -> None:
        report = await verifier.verify(decision_pdf())
        assert report.state is SignatureState.UNSIGNED and report.signatures == ()

    async def test_a_changed_byte_is_changed(self, verifier: SignatureVerifier) -> None:
        pdf = await signed_by(PadesSigningService(demo_keys()), decision_pdf(), MAYOR)
        at = pdf.index(b"toegekend")  # in the decision's text, which every signature covers
        changed = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]
        assert (await verifier.verify(changed)).state is SignatureState.CHANGED


    async def test_a_signature_by_a_certificate_not_trusted_is_untrusted(
            self, verifier: SignatureVerifier) -> None:
        pdf = await signed_by(PadesSigningService(stranger_keys()), decision_pdf(), MAYOR)
        report = await verifier.verify(pdf)
        assert report.state is SignatureState.UNTRUSTED and len(report.signatures) == 1


class TestPadesVerifier(SignatureVerifierContract):
    def make_verifier(self) -> SignatureVerifier:
        return PadesVerifier(demo_keys())


class TestEmbeddedSigningVerifier(SignatureVerifierContract):
    def make_verifier(self) -> SignatureVerifier:
        return EmbeddedSigning(KeySettings(demo_dir=demo_folder()))
