"""Fault injection on the Graph test server, seen through msgraph-sdk's own middleware."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphServiceClient
from msgraph.generated.models.column_definition import ColumnDefinition
from msgraph.generated.models.field_value_set import FieldValueSet
from msgraph.generated.models.list_ import List_
from msgraph.generated.models.list_item import ListItem
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.text_column import TextColumn

from tests.support.graph_server.client import graph_client
from tests.support.graph_server.faults import Faults
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env

pytestmark = [*SDK_IMPORT_DEPRECATIONS, pytest.mark.contract]

ITEMS = "/sites/*/lists/*/items"


async def events(client: GraphServiceClient, site: str) -> str:
    created = await client.sites.by_site_id(site).lists.post(List_(
        display_name="Events",
        columns=[ColumnDefinition(name="EventId", indexed=True, enforce_unique_values=True,
                                  text=TextColumn())]))
    assert created is not None and created.id
    return created.id


def new_item(event_id: str) -> ListItem:
    return ListItem(fields=FieldValueSet(additional_data={"EventId": event_id}))


async def test_429_with_retry_after_is_retried_by_the_sdk() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        items = client.sites.by_site_id(site).lists.by_list_id(await events(client, site)).items
        rule = server.faults.throttle(method="POST", path=ITEMS, retry_after=1)
        started = time.perf_counter()
        created = await items.post(new_item("ev-1"))
        assert created.id == "1" and rule.fired == 1
        assert time.perf_counter() - started >= 1.0
        assert server.stats.count("POST", ITEMS) == 2
        assert server.stats.count("POST", ITEMS, status=429) == 1

        server.faults.throttle(method="GET", path=ITEMS, retry_after=1, times=None)
        async with graph_client(server, max_retries=1) as impatient:
            with pytest.raises(ODataError) as gave_up:  # 1 try + 1 retry, then the 429 surfaces
                await impatient.sites.by_site_id(site).lists.by_list_id("Events").items.get()
        assert gave_up.value.response_status_code == 429
        assert gave_up.value.error.code == "activityLimitReached"
        assert server.stats.count("GET", ITEMS, status=429) == 2


async def test_503_and_504_are_retried() -> None:
    async with graph_env(retry_delay=0) as (server, client):
        site = client.sites.by_site_id(server.site.id)
        server.faults.unavailable(path="/sites/*", retry_after=1)
        assert (await site.get()).id == server.site.id
        server.faults.unavailable(path="/sites/*")  # no Retry-After: the SDK backs off
        assert (await site.get()).id == server.site.id
        server.faults.gateway_timeout(path="/sites/*")
        assert (await site.get()).id == server.site.id
        assert [r.status for r in server.stats.records] == [503, 200, 503, 200, 504, 200]


async def test_drop_after_applies_the_write_but_the_client_sees_a_broken_connection() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        items = client.sites.by_site_id(site).lists.by_list_id(await events(client, site)).items
        server.faults.drop_after(method="POST", path=ITEMS)
        with pytest.raises(httpx.RemoteProtocolError):
            await items.post(new_item("ev-1"))
        assert [row["EventId"] for row in server.items("Events")] == ["ev-1"]
        assert server.stats.count("POST", ITEMS) == 1  # not retried by the SDK

        retry = await _error(items.post(new_item("ev-1")))  # a blind retry hits the unique key
        assert retry.response_status_code == 409

        server.faults.drop_before(method="POST", path=ITEMS)
        with pytest.raises(httpx.RemoteProtocolError):
            await items.post(new_item("ev-2"))
        assert [row["EventId"] for row in server.items("Events")] == ["ev-1"]


async def test_forced_race_makes_a_conditional_patch_answer_412() -> None:
    async with graph_env() as (server, client):
        site = server.site.id
        items = client.sites.by_site_id(site).lists.by_list_id(await events(client, site)).items
        created = await items.post(new_item("ev-1"))
        server.faults.race(method="PATCH", path="*/fields")
        unconditional = await items.by_list_item_id("1").fields.patch(
            FieldValueSet(additional_data={"Title": "no If-Match: the race does not fire"}))
        config: RequestConfiguration[Any] = RequestConfiguration()
        config.headers.add("If-Match", unconditional.additional_data["@odata.etag"])
        lost = await _error(items.by_list_item_id("1").fields.patch(
            FieldValueSet(additional_data={"Title": "mine"}), request_configuration=config))
        assert (lost.response_status_code, lost.error.code) == (412, "preconditionFailed")
        assert server.list_item("Events", 1).version == 3  # the other writer's change
        assert created.e_tag != server.list_item("Events", 1).etag


async def test_slow_answer_and_client_timeout() -> None:
    async with graph_env(timeout=0.3) as (server, client):
        server.faults.delay(1.0, method="GET", path="/sites/*")
        with pytest.raises(httpx.ReadTimeout):
            await client.sites.by_site_id(server.site.id).get()
        server.faults.latency = 0.05
        started = time.perf_counter()
        await client.sites.by_site_id(server.site.id).get()
        assert 0.05 <= time.perf_counter() - started < 0.3


async def test_rate_and_skip_are_deterministic_with_the_seed() -> None:
    def pattern(seed: int) -> list[bool]:
        faults = Faults(seed)
        faults.throttle(path="/x", rate=0.5, times=None, skip=2)
        return [faults.decide("GET", "/x").error is not None for _ in range(30)]

    first = pattern(5)
    assert first == pattern(5) and first[:2] == [False, False]
    assert 5 < sum(first) < 25 and first != pattern(6)


async def _error(awaitable: object) -> ODataError:
    with pytest.raises(ODataError) as caught:
        await awaitable  # type: ignore[misc]
    return caught.value
