"""Access to a dossier's documents follows its stages, in both directions.

The commit writes an ``access`` row in the outbox (:mod:`approvals.notifications`) whenever
its events can change who may open the documents. The worker that takes the row calls
:func:`reconcile_access`: it reads the dossier as it is now, computes the access it gives
(:func:`approvals.access.desired_access`) and makes the folder match. That is idempotent, so
a run repeated after a crash, or one for an older row, changes nothing more; if the dossier
moved on while the folder was being changed, it runs again for the newer state.

Both channels use it: the Teams channel's delivery worker for the outbox rows, and the
command line at once after its own commands (no worker runs there).
"""

from __future__ import annotations

from approvals.access import Access, Level, desired_access
from approvals.dossier import DossierState
from approvals.errors import UnknownDossier
from approvals.flows.definition import FlowDefinition
from approvals.ports import DocumentStore
from approvals.service import Services, load

ROUNDS = 3


async def reconcile_access(services: Services, documents: DocumentStore,
                           dossier_id: str) -> int:
    """Bring the folder's access in line with the dossier; returns the version it matches
    (0 for a dossier that does not exist, which needs nothing)."""
    version = -1
    for _ in range(ROUNDS):
        try:
            state, flow, _events = await load(services, dossier_id)
        except UnknownDossier:
            return 0
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
