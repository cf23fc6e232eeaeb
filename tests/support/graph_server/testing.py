"""Helpers for tests that drive the Graph test server with the real msgraph-sdk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from msgraph import GraphServiceClient

from tests.support.graph_server.client import close_graph_client, make_graph_client
from tests.support.graph_server.server import GraphServer

# msgraph-sdk 1.65 warns while *importing* every request builder module (the per-builder
# configuration classes and kiota's GetQueryParameters are deprecated). With
# `filterwarnings = error` a test that touches `client.sites`, `client.users`, ... fails on
# first use unless these two are ignored.
SDK_IMPORT_DEPRECATIONS = [
    pytest.mark.filterwarnings(
        "ignore:This class is deprecated. Please use the generic RequestConfiguration"
        ":DeprecationWarning"
    ),
    pytest.mark.filterwarnings("ignore:GetQueryParameters is deprecated:DeprecationWarning"),
]

DEMO_DIRECTORY = "local/demo/directory.yaml"


@asynccontextmanager
async def graph_env(
    *, server_options: dict[str, Any] | None = None, **client_options: Any
) -> AsyncIterator[tuple[GraphServer, GraphServiceClient]]:
    """A started server and a real SDK client aimed at it; both closed afterwards."""
    options = {"seed": 7, **(server_options or {})}
    async with GraphServer(**options) as server:
        client = make_graph_client(server, **client_options)
        try:
            yield server, client
        finally:
            await close_graph_client(client)
