"""SQLite specifics of the local flow repository beyond the shared contract."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from approvals.ports import FlowStatus
from local.flows import SqliteFlowRepository
from local.sqlite_store import SqliteDossierStore
from tests.support.contract_kit import ANNA, flow


async def test_flows_share_the_database_file_with_the_dossier_store(tmp_path: Path) -> None:
    path = tmp_path / "paraaf.db"
    store = SqliteDossierStore(path)
    flows = SqliteFlowRepository(path)
    try:
        await flows.save(*flow("melding", 1))
        await flows.set_status("melding", 1, FlowStatus.PUBLISHED, ANNA,
                               datetime(2026, 11, 23, 9, tzinfo=UTC))
        assert await store.list_summaries() == []
    finally:
        flows.close()
        store.close()
    again = SqliteFlowRepository(path)
    try:
        record = await again.get("melding")
        assert record is not None
        assert (record.status, record.published_by, record.published_at) == (
            FlowStatus.PUBLISHED, ANNA.upn, "2026-11-23T09:00:00.000000Z")
    finally:
        again.close()

