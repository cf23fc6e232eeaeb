"""Word documents are untrusted input with a bounded cost: whatever is uploaded, reading its
comments takes bounded time and memory, resolves nothing outside the file, and a document
that cannot be read within the caps says so instead of failing."""

from __future__ import annotations

import http.server
import threading
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import pytest

from approvals.ports import DocumentComment
from tests.support import hostile_docx as h
from word.bounded_xml import TooCostly, parse
from word.comments import MAX_COMMENTS, Limits, read_comments, unreadable

NAME = "Raadsvoorstel.docx"
READABLE = [DocumentComment(NAME, "Ans Claes", "", "Graag onderbouwen", "Het college besluit.")]
CPU_SECONDS = 15.0  # generous (the budget is 3 s, tracing memory slows it): it ends
MEMORY = 64 * 1024 * 1024
# The synthetic documents repeat one pattern, so they compress far better than real
# ones: they are read with the expansion-ratio cap lifted, and every other cap as shipped.
REPETITIVE = Limits(max_ratio=10**6)


def _bounded_read(data: bytes, limits: Limits | None = None) -> list[DocumentComment]:
    """Read the comments, checking the cost stays bounded (time and Python memory)."""
    tracemalloc.start()
    started = time.thread_time()
    try:
        found = read_comments(NAME, data) if limits is None else read_comments(NAME, data, limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.thread_time() - started < CPU_SECONDS
    assert peak < MEMORY
    return found


def test_the_valid_package_is_readable() -> None:
    assert _bounded_read(h.package()) == READABLE


HOSTILE_PARTS: dict[str, tuple[str, bytes | h.Chunks]] = {
    "whitespace zip bomb in the comments": (h.COMMENTS, h.whitespace_bomb()),
    "one comment of 72 MB text": (h.COMMENTS, h.huge_text()),
    "1.2 million elements in a comment": (h.COMMENTS, h.element_flood()),
    "300,000 nested elements": (h.COMMENTS, h.deep_nesting()),
    "1.2 million paragraphs in the document": (h.DOCUMENT, h.flooded_document()),
    "whitespace zip bomb in the document": (h.DOCUMENT, h.whitespace_bomb()),
    "billion laughs in the comments": (h.COMMENTS, h.billion_laughs()),
    "billion laughs after a long prologue": (
        h.COMMENTS, h.billion_laughs(prologue=b"<!--" + b"x" * 10_000 + b"-->")),
    "billion laughs in UTF-16": (
        h.COMMENTS, h.billion_laughs().replace(b'version="1.0"', b'version="1.0" '
                                               b'encoding="UTF-16"').decode().encode("utf-16")),
    "billion laughs in the document": (h.DOCUMENT, h.billion_laughs(
        f'<w:document xmlns:w="{h.W}"><w:body><w:p>'.encode(), b"</w:p></w:body></w:document>")),
    "billion laughs in the relationships": (h.DOCUMENT_RELS, h.billion_laughs(
        f'<Relationships xmlns="{h.PKG}">'.encode(), b"</Relationships>")),
    "billion laughs in the package relationships": (h.PACKAGE_RELS, h.billion_laughs(
        f'<Relationships xmlns="{h.PKG}">'.encode(), b"</Relationships>")),
}


@pytest.mark.parametrize("ratio_cap", [True, False])
@pytest.mark.parametrize("case", HOSTILE_PARTS)
def test_a_hostile_part_makes_the_comments_unreadable_at_a_bounded_cost(
    case: str, ratio_cap: bool
) -> None:
    """With the expansion-ratio cap, and without it: then the other caps stop it (the size
    cap lowered to 64 MB, so that the bombs built here can stay small)."""
    part, content = HOSTILE_PARTS[case]
    data = h.package({part: content})
    limits = None if ratio_cap else replace(REPETITIVE, max_part_bytes=64 * 1024 * 1024)
    assert _bounded_read(data, limits) == [unreadable(NAME)]


@pytest.mark.parametrize("data", [
    b"", b"PK\x03\x04 kapot", b"%PDF-1.7\n", bytes(range(256)) * 100,
    b"PK\x05\x06" + bytes(18),  # an empty archive
])
def test_what_is_not_a_word_document_is_unreadable(data: bytes) -> None:
    assert _bounded_read(data) == [unreadable(NAME)]


def test_a_truncated_document_is_unreadable() -> None:
    data = h.package()
    assert _bounded_read(data[: len(data) // 2]) == [unreadable(NAME)]


@pytest.mark.parametrize("count", [6_000, 70_000])
def test_an_archive_of_very_many_parts_is_unreadable(count: int) -> None:
    assert _bounded_read(h.package(extra_parts=count)) == [unreadable(NAME)]


def test_many_comments_keep_the_first_ones_quickly() -> None:
    found = _bounded_read(h.package({h.COMMENTS: h.many_comments()}), REPETITIVE)
    assert len(found) == MAX_COMMENTS
    assert found[0] == READABLE[0]
    assert all(c.text == "Graag onderbouwen" and not c.unreadable for c in found)


@pytest.mark.parametrize("cap", [
    {"seconds": 0.01}, {"max_elements": 10_000}, {"max_part_bytes": 100_000},
    {"max_total_bytes": 100_000}, {"max_compressed_part": 1_000}, {"max_depth": 3},
    {"max_parts": 3}, {"max_archive_bytes": 1_000}, {"max_ratio": 2},
])
def test_every_cap_makes_a_document_over_it_unreadable(cap: dict[str, Any]) -> None:
    data = h.package({h.COMMENTS: h.many_comments(400), h.DOCUMENT: h.flooded_document(100_000)})
    assert len(read_comments(NAME, data, REPETITIVE)) == 400  # within the caps
    assert _bounded_read(data, replace(REPETITIVE, **cap)) == [unreadable(NAME)]


def test_a_part_that_expands_like_a_zip_bomb_is_refused_before_it_is_read() -> None:
    data = h.package({h.COMMENTS: h.whitespace_bomb(8 * 1024 * 1024)})  # under the size caps
    assert len(read_comments(NAME, data, REPETITIVE)) == 1
    assert _bounded_read(data) == [unreadable(NAME)]


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY % leak "gelekt">')

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/dtd", _Recorder.hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_external_entities_are_never_resolved(
    tmp_path: Path, recorder: tuple[str, list[str]]
) -> None:
    url, hits = recorder
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-WACHTWOORD")
    for content in (h.external_entity(secret.as_uri()), h.external_entity(url),
                    h.external_dtd(url)):
        found = _bounded_read(h.package({h.COMMENTS: content}))
        assert found == [unreadable(NAME)]
        assert "GEHEIM" not in repr(found)
    assert hits == []


def test_a_part_larger_than_it_declares_is_cut_off_while_streaming() -> None:
    budget = Limits(max_part_bytes=1000).budget()
    chunks = iter([f'<r xmlns="{h.W}">'.encode(), b" " * 600, b" " * 600, b"</r>"])
    with pytest.raises(TooCostly):
        parse(chunks, _Nothing(), budget)


class _Nothing:
    def start(self, name: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass
