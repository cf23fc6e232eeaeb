"""What every DocumentStore promises: versions kept, unsafe names refused, access recorded,
comments in Word documents read back; run against each backend: the in-memory fake, a folder
(local), and a document library on the Graph test server (graph) driven by the real
msgraph-sdk, also while about one request in ten fails; plus what only the Graph adapter has to
get right: upload sessions, grants that keep the library's permissions, caches and request
counts.

A backend is a subclass of :class:`DocumentStoreContract` below that implements
``make_documents``.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from approvals.access import Access, Level
from approvals.errors import InvalidInput
from approvals.identity import Person
from approvals.ports import DocumentComment, DocumentStore
from graph.documents import FRAGMENT, GraphDocumentStore
from graph.rest import Graph
from local.documents import FolderDocumentStore
from tests.support import hostile_docx
from tests.support.contract_kit import ANNA, BART, CHRIS
from tests.support.docx_kit import ANS_REMARK, EVI_REMARK, TWO_AUTHORS, Remark, docx_with_comments
from tests.support.fakes import InMemoryDocumentStore
from tests.support.graph_fixtures import (
    DROPPED_ANSWERS,
    LIBRARY,
    LOST_READS,
    document_store,
    fault_seed,
    one_in_ten_faults,
)
from tests.support.graph_server import GraphServer
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env
from word.comments import unreadable

pytestmark = SDK_IMPORT_DEPRECATIONS


NAME = "Raadsvoorstel parkeerbeleid 2027 – concept (v2).docx"
MAX_BYTES = 50 * 1024 * 1024

UNSAFE_NAMES = [
    "", "   ", "../geheim.docx", "..", "map/voorstel.docx", "map\\voorstel.docx",
    "voorstel\x00.docx", "voorstel\n.docx", ".access.json", ".versions", "a" * 201,
    "voorstel.docx.", "voorstel?.docx", 'voorstel"1".docx', "C:voorstel.docx",
]
UNSAFE_DOSSIER_IDS = ["", "../2026-A", "2026 A", "2026/A", "2026-Ä", "2026-A\n"]


LEVELS = ["none", "read", "write"]
PEOPLE = {"ANNA": ANNA, "BART": BART, "CHRIS": CHRIS}


def wanted(**levels: str) -> dict[str, Access]:
    """``wanted(BART="write")``: the access ``set_access`` is to give each named person."""
    people: dict[str, Person] = {name: PEOPLE[name] for name in levels}
    return {people[name].oid: Access(people[name], Level(level))
            for name, level in levels.items()}


def comment(document: str, remark: Remark) -> DocumentComment:
    return DocumentComment(document=document, author=remark.author, date=remark.date,
                           text=remark.text, passage=remark.passage)


class DocumentStoreContract:
    async def make_documents(self, tmp_path: Path) -> DocumentStore:
        raise NotImplementedError

    @pytest.fixture
    async def documents(self, tmp_path: Path) -> DocumentStore:
        return await self.make_documents(tmp_path)

    async def test_a_stored_document_reads_back(self, documents: DocumentStore) -> None:
        content = b"PK\x03\x04 voorstel"
        stored = await documents.put("2026-A", NAME, content)
        assert (stored.name, stored.size, stored.version) == (NAME, len(content), "1")
        assert stored.sha256 == hashlib.sha256(content).hexdigest()
        assert stored.uri
        assert await documents.get("2026-A", NAME) == content
        assert list(await documents.list("2026-A")) == [stored]

    async def test_a_new_version_replaces_the_current_one(self, documents: DocumentStore) -> None:
        await documents.put("2026-A", NAME, b"eerste versie")
        second = await documents.put("2026-A", NAME, b"tweede versie, langer")
        assert second.version == "2"
        assert second.sha256 == hashlib.sha256(b"tweede versie, langer").hexdigest()
        assert await documents.get("2026-A", NAME) == b"tweede versie, langer"
        assert list(await documents.list("2026-A")) == [second]
        third = await documents.put("2026-A", NAME, b"eerste versie")  # same content again
        assert third.version == "3"

    async def test_each_version_reads_back_by_its_number(self, documents: DocumentStore) -> None:
        first = await documents.put("2026-A", NAME, b"eerste versie")
        second = await documents.put("2026-A", NAME, b"tweede versie, langer")
        assert await documents.get_version("2026-A", NAME, first.version) == b"eerste versie"
        assert await documents.get_version("2026-A", NAME, second.version) == \
            b"tweede versie, langer"
        await documents.put("2026-A", NAME, b"derde")  # a later version changes neither
        assert await documents.get_version("2026-A", NAME, first.version) == b"eerste versie"
        for missing in ("4", "0", "x"):
            with pytest.raises(InvalidInput, match="no document"):
                await documents.get_version("2026-A", NAME, missing)
        with pytest.raises(InvalidInput, match="no document"):
            await documents.get_version("2026-A", "Besluit.docx", "1")
        with pytest.raises(InvalidInput):
            await documents.get_version("2026-A", "../geheim.docx", "1")

    async def test_documents_are_listed_by_name_ignoring_case_per_dossier(
        self, documents: DocumentStore
    ) -> None:
        for name in ("Nota.pdf", "Besluit.docx", "aanvulling.pdf", "Bijlage 1.xlsx"):
            await documents.put("2026-A", name, name.encode())
        await documents.put("2026-B", "Ander.docx", b"x")
        assert [d.name for d in await documents.list("2026-A")] == [
            "aanvulling.pdf", "Besluit.docx", "Bijlage 1.xlsx", "Nota.pdf"]
        assert [d.name for d in await documents.list("2026-B")] == ["Ander.docx"]
        assert list(await documents.list("2026-C")) == []

    async def test_an_empty_document_is_a_document(self, documents: DocumentStore) -> None:
        stored = await documents.put("2026-A", "Leeg.txt", b"")
        assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
        assert await documents.get("2026-A", "Leeg.txt") == b""

    async def test_an_unknown_document_is_invalid_input(self, documents: DocumentStore) -> None:
        await documents.put("2026-A", "Nota.pdf", b"x")
        with pytest.raises(InvalidInput, match="no document"):
            await documents.get("2026-A", "Besluit.docx")
        with pytest.raises(InvalidInput, match="no document"):
            await documents.get("2026-B", "Nota.pdf")

    @pytest.mark.parametrize("name", UNSAFE_NAMES)
    async def test_an_unsafe_name_is_refused(self, documents: DocumentStore, name: str) -> None:
        with pytest.raises(InvalidInput):
            await documents.put("2026-A", name, b"x")
        assert list(await documents.list("2026-A")) == []

    @pytest.mark.parametrize("dossier_id", UNSAFE_DOSSIER_IDS)
    async def test_an_unsafe_dossier_id_is_refused(
        self, documents: DocumentStore, dossier_id: str
    ) -> None:
        with pytest.raises(InvalidInput):
            await documents.put(dossier_id, "Nota.pdf", b"x")
        with pytest.raises(InvalidInput):
            await documents.list(dossier_id)
        with pytest.raises(InvalidInput):
            await documents.grant(dossier_id, [ANNA], write=False)
        with pytest.raises(InvalidInput):
            await documents.comments(dossier_id)

    async def test_a_document_over_50_mb_is_refused(self, documents: DocumentStore) -> None:
        with pytest.raises(InvalidInput, match="50 MB"):
            await documents.put("2026-A", "Groot.bin", bytes(MAX_BYTES + 1))
        assert list(await documents.list("2026-A")) == []

    async def test_grant_records_read_and_write(self, documents: DocumentStore) -> None:
        assert await documents.access("2026-A") == {}
        await documents.grant("2026-A", [ANNA, BART], write=False)
        await documents.grant("2026-A", [CHRIS], write=True)
        assert await documents.access("2026-A") == {ANNA.oid: "read", BART.oid: "read",
                                                    CHRIS.oid: "write"}
        assert await documents.access("2026-B") == {}

    async def test_write_upgrades_read_and_nothing_downgrades(
        self, documents: DocumentStore
    ) -> None:
        await documents.grant("2026-A", [ANNA], write=False)
        await documents.grant("2026-A", [ANNA], write=True)
        await documents.grant("2026-A", [ANNA], write=False)
        await documents.grant("2026-A", [ANNA], write=False)  # idempotent
        assert await documents.access("2026-A") == {ANNA.oid: "write"}

    async def test_set_access_gives_lowers_and_takes_away(
        self, documents: DocumentStore
    ) -> None:
        await documents.set_access("2026-A", wanted(ANNA="read", BART="write", CHRIS="write"))
        assert await documents.access("2026-A") == {ANNA.oid: "read", BART.oid: "write",
                                                    CHRIS.oid: "write"}
        # a stage completes (Bart acted: read), Chris is reassigned (none), Anna decides
        await documents.set_access("2026-A", wanted(ANNA="write", BART="read", CHRIS="none"))
        assert await documents.access("2026-A") == {ANNA.oid: "write", BART.oid: "read"}
        await documents.set_access("2026-A", wanted(ANNA="none", BART="none", CHRIS="none"))
        assert await documents.access("2026-A") == {}
        await documents.set_access("2026-A", wanted(BART="write"))  # returned: write again
        assert await documents.access("2026-A") == {BART.oid: "write"}

    @pytest.mark.parametrize("before", LEVELS)
    @pytest.mark.parametrize("after", LEVELS)
    async def test_set_access_moves_any_level_to_any_level_and_repeats_nothing(
        self, documents: DocumentStore, before: str, after: str
    ) -> None:
        await documents.grant("2026-A", [CHRIS], write=True)  # someone the dossier does not name
        await documents.set_access("2026-A", wanted(BART=before))
        await documents.set_access("2026-A", wanted(BART=after))
        expected = {CHRIS.oid: "write"} | ({} if after == "none" else {BART.oid: after})
        assert await documents.access("2026-A") == expected
        await documents.set_access("2026-A", wanted(BART=after))  # idempotent
        assert await documents.access("2026-A") == expected

    async def test_set_access_without_anyone_to_give_access_makes_no_folder(
        self, documents: DocumentStore
    ) -> None:
        await documents.set_access("2026-Z", wanted(ANNA="none"))
        await documents.set_access("2026-Z", {})
        assert await documents.access("2026-Z") == {}
        assert list(await documents.list("2026-Z")) == []

    @pytest.mark.parametrize("dossier_id", UNSAFE_DOSSIER_IDS)
    async def test_set_access_refuses_an_unsafe_dossier_id(
        self, documents: DocumentStore, dossier_id: str
    ) -> None:
        with pytest.raises(InvalidInput):
            await documents.set_access(dossier_id, wanted(ANNA="read"))

    async def test_comments_by_two_authors_are_read_back_per_document(
        self, documents: DocumentStore
    ) -> None:
        await documents.put("2026-A", "Raadsvoorstel.docx", docx_with_comments(TWO_AUTHORS))
        await documents.put("2026-A", "advies jurist.docx", docx_with_comments([EVI_REMARK]))
        await documents.put("2026-A", "Zonder opmerkingen.docx", docx_with_comments([]))
        await documents.put("2026-A", "Bijlage.pdf", b"%PDF-1.7 niet van Word")
        await documents.put("2026-A", "Kapot.docx", b"PK\x03\x04 geen Word-document")
        await documents.put("2026-B", "Ander.docx", docx_with_comments([ANS_REMARK]))
        assert list(await documents.comments("2026-A")) == [
            comment("advies jurist.docx", EVI_REMARK),
            unreadable("Kapot.docx"),
            comment("Raadsvoorstel.docx", ANS_REMARK),
            comment("Raadsvoorstel.docx", EVI_REMARK),
        ]
        assert list(await documents.comments("2026-B")) == [comment("Ander.docx", ANS_REMARK)]
        assert list(await documents.comments("2026-C")) == []

    async def test_comments_come_from_the_current_version(self, documents: DocumentStore) -> None:
        await documents.put("2026-A", "Nota.docx", docx_with_comments(TWO_AUTHORS))
        assert len(await documents.comments("2026-A")) == 2
        await documents.put("2026-A", "Nota.docx", docx_with_comments([EVI_REMARK]))
        assert list(await documents.comments("2026-A")) == [comment("Nota.docx", EVI_REMARK)]

    async def test_a_hostile_document_is_unreadable_and_the_others_still_read(
        self, documents: DocumentStore
    ) -> None:
        bomb = hostile_docx.package({hostile_docx.COMMENTS: hostile_docx.whitespace_bomb()})
        await documents.put("2026-A", "Bom.docx", bomb)
        await documents.put("2026-A", "Nota.docx", docx_with_comments([EVI_REMARK]))
        await documents.put("2026-A", "Wolk.docx", hostile_docx.package(
            {hostile_docx.COMMENTS: hostile_docx.billion_laughs()}))
        for _ in range(2):
            assert list(await documents.comments("2026-A")) == [
                unreadable("Bom.docx"), comment("Nota.docx", EVI_REMARK), unreadable("Wolk.docx")]

    async def test_comments_are_parsed_once_per_content_version(
        self, documents: DocumentStore
    ) -> None:
        cache = documents.comment_cache  # type: ignore[attr-defined]
        nota = docx_with_comments(TWO_AUTHORS)
        await documents.put("2026-A", "Nota.docx", nota)
        await documents.put("2026-A", "Kapot.docx", b"geen zip")
        await documents.put("2026-A", "Bijlage.pdf", b"%PDF-1.7")
        await documents.put("2026-B", "Kopie.docx", nota)
        parsed = cache.parses
        assert parsed <= 2  # the same content in two dossiers is read once
        for _ in range(5):  # card refreshes and deliveries
            assert len(await documents.comments("2026-A")) == 3
            assert len(await documents.comments("2026-B")) == 2
        assert cache.parses == parsed
        await documents.put("2026-A", "Nota.docx", docx_with_comments([EVI_REMARK]))
        for _ in range(5):
            assert list(await documents.comments("2026-A"))[1:] == [
                comment("Nota.docx", EVI_REMARK)]
        assert cache.parses == parsed + 1


# --- the backends ------------------------------------------------------------------------------


class TestInMemoryDocumentStore(DocumentStoreContract):
    async def make_documents(self, tmp_path: Path) -> DocumentStore:
        return InMemoryDocumentStore()


class TestFolderDocumentStore(DocumentStoreContract):
    async def make_documents(self, tmp_path: Path) -> DocumentStore:
        return FolderDocumentStore(tmp_path / "documents")

    async def test_after_a_restart_each_version_is_read_once(self, tmp_path: Path) -> None:
        first = FolderDocumentStore(tmp_path / "documents")
        await first.put("2026-A", "Nota.docx", docx_with_comments(TWO_AUTHORS))
        await first.put("2026-A", "Kapot.docx", b"geen zip")
        again = FolderDocumentStore(tmp_path / "documents")  # a fresh cache
        for _ in range(5):
            assert len(await again.comments("2026-A")) == 3
        assert again.comment_cache.parses == 2

    async def test_a_file_changed_in_the_folder_is_read_again_once(self, tmp_path: Path) -> None:
        documents = FolderDocumentStore(tmp_path / "documents")
        await documents.put("2026-A", "Nota.docx", docx_with_comments(TWO_AUTHORS))
        (tmp_path / "documents" / "2026-A" / "Nota.docx").unlink()
        (tmp_path / "documents" / "2026-A" / "Nota.docx").write_bytes(
            docx_with_comments([EVI_REMARK]))
        for _ in range(3):
            assert [c.author for c in await documents.comments("2026-A")] == [EVI_REMARK.author]
        assert documents.comment_cache.parses == 2


DOCUMENT_USERS = {"users": [{"oid": p.oid, "upn": p.upn, "name": p.name}
                            for p in (ANNA, BART, CHRIS)]}


@pytest.fixture
async def graph_docs(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[GraphServer, GraphDocumentStore]]:
    server_options = {"seed": fault_seed(request.node.name), "directory": DOCUMENT_USERS}
    async with graph_env(server_options=server_options, retry_delay=0.05) as (server, client):
        yield server, await document_store(server, Graph(client))


class TestGraphDocumentStore(DocumentStoreContract):
    @pytest.fixture
    async def documents(
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
