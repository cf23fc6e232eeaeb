"""Fixtures for end-to-end tests on a real demo data folder: the command line, a Teams chat
with the bot through the Agents Playground, and the command line against Microsoft 365 on the
Graph test server."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from tests.e2e import bot_http
from tests.e2e.bot_http import SDKS, BotClient, bot_server, copy_demo
from tests.e2e.connector import Connector
from tests.e2e.m365 import SITE, TENANT, Paraaf, entra_directory
from tests.e2e.playground import Playground, PlaygroundUnavailable
from tests.support.graph_server import GraphServer

# The suites that talk to the bot over HTTP run once per bot SDK (PARAAF_BOT_SDK), or on the
# one named by --bot-sdk (tests/conftest.py); the rest of the end-to-end tests use the default.
BOTH_SDKS = ("test_bot_http", "test_bot_refusals", "test_front_door_", "test_crash_delivery",
             "test_teams_")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "bot_sdk" not in metafunc.fixturenames:
        return
    if not metafunc.module.__name__.rsplit(".", 1)[-1].startswith(BOTH_SDKS):
        return
    chosen = metafunc.config.getoption("--bot-sdk")
    metafunc.parametrize("bot_sdk", SDKS if chosen == "both" else (chosen,), indirect=True)


@pytest.fixture(autouse=True)
def bot_sdk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The bot SDK of this test: a parameter in the bot-HTTP suites, else the default; for
    servers in this process (``bot_server``) and started as processes alike."""
    sdk = str(getattr(request, "param", bot_http.current_sdk))
    monkeypatch.setattr(bot_http, "current_sdk", sdk)
    monkeypatch.setenv("PARAAF_BOT_SDK", sdk)
    return sdk


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
def teams(chat: TeamsChat) -> Playground:
    """The Teams stand-in of the chat with the bot."""
    return chat.pg

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


# --- the command line against Microsoft 365 on the Graph test server ---------------------------


@pytest.fixture
def paraaf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
           capsys: pytest.CaptureFixture[str]) -> Paraaf:
    for name in [n for n in os.environ if n.startswith("PARAAF_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PARAAF_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("PARAAF_GRAPH_AUTH", "none")
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")  # these tests read the English words
    return Paraaf(capsys)


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch, paraaf: Paraaf) -> AsyncIterator[GraphServer]:
    async with GraphServer(seed=5, directory=entra_directory()) as running:
        monkeypatch.setenv("PARAAF_GRAPH_BASE_URL", running.base_url)
        yield running


@pytest.fixture
async def graph_backend(server: GraphServer, paraaf: Paraaf,
                        monkeypatch: pytest.MonkeyPatch) -> GraphServer:
    assert await paraaf.provision() == 0
    monkeypatch.setenv("PARAAF_BACKEND", "graph")
    monkeypatch.setenv("PARAAF_SITE_URL", SITE)
    monkeypatch.setenv("PARAAF_GRAPH_TENANT_ID", TENANT)
    return server
