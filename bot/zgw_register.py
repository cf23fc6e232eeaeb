"""The decision register in the ZGW shape, for the channels: each decided dossier with its
PDF as the register keeps it, as an export file, or registered in a ZGW Besluiten API.

The PDF is the signed one when the dossier was signed (its last signature's PDF, from the
dossier's documents), else the decision document rendered as the sign stage renders it
(the latest Word document with the fields filled in; without one, the title and fields).
The adapters (the renderer, the registry) come from the wiring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from approvals.dossier import DossierState
from approvals.errors import DomainError
from approvals.ports import DocumentStore
from approvals.signatures import (
    DecisionRecord,
    DecisionRegistry,
    DocumentRenderer,
    RegistryEntry,
)
from approvals.signing_stage import NO_DOCUMENT_NAME, decision_document, render_fields
from approvals.zgw import ZgwOrganisation, decision_record, to_zgw

EXPORT_FORMAT = "paraaf-zgw-besluiten/1"


async def decision_pdf(state: DossierState, documents: DocumentStore,
                       renderer: DocumentRenderer) -> tuple[str, bytes]:
    """The decision's PDF: the signed one, else the decision document rendered."""
    if state.signings:
        name = state.signings[-1].name
        return name, await documents.get(state.id, name)
    source = decision_document(state)
    content = await documents.get(state.id, source.name) if source else b""
    pdf = await renderer.render(source.name if source else NO_DOCUMENT_NAME, content,
                                render_fields(state))
    stem = source.name[: -len(".docx")] if source else NO_DOCUMENT_NAME
    return stem + ".pdf", pdf


async def record_of(state: DossierState, documents: DocumentStore,
                    renderer: DocumentRenderer, zone: tzinfo) -> DecisionRecord:
    name, pdf = await decision_pdf(state, documents, renderer)
    return decision_record(state, name, pdf, zone)


def today_in(now: datetime, zone: tzinfo) -> date:
    """The municipality's day (a date after it is "in the future" for the register)."""
    return now.astimezone(zone).date()


def _urn(kind: str, rsin: str, identificatie: str) -> str:
    return f"urn:zgw:{kind}:{rsin}:{identificatie}"


def export(records: Iterable[DecisionRecord], organisation: ZgwOrganisation,
           today: date) -> dict[str, Any]:
    """The export file: per decision the ``besluit`` and the ``enkelvoudiginformatieobject``
    as the APIs' create requests take them, and the ``besluitinformatieobject`` linking them
    by URN (``urn:zgw:besluit:<rsin>:<identificatie>``; whoever loads the file puts the URLs
    the APIs gave in their place). Refused whole (:class:`approvals.zgw.ZgwRefused`) when one
    decision cannot be registered: a file is complete or not written."""
    entries = []
    for record in records:
        zgw = to_zgw(record, organisation, today)
        entries.append({
            "dossier": record.dossier_id,
            "besluit": dict(zgw.besluit),
            "enkelvoudiginformatieobject": dict(zgw.informatieobject),
            "besluitinformatieobject": zgw.link(
                _urn("besluit", zgw.rsin, zgw.identificatie),
                _urn("enkelvoudiginformatieobject", zgw.rsin, zgw.identificatie)),
        })
    return {"format": EXPORT_FORMAT, "verantwoordelijkeOrganisatie": organisation.rsin,
            "besluiten": entries}


@dataclass(frozen=True)
class Registered:
    """How registering one decision ended: its entry, or the refusal that stopped it."""

    dossier_id: str
    entry: RegistryEntry | None = None
    refusal: DomainError | None = None


async def register_all(records: Sequence[DecisionRecord],
                       registry: DecisionRegistry) -> list[Registered]:
    """Every decision registered (the registry is idempotent, so one registered before is
    found, not made again); a refused one is reported and the others go on."""
    done = []
    for record in records:
        try:
            done.append(Registered(record.dossier_id, await registry.register(record)))
        except DomainError as refused:
            done.append(Registered(record.dossier_id, refusal=refused))
    return done
