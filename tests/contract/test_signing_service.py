"""What every SigningService promises: a prepared package is signed by every signer once it
is sent (and completed), its result records the hashes before and after, the signers, the
provider and its evidence, and verifies; nothing is signed before it is sent; an unknown
package is refused.

A provider subclasses :class:`SigningServiceContract` and implements ``make_signing`` (the
provider and a verifier that trusts it); a provider that signs later (a service such as
ValidSign) completes its packages in ``complete``. Run against each provider of ``signing/``:
the PAdES provider, the embedded one the wiring builds, and ValidSign (against its
stand-in, tests/support/validsign). Providers are the same on every
backend.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from approvals.errors import ActionNotAllowed
from approvals.identity import Person
from approvals.signatures import (
    SignatureState,
    SignatureVerifier,
    SigningRequest,
    SigningService,
    SigningStatus,
    VerificationReport,
    sha256_hex,
)
from signing.embedded import EmbeddedSigning, KeySettings
from signing.pades import Trust, verify_pdf
from signing.render import text_pdf
from signing.service import PadesSigningService, PadesVerifier
from signing.validsign import DEFAULT_ANCHOR, ValidSignSettings, ValidSignSigning
from tests.support.signing_kit import (
    MAYOR,
    SECRETARY,
    decision_pdf,
    demo_folder,
    demo_keys,
)
from tests.support.validsign.server import running_validsign, validsign_trust


class SigningServiceContract:
    def make_signing(self) -> tuple[SigningService, SignatureVerifier]:
        raise NotImplementedError

    async def complete(self, service: SigningService, package_id: str) -> None:
        """Have every signer sign (an embedded provider has done so when it was sent)."""

    async def pdf(self) -> bytes:
        """A PDF to sign that holds the word "toegekend" as it is (not compressed)."""
        return decision_pdf()

    @pytest.fixture
    def signing(self) -> tuple[SigningService, SignatureVerifier]:
        return self.make_signing()

    async def _signed(self, service: SigningService, *signers: Person) -> tuple[bytes, bytes]:
        pdf = await self.pdf()
        package = await service.prepare(SigningRequest(
            dossier_id="D-1", dossier_number="D-1", name="besluit.pdf", pdf=pdf,
            signers=signers))
        assert package.status is SigningStatus.PREPARED
        assert package.provider == service.provider
        await service.send(package.id)
        await self.complete(service, package.id)
        assert (await service.status(package.id)).status is SigningStatus.COMPLETED
        signed = await service.signed_document(package.id)
        assert signed.sha256_before == sha256_hex(pdf)
        assert signed.sha256_after == sha256_hex(signed.pdf) != signed.sha256_before
        assert signed.signers == signers and signed.provider == service.provider
        assert signed.evidence and signed.evidence_sha256 == sha256_hex(signed.evidence)
        return pdf, signed.pdf

    async def test_every_signer_signs_and_the_result_verifies(
            self, signing: tuple[SigningService, SignatureVerifier]) -> None:
        service, verifier = signing
        original, pdf = await self._signed(service, MAYOR, SECRETARY)
        report = await verifier.verify(pdf)
        assert report.state is SignatureState.VALID
        assert len(report.signatures) == 2
        assert (await verifier.verify(original)).state is SignatureState.UNSIGNED

    async def test_a_changed_byte_is_changed(
            self, signing: tuple[SigningService, SignatureVerifier]) -> None:
        service, verifier = signing
        _, pdf = await self._signed(service, MAYOR)
        at = pdf.index(b"toegekend")  # in the decision's text, which every signature covers
        changed = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]
        assert (await verifier.verify(changed)).state is SignatureState.CHANGED

    async def test_an_unknown_package_is_refused(
            self, signing: tuple[SigningService, SignatureVerifier]) -> None:
        service, _ = signing
        with pytest.raises(ActionNotAllowed):
            await service.status("no-such-package")
        with pytest.raises(ActionNotAllowed):
            await service.signed_document("no-such-package")

    async def test_nothing_is_signed_before_it_is_sent(
            self, signing: tuple[SigningService, SignatureVerifier]) -> None:
        service, _ = signing
        package = await service.prepare(SigningRequest(
            dossier_id="D-1", dossier_number="D-1", name="besluit.pdf", pdf=await self.pdf(),
            signers=(MAYOR,)))
        with pytest.raises(ActionNotAllowed):
            await service.signed_document(package.id)

    async def test_a_recalled_package_is_not_signed_and_recalling_again_changes_nothing(
            self, signing: tuple[SigningService, SignatureVerifier]) -> None:
        service, _ = signing
        package = await service.prepare(SigningRequest(
            dossier_id="D-1", dossier_number="D-1", name="besluit.pdf", pdf=await self.pdf(),
            signers=(MAYOR,)))
        sent = await service.send(package.id)
        if sent.status is SigningStatus.COMPLETED:  # signed at once: nothing is ever out
            assert await service.recall(package.id) is False
            return
        assert await service.recall(package.id) is True
        assert await service.recall(package.id) is True  # again: still withdrawn
        assert (await service.status(package.id)).status is SigningStatus.PREPARED
        with pytest.raises(ActionNotAllowed):
            await service.signed_document(package.id)

    async def test_a_completed_package_is_not_recalled(
            self, signing: tuple[SigningService, SignatureVerifier]) -> None:
        service, _ = signing
        package = await service.prepare(SigningRequest(
            dossier_id="D-1", dossier_number="D-1", name="besluit.pdf", pdf=await self.pdf(),
            signers=(MAYOR,)))
        await service.send(package.id)
        await self.complete(service, package.id)
        assert await service.recall(package.id) is False
        assert (await service.status(package.id)).status is SigningStatus.COMPLETED


class TrustingVerifier:
    """Checks signatures against given roots (those of the provider under test)."""

    def __init__(self, trust: Trust) -> None:
        self.trust = trust

    async def verify(self, pdf: bytes) -> VerificationReport:
        return await verify_pdf(pdf, self.trust)


class TestPadesSigning(SigningServiceContract):
    def make_signing(self) -> tuple[SigningService, SignatureVerifier]:
        keys = demo_keys()
        return PadesSigningService(keys), PadesVerifier(keys)


class TestEmbeddedSigning(SigningServiceContract):
    """The provider as the wiring builds it (keys loaded from the demo CA's folder)."""

    def make_signing(self) -> tuple[SigningService, SignatureVerifier]:
        embedded = EmbeddedSigning(KeySettings(demo_dir=demo_folder()))
        return embedded, embedded


class TestValidSignSigning(SigningServiceContract):
    """The ValidSign adapter against the stand-in: its signers sign when ``complete`` says
    so, with the stand-in's own CA (which the verifier here trusts)."""

    @pytest.fixture
    async def signing(self) -> AsyncIterator[tuple[SigningService, SignatureVerifier]]:
        async with running_validsign() as stand_in:
            self.stand_in = stand_in
            service = ValidSignSigning(ValidSignSettings(stand_in.url, stand_in.api_key,
                                                         stand_in.callback_key))
            try:
                yield service, TrustingVerifier(validsign_trust())
            finally:
                await service.close()

    async def complete(self, service: SigningService, package_id: str) -> None:
        await self.stand_in.sign(package_id)

    async def pdf(self) -> bytes:
        return text_pdf(["Besluit", "Het college besluit: toegekend.", DEFAULT_ANCHOR])
