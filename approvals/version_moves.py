"""Whether a running dossier's progress fits another version of its flow (pure).

A dossier may move to another version when everything it has been through, and the step it is
in now, are the same there: every step up to and including the current one holds the same
stages (by id) with the same kinds, in the same place. What comes after the current step may
differ: that is what a new version changes for the dossiers already under way. A stage the
dossier passed (started, skipped or done, in any round) must be in such a step too.
"""

from __future__ import annotations

from approvals.dossier import DossierState
from approvals.flows.definition import FlowDefinition


def misfit(state: DossierState, current: FlowDefinition, target: FlowDefinition) -> str | None:
    """The first stage (or step position) where the dossier's progress does not fit
    ``target``; None when it fits."""
    reached = state.step if state.step is not None else -1
    reached = max([reached, *(s.step for s in state.stages.values())])
    for position in range(reached + 1):
        if position >= len(current.steps):
            break
        here = current.steps[position]
        if position >= len(target.steps):
            return here.stages[0].id
        there = {s.id: s.kind for s in target.steps[position].stages}
        mine = {s.id: s.kind for s in here.stages}
        if mine != there:
            # a stage of the dossier's own version first; else one the target adds
            differs = (sorted(set(mine.items()) - set(there.items()))
                       or sorted(set(there.items()) - set(mine.items())))
            return differs[0][0]
    for stage_id in state.stages:
        if not target.has_stage(stage_id) or target.step_of(stage_id) > reached:
            return stage_id
    return None
