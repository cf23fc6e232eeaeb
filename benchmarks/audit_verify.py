"""`paraaf audit verify` throughput over 1,000,000 stored events."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from approvals.audit import ChainVerifier
from approvals.event_payloads import CommentAdded
from approvals.events import PendingEvent, seal_all
from approvals.identity import Person
from benchmarks.stats import Result
from local.sqlite_store import SqliteDossierStore

ACTOR = Person("00000000-0000-4000-8000-000000000001", "a.bakker@voorbeeldstad.nl",
               "Anna Bakker", "7d3b0c4e-2a51-4f8e-9c6d-0b1a2e3f4d5c")


def _fill(path: Path, dossiers: int, per_dossier: int) -> None:
    """Write realistic sealed events straight into the store's table (fast set-up)."""
    SqliteDossierStore(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    stamp = "2026-11-23T09:00:00.000000Z"
    for d in range(dossiers):
        dossier = f"2026-B{d:07d}"
        pending = [PendingEvent(CommentAdded(
            text=f"Opmerking {i} bij het voorstel, met toelichting.")) for i in range(per_dossier)]
        events = seal_all(pending, dossier_id=dossier, after_seq=0, prev_hash="0" * 64,
                          actor=ACTOR, channel="card", timestamp=stamp,
                          first_event_id=f"{dossier}-e")
        db.executemany(
            "INSERT INTO events (dossier_id, seq, event_id, type, timestamp, record, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(e.dossier_id, e.seq, e.event_id, e.type.value, e.timestamp, e.record, e.hash)
             for e in events])
    db.commit()
    db.close()


async def _verify(path: Path) -> tuple[int, int]:
    store = SqliteDossierStore(path)
    try:
        verifier = ChainVerifier()
        async for batch in store.chain_records(None):
            verifier.feed(batch)
        assert verifier.finish() == []
        return verifier.events, verifier.dossiers
    finally:
        store.close()


def run(workdir: Path, dossiers: int = 1000, per_dossier: int = 1000) -> Result:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"audit-{dossiers}x{per_dossier}.db"
    if not path.exists():
        _fill(path, dossiers, per_dossier)
    t0 = time.perf_counter()
    events, count = asyncio.run(_verify(path))
    elapsed = time.perf_counter() - t0
    return Result("audit verify events/s", events / elapsed, "events/s", 200_000,
                  details={"events": events, "dossiers": count, "seconds": round(elapsed, 2)})
