"""The one place that builds the object graph: settings -> adapters -> services."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from approvals.ports import ConversationStore, Directory, DocumentStore
    from approvals.service import Services


async def jittered_pause(attempt: int) -> None:
    """Back off after a concurrency conflict: a random wait that grows with the attempt."""
    await asyncio.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))


class NotInitialised(SettingsError):
    """The data folder has no paraaf data yet."""


@dataclass
class Wiring:
    """Everything an entry point needs, built from the settings."""

    settings: Settings
    services: Services
    documents: DocumentStore
    directory: Directory
    conversations: ConversationStore

    async def close(self) -> None:
        close = getattr(self.services.store, "close", None)
        if close is not None:
            close()
        for adapter in (self.services.flows, self.conversations):
            close = getattr(adapter, "close", None)
            if close is not None:
                close()


def build(settings: Settings) -> Wiring:
    """Adapters for the configured backend (the embedded default, or Microsoft 365)."""
    if settings.backend == "graph":
        raise SettingsError(
            "PARAAF_BACKEND=graph (Microsoft 365) is not available in this version; "
            "use PARAAF_BACKEND=local."
        )
    return _build_local(settings)


def _build_local(settings: Settings) -> Wiring:
    from approvals.service import Services
    from approvals.workdays import WorkingCalendar
    from local.clock import SystemClock
    from local.conversations import SqliteConversationStore
    from local.directory import YamlDirectory
    from local.documents import FolderDocumentStore
    from local.flows import SqliteFlowRepository
    from local.sqlite_store import SqliteDossierStore

    if not settings.directory_file.exists() or not settings.database.exists():
        raise NotInitialised(
            f"There is no paraaf data in {settings.data_dir}. "
            f"Create it with: paraaf demo --data {settings.data_dir}"
        )
    directory = YamlDirectory.from_file(settings.directory_file)
    services = Services(
        store=SqliteDossierStore(settings.database),
        flows=SqliteFlowRepository(settings.database),
        directory=directory,
        clock=SystemClock(),
        calendar=WorkingCalendar(),
        pause=jittered_pause,
    )
    base_url = settings.public_url or None
    documents = FolderDocumentStore(settings.documents_dir, base_url=base_url)
    conversations = SqliteConversationStore(settings.database)
    return Wiring(settings, services, documents, directory, conversations)
