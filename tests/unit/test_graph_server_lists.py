"""The Graph test server's sites, lists, columns and list items, driven by the real msgraph-sdk.

Request builders are imported inside the tests: importing them warns (see
`tests.support.graph_server.testing.SDK_IMPORT_DEPRECATIONS`), which would fail collection.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphServiceClient
from msgraph.generated.models.boolean_column import BooleanColumn
from msgraph.generated.models.column_definition import ColumnDefinition
from msgraph.generated.models.date_time_column import DateTimeColumn
from msgraph.generated.models.field_value_set import FieldValueSet
from msgraph.generated.models.list_ import List_
from msgraph.generated.models.list_info import ListInfo
from msgraph.generated.models.list_item import ListItem
from msgraph.generated.models.number_column import NumberColumn
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.text_column import TextColumn
from msgraph_core.tasks.page_iterator import PageIterator

from tests.support.graph_server.server import GraphServer
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env

pytestmark = [*SDK_IMPORT_DEPRECATIONS, pytest.mark.contract]

ITEM_ETAG = re.compile(r'^"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12},(\d+)"$')
PREFER = "HonorNonIndexedQueriesWarningMayFailRandomly"


async def make_events_list(client: GraphServiceClient, site_id: str) -> str:
    created = await client.sites.by_site_id(site_id).lists.post(List_(
        display_name="Dossiergebeurtenissen",
        columns=[
            ColumnDefinition(name="EventId", indexed=True, enforce_unique_values=True,
                             text=TextColumn()),
            ColumnDefinition(name="DossierId", indexed=True, text=TextColumn()),
            ColumnDefinition(name="Seq", indexed=True, number=NumberColumn()),
            ColumnDefinition(name="EventType", text=TextColumn()),
            ColumnDefinition(name="Payload", text=TextColumn(allow_multiple_lines=True)),
            ColumnDefinition(name="At", date_time=DateTimeColumn()),
            ColumnDefinition(name="Done", boolean=BooleanColumn()),
        ],
        list_=ListInfo(template="genericList"),
    ))
    assert created is not None and created.id
    return created.id


def items_of(client: GraphServiceClient, site_id: str, list_id: str) -> Any:
    return client.sites.by_site_id(site_id).lists.by_list_id(list_id).items


def query(**params: Any) -> RequestConfiguration[Any]:
    from msgraph.generated.sites.item.lists.item.items.items_request_builder import (
        ItemsRequestBuilder,
    )

    return RequestConfiguration(
        query_parameters=ItemsRequestBuilder.ItemsRequestBuilderGetQueryParameters(**params)
    )


async def error_of(awaitable: Any) -> ODataError:
    with pytest.raises(ODataError) as caught:
        await awaitable
    return caught.value


async def test_site_by_path_root_alias_and_id() -> None:
    async with graph_env() as (server, client):
        by_path = await client.sites.by_site_id("contoso.sharepoint.com:/sites/paraaf").get()
        assert by_path is not None and by_path.id == server.site.id
        host, collection, web = by_path.id.split(",")
        assert host == "contoso.sharepoint.com" and len(collection) == len(web) == 36
        assert by_path.web_url == "https://contoso.sharepoint.com/sites/paraaf"
        assert (await client.sites.by_site_id("root:/sites/paraaf:").get()).id == by_path.id
        assert (await client.sites.by_site_id(by_path.id).get()).display_name == "paraaf"
        missing = await error_of(client.sites.by_site_id("contoso.sharepoint.com:/sites/x").get())
        assert (missing.response_status_code, missing.error.code) == (404, "itemNotFound")


async def test_create_list_with_indexed_and_unique_columns() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        lists = client.sites.by_site_id(site).lists
        fetched = await lists.by_list_id("Dossiergebeurtenissen").get()
        assert fetched.id == list_id and fetched.list_.template == "genericList"
        columns = await client.sites.by_site_id(site).lists.by_list_id(list_id).columns.get()
        by_name = {c.name: c for c in columns.value}
        event = by_name["EventId"]
        assert (event.indexed, event.enforce_unique_values, event.text.max_length) == (
            True, True, 255)
        assert by_name["Title"].required is True and by_name["Payload"].text.allow_multiple_lines
        assert by_name["Seq"].number is not None and by_name["Done"].boolean is not None

        lists = client.sites.by_site_id(site).lists
        duplicate = await error_of(lists.post(List_(display_name="dossiergebeurtenissen")))
        assert (duplicate.response_status_code, duplicate.error.code) == (409, "nameAlreadyExists")
        unique_only = await error_of(lists.post(List_(display_name="X", columns=[
            ColumnDefinition(name="K", enforce_unique_values=True, text=TextColumn())])))
        assert unique_only.response_status_code == 400
        assert "indexed" in unique_only.error.message
        note_index = await error_of(lists.by_list_id(list_id).columns.post(ColumnDefinition(
            name="Big", indexed=True, text=TextColumn(allow_multiple_lines=True))))
        assert note_index.response_status_code == 400
        assert "X" not in [s.display_name for s in (await lists.get()).value]


async def test_patch_and_delete_column() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        columns = client.sites.by_site_id(site).lists.by_list_id(list_id).columns
        event_type = next(c for c in (await columns.get()).value if c.name == "EventType")
        patched = await columns.by_column_definition_id(event_type.id).patch(
            ColumnDefinition(indexed=True))
        assert patched.indexed is True
        assert server.get_list("Dossiergebeurtenissen").columns["EventType"].indexed
        await columns.by_column_definition_id(event_type.id).delete()
        assert "EventType" not in server.get_list("Dossiergebeurtenissen").columns
        title = next(c for c in (await columns.get()).value if c.name == "Title")
        refused = await error_of(columns.by_column_definition_id(title.id).delete())
        assert refused.response_status_code == 403


async def test_items_create_read_and_conditional_patch() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        items = items_of(client, site, list_id)
        created = await items.post(ListItem(fields=FieldValueSet(additional_data={
            "Title": "Ingediend", "EventId": "ev-1", "DossierId": "d-1", "Seq": 1,
            "At": "2026-03-01T10:00:00+01:00", "Done": False, "Payload": '{"a": 1}'})))
        assert created.id == "1"
        assert ITEM_ETAG.match(created.e_tag).group(1) == "1"
        assert created.fields.additional_data["@odata.etag"] == created.e_tag
        assert created.fields.additional_data["Seq"] == 1
        assert server.list_item("Dossiergebeurtenissen", 1).fields["At"].isoformat() == (
            "2026-03-01T09:00:00+00:00")

        got = await items.by_list_item_id("1").get()
        assert got.fields is None and got.e_tag == created.e_tag
        from msgraph.generated.sites.item.lists.item.items.item import (
            list_item_item_request_builder as module,
        )

        params = module.ListItemItemRequestBuilder.ListItemItemRequestBuilderGetQueryParameters(
            expand=["fields(select=EventId,Seq)"])
        got = await items.by_list_item_id("1").get(RequestConfiguration(query_parameters=params))
        assert set(got.fields.additional_data) == {"@odata.etag", "EventId", "Seq"}

        stale = created.e_tag
        fresh: RequestConfiguration[Any] = RequestConfiguration()
        fresh.headers.add("If-Match", stale)
        fields = await items.by_list_item_id("1").fields.patch(
            FieldValueSet(additional_data={"Seq": 2}), request_configuration=fresh)
        assert ITEM_ETAG.match(fields.additional_data["@odata.etag"]).group(1) == "2"
        conflict = await error_of(items.by_list_item_id("1").fields.patch(
            FieldValueSet(additional_data={"Seq": 3}), request_configuration=fresh))
        assert (conflict.response_status_code, conflict.error.code) == (412, "preconditionFailed")
        anything: RequestConfiguration[Any] = RequestConfiguration()
        anything.headers.add("If-Match", "*")
        await items.by_list_item_id("1").fields.patch(
            FieldValueSet(additional_data={"Seq": 4}), request_configuration=anything)
        await items.by_list_item_id("1").fields.patch(FieldValueSet(additional_data={"Seq": 5}))
        assert server.items("Dossiergebeurtenissen")[0]["Seq"] == 5
        assert ITEM_ETAG.match(server.items("Dossiergebeurtenissen")[0]["eTag"]).group(1) == "4"

        unknown = await error_of(items.post(ListItem(fields=FieldValueSet(
            additional_data={"Nope": 1}))))
        assert unknown.response_status_code == 400
        await items.by_list_item_id("1").delete()
        gone = await error_of(items.by_list_item_id("1").get())
        assert (gone.response_status_code, gone.error.code) == (404, "itemNotFound")


async def test_etag_header_and_raw_shapes() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        await items_of(client, site, list_id).post(ListItem(fields=FieldValueSet(
            additional_data={"EventId": "ev-1"})))
        async with httpx.AsyncClient() as raw:
            url = f"{server.base_url}/sites/{site}/lists/{list_id}/items/1?expand=fields"
            answer = await raw.get(url, headers={"Authorization": "Bearer x"})
            assert answer.status_code == 200
            body = answer.json()
            assert answer.headers["ETag"] == body["eTag"] == body["fields"]["@odata.etag"]
            assert answer.headers["Content-Type"].startswith("application/json;odata.metadata")
            assert "request-id" in answer.headers and body["@odata.context"].startswith(
                server.base_url + "/$metadata#")
            auth = {"Authorization": "Bearer x"}
            site_only = await raw.get(f"{server.base_url}/sites/{site}?$select=id,displayName",
                                      headers=auth)
            assert set(site_only.json()) == {"@odata.context", "id", "displayName"}
            selected = await raw.get(f"{server.base_url}/sites/{site}/lists/{list_id}/items"
                                     "?$select=id&$expand=fields(select=EventId)", headers=auth)
            assert selected.json()["value"] == [{"@odata.etag": body["eTag"], "id": "1",
                                                 "fields": {"@odata.etag": body["eTag"],
                                                            "EventId": "ev-1"}}]
            bogus = await raw.get(f"{server.base_url}/sites/{site}/bogus/x", headers=auth)
            assert bogus.status_code == 400
            assert bogus.json()["error"]["message"] == "Resource not found for the segment 'bogus'."
            refused = await raw.get(url)
            assert refused.status_code == 401
            assert refused.json()["error"]["code"] == "InvalidAuthenticationToken"
            assert "innerError" in refused.json()["error"]


async def test_unique_values_are_enforced() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        items = items_of(client, site, await make_events_list(client, site))
        await items.post(ListItem(fields=FieldValueSet(additional_data={"EventId": "ev-1"})))
        second = await items.post(ListItem(fields=FieldValueSet(
            additional_data={"EventId": "ev-2"})))
        duplicate = await error_of(items.post(ListItem(fields=FieldValueSet(
            additional_data={"EventId": "EV-1"}))))
        assert (duplicate.response_status_code, duplicate.error.code) == (409, "nameAlreadyExists")
        assert "[EventId]" in duplicate.error.message
        renamed = await error_of(items.by_list_item_id(second.id).fields.patch(
            FieldValueSet(additional_data={"EventId": "ev-1"})))
        assert renamed.response_status_code == 409
        assert [row["EventId"] for row in server.items("Dossiergebeurtenissen")] == [
            "ev-1", "ev-2"]


async def test_filter_needs_an_index_or_the_prefer_header() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        server.add_items("Dossiergebeurtenissen", [
            {"EventId": f"ev-{n}", "DossierId": f"d-{n % 3}", "Seq": n,
             "EventType": "advies" if n % 2 else "paraaf"} for n in range(1, 13)])
        items = items_of(client, site, list_id)
        indexed = await items.get(query(filter="fields/DossierId eq 'd-1' and fields/Seq ge 4",
                                        expand=["fields"], orderby=["fields/Seq desc"]))
        assert [i.fields.additional_data["Seq"] for i in indexed.value] == [10, 7, 4]
        refused = await error_of(items.get(query(filter="fields/EventType eq 'advies'")))
        assert refused.response_status_code == 400
        assert "is not indexed" in refused.error.message and PREFER in refused.error.message
        sorted_refused = await error_of(items.get(query(orderby=["fields/EventType"])))
        assert sorted_refused.response_status_code == 400
        honoured = query(filter="fields/EventType eq 'advies' and startswith(fields/EventId,"
                                "'ev-1')", expand=["fields(select=Seq)"])
        honoured.headers.add("Prefer", PREFER)
        found = await items.get(honoured)
        assert sorted(i.fields.additional_data["Seq"] for i in found.value) == [1, 11]
        ne = await items.get(query(filter="fields/Seq lt 3 or fields/DossierId ne 'd-0'"))
        assert len(ne.value) == 8


async def test_list_view_threshold_fails_non_indexed_queries_even_when_preferred() -> None:
    async with graph_env(max_retries=0) as (server, client):
        server.config.list_view_threshold = 50  # the service's is 5,000
        site = server.site.id
        list_id = await make_events_list(client, site)
        server.add_items("Dossiergebeurtenissen", [
            {"EventId": f"ev-{n}", "EventType": "x", "Seq": n} for n in range(60)])
        items = items_of(client, site, list_id)
        honoured = query(filter="fields/EventType eq 'x'")
        honoured.headers.add("Prefer", PREFER)
        over = await error_of(items.get(honoured))
        assert (over.response_status_code, over.error.code) == (429, "activityLimitReached")
        server.config.threshold_status = 500
        assert (await error_of(items.get(honoured))).response_status_code == 500
        fine = await items.get(query(filter="fields/Seq ge 55", top=100))
        assert len(fine.value) == 5


async def test_paging_250_items_with_top_100_and_page_iterator() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        server.add_items("Dossiergebeurtenissen",
                         [{"EventId": f"ev-{n}", "Seq": n} for n in range(250)])
        server.stats.reset()
        first = await items_of(client, site, list_id).get(query(top=100,
                                                               expand=["fields(select=Seq)"]))
        assert first.odata_next_link.startswith(server.base_url + "/sites/")
        assert "$skiptoken=" in first.odata_next_link
        seen: list[int] = []
        iterator = PageIterator(first, client.request_adapter)

        def collect(item: ListItem) -> bool:
            seen.append(item.fields.additional_data["Seq"])
            return True

        await iterator.iterate(collect)
        assert seen == list(range(250))
        assert server.stats.count("GET", "/sites/*/items") == 3

        # Graph's default page for list items is 200 (read raw: the SDK parses ~6 ms per item)
        async with httpx.AsyncClient() as raw:
            answer = await raw.get(f"{server.base_url}/sites/{site}/lists/{list_id}/items",
                                   headers={"Authorization": "Bearer x"})
            assert len(answer.json()["value"]) == 200


async def test_list_items_have_no_count() -> None:
    """Graph answers `$count` on list items with 400 (even with `ConsistencyLevel:
    eventual`), and `items/$count` with 404: a count means reading every page."""
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        server.add_items("Dossiergebeurtenissen", [{"EventId": f"ev-{n}"} for n in range(3)])
        url = f"{server.base_url}/sites/{site}/lists/{list_id}/items"
        async with httpx.AsyncClient() as raw:
            for params in ({"$count": "true"}, {"$count": "true", "$top": "1"}):
                answer = await raw.get(url, params=params, headers={
                    "Authorization": "Bearer x", "ConsistencyLevel": "eventual"})
                assert answer.status_code == 400
                assert "$count is not supported" in answer.json()["error"]["message"]
            answer = await raw.get(url + "/$count", headers={"Authorization": "Bearer x"})
            assert answer.status_code == 404
            answer = await raw.get(url, params={"$top": "2"},
                                   headers={"Authorization": "Bearer x"})
            assert answer.status_code == 200 and "@odata.count" not in answer.json()


async def test_a_skiptoken_the_server_did_not_hand_out_is_refused() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        server.add_items("Dossiergebeurtenissen", [{"EventId": f"ev-{n}"} for n in range(3)])
        url = f"{server.base_url}/sites/{site}/lists/{list_id}/items"
        async with httpx.AsyncClient() as raw:
            first = (await raw.get(url, params={"$top": "2"},
                                   headers={"Authorization": "Bearer x"})).json()
            answer = await raw.get(first["@odata.nextLink"], headers={"Authorization": "Bearer x"})
            assert answer.status_code == 200 and len(answer.json()["value"]) == 1
            for token in ("%%%", "UGFnZWQ9VFJVRSZwX0lEPXg", "bm90IGEgdG9rZW4"):
                answer = await raw.get(url, params={"$top": "2", "$skiptoken": token},
                                       headers={"Authorization": "Bearer x"})
                assert answer.status_code == 400, token


async def test_list_by_title_and_filter_lists(tmp_path: Any) -> None:
    async with GraphServer(seed=3, sites=("/sites/a", "/sites/b")) as server:
        assert [s.path for s in server.sites] == ["/sites/a", "/sites/b"]
        assert server.get_list("Documents").template == "documentLibrary"
        assert server.site.web_url.endswith("/sites/a")
