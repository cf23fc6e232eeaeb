"""What every DocumentStore promises: versions kept, unsafe names refused, access recorded,
comments in Word documents read back.

A backend subclasses :class:`DocumentStoreContract` and implements ``make_documents``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from approvals.access import Access, Level
from approvals.errors import InvalidInput
from approvals.identity import Person
from approvals.ports import DocumentComment, DocumentStore
from tests.support import hostile_docx
from tests.support.contract_kit import ANNA, BART, CHRIS
from tests.support.docx_kit import ANS_REMARK, EVI_REMARK, TWO_AUTHORS, Remark, docx_with_comments
from word.comments import unreadable

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
