"""What every test shares: the command-line options of the suite (here, so that pytest knows
them whatever paths it is given), the markers given by folder, and the fixtures used by more
than one test file (the end-to-end world of a demo data folder, a command line and a Teams chat
is in tests/e2e/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.cli.signin
from bot.cli.signin import SignIn
from tests.support.entra_kit import CLIENT, LocalEntra
from tests.support.openid_stand_in import Signer

TESTS = Path(__file__).parent

# A test's folder under tests/ is its marker: `pytest -m unit` runs tests/unit, and so on. A
# test file marks itself only for what its folder does not say (`slow`, or `contract` for the
# unit tests of the Graph test server against the real SDK).
FOLDER_MARKERS = ("unit", "contract", "e2e", "browser")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--bot-sdk", choices=("both", "botbuilder", "agents"), default="both",
                     help="the bot SDK(s) the bot-HTTP suites run against (default: both; "
                          "see tests/e2e/conftest.py)")


def folder_marker(path: Path) -> str | None:
    """The marker of a test file by its folder right under tests/, if that folder has one."""
    try:
        folder = path.relative_to(TESTS).parts[0]
    except (ValueError, IndexError):
        return None
    return folder if folder in FOLDER_MARKERS else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = folder_marker(item.path)
        if marker is not None:
            item.add_marker(marker)


# --- the language of what the command line says ------------------------------------------------


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch) -> str:
    """The command line's own language (Dutch), in the Dutch time zone."""
    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    monkeypatch.delenv("PARAAF_TIMEZONE", raising=False)
    return "nl"


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> str:
    """The command line in English, for tests that read its English words (it is Dutch by
    default), in the Dutch time zone."""
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    monkeypatch.delenv("PARAAF_TIMEZONE", raising=False)
    return "en"


# --- who signs in and signs -----------------------------------------------------------------


@pytest.fixture
def entra(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalEntra]:
    """Entra ID stood in for on the command line; ``entra.sign_in(upn)`` chooses who is signed
    in."""
    stand_in = LocalEntra()
    monkeypatch.setattr(bot.cli.signin, "sign_in_factory", lambda settings: SignIn(
        stand_in, stand_in, CLIENT, settings.graph_tenant_id))
    yield stand_in


@pytest.fixture(scope="module")
def signer() -> Signer:
    """The Bot Framework's signing key ``key-1``, made once per test module."""
    return Signer("key-1")
