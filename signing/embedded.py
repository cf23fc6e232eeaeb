"""The embedded signing provider, verifier and renderer as the wiring builds them: made on
first use, since pyHanko takes about a second to import and most commands sign nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from approvals.errors import ActionNotAllowed
from approvals.signatures import (
    SignedDocument,
    SigningCallback,
    SigningPackage,
    SigningRequest,
    VerificationReport,
)

if TYPE_CHECKING:
    from cryptography import x509

    from signing.keys import KeySource
    from signing.service import PadesSigningService, PadesVerifier

PROVIDER = "pades"


@dataclass(frozen=True)
class KeySettings:
    """Where the keys come from: a PKCS#12 (production), else the demo CA in ``demo_dir``
    (made there the first time it is needed)."""

    demo_dir: Path
    pkcs12: str = ""
    pkcs12_password: str = field(default="", repr=False)
    trust_roots: str = ""
    tsa_url: str = ""
    english: bool = False
    demo_allowed: bool = True  # False in production: no signature by the demo CA there

    def extra_roots(self) -> tuple[x509.Certificate, ...]:
        """The roots of PARAAF_SIGNING_TRUST_ROOTS, trusted with or without a PKCS#12
        (ValueError, OSError: the file cannot be used)."""
        from signing.keys import read_roots

        return read_roots(Path(self.trust_roots).expanduser()) if self.trust_roots else ()


def load_keys(settings: KeySettings) -> KeySource:
    """The key source of the settings (ValueError when the PKCS#12 cannot be read)."""
    from signing.keys import DemoKeys, Pkcs12Keys
    from signing.pki import DemoPki

    extra = settings.extra_roots()
    if settings.pkcs12:
        roots = Path(settings.trust_roots).expanduser() if settings.trust_roots else None
        return Pkcs12Keys.load(Path(settings.pkcs12).expanduser(), settings.pkcs12_password,
                               settings.tsa_url, roots)
    if not settings.demo_allowed:
        raise ValueError("no signing certificate: set PARAAF_SIGNING_PKCS12 (production does "
                         "not sign with the demo CA)")
    if not DemoPki.exists(settings.demo_dir):
        DemoPki.create().save(settings.demo_dir)
    return DemoKeys.from_folder(settings.demo_dir, settings.tsa_url, extra)


@dataclass
class EmbeddedSigning:
    """The PAdES provider and its verifier behind the ports, built when first asked."""

    settings: KeySettings
    _service: PadesSigningService | None = None
    _verifier: PadesVerifier | None = None

    def _build(self) -> tuple[PadesSigningService, PadesVerifier]:
        if self._service is None or self._verifier is None:
            from signing.pades import StampWords
            from signing.service import PadesSigningService, PadesVerifier

            keys = load_keys(self.settings)  # ValueError, OSError: the keys cannot be used
            words = StampWords("Signed by:", "Time:", "Dossier:") if self.settings.english \
                else StampWords()
            self._service = PadesSigningService(keys, words)
            self._verifier = PadesVerifier(keys)
        return self._service, self._verifier

    @property
    def provider(self) -> str:
        return PROVIDER

    async def prepare(self, request: SigningRequest) -> SigningPackage:
        try:
            service = self._build()[0]
        except (ValueError, OSError) as error:
            raise ActionNotAllowed(refusal="signing_failed", name=request.name,
                                   reason=str(error)) from error
        return await service.prepare(request)

    async def send(self, package_id: str) -> SigningPackage:
        return await self._build()[0].send(package_id)

    async def status(self, package_id: str) -> SigningPackage:
        return await self._build()[0].status(package_id)

    async def signed_document(self, package_id: str) -> SignedDocument:
        service = self._build()[0]
        try:
            return await service.signed_document(package_id)
        finally:
            service.forget(package_id)

    async def callback(self, body: bytes, headers: Mapping[str, str]) -> SigningCallback | None:
        return None

    async def recall(self, package_id: str) -> bool:
        return False  # the embedded provider signs when it sends: nothing is ever out

    async def verify(self, pdf: bytes) -> VerificationReport:
        """Checked against the keys' trusted roots; without usable keys (production with
        ValidSign and no PKCS#12) against PARAAF_SIGNING_TRUST_ROOTS alone."""
        try:
            verifier = self._build()[1]
        except (ValueError, OSError):
            from signing.pades import Trust, to_asn1_cert, verify_pdf

            try:
                roots = tuple(to_asn1_cert(c) for c in self.settings.extra_roots())
            except (ValueError, OSError):
                roots = ()
            return await verify_pdf(pdf, Trust(roots=roots,
                                               fetch=not self.settings.demo_allowed))
        return await verifier.verify(pdf)


@dataclass
class ChosenRenderer:
    """``libreoffice`` (LibreOffice headless, PDF/A-2b), ``text`` (the light renderer), or
    ``auto``: LibreOffice when it is installed."""

    choice: str = "auto"

    async def render(self, name: str, content: bytes, fields: Mapping[str, str]) -> bytes:
        from approvals.signatures import RenderFailed
        from signing.render import LibreOfficeRenderer, TextRenderer, find_libreoffice

        program = find_libreoffice() if self.choice != "text" else None
        if program is not None:
            return await LibreOfficeRenderer(program).render(name, content, fields)
        if self.choice == "libreoffice":
            raise RenderFailed(name, "LibreOffice is not installed (PARAAF_RENDERER=libreoffice)")
        return await TextRenderer().render(name, content, fields)
