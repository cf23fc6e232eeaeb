"""What every test shares: the command-line options of the suite (here, so that pytest knows
them whatever paths it is given) and the markers given by folder."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent

# A test's folder under tests/ is its marker: `pytest -m unit` runs tests/unit, and so on. A
# test file marks itself only for what its folder does not say (`slow`, or `contract` for the
# unit tests of the Graph test server against the real SDK).
FOLDER_MARKERS = ("unit", "contract", "e2e")


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
