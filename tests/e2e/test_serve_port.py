"""`paraaf serve` on a port that something else holds: one sentence that names the port, the
setting and a free choice, in the reader's language; exit code 3, no traceback, nothing left
listening."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from bot.cli.constants import EXIT_UNAVAILABLE
from tests.e2e.conftest import Cli


@pytest.fixture
def taken_port(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        monkeypatch.setenv("PARAAF_HOST", "127.0.0.1")
        monkeypatch.setenv("PARAAF_PORT", str(port))
        yield port


@pytest.mark.parametrize(("language", "says", "fix"), [
    ("nl", "is al in gebruik", "kies een vrije poort"),
    ("en", "is already in use", "choose a free port"),
])
def test_a_taken_port_is_refused_with_the_setting_to_change(
        cli: Cli, taken_port: int, monkeypatch: pytest.MonkeyPatch, language: str, says: str,
        fix: str) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", language)
    assert cli("serve") == EXIT_UNAVAILABLE
    assert f"{taken_port}" in cli.err and says in cli.err and fix in cli.err
    assert f"PARAAF_PORT={taken_port + 1}" in cli.err
    assert "Traceback" not in cli.err and "Errno" not in cli.err
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:  # paraaf let go
        probe.bind(("127.0.0.1", 0))
