"""The test suite keeps the shape of the code: markers by folder, one contract file per port,
fakes that implement their ports."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Protocol

import pytest

from approvals import ports, substitutes
from tests.conftest import FOLDER_MARKERS, folder_marker
from tests.support import fakes

TESTS = Path(__file__).resolve().parents[1]

# Ports whose promises need no contract of their own: the outbox is the dossier store's (one
# commit holds both, tests/contract/test_dossier_store.py), the clock and the ids are values.
NO_CONTRACT = {"Outbox", "Clock", "IdGenerator"}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _ports() -> dict[str, type]:
    found = {}
    for module in (ports, substitutes):
        for name, value in vars(module).items():
            if (inspect.isclass(value) and value.__module__ == module.__name__
                    and Protocol in value.__mro__[1:] and getattr(value, "_is_protocol", False)):
                found[name] = value
    return found


@pytest.mark.parametrize(("path", "marker"), [
    ("unit/test_engine.py", "unit"), ("contract/test_directory.py", "contract"),
    ("e2e/test_cli.py", "e2e"), ("support/fakes.py", None), ("conftest.py", None)])
def test_a_test_is_marked_by_its_folder(path: str, marker: str | None) -> None:
    assert folder_marker(TESTS / path) == marker
    assert folder_marker(Path("/elsewhere") / path) is None


def test_no_test_file_repeats_the_marker_of_its_folder() -> None:
    repeated = []
    for folder in FOLDER_MARKERS:
        for file in sorted((TESTS / folder).glob("test_*.py")):
            if re.search(rf"pytest\.mark\.{folder}\b", file.read_text("utf-8")):
                repeated.append(file.relative_to(TESTS).as_posix())
    assert repeated == []


def test_every_port_has_one_contract_test_file() -> None:
    wanted = {f"test_{_snake(name)}.py" for name in _ports()} - {
        f"test_{_snake(name)}.py" for name in NO_CONTRACT}
    present = {file.name for file in (TESTS / "contract").glob("test_*.py")}
    assert wanted and wanted == present


def test_every_contract_file_runs_the_fake_a_local_and_a_graph_backend() -> None:
    for file in sorted((TESTS / "contract").glob("test_*.py")):
        classes = [node.name for node in ast.parse(file.read_text("utf-8")).body
                   if isinstance(node, ast.ClassDef) and node.name.startswith("Test")]
        assert any(name.startswith("TestInMemory") for name in classes), file.name
        assert any(name.startswith("TestGraph") for name in classes), file.name
        assert len([n for n in classes if not n.startswith(("TestInMemory", "TestGraph"))]) >= 1, \
            file.name  # the local backend


def test_every_fake_declares_the_port_it_implements() -> None:
    port_types = set(_ports().values())
    for name, fake in vars(fakes).items():
        if name.startswith("InMemory") and inspect.isclass(fake):
            assert port_types & set(fake.__mro__), name
