"""What the bot's handlers share, and who the sender of an activity is."""

from __future__ import annotations

from dataclasses import dataclass, replace

from approvals.identity import Person
from approvals.ports import ConversationStore, DocumentStore
from approvals.service import Services
from bot.teams.gateway import Inbound


class TenantNotAllowed(Exception):
    """The activity comes from a tenant that is not on the allow-list."""


@dataclass(frozen=True)
class BotContext:
    """The ports and settings the handlers use, built once by the wiring (:mod:`bot.wiring`).

    What follows a recorded command is not here: the services run the wiring's table of
    post-commit handlers (:mod:`bot.teams.after_commit`), and the outbox holds the rest.
    """

    services: Services
    conversations: ConversationStore
    documents: DocumentStore
    tenant_allowlist: tuple[str, ...] = ()
    language: str = "auto"  # "nl" or "en" overrides the locale Teams sends
    timezone: str = "Europe/Amsterdam"  # the tenant's: times on cards show in this zone
    local_demo: bool = False  # local mode: one browser may play every part ("als <naam>")

    async def actor(self, inbound: Inbound) -> Person | None:
        """The sender as a directory user (with the activity's tenant), or None if unknown."""
        tenant = inbound.tenant.lower()
        if self.tenant_allowlist and tenant not in self.tenant_allowlist:
            raise TenantNotAllowed(tenant)
        if not inbound.user_oid:
            return None
        person = await self.services.directory.user(inbound.user_oid)
        if person is None or person.oid.lower() != inbound.user_oid.lower():
            return None  # look people up by object id only: a UPN in `from` proves nothing
        return replace(person, tenant=inbound.tenant or person.tenant)
