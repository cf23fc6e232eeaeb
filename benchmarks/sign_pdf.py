"""Ondertekenen: rendering a decision document to PDF and putting one PAdES B-LTA signature
on it, per document (issue 11: `make bench` reports render and sign time per document).

Shown, not judged: both depend on the machine, and rendering with LibreOffice starts a
process per document. The sign time includes the signature timestamp, the validation data
(certificates and revocation lists) and the document timestamp, with the demo CA and its
timestamp authority in process; a real timestamp authority adds its network round trips.
"""

from __future__ import annotations

import asyncio
import io
import time

import docx

from approvals.identity import Person
from approvals.signatures import DocumentRenderer, SigningRequest
from benchmarks.stats import Result, latency_ms
from signing.keys import DemoKeys
from signing.pki import DemoPki
from signing.render import LibreOfficeRenderer, TextRenderer, find_libreoffice
from signing.service import PadesSigningService

MAYOR = Person(oid="b-1", upn="burgemeester@voorbeeldstad.nl", name="Bea Burgemeester")
FIELDS = {"titel": "Subsidie Buurthuis", "dossier": "D-1", "onderwerp": "Buurthuis"}


def _decision() -> bytes:
    document = docx.Document()
    document.add_heading("Besluit {{titel}}", level=1)
    for number in range(40):
        document.add_paragraph(f"Overweging {number}: het college heeft {{{{onderwerp}}}} "
                               "getoetst aan de subsidieverordening en de beleidsregels.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def _run(documents: int) -> list[Result]:
    content = _decision()
    service = PadesSigningService(DemoKeys(DemoPki.create()))
    renderers: list[tuple[str, DocumentRenderer, float]] = [("text", TextRenderer(), 1000)]
    program = find_libreoffice()
    if program is not None:  # a process per document, with a fresh profile
        renderers.append(("LibreOffice", LibreOfficeRenderer(program), 10_000))
    results: list[Result] = []
    pdf = b""
    for label, renderer, target in renderers:
        samples = []
        for _ in range(documents if label == "text" else max(2, documents // 4)):
            start = time.perf_counter()
            pdf = await renderer.render("besluit.docx", content, FIELDS)
            samples.append(time.perf_counter() - start)
        stats = latency_ms(samples)
        results.append(Result(f"render per document ({label})", stats["p50"], "ms", target,
                              higher_is_better=False, judged=False,
                              details={**stats, "documents": len(samples)}))
    samples = []
    for number in range(documents):
        start = time.perf_counter()
        package = await service.prepare(SigningRequest(
            dossier_id=f"D-{number}", dossier_number=f"D-{number}", name="besluit.pdf",
            pdf=pdf, signers=(MAYOR,)))
        await service.send(package.id)
        await service.signed_document(package.id)
        service.forget(package.id)
        samples.append(time.perf_counter() - start)
    stats = latency_ms(samples)
    results.append(Result("sign per document (PAdES B-LTA)", stats["p50"], "ms", 2000,
                          higher_is_better=False, judged=False,
                          details={**stats, "documents": documents,
                                   "libreoffice": program or "not installed"}))
    return results


def run(documents: int = 20) -> list[Result]:
    return asyncio.run(_run(documents))
