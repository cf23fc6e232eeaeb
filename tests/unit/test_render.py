"""The decision document to PDF: fields filled in; a document that cannot be rendered is
refused with its reason. The LibreOffice renderer makes PDF/A-2b."""

from __future__ import annotations

import io
import re

import docx
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from approvals.signatures import RenderFailed
from signing.render import LibreOfficeRenderer, TextRenderer, document_lines, find_libreoffice

FIELDS = {"titel": "Subsidie Buurthuis", "bedrag": "€ 12.500", "dossier": "D-7"}


def _decision_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Besluit {{titel}}", level=1)
    paragraph = document.add_paragraph("Het college kent ")
    paragraph.add_run("{{bed").bold = True  # a field split over runs, as Word often does
    paragraph.add_run("rag}} toe in dossier {{dossier}}.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Onbekend veld"
    table.rows[0].cells[1].text = "{{niet_bekend}}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_fields_are_filled_in_also_when_split_over_runs_and_in_tables() -> None:
    lines = document_lines("besluit.docx", _decision_docx(), FIELDS)
    assert "Besluit Subsidie Buurthuis" in lines
    assert "Het college kent € 12.500 toe in dossier D-7." in lines
    assert "{{niet_bekend}}" in lines  # an unknown field stays visible


async def test_the_light_renderer_makes_a_pdf_of_the_filled_in_text() -> None:
    pdf = await TextRenderer().render("besluit.docx", _decision_docx(), FIELDS)
    reader = PdfFileReader(io.BytesIO(pdf))
    assert int(reader.root["/Pages"]["/Count"]) == 1
    assert b"Het college kent \x80 12.500 toe in dossier D-7." in pdf  # cp1252 euro sign


async def test_a_long_document_takes_more_pages() -> None:
    document = docx.Document()
    for number in range(120):
        document.add_paragraph(f"Overweging {number}")
    out = io.BytesIO()
    document.save(out)
    pdf = await TextRenderer().render("lang.docx", out.getvalue(), {})
    assert int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"]) == 3


@pytest.mark.parametrize("content", [b"plain text, not a document", b"PK\x03\x04broken zip"])
async def test_what_is_not_a_word_document_is_refused_with_the_reason(content: bytes) -> None:
    with pytest.raises(RenderFailed) as caught:
        await TextRenderer().render("besluit.docx", content, FIELDS)
    assert caught.value.refusal == "document_not_renderable"
    assert "besluit.docx" in caught.value.message


LIBREOFFICE = find_libreoffice()
needs_libreoffice = pytest.mark.skipif(
    LIBREOFFICE is None,
    reason="LibreOffice is not installed here (Debian: libreoffice-writer-nogui; "
           "`make system-packages` installs it)")


@needs_libreoffice
async def test_libreoffice_renders_the_filled_in_document_as_pdf_a_2b() -> None:
    assert LIBREOFFICE is not None
    pdf = await LibreOfficeRenderer(LIBREOFFICE).render("besluit.docx", _decision_docx(),
                                                         FIELDS)
    reader = PdfFileReader(io.BytesIO(pdf))
    metadata = reader.root["/Metadata"].get_object().data.decode("utf-8")
    assert re.search(r"pdfaid:part[^0-9]*2", metadata)
    assert re.search(r"pdfaid:conformance[^A-Za-z]*B", metadata)


@needs_libreoffice
async def test_libreoffice_that_takes_too_long_is_stopped() -> None:
    assert LIBREOFFICE is not None
    with pytest.raises(RenderFailed, match="longer than"):
        await LibreOfficeRenderer(LIBREOFFICE, timeout=0.3).render(
            "besluit.docx", _decision_docx(), FIELDS)
