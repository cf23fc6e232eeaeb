"""The dependency rule of the design, checked on the source: arrows point inward only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = {"approvals", "cards", "bot", "graph", "local", "tests"}
ALLOWED = {
    "approvals": {"approvals"},
    "cards": {"cards", "approvals"},
    "graph": {"graph", "approvals"},
    "local": {"local", "approvals"},
}
# the domain may use the standard library, PyYAML for flow files and `holidays` for deadlines
DOMAIN_THIRD_PARTY = {"yaml", "holidays"}
IO_MODULES = {"os", "io", "socket", "sqlite3", "subprocess", "shutil", "pathlib", "asyncio",
              "http", "urllib", "aiohttp", "requests", "httpx", "tempfile"}
# io.BytesIO only: zipfile needs a file object to open a .docx that is already in memory as
# bytes. The module reads no file, socket or stream; nothing else in the domain may use io.
IN_MEMORY_IO = {"approvals/docx_comments.py": {"io"}}


def _imports(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for file in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(file.read_text("utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(file.relative_to(ROOT))] = names
    return found


def test_inner_packages_import_only_inward() -> None:
    for package, allowed in ALLOWED.items():
        for file, names in _imports(package).items():
            ours = names & OURS
            assert ours <= allowed, f"{file} imports {sorted(ours - allowed)}"


def test_domain_and_cards_import_no_io_or_framework() -> None:
    stdlib = set(sys.stdlib_module_names)
    for package in ("approvals", "cards"):
        for file, names in _imports(package).items():
            foreign = {n for n in names - OURS - {"__future__"} if n not in stdlib}
            assert foreign <= DOMAIN_THIRD_PARTY, f"{file} imports {sorted(foreign)}"
            io_names = names & IO_MODULES - IN_MEMORY_IO.get(file, set())
            assert not io_names, f"{file} imports {sorted(io_names)}"


def test_graph_and_local_never_import_each_other() -> None:
    for file, names in _imports("graph").items():
        assert "local" not in names, file
    for file, names in _imports("local").items():
        assert "graph" not in names, file


# Each bot SDK is known to its gateway modules only (tests and benchmarks that exercise an SDK
# itself, such as the Playground harness's echo bot, are not product code).
SDK_GATEWAYS = {
    "botbuilder": ({"botbuilder", "botframework", "msrest"},
                   {"bot/botframework.py", "bot/outbound_tokens.py"}),
    "agents": ({"microsoft_agents"}, {"bot/agents_gateway.py"}),
}


def test_only_the_gateway_modules_import_a_bot_sdk() -> None:
    product = {}
    for package in ("approvals", "cards", "bot", "graph", "local"):
        product |= _imports(package)
    assert {"bot/botframework.py", "bot/agents_gateway.py"} <= product.keys()
    for sdk, (modules, gateways) in SDK_GATEWAYS.items():
        importers = {file for file, names in product.items() if names & modules}
        assert importers <= gateways, f"{sorted(importers - gateways)} import {sdk}"
        assert importers, f"no module imports {sdk}: the rule checks nothing"
