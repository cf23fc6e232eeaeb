"""Whose turn it is: who may fill which open task of an active stage.

The one place of the rule. An assignee fills their own open slot; their substitute (by a
delegation, or a standing substitute who took the task over while they are away) fills it
for them, on their behalf. The engine finds the slot a command fills with :func:`slot_for`,
cards show the viewer's task from :func:`viewer_task`, and a click on a card that no longer
matches the dossier (another round, a task done, a closed dossier) is refused by
:func:`click_refusal` with the reason, before anything is decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from approvals.dossier import DossierState, StageState, StageStatus
from approvals.errors import DossierClosed, NotYourTurn, StaleTask
from approvals.identity import Person

ClickRefusal = DossierClosed | StaleTask | NotYourTurn
"""Why a click on a card no longer fits the dossier."""


@dataclass(frozen=True, slots=True)
class ViewerTask:
    """The open slot a viewer fills in an active stage, and for whom."""

    stage: StageState
    slot: str  # the assignee's object id
    behalf: Person | None  # the assignee, when the viewer acts as their substitute


@dataclass(frozen=True, slots=True)
class SeenTask:
    """The task a card showed the actor: its stage and round, and for whom (a substitute)."""

    stage_id: str
    round: int
    on_behalf_of: str | None = None


def open_tasks(stage: StageState, oid: str) -> tuple[str, ...]:
    """The open slots of the stage this person may fill: their own first, then those of the
    assignees they substitute, in the stage's order."""
    open_slots = [p.oid for p in stage.open_slots()]
    own = (oid,) if oid in open_slots else ()
    return own + tuple(s for s in open_slots if s != oid and oid in stage.holders(s))


def slot_for(stage: StageState, actor: str, on_behalf_of: str | None) -> str | None:
    """The slot a command of ``actor`` fills in this stage (``on_behalf_of`` names it), or
    None: their own open slot, else the one slot they substitute (several: they must name
    it)."""
    slots = open_tasks(stage, actor)
    if on_behalf_of is not None:
        return on_behalf_of if on_behalf_of in slots else None
    if actor in slots:
        return actor
    return slots[0] if len(slots) == 1 else None


def viewer_task(state: DossierState, viewer_oid: str,
                stage_id: str | None = None) -> ViewerTask | None:
    """The viewer's open task in the dossier (in ``stage_id`` when given), or None: the first
    active stage in which they hold an open slot, their own before one they substitute."""
    if not state.is_open:
        return None
    for stage in state.active_stages():
        if stage_id is not None and stage.stage_id != stage_id:
            continue
        slots = open_tasks(stage, viewer_oid)
        if slots:
            slot = slots[0]
            behalf = None if slot == viewer_oid else next(
                p for p in stage.assignees if p.oid == slot)
            return ViewerTask(stage, slot, behalf)
    return None


def click_refusal(state: DossierState, actor_oid: str, stage_id: str, round_no: int,
                  on_behalf_of: str | None = None) -> ClickRefusal | None:
    """Why a click on a card of ``stage_id`` in round ``round_no`` no longer fits the
    dossier, or None when the actor still has an open task there in that round: the dossier
    is closed, the task was handled (by them or a colleague), the stage started again, or it
    is not their turn. Nothing is recorded for a refused click."""
    if not state.is_open:
        return DossierClosed(state.id, state.status.value)
    stage = state.stages.get(stage_id)
    if stage is None:
        return NotYourTurn(state.id, stage_id)
    if stage.round == round_no and viewer_task(state, actor_oid, stage_id) is not None:
        return None
    if stage.round == round_no and stage.acted:
        mine = [act for act in stage.acted
                if actor_oid in (act.slot, act.actor.oid) or act.slot == on_behalf_of]
        if mine or stage.status is not StageStatus.ACTIVE:  # done, by them or a colleague
            by = (mine or list(stage.acted))[-1].actor
            return StaleTask(state.id, stage_id, round_no, stage.round, by.name, by.oid)
    if stage.round != round_no:
        return StaleTask(state.id, stage_id, round_no, stage.round)
    return NotYourTurn(state.id, stage_id)
