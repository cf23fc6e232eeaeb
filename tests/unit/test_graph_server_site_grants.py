"""Site grants on the Graph test server (Sites.Selected): an administrator's POST records
one, the listing shows who (without roles, as Graph lists them), one grant's GET its roles."""

from __future__ import annotations

import httpx
import pytest

from tests.support.graph_server import GraphServer

pytestmark = pytest.mark.contract

APP = "9a0e4b4c-2f6a-4f43-9d0e-6e3b1c2d7f10"


async def test_a_grant_is_recorded_listed_and_read() -> None:
    async with GraphServer(seed=2) as server, httpx.AsyncClient(
            headers={"Authorization": "Bearer admin"}) as http:
        site = f"{server.base_url}/sites/contoso.sharepoint.com:/sites/paraaf:/permissions"
        assert (await http.get(site)).json()["value"] == []
        made = await http.post(site, json={"roles": ["fullcontrol"], "grantedToIdentities": [
            {"application": {"id": APP, "displayName": "paraaf"}}]})
        assert made.status_code == 201 and made.json()["roles"] == ["fullcontrol"]
        (listed,) = (await http.get(site)).json()["value"]
        assert "roles" not in listed
        assert listed["grantedToIdentitiesV2"] == [
            {"application": {"id": APP, "displayName": "paraaf"}}]
        one = await http.get(f"{site}/{listed['id']}")
        assert one.json()["roles"] == ["fullcontrol"]
        assert (await http.get(f"{site}/nope")).status_code == 404


@pytest.mark.parametrize("body", [
    {"roles": ["everything"], "grantedToIdentities": [{"application": {"id": APP}}]},
    {"roles": ["read"], "grantedToIdentities": []},
    {"roles": [], "grantedToIdentities": [{"application": {"id": APP}}]},
])
async def test_a_grant_that_is_not_one_is_refused(body: dict[str, object]) -> None:
    async with GraphServer(seed=2) as server, httpx.AsyncClient(
            headers={"Authorization": "Bearer admin"}) as http:
        answer = await http.post(
            f"{server.base_url}/sites/contoso.sharepoint.com:/sites/paraaf:/permissions",
            json=body)
        assert answer.status_code == 400
        assert server.site.app_grants == []
