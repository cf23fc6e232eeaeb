"""Four eyes across the whole dossier.

The deciding parts are initial, approve, decide and sign
(:data:`approvals.flows.definition.DECIDING`). In one round of a dossier a person holds at
most one of them, also through delegation (the substitute who acts and the assignee they
act for both hold the part), and the initiator holds none, unless the stage says
``allow_initiator: true``.

The parts of a round are the actions recorded in the latest round of every stage that still
counts: active or completed, in a step the dossier has reached. A completed stage after the
current step belongs to the pass before a return: it will be done again, so it holds nothing.

The engine applies the rule at four points:

- starting a dossier (:func:`check_start`): refused when the initiator would be the only one
  to hold a deciding part (through a user field, a named user or a group of one);
- acting (:func:`check_act`): refused for someone who holds another part, or who is the only
  one left to hold a later one;
- delegating, reassigning and standing substitutes (:func:`check_substitute`): the same for the
  one who would take the task over;
- starting a stage (:class:`Guard`): the initiator and everyone holding another part are left
  out of its assignees; when that leaves nobody because of the actor's own part, the actor's
  command is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from approvals.dossier import DossierState, StageState, StageStatus
from approvals.errors import FourEyesViolation
from approvals.flows.conditions import evaluate
from approvals.flows.definition import DECIDING, FlowDefinition, StageDef, StageKind
from approvals.identity import Person

Resolver = Callable[[StageDef], tuple[Person, ...]]

INITIATOR_RULE = "initiator"
ONE_PART_RULE = "one_part"


@dataclass(frozen=True, slots=True)
class Part:
    """A deciding part someone holds: the stage and its kind."""

    stage_id: str
    kind: StageKind
    holder: Person


def held_parts(state: DossierState, flow: FlowDefinition, upto_step: int) -> list[Part]:
    """The deciding parts recorded in the round so far, in stages up to ``upto_step``."""
    parts: list[Part] = []
    for stage in state.stages.values():
        if stage.status not in (StageStatus.ACTIVE, StageStatus.COMPLETED):
            continue
        kind = flow.stage(stage.stage_id).kind
        if stage.step > upto_step or kind not in DECIDING:
            continue
        for act in stage.acted:
            parts.append(Part(stage.stage_id, kind, act.actor))
            if act.on_behalf_of is not None:
                parts.append(Part(stage.stage_id, kind, act.on_behalf_of))
    return parts


def assigned_parts(state: DossierState, flow: FlowDefinition) -> list[Part]:
    """The open deciding tasks: assignees who have not acted yet, and their substitutes."""
    parts: list[Part] = []
    for stage in state.active_stages():
        kind = flow.stage(stage.stage_id).kind
        if kind not in DECIDING:
            continue
        for person in stage.open_slots():
            parts.append(Part(stage.stage_id, kind, person))
            if (substitute := stage.delegations.get(person.oid)) is not None:
                parts.append(Part(stage.stage_id, kind, substitute))
    return parts


def _current_step(state: DossierState) -> int:
    return state.step if state.step is not None else -1


def _initiator_refusal(stage: StageDef, initiator: Person) -> FourEyesViolation:
    return FourEyesViolation(INITIATOR_RULE, stage.id, initiator.name, initiator.oid,
                             stage.id, stage.kind.value)


def _one_part_refusal(stage_id: str, part: Part) -> FourEyesViolation:
    return FourEyesViolation(ONE_PART_RULE, stage_id, part.holder.name, part.holder.oid,
                             part.stage_id, part.kind.value)


def eligible(stage: StageDef, people: Iterable[Person], initiator: Person) -> list[Person]:
    """The people of a deciding stage the initiator rule leaves in."""
    return [p for p in people if stage.allow_initiator or p.oid != initiator.oid]


def later_sole_part(flow: FlowDefinition, fields: Mapping[str, Any], after_step: int,
                    person: Person, initiator: Person, resolve: Resolver) -> Part | None:
    """A deciding stage of a later step (that its condition does not skip) in which this
    person would be the only one who can act."""
    for step in flow.steps[after_step + 1:]:
        for stage in step.stages:
            if stage.kind not in DECIDING:
                continue
            if stage.condition is not None and not evaluate(stage.condition, fields):
                continue
            people = eligible(stage, resolve(stage), initiator)
            if [p.oid for p in people] == [person.oid]:
                return Part(stage.id, stage.kind, person)
    return None


def check_start(flow: FlowDefinition, fields: Mapping[str, Any], initiator: Person,
                resolve: Resolver) -> None:
    """Refuse a start in which the initiator would be the only one to hold a deciding part."""
    for stage in flow.all_stages():
        if stage.kind not in DECIDING or stage.allow_initiator:
            continue
        if stage.condition is not None and not evaluate(stage.condition, fields):
            continue
        people = resolve(stage)
        if people and not eligible(stage, people, initiator):
            raise _initiator_refusal(stage, initiator)


def check_act(state: DossierState, flow: FlowDefinition, stage: StageState,
              people: Iterable[Person], resolve: Resolver) -> None:
    """Refuse a deciding action when the actor or the assignee they act for is the initiator,
    holds another part of this round, or is the only one left for a later part."""
    definition = flow.stage(stage.stage_id)
    if definition.kind not in DECIDING:
        return
    held = held_parts(state, flow, _current_step(state))
    for person in people:
        _check_person(state, flow, definition, stage, person, held, resolve)


def check_substitute(state: DossierState, flow: FlowDefinition, stage: StageState,
                     person: Person, resolve: Resolver) -> None:
    """Refuse to give a deciding task to someone who may not hold it: the initiator, someone
    holding (or having an open task for) another part, or the only one left for a later one."""
    definition = flow.stage(stage.stage_id)
    if definition.kind not in DECIDING:
        return
    held = held_parts(state, flow, _current_step(state)) + assigned_parts(state, flow)
    _check_person(state, flow, definition, stage, person, held, resolve)


def _check_person(state: DossierState, flow: FlowDefinition, definition: StageDef,
                  stage: StageState, person: Person, held: list[Part],
                  resolve: Resolver) -> None:
    if person.oid == state.initiator.oid and not definition.allow_initiator:
        raise _initiator_refusal(definition, person)
    for part in held:
        if part.holder.oid == person.oid and part.stage_id != stage.stage_id:
            raise _one_part_refusal(stage.stage_id, part)
    later = later_sole_part(flow, state.fields, stage.step, person, state.initiator, resolve)
    if later is not None:
        raise _one_part_refusal(stage.stage_id, later)


@dataclass(frozen=True)
class Guard:
    """Screens the assignees of the deciding stages a command starts.

    ``held`` are the parts of the round including the command's own action; ``actor`` is who
    sends the command. ``raw`` resolves a stage's rules to people (the directory's answer).
    """

    initiator: Person
    held: tuple[Part, ...]
    actor: Person
    raw: Resolver

    def conflict(self, stage: StageDef, person: Person) -> FourEyesViolation | None:
        """Why this person may not hold this stage's part (None: they may)."""
        if stage.kind not in DECIDING:
            return None
        if person.oid == self.initiator.oid and not stage.allow_initiator:
            return _initiator_refusal(stage, person)
        for part in self.held:
            if part.holder.oid == person.oid and part.stage_id != stage.id:
                return _one_part_refusal(stage.id, part)
        return None

    def resolve(self, stage: StageDef) -> tuple[Person, ...]:
        """The stage's assignees without those four eyes keeps out. Refuses the command
        when nobody remains because of the actor's own part."""
        kept: list[Person] = []
        mine: FourEyesViolation | None = None
        for person in self.raw(stage):
            conflict = self.conflict(stage, person)
            if conflict is None:
                kept.append(person)
            elif person.oid == self.actor.oid:
                mine = conflict
        if not kept and mine is not None:
            raise mine
        return tuple(kept)


def guard_for_act(state: DossierState, flow: FlowDefinition, stage: StageState,
                  actor: Person, slot_owner: Person | None, raw: Resolver) -> Guard:
    """The guard for stages an action may start: the round's parts plus this action's."""
    held = held_parts(state, flow, _current_step(state))
    kind = flow.stage(stage.stage_id).kind
    if kind in DECIDING:
        held += [Part(stage.stage_id, kind, actor)]
        if slot_owner is not None:
            held.append(Part(stage.stage_id, kind, slot_owner))
    return Guard(state.initiator, tuple(held), actor, raw)


def guard_for_return(state: DossierState, flow: FlowDefinition, target: StageDef,
                     actor: Person, raw: Resolver) -> Guard:
    """The guard after a return: only the parts of stages before the target still count."""
    held = held_parts(state, flow, flow.step_of(target.id) - 1)
    return Guard(state.initiator, tuple(held), actor, raw)
