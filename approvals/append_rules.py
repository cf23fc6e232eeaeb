"""What a batch of events must look like before any DossierStore appends it."""

from __future__ import annotations

from collections.abc import Sequence

from approvals.events import Event
from approvals.readmodels import DossierSummary


def check_batch(
    dossier_id: str, expected_version: int, events: Sequence[Event], summary: DossierSummary
) -> None:
    """A batch that does not fit the dossier is a programming error (ValueError), not a
    conflict: the events continue the dossier's numbering, are sealed, and the summary is the
    projection after the last of them."""
    if not events:
        raise ValueError(f"Nothing to append to dossier '{dossier_id}'.")
    for offset, event in enumerate(events, start=expected_version + 1):
        if event.dossier_id != dossier_id:
            raise ValueError(f"Event {event.event_id} belongs to dossier '{event.dossier_id}'.")
        if event.seq != offset:
            raise ValueError(f"Event {event.event_id} has seq {event.seq}, expected {offset}.")
        if not event.record or not event.hash:
            raise ValueError(f"Event {event.event_id} is not sealed.")
    if summary.id != dossier_id or summary.version != events[-1].seq:
        raise ValueError(
            f"The summary ({summary.id} v{summary.version}) does not match the events "
            f"({dossier_id} v{events[-1].seq})."
        )
    if summary.head_hash != events[-1].hash:
        raise ValueError(f"The summary of dossier '{dossier_id}' has another head hash.")
