"""Stages nobody can be found for: warned about when a dossier starts."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from approvals.flows.conditions import evaluate
from approvals.flows.definition import FlowDefinition, StageDef
from approvals.identity import Person


def unstaffed_stages(flow: FlowDefinition, resolve: Callable[[StageDef], tuple[Person, ...]],
                     fields: Mapping[str, object]) -> tuple[str, ...]:
    """The stages a dossier with these fields will pass (no condition, or one that holds)
    whose assignee rules find nobody now, in flow order. The dossier would wait at each of
    them until a beheerder assigns someone."""
    return tuple(
        stage.id for stage in flow.all_stages()
        if (stage.condition is None or evaluate(stage.condition, fields)) and not resolve(stage)
    )
