"""Access to a dossier's documents follows its stages, in both directions.

The commit writes an ``access`` row in the outbox (:mod:`approvals.notifications`) whenever
its events can change who may open the documents. The handler that takes the row calls
:func:`reconcile_access`: it reads the dossier as it is now, computes the access it gives
(:func:`approvals.access.desired_access`) and makes the folder match. That is idempotent, so
a run repeated after a crash, or one for an older row, changes nothing more; if the dossier
moved on while the folder was being changed, it runs again for the newer state.

It runs on one path only: the outbox worker hands it the ``access`` rows
(:class:`bot.post_commit.GrantDocumentAccess`), so a crash or a failed call between the commit
and the change is made good by a later claim of the same row.
"""

from __future__ import annotations

from approvals.access import Access, Level, desired_access
from approvals.dossier import DossierState
from approvals.errors import UnknownDossier
from approvals.flows.definition import FlowDefinition
from approvals.ports import DocumentStore
from approvals.service import Services, read

ROUNDS = 3


async def reconcile_access(services: Services, documents: DocumentStore,
                           dossier_id: str) -> int:
    """Bring the folder's access in line with the dossier; returns the version it matches
    (0 for a dossier that does not exist, which needs nothing)."""
    version = -1
    for _ in range(ROUNDS):
        try:
            snapshot = await read(services, dossier_id)  # the events appended since
        except UnknownDossier:
            return 0
        state, flow = snapshot.state, snapshot.flow
        if state.version == version:
            return version
        version = state.version
        await documents.set_access(dossier_id, await wanted_access(services, state, flow))
    return version


async def wanted_access(services: Services, state: DossierState,
                        flow: FlowDefinition) -> dict[str, Access]:
    """The access the dossier gives, with the beheerders among its people (the directory
    says who they are) keeping read."""
    wanted = desired_access(state, flow)
    candidates = [oid for oid, a in wanted.items() if a.level is Level.NONE]
    admins = frozenset([oid for oid in candidates if await services.directory.is_admin(oid)])
    return desired_access(state, flow, admins) if admins else wanted
