"""Deadline reminders and escalations (``paraaf tick``): idempotent, however often it runs."""

from __future__ import annotations

from dataclasses import dataclass

from approvals.commands import Tick
from approvals.errors import DomainError
from approvals.events import Channel
from approvals.identity import SYSTEM, Person
from approvals.service import Outcome, Services, execute


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one run did: dossiers looked at, reminders and escalations recorded, and the
    dossiers that could not be handled (with why): one such dossier stops no other."""

    checked: int
    reminders: int
    escalations: int
    failed: tuple[tuple[str, str], ...] = ()


async def tick(services: Services, page_size: int = 500) -> TickReport:
    """Check every open dossier with a due date and record what is due.

    The command id is derived from the dossier's version, so two runs at the same moment
    record a reminder once: the second sees the first's event and has nothing left to do.
    """
    due = []
    offset = 0
    while True:  # collect first: recording moves dossiers within the listing order
        page = await services.store.list_summaries(status="open", limit=page_size, offset=offset)
        due += [s for s in page if s.due is not None]
        if len(page) < page_size:
            break
        offset += page_size
    reminders = escalations = 0
    failed: list[tuple[str, str]] = []
    for summary in due:
        waiting = [p for stage in summary.active for p in stage.waiting_for]
        try:
            outcome = await _tick_one(services, summary.id, summary.version, waiting)
        except DomainError as error:
            failed.append((summary.id, error.message))
            continue
        types = [e.type.value for e in outcome.events]
        reminders += types.count("ReminderSent")
        escalations += types.count("Escalated")
    return TickReport(len(due), reminders, escalations, tuple(failed))


async def _tick_one(services: Services, dossier_id: str, version: int,
                    waiting: list[Person]) -> Outcome:
    managers = {p.oid: await services.directory.manager(p.oid) for p in waiting}
    command = Tick(
        dossier_id=dossier_id, actor=SYSTEM, command_id=f"tick-{dossier_id}-{version}",
        channel=Channel.SYSTEM.value, escalate_to=managers,
    )
    return await execute(command, services)
