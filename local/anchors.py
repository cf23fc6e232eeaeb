"""Audit anchors in an append-only file: one anchor (canonical JSON) per line.

The file is opened with ``O_APPEND`` only to add a line, and every line is flushed to disk
(``fsync``) before ``append`` returns; the directory is synced when the file is created.
Writers in several processes take an exclusive ``flock`` on the file and check, under it,
that the file still ends where they expect, so two anchors never claim one position.

Nothing else in paraaf writes this file. Put it where the database's writers cannot change
it (``PARAAF_ANCHOR_FILE``), and on Linux make it append-only for everyone with
``chattr +a`` (docs/audit.md).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Sequence
from pathlib import Path

from approvals.anchors import AnchorConflict, AnchorRecord


class FileAnchorLog:
    """The AnchorLog of the embedded backend."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    async def records(self) -> Sequence[AnchorRecord]:
        return self._read()

    def _read(self) -> list[AnchorRecord]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        lines = data.decode("utf-8", errors="replace").split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # the newline that ends the last anchor
        return [AnchorRecord(n, line) for n, line in enumerate(lines, start=1)]

    async def append(self, record: AnchorRecord) -> None:
        if "\n" in record.text:
            raise ValueError("an anchor is one line of canonical JSON")
        created = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when the descriptor is closed
            stored = self._read()
            if len(stored) >= record.seq and stored[record.seq - 1] == record:
                return  # a retried write: already there
            if len(stored) != record.seq - 1:
                raise AnchorConflict(record.seq)
            line = (record.text + "\n").encode("utf-8")
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(f"short write to {self.path}")
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _sync_directory(self.path.parent)


def _sync_directory(folder: Path) -> None:
    """Make the new file's directory entry durable too."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
