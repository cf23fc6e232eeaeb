"""The comments in a Word document (.docx), read from its bytes with the standard library.

No Graph API reads Word comments, so both document stores download the file and read them
here: ``word/comments.xml`` holds each comment (author, date, text); the main document marks
the commented passage between ``commentRangeStart`` and ``commentRangeEnd`` with the same id.
Word writes ``w:date`` in local time with a ``Z``; newer Word also writes the true UTC time in
``commentsExtensible.xml`` (linked through ``commentsIds.xml``), which wins when present.

Bytes in, data out: the archive is opened in memory. A file that is not a Word document, or
is damaged, has no comments rather than an error, so one bad upload never breaks the advice
overview. Parts are size-capped and refused when they declare a DTD (no entity expansion).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any
from xml.etree import ElementTree as ET

from approvals.ports import DocumentComment

WORD_SUFFIXES = (".docx", ".docm")
MAX_PART_BYTES = 64 * 1024 * 1024
"""A part larger than this (decompressed) is not read: comments without passages, or none."""
MAX_COMMENTS = 500
"""Per document; a card or the command line shows far fewer."""
MAX_TEXT = 4000
MAX_PASSAGE = 1000

_W = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "http://purl.oclc.org/ooxml/wordprocessingml/main")  # transitional, strict
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
_W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = {
    "document": "/officeDocument",
    "comments": "/comments",
    "ids": "/commentsIds",
    "extensible": "/commentsExtensible",
}
_TEXT = {"t": None, "tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}


class _Damaged(Exception):
    """The part cannot be read safely."""


def is_word_document(name: str) -> bool:
    return name.lower().endswith(WORD_SUFFIXES)


def read_comments(document: str, data: bytes) -> list[DocumentComment]:
    """The comments of a .docx, in the order of their passages in the document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _Package(archive).comments(document)
    except (zipfile.BadZipFile, _Damaged, ET.ParseError, KeyError, ValueError, OSError,
            EOFError, NotImplementedError, RuntimeError):
        return []


def _w(element: ET.Element, name: str) -> bool:
    """Whether the element is ``w:name`` (transitional or strict namespace)."""
    return element.tag in (f"{{{ns}}}{name}" for ns in _W)


def _attr(element: ET.Element, name: str) -> str:
    for ns in _W:
        value = element.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Package:
    """The parts of one .docx that comments live in."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {info.filename for info in archive.infolist()}

    def part(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        if self.archive.getinfo(name).file_size > MAX_PART_BYTES:
            raise _Damaged(name)
        with self.archive.open(name) as handle:
            data = handle.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES or b"<!DOCTYPE" in data[:4096].upper():
            raise _Damaged(name)
        return data

    def xml(self, name: str | None) -> ET.Element | None:
        data = self.part(name) if name else None
        return None if data is None else ET.fromstring(data)

    def related(self, source: str, kind: str) -> str | None:
        """The part that ``source`` links to with a relationship of ``kind``."""
        folder, file = posixpath.split(source)
        rels = self.xml(posixpath.join(folder, "_rels", f"{file}.rels"))
        if rels is None:
            return None
        for rel in rels.iter(f"{{{_PKG_RELS}}}Relationship"):
            if rel.get("Type", "").endswith(_REL[kind]) and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join(folder, target))
        return None

    def comments(self, document: str) -> list[DocumentComment]:
        main = self.related("", "document") or "word/document.xml"
        root = self.xml(self.related(main, "comments"))
        if root is None:
            return []
        dates = self.utc_dates(main)
        found: list[tuple[str, str, str, str]] = []  # id, author, date, text
        for element in root:
            if not _w(element, "comment") or len(found) >= MAX_COMMENTS:
                continue
            paragraphs = [p for p in _without_fallbacks(element) if _w(p, "p")]
            date = _attr(element, "date")
            if paragraphs:
                date = dates.get(paragraphs[-1].get(f"{{{_W14}}}paraId", ""), date)
            text = "\n".join(_paragraph_text(p) for p in paragraphs).strip()
            author = _attr(element, "author") or _attr(element, "initials")
            found.append((_attr(element, "id"), author.strip(), date, _cut(text, MAX_TEXT)))
        try:
            passages, order = _passages(self.part(main) or b"")
        except (_Damaged, ET.ParseError):
            passages, order = {}, {}
        last = len(order)
        ranked = sorted(enumerate(found), key=lambda x: (order.get(x[1][0], last), x[0]))
        return [
            DocumentComment(document=document, author=author, date=date, text=text,
                            passage=_cut(" ".join("".join(passages.get(cid, [])).split()),
                                         MAX_PASSAGE))
            for _, (cid, author, date, text) in ranked
        ]

    def utc_dates(self, main: str) -> dict[str, str]:
        """Paragraph id of a comment's last paragraph -> its UTC date (newer Word only)."""
        ids = self.xml(self.related(main, "ids"))
        extensible = self.xml(self.related(main, "extensible"))
        if ids is None or extensible is None:
            return {}
        utc = {e.get(f"{{{_W16CEX}}}durableId", ""): e.get(f"{{{_W16CEX}}}dateUtc", "")
               for e in extensible.iter(f"{{{_W16CEX}}}commentExtensible")}
        return {e.get(f"{{{_W16CID}}}paraId", ""): utc[durable]
                for e in ids.iter(f"{{{_W16CID}}}commentId")
                if utc.get(durable := e.get(f"{{{_W16CID}}}durableId", ""))}


def _without_fallbacks(element: ET.Element) -> Iterator[ET.Element]:
    """The element and its descendants, leaving out ``mc:Fallback`` (a copy of the choice)."""
    stack = [element]
    while stack:
        current = stack.pop()
        if current.tag == f"{{{_MC}}}Fallback":
            continue
        yield current
        stack.extend(reversed(list(current)))


def _paragraph_text(paragraph: ET.Element) -> str:
    parts = []
    for element in _without_fallbacks(paragraph):
        for name, fixed in _TEXT.items():
            if _w(element, name):
                parts.append((element.text or "") if fixed is None else fixed)
    return "".join(parts)


def _passages(document: bytes) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Comment id -> the text between its range marks; comment id -> its place in the text."""
    walk = _PassageWalk()
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    for start in range(0, len(document), _FEED):
        parser.feed(document[start:start + _FEED])
        walk.take(parser.read_events())
    parser.close()
    walk.take(parser.read_events())
    return walk.texts, walk.order


_FEED = 1024 * 1024


class _PassageWalk:
    """Follows the document's elements in order, collecting the text inside comment ranges.

    Elements are cleared once read, so a large document is never held as a whole tree.
    """

    def __init__(self) -> None:
        self.texts: dict[str, list[str]] = {}
        self.order: dict[str, int] = {}
        self.open_ids: set[str] = set()
        self.fallback = 0

    def take(self, events: Iterable[tuple[Any, ...]]) -> None:
        for event, element in events:  # only start and end events: (name, element)
            if element.tag == f"{{{_MC}}}Fallback":
                self.fallback += 1 if event == "start" else -1
            elif self.fallback:
                pass
            elif event == "start":
                self.mark(element)
            else:
                self.collect(element)
                element.clear()

    def mark(self, element: ET.Element) -> None:
        if _w(element, "commentRangeStart") or _w(element, "commentReference"):
            cid = _attr(element, "id")
            self.order.setdefault(cid, len(self.order))
            if _w(element, "commentRangeStart"):
                self.open_ids.add(cid)
                self.texts.setdefault(cid, [])
        elif _w(element, "commentRangeEnd"):
            self.open_ids.discard(_attr(element, "id"))

    def collect(self, element: ET.Element) -> None:
        if not self.open_ids:
            return
        piece = ""
        if _w(element, "t"):
            piece = element.text or ""
        elif _w(element, "tab") or _w(element, "br") or _w(element, "p"):
            piece = " "
        if not piece:
            return
        for cid in self.open_ids:
            if sum(map(len, self.texts[cid])) <= MAX_PASSAGE:
                self.texts[cid].append(piece)
