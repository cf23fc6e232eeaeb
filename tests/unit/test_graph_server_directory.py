"""The Graph test server's directory: users, managers, groups, guests, via msgraph-sdk."""

from __future__ import annotations

from typing import Any, cast

import httpx
import pytest
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.directory_object import DirectoryObject
from msgraph.generated.models.group import Group
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.user import User
from msgraph_core.tasks.page_iterator import PageIterator

from tests.support.graph_server.testing import DEMO_DIRECTORY, SDK_IMPORT_DEPRECATIONS, graph_env

pytestmark = [*SDK_IMPORT_DEPRECATIONS, pytest.mark.contract]

GUEST_UPN = "p.devries_ketenpartner.nl#EXT#@voorbeeldstad.onmicrosoft.com"
NESTED = {
    "users": [
        {"oid": "00000000-0000-4000-8000-000000000001", "upn": "boss@x.nl", "name": "Bo Baas"},
        {"oid": "00000000-0000-4000-8000-000000000002", "upn": "a@x.nl", "name": "Ad A",
         "manager": "boss@x.nl"},
        {"oid": "00000000-0000-4000-8000-000000000003", "upn": "b@x.nl", "name": "Bea B",
         "manager": "boss@x.nl"},
        {"oid": "00000000-0000-4000-8000-000000000004", "upn": "g_y.nl#EXT#@x.onmicrosoft.com",
         "name": "Gast G", "guest": True},
    ],
    "groups": [
        {"id": "inner", "name": "Binnen", "members": ["b@x.nl", "g_y.nl#EXT#@x.onmicrosoft.com"]},
        {"id": "outer", "name": "Buiten", "members": ["a@x.nl", "inner", "boss@x.nl"]},
    ],
}


def user_query(**params: Any) -> RequestConfiguration[Any]:
    from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder

    return RequestConfiguration(query_parameters=UserItemRequestBuilder.
                                UserItemRequestBuilderGetQueryParameters(**params))


async def test_user_by_upn_with_select_and_the_guest() -> None:
    async with graph_env(server_options={"directory": DEMO_DIRECTORY}) as (_, client):
        user = await client.users.by_user_id("H.vanDijk@voorbeeldstad.nl").get(
            user_query(select=["id", "displayName", "department", "userType", "mail"]))
        assert (user.id, user.display_name, user.department, user.user_type) == (
            "86098315-8fdc-4a34-8753-5c6f440eef42", "Hanneke van Dijk",
            "Ruimtelijke Ontwikkeling", "Member")
        assert user.job_title is None  # not selected
        default = await client.users.by_user_id(user.id).get()
        assert default.job_title == "Afdelingshoofd Ruimtelijke Ontwikkeling"
        assert default.user_type is None  # not in the default property set
        guest = await client.users.by_user_id(GUEST_UPN).get(
            user_query(select=["userPrincipalName", "userType", "mail", "externalUserState"]))
        assert (guest.user_type, guest.mail, guest.external_user_state) == (
            "Guest", "p.devries@ketenpartner.nl", "Accepted")
        with pytest.raises(ODataError) as bad_select:
            await client.users.by_user_id(user.id).get(user_query(select=["shoeSize"]))
        assert bad_select.value.response_status_code == 400
        with pytest.raises(ODataError) as missing:
            await client.users.by_user_id("niemand@voorbeeldstad.nl").get()
        assert missing.value.error.code == "Request_ResourceNotFound"


async def test_manager_chain_and_top_of_the_tree() -> None:
    async with graph_env(server_options={"directory": DEMO_DIRECTORY}) as (_, client):
        manager = await client.users.by_user_id("t.dejong@voorbeeldstad.nl").manager.get()
        assert isinstance(manager, User) and manager.display_name == "Hanneke van Dijk"
        with pytest.raises(ODataError) as top:
            await client.users.by_user_id("m.jansen@voorbeeldstad.nl").manager.get()
        assert (top.value.response_status_code, top.value.error.code) == (
            404, "Request_ResourceNotFound")


async def test_transitive_members_paged_with_nested_groups_and_guest() -> None:
    from msgraph.generated.groups.item.transitive_members import (
        transitive_members_request_builder as module,
    )

    Builder = module.TransitiveMembersRequestBuilder

    async with graph_env(server_options={"directory": NESTED}) as (server, client):
        outer = server.directory.group_id("outer")
        config = RequestConfiguration(query_parameters=Builder.
                                      TransitiveMembersRequestBuilderGetQueryParameters(top=2))
        first = await client.groups.by_group_id(outer).transitive_members.get(config)
        assert first.odata_next_link is not None
        members: list[DirectoryObject] = []

        def collect(member: DirectoryObject) -> bool:
            members.append(member)
            return True

        await PageIterator(first, client.request_adapter).iterate(collect)
        users = sorted(m.display_name for m in members if isinstance(m, User))
        assert users == ["Ad A", "Bea B", "Bo Baas", "Gast G"]
        assert [m.display_name for m in members if isinstance(m, Group)] == ["Binnen"]
        assert server.stats.count("GET", "/groups/*/transitiveMembers") == 3
        only_users = await client.groups.by_group_id(outer).transitive_members.graph_user.get()
        assert len(only_users.value) == 4
        with pytest.raises(ODataError) as slug:
            await client.groups.by_group_id("outer").get()
        assert slug.value.response_status_code == 400

        of = await client.users.by_user_id("g_y.nl#EXT#@x.onmicrosoft.com"
                                           ).transitive_member_of.get()
        assert sorted(g.display_name for g in of.value) == ["Binnen", "Buiten"]


async def test_user_filter_and_missing_token() -> None:
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder

    async with graph_env(server_options={"directory": NESTED}) as (server, client):
        params = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters
        guests = await client.users.get(RequestConfiguration(
            query_parameters=params(filter="userType eq 'Guest'", select=["id", "userType"])))
        assert [u.id for u in guests.value] == ["00000000-0000-4000-8000-000000000004"]
        found = await client.users.get(RequestConfiguration(
            query_parameters=params(filter="startswith(displayName,'b')")))
        assert sorted(u.display_name for u in found.value) == ["Bea B", "Bo Baas"]
        with pytest.raises(ODataError) as advanced:
            await client.users.get(RequestConfiguration(
                query_parameters=params(filter="displayName ne 'x'")))
        assert advanced.value.response_status_code == 400
        async with httpx.AsyncClient() as raw:
            answer = await raw.get(f"{server.base_url}/users")
            assert answer.status_code == 401
            assert answer.headers["WWW-Authenticate"].startswith("Bearer")


async def test_listing_users_with_department_selected_999_a_page() -> None:
    """As Entra: ``department`` only when ``$select`` asks for it (a guest's is null),
    ``$top`` at most 999, the rest behind ``@odata.nextLink``."""
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder

    many = {"users": [*cast(list[Any], NESTED["users"]), *(
        {"upn": f"m{n}@x.nl", "name": f"M {n}", "department": "Ruimte"} for n in range(1_000))]}
    async with graph_env(server_options={"directory": many}) as (server, client):
        params = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters
        plain = await client.users.get(RequestConfiguration(query_parameters=params(top=50)))
        assert plain.value is not None and len(plain.value) == 50
        assert all(u.department is None for u in plain.value)
        with pytest.raises(ODataError) as too_many:
            await client.users.get(RequestConfiguration(query_parameters=params(top=1_000)))
        assert too_many.value.response_status_code == 400
        async with httpx.AsyncClient(headers={"Authorization": "Bearer test"}) as raw:
            url: str | None = (f"{server.base_url}/users?$select=id,displayName,"
                               "userPrincipalName,department&$top=999")
            pages: list[list[dict[str, Any]]] = []
            while url:
                answer = await raw.get(url)
                assert answer.status_code == 200, answer.text
                body = answer.json()
                pages.append(body["value"])
                url = body.get("@odata.nextLink")
        assert [len(page) for page in pages] == [999, 5]
        everyone = [row for page in pages for row in page]
        assert all(set(row) == {"id", "displayName", "userPrincipalName", "department"}
                   for row in everyone)
        by_id = {row["id"]: row["department"] for row in everyone}
        assert by_id["00000000-0000-4000-8000-000000000004"] is None  # the guest
        assert sum(1 for d in by_id.values() if d == "Ruimte") == 1_000
