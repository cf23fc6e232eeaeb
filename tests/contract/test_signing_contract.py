"""The embedded PAdES provider and its verifier, and both renderers, against the signing
contract."""

from __future__ import annotations

import pytest

from approvals.signatures import DocumentRenderer, SignatureVerifier, SigningService
from signing.keys import DemoKeys
from signing.pki import DemoPki
from signing.render import LibreOfficeRenderer, TextRenderer, find_libreoffice, text_pdf
from signing.service import PadesSigningService, PadesVerifier
from tests.contract.signing_contract import DocumentRendererContract, SigningServiceContract

_KEYS: list[DemoKeys] = []


def _demo_keys() -> DemoKeys:
    if not _KEYS:  # one demo CA for the module: making keys is the slow part
        _KEYS.append(DemoKeys(DemoPki.create()))
    return _KEYS[0]


class TestPadesSigning(SigningServiceContract):
    def make_signing(self) -> tuple[SigningService, SignatureVerifier]:
        keys = _demo_keys()
        return PadesSigningService(keys), PadesVerifier(keys)

    async def pdf(self) -> bytes:
        return text_pdf(["Besluit", "Het college besluit: toegekend."])


class TestTextRenderer(DocumentRendererContract):
    def make_renderer(self) -> DocumentRenderer:
        return TextRenderer()


@pytest.mark.skipif(find_libreoffice() is None,
                    reason="LibreOffice is not installed here (Debian: libreoffice-writer-nogui;"
                           " `make system-packages` installs it)")
class TestLibreOfficeRenderer(DocumentRendererContract):
    def make_renderer(self) -> DocumentRenderer:
        program = find_libreoffice()
        assert program is not None
        return LibreOfficeRenderer(program)
