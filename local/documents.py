"""Dossier documents in a folder: ``root/<dossier_id>/<name>``, every version kept.

Each version is written once to ``root/<dossier_id>/.versions/<name>.<n>`` (n = 1, 2, ...)
and the current file is replaced atomically by the newest, so a reader never sees half a
file. Local mode has no real permissions: ``grant`` and ``set_access`` record who would
have access in ``.access.json`` (replaced atomically), which the tab shows and the tests
check; ``set_access`` takes away what the dossier no longer gives.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from approvals.access import Access, Level, apply_access
from approvals.documents import check_document_name, check_dossier_id, check_size, merge_access
from approvals.errors import InvalidInput
from approvals.identity import Person
from approvals.ports import DocumentComment, StoredDocument
from word.comment_cache import CommentCache, Comments, Lru
from word.comments import is_word_document

_VERSIONS = ".versions"
_ACCESS = ".access.json"


def _write_atomically(target: Path, content: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _publish(version_file: Path, target: Path, content: bytes) -> None:
    """Make ``target`` the version file: a hard link swapped in atomically (or a copy)."""
    link = target.with_name(f".tmp-{secrets.token_hex(8)}")
    try:
        os.link(version_file, link)
    except OSError:  # a file system without hard links
        _write_atomically(target, content)
        return
    try:
        os.replace(link, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link)
        raise


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _versions(folder: Path, name: str) -> list[int]:
    prefix = f"{name}."
    versions = folder / _VERSIONS
    if not versions.is_dir():
        return []
    return sorted(
        int(entry.name[len(prefix):]) for entry in os.scandir(versions)
        if entry.name.startswith(prefix) and entry.name[len(prefix):].isdigit()
    )


def _current_version(folder: Path, path: Path) -> int:
    """The version the current file is (a hard link to), else the newest with its content."""
    numbers = sorted(_versions(folder, path.name), reverse=True)
    files = {n: folder / _VERSIONS / f"{path.name}.{n}" for n in numbers}
    found = next((n for n in numbers if os.path.samefile(files[n], path)), None)
    if found is None:
        digest = _sha256(path)
        found = next((n for n in numbers if _sha256(files[n]) == digest), None)
    return found or (numbers[0] if numbers else 1)


def _names(folder: Path) -> list[str]:
    """The documents in a dossier folder, by name ignoring case."""
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries
                     if not entry.name.startswith(".") and entry.is_file()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(names, key=lambda n: (n.casefold(), n))


_Signature = tuple[str, int, int, int]


def _signature(path: Path, stat: os.stat_result) -> _Signature:
    """Which file content this is: a stored version is never written again, and a new one
    is a new file (inode), so path, inode, size and modification time name one content."""
    return str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns


class FolderDocumentStore:
    """``DocumentStore`` over a folder with one sub-folder per dossier.

    Reading and writing documents (up to 50 MB) runs in a worker thread, off the event loop.
    """

    def __init__(self, root: str | os.PathLike[str], base_url: str | None = None,
                 comment_cache: CommentCache | None = None) -> None:
        self.root = Path(root)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.comment_cache = comment_cache or CommentCache()
        self._hashes: Lru[_Signature, str] = Lru(4096)  # file signature -> its SHA-256

    def _folder(self, dossier_id: str) -> Path:
        return self.root / check_dossier_id(dossier_id)

    def _uri(self, dossier_id: str, name: str, path: Path) -> str:
        if self.base_url:
            return f"{self.base_url}/documents/{dossier_id}/{quote(name)}"
        return path.resolve().as_uri()

    async def put(self, dossier_id: str, name: str, content: bytes) -> StoredDocument:
        return await asyncio.to_thread(self._put, dossier_id, name, content)

    async def get(self, dossier_id: str, name: str) -> bytes:
        return await asyncio.to_thread(self._get, dossier_id, name)

    async def get_version(self, dossier_id: str, name: str, version: str) -> bytes:
        return await asyncio.to_thread(self._get_version, dossier_id, name, version)

    async def list(self, dossier_id: str) -> Sequence[StoredDocument]:
        return await asyncio.to_thread(self._list, dossier_id)

    async def comments(self, dossier_id: str) -> Sequence[DocumentComment]:
        cached = self._cached_comments(dossier_id)  # a card refresh: no thread, no read
        if cached is not None:
            return cached
        return await asyncio.to_thread(self._comments, dossier_id)

    def _cached_comments(self, dossier_id: str) -> Sequence[DocumentComment] | None:
        """Every Word document's comments from the cache (as kept, not copied: a card reads
        the few it shows and the count), or None when one must be read."""
        folder = self._folder(dossier_id)
        parts: list[tuple[str, Sequence[DocumentComment]]] = []
        try:
            for name in _names(folder):
                if not is_word_document(name):
                    continue
                path = folder / name
                digest = self._hashes.get(_signature(path, path.stat()))
                kept = self.comment_cache.kept(digest) if digest else None
                if kept is None:
                    return None
                parts.append((name, kept))
        except OSError:
            return None
        return Comments(parts)

    def _comments(self, dossier_id: str) -> Sequence[DocumentComment]:
        folder = self._folder(dossier_id)
        return [comment for name in _names(folder) if is_word_document(name)
                for comment in self._comments_in(folder / name)]

    def _comments_in(self, path: Path) -> Sequence[DocumentComment]:
        """The file's comments: by its content hash from the cache, read only when this
        content was not read before (stored elsewhere, or before a restart)."""
        try:
            digest = self._hashes.get(_signature(path, path.stat()))
            found = self.comment_cache.get(digest, path.name) if digest else None
            if found is not None:
                return found
            with path.open("rb") as handle:
                signature = _signature(path, os.fstat(handle.fileno()))
                content = handle.read()
        except FileNotFoundError:  # removed since the folder was read
            return []
        digest = hashlib.sha256(content).hexdigest()
        self._hashes.put(signature, digest)
        return self.comment_cache.read(digest, path.name, content)

    def _put(self, dossier_id: str, name: str, content: bytes) -> StoredDocument:
        folder = self._folder(dossier_id)
        check_document_name(name)
        check_size(name, content)
        versions = folder / _VERSIONS
        versions.mkdir(parents=True, exist_ok=True)
        version = (_versions(folder, name) or [0])[-1] + 1
        # Each version file is created exclusively: two writers never share a number.
        while True:
            try:
                handle = (versions / f"{name}.{version}").open("xb")
            except FileExistsError:
                version += 1
                continue
            try:
                with handle:
                    handle.write(content)
                    handle.flush()
                    os.fsync(handle.fileno())
            except BaseException:
                (versions / f"{name}.{version}").unlink(missing_ok=True)
                raise
            break
        _publish(versions / f"{name}.{version}", folder / name, content)
        digest = hashlib.sha256(content).hexdigest()
        if is_word_document(name):  # read now, so that no card refresh has to
            version_file = versions / f"{name}.{version}"
            self._hashes.put(_signature(folder / name, version_file.stat()), digest)
            self.comment_cache.read(digest, name, content)
        return StoredDocument(
            name=name, uri=self._uri(dossier_id, name, folder / name),
            sha256=digest, size=len(content), version=str(version),
        )

    def _get(self, dossier_id: str, name: str) -> bytes:
        path = self._folder(dossier_id) / check_document_name(name)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise InvalidInput(refusal="document_missing", name=name,
                               dossier=dossier_id) from None

    def _get_version(self, dossier_id: str, name: str, version: str) -> bytes:
        """A version file is written once and never again: it holds what was stored."""
        folder = self._folder(dossier_id)
        check_document_name(name)
        try:
            if not version.isdigit():
                raise FileNotFoundError(version)
            return (folder / _VERSIONS / f"{name}.{int(version)}").read_bytes()
        except FileNotFoundError:
            raise InvalidInput(refusal="document_missing", name=name,
                               dossier=dossier_id) from None

    def _list(self, dossier_id: str) -> Sequence[StoredDocument]:
        folder = self._folder(dossier_id)
        found = []
        for path in (folder / name for name in _names(folder)):
            found.append(StoredDocument(
                name=path.name, uri=self._uri(dossier_id, path.name, path),
                sha256=_sha256(path), size=path.stat().st_size,
                version=str(_current_version(folder, path)),
            ))
        return found

    # the access file is written durably (fsync): in a thread, as the documents are, so that
    # the outbox worker's access rows do not hold up the event loop
    async def grant(self, dossier_id: str, people: Sequence[Person], write: bool) -> None:
        await asyncio.to_thread(self._grant, dossier_id, people, write)

    def _grant(self, dossier_id: str, people: Sequence[Person], write: bool) -> None:
        self._save_access(dossier_id, merge_access(self._access(dossier_id), people, write))

    async def set_access(self, dossier_id: str, wanted: Mapping[str, Access]) -> None:
        await asyncio.to_thread(self._set_access, dossier_id, wanted)

    def _set_access(self, dossier_id: str, wanted: Mapping[str, Access]) -> None:
        current = self._access(dossier_id)
        result = apply_access(current, wanted)
        granting = any(a.level is not Level.NONE for a in wanted.values())
        if result != current and (granting or self._folder(dossier_id).is_dir()):
            self._save_access(dossier_id, result)

    def _save_access(self, dossier_id: str, access: dict[str, str]) -> None:
        folder = self._folder(dossier_id)
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(access, indent=2, sort_keys=True) + "\n"
        _write_atomically(folder / _ACCESS, text.encode("utf-8"))

    async def access(self, dossier_id: str) -> dict[str, str]:
        return self._access(dossier_id)

    def _access(self, dossier_id: str) -> dict[str, str]:
        path = self._folder(dossier_id) / _ACCESS
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        return {str(oid): str(level) for oid, level in data.items()}
