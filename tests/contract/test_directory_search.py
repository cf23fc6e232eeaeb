"""What every DirectorySearch (the flow designer's picker) promises, on the canonical data of
``directory_fixture.yaml``: people, groups and roles found from the start of a name, UPN or
slug, in any case, people first, at most ``limit``; each as the assignee rule names it (a
person by UPN, a group by its slug, a role by its name).

Run against the in-memory fake, the YAML directory (local) and Entra on the Graph test server
(graph, ``$filter=startswith(...)`` through the real msgraph-sdk), also while about one
request in ten fails. A directory may find more than the start (the YAML one finds a word
inside a name too); these tests ask only what every backend answers alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest

from approvals.ports import DirectoryEntry, DirectorySearch
from graph.directory import GraphDirectory
from local.directory import YamlDirectory
from tests.support.directory_kit import DATA, FIXTURE, GUEST_UPN
from tests.support.directory_kit import entra_directory as seeded_entra
from tests.support.fakes import InMemoryDirectory
from tests.support.graph_fixtures import LOST_READS, one_in_ten_faults
from tests.support.graph_server import GraphServer
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS

pytestmark = SDK_IMPORT_DEPRECATIONS

TIM = DirectoryEntry("user", "t.groen@contractstad.nl", "Tim Groen", "Beleidsmedewerker · Ruimte")
JURISTEN = DirectoryEntry("group", "juristen", "Juridische Zaken", "juristen")
DIRECTEUR = DirectoryEntry("role", "directeur", "directeur", "")
ROLES = sorted({role for user in DATA["users"] for role in user.get("roles", [])})


def _of(kind: str, found: Sequence[DirectoryEntry]) -> list[DirectoryEntry]:
    return [entry for entry in found if entry.kind == kind]


class DirectorySearchContract:
    async def make_directory(self) -> DirectorySearch:
        raise NotImplementedError

    @pytest.fixture
    async def directory(self) -> DirectorySearch:
        return await self.make_directory()

    @pytest.mark.parametrize("text", ["t.groen", "T.GROEN@contract", "Tim", "tim g", " tim "])
    async def test_a_person_is_found_from_the_start_of_name_or_upn(
            self, directory: DirectorySearch, text: str) -> None:
        assert list(await directory.search(text, 10)) == [TIM]

    @pytest.mark.parametrize("text", ["jur", "Juridische", "JURISTEN"])
    async def test_a_group_is_found_by_name_or_slug(self, directory: DirectorySearch,
                                                    text: str) -> None:
        assert list(await directory.search(text, 10)) == [JURISTEN]

    async def test_a_guest_is_found_by_upn(self, directory: DirectorySearch) -> None:
        found = await directory.search("E.deWit", 10)
        assert [(e.kind, e.value, e.name) for e in found] == [
            ("user", GUEST_UPN, "Evi de Wit (Ketenpartner)")]

    async def test_a_role_is_found_by_name(self, directory: DirectorySearch) -> None:
        found = await directory.search("Direct", 10)
        assert _of("role", found) == [DIRECTEUR] and _of("user", found) == []

    async def test_people_come_first_then_groups_then_roles(
            self, directory: DirectorySearch) -> None:
        found = await directory.search("", 100)
        kinds = [entry.kind for entry in found]
        assert kinds == sorted(kinds, key=["user", "group", "role"].index)
        assert {e.value for e in _of("user", found)} == {u["upn"] for u in DATA["users"]}
        assert {e.value for e in _of("role", found)} == set(ROLES)
        assert JURISTEN in found

    @pytest.mark.parametrize("limit", [0, 1, 3, 10])
    async def test_no_more_than_the_limit(self, directory: DirectorySearch, limit: int) -> None:
        everything = await directory.search("", 100)
        assert list(await directory.search("", limit)) == list(everything[:limit])

    @pytest.mark.parametrize("text", ["zzz", "o'brien", "'", "a) or (1", "#EXT#x", "%"])
    async def test_what_starts_nothing_finds_nothing(self, directory: DirectorySearch,
                                                     text: str) -> None:
        assert list(await directory.search(text, 10)) == []


# --- the backends ------------------------------------------------------------------------------


class TestInMemoryDirectorySearch(DirectorySearchContract):
    async def make_directory(self) -> DirectorySearch:
        return InMemoryDirectory.from_yaml_text(FIXTURE.read_text("utf-8"))


class TestYamlDirectorySearch(DirectorySearchContract):
    async def make_directory(self) -> DirectorySearch:
        return YamlDirectory.from_file(FIXTURE)


@pytest.fixture
async def entra_directory(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[GraphServer, GraphDirectory]]:
    # the roles as a tenant configures them: each to the group entra_seed made for it
    async with seeded_entra(request, role_groups={role: role for role in ROLES}) as found:
        yield found


class TestGraphDirectorySearch(DirectorySearchContract):
    @pytest.fixture
    async def directory(
        self, entra_directory: tuple[GraphServer, GraphDirectory]
    ) -> DirectorySearch:
        return entra_directory[1]


class TestGraphDirectorySearchUnderFaults(TestGraphDirectorySearch):
    """The same answers while about one directory request in ten fails."""

    @pytest.fixture(autouse=True)
    def _faults(self, entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
        one_in_ten_faults(entra_directory[0].faults, dropped_answers=LOST_READS)


async def test_graph_asks_startswith_of_users_and_groups(
        entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
    server, directory = entra_directory
    before = server.stats.http_requests
    assert list(await directory.search("t.groen", 5)) == [TIM]
    assert server.stats.http_requests - before == 2  # users, then groups
    assert directory.requests == 2
    person = await directory.user(TIM.value)  # a person found is remembered
    assert person is not None and directory.requests == 2 and directory.hits == 1
