"""Word comments of the documents in a SharePoint folder, read once per content version.

No Graph API reads Word comments: each .docx is downloaded and read by
``approvals.docx_comments``. A file's comments change only with its content, so they are
cached per (item id, cTag); the advice overview then costs one folder listing, plus one
download for each document that changed since it was last read.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, Generic, TypeVar

from approvals.docx_comments import read_comments
from approvals.ports import DocumentComment
from graph.rest import GraphError

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


def _key(item: dict[str, Any]) -> tuple[str, str]:
    return str(item["id"]), str(item.get("cTag") or item.get("eTag") or "")


class CommentCache:
    """The comments of each document version seen, by (item id, cTag)."""

    def __init__(self, size: int = 2048) -> None:
        self._lru: Lru[tuple[str, str], tuple[DocumentComment, ...]] = Lru(size)
        self.reads = 0  # documents parsed

    def get(self, item: dict[str, Any]) -> list[DocumentComment] | None:
        found = self._lru.get(_key(item))
        if found is None:
            return None
        name = str(item.get("name", ""))
        return [c if c.document == name else replace(c, document=name) for c in found]

    async def remember(self, item: dict[str, Any], name: str,
                       content: bytes) -> list[DocumentComment]:
        """Read the comments of this content (in a worker thread) and keep them."""
        found = await asyncio.to_thread(read_comments, name, content)
        self.reads += 1
        self._lru.put(_key(item), tuple(found))
        return found


async def comments_in(
    files: Sequence[dict[str, Any]],
    cache: CommentCache,
    download: Callable[[dict[str, Any]], Awaitable[bytes]],
    parallel: int,
) -> list[DocumentComment]:
    """The comments of every file (driveItems, in the order given), downloading only the
    versions not read before, at most ``parallel`` at a time."""
    gate = asyncio.Semaphore(parallel)

    async def one(item: dict[str, Any]) -> list[DocumentComment]:
        found = cache.get(item)
        if found is not None:
            return found
        try:
            async with gate:
                content = await download(item)
        except GraphError as error:
            if error.status == 404:  # removed since the folder was listed
                return []
            raise
        return await cache.remember(item, str(item["name"]), content)

    results = await asyncio.gather(*(one(item) for item in files))
    return [comment for found in results for comment in found]
