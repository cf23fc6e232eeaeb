"""The comments of each document version, read once and kept by content hash.

A document's comments change only with its content, so the document stores read them when a
version is stored (or first seen) and a card refresh finds them here: no refresh parses a
document. The cache is bounded by entries and by the characters it holds; readers of the same
version at the same time wait for the one parse.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Generic, TypeVar

from approvals.ports import DocumentComment
from word.comments import read_comments

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A small least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.size:
            self._data.popitem(last=False)


def _weight(comments: Sequence[DocumentComment]) -> int:
    """About the characters an entry holds."""
    return sum(64 + len(c.document) + len(c.author) + len(c.date) + len(c.text)
               + len(c.passage) for c in comments)


def _named(comments: Sequence[DocumentComment], document: str) -> list[DocumentComment]:
    """The comments as found in ``document`` (the same content may be stored under two names)."""
    return [c if c.document == document else replace(c, document=document) for c in comments]


class CommentCache:
    """Content hash -> the comments of that content (thread-safe, bounded)."""

    def __init__(self, entries: int = 2048, chars: int = 32 * 1024 * 1024,
                 reader: Callable[[str, bytes], list[DocumentComment]] = read_comments) -> None:
        self.entries = entries
        self.chars = chars
        self.reader = reader
        self.parses = 0
        """Documents parsed so far (a refresh of a known version adds none)."""
        self._data: OrderedDict[str, tuple[DocumentComment, ...]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()
        self._busy: dict[str, threading.Event] = {}

    def get(self, key: str, document: str) -> list[DocumentComment] | None:
        """The comments of the content with this hash, if read before."""
        with self._lock:
            found = self._data.get(key)
            if found is None:
                return None
            self._data.move_to_end(key)
        return _named(found, document)

    def read(self, key: str, document: str, content: bytes) -> list[DocumentComment]:
        """The comments of ``content`` (whose hash is ``key``): kept ones, else parsed now."""
        while True:
            with self._lock:
                found = self._data.get(key)
                if found is not None:
                    self._data.move_to_end(key)
                    return _named(found, document)
                busy = self._busy.get(key)
                if busy is None:
                    self._busy[key] = threading.Event()
                    break
            busy.wait()
        try:
            parsed = tuple(self.reader(document, content))
            with self._lock:
                self.parses += 1
                self._put(key, parsed)
        finally:
            with self._lock:
                self._busy.pop(key).set()
        return list(parsed)

    def _put(self, key: str, comments: tuple[DocumentComment, ...]) -> None:
        weight = _weight(comments)
        if weight > self.chars:
            return
        self._data[key] = comments
        self._held += weight
        while len(self._data) > self.entries or self._held > self.chars:
            _, dropped = self._data.popitem(last=False)
            self._held -= _weight(dropped)
