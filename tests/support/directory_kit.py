"""The directory contracts' canonical data (``tests/contract/directory_fixture.yaml``) and Entra
on the Graph test server seeded with it, for tests/contract/test_directory.py and
test_directory_search.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.directory import GraphDirectory
from graph.rest import Graph
from tests.support.graph_fixtures import entra_seed, fault_seed
from tests.support.graph_server import GraphServer
from tests.support.graph_server.testing import graph_env

FIXTURE = Path(__file__).resolve().parents[1] / "contract" / "directory_fixture.yaml"
DATA = yaml.safe_load(FIXTURE.read_text("utf-8"))
TENANT = DATA["tenant"]
GUEST_UPN = "e.dewit_ketenpartner.nl#EXT#@contractstad.onmicrosoft.com"


@asynccontextmanager
async def entra_directory(request: pytest.FixtureRequest, **options: Any
                          ) -> AsyncIterator[tuple[GraphServer, GraphDirectory]]:
    """Entra seeded with ``FIXTURE`` (faults seeded by the test's name) and a GraphDirectory on
    it for the fixture's tenant; ``options`` go to GraphDirectory (role groups, ...)."""
    server_options = {"seed": fault_seed(request.node.name), "directory": entra_seed(FIXTURE)}
    async with graph_env(server_options=server_options, retry_delay=0.05) as (server, client):
        yield server, GraphDirectory(Graph(client), tenant=TENANT, **options)
