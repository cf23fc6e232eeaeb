"""What every Directory promises, checked on the canonical data of ``directory_fixture.yaml``;
run against each backend: the in-memory fake, a YAML file (local), and Entra on the Graph test
server (graph) driven by the real msgraph-sdk, also while about one request in ten fails; plus
what only the Graph adapter has to get right: caching, guests, mapping roles to groups.

A backend is a subclass of :class:`DirectoryContract` below that implements ``make_directory``,
loading (or seeding its fake server from) ``FIXTURE``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from approvals.ports import Directory
from graph.directory import GraphDirectory
from graph.rest import Graph, GraphError, GraphUnavailable
from graph.retry import ATTEMPTS
from local.directory import YamlDirectory
from tests.support.directory_kit import DATA, FIXTURE, GUEST_UPN, TENANT
from tests.support.directory_kit import entra_directory as seeded_entra
from tests.support.fakes import InMemoryDirectory
from tests.support.graph_fixtures import LOST_READS, entra_seed, one_in_ten_faults
from tests.support.graph_server import GraphServer
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env

pytestmark = SDK_IMPORT_DEPRECATIONS


OID = {u["upn"]: u["oid"] for u in DATA["users"]}

TIM, SARA, HENK, DIRK = (OID[f"{n}@contractstad.nl"]
                         for n in ("t.groen", "s.blom", "h.kramer", "d.prins"))
ANS, BURAK, FLOOR, BEA = (OID[f"{n}@contractstad.nl"]
                          for n in ("a.claes", "b.aydin", "f.vermeulen", "beheer"))
EVI = OID[GUEST_UPN]


class DirectoryContract:
    async def make_directory(self, fixture: Path) -> Directory:
        raise NotImplementedError

    @pytest.fixture
    async def directory(self) -> Directory:
        return await self.make_directory(FIXTURE)

    @pytest.mark.parametrize("key", [
        TIM, TIM.upper(), "t.groen@contractstad.nl", "  T.Groen@ContractStad.NL ",
    ])
    async def test_a_user_is_found_by_oid_or_upn(self, directory: Directory, key: str) -> None:
        person = await directory.user(key)
        assert person is not None
        assert (person.oid, person.upn, person.name, person.tenant) == (
            TIM, "t.groen@contractstad.nl", "Tim Groen", TENANT)

    @pytest.mark.parametrize("key", [GUEST_UPN, GUEST_UPN.upper(), "e.dewit@ketenpartner.nl",
                                     " E.deWit@Ketenpartner.nl"])
    async def test_a_guest_is_found_by_upn_or_mail(self, directory: Directory, key: str) -> None:
        person = await directory.user(key)
        assert person is not None and (person.oid, person.name) == (EVI,
                                                                    "Evi de Wit (Ketenpartner)")

    @pytest.mark.parametrize("key", ["", "   ", "onbekend@contractstad.nl",
                                     "00000000-0000-0000-0000-000000000000", "Tim Groen"])
    async def test_an_unknown_user_is_none(self, directory: Directory, key: str) -> None:
        assert await directory.user(key) is None

    async def test_the_manager_chain(self, directory: Directory) -> None:
        chain = []
        current = await directory.user(TIM)
        while current is not None:
            current = await directory.manager(current.oid)
            if current is not None:
                chain.append(current.oid)
        assert chain == [SARA, HENK, DIRK]

    async def test_no_manager(self, directory: Directory) -> None:
        assert await directory.manager(DIRK) is None
        assert await directory.manager(EVI) is None
        assert await directory.manager("00000000-0000-0000-0000-000000000000") is None

    async def test_group_members_are_transitive_unique_and_by_name(
        self, directory: Directory
    ) -> None:
        members = await directory.group_members("adviseurs")
        assert [p.oid for p in members] == [ANS, BURAK, EVI, FLOOR]
        assert all(p.tenant == TENANT for p in members)
        assert [p.oid for p in await directory.group_members("juristen")] == [ANS, BURAK, EVI]
        assert [p.oid for p in await directory.group_members("extern")] == [EVI]

    async def test_empty_and_unknown_groups_have_no_members(self, directory: Directory) -> None:
        assert list(await directory.group_members("leeg")) == []
        assert list(await directory.group_members("bestaat-niet")) == []

    async def test_role_members(self, directory: Directory) -> None:
        assert [p.oid for p in await directory.role_members("directeur")] == [DIRK]
        assert [p.oid for p in await directory.role_members("afdelingshoofd")] == [HENK]
        assert list(await directory.role_members("wethouder")) == []

    async def test_only_the_beheerder_is_admin(self, directory: Directory) -> None:
        assert await directory.is_admin(BEA) is True
        for oid in (TIM, DIRK, EVI, "00000000-0000-0000-0000-000000000000"):
            assert await directory.is_admin(oid) is False

    async def test_the_beheerders_are_listed(self, directory: Directory) -> None:
        assert [p.oid for p in await directory.list_admins()] == [BEA]

    async def test_only_the_b2b_guest_is_a_guest(self, directory: Directory) -> None:
        assert await directory.is_guest(EVI) is True
        for oid in (TIM, DIRK, BEA, "00000000-0000-0000-0000-000000000000"):
            assert await directory.is_guest(oid) is False


# --- the backends ------------------------------------------------------------------------------


class TestInMemoryDirectory(DirectoryContract):
    async def make_directory(self, fixture: Path) -> Directory:
        return InMemoryDirectory.from_yaml_text(fixture.read_text("utf-8"))


class TestYamlDirectory(DirectoryContract):
    async def make_directory(self, fixture: Path) -> Directory:
        return YamlDirectory.from_file(fixture)


@pytest.fixture
async def entra_directory(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[GraphServer, GraphDirectory]]:
    async with seeded_entra(request) as found:
        yield found


class TestGraphDirectory(DirectoryContract):
    @pytest.fixture
    async def directory(
        self, entra_directory: tuple[GraphServer, GraphDirectory]
    ) -> Directory:
        return entra_directory[1]


class TestGraphDirectoryUnderFaults(TestGraphDirectory):
    """The same answers while about one directory request in ten fails."""

    @pytest.fixture(autouse=True)
    def _faults(self, entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
        one_in_ten_faults(entra_directory[0].faults, dropped_answers=LOST_READS)


# --- directory: caching, guests, mapping ----------------------------------------------------


@pytest.fixture
async def entra_server() -> AsyncIterator[tuple[GraphServer, Graph]]:
    async with graph_env(server_options={"directory": entra_seed(FIXTURE)}) as (server, client):
        yield server, Graph(client)


async def test_every_lookup_is_cached(entra_server: tuple[GraphServer, Graph]) -> None:
    server, graph = entra_server
    directory = GraphDirectory(graph, tenant=TENANT)
    tim = await directory.user("t.groen@contractstad.nl")
    assert tim is not None and await directory.user(TIM) == tim  # cached under its oid too
    await directory.manager(TIM)
    await directory.group_members("juristen")
    await directory.is_admin(BEA)
    before = server.stats.http_requests
    assert directory.requests == before
    for _ in range(3):
        assert await directory.user("T.Groen@contractstad.nl") == tim
        assert (await directory.manager(TIM)) is not None
        assert len(await directory.group_members("juristen")) == 3
        assert await directory.is_admin(BEA) is True
    assert server.stats.http_requests == before
    assert directory.hits >= 12


async def test_entries_expire_and_misses_expire_sooner(
    entra_server: tuple[GraphServer, Graph],
) -> None:
    server, graph = entra_server
    now = [0.0]
    directory = GraphDirectory(graph, ttl_seconds=300, negative_ttl_seconds=30,
                               clock=lambda: now[0])
    assert await directory.user("nieuw@contractstad.nl") is None
    server.directory.add_user({"oid": "5d2a7c3e-1111-4a5b-8c9d-0e1f2a3b4c5d",
                               "upn": "nieuw@contractstad.nl", "name": "Nina Nieuw"})
    now[0] = 29
    assert await directory.user("nieuw@contractstad.nl") is None  # the miss is still cached
    now[0] = 31
    assert (await directory.user("nieuw@contractstad.nl")) is not None
    requests = directory.requests
    now[0] = 31 + 299
    await directory.user("nieuw@contractstad.nl")
    assert directory.requests == requests
    now[0] = 31 + 301
    await directory.user("nieuw@contractstad.nl")
    assert directory.requests == requests + 1


async def test_an_error_is_not_remembered_as_a_miss(
    entra_server: tuple[GraphServer, Graph],
) -> None:
    server, graph = entra_server
    directory = GraphDirectory(graph, tenant=TENANT)
    server.faults.error(500, path="/users/*", times=1)
    with pytest.raises(GraphError):
        await directory.user(TIM)
    found = await directory.user(TIM)
    assert found is not None and found.oid == TIM
    dropped = server.faults.drop_before(path="/groups*", times=None)
    with pytest.raises(GraphUnavailable):
        await directory.group_members("juristen")
    assert dropped.fired == ATTEMPTS  # sent again a few times, then given up
    server.faults.clear()
    assert len(await directory.group_members("juristen")) == 3
    server.faults.drop_before(path="/users/*/manager", times=2)  # sent again: answered
    assert (await directory.manager(TIM)) is not None


async def test_concurrent_lookups_share_one_request(
    entra_server: tuple[GraphServer, Graph],
) -> None:
    server, graph = entra_server
    server.faults.delay(0.05, path="/groups/*")
    directory = GraphDirectory(graph)
    results = await asyncio.gather(*(directory.group_members("adviseurs") for _ in range(20)))
    assert all(r == results[0] and len(r) == 4 for r in results)
    assert directory.requests == 2  # the slug, then the members


async def test_roles_and_admins_map_to_configured_groups(
    entra_server: tuple[GraphServer, Graph],
) -> None:
    server, graph = entra_server
    directory = GraphDirectory(graph, role_groups={"Directeur": "afdelingshoofd",
                                                   "jurist": server.directory.group_id("juristen")},
                               admin_group="juristen")
    assert [p.oid for p in await directory.role_members("directeur")] == [HENK]
    assert len(await directory.role_members("jurist")) == 3
    assert [p.oid for p in await directory.role_members("afdelingshoofd")] == [HENK]
    assert await directory.is_admin(ANS) is True
    assert await directory.is_admin(BEA) is False


async def test_a_guest_is_a_person_like_any_other(entra_server: tuple[GraphServer, Graph]) -> None:
    _, graph = entra_server
    directory = GraphDirectory(graph, tenant=TENANT)
    guest = await directory.user(EVI)
    assert guest is not None and "#EXT#" in guest.upn and guest.tenant == TENANT
    assert EVI in [p.oid for p in await directory.group_members("adviseurs")]
    assert await directory.manager(DIRK) is None


async def test_large_groups_are_read_page_by_page() -> None:
    users = [{"oid": f"0000aaaa-0000-4000-8000-{n:012d}", "upn": f"u{n}@contractstad.nl",
              "name": f"Medewerker {n:04d}"} for n in range(1200)]
    seed = {"users": users, "groups": [{"id": "iedereen", "members": [u["upn"] for u in users]}]}
    async with graph_env(server_options={"directory": seed}) as (_, client):
        directory = GraphDirectory(Graph(client))
        members = await directory.group_members("iedereen")
        assert len(members) == 1200 and members[0].name == "Medewerker 0000"
        assert directory.requests == 3  # the slug, then two pages


async def test_a_page_that_fails_is_not_remembered_as_an_empty_group() -> None:
    users = [{"oid": f"0000aaaa-0000-4000-8000-{n:012d}", "upn": f"u{n}@contractstad.nl",
              "name": f"Medewerker {n:04d}"} for n in range(1200)]
    seed = {"users": users, "groups": [{"id": "iedereen", "members": [u["upn"] for u in users]}]}
    async with graph_env(server_options={"directory": seed}) as (server, client):
        directory = GraphDirectory(Graph(client))
        server.faults.error(404, path="/groups/*/transitiveMembers*", skip=1)
        with pytest.raises(GraphError):
            await directory.group_members("iedereen")
        assert len(await directory.group_members("iedereen")) == 1200
