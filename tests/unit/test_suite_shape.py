"""The test suite keeps the shape of the code: markers by folder, one contract file per port,
fakes that implement their ports."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Protocol

import pytest

from approvals import ports, signatures, substitutes
from tests.conftest import FOLDER_MARKERS, folder_marker
from tests.support import fakes

TESTS = Path(__file__).resolve().parents[1]

# Ports without a contract of their own, and why.
NO_CONTRACT = {
    "Outbox": "the dossier store's: one commit holds both (tests/contract/test_dossier_store.py)",
    "Clock": "a value, not a promise about the outside world",
    "IdGenerator": "a value, not a promise about the outside world",
}

# Ports the Microsoft 365 backend does without, and why: their contract runs the fake and
# the local backend only.
NO_GRAPH_ADAPTER = {
    "FactsQueries": "the Graph store keeps no facts beside the events: the register and the "
                    "insight are folded per request from the dossiers (approvals/facts.py)",
}

# Ports whose adapters are the same on every backend (signing/: PAdES with pyHanko,
# LibreOffice, the ZGW decision register): their contract runs the fake where the suite has
# one, and each signing/ adapter of the port, instead of a fake, a local and a graph backend.
BACKEND_INDEPENDENT = {"SigningService", "SignatureVerifier", "DocumentRenderer",
                       "DecisionRegistry"}
ADAPTER_PACKAGE = Path(__file__).resolve().parents[2] / "signing"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _ports() -> dict[str, type]:
    found = {}
    for module in (ports, substitutes, signatures):
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


def _test_classes(file: Path) -> list[str]:
    return [node.name for node in ast.parse(file.read_text("utf-8")).body
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test")]


def _contract_file(port: str) -> Path:
    return TESTS / "contract" / f"test_{_snake(port)}.py"


def test_every_contract_file_runs_the_fake_a_local_and_a_graph_backend() -> None:
    independent = {_contract_file(name).name for name in BACKEND_INDEPENDENT}
    no_graph = {_contract_file(name).name for name in NO_GRAPH_ADAPTER}
    for file in sorted((TESTS / "contract").glob("test_*.py")):
        if file.name in independent:
            continue
        classes = _test_classes(file)
        assert any(name.startswith("TestInMemory") for name in classes), file.name
        graph = any(name.startswith("TestGraph") for name in classes)
        assert graph is (file.name not in no_graph), file.name  # a reasoned exception only
        assert len([n for n in classes if not n.startswith(("TestInMemory", "TestGraph"))]) >= 1, \
            file.name  # the local backend


def test_the_exceptions_name_ports_and_give_a_reason() -> None:
    found = set(_ports())
    assert found >= set(NO_CONTRACT) | BACKEND_INDEPENDENT | set(NO_GRAPH_ADAPTER)
    assert all(len(why) > 20 for why in [*NO_CONTRACT.values(), *NO_GRAPH_ADAPTER.values()])
    assert not (set(NO_CONTRACT) & (BACKEND_INDEPENDENT | set(NO_GRAPH_ADAPTER)))


def _adapters(port: type) -> set[str]:
    """The classes in signing/ that have every member of the port."""
    members = {n for n in vars(port) if not n.startswith("_")}
    found = set()
    for file in sorted(ADAPTER_PACKAGE.glob("*.py")):
        for node in ast.parse(file.read_text("utf-8")).body:
            if isinstance(node, ast.ClassDef):
                defined = {item.name for item in node.body
                           if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)}
                if members <= defined:
                    found.add(node.name)
    return found


def test_a_backend_independent_contract_runs_its_fake_and_each_adapter() -> None:
    every_port = _ports()
    for name in sorted(BACKEND_INDEPENDENT):
        port = every_port[name]
        file = _contract_file(name)
        source, classes = file.read_text("utf-8"), _test_classes(file)
        fakes_of_port = {n for n, fake in vars(fakes).items()
                         if n.startswith("InMemory") and inspect.isclass(fake)
                         and port in fake.__mro__}
        adapters = _adapters(port)
        assert adapters, name
        for implementation in sorted(adapters | fakes_of_port):
            assert re.search(rf"\b{implementation}\(", source), (file.name, implementation)
        assert len(classes) >= len(adapters | fakes_of_port), file.name


def test_every_fake_declares_the_port_it_implements() -> None:
    port_types = set(_ports().values())
    for name, fake in vars(fakes).items():
        if name.startswith("InMemory") and inspect.isclass(fake):
            assert port_types & set(fake.__mro__), name
