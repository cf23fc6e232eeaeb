"""Command-line options of the test suite (here, so that pytest knows them whatever paths it
is given)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--bot-sdk", choices=("both", "botbuilder", "agents"), default="both",
                     help="the bot SDK(s) the bot-HTTP suites run against (default: both; "
                          "see tests/e2e/conftest.py)")
