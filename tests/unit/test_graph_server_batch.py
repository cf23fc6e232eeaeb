"""`$batch` on the Graph test server, sent the way msgraph-sdk can send it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from msgraph import GraphServiceClient
from msgraph.generated.models.column_definition import ColumnDefinition
from msgraph.generated.models.field_value_set import FieldValueSet
from msgraph.generated.models.list_ import List_
from msgraph.generated.models.list_item import ListItem
from msgraph.generated.models.text_column import TextColumn
from msgraph_core.requests.batch_request_content import BatchRequestContent
from msgraph_core.requests.batch_request_item import BatchRequestItem

from tests.support.graph_server.server import GraphServer
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env

pytestmark = [*SDK_IMPORT_DEPRECATIONS, pytest.mark.contract]


async def events_list(client: GraphServiceClient, site: str) -> str:
    created = await client.sites.by_site_id(site).lists.post(List_(
        display_name="Events",
        columns=[ColumnDefinition(name="EventId", indexed=True, enforce_unique_values=True,
                                  text=TextColumn())]))
    assert created is not None and created.id
    return created.id


async def send_batch(client: GraphServiceClient, batch: BatchRequestContent) -> dict[str, Any]:
    """FACTS: `client.batch.post` drops every body; build, send bytes, parse JSON ourselves."""
    info = await client.batch.to_post_request_information(batch)
    raw = await client.request_adapter.send_primitive_async(info, "bytes", {})
    assert isinstance(raw, bytes)
    parsed: dict[str, Any] = json.loads(raw)
    return parsed


async def test_batch_of_twenty_creates_and_answers_each_part() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await events_list(client, site)
        items = client.sites.by_site_id(site).lists.by_list_id(list_id).items
        batch = BatchRequestContent()
        for n in range(19):
            info = items.to_post_request_information(ListItem(fields=FieldValueSet(
                additional_data={"EventId": f"ev-{n}"})))
            batch.add_request(None, BatchRequestItem(info, id=str(n)))
        duplicate = items.to_post_request_information(ListItem(fields=FieldValueSet(
            additional_data={"EventId": "ev-0"})))
        batch.add_request(None, BatchRequestItem(duplicate, id="dup", depends_on=["0"]))
        server.stats.reset()
        answer = await send_batch(client, batch)

        by_id = {part["id"]: part for part in answer["responses"]}
        assert len(by_id) == 20
        # `depends_on` (what the SDK writes) is not `dependsOn`: the duplicate may run first
        statuses = sorted(part["status"] for part in by_id.values())
        assert statuses == [201] * 19 + [409]
        created = next(p for p in by_id.values() if p["status"] == 201)
        assert created["body"]["fields"]["@odata.etag"] == created["body"]["eTag"]
        assert created["headers"]["ETag"] == created["body"]["eTag"]
        conflict = next(p for p in by_id.values() if p["status"] == 409)
        assert conflict["body"]["error"]["code"] == "nameAlreadyExists"
        assert len(server.items("Events")) == 19
        assert (server.stats.http_requests, server.stats.operations) == (1, 20)
        assert server.stats.count("POST", "/sites/*/items", include_batch=False) == 0


async def test_batch_limits_depends_on_and_throttled_parts() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        list_id = await events_list(client, site)
        batch = BatchRequestContent()
        for n in range(20):
            batch.add_request(str(n), BatchRequestItem(
                client.sites.by_site_id(site).to_get_request_information()))
        with pytest.raises(RuntimeError):  # the SDK refuses a 21st request itself
            batch.add_request("20", BatchRequestItem(
                client.sites.by_site_id(site).to_get_request_information()))

        url = f"/sites/{site}/lists/{list_id}/items"
        parts: list[dict[str, Any]] = [{"id": str(n), "method": "GET", "url": url}
                                       for n in range(21)]
        async with httpx.AsyncClient(headers={"Authorization": "Bearer x"}) as raw:
            too_many = await raw.post(f"{server.base_url}/$batch", json={"requests": parts})
            assert too_many.status_code == 400
            assert too_many.json()["error"]["code"] == "BadRequest"

            server.faults.throttle(method="POST", path="*/items", retry_after=7)
            sequenced = [
                {"id": "a", "method": "POST", "url": url, "headers": {
                    "Content-Type": "application/json"}, "body": {"fields": {"EventId": "x"}}},
                {"id": "b", "method": "POST", "url": url, "dependsOn": ["a"],
                 "headers": {"Content-Type": "application/json"},
                 "body": {"fields": {"EventId": "y"}}},
                {"id": "c", "method": "GET", "url": url + "?$top=1", "dependsOn": ["a"]},
            ]
            answer = await raw.post(f"{server.base_url}/$batch", json={"requests": sequenced})
            assert answer.status_code == 200
            by_id = {p["id"]: p for p in answer.json()["responses"]}
            assert by_id["a"]["status"] == 429 and by_id["a"]["headers"]["Retry-After"] == "7"
            assert by_id["b"]["status"] == by_id["c"]["status"] == 424
            assert server.items("Events") == []


async def test_batch_order_follows_the_seed() -> None:
    orders = []
    for _ in range(2):
        async with GraphServer(seed=11) as server, httpx.AsyncClient(
                headers={"Authorization": "Bearer x"}) as raw:
            parts = [{"id": str(n), "method": "GET", "url": f"/sites/{server.site.id}"}
                     for n in range(10)]
            answer = await raw.post(f"{server.base_url}/$batch", json={"requests": parts})
            orders.append([p["id"] for p in answer.json()["responses"]])
    assert orders[0] == orders[1] and orders[0] != [str(n) for n in range(10)]


async def test_batch_body_requires_content_type() -> None:
    async with GraphServer() as server, httpx.AsyncClient(
            headers={"Authorization": "Bearer x"}) as raw:
        part = {"id": "1", "method": "POST", "url": f"/sites/{server.site.id}/lists",
                "body": {"displayName": "X"}}
        answer = await raw.post(f"{server.base_url}/$batch", json={"requests": [part]})
        assert answer.status_code == 400
