"""The wiring builds the embedded backend's objects and closes what it opened."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.wiring import NotInitialised, Wiring, build, create_local_store

DEMO_DIRECTORY = Path(__file__).resolve().parents[2] / "local" / "demo" / "directory.yaml"


def _settings(data: Path) -> Settings:
    return Settings.from_env({}, data_dir=str(data))


def _local(data: Path) -> Wiring:
    settings = _settings(data)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEMO_DIRECTORY, settings.directory_file)
    create_local_store(settings)
    return build(settings)


def test_a_folder_without_data_is_refused_naming_the_demo_command(tmp_path: Path) -> None:
    with pytest.raises(NotInitialised, match="paraaf demo --data"):
        build(_settings(tmp_path / "empty"))


async def test_the_outbox_is_the_store_the_services_commit_to(tmp_path: Path) -> None:
    wiring = _local(tmp_path)
    try:
        assert wiring.outbox is wiring.services.store
        assert await wiring.outbox.claim("w", 10, 30) == []
        assert await wiring.anchors.records() == []
    finally:
        await wiring.close()


async def test_closing_the_wiring_closes_every_database_it_opened(tmp_path: Path) -> None:
    wiring = _local(tmp_path)
    await wiring.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await wiring.services.store.list_summaries(limit=1)
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await wiring.services.flows.list()
    assert wiring.services.substitutes is not None
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await wiring.services.substitutes.for_person("x")
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await wiring.conversations.reference("x")
    await wiring.close()  # twice is harmless
