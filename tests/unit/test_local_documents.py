"""Folder specifics of the local document store beyond the shared contract."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from approvals.access import Access, Level
from local import documents as documents_module
from local.documents import FolderDocumentStore
from tests.support.contract_kit import ANNA, BART

NAME = "Raadsvoorstel 2027 – concept.docx"


async def test_every_version_is_kept_beside_the_current_file(tmp_path: Path) -> None:
    documents = FolderDocumentStore(tmp_path)
    await documents.put("2026-A", NAME, b"een")
    await documents.put("2026-A", NAME, b"twee")
    folder = tmp_path / "2026-A"
    assert (folder / NAME).read_bytes() == b"twee"
    assert (folder / ".versions" / f"{NAME}.1").read_bytes() == b"een"
    assert (folder / ".versions" / f"{NAME}.2").read_bytes() == b"twee"
    assert sorted(p.name for p in folder.iterdir()) == [".versions", NAME]  # no temp files


async def test_version_numbers_continue_after_a_restart(tmp_path: Path) -> None:
    await FolderDocumentStore(tmp_path).put("2026-A", NAME, b"een")
    documents = FolderDocumentStore(tmp_path)
    assert (await documents.put("2026-A", NAME, b"twee")).version == "2"
    assert [d.version for d in await documents.list("2026-A")] == ["2"]


async def test_the_uri_is_a_file_uri_without_a_base_url(tmp_path: Path) -> None:
    stored = await FolderDocumentStore(tmp_path).put("2026-A", NAME, b"x")
    assert stored.uri == (tmp_path / "2026-A" / NAME).resolve().as_uri()


async def test_the_uri_is_served_by_the_bot_with_a_base_url(tmp_path: Path) -> None:
    documents = FolderDocumentStore(tmp_path, base_url="https://paraaf.example.nl/")
    stored = await documents.put("2026-A", NAME, b"x")
    assert stored.uri == ("https://paraaf.example.nl/documents/2026-A/"
                          "Raadsvoorstel%202027%20%E2%80%93%20concept.docx")
    assert [d.uri for d in await documents.list("2026-A")] == [stored.uri]


async def test_access_is_recorded_in_the_dossier_folder(tmp_path: Path) -> None:
    documents = FolderDocumentStore(tmp_path)
    await documents.grant("2026-A", [ANNA], write=True)
    await documents.grant("2026-A", [BART], write=False)
    data = json.loads((tmp_path / "2026-A" / ".access.json").read_text("utf-8"))
    assert data == {ANNA.oid: "write", BART.oid: "read"}
    assert list(await documents.list("2026-A")) == []


async def test_access_is_written_off_the_event_loop(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each write is durable (fsync); the outbox worker's access rows must not hold up the
    clicks answered on the event loop meanwhile."""
    writers: list[str] = []
    write = documents_module._write_atomically

    def noting(target: Path, content: bytes) -> None:
        writers.append(threading.current_thread().name)
        write(target, content)

    monkeypatch.setattr(documents_module, "_write_atomically", noting)
    documents = FolderDocumentStore(tmp_path)
    await documents.grant("2026-A", [ANNA], write=True)
    await documents.set_access("2026-A", {BART.oid: Access(BART, Level.READ)})
    assert len(writers) == 2 and threading.current_thread().name not in writers
    assert await documents.access("2026-A") == {ANNA.oid: "write", BART.oid: "read"}
