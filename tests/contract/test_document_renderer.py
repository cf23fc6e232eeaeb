"""What every DocumentRenderer promises: a Word document (or, without one, the dossier's
fields) becomes a PDF, and what is not a Word document is refused with the reason.

Run against each renderer of ``signing/``: the light text renderer, LibreOffice (where it is
installed) and the renderer the wiring chooses. Renderers are the same on every backend.
"""

from __future__ import annotations

import pytest

from approvals.signatures import DocumentRenderer, RenderFailed
from signing.embedded import ChosenRenderer
from signing.render import LibreOfficeRenderer, TextRenderer, find_libreoffice
from tests.support.signing_kit import decision_docx


class DocumentRendererContract:
    def make_renderer(self) -> DocumentRenderer:
        raise NotImplementedError

    async def test_a_word_document_becomes_a_pdf(self) -> None:
        pdf = await self.make_renderer().render("besluit.docx", decision_docx(),
                                                {"besluit": "toegekend"})
        assert pdf.startswith(b"%PDF-")

    async def test_without_a_document_the_fields_are_rendered(self) -> None:
        pdf = await self.make_renderer().render("besluit", b"", {"titel": "Buurthuis"})
        assert pdf.startswith(b"%PDF-")

    async def test_what_is_not_a_word_document_is_refused(self) -> None:
        with pytest.raises(RenderFailed):
            await self.make_renderer().render("besluit.docx", b"no document", {})


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


class TestChosenRenderer(DocumentRendererContract):
    """The wiring's choice (``auto``): LibreOffice where it is installed, else the text one."""

    def make_renderer(self) -> DocumentRenderer:
        return ChosenRenderer()
