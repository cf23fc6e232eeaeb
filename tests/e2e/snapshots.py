"""Snapshots of everything a backend holds, to show that something changed nothing."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.support.graph_server import GraphServer

Snapshot = Callable[[], Any]


def local_snapshot(data: Path) -> Snapshot:
    """Every row of every table, and every file and folder under the data folder."""

    def take() -> Any:
        db = sqlite3.connect(f"file:{data / 'paraaf.db'}?mode=ro", uri=True)
        try:
            tables = [row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            rows = {table: sorted(repr(row) for row in db.execute(f'SELECT * FROM "{table}"'))
                    for table in tables}
        finally:
            db.close()
        files = {str(path.relative_to(data)): _digest(path.read_bytes()) if path.is_file()
                 else "folder" for path in sorted(data.rglob("*"))
                 if not path.name.startswith("paraaf.db")}
        return {"tables": rows, "files": files}

    return take


def _digest(content: bytes | bytearray) -> str:
    return hashlib.sha256(bytes(content)).hexdigest()


def _plain(value: Any) -> Any:
    """The server's state as plain data: file contents as hashes, times as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, bytes | bytearray):
        return _digest(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def graph_snapshot(server: GraphServer) -> Snapshot:
    """Every site (lists, columns, items), drive (files, versions, permissions), open upload
    session and invitation. Download tickets are left out: reading a file makes one."""

    def take() -> Any:
        state = server.state
        return _plain({"sites": state.sites, "drives": state.drives, "uploads": state.uploads,
                       "invitations": state.invitations})

    return take


def difference(before: Any, after: Any, path: str = "") -> str:
    """Where two snapshots first differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after), key=str):
            if before.get(key) != after.get(key):
                return difference(before.get(key), after.get(key), f"{path}/{key}")
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (one, two) in enumerate(zip(before, after, strict=True)):
            if one != two:
                return difference(one, two, f"{path}[{index}]")
    return f"{path}: {str(before)[:150]} -> {str(after)[:150]}"
