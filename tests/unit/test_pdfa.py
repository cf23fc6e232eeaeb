"""The partial PDF/A-2b check (signing/pdfa.py, structural only, not veraPDF): a minimal
PDF with what PDF/A-2b asks passes, also once signed (the signature's incremental updates
keep it), and each rule it checks is found broken when it is."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from approvals.identity import Person
from approvals.signatures import SigningRequest
from signing.keys import DemoKeys
from signing.pdfa import pdfa_2b_problems
from signing.pki import DemoPki
from signing.render import text_pdf
from signing.service import PadesSigningService

N = generic.NameObject
XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>%s</pdfaid:part><pdfaid:conformance>%s</pdfaid:conformance>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def pdfa_like(part: bytes = b"2", conformance: bytes = b"B", *, intent: bool = True,
              font: bool = False, javascript: bool = False) -> bytes:
    """One A4 page with a drawn line (no text, so no font to embed), XMP metadata, and an
    output intent with an (opaque) ICC profile stream."""
    writer = PdfFileWriter()
    resources = generic.DictionaryObject()
    if font:
        resources[N("/Font")] = generic.DictionaryObject({N("/F1"): writer.add_object(
            generic.DictionaryObject({N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"),
                                      N("/BaseFont"): N("/Helvetica")}))})
    writer.insert_page(PageObject(
        contents=writer.add_object(generic.StreamObject(stream_data=b"0 0 m 100 100 l S")),
        media_box=generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
        resources=resources))
    metadata = MetadataStream({N("/Type"): N("/Metadata"), N("/Subtype"): N("/XML")},
                              stream_data=XMP % (part, conformance))
    writer.root[N("/Metadata")] = writer.add_object(metadata)
    if intent:
        icc = generic.StreamObject({N("/N"): generic.NumberObject(3)},
                                   stream_data=b"an ICC profile")
        writer.root[N("/OutputIntents")] = generic.ArrayObject([generic.DictionaryObject({
            N("/Type"): N("/OutputIntent"), N("/S"): N("/GTS_PDFA1"),
            N("/OutputConditionIdentifier"): generic.TextStringObject("sRGB"),
            N("/DestOutputProfile"): writer.add_object(icc)})])
    if javascript:
        writer.root[N("/OpenAction")] = generic.DictionaryObject({
            N("/S"): N("/JavaScript"), N("/JS"): generic.TextStringObject("app.alert(1)")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_with_what_pdfa_2b_asks_passes() -> None:
    assert pdfa_2b_problems(pdfa_like()) == []


async def test_a_signature_added_by_incremental_updates_keeps_it() -> None:
    keys = DemoKeys(DemoPki.create())
    service = PadesSigningService(keys)
    mayor = Person(oid="1", tenant="t", upn="m.jansen@voorbeeldstad.nl", name="Marieke Jansen")
    package = await service.prepare(SigningRequest(
        dossier_id="D-1", dossier_number="D-1", name="besluit.pdf", pdf=pdfa_like(),
        signers=(mayor,)))
    await service.send(package.id)
    signed = (await service.signed_document(package.id)).pdf
    assert b"/ByteRange" in signed
    assert pdfa_2b_problems(signed) == []


@pytest.mark.parametrize(("pdf", "problem"), [
    (pdfa_like(part=b"1"), "pdfaid:part='1'"),
    (pdfa_like(conformance=b"U"), "pdfaid:conformance='U'"),
    (pdfa_like(intent=False), "no PDF/A output intent"),
    (pdfa_like(font=True), "font /Helvetica used in page 1 is not embedded"),
    (pdfa_like(javascript=True), "forbidden action (/JavaScript)"),
    (text_pdf(["Besluit"]), "no XMP metadata"),
    (b"%PDF-1.7 but nothing else", "not a readable PDF"),
])
def test_each_broken_rule_is_named(pdf: bytes, problem: str) -> None:
    assert any(problem in found for found in pdfa_2b_problems(pdf))


def test_an_annotation_that_is_not_printed_is_named() -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdfa_like()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    annotation = writer.add_object(generic.DictionaryObject({
        N("/Type"): N("/Annot"), N("/Subtype"): N("/Square"),
        N("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 50, 50)])}))
    page[N("/Annots")] = generic.ArrayObject([annotation])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    found = pdfa_2b_problems(out.getvalue())
    assert any("/Square annotation on page 1 is not printed" in f for f in found)
    assert any("/Square annotation on page 1 has no appearance" in f for f in found)
