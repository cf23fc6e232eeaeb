"""The Graph test server's `items/delta`, driven by the real msgraph-sdk: the changes since a
token (each changed item once, in its latest state; deleted ones as `@removed`), pages joined
by `@odata.nextLink` with the `@odata.deltaLink` on the last, `token=latest`, and 410 Gone for
a token it does not know (never issued, or expired).

Request builders are imported inside the tests (see tests.support.graph_server.testing).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from msgraph import GraphServiceClient
from msgraph.generated.models.field_value_set import FieldValueSet
from msgraph.generated.models.list_item import ListItem
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from graph.rest import Graph, GraphError
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env
from tests.unit.test_graph_server_lists import items_of, make_events_list

pytestmark = [*SDK_IMPORT_DEPRECATIONS, pytest.mark.contract]


async def _add(client: GraphServiceClient, site: str, list_id: str, n: int) -> str:
    item = await items_of(client, site, list_id).post(ListItem(fields=FieldValueSet(
        additional_data={"EventId": f"E-{n}", "DossierId": "D-1", "Seq": n})))
    assert item is not None and item.id
    return item.id


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def _all(graph: Graph, link: str) -> tuple[list[dict[str, Any]], str, int]:
    """Every change at ``link``, following the page links: (values, delta link, pages)."""
    values: list[dict[str, Any]] = []
    pages = 0
    url: str | None = link
    while True:
        page = await graph.request("GET", str(url))
        pages += 1
        values += page["value"]
        url = page.get("@odata.nextLink")
        if url is None:
            return values, page["@odata.deltaLink"], pages


async def test_latest_then_only_what_changed_since() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        kept = await _add(client, site, list_id, 1)
        changed = await _add(client, site, list_id, 2)
        gone = await _add(client, site, list_id, 3)
        builder = items_of(client, site, list_id)
        # token=latest: nothing, and where the changes from now on will be
        latest = await builder.delta_with_token("latest").get()
        assert latest is not None and latest.value == [] and latest.odata_delta_link
        assert latest.odata_next_link is None
        # nothing changed yet: an empty page with a new delta link
        graph = Graph(client)
        values, link, _ = await _all(graph, latest.odata_delta_link)
        assert values == [] and _token(link) != _token(latest.odata_delta_link)
        # a new item, a changed one (twice: it comes once, as it is now), a deleted one
        new = await _add(client, site, list_id, 4)
        for seq in (20, 21):
            await builder.by_list_item_id(changed).fields.patch(
                FieldValueSet(additional_data={"Seq": seq}))
        await builder.by_list_item_id(gone).delete()
        values, after, _ = await _all(graph, link + "&expand=fields(select=Seq)")
        by_id = {v["id"]: v for v in values}
        assert sorted(by_id) == sorted([changed, gone, new]) and len(values) == 3
        assert kept not in by_id
        assert by_id[changed]["fields"]["Seq"] == 21
        assert by_id[new]["fields"]["Seq"] == 4
        assert by_id[gone]["@removed"] == {"reason": "deleted"} and "fields" not in by_id[gone]
        # the links keep the request's options
        assert "expand=fields(select=Seq)" in after
        values, _, _ = await _all(graph, after)
        assert values == []


async def test_without_a_token_the_whole_list_comes_in_pages() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        ids = [await _add(client, site, list_id, n) for n in range(5)]
        first = await items_of(client, site, list_id).delta.get()  # the SDK's own builder
        assert first is not None and [i.id for i in first.value or []] == ids
        assert first.odata_delta_link
        graph = Graph(client)
        path = f"/sites/{site}/lists/{list_id}/items/delta?$top=2"
        values, link, pages = await _all(graph, path)
        assert [v["id"] for v in values] == ids and pages == 3
        await _add(client, site, list_id, 9)
        values, _, _ = await _all(graph, link)
        assert len(values) == 1


async def test_an_unknown_or_expired_token_is_gone() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await make_events_list(client, site)
        builder = items_of(client, site, list_id)
        with pytest.raises(ODataError) as caught:
            await builder.delta_with_token("not-a-token").get()
        assert caught.value.response_status_code == 410
        graph = Graph(client)
        latest = await graph.request("GET", f"/sites/{site}/lists/{list_id}/items/delta"
                                            "?token=latest")
        link = latest["@odata.deltaLink"]
        assert (await graph.request("GET", link))["value"] == []
        server.expire_delta_tokens("Dossiergebeurtenissen")
        with pytest.raises(GraphError) as gone:
            await graph.request("GET", link)
        assert (gone.value.status, gone.value.code) == (410, "resyncRequired")

