"""The tab's web app under /tab/: built files, index.html for the app's own routes (the
manifest's tab URLs among them), never a file outside web/dist, and a 503 page without it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.tab.web import DIST, file_for
from bot.tab.web import install as install_web
from tests.e2e.bot_http import copy_demo
from tests.e2e.tab_http import tab_server

MANIFEST = Path(__file__).resolve().parents[2] / "manifest" / "manifest.template.json"


async def _serve(dist: Path) -> AsyncIterator[str]:
    app = web.Application()
    install_web(app, dist)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>", "utf-8")
    (dist / "assets" / "app-1a2b.js").write_text("console.log('paraaf')", "utf-8")
    (tmp_path / "secret.txt").write_text("not for the web", "utf-8")
    return dist


@pytest.fixture
async def site(built: Path) -> AsyncIterator[str]:
    async for base in _serve(built):
        yield base


def _manifest_tab_paths() -> list[str]:
    manifest = json.loads(MANIFEST.read_text("utf-8"))
    return [tab["contentUrl"].replace("{{PUBLIC_URL}}", "")
            for tab in manifest["staticTabs"] if "contentUrl" in tab]


async def test_the_app_answers_its_routes_and_the_manifests_tab_urls(site: str) -> None:
    paths = _manifest_tab_paths()
    assert "/tab/dossiers" in paths and "/tab/beheer" in paths
    async with aiohttp.ClientSession() as http:
        for path in [*paths, "/tab/", "/tab/werkvoorraad", "/tab/dossiers/DEMO-1"]:
            async with http.get(site + path) as answer:
                assert answer.status == 200, path
                assert "<div id=root>" in await answer.text()
                assert answer.headers["Cache-Control"] == "no-cache"
                assert "frame-ancestors" in answer.headers["Content-Security-Policy"]
        async with http.get(site + "/tab/assets/app-1a2b.js") as answer:
            assert answer.status == 200 and "paraaf" in await answer.text()
            assert "immutable" in answer.headers["Cache-Control"]
        async with http.get(site + "/tab", allow_redirects=False) as answer:
            assert answer.status == 308 and answer.headers["Location"] == "/tab/"


async def test_no_file_outside_the_built_app_is_served(site: str, built: Path) -> None:
    assert file_for(built, "../secret.txt") is None
    assert file_for(built, "assets/../../secret.txt") is None
    assert file_for(built, "/etc/passwd") is None
    assert file_for(built, "assets") is None  # a folder is no file
    async with aiohttp.ClientSession() as http:
        for path in ("/tab/../secret.txt", "/tab/%2e%2e/secret.txt",
                     "/tab/assets%2f..%2f..%2fsecret.txt"):
            async with http.get(site + path) as answer:
                assert "not for the web" not in await answer.text(), path


async def test_without_a_build_the_tab_says_how_to_make_one(tmp_path: Path) -> None:
    async for base in _serve(tmp_path / "missing"):
        async with aiohttp.ClientSession() as http:
            async with http.get(base + "/tab/dossiers") as answer:
                assert answer.status == 503 and "make install" in await answer.text()
            async with http.get(base + "/tab/beheer", headers={"Accept-Language": "en"}) as answer:
                assert answer.status == 503 and "has not been built" in await answer.text()


async def test_paraaf_serves_the_tab_from_web_dist(demo_template: Path, tmp_path: Path) -> None:
    """On the real server: the built app when ``make install`` built it, else the 503 page."""
    async with tab_server(copy_demo(demo_template, tmp_path / "data")) as client:
        for path in _manifest_tab_paths():
            status, _ = await client.get(path)
            assert status == (200 if (DIST / "index.html").is_file() else 503), path
