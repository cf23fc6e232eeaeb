"""The tab in a real browser: `paraaf demo` + `paraaf serve` on a free loopback port, Debian's
chromium driven by Playwright (its own browser builds are never downloaded), axe-core from the
web app's node_modules injected into each page.

Screenshots go to test-artefacts/tab/ (or $PARAAF_TEST_ARTEFACTS), kept after the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.server_process import ROOT, free_port, kill

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = Path(os.environ.get("PARAAF_TEST_ARTEFACTS", ROOT / "test-artefacts")) / "tab"


def _need_chromium() -> None:
    """Skip without chromium, except in CI, where a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Debian chromium is missing in CI (.ci/run installs it with `make chromium`)")
    pytest.skip("Debian chromium is not installed (`make chromium` installs it)")


def paraaf(data: Path, *args: str) -> Any:
    """The command line on ``data``, in English, its --json answer."""
    env = {**os.environ, "PARAAF_DATA": str(data), "PARAAF_LANGUAGE": "en"}
    done = subprocess.run([sys.executable, "-m", "bot.cli.main", "--json", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout) if done.stdout.strip() else None


@dataclass(frozen=True)
class Demo:
    url: str
    data: Path
    extra: tuple[str, ...]
    """Titles of the dossiers the tests started on top of the demo's."""


@contextmanager
def started_demo(data: Path) -> Iterator[Demo]:
    """`paraaf demo` in ``data`` (an empty folder), two more dossiers, and `paraaf serve` on a
    free loopback port until the block ends: a store and server of its own."""
    subprocess.run([sys.executable, "-m", "bot.cli.main", "demo", "--data", str(data)], cwd=ROOT,
                   check=True, capture_output=True, timeout=120)
    # two more energietoeslag applications: Bas Peters (klantcontact) then has three paraaf
    # tasks, one to initial on its own and two in bulk
    titles = ("Energietoeslag Z-2026-05120", "Energietoeslag Z-2026-05121")
    for title in titles:
        number = title.rsplit(" ", 1)[1]
        paraaf(data, "dossier", "start", "--flow", "energietoeslag", "--as", "i.kok",
               "--title", title, "--field", "aanvrager=Familie de Vries",
               "--field", f"zaaknummer={number}", "--field", "huishoudinkomen=1480",
               "--field", "behandelaar=j.visser@voorbeeldstad.nl")
    port = free_port()
    env = {**os.environ, "PARAAF_DATA": str(data), "PARAAF_PORT": str(port),
           "PARAAF_LANGUAGE": "nl", "PARAAF_LOG_LEVEL": "warning", "PARAAF_DELIVERY": "off"}
    process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve"], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "the server stopped during start-up"
            try:
                with urllib.request.urlopen(f"{url}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield Demo(url, data, titles)
    finally:
        kill(process)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    _need_chromium()
    with started_demo(tmp_path_factory.mktemp("tab-demo")) as started:
        yield started


@pytest.fixture(scope="module")
def browser(demo: Demo) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            launched.close()


def scrolls_sideways(page: Any) -> bool:
    """Whether the page as it is now is wider than the window (a phone would scroll it
    sideways); a table may scroll inside its own box, the page not."""
    return bool(page.evaluate(
        "document.scrollingElement.scrollWidth > window.innerWidth"))


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot kept as a test artefact."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    # Fluent UI's focus manager (tabster) adds 1px `<i tabindex=0 aria-hidden>` sentinels
    # that hand focus on at once to the next real control: no one stops on them, so axe
    # checks the page without them (each is marked data-tabster-dummy).
    result = page.evaluate("""async () => {
        const r = await axe.run({exclude: [["[data-tabster-dummy]"]]},
                                {resultTypes: ["violations"]});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]
