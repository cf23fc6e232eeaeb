"""The decision document to PDF: its fields filled in, then rendered.

A field is written in the document as ``{{name}}`` (the dossier's fields by name, and
``titel``, ``dossier``, ``besluit``). Two renderers behind the same port:

- :class:`LibreOfficeRenderer`: LibreOffice headless converts the filled-in .docx to
  PDF/A-2b, in a subprocess with a timeout and a profile folder of its own;
- :class:`TextRenderer`: light, for tests and machines without LibreOffice: the document's
  paragraphs as plain text on A4 pages (Helvetica), with pyHanko's PDF writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import shutil
import signal
import tempfile
import textwrap
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.text.paragraph import Paragraph
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from approvals.signatures import RenderFailed

FIELD = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
LIBREOFFICE_TIMEOUT_SECONDS = 120
PDFA_2B = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def _open(name: str, content: bytes) -> docx.document.Document:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise RenderFailed(name, "it is not a Word document (.docx)")
    try:
        return docx.Document(io.BytesIO(content))
    except Exception as error:
        raise RenderFailed(name, f"it is not a readable Word document ({error})") from error


def _paragraphs(document: docx.document.Document) -> Iterable[Paragraph]:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _fill(paragraph: Paragraph, fields: Mapping[str, str]) -> None:
    text = paragraph.text
    if "{{" not in text:
        return
    filled = FIELD.sub(lambda m: fields.get(m.group(1), m.group(0)), text)
    runs = paragraph.runs
    if runs:  # the first run keeps its formatting and takes the text of them all
        runs[0].text = filled
        for run in runs[1:]:
            run.text = ""


def fields_docx(fields: Mapping[str, str]) -> bytes:
    """A decision document made of the dossier itself: its title, number and fields."""
    document = docx.Document()
    document.add_heading(fields.get("titel", ""), level=1)
    for key, value in fields.items():
        if key not in ("titel", "besluit"):
            document.add_paragraph(f"{key}: {value}")
    if fields.get("besluit"):
        document.add_paragraph(fields["besluit"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def filled_docx(name: str, content: bytes, fields: Mapping[str, str]) -> bytes:
    """The .docx with ``{{field}}`` replaced by the field's value (RenderFailed when it is not
    a Word document); no content at all: the dossier's own fields (:func:`fields_docx`)."""
    if not content:
        return fields_docx(fields)
    document = _open(name, content)
    for paragraph in _paragraphs(document):
        _fill(paragraph, fields)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def document_lines(name: str, content: bytes, fields: Mapping[str, str]) -> list[str]:
    """The filled-in document's paragraphs as lines of text."""
    document = _open(name, filled_docx(name, content, fields))
    return [p.text for p in _paragraphs(document)]


# --- the light renderer ------------------------------------------------------------------

_A4 = (595, 842)
_LEFT, _TOP, _BOTTOM, _LEADING, _SIZE, _WRAP = 72, 770, 120, 15, 11, 88


def _pdf_text(line: str) -> bytes:
    encoded = line.encode("cp1252", errors="replace")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(lines: Iterable[str]) -> bytes:
    """A plain PDF of ``lines`` (wrapped), on as many A4 pages as they need; room is left at
    the bottom of each page for the signatures."""
    wrapped: list[str] = []
    for line in lines:
        wrapped += textwrap.wrap(line, _WRAP) or [""]
    per_page = (_TOP - _BOTTOM) // _LEADING
    pages = [wrapped[i:i + per_page] for i in range(0, len(wrapped), per_page)] or [[]]
    writer = PdfFileWriter()
    font = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding"),
    }))
    for page_lines in pages:
        body = [b"BT", f"/F1 {_SIZE} Tf {_LEADING} TL {_LEFT} {_TOP} Td".encode()]
        body += [b"(" + _pdf_text(line) + b") Tj T*" for line in page_lines]
        body.append(b"ET")
        stream = generic.StreamObject(stream_data=b"\n".join(body))
        writer.insert_page(PageObject(
            contents=writer.add_object(stream),
            media_box=generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, *_A4)]),
            resources=generic.DictionaryObject({generic.NameObject("/Font"):
                                                generic.DictionaryObject({
                                                    generic.NameObject("/F1"): font})}),
        ))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class TextRenderer:
    """The light renderer: the filled-in document's text, no layout."""

    async def render(self, name: str, content: bytes, fields: Mapping[str, str]) -> bytes:
        return text_pdf(document_lines(name, content, fields))


# --- LibreOffice ---------------------------------------------------------------------------


def find_libreoffice() -> str | None:
    """The LibreOffice program on this machine, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@dataclass
class LibreOfficeRenderer:
    """LibreOffice headless: the filled-in .docx to PDF/A-2b."""

    program: str
    timeout: float = LIBREOFFICE_TIMEOUT_SECONDS

    async def render(self, name: str, content: bytes, fields: Mapping[str, str]) -> bytes:
        filled = filled_docx(name, content, fields)
        with tempfile.TemporaryDirectory(prefix="paraaf-render-") as folder:
            work = Path(folder)
            source = work / "besluit.docx"
            source.write_bytes(filled)
            profile = (work / "profile").as_uri()  # its own profile: no lock on a shared one
            process = await asyncio.create_subprocess_exec(
                self.program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                "--nolockcheck", "--convert-to", PDFA_2B, "--outdir", str(work / "out"),
                str(source), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                start_new_session=True)  # its own process group: soffice starts soffice.bin
            try:
                _, stderr = await asyncio.wait_for(process.communicate(), self.timeout)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)  # the whole group, not the script
                await process.wait()
                raise RenderFailed(name, f"LibreOffice took longer than {self.timeout:g} s"
                                   ) from None
            result = work / "out" / "besluit.pdf"
            if process.returncode != 0 or not result.is_file():
                said = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
                raise RenderFailed(name, f"LibreOffice could not convert it ({said[0]})")
            return result.read_bytes()
