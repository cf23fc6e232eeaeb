"""The wiring builds the embedded backend's objects and closes what it opened."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError
from bot.wiring import NotInitialised, Wiring, build, create_local_store

DEMO_DIRECTORY = Path(__file__).resolve().parents[2] / "local" / "demo" / "directory.yaml"


def _settings(data: Path) -> Settings:
    return Settings.from_env({}, data_dir=str(data))


def _local(data: Path) -> Wiring:
    settings = _settings(data)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEMO_DIRECTORY, settings.directory_file)
    create_local_store(settings)
    return build(settings)


def test_a_folder_without_data_is_refused_naming_the_demo_command(tmp_path: Path) -> None:
    with pytest.raises(NotInitialised, match="paraaf demo --data"):
        build(_settings(tmp_path / "empty"))


async def test_the_outbox_is_the_store_the_services_commit_to(tmp_path: Path) -> None:
    wiring = _local(tmp_path)
    try:
        assert wiring.outbox is wiring.services.store
        assert await wiring.outbox.claim("w", 10, 30) == []
        assert await wiring.anchors.records() == []
    finally:
        await wiring.close()


async def test_closing_the_wiring_closes_every_database_it_opened(tmp_path: Path) -> None:
    wiring = _local(tmp_path)
    await wiring.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await wiring.services.store.list_summaries(limit=1)
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await wiring.services.flows.list()
    assert wiring.services.substitutes is not None
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await wiring.services.substitutes.for_person("x")
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await wiring.conversations.reference("x")
    await wiring.close()  # twice is harmless


# --- the tab's settings -----------------------------------------------------------------------


def test_the_tabs_app_and_tenants_default_to_the_bots() -> None:
    from bot.settings import TAB_AUTHORITY, TAB_OPENID_METADATA_URL

    app, tab = "0c6a1f2e-8b3d-4e5f-9a7b-1c2d3e4f5a6b", "7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b"
    tenant = "5E0C7A1D-3B94-4F28-8D61-2C9E47B1A8F3"
    s = Settings.from_env({"PARAAF_APP_ID": app, "PARAAF_APP_TENANT_ID": tenant})
    assert (s.tab_app_id, s.tab_tenants) == (app, (tenant.lower(),))
    assert (s.tab_openid_metadata_url, s.tab_authority) == (TAB_OPENID_METADATA_URL,
                                                            TAB_AUTHORITY)
    s = Settings.from_env({"PARAAF_APP_ID": app, "PARAAF_TAB_CLIENT_ID": tab,
                           "PARAAF_TENANT_ALLOWLIST": "t1, T2",
                           "PARAAF_GRAPH_TENANT_ID": "contoso.onmicrosoft.com"})
    assert (s.tab_app_id, s.tab_tenants) == (tab, ("t1", "t2"))
    assert Settings.from_env({}).tab_tenants == ()  # nobody's tokens are accepted then
    assert "s3cr3t" not in repr(Settings.from_env({"PARAAF_TAB_CLIENT_SECRET": "s3cr3t"}))


def test_the_tabs_client_id_is_refused_unless_it_is_an_app_id() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"PARAAF_TAB_CLIENT_ID": "tab"})
    assert "PARAAF_TAB_CLIENT_ID" in str(refused.value)


@pytest.mark.parametrize("name", ["PARAAF_TAB_OPENID_METADATA_URL", "PARAAF_TAB_AUTHORITY"])
def test_the_tabs_entra_addresses_are_https_or_a_loopback_test_server(name: str) -> None:
    assert getattr(Settings.from_env({name: "http://127.0.0.1:9/x"}),
                   name.removeprefix("PARAAF_").lower()) == "http://127.0.0.1:9/x"
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({name: "http://login.example.com/x"})
    assert name in str(refused.value)


async def test_on_microsoft_365_the_store_answers_the_tabs_overview(tmp_path: Path) -> None:
    """The overview on the Graph backend pages on the list's indexed columns (two requests
    a page) instead of reading every dossier into the tab."""
    from bot.wiring import tab

    settings = Settings.from_env({
        "PARAAF_DATA": str(tmp_path), "PARAAF_BACKEND": "graph",
        "PARAAF_SITE_URL": "https://contoso.sharepoint.com/sites/paraaf",
        "PARAAF_GRAPH_TENANT_ID": "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3",
        "PARAAF_GRAPH_CLIENT_ID": "0c6a1f2e-8b3d-4e5f-9a7b-1c2d3e4f5a6b",
        "PARAAF_GRAPH_CLIENT_SECRET": "geheim",
        "PARAAF_GRAPH_BASE_URL": "http://127.0.0.1:9/v1.0/"})
    wiring = build(settings)  # nothing is sent to Graph while building
    try:
        assert tab(wiring).queries is wiring.services.store
    finally:
        await wiring.close()
