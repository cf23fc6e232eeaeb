"""What every PeopleDirectory (the tab's department filter and insight per department)
promises, on the canonical data of ``directory_fixture.yaml``: each person who has a
department, by object id in lower case, and nobody without one.

Run against the in-memory fake, the YAML directory (local) and Entra on the Graph test server
(graph: ``GET /users`` with ``$select`` and every ``@odata.nextLink``, through the real
msgraph-sdk), also while about one request in ten fails. Then what only Entra does: the pages
of a large tenant, the list kept for a while and refreshed in the background.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from approvals.ports import PeopleDirectory
from graph.directory import GraphDirectory
from local.directory import YamlDirectory
from tests.support.directory_kit import DATA, FIXTURE
from tests.support.directory_kit import entra_directory as seeded_entra
from tests.support.fakes import InMemoryDirectory
from tests.support.graph_fixtures import LOST_READS, one_in_ten_faults
from tests.support.graph_server import GraphServer
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS

pytestmark = SDK_IMPORT_DEPRECATIONS

EXPECTED = {str(u["oid"]).lower(): u["department"] for u in DATA["users"]
            if u.get("department")}


class PeopleDirectoryContract:
    async def make_directory(self) -> PeopleDirectory:
        raise NotImplementedError

    @pytest.fixture
    async def directory(self) -> PeopleDirectory:
        return await self.make_directory()

    async def test_everyone_with_a_department_by_object_id(
            self, directory: PeopleDirectory) -> None:
        assert dict(await directory.departments()) == EXPECTED

    async def test_it_is_a_people_directory(self, directory: PeopleDirectory) -> None:
        assert isinstance(directory, PeopleDirectory)

    async def test_asked_twice_the_same(self, directory: PeopleDirectory) -> None:
        first = dict(await directory.departments())
        assert dict(await directory.departments()) == first


# --- the backends ------------------------------------------------------------------------------


class TestInMemoryPeopleDirectory(PeopleDirectoryContract):
    async def make_directory(self) -> PeopleDirectory:
        return InMemoryDirectory.from_yaml_text(FIXTURE.read_text("utf-8"))


class TestYamlPeopleDirectory(PeopleDirectoryContract):
    async def make_directory(self) -> PeopleDirectory:
        return YamlDirectory.from_file(FIXTURE)


@pytest.fixture
async def entra_directory(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[GraphServer, GraphDirectory]]:
    async with seeded_entra(request) as found:
        yield found


class TestGraphPeopleDirectory(PeopleDirectoryContract):
    @pytest.fixture
    async def directory(
        self, entra_directory: tuple[GraphServer, GraphDirectory]
    ) -> PeopleDirectory:
        return entra_directory[1]


class TestGraphPeopleDirectoryUnderFaults(TestGraphPeopleDirectory):
    """The same answers while about one directory request in ten fails."""

    @pytest.fixture(autouse=True)
    def _faults(self, entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
        one_in_ten_faults(entra_directory[0].faults, dropped_answers=LOST_READS)


# --- only Entra --------------------------------------------------------------------------------


def _tenant_of(server: GraphServer, count: int) -> dict[str, str]:
    """``count`` more users in the tenant, one in ten without a department."""
    added: dict[str, str] = {}
    for n in range(count):
        department = "" if n % 10 == 0 else f"Afdeling {n % 7}"
        user = server.state.directory.add_user(
            {"upn": f"medewerker{n}@contractstad.nl", "name": f"Medewerker {n}",
             "department": department or None})
        if department:
            added[user.id.lower()] = department
    return added


async def test_a_tenant_of_2000_is_read_in_3_pages_of_999(
        entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
    server, directory = entra_directory
    added = _tenant_of(server, 2_000 - len(DATA["users"]))
    before = server.stats.count("GET", route="GET /users")
    assert dict(await directory.departments()) == {**EXPECTED, **added}
    assert server.stats.count("GET", route="GET /users") - before == 3
    assert directory.requests == 3


async def test_the_list_is_kept_and_refreshed_in_the_background(
        entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
    server, _ = entra_directory
    now = [0.0]
    directory = GraphDirectory(entra_directory[1].graph, tenant=DATA["tenant"],
                               clock=lambda: now[0], people_ttl_seconds=900)
    first = dict(await directory.departments())
    requests = directory.requests
    now[0] = 899.0
    assert dict(await directory.departments()) == first
    assert directory.requests == requests  # kept: no request

    added = _tenant_of(server, 3)
    now[0] = 900.0
    # stale: the list kept answers at once, a fresh one is read meanwhile
    assert dict(await directory.departments()) == first
    for _ in range(200):
        if directory.requests > requests and directory._people_load is None:
            break
        await asyncio.sleep(0.01)
    assert dict(await directory.departments()) == {**first, **added}
    assert directory.requests == requests + 1


async def test_concurrent_first_asks_share_one_read(
        entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
    _, directory = entra_directory
    answers = await asyncio.gather(*(directory.departments() for _ in range(5)))
    assert all(dict(a) == EXPECTED for a in answers)
    assert directory.requests == 1


async def test_a_failed_refresh_keeps_the_list(
        entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
    server, _ = entra_directory
    now = [0.0]
    directory = GraphDirectory(entra_directory[1].graph, tenant=DATA["tenant"],
                               clock=lambda: now[0], people_ttl_seconds=900)
    first = dict(await directory.departments())
    now[0] = 1_000.0
    refused = server.faults.error(403, code="Authorization_RequestDenied", method="GET",
                                  path="/users", times=None)
    assert dict(await directory.departments()) == first
    for _ in range(200):
        if directory._people_load is None and refused.fired:
            break
        await asyncio.sleep(0.01)
    assert refused.fired >= 1
    assert dict(await directory.departments()) == first  # the list kept still answers


async def test_a_failed_first_read_reaches_the_caller_and_is_not_kept(
        entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
    from graph.rest import GraphError

    server, directory = entra_directory
    server.faults.error(403, code="Authorization_RequestDenied", method="GET", path="/users")
    with pytest.raises(GraphError):
        await directory.departments()
    assert dict(await directory.departments()) == EXPECTED  # asked again, answered
