"""What follows a commit and must not be lost: the outbox rows it wrote, each taken by the
handler for its kind.

The commit writes its outbox rows in the same transaction as its events
(:mod:`approvals.notifications`): a notification per recipient, and an ``access`` row when
the events can change who may open the documents. A worker claims the rows and hands each to
the handler for its kind in a table the wiring builds (:class:`OutboxHandlers`). A handler
that returns has done the row's work (the worker marks it done); one that raises gives the
row back to be tried again later, so a crash or a failed call is made good by a later claim.
The document access is one such handler (:class:`GrantDocumentAccess`): there is no other
path that changes a folder's access after a command.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Protocol

from approvals import commands as c
from approvals.access import ACCESS_KIND
from approvals.dossier import dropped_packages
from approvals.errors import ActionNotAllowed, UnknownDossier
from approvals.events import Channel
from approvals.identity import SYSTEM
from approvals.notifications import RECALL_KIND, REGISTER_KIND
from approvals.ports import DocumentStore, OutboxItem
from approvals.service import Services, execute, read
from approvals.signatures import DecisionRegistry, DocumentRenderer
from bot.document_access import reconcile_access

log = logging.getLogger("paraaf.outbox")


@dataclass(frozen=True)
class Done:
    """How a row's work ended (``result``, counted by the telemetry: sent, unreachable,
    settled, no_dossier, registered, refused) and, for a card, when its event was
    committed."""

    result: str
    committed: str = ""


class OutboxHandler(Protocol):
    """Does the work of the outbox rows of its ``kinds``."""

    @property
    def kinds(self) -> frozenset[str]: ...

    async def handle(self, item: OutboxItem) -> Done:
        """Do the row's work; raise to have it tried again later."""
        ...

    async def given_up(self, item: OutboxItem, error: Exception) -> None:
        """The row failed too often and is put aside: whatever is left to say about it."""
        ...


class NoHandler(LookupError):
    """An outbox row of a kind no handler in the table takes."""


@dataclass(frozen=True)
class OutboxHandlers:
    """The table: each outbox row kind to the one handler that takes it."""

    handlers: tuple[OutboxHandler, ...]

    def __post_init__(self) -> None:
        kinds = [kind for handler in self.handlers for kind in handler.kinds]
        doubled = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if doubled:
            raise ValueError(f"more than one handler for {', '.join(doubled)}")

    @classmethod
    def of(cls, handlers: Iterable[OutboxHandler]) -> OutboxHandlers:
        return cls(tuple(handlers))

    def for_kind(self, kind: str) -> OutboxHandler:
        """The handler for rows of ``kind`` (NoHandler when the table has none)."""
        for handler in self.handlers:
            if kind in handler.kinds:
                return handler
        raise NoHandler(kind)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(kind for handler in self.handlers for kind in handler.kinds)


@dataclass(frozen=True)
class GrantDocumentAccess:
    """An ``access`` row: bring the dossier folder's access in line with the dossier as it
    is now (idempotent, so a row taken again after a crash changes nothing more)."""

    services: Services
    documents: DocumentStore
    kinds: frozenset[str] = frozenset({ACCESS_KIND})

    async def handle(self, item: OutboxItem) -> Done:
        await reconcile_access(self.services, self.documents, item.notification.dossier_id)
        log.info("document access settled", extra={"outbox_id": item.id})
        return Done("settled")

    async def given_up(self, item: OutboxItem, error: Exception) -> None:
        return None  # access work has nobody to tell; a later access row repeats it


@dataclass(frozen=True)
class RegisterDecision:
    """A ``register`` row: the dossier's decision into the decision register (a ZGW
    Besluiten API), then recorded in the dossier (``DecisionRegistered``), so cards and the
    tab link it. Idempotent: the registry finds what an earlier try made, and a dossier that
    records its entry already needs nothing. A register that does not answer gives the row
    back (tried again later); a decision it refuses is logged and put aside: trying again
    changes nothing until someone fixes what the refusal names."""

    services: Services
    documents: DocumentStore
    renderer: DocumentRenderer
    registry: DecisionRegistry
    zone: tzinfo
    register: str = "zgw"
    kinds: frozenset[str] = frozenset({REGISTER_KIND})

    async def handle(self, item: OutboxItem) -> Done:
        from bot.zgw_register import record_of

        dossier_id = item.notification.dossier_id
        try:
            state = (await read(self.services, dossier_id)).state
        except UnknownDossier:
            return Done("no_dossier")
        if state.registered is not None:
            return Done("settled")
        try:
            entry = await self.registry.register(
                await record_of(state, self.documents, self.renderer, self.zone))
        except ActionNotAllowed as refused:
            log.warning("decision not registered: %s", refused.message,
                        extra={"outbox_id": item.id, "dossier": dossier_id})
            return Done("refused")
        await execute(c.RecordRegistration(
            dossier_id=dossier_id, actor=SYSTEM, channel=Channel.SYSTEM,
            command_id=f"register-{item.notification.event_id}", register=self.register,
            identificatie=entry.identificatie, url=entry.url,
            document_url=entry.document_url), self.services)
        log.info("decision registered", extra={"outbox_id": item.id, "dossier": dossier_id})
        return Done("registered")

    async def given_up(self, item: OutboxItem, error: Exception) -> None:
        log.error("decision register unavailable, row put aside: %s", error,
                  extra={"outbox_id": item.id})


@dataclass(frozen=True)
class RecallSigning:
    """A ``signing_recall`` row: the signing packages the dossier stopped waiting for (sent
    back, withdrawn, rejected or reassigned while a package was out) are taken back at their
    provider (ValidSign: changed to draft), so that nobody signs what the dossier no longer
    asks. Idempotent: every dropped package of the dossier is asked again, and a package
    taken back before or ended meanwhile is left as it is. A provider that does not answer
    gives the row back (tried again later)."""

    services: Services
    kinds: frozenset[str] = frozenset({RECALL_KIND})

    async def handle(self, item: OutboxItem) -> Done:
        dossier_id = item.notification.dossier_id
        signing = self.services.signing
        if signing is None:
            return Done("no_signing")
        try:
            events = await self.services.store.load(dossier_id)
        except UnknownDossier:
            return Done("no_dossier")
        providers = {service.provider: service for service in signing.providers}
        recalled = 0
        for package, sent in dropped_packages(events).items():
            provider = providers.get(sent.provider)
            if provider is None:
                log.warning("signing package %s not taken back: provider %s is not set up",
                            package, sent.provider, extra={"outbox_id": item.id})
                continue
            if await provider.recall(package):
                recalled += 1
        log.info("signing packages taken back: %d", recalled,
                 extra={"outbox_id": item.id, "dossier": dossier_id})
        return Done("recalled")

    async def given_up(self, item: OutboxItem, error: Exception) -> None:
        log.error("signing package not taken back, row put aside (withdraw it at the "
                  "provider by hand): %s", error, extra={"outbox_id": item.id})
