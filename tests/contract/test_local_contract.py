"""The adapter contracts, run against the embedded local backend (SQLite, folder, YAML)."""

from __future__ import annotations

from pathlib import Path

import pytest

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

pytestmark = pytest.mark.contract


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
