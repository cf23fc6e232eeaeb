"""The adapter contracts, run against the embedded local backend (SQLite, folder, YAML)."""

from __future__ import annotations

from pathlib import Path

from approvals.ports import (
    AnchorLog,
    Clock,
    ConversationStore,
    Directory,
    DocumentStore,
    FlowRepository,
)
from approvals.substitutes import SubstituteStore
from local.anchors import FileAnchorLog
from local.conversations import SqliteConversationStore
from local.directory import YamlDirectory
from local.documents import FolderDocumentStore
from local.flows import SqliteFlowRepository
from local.sqlite_store import SqliteDossierStore
from local.substitutes import SqliteSubstituteStore
from tests.contract.anchor_log_contract import AnchorLogContract
from tests.contract.conversation_store_contract import ConversationStoreContract
from tests.contract.directory_contract import DirectoryContract
from tests.contract.document_store_contract import DocumentStoreContract
from tests.contract.dossier_store_contract import DossierStoreContract, Store
from tests.contract.flow_repository_contract import FlowRepositoryContract
from tests.contract.substitute_store_contract import SubstituteStoreContract
from tests.support.docx_kit import EVI_REMARK, TWO_AUTHORS, docx_with_comments


class TestSqliteDossierStore(DossierStoreContract):
    async def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return SqliteDossierStore(tmp_path / "paraaf.db", clock=clock)

    async def open_peer(self, store: Store, tmp_path: Path, clock: Clock) -> Store:
        return SqliteDossierStore(tmp_path / "paraaf.db", clock=clock)


class TestSqliteFlowRepository(FlowRepositoryContract):
    async def make_flows(self, tmp_path: Path) -> FlowRepository:
        return SqliteFlowRepository(tmp_path / "paraaf.db")


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


class TestYamlDirectory(DirectoryContract):
    async def make_directory(self, fixture: Path) -> Directory:
        return YamlDirectory.from_file(fixture)


class TestSqliteConversationStore(ConversationStoreContract):
    async def make_conversations(self, tmp_path: Path) -> ConversationStore:
        return SqliteConversationStore(tmp_path / "paraaf.db")


class TestFileAnchorLog(AnchorLogContract):
    async def make_log(self, tmp_path: Path) -> AnchorLog:
        return FileAnchorLog(tmp_path / "anchors" / "paraaf-anchors.jsonl")

    async def open_peer(self, log: AnchorLog, tmp_path: Path) -> AnchorLog:
        return FileAnchorLog(tmp_path / "anchors" / "paraaf-anchors.jsonl")


class TestSqliteSubstituteStore(SubstituteStoreContract):
    async def make_substitutes(self, tmp_path: Path) -> SubstituteStore:
        return SqliteSubstituteStore(tmp_path / "paraaf.db")
