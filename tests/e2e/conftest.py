"""Fixtures for end-to-end tests on a real demo data folder: the command line, and a Teams
chat with the bot through the Agents Playground."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from tests.e2e.bot_http import BotClient, bot_server, copy_demo
from tests.e2e.connector import Connector
from tests.e2e.playground import Playground, PlaygroundUnavailable


class Cli:
    """Runs `paraaf` in process against one data folder and keeps what it printed."""

    def __init__(self, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data = data
        self._capsys = capsys
        self.out = ""
        self.err = ""

    def __call__(self, *args: str) -> int:
        self._capsys.readouterr()
        code = main(["--data", str(self.data), *args])
        captured = self._capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code

    def json(self, *args: str) -> Any:
        """The JSON a successful command printed."""
        code = self(*args, "--json")
        assert code == 0, (code, self.out, self.err)
        return json.loads(self.out)

    def json_any(self, *args: str) -> Any:
        """The JSON a command printed, whatever its exit code."""
        self(*args, "--json")
        return json.loads(self.out)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data folder made once; tests get a copy."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    assert main(["demo", "--data", str(folder)]) == 0
    return folder


@pytest.fixture
def cli(demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    return Cli(data, capsys)


@pytest.fixture
def database_rows(cli: Cli) -> Callable[[str], int]:
    import sqlite3

    def count(table: str) -> int:
        with sqlite3.connect(cli.data / "paraaf.db") as db:
            return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    return count


@dataclass
class TeamsChat:
    """The Agents Playground in front of the bot, and the bot itself (for its store)."""

    pg: Playground
    bot: BotClient


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A demo data folder without the example dossiers."""
    folder = tmp_path / "data"
    assert main(["demo", "--data", str(folder), "--no-samples"]) == 0
    return folder


@pytest.fixture
async def chat(data: Path) -> AsyncIterator[TeamsChat]:
    """The bot on ``data`` (Dutch cards, delivery on) with the Playground in front of it;
    skipped where the Playground cannot be installed."""
    async with bot_server(data, {"PARAAF_DELIVERY": "on", "PARAAF_LANGUAGE": "nl"}) as bot:
        try:
            async with Playground(f"{bot.base}/api/messages", timeout=15) as pg:
                yield TeamsChat(pg, bot)
        except PlaygroundUnavailable as error:
            pytest.skip(str(error))


@pytest.fixture
async def client(demo_template: Path, tmp_path: Path) -> AsyncIterator[BotClient]:
    """The bot on a copy of the demo data folder (local mode), over real HTTP."""
    async with bot_server(copy_demo(demo_template, tmp_path / "data")) as running:
        yield running


@pytest.fixture
async def connector() -> AsyncIterator[Connector]:
    """A stand-in for the Bot Framework connector that keeps what the bot posted."""
    stand_in = Connector()
    await stand_in.start()
    yield stand_in
    await stand_in.stop()
