"""Access to a dossier's documents follows its stages: whoever is to act gets the folder.

Call :func:`grant_stage_access` after each commit with the events it recorded. Grants only
add (the document store upgrades read to write, never the reverse, and repeats nothing), so
running it again over the same events, or over a dossier's whole history, is harmless.
"""

from __future__ import annotations

from collections.abc import Sequence

from approvals.dossier import DossierState
from approvals.events import Event, EventType
from approvals.flow import FlowDefinition, StageKind
from approvals.identity import Person
from approvals.ports import DocumentStore

READ_ONLY_KINDS = frozenset({StageKind.ACKNOWLEDGE.value})
"""Stage kinds whose assignees only read; advise, initial, approve, decide and sign edit
(advisers comment in the Word documents)."""


async def grant_stage_access(
    documents: DocumentStore,
    state: DossierState,
    events: Sequence[Event],
    flow: FlowDefinition | None = None,
) -> None:
    """Give the assignees of every stage these events started access to the dossier's
    folder: write, or read for an acknowledge stage. Someone a task was delegated or
    reassigned to gets the same (the stage kind comes from the events, else from ``flow``;
    unknown, they get read)."""
    kinds: dict[str, str] = {}
    levels: dict[str, tuple[Person, bool]] = {}  # oid -> (person, write)
    for event in events:
        if event.dossier_id != state.id:
            continue
        stage = str(event.payload.get("stage", ""))
        if event.type is EventType.STAGE_STARTED:
            kinds[stage] = str(event.payload.get("kind", ""))
            people = [Person.from_json(a) for a in event.payload.get("assignees", [])]
            people += [Person.from_json(sub["to"])  # standing substitutes of absent assignees
                       for sub in event.payload.get("substitutes", {}).values()]
        elif event.type in (EventType.DELEGATED, EventType.REASSIGNED):
            people = [Person.from_json(event.payload["to"])]
        else:
            continue
        kind = kinds.get(stage) or _flow_kind(flow, stage)
        write = kind is not None and kind not in READ_ONLY_KINDS
        for person in people:
            levels[person.oid] = (person, write or levels.get(person.oid, (person, False))[1])
    for write in (True, False):
        people = [person for person, level in levels.values() if level is write]
        if people:
            await documents.grant(state.id, people, write=write)


def _flow_kind(flow: FlowDefinition | None, stage: str) -> str | None:
    if flow is None or not flow.has_stage(stage):
        return None
    return flow.stage(stage).kind.value
