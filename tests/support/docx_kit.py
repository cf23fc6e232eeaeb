"""Word documents with comments for tests, made with python-docx as Word would save them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

import docx
from docx.oxml.ns import qn


@dataclass(frozen=True)
class Remark:
    """A comment to place on ``passage`` (a paragraph of its own)."""

    passage: str
    text: str
    author: str
    initials: str
    date: str  # ISO 8601, as Word writes w:date


ANS_REMARK = Remark(
    passage="Het college besluit de parkeertarieven in de binnenstad met 10% te verhogen.",
    text="Graag onderbouwen waarom 10% en niet 5%.\nZie ook de APV.",
    author="Ans Claes", initials="AC", date="2026-11-23T09:15:00Z",
)
EVI_REMARK = Remark(
    passage="De opbrengst komt ten goede aan het openbaar vervoer.",
    text="Juridisch houdbaar, mits geoormerkt.",
    author="Evi de Wit (Ketenpartner)", initials="EW", date="2026-11-24T13:40:00Z",
)
TWO_AUTHORS = (ANS_REMARK, EVI_REMARK)


def docx_with_comments(remarks: Sequence[Remark] = TWO_AUTHORS, *,
                       padding: int = 0) -> bytes:
    """A .docx with a title, one commented paragraph per remark and an uncommented one.

    ``padding`` adds that many bytes of incompressible data (an embedded part), to make a
    document large enough for an upload session.
    """
    document = docx.Document()
    document.add_heading("Raadsvoorstel parkeerbeleid 2027", level=1)
    for remark in remarks:
        paragraph = document.add_paragraph(remark.passage)
        comment = document.add_comment(paragraph.runs, text=remark.text.split("\n")[0],
                                       author=remark.author, initials=remark.initials)
        for line in remark.text.split("\n")[1:]:
            comment.add_paragraph(line)
        comment._comment_elm.set(qn("w:date"), remark.date)
    document.add_paragraph("Dit stuk is besproken in het managementteam.")
    buffer = BytesIO()
    document.save(buffer)
    if padding:
        return _padded(buffer.getvalue(), padding)
    return buffer.getvalue()


def _padded(data: bytes, size: int) -> bytes:
    """The document with an extra, unreferenced part of ``size`` random bytes (stored)."""
    import random
    import zipfile

    noise = random.Random(size).randbytes(size)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr(zipfile.ZipInfo("customXml/padding.bin"), noise)
    return out.getvalue()
