"""One writer process of the concurrency test: the shared approve, then its own comments."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from approvals import commands as c
from approvals.errors import ConcurrencyConflict
from approvals.service import execute
from bot.settings import Settings
from bot.wiring import build


async def _work(data: Path, dossier: str, worker: int, comments: int,
                approver: str, commenters: list[str]) -> dict[str, Any]:
    wiring = build(Settings.from_env({}, data_dir=str(data)))
    attempts = conflicts_exhausted = 0
    try:
        directory = wiring.directory
        approve_by = await directory.user(approver)
        assert approve_by is not None
        outcome = await execute(
            c.Act(dossier_id=dossier, actor=approve_by, command_id="shared-approve",
                  action=c.Action.APPROVE), wiring.services)
        attempts += outcome.attempts
        for n in range(comments):
            author = await directory.user(commenters[n % len(commenters)])
            assert author is not None
            command = c.AddComment(dossier_id=dossier, actor=author,
                                   command_id=f"comment-{worker}-{n}", text=f"{worker}/{n}")
            try:
                attempts += (await execute(command, wiring.services)).attempts
            except ConcurrencyConflict:
                conflicts_exhausted += 1
        return {"attempts": attempts, "exhausted": conflicts_exhausted}
    finally:
        await wiring.close()


def run(args: tuple[str, str, int, int, str, list[str]], barrier: Any) -> dict[str, Any]:
    """Entry point for a process: wait for the others, then write."""
    data, dossier, worker, comments, approver, commenters = args
    barrier.wait(timeout=60)
    return asyncio.run(_work(Path(data), dossier, worker, comments, approver, commenters))
