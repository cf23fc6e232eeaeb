"""The comments in a Word document (.docx), read from its bytes with the standard library.

No Graph API reads Word comments, so both document stores download the file and read them
here: ``word/comments.xml`` holds each comment (author, date, text); the main document marks
the commented passage between ``commentRangeStart`` and ``commentRangeEnd`` with the same id.
Word writes ``w:date`` in local time with a ``Z``; newer Word also writes the true UTC time in
``commentsExtensible.xml`` (linked through ``commentsIds.xml``), which wins when present.

A document is untrusted input with a bounded cost (``Limits``): the archive's directory is
checked before it is opened (size, number of parts), each part is streamed through a bounded
XML reader (compressed and uncompressed size, elements, depth, a time budget; no DTD, so no
entity is expanded or fetched). A document over a cap, damaged, or not a Word document at all
gives one ``DocumentComment`` with ``unreadable`` set, so the card can say its comments could
not be read while the rest of the dossier shows as usual.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from approvals.ports import DocumentComment
from word.bounded_xml import Budget, Handler, Malformed, TooCostly, parse
from word.parts import (
    CommentsReader,
    PassageReader,
    RelsReader,
    cut,
    extensible_reader,
    ids_reader,
)

WORD_SUFFIXES = (".docx", ".docm")
MAX_COMMENTS = 500
"""Per document; a card or the command line shows far fewer. Later ones are not read."""
MAX_TEXT = 4000
MAX_PASSAGE = 1000


@dataclass(frozen=True)
class Limits:
    """What reading the comments of one document may cost; over any cap it is unreadable."""

    max_archive_bytes: int = 64 * 1024 * 1024
    max_directory_bytes: int = 1024 * 1024  # the zip's central directory (~10,000 parts)
    max_parts: int = 5000
    max_compressed_part: int = 48 * 1024 * 1024
    max_part_bytes: int = 256 * 1024 * 1024  # uncompressed, per part read
    max_ratio: int = 100  # uncompressed to compressed, per part read (a zip bomb: ~1000)
    max_total_bytes: int = 512 * 1024 * 1024  # uncompressed, all parts read
    max_elements: int = 1_000_000  # all parts read
    max_depth: int = 256
    seconds: float = 3.0  # processor time of the reading thread

    def budget(self) -> Budget:
        return Budget(max_part_bytes=self.max_part_bytes, max_total_bytes=self.max_total_bytes,
                      max_elements=self.max_elements, max_depth=self.max_depth,
                      seconds=self.seconds)


LIMITS = Limits()

_REL = {
    "document": "/officeDocument",
    "comments": "/comments",
    "ids": "/commentsIds",
    "extensible": "/commentsExtensible",
}
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22


def is_word_document(name: str) -> bool:
    return name.lower().endswith(WORD_SUFFIXES)


def unreadable(document: str) -> DocumentComment:
    """The stand-in for a document whose comments could not be read."""
    return DocumentComment(document=document, author="", date="", text="", passage="",
                           unreadable=True)


def read_comments(document: str, data: bytes,
                  limits: Limits = LIMITS) -> list[DocumentComment]:
    """The comments of a .docx, in the order of their passages in the document; ``[]`` when
    it has none, ``[unreadable(document)]`` when they cannot be read within ``limits``."""
    try:
        _check_directory(data, limits)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if len(archive.infolist()) > limits.max_parts:
                raise TooCostly(f"more than {limits.max_parts} parts")
            return _Package(archive, limits).comments(document)
    except Exception:
        return [unreadable(document)]


def _check_directory(data: bytes, limits: Limits) -> None:
    """Refuse an archive whose directory alone would cost too much to open."""
    if len(data) > limits.max_archive_bytes:
        raise TooCostly(f"larger than {limits.max_archive_bytes} bytes")
    end = data.rfind(_EOCD, max(0, len(data) - 65536 - _EOCD_SIZE))
    if end < 0 or len(data) < end + _EOCD_SIZE:
        raise zipfile.BadZipFile("no end of central directory")
    entries, directory_size = struct.unpack_from("<xxxxxxxxxxHI", data, end)
    if entries > limits.max_parts or directory_size > limits.max_directory_bytes:
        raise TooCostly("the archive's directory is too large")


class _Package:
    """The parts of one .docx that comments live in, read within one budget."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.archive = archive
        self.limits = limits
        self.budget = limits.budget()
        self.names = {info.filename for info in archive.infolist()}

    def chunks(self, name: str) -> Iterator[bytes]:
        info = self.archive.getinfo(name)
        if info.compress_size > self.limits.max_compressed_part:
            raise TooCostly(f"{name} is larger than {self.limits.max_compressed_part} bytes")
        if info.file_size > self.limits.max_part_bytes:
            raise TooCostly(f"{name} is larger than {self.limits.max_part_bytes} bytes")
        if info.file_size > self.limits.max_ratio * max(info.compress_size, 4096):
            raise TooCostly(f"{name} expands more than {self.limits.max_ratio} times")
        # zipfile reads no more than the declared size (then checks the CRC): a part
        # that lies about its size fails instead of expanding further.
        with self.archive.open(info) as handle:
            while chunk := handle.read(64 * 1024):
                yield chunk

    def read(self, name: str | None, reader: Handler) -> bool:
        """Stream the part into ``reader``; False when there is no such part."""
        if not name or name not in self.names:
            return False
        parse(self.chunks(name), reader, self.budget)
        return True

    def related(self, source: str, kind: str) -> str | None:
        """The part that ``source`` links to with a relationship of ``kind``."""
        folder, file = posixpath.split(source)
        rels = RelsReader(_REL[kind])
        if not self.read(posixpath.join(folder, "_rels", f"{file}.rels"), rels):
            return None
        if rels.target is None:
            return None
        if rels.target.startswith("/"):
            return rels.target.lstrip("/")
        return posixpath.normpath(posixpath.join(folder, rels.target))

    def comments(self, document: str) -> list[DocumentComment]:
        main = self.related("", "document")
        if main is None:
            if "word/document.xml" not in self.names:
                raise zipfile.BadZipFile("no main document: not a Word document")
            main = "word/document.xml"
        found = CommentsReader(MAX_COMMENTS, MAX_TEXT)
        if not self.read(self.related(main, "comments"), found) or not found.comments:
            return []
        dates = self.utc_dates(main, {c.para_id for c in found.comments if c.para_id})
        walk = PassageReader({c.id for c in found.comments}, MAX_PASSAGE)
        try:
            self.read(main, walk)
        except Malformed:  # the comments still count without their passages
            walk = PassageReader(set(), MAX_PASSAGE)
        last = len(walk.order)
        ranked = sorted(enumerate(found.comments),
                        key=lambda x: (walk.order.get(x[1].id, last), x[0]))
        return [
            DocumentComment(document=document, author=c.author,
                            date=dates.get(c.para_id, c.date), text=cut(c.text, MAX_TEXT),
                            passage=cut(" ".join("".join(walk.texts.get(c.id, [])).split()),
                                        MAX_PASSAGE))
            for _, c in ranked
        ]

    def utc_dates(self, main: str, para_ids: set[str]) -> dict[str, str]:
        """Paragraph id of a comment's last paragraph -> its UTC date (newer Word only)."""
        if not para_ids:
            return {}
        ids = ids_reader(para_ids)
        ids_part = self.related(main, "ids")
        extensible_part = self.related(main, "extensible")
        if not extensible_part or not self.read(ids_part, ids):
            return {}
        utc = extensible_reader(set(ids.found.values()))
        self.read(extensible_part, utc)
        return {para: utc.found[durable] for para, durable in ids.found.items()
                if utc.found.get(durable)}


