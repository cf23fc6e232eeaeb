"""Which card a person gets for a dossier: their task card, or the read-only status card."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cards
from approvals.dossier import DossierState
from approvals.events import Event
from approvals.flows.definition import FlowDefinition
from approvals.ports import ConversationStore, DocumentComment, DocumentStore
from approvals.readmodels import TimelineEntry, summarize, timeline
from approvals.service import Services, read
from approvals.turns import viewer_task
from bot.teams.gateway import Card
from cards.format import DEFAULT_ZONE

log = logging.getLogger("paraaf.bot")


@dataclass(frozen=True)
class DossierView:
    """A dossier as cards need it: state, flow version, timeline and the comments in its
    Word documents."""

    state: DossierState
    flow: FlowDefinition
    entries: Sequence[TimelineEntry]
    comments: Sequence[DocumentComment] = ()


async def view(services: Services, dossier_id: str,
               documents: DocumentStore | None = None) -> DossierView:
    """The dossier as stored now (UnknownDossier when there is none): one read of the store;
    with ``documents`` also the comments in its Word documents."""
    snapshot = await read(services, dossier_id)
    return await view_of(snapshot.state, snapshot.flow, snapshot.events, documents)


async def view_of(state: DossierState, flow: FlowDefinition, events: Sequence[Event],
                  documents: DocumentStore | None = None) -> DossierView:
    """The dossier as a command left it (an outcome's state and history) or as it was read:
    no read of the store; with ``documents`` also the comments in its Word documents (from
    the document store)."""
    comments = await document_comments(documents, state.id) if documents else ()
    return DossierView(state, flow, timeline(events), comments)


async def document_comments(documents: DocumentStore,
                            dossier_id: str) -> Sequence[DocumentComment]:
    """The comments in the dossier's documents. When the library cannot be read the card
    goes out without them (and the log says why) rather than not at all."""
    try:
        return await documents.comments(dossier_id)
    except Exception:
        log.warning("document comments unavailable", exc_info=True,
                    extra={"dossier_id": dossier_id})
        return ()


async def refresh_ids(conversations: ConversationStore, view: DossierView,
                      viewer_oid: str = "") -> list[str]:
    """The Teams user ids of everyone who may act now and of the viewer (for the card's
    ``refresh``): the viewer's own copy, the initiator's start card among them, then shows
    the dossier as it is now whenever they look at it."""
    ids = []
    oids = sorted(summarize(view.state, view.flow).actors())
    if viewer_oid and viewer_oid not in oids:
        oids.append(viewer_oid)
    for oid in oids:
        ref = await conversations.reference(oid)
        user = ref.reference.get("user") if ref else None
        ids.append(str(user.get("id")) if isinstance(user, dict) and user.get("id") else oid)
    return ids


async def card_for(
    services: Services,
    conversations: ConversationStore,
    dossier: DossierView,
    viewer_oid: str,
    lang: str,
    *,
    notice: str | None = None,
    error: str | None = None,
    values: Mapping[str, object] | None = None,
    event: Event | None = None,
    stage_id: str | None = None,
    tone: str = "accent",
    zone: str = DEFAULT_ZONE,
) -> Card:
    """The task card when the viewer has an open task, else the status card. ``tone``
    styles the ``notice``; times show in the tenant's time ``zone``."""
    today = services.clock.now().date()
    ids = await refresh_ids(conversations, dossier, viewer_oid)
    signatures = await signature_checks(services, dossier.state)
    task = viewer_task(dossier.state, viewer_oid, stage_id) if event is None else None
    if task is not None:
        return cards.task_card(
            dossier.state, dossier.flow, dossier.entries, viewer_oid=viewer_oid, lang=lang,
            today=today, refresh_user_ids=ids, stage_id=stage_id, notice=notice, error=error,
            values=values, comments=dossier.comments, tone=tone, zone=zone, task=task,
            signatures=signatures,
        )
    entry = next((e for e in dossier.entries if event and e.seq == event.seq), None)
    return cards.status_card(
        dossier.state, dossier.flow, dossier.entries, viewer_oid=viewer_oid, lang=lang,
        today=today, refresh_user_ids=ids, notice=notice, event=entry,
        headline=entry is not None, comments=dossier.comments, tone=tone, zone=zone,
        signatures=signatures,
    )


async def signature_checks(services: Services, state: DossierState) -> dict[str, str] | None:
    """How each signed PDF of the dossier checks out now, for its card; None (the card
    shows what was recorded) when there is no signing or the library cannot be read."""
    if services.signing is None or not state.signings:
        return None
    try:
        return await services.signing.checks(state)
    except Exception:
        log.warning("signature checks unavailable", exc_info=True,
                    extra={"dossier_id": state.id})
        return None


async def may_see(services: Services, dossier: DossierView, viewer_oid: str) -> bool:
    """Whether the viewer may see the dossier: someone involved in it, or a beheerder."""
    if viewer_oid in dossier.state.participants:
        return True
    return await services.directory.is_admin(viewer_oid)


async def card_if_involved(services: Services, conversations: ConversationStore,
                           dossier: DossierView, viewer_oid: str, lang: str,
                           **options: Any) -> Card:
    """The dossier's card for someone involved; for anyone else a card that says so (a
    dossier holds personal data: fields, advice, documents)."""
    if not await may_see(services, dossier, viewer_oid):
        return cards.error_card(cards.strings(lang).bot_not_involved, lang)
    return await card_for(services, conversations, dossier, viewer_oid, lang, **options)
