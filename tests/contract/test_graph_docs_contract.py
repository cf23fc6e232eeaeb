"""The DocumentStore and Directory contracts against Microsoft Graph, on the Graph test server
driven by the real msgraph-sdk, also while about one request in ten fails; plus what only the
Graph adapters have to get right: upload sessions, grants that keep the library's permissions,
caches and request counts."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from approvals.access import Access, Level
from approvals.errors import InvalidInput
from approvals.identity import Person
from approvals.ports import Directory, DocumentStore
from graph.directory import GraphDirectory
from graph.documents import FRAGMENT, GraphDocumentStore
from graph.rest import Graph, GraphError, GraphUnavailable
from graph.retry import ATTEMPTS
from tests.contract.directory_contract import (
    ANS,
    BEA,
    DIRK,
    EVI,
    FIXTURE,
    HENK,
    TENANT,
    TIM,
    DirectoryContract,
)
from tests.contract.document_store_contract import DocumentStoreContract, comment, wanted
from tests.support.contract_kit import ANNA, BART, CHRIS
from tests.support.docx_kit import EVI_REMARK, TWO_AUTHORS, docx_with_comments
from tests.support.graph_fixtures import DROPPED_ANSWERS, LOST_READS, fault_seed, one_in_ten_faults
from tests.support.graph_server import GraphServer
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env

pytestmark = SDK_IMPORT_DEPRECATIONS

LIBRARY = "Dossierstukken"
DOCUMENT_USERS = {"users": [{"oid": p.oid, "upn": p.upn, "name": p.name}
                            for p in (ANNA, BART, CHRIS)]}


def entra_seed(fixture: Path, admin_group: str = "paraaf-beheerders") -> dict[str, Any]:
    """The directory fixture as Entra holds it: nested groups as members, and a group per
    role and for the beheerders (Entra has no roles or admin flags on users)."""
    data = yaml.safe_load(fixture.read_text("utf-8"))
    groups = [{"id": g["id"], "name": g.get("name", g["id"]),
               "members": [*g.get("members", []), *g.get("groups", [])]}
              for g in data.get("groups", [])]
    roles: dict[str, list[str]] = {}
    for user in data["users"]:
        for role in user.get("roles", []):
            roles.setdefault(role, []).append(user["upn"])
    groups += [{"id": role, "name": role.capitalize(), "members": upns}
               for role, upns in roles.items()]
    groups.append({"id": admin_group, "name": "paraaf beheerders",
                   "members": [u["upn"] for u in data["users"] if u.get("admin")]})
    return {"users": data["users"], "groups": groups}


async def document_store(server: GraphServer, graph: Graph, **options: Any) -> GraphDocumentStore:
    """A store on a fresh Dossierstukken library (as ``paraaf provision`` creates it)."""
    await graph.request("POST", f"/sites/{server.site.id}/lists",
                        {"displayName": LIBRARY, "list": {"template": "documentLibrary"}})
    return GraphDocumentStore(graph, server.site.id, LIBRARY, **options)


@pytest.fixture
async def graph_docs(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[GraphServer, GraphDocumentStore]]:
    server_options = {"seed": fault_seed(request.node.name), "directory": DOCUMENT_USERS}
    async with graph_env(server_options=server_options, retry_delay=0.05) as (server, client):
        yield server, await document_store(server, Graph(client))


class TestGraphDocumentStore(DocumentStoreContract):
    @pytest.fixture
    async def documents(  # type: ignore[override]
        self, graph_docs: tuple[GraphServer, GraphDocumentStore]
    ) -> DocumentStore:
        return graph_docs[1]


class TestGraphDocumentStoreUnderFaults(TestGraphDocumentStore):
    """The same promises while about one request in ten fails; uploads (PUT) and reads may
    lose their answer after they were applied, as creates and updates may."""

    @pytest.fixture(autouse=True)
    def _faults(self, graph_docs: tuple[GraphServer, GraphDocumentStore]) -> None:
        one_in_ten_faults(graph_docs[0].faults,
                          dropped_answers={**DROPPED_ANSWERS, "PUT": 0.05, **LOST_READS})


@pytest.fixture
async def entra_directory(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[GraphServer, GraphDirectory]]:
    server_options = {"seed": fault_seed(request.node.name), "directory": entra_seed(FIXTURE)}
    async with graph_env(server_options=server_options, retry_delay=0.05) as (server, client):
        yield server, GraphDirectory(Graph(client), tenant=TENANT)


class TestGraphDirectory(DirectoryContract):
    @pytest.fixture
    async def directory(  # type: ignore[override]
        self, entra_directory: tuple[GraphServer, GraphDirectory]
    ) -> Directory:
        return entra_directory[1]


class TestGraphDirectoryUnderFaults(TestGraphDirectory):
    """The same answers while about one directory request in ten fails."""

    @pytest.fixture(autouse=True)
    def _faults(self, entra_directory: tuple[GraphServer, GraphDirectory]) -> None:
        one_in_ten_faults(entra_directory[0].faults, dropped_answers=LOST_READS)


# --- documents: what only Graph has to get right --------------------------------------------


async def test_a_document_above_4_mb_goes_through_an_upload_session(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    big = docx_with_comments(TWO_AUTHORS, padding=9 * 1024 * 1024)
    stored = await documents.put("2026-A", "Groot voorstel.docx", big)
    assert stored.sha256 == hashlib.sha256(big).hexdigest() and stored.version == "1"
    assert server.file("2026-A/Groot voorstel.docx", drive=LIBRARY) == big
    assert server.stats.count("POST", "*/createUploadSession") == 1
    fragments = server.stats.matching("PUT", "/_api/v2.0/uploadSession")
    assert len(fragments) == -(-len(big) // documents.chunk_size) >= 2
    assert server.stats.count("PUT", "*/content") == 0
    assert len(await documents.comments("2026-A")) == 2
    small = await documents.put("2026-A", "Klein.docx", b"x" * (4 * 1024 * 1024))
    assert small.size == 4 * 1024 * 1024
    assert server.stats.count("PUT", "*/content") == 1  # 4 MB exactly: one simple upload
    assert server.stats.count("POST", "*/createUploadSession") == 1


async def test_an_upload_session_resumes_after_a_failed_fragment(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    documents.chunk_size = 2 * FRAGMENT  # 8 fragments
    content = bytes(range(256)) * (5 * 1024 * 1024 // 256)
    refused = server.faults.unavailable(method="PUT", path="/_api/v2.0/uploadSession", skip=1)
    dropped = server.faults.drop_after(method="PUT", path="/_api/v2.0/uploadSession", skip=4)
    stored = await documents.put("2026-A", "Bijlage.pdf", content)
    assert (refused.fired, dropped.fired) == (1, 1)
    assert server.stats.count("GET", "/_api/v2.0/uploadSession") == 2  # where to go on
    assert await documents.get("2026-A", "Bijlage.pdf") == content
    assert stored.version == "1"


async def test_an_upload_whose_answer_was_lost_adds_one_version(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    dropped = server.faults.drop_after(method="PUT", path="*/content")
    stored = await documents.put("2026-A", "Nota.docx", b"eerste")
    assert dropped.fired == 1 and stored.version == "1"
    assert server.stats.count("PUT", "*/content") == 1  # read back, not sent again
    # the SDK does not retry an octet-stream body: the store waits out the 503 itself
    refused = server.faults.unavailable(retry_after=1, method="PUT", path="*/content")
    never = server.faults.drop_before(method="PUT", path="*/content")
    second = await documents.put("2026-A", "Nota.docx", b"tweede")
    assert (refused.fired, never.fired, second.version) == (1, 1, "2")
    assert await documents.get("2026-A", "Nota.docx") == b"tweede"
    assert list(await documents.list("2026-A")) == [second]


async def test_an_upload_session_whose_last_answer_was_lost_is_read_back(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    sessions = GraphDocumentStore(documents.graph, server.site.id, LIBRARY,
                                  simple_upload_limit=0, chunk_size=FRAGMENT)
    content = bytes(range(256)) * (700 * 1024 // 256)  # three fragments
    dropped = server.faults.drop_after(method="PUT", path="/_api/v2.0/uploadSession", skip=2)
    stored = await sessions.put("2026-A", "Bijlage.pdf", content)
    assert dropped.fired == 1 and stored.version == "1"
    assert server.stats.count("POST", "*/createUploadSession") == 1
    assert await documents.get("2026-A", "Bijlage.pdf") == content


async def test_a_grant_whose_answer_was_lost_is_read_back(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    dropped = [server.faults.drop_after(method="POST", path="*/root/children"),
               server.faults.drop_after(method="POST", path="*/invite")]
    await documents.grant("2026-A", [ANNA, BART], write=False)
    assert [rule.fired for rule in dropped] == [1, 1]
    assert server.stats.count("POST", "*/invite") == 1
    assert server.stats.count("POST", "*/root/children") == 1
    assert await documents.access("2026-A") == {ANNA.oid: "read", BART.oid: "read"}


async def test_grants_keep_the_library_permissions_and_are_not_repeated(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    await documents.put("2026-A", "Nota.docx", b"x")
    await documents.grant("2026-A", [ANNA, BART], write=False)
    await documents.grant("2026-A", [BART], write=True)
    invites = server.stats.count("POST", "*/invite")
    await documents.grant("2026-A", [ANNA, BART], write=False)  # nothing new
    await documents.grant("2026-A", [BART], write=True)
    assert server.stats.count("POST", "*/invite") == invites == 2
    folder = server.drive_item("2026-A", drive=LIBRARY)
    assert folder.unique_permissions is not None
    site_groups = [p for p in folder.unique_permissions if p.site_group is not None]
    assert len(site_groups) == 3  # Owners, Members, Visitors kept: inheritance retained
    assert await documents.access("2026-A") == {ANNA.oid: "read", BART.oid: "write"}
    assert server.state.invitations == []  # sendInvitation false: no mail


async def test_a_grant_creates_the_folder_once(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    await asyncio.gather(documents.grant("2026-B", [ANNA], write=False),
                         GraphDocumentStore(documents.graph, server.site.id, LIBRARY)
                         .grant("2026-B", [CHRIS], write=True))
    assert server.drive_item("2026-B", drive=LIBRARY).is_folder
    assert await documents.access("2026-B") == {ANNA.oid: "read", CHRIS.oid: "write"}
    stored = await documents.put("2026-B", "Nota.docx", b"inhoud")
    assert stored.uri.endswith("/2026-B/Nota.docx")


async def test_a_person_graph_cannot_resolve_is_named(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    _, documents = graph_docs
    stranger = Person("99999999-9999-4999-8999-999999999999", "x@elders.nl", "Xander Elders")
    with pytest.raises(InvalidInput, match="Xander Elders"):
        await documents.grant("2026-A", [ANNA, stranger], write=True)
    assert await documents.access("2026-A") == {ANNA.oid: "write"}


async def test_set_access_takes_away_even_when_a_person_cannot_be_invited(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    _, documents = graph_docs
    stranger = Person("99999999-9999-4999-8999-999999999999", "x@elders.nl", "Xander Elders")
    await documents.set_access("2026-A", wanted(ANNA="write", BART="write"))
    with pytest.raises(InvalidInput, match="Xander Elders"):
        await documents.set_access("2026-A", {**wanted(ANNA="none", BART="read", CHRIS="write"),
                                              stranger.oid: Access(stranger, Level.WRITE)})
    assert await documents.access("2026-A") == {BART.oid: "read", CHRIS.oid: "write"}


async def test_set_access_leaves_the_library_groups_and_repeats_nothing(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    await documents.set_access("2026-A", wanted(ANNA="read", BART="write"))
    await documents.set_access("2026-A", wanted(ANNA="none", BART="read"))
    requests = server.stats.http_requests
    await documents.set_access("2026-A", wanted(ANNA="none", BART="read"))
    assert server.stats.http_requests == requests + 1  # one read: nothing to change
    folder = server.drive_item("2026-A", drive=LIBRARY)
    assert folder.unique_permissions is not None
    assert len([p for p in folder.unique_permissions if p.site_group is not None]) == 3


async def test_comments_are_read_once_per_content_version(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    await documents.put("2026-A", "Nota.docx", docx_with_comments(TWO_AUTHORS))
    other = GraphDocumentStore(documents.graph, server.site.id, LIBRARY)  # a fresh cache
    assert len(await other.comments("2026-A")) == 2
    server.stats.reset()
    assert len(await other.comments("2026-A")) == 2
    assert server.stats.count("GET", "/_layouts/15/download.aspx") == 0
    assert server.stats.http_requests == 1  # only the folder listing
    await documents.put("2026-A", "Nota.docx", docx_with_comments([EVI_REMARK]))
    assert list(await other.comments("2026-A")) == [comment("Nota.docx", EVI_REMARK)]
    assert server.stats.count("GET", "/_layouts/15/download.aspx") == 1


async def test_list_reads_a_document_changed_elsewhere_once(
    graph_docs: tuple[GraphServer, GraphDocumentStore],
) -> None:
    server, documents = graph_docs
    first = await documents.put("2026-A", "Nota.docx", b"eerste")
    assert list(await documents.list("2026-A")) == [first]
    other = GraphDocumentStore(documents.graph, server.site.id, LIBRARY)
    second = await other.put("2026-A", "Nota.docx", b"tweede, in Word bewerkt")
    server.stats.reset()
    assert list(await documents.list("2026-A")) == [second]
    assert server.stats.count("GET", "/_layouts/15/download.aspx") == 1
    assert list(await documents.list("2026-A")) == [second]
    assert server.stats.count("GET", "/_layouts/15/download.aspx") == 1


# --- directory: caching, guests, mapping ----------------------------------------------------


@pytest.fixture
async def entra() -> AsyncIterator[tuple[GraphServer, Graph]]:
    async with graph_env(server_options={"directory": entra_seed(FIXTURE)}) as (server, client):
        yield server, Graph(client)


async def test_every_lookup_is_cached(entra: tuple[GraphServer, Graph]) -> None:
    server, graph = entra
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


async def test_entries_expire_and_misses_expire_sooner(entra: tuple[GraphServer, Graph]) -> None:
    server, graph = entra
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


async def test_an_error_is_not_remembered_as_a_miss(entra: tuple[GraphServer, Graph]) -> None:
    server, graph = entra
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


async def test_concurrent_lookups_share_one_request(entra: tuple[GraphServer, Graph]) -> None:
    server, graph = entra
    server.faults.delay(0.05, path="/groups/*")
    directory = GraphDirectory(graph)
    results = await asyncio.gather(*(directory.group_members("adviseurs") for _ in range(20)))
    assert all(r == results[0] and len(r) == 4 for r in results)
    assert directory.requests == 2  # the slug, then the members


async def test_roles_and_admins_map_to_configured_groups(
    entra: tuple[GraphServer, Graph],
) -> None:
    server, graph = entra
    directory = GraphDirectory(graph, role_groups={"Directeur": "afdelingshoofd",
                                                   "jurist": server.directory.group_id("juristen")},
                               admin_group="juristen")
    assert [p.oid for p in await directory.role_members("directeur")] == [HENK]
    assert len(await directory.role_members("jurist")) == 3
    assert [p.oid for p in await directory.role_members("afdelingshoofd")] == [HENK]
    assert await directory.is_admin(ANS) is True
    assert await directory.is_admin(BEA) is False


async def test_a_guest_is_a_person_like_any_other(entra: tuple[GraphServer, Graph]) -> None:
    _, graph = entra
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
