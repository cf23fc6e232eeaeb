"""The Playground's words follow PARAAF_LANGUAGE: `python -m playground` and
`paraaf serve --playground` say which tool is missing in Dutch by default, English on request."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError
from bot.teams.local_playground import run_playground
from playground.__main__ import main


@pytest.fixture
def no_node(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither node nor npm can be found


@pytest.mark.usefixtures("no_node")
@pytest.mark.parametrize(("language", "expected"), [
    ("", "`node` is niet geïnstalleerd; de Agents Playground heeft Node.js 18 of nieuwer nodig"),
    ("en", "`node` is not installed; the Agents Playground needs Node.js 18 or newer"),
])
def test_python_m_playground_names_the_missing_tool(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], language: str,
        expected: str) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", language)
    assert main([]) == 2
    assert capsys.readouterr().err.strip() == expected


@pytest.mark.usefixtures("no_node")
@pytest.mark.parametrize(("language", "expected"), [
    ("nl", "`node` is niet geïnstalleerd"), ("en", "`node` is not installed")])
def test_serve_playground_names_the_missing_tool(tmp_path: Path, language: str,
                                                 expected: str) -> None:
    settings = Settings.from_env({"PARAAF_MODE": "local", "PARAAF_LANGUAGE": language},
                                 data_dir=str(tmp_path))
    with pytest.raises(SettingsError) as caught:
        asyncio.run(run_playground(settings))
    assert str(caught.value).startswith(expected)
