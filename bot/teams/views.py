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
from approvals.service import Services, load
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
    """The dossier as stored now (UnknownDossier when there is none); with ``documents``
    also the comments in its Word documents."""
    state, flow, events = await load(services, dossier_id)
    comments = await document_comments(documents, dossier_id) if documents else ()
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
    if cards.viewer_task(dossier.state, viewer_oid, stage_id) is not None and event is None:
        return cards.task_card(
            dossier.state, dossier.flow, dossier.entries, viewer_oid=viewer_oid, lang=lang,
            today=today, refresh_user_ids=ids, stage_id=stage_id, notice=notice, error=error,
            values=values, comments=dossier.comments, tone=tone, zone=zone,
        )
    entry = next((e for e in dossier.entries if event and e.seq == event.seq), None)
    return cards.status_card(
        dossier.state, dossier.flow, dossier.entries, viewer_oid=viewer_oid, lang=lang,
        today=today, refresh_user_ids=ids, notice=notice, event=entry,
        headline=entry is not None, comments=dossier.comments, tone=tone, zone=zone,
    )


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
