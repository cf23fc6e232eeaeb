"""The outcome of a package a signing service asks the signer to sign (ValidSign).

A callback only says which package to look at; what happened is what the service says when
its status is read, every time. So a callback that comes twice, late, out of order, or
about a package the dossier no longer waits for changes nothing: the outcome is recorded by
a :class:`~approvals.commands.SettleSigning` with a command id per package and outcome
(recorded once), and a package that is not open in its dossier records nothing.

:func:`settle_open` is the fallback when callbacks do not come: ``paraaf tick`` looks at
every package that is still open.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from approvals.commands import SettleSigning
from approvals.errors import DomainError
from approvals.events import Channel
from approvals.service import Outcome, Services, read, try_execute
from approvals.signatures import SigningStatus

if TYPE_CHECKING:
    from collections.abc import Mapping

log = logging.getLogger("paraaf.signing")

SETTLED = (SigningStatus.COMPLETED, SigningStatus.DECLINED, SigningStatus.EXPIRED)


@dataclass(frozen=True, slots=True)
class CallbackResult:
    """What a callback did: ``genuine`` False (the key is wrong: answer 401), else the
    outcome recorded (None: nothing to record, which is no error)."""

    genuine: bool
    outcome: Outcome | None = None


async def settle(services: Services, dossier_id: str, package_id: str) -> Outcome | None:
    """Record what the signing service says of the package now, when the dossier still
    waits for it and it has ended (None: nothing to record)."""
    if services.signing is None:
        return None
    snapshot = await read(services, dossier_id)
    sent = snapshot.state.signing_open.get(package_id)
    if sent is None:
        return None
    service = services.signing.provider(sent.provider)
    if service is None:
        return None
    package = await service.status(package_id)
    if package.status not in SETTLED:
        return None
    command = SettleSigning(
        dossier_id=dossier_id, actor=sent.signer, round=sent.round,
        command_id=f"signing-{package_id}-{package.status.value}",
        channel=Channel.SYSTEM.value, package=package_id, status=package.status.value,
        reason=package.reason)
    outcome = await try_execute(command, services)
    if outcome.refusal is not None:
        log.warning("signing outcome not recorded", extra={
            "dossier": dossier_id, "package": package_id, "reason": outcome.refusal.message})
    return outcome


async def on_callback(services: Services, body: bytes,
                      headers: Mapping[str, str]) -> CallbackResult:
    """A signing service's callback: authenticated by the service, then the package's
    status read and settled. A genuine callback about a package paraaf does not know (or
    one whose dossier is gone) records nothing."""
    if services.signing is None:
        return CallbackResult(False)
    for service in services.signing.providers:
        notice = await service.callback(body, headers)
        if notice is not None:
            break
    else:
        return CallbackResult(False)
    try:
        package = await service.status(notice.package_id)
        if not package.dossier_id:
            return CallbackResult(True)
        return CallbackResult(True, await settle(services, package.dossier_id,
                                                 notice.package_id))
    except DomainError as error:
        log.warning("signing callback not settled", extra={
            "package": notice.package_id, "reason": error.message})
        return CallbackResult(True)


@dataclass(frozen=True, slots=True)
class SettleReport:
    checked: int  # packages looked at
    settled: int  # outcomes recorded
    failed: tuple[tuple[str, str], ...] = ()


async def settle_open(services: Services, page_size: int = 500) -> SettleReport:
    """Every package still open in a dossier whose sign stage is active, settled as its
    service says it is now (the fallback when a callback is lost)."""
    if services.signing is None:
        return SettleReport(0, 0)
    candidates = []
    offset = 0
    while True:
        page = await services.store.list_summaries(status="open", limit=page_size,
                                                   offset=offset)
        candidates += [s.id for s in page if any(a.kind == "sign" for a in s.active)]
        if len(page) < page_size:
            break
        offset += page_size
    checked = settled = 0
    failed: list[tuple[str, str]] = []
    for dossier_id in candidates:
        try:
            state = (await read(services, dossier_id)).state
            for package_id in list(state.signing_open):
                checked += 1
                outcome = await settle(services, dossier_id, package_id)
                settled += bool(outcome is not None and outcome.events)
        except DomainError as error:
            failed.append((dossier_id, error.message))
    return SettleReport(checked, settled, tuple(failed))
