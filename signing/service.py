"""The embedded signing provider and verifier, behind :mod:`approvals.signatures`' ports.

The embedded provider signs at once when a package is sent: each signer in order puts a
PAdES B-LTA signature on the document (:mod:`signing.pades`). Its evidence is its own check
of the signed PDF, as JSON. It has no callbacks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pyhanko.sign.general import SigningError

from approvals.errors import ActionNotAllowed
from approvals.signatures import (
    SignedDocument,
    SigningCallback,
    SigningPackage,
    SigningRequest,
    SigningStatus,
    VerificationReport,
    sha256_hex,
)
from signing.keys import KeySource
from signing.pades import LEVEL, PROVIDER, StampWords, evidence_json, sign_pdf, verify_pdf


class SigningFailed(ActionNotAllowed):
    """The signature could not be made (the timestamp authority did not answer, a
    certificate could not be checked): nothing is signed."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(refusal="signing_failed", name=name, reason=reason)


@dataclass
class _Package:
    request: SigningRequest
    status: SigningStatus
    signed: SignedDocument | None = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class PadesSigningService:
    """Signs with pyHanko, in process (the keys from a :class:`signing.keys.KeySource`)."""

    keys: KeySource
    words: StampWords = field(default_factory=StampWords)
    now: Callable[[], datetime] = _utc_now
    _packages: dict[str, _Package] = field(default_factory=dict)

    @property
    def provider(self) -> str:
        return PROVIDER

    async def prepare(self, request: SigningRequest) -> SigningPackage:
        package_id = uuid.uuid4().hex
        self._packages[package_id] = _Package(request, SigningStatus.PREPARED)
        return SigningPackage(package_id, SigningStatus.PREPARED, PROVIDER)

    async def send(self, package_id: str) -> SigningPackage:
        package = self._package(package_id)
        if package.status is SigningStatus.PREPARED:
            package.signed = await self._sign(package.request)
            package.status = SigningStatus.COMPLETED
        return SigningPackage(package_id, package.status, PROVIDER)

    async def status(self, package_id: str) -> SigningPackage:
        return SigningPackage(package_id, self._package(package_id).status, PROVIDER)

    async def signed_document(self, package_id: str) -> SignedDocument:
        package = self._package(package_id)
        if package.signed is None:
            raise ActionNotAllowed(f"Signing package {package_id} is {package.status.value}.")
        return package.signed

    async def callback(self, body: bytes, headers: Mapping[str, str]) -> SigningCallback | None:
        return None  # the embedded provider signs in process: nothing calls back

    async def recall(self, package_id: str) -> bool:
        """A package is never out here (sending signs it at once): nothing to take back."""
        return False

    def forget(self, package_id: str) -> None:
        """Drop a package once its result is stored (the service keeps nothing for long)."""
        self._packages.pop(package_id, None)

    def _package(self, package_id: str) -> _Package:
        package = self._packages.get(package_id)
        if package is None:
            raise ActionNotAllowed(f"There is no signing package {package_id}.")
        return package

    async def _sign(self, request: SigningRequest) -> SignedDocument:
        pdf = request.pdf
        trust = self.keys.trust()
        try:
            for person in request.signers:
                pdf = await sign_pdf(
                    pdf, self.keys.signer_for(person), self.keys.timestamper(), trust,
                    signer_name=person.name or person.upn,
                    dossier_number=request.dossier_number, reason=request.reason,
                    words=self.words)
        except (SigningError, OSError, ValueError) as error:
            raise SigningFailed(request.name, str(error) or type(error).__name__) from error
        signed_at = self.now()
        after = sha256_hex(pdf)
        report = await verify_pdf(pdf, trust)
        evidence = evidence_json(report, name=request.name, sha256=after, signed_at=signed_at)
        return SignedDocument(
            name=request.name, pdf=pdf, sha256_before=sha256_hex(request.pdf),
            sha256_after=after, signers=request.signers,
            signed_at=signed_at.strftime("%Y-%m-%dT%H:%M:%SZ"), provider=PROVIDER,
            level=LEVEL, evidence=evidence, evidence_name=f"{request.name}.bewijs.json")


@dataclass
class PadesVerifier:
    """Checks PAdES signatures against the roots a key source trusts."""

    keys: KeySource

    async def verify(self, pdf: bytes) -> VerificationReport:
        return await verify_pdf(pdf, self.keys.trust())

