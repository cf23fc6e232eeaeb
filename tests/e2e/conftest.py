"""Fixtures for end-to-end tests of the command line on a real demo data folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main


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
