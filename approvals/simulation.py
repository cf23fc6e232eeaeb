"""A dossier run through a flow on paper: who would get which task, when it would be due,
which stages would be skipped and why, and where nobody would be found.

:func:`simulate` is pure: it takes the flow, the field values, the initiator, the day the
dossier would start and the people each stage's rules find now (``resolve``), and records
nothing. It follows the engine's rules: a stage whose condition does not hold is skipped
(with the values it tested, :mod:`approvals.skips`); the stages of a parallel step start
together; four eyes keeps the initiator out of a deciding stage unless the stage allows it.

Dates are *at the latest*: a step starts on the day the previous step is due at the latest
(every stage of it taking its full deadline; a stage without a deadline counts no days), and a
stage is due its ``deadline_days`` working days after its step starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from approvals.flows.conditions import evaluate
from approvals.flows.definition import DECIDING, FlowDefinition, StageDef
from approvals.identity import Person
from approvals.skips import SkipReason, skip_reason, tested_values


class Outcome(StrEnum):
    """What happens at a stage in the simulated run."""

    TASK = "task"  # the stage starts and its assignees get a task
    SKIPPED = "skipped"  # its condition does not hold
    NOBODY = "nobody"  # it starts, but its rules find nobody: the dossier would wait


@dataclass(frozen=True, slots=True)
class SimulatedStage:
    """One stage of the simulated run, in flow order."""

    stage: StageDef
    step: int  # the position of its step in the flow
    parallel: bool  # one of several stages that run at the same time
    outcome: Outcome
    assignees: tuple[Person, ...] = ()
    left_out: tuple[Person, ...] = ()  # found by the rules, kept out by four eyes
    starts: date | None = None
    due: date | None = None
    skip: SkipReason | None = None


@dataclass(frozen=True, slots=True)
class Simulation:
    """The whole run: every stage, and the day the last one would be due at the latest."""

    flow: FlowDefinition
    initiator: Person
    start: date
    stages: tuple[SimulatedStage, ...]

    @property
    def end(self) -> date:
        days = [s.due or s.starts for s in self.stages if s.outcome is not Outcome.SKIPPED]
        return max((d for d in days if d is not None), default=self.start)

    @property
    def nobody(self) -> tuple[str, ...]:
        """The stages at which the dossier would wait because nobody was found."""
        return tuple(s.stage.id for s in self.stages if s.outcome is Outcome.NOBODY)


def simulate(flow: FlowDefinition, fields: Mapping[str, object], initiator: Person,
             start: date, resolve: Callable[[StageDef], tuple[Person, ...]],
             add_working_days: Callable[[date, int], date]) -> Simulation:
    """The stages a dossier with these ``fields``, started by ``initiator`` on ``start``,
    would pass, stage by stage (see the module docstring)."""
    found: list[SimulatedStage] = []
    day = start
    for position, step in enumerate(flow.steps):
        latest = day
        for stage in step.stages:
            parallel = step.parallel
            if stage.condition is not None and not evaluate(stage.condition, fields):
                payload = {"stage": stage.id, "condition": stage.condition.source,
                           "tested": tested_values(stage.condition, fields)}
                found.append(SimulatedStage(stage, position, parallel, Outcome.SKIPPED,
                                            skip=skip_reason(payload, fields)))
                continue
            people = resolve(stage)
            kept = tuple(p for p in people if not _kept_out(stage, p, initiator))
            left_out = tuple(p for p in people if p not in kept)
            due = (add_working_days(day, stage.deadline_days)
                   if stage.deadline_days is not None else None)
            if due is not None and due > latest:
                latest = due
            found.append(SimulatedStage(stage, position, parallel,
                                        Outcome.TASK if kept else Outcome.NOBODY,
                                        kept, left_out, day, due))
        day = latest
    return Simulation(flow, initiator, start, tuple(found))


def _kept_out(stage: StageDef, person: Person, initiator: Person) -> bool:
    """Four eyes: the initiator holds no deciding part unless the stage allows it."""
    return (stage.kind in DECIDING and person.oid == initiator.oid
            and not stage.allow_initiator)
