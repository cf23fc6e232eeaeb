"""Word comments of the documents in a SharePoint folder, read once per content version.

No Graph API reads Word comments: each .docx is downloaded and read by
``word.comments``. A file's comments change only with its content, so they are
cached by its content hash (``file.hashes.quickXorHash``; the item id and cTag where Graph
gives no hash); the advice overview then costs one folder listing, plus one download for each
document version not read before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from approvals.ports import DocumentComment
from graph.rest import GraphError
from word.comment_cache import CommentCache, Lru

__all__ = ["CommentCache", "Lru", "comments_in", "content_key", "remember"]


def content_key(item: dict[str, Any]) -> str:
    """The cache key of the item's current content."""
    hashes = (item.get("file") or {}).get("hashes") or {}
    if hashes.get("quickXorHash"):
        return f"quickxor:{hashes['quickXorHash']}"
    return f"item:{item['id']}:{item.get('cTag') or item.get('eTag') or ''}"


async def remember(cache: CommentCache, item: dict[str, Any], name: str,
                   content: bytes) -> list[DocumentComment]:
    """Read the comments of this content (in a worker thread) unless known, and keep them."""
    return await asyncio.to_thread(cache.read, content_key(item), name, content)


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
        name = str(item["name"])
        found = cache.get(content_key(item), name)
        if found is not None:
            return found
        try:
            async with gate:
                content = await download(item)
        except GraphError as error:
            if error.status == 404:  # removed since the folder was listed
                return []
            raise
        return await remember(cache, item, name, content)

    results = await asyncio.gather(*(one(item) for item in files))
    return [comment for found in results for comment in found]
