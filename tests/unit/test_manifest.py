"""The Teams app package: what is in it, its icons, and the official schema's verdict.

The schema check runs ``manifest/validator/validate.js`` (the schemas bundled in npm
``@microsoft/app-manifest`` 1.1.2, offline); ``npm ci`` runs there once when needed.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from bot.cli import manifest as manifest_cli
from bot.teams.conversation import TEXT_ROUTES
from manifest import icons
from manifest import validate as validator
from manifest.build import (
    FILES,
    ZIP_TIME,
    ManifestInputError,
    PackageValues,
    build_package,
    render_manifest,
)

BOT = "6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
TEAMS_APP = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
URL = "https://paraaf.voorbeeldstad.nl"
VALUES = PackageValues(bot_id=BOT, public_url=URL + "/", version="1.4.2",
                       teams_app_id=TEAMS_APP, publisher="Gemeente Voorbeeldstad")


def unzip(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def read_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, colour type and the unfiltered rows of an 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    chunks: list[tuple[bytes, bytes]] = []
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and interlace == 0
    channels = {2: 3, 6: 4}[color_type]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        method, row = line[0], bytearray(line[1:])  # filter type, then the filtered bytes
        for x in range(stride):
            left = row[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if method == 1:
                row[x] = (row[x] + left) & 0xFF
            elif method == 2:
                row[x] = (row[x] + up) & 0xFF
            elif method == 3:
                row[x] = (row[x] + (left + up) // 2) & 0xFF
            elif method == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[x] = (row[x] + best) & 0xFF
        previous = bytes(row)
        rows.append(previous)
    return width, height, color_type, rows


@pytest.fixture(scope="module")
def package() -> bytes:
    return build_package(VALUES)


@pytest.fixture(scope="module")
def files(package: bytes) -> dict[str, bytes]:
    return unzip(package)


@pytest.fixture(scope="module")
def manifest(files: dict[str, bytes]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(files["manifest.json"])
    return loaded


# --- the package -------------------------------------------------------------------------------


def test_package_holds_manifest_icons_and_english_strings_at_its_root(package: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.namelist() == ["manifest.json", "color.png", "en.json", "outline.png"]
        assert archive.testzip() is None


def test_same_values_give_the_same_bytes(package: bytes) -> None:
    assert build_package(VALUES) == package
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_TIME}


def test_every_placeholder_is_filled(files: dict[str, bytes]) -> None:
    assert b"{{" not in files["manifest.json"]


def test_manifest_carries_the_deployment_values(manifest: dict[str, Any]) -> None:
    assert manifest["manifestVersion"] == "1.30"
    assert manifest["$schema"].endswith("/v1.30/MicrosoftTeams.schema.json")
    assert manifest["id"] == TEAMS_APP
    assert manifest["version"] == "1.4.2"
    assert manifest["bots"][0]["botId"] == BOT
    assert manifest["validDomains"] == ["paraaf.voorbeeldstad.nl"]
    assert manifest["webApplicationInfo"] == {
        "id": BOT, "resource": f"api://paraaf.voorbeeldstad.nl/{BOT}"}
    assert manifest["developer"]["name"] == "Gemeente Voorbeeldstad"
    assert manifest["developer"]["privacyUrl"] == URL + "/privacy"


def test_ids_default_to_the_bot_and_are_lower_cased() -> None:
    built = render_manifest(PackageValues(bot_id=BOT.upper(), public_url=URL))
    assert built["id"] == built["bots"][0]["botId"] == built["webApplicationInfo"]["id"] == BOT


def test_values_come_from_settings_like_objects() -> None:
    settings = argparse.Namespace(app_id=BOT, public_url=URL)
    values = PackageValues.from_settings(settings, version="2.0.0", sso_app_id=None)
    assert (values.bot_id, values.public_url, values.version, values.sso_app_id) == (
        BOT, URL, "2.0.0", "")


def test_bot_answers_in_personal_team_and_group_chats(manifest: dict[str, Any]) -> None:
    assert manifest["bots"][0]["scopes"] == ["personal", "team", "groupChat"]
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nl-nl"


def test_tabs_are_mijn_dossiers_and_beheer_on_the_public_url(manifest: dict[str, Any]) -> None:
    tabs = {tab["entityId"]: tab for tab in manifest["staticTabs"]}
    assert tabs["mijn-dossiers"]["name"] == "Mijn dossiers"
    assert tabs["beheer"]["name"] == "Beheer"
    assert {tabs[key]["contentUrl"] for key in ("mijn-dossiers", "beheer")} == {
        URL + "/tab/dossiers", URL + "/tab/beheer"}
    assert "conversations" in tabs  # the chat with the bot stays next to the tabs


def _titles(strings: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    titles = [command["title"] for entry in manifest["bots"][0]["commandLists"]
              for command in entry["commands"]]
    english = [value for key, value in strings.items() if key.endswith(".title")]
    return titles + english


def test_every_listed_command_is_one_the_bot_understands(
    manifest: dict[str, Any], files: dict[str, bytes]
) -> None:
    for title in _titles(json.loads(files["en.json"]), manifest):
        assert any(pattern.match(title) for pattern, _ in TEXT_ROUTES), title
    personal = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert personal == ["help", "mijn taken", "start", "status"]


# --- icons -------------------------------------------------------------------------------------


def test_color_icon_is_a_192_pixel_opaque_png(files: dict[str, bytes]) -> None:
    width, height, color_type, rows = read_png(files["color.png"])
    assert (width, height) == (192, 192)
    if color_type == 6:
        assert all(row[3::4] == b"\xff" * width for row in rows)


def test_outline_icon_is_32_pixels_white_on_transparent(files: dict[str, bytes]) -> None:
    width, height, color_type, rows = read_png(files["outline.png"])
    assert (width, height, color_type) == (32, 32, 6)
    pixels = [row[i:i + 4] for row in rows for i in range(0, len(row), 4)]
    assert all(p[3] == 0 or p[:3] == b"\xff\xff\xff" for p in pixels)
    drawn = sum(1 for p in pixels if p[3])
    assert 60 < drawn < 600  # a visible mark, not a filled square


def test_committed_icons_are_what_the_generator_draws() -> None:
    for name, draw in icons.ICONS.items():
        assert read_png(FILES[name].read_bytes()) == read_png(draw()), name


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "", "http://paraaf.voorbeeldstad.nl", "paraaf.voorbeeldstad.nl", "https://",
    "https://paraaf.voorbeeldstad.nl/?tab=1", "https://user:pw@paraaf.voorbeeldstad.nl",
    "https://paraaf voorbeeldstad.nl", "https://intranet", "https://paraaf.nl:99999",
])
def test_bad_public_url_is_refused(url: str) -> None:
    with pytest.raises(ManifestInputError):
        build_package(PackageValues(bot_id=BOT, public_url=url))


@pytest.mark.parametrize("field", ["bot_id", "teams_app_id", "sso_app_id"])
def test_bad_guid_is_refused(field: str) -> None:
    values = {"bot_id": BOT, "public_url": URL, field: "6f1d2a3b-4c5d-4e6f-8a9b"}
    with pytest.raises(ManifestInputError, match="GUID"):
        build_package(PackageValues(**values))


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0"])
def test_version_must_be_major_minor_patch(version: str) -> None:
    with pytest.raises(ManifestInputError, match="version"):
        build_package(PackageValues(bot_id=BOT, public_url=URL, version=version))


def test_port_and_path_are_kept_for_tabs_and_single_sign_on() -> None:
    built = render_manifest(PackageValues(bot_id=BOT, public_url="https://Host.nl:8443/p/"))
    assert built["staticTabs"][0]["contentUrl"] == "https://host.nl:8443/p/tab/dossiers"
    assert built["webApplicationInfo"]["resource"] == f"api://host.nl:8443/{BOT}"


# --- the official schema (node) ----------------------------------------------------------------


@pytest.fixture(scope="session")
def node_validator() -> None:
    """The validator's node_modules, installed from its lock file once per session."""
    reason = validator.missing_tool()
    if reason is not None:
        pytest.skip(reason)
    validator.install()


def test_package_passes_the_official_schema(node_validator: None, package: bytes) -> None:
    started = time.perf_counter()
    code, report = validator.validate_package(package)
    elapsed = time.perf_counter() - started
    assert report["files"] == {"manifest.json": [], "en.json": []}, report
    assert (code, report["errors"], report["manifestVersion"]) == (0, 0, "1.30")
    assert elapsed < 30, f"validation took {elapsed:.1f} s"


def test_broken_manifest_and_strings_give_errors(
    node_validator: None, files: dict[str, bytes], tmp_path: Path
) -> None:
    broken = json.loads(files["manifest.json"])
    broken["id"] = "paraaf"
    broken["bots"][0]["scopes"].append("everywhere")
    del broken["developer"]["privacyUrl"]
    strings = json.loads(files["en.json"])
    strings["staticTabs[9].name"] = "Nowhere"
    strings["name.short"] = "x" * 31
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "manifest.json").write_text(json.dumps(broken), encoding="utf-8")
    (tmp_path / "en.json").write_text(json.dumps(strings), encoding="utf-8")
    (tmp_path / "outline.png").unlink()
    code, report = validator.validate_folder(tmp_path)
    assert code == 1
    found = "\n".join(report["files"]["manifest.json"])
    for expected in ("/id must match pattern", "/bots/0/scopes/3", "'privacyUrl'",
                     "/icons/outline names outline.png"):
        assert expected in found, found
    found = "\n".join(report["files"]["en.json"])
    assert "/name.short must NOT have more than 30 characters" in found
    assert "staticTabs[9].name is not a string in manifest.json" in found


def test_manifest_version_without_a_bundled_schema_is_an_error(
    node_validator: None, manifest: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps({**manifest, "manifestVersion": "1.18"}), encoding="utf-8")
    code, report = validator.validate_folder(tmp_path / "manifest.json")
    assert code == 1
    assert re.search(r"1\.18.* has no bundled schema", report["files"]["manifest.json"][0])


# --- paraaf manifest build ---------------------------------------------------------------------


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="paraaf")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    manifest_cli.add_parser(sub, common)
    return parser.parse_args(["manifest", "build", *argv])


async def test_cli_writes_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "app.zip"
    args = _parse("--bot-id", BOT, "--public-url", URL, "--app-version", "1.4.2",
                  "--app-id", TEAMS_APP, "--publisher", "Gemeente Voorbeeldstad", "-o", str(out))
    assert await manifest_cli.run(args) == 0
    assert out.read_bytes() == build_package(VALUES)
    assert f"api://paraaf.voorbeeldstad.nl/{BOT}" in capsys.readouterr().out


async def test_cli_takes_defaults_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PARAAF_APP_ID", BOT)
    monkeypatch.setenv("PARAAF_PUBLIC_URL", URL)
    assert await manifest_cli.run(_parse("--json", "-o", str(tmp_path))) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["file"] == str(tmp_path / "paraaf-teams-app.zip")
    assert (report["botId"], report["teamsAppId"]) == (BOT, BOT)
    manifest = json.loads(unzip((tmp_path / "paraaf-teams-app.zip").read_bytes())[
        "manifest.json"])
    assert manifest["staticTabs"][0]["contentUrl"] == URL + "/tab/dossiers"


@pytest.mark.parametrize("argv", [
    ("--bot-id", "not-a-guid", "--public-url", URL),
    ("--bot-id", BOT, "--app-id", "123", "--public-url", URL),
    ("--bot-id", BOT, "--public-url", "http://paraaf.voorbeeldstad.nl"),
    ("--public-url", URL),
])
async def test_cli_refuses_bad_ids_and_urls_with_exit_2(
    argv: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("PARAAF_APP_ID", raising=False)
    out = tmp_path / "app.zip"
    assert await manifest_cli.run(_parse(*argv, "-o", str(out))) == 2
    assert not out.exists()
    assert capsys.readouterr().err.startswith("paraaf: ")
