"""The adapter contracts, run against the in-memory fakes that unit tests use."""

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
from tests.contract.anchor_log_contract import AnchorLogContract
from tests.contract.conversation_store_contract import ConversationStoreContract
from tests.contract.directory_contract import DirectoryContract
from tests.contract.document_store_contract import DocumentStoreContract
from tests.contract.dossier_store_contract import DossierStoreContract, Store
from tests.contract.flow_repository_contract import FlowRepositoryContract
from tests.contract.substitute_store_contract import SubstituteStoreContract
from tests.support.fakes import (
    InMemoryAnchorLog,
    InMemoryConversationStore,
    InMemoryDirectory,
    InMemoryDocumentStore,
    InMemoryDossierStore,
    InMemoryFlowRepository,
    InMemorySubstituteStore,
)


class TestInMemoryDossierStore(DossierStoreContract):
    async def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return InMemoryDossierStore(clock)


class TestInMemoryFlowRepository(FlowRepositoryContract):
    async def make_flows(self, tmp_path: Path) -> FlowRepository:
        return InMemoryFlowRepository()


class TestInMemoryDocumentStore(DocumentStoreContract):
    async def make_documents(self, tmp_path: Path) -> DocumentStore:
        return InMemoryDocumentStore()


class TestInMemoryDirectory(DirectoryContract):
    async def make_directory(self, fixture: Path) -> Directory:
        return InMemoryDirectory.from_yaml_text(fixture.read_text("utf-8"))


class TestInMemoryConversationStore(ConversationStoreContract):
    async def make_conversations(self, tmp_path: Path) -> ConversationStore:
        return InMemoryConversationStore()


class TestInMemoryAnchorLog(AnchorLogContract):
    async def make_log(self, tmp_path: Path) -> AnchorLog:
        return InMemoryAnchorLog()


class TestInMemorySubstituteStore(SubstituteStoreContract):
    async def make_substitutes(self, tmp_path: Path) -> SubstituteStore:
        return InMemorySubstituteStore()
