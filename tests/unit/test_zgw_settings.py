"""The ZGW register's settings: none, the register stays in paraaf; the organisation alone,
the export file; all of them, the API. Half a configuration and a wrong RSIN or address are
refused at start, naming what to set."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError

ORGANISATION = {
    "PARAAF_ZGW_RSIN": "002220647",
    "PARAAF_ZGW_BESLUITTYPE": "https://oz.example/catalogi/api/v1/besluittypen/1",
    "PARAAF_ZGW_INFORMATIEOBJECTTYPE": "https://oz.example/catalogi/api/v1/informatieobjecttypen/2",
}
API = {
    "PARAAF_ZGW_BESLUITEN_URL": "https://oz.example/besluiten/api/v1",
    "PARAAF_ZGW_DOCUMENTEN_URL": "https://oz.example/documenten/api/v1",
    "PARAAF_ZGW_CLIENT_ID": "paraaf",
    "PARAAF_ZGW_SECRET": "een-lang-geheim-voor-de-jwt",
}


def test_without_settings_the_register_stays_in_paraaf() -> None:
    settings = Settings.from_env({})
    assert not settings.zgw_register and settings.zgw_rsin == ""


def test_the_organisation_alone_is_enough_for_the_export_file() -> None:
    settings = Settings.from_env(ORGANISATION)
    assert settings.zgw_rsin == "002220647" and not settings.zgw_register


def test_all_of_them_register_in_the_api_and_keep_the_secret_out_of_sight() -> None:
    settings = Settings.from_env(ORGANISATION | API)
    assert settings.zgw_register and settings.zgw_client_id == "paraaf"
    assert API["PARAAF_ZGW_SECRET"] not in repr(settings)


@pytest.mark.parametrize(("env", "named"), [
    ({"PARAAF_ZGW_BESLUITEN_URL": API["PARAAF_ZGW_BESLUITEN_URL"]}, "PARAAF_ZGW_SECRET"),
    (API, "PARAAF_ZGW_RSIN"),
    (ORGANISATION | {"PARAAF_ZGW_CLIENT_ID": "paraaf"}, "PARAAF_ZGW_DOCUMENTEN_URL"),
    ({"PARAAF_ZGW_RSIN": "002220647"}, "PARAAF_ZGW_BESLUITTYPE"),
])
def test_half_a_configuration_is_refused_naming_what_is_left(env: dict[str, str],
                                                             named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert caught.value.code == "zgw_missing" and named in str(caught.value)
    assert "PARAAF_ZGW_" in caught.value.fix("nl")


def test_an_rsin_that_fails_the_elfproef_is_refused_at_start() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(ORGANISATION | {"PARAAF_ZGW_RSIN": "002220648"})
    assert caught.value.code == "zgw_rsin" and "elfproef" in caught.value.text("nl")


def test_an_address_that_is_not_http_is_refused() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(ORGANISATION | API | {"PARAAF_ZGW_DOCUMENTEN_URL": "oz.example"})
    assert caught.value.code == "zgw_url" and caught.value.setting == "PARAAF_ZGW_DOCUMENTEN_URL"
