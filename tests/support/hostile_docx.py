"""Hostile .docx files for tests: zip bombs, element floods, deep nesting, entity tricks,
archives with very many parts, and files that are no archive at all.

Each is built on a small valid package, with one part replaced; built by streaming, so that a
bomb never sits in memory uncompressed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from io import BytesIO

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
COMMENTS = "word/comments.xml"
DOCUMENT = "word/document.xml"
PACKAGE_RELS = "_rels/.rels"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
COMMENTS_OPEN = f'<w:comments xmlns:w="{W}">'.encode()
ONE_COMMENT = (b'<w:comment w:id="1" w:author="Ans Claes"><w:p><w:r><w:t>Graag onderbouwen'
               b"</w:t></w:r></w:p></w:comment>")

Chunks = Callable[[], Iterator[bytes]]


def _rels(*links: tuple[str, str]) -> bytes:
    items = "".join(f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(links, 1))
    return f'<?xml version="1.0"?><Relationships xmlns="{PKG}">{items}</Relationships>'.encode()


def parts() -> dict[str, bytes]:
    """The parts of a small, valid document with one comment on its one paragraph."""
    body = (b'<w:p><w:commentRangeStart w:id="1"/><w:r><w:t>Het college besluit.</w:t></w:r>'
            b'<w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r></w:p>')
    return {
        PACKAGE_RELS: _rels(("officeDocument", DOCUMENT)),
        DOCUMENT_RELS: _rels(("comments", "comments.xml")),
        DOCUMENT: f'<w:document xmlns:w="{W}"><w:body>'.encode() + body
        + b"</w:body></w:document>",
        COMMENTS: COMMENTS_OPEN + ONE_COMMENT + b"</w:comments>",
    }


def package(replace: dict[str, bytes | Chunks] | None = None, *,
            extra_parts: int = 0) -> bytes:
    """The valid document with some parts replaced (bytes, or a function streaming them)
    and ``extra_parts`` empty parts added."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in {**parts(), **(replace or {})}.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=False) as handle:
                for chunk in content():
                    handle.write(chunk)
        for n in range(extra_parts):
            archive.writestr(zipfile.ZipInfo(f"x/{n}"), b"")
    return out.getvalue()


def _repeat(head: bytes, piece: bytes, count: int, tail: bytes) -> Chunks:
    def chunks() -> Iterator[bytes]:
        yield head
        block = piece * max(1, 65536 // len(piece))
        per_block = len(block) // len(piece)
        whole, rest = divmod(count, per_block)
        for _ in range(whole):
            yield block
        yield piece * rest
        yield tail
    return chunks


def whitespace_bomb(size: int = 72 * 1024 * 1024) -> Chunks:
    """Comments XML that is ``size`` bytes of spaces around one comment (deflates ~1000:1)."""
    return _repeat(COMMENTS_OPEN, b" ", size, ONE_COMMENT + b"</w:comments>")


def huge_text(size: int = 72 * 1024 * 1024) -> Chunks:
    """One comment whose text is ``size`` bytes."""
    return _repeat(COMMENTS_OPEN + b'<w:comment w:id="1" w:author="x"><w:p><w:r><w:t>', b"a",
                   size, b"</w:t></w:r></w:p></w:comment></w:comments>")


def element_flood(count: int = 1_200_000) -> Chunks:
    """One comment holding ``count`` empty elements."""
    return _repeat(COMMENTS_OPEN + b'<w:comment w:id="1" w:author="x"><w:p>', b"<w:r/>", count,
                   b"</w:p></w:comment></w:comments>")


def many_comments(count: int = 300_000) -> Chunks:
    """``count`` small comments (more than are ever shown or kept)."""
    return _repeat(COMMENTS_OPEN, ONE_COMMENT, count, b"</w:comments>")


def deep_nesting(depth: int = 300_000) -> Chunks:
    """Elements nested ``depth`` deep inside a comment."""
    def chunks() -> Iterator[bytes]:
        yield from _repeat(COMMENTS_OPEN + b'<w:comment w:id="1" w:author="x"><w:p>', b"<w:r>",
                           depth, b"")()
        yield from _repeat(b"", b"</w:r>", depth, b"</w:p></w:comment></w:comments>")()
    return chunks


def flooded_document(count: int = 1_200_000) -> Chunks:
    """A main document of ``count`` empty paragraphs after the commented one."""
    return _repeat(f'<w:document xmlns:w="{W}"><w:body>'.encode()
                   + b'<w:p><w:commentRangeStart w:id="1"/>', b"<w:p/>", count,
                   b'<w:commentRangeEnd w:id="1"/></w:p></w:body></w:document>')


def billion_laughs(root: bytes = COMMENTS_OPEN, close: bytes = b"</w:comments>",
                   prologue: bytes = b"") -> bytes:
    """Ten levels of ten entities each: 10^10 characters when expanded."""
    entities = [b'<!ENTITY l0 "ha">'] + [
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">'.encode() for n in range(1, 11)]
    return (b'<?xml version="1.0"?>' + prologue + b"<!DOCTYPE lol [" + b"".join(entities)
            + b"]>" + root + b'<w:comment w:id="1" w:author="x"><w:p><w:r><w:t>&l10;'
            b"</w:t></w:r></w:p></w:comment>" + close)


def external_entity(url: str) -> bytes:
    """Comments whose text is an external entity at ``url`` (a file or an address)."""
    return (f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY secret SYSTEM "{url}">]>'.encode()
            + COMMENTS_OPEN + b'<w:comment w:id="1" w:author="x"><w:p><w:r><w:t>&secret;'
            b"</w:t></w:r></w:p></w:comment></w:comments>")


def external_dtd(url: str) -> bytes:
    """Comments whose document type is fetched from ``url``, with a parameter entity."""
    return (f'<?xml version="1.0"?><!DOCTYPE c SYSTEM "{url}">'.encode()
            + COMMENTS_OPEN + ONE_COMMENT + b"</w:comments>")
