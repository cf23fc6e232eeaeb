"""Engine commands per second on an 8-stage flow, in process (no store)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from approvals import commands as c
from approvals.dossier import DossierState, apply
from approvals.engine import Context, decide
from approvals.events import GENESIS_HASH, seal_all
from approvals.flows.definition import (
    AssigneeKind,
    AssigneeRule,
    FlowDefinition,
    StageDef,
    StageKind,
    Step,
)
from approvals.identity import Person
from approvals.workdays import WorkingCalendar
from benchmarks.stats import Result, latency_ms

KINDS = [StageKind.ADVISE, StageKind.INITIAL, StageKind.INITIAL, StageKind.APPROVE,
         StageKind.APPROVE, StageKind.ACKNOWLEDGE, StageKind.DECIDE, StageKind.SIGN]
PEOPLE = [Person(f"00000000-0000-4000-8000-{i:012d}", f"user{i}@voorbeeldstad.nl", f"User {i}")
          for i in range(9)]


def eight_stage_flow() -> FlowDefinition:
    steps = tuple(
        Step(f"s{i}", (StageDef(id=f"s{i}", kind=kind, title=f"Stage {i}", deadline_days=3,
                                assignees=(AssigneeRule(AssigneeKind.USER, f"user{i + 1}"),)),))
        for i, kind in enumerate(KINDS)
    )
    return FlowDefinition(id="acht", version=1, title="Acht stappen", steps=steps)


def _commands(dossier: str) -> list[c.Command]:
    commands: list[c.Command] = [c.StartDossier(
        dossier_id=dossier, actor=PEOPLE[0], command_id=f"{dossier}-0", flow_id="acht",
        title="Benchmark")]
    for i, kind in enumerate(KINDS):
        commands.append(c.Act(
            dossier_id=dossier, actor=PEOPLE[i + 1], command_id=f"{dossier}-{i + 1}",
            action=c.Action(kind.value),
            advice=c.Advice.POSITIEF if kind is StageKind.ADVISE else None, text="Akkoord"))
    return commands


def run(dossiers: int = 1000) -> Result:
    flow = eight_stage_flow()
    calendar = WorkingCalendar()
    by_stage = {stage.id: (PEOPLE[i + 1],) for i, stage in enumerate(flow.all_stages())}
    context = Context(flow=flow, resolve=lambda s: by_stage[s.id], calendar=calendar,
                      today=date(2026, 11, 23))
    stamp = datetime(2026, 11, 23, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    samples: list[float] = []
    started = time.perf_counter()
    for n in range(dossiers):
        state: DossierState | None = None
        for command in _commands(f"D{n}"):
            t0 = time.perf_counter()
            pending = decide(state, command, context)
            sealed = seal_all(pending, dossier_id=command.dossier_id,
                              after_seq=state.version if state else 0,
                              prev_hash=state.head_hash if state else GENESIS_HASH,
                              actor=command.actor, channel="api", timestamp=stamp,
                              first_event_id=command.command_id)
            for event in sealed:
                state = apply(state, event)
            samples.append(time.perf_counter() - t0)
        assert state is not None and state.status.value == "completed"
    elapsed = time.perf_counter() - started
    return Result("engine commands/s (8-stage flow, in process)", len(samples) / elapsed,
                  "commands/s", 2000, details={"commands": len(samples),
                                               **{f"{k} ms": round(v, 3) for k, v in
                                                  latency_ms(samples).items()}})
