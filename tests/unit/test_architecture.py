"""The dependency rule of the design, checked on the source: arrows point inward only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = {"approvals", "cards", "word", "bot", "graph", "local", "signing", "tests"}
ALLOWED = {
    "approvals": {"approvals"},
    "cards": {"cards", "approvals"},
    # Word documents: an adapter support package beside graph/ and local/, which use it
    "word": {"word", "approvals"},
    "graph": {"graph", "approvals", "word"},
    "local": {"local", "approvals", "word"},
    # Ondertekenen (PAdES, rendering): the same for both backends, so beside them
    "signing": {"signing", "approvals"},
}
# the domain may use the standard library, PyYAML for flow files and `holidays` for deadlines
DOMAIN_THIRD_PARTY = {"yaml", "holidays"}
IO_MODULES = {"os", "io", "socket", "sqlite3", "subprocess", "shutil", "pathlib", "asyncio",
              "http", "urllib", "aiohttp", "requests", "httpx", "tempfile"}
# io.BytesIO only: zipfile needs a file object to open a .docx that is already in memory as
# bytes. The module reads no file, socket or stream; nothing else in word/ may use io.
IN_MEMORY_IO = {"word/comments.py": {"io"}}


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
            io_names = names & IO_MODULES
            assert not io_names, f"{file} imports {sorted(io_names)}"


def test_word_reads_documents_in_memory_with_the_standard_library_only() -> None:
    """word/ parses .docx bytes the adapters hand it: no framework, no third-party package,
    no file or network I/O (bot/, graph/ and local/ it never imports: the layer rule)."""
    stdlib = set(sys.stdlib_module_names)
    files = _imports("word")
    assert "word/comments.py" in files
    for file, names in files.items():
        foreign = {n for n in names - OURS - {"__future__"} if n not in stdlib}
        assert not foreign, f"{file} imports {sorted(foreign)}"
        io_names = names & IO_MODULES - IN_MEMORY_IO.get(file, set())
        assert not io_names, f"{file} imports {sorted(io_names)}"


def test_graph_and_local_never_import_each_other() -> None:
    for file, names in _imports("graph").items():
        assert "local" not in names, file
    for file, names in _imports("local").items():
        assert "graph" not in names, file


# --- the module graph: no cycles, adapters only through the wiring, channels apart -----------

PRODUCT = ("approvals", "cards", "word", "bot", "graph", "local", "signing", "playground")
# word/ reads Word documents for the document adapters: outside them, only the wiring uses it
ADAPTERS = {"graph", "local", "word", "signing"}
# The composition root: settings -> adapters -> services -> channels (DESIGN.md, section 3).
WIRING = {"bot.wiring"}
# Besides the wiring, who may import an adapter module, which one, and why.
ADAPTER_EXCEPTIONS = {
    # Settings sit beside the wiring (DESIGN.md, section 3): they check PARAAF_SITE_URL with
    # the SharePoint adapter's own parser (standard library only), so a bad address is refused
    # when the settings are read, before anything is built.
    "bot.settings": {"graph.site"},
}
# The channels are packages: a module is placed by the package it is in.
TEAMS_CHANNEL = "bot.teams"
CLI_CHANNEL = "bot.cli"
TAB_CHANNEL = "bot.tab"
CHANNELS = (TEAMS_CHANNEL, CLI_CHANNEL, TAB_CHANNEL)
# Shared by the channels: the wiring, settings and what every channel may use (the rest of
# bot/, beside the channel packages): the signing keys of an OpenID issuer (the bot's
# channel tokens, the tab's SSO tokens), the local mode's loopback guard and the decision
# register in the ZGW shape (the command line's export, the outbox's registration) among them.
SHARED = {"bot", "bot.wiring", "bot.settings", "bot.logs", "bot.ids", "bot.backend_errors",
          "bot.document_access", "bot.post_commit", "bot.telemetry", "bot.signing_keys",
          "bot.local_guard", "bot.zgw_register"}


def _channel(module: str) -> str | None:
    """The channel package a module is in, or None."""
    return next((c for c in CHANNELS if module == c or module.startswith(c + ".")), None)


def _module_name(file: Path) -> str:
    parts = file.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(f): f
            for package in PRODUCT for f in sorted((ROOT / package).rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported name lives in (``bot.logs.setup`` -> ``bot.logs``)."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(module: str, file: Path, modules: dict[str, Path],
              type_checking: bool = True) -> set[str]:
    """The project modules ``module`` imports anywhere in its source (inside functions too);
    without ``type_checking``, leaving out imports under ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and not type_checking and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(r for a in node.names if (r := _resolve(a.name, modules)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                package = module.split(".")[: len(module.split(".")) - node.level
                                               + (file.name == "__init__.py")]
                base = ".".join([*package, *([node.module] if node.module else [])])
            for alias in node.names:  # `from bot.cli import output` imports a module
                target = _resolve(f"{base}.{alias.name}", modules) or _resolve(base, modules)
                if target:
                    found.add(target)
        for inner in ast.iter_child_nodes(node):
            visit(inner)

    visit(ast.parse(file.read_text("utf-8")))
    found.discard(module)
    return found


def _graph(type_checking: bool = True) -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imported(m, f, modules, type_checking) for m, f in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle through each module that is on a cycle, as a path
    ``a -> b -> ... -> a``, without repeats."""
    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for start in sorted(graph):
        parent: dict[str, str] = {}
        queue, path = [start], None
        while queue and path is None:
            node = queue.pop(0)
            for nxt in sorted(graph[node]):
                if nxt == start:
                    path = [start]
                    while node != start:
                        path.insert(1, node)
                        node = parent[node]
                    break
                if nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if path:
            turn = path.index(min(path))
            key = tuple(path[turn:] + path[:turn])
            if key not in seen:
                seen.add(key)
                found.append([*path, start])
    return found


def test_the_cycle_finder_reports_each_cycle_as_a_path() -> None:
    graph = {"a": {"b"}, "b": {"c", "d"}, "c": {"a"}, "d": set(), "e": {"e2"}, "e2": {"e"}}
    assert _cycles(graph) == [["a", "b", "c", "a"], ["e", "e2", "e"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions_and_from_packages(tmp_path: Path) -> None:
    file = tmp_path / "x.py"
    file.write_text("from typing import TYPE_CHECKING\nfrom bot import logs\n"
                    "if TYPE_CHECKING:\n    from bot.wiring import Wiring\n"
                    "def f():\n    import bot.cli.output\n    from bot.settings import Settings\n"
                    "from bot.teams import views\n")
    modules = _modules()
    assert _imported("x", file, modules) == {"bot.logs", "bot.wiring", "bot.cli.output",
                                             "bot.settings", "bot.teams.views"}
    assert "bot.wiring" not in _imported("x", file, modules, type_checking=False)


def test_no_import_cycles() -> None:
    """Imports that only the type checker follows (``if TYPE_CHECKING:``) run never, so they
    make no cycle: a channel may name the wiring's types that way."""
    cycles = _cycles(_graph(type_checking=False))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_only_the_wiring_imports_adapters() -> None:
    wrong = []
    for module, names in _graph().items():
        if module.split(".")[0] in ADAPTERS or module in WIRING:
            continue
        adapters = {n for n in names if n.split(".")[0] in ADAPTERS}
        if module.split(".")[0] != "bot":
            assert not adapters, f"{module} imports {sorted(adapters)}"  # the layer rule
        extra = adapters - ADAPTER_EXCEPTIONS.get(module, set())
        if extra:
            wrong.append(f"{module} imports {', '.join(sorted(extra))}")
    assert not wrong, "only the wiring imports adapters:\n" + "\n".join(wrong)


def test_every_bot_module_belongs_to_one_channel_or_is_shared() -> None:
    bot = {m for m in _modules() if m.split(".")[0] == "bot"}
    channels = {m for m in bot if _channel(m)}
    assert {_channel(m) for m in channels} == set(CHANNELS)
    assert not channels & SHARED
    assert bot == channels | SHARED, (
        f"not placed: {sorted(bot - channels - SHARED)}; gone: {sorted(SHARED - bot)}")


def test_the_channel_of_a_module_is_its_package() -> None:
    assert _channel("bot.teams") == _channel("bot.teams.invoke") == TEAMS_CHANNEL
    assert _channel("bot.cli.main") == _channel("bot.cli.output") == CLI_CHANNEL
    assert _channel("bot.tab.api") == _channel("bot.tab") == TAB_CHANNEL
    assert _channel("bot.wiring") is None
    assert _channel("bot.teamsx") is None


def test_channels_never_import_each_other() -> None:
    graph = _graph()
    wrong = [f"{module} imports {', '.join(sorted(other))}"
             for module in sorted(graph) if (own := _channel(module))
             for other in [{n for n in graph[module] if _channel(n) not in (None, own)}]
             if other]
    assert not wrong, "channels import each other:\n" + "\n".join(wrong)


def test_shared_modules_other_than_the_wiring_import_no_channel() -> None:
    """Only the wiring starts a channel (the Teams server, for ``paraaf serve``); what else
    both channels share knows neither, and the wiring knows nothing of the command line."""
    modules = _modules()
    for module in sorted((SHARED - WIRING) & modules.keys()):
        names = _imported(module, modules[module], modules)
        assert not {n for n in names if _channel(n)}, f"{module} imports a channel"
    for module in sorted(WIRING):
        names = _imported(module, modules[module], modules)
        cli = {n for n in names if _channel(n) == CLI_CHANNEL}
        assert not cli, f"{module} imports {sorted(cli)}"


def test_the_wiring_imports_adapters_by_name() -> None:
    """Adapters come in through import statements (so the type checker sees each one against
    its port), never looked up by a name at run time."""
    for file in ("bot/wiring.py",):
        assert "importlib" not in _imports("bot")[file], file


# Each bot SDK is known to its gateway modules only (tests and benchmarks that exercise an SDK
# itself, such as the Playground harness's echo bot, are not product code).
SDK_GATEWAYS = {
    "botbuilder": ({"botbuilder", "botframework", "msrest"},
                   {"bot/teams/botframework.py", "bot/teams/outbound_tokens.py"}),
    "agents": ({"microsoft_agents"}, {"bot/teams/agents_gateway.py"}),
}


def test_only_the_gateway_modules_import_a_bot_sdk() -> None:
    product: dict[str, set[str]] = {}
    for package in ("approvals", "cards", "bot", "graph", "local"):
        product |= _imports(package)
    assert {"bot/teams/botframework.py", "bot/teams/agents_gateway.py"} <= product.keys()
    for sdk, (modules, gateways) in SDK_GATEWAYS.items():
        importers = {file for file, names in product.items() if names & modules}
        assert importers <= gateways, f"{sorted(importers - gateways)} import {sdk}"
        assert importers, f"no module imports {sdk}: the rule checks nothing"
