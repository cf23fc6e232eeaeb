"""A small kit for domain tests: people, a flow built in code, and a pure command runner."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from approvals import commands as c
from approvals.dossier import DossierState, fold
from approvals.engine import Context, decide, seal
from approvals.events import Event
from approvals.flows.conditions import parse_condition
from approvals.flows.definition import (
    AssigneeKind,
    AssigneeRule,
    CompletionMode,
    CompletionRule,
    FieldDef,
    FieldType,
    FlowDefinition,
    StageDef,
    StageKind,
    Step,
)
from approvals.identity import Person
from approvals.workdays import WorkingCalendar

TENANT = "7d3b0c4e-2a51-4f8e-9c6d-0b1a2e3f4d5c"


def person(name: str, number: int) -> Person:
    return Person(
        oid=f"00000000-0000-4000-8000-{number:012d}",
        upn=f"{name.lower()}@voorbeeldstad.nl",
        name=name,
        tenant=TENANT,
    )


ANNA = person("Anna", 1)  # initiator
JURIST = person("Jurist", 2)
JURIST2 = person("Jurist2", 3)
FINANCE = person("Finance", 4)
HEAD = person("Head", 5)  # afdelingshoofd
DIRECTOR = person("Director", 6)
MAYOR = person("Mayor", 7)
ALDERMAN = person("Alderman", 8)
OUTSIDER = person("Outsider", 9)
ADMIN = person("Admin", 10)

STAMP = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # when every command of a Dossier is recorded

EVERYONE = (ANNA, JURIST, JURIST2, FINANCE, HEAD, DIRECTOR, MAYOR, ALDERMAN, OUTSIDER, ADMIN)


def _stage(stage_id: str, kind: StageKind, **extra: object) -> StageDef:
    return StageDef(
        id=stage_id, kind=kind, title=stage_id.replace("_", " ").title(),
        assignees=(AssigneeRule(AssigneeKind.GROUP, stage_id),), **extra,  # type: ignore[arg-type]
    )


def college_flow(version: int = 1) -> FlowDefinition:
    """A collegevoorstel: parallel advice, paraaf, accord, decision by the college."""
    advice = Step(
        "advies",
        (
            _stage("juridisch_advies", StageKind.ADVISE, deadline_days=5,
                   completion=CompletionRule(CompletionMode.ANY)),
            _stage("financieel_advies", StageKind.ADVISE,
                   condition=parse_condition("bedrag >= 10000")),
        ),
    )
    return FlowDefinition(
        id="collegevoorstel",
        version=version,
        title="Collegevoorstel",
        fields=(
            FieldDef("bedrag", FieldType.MONEY, "Bedrag", required=True),
            FieldDef("toelichting", FieldType.TEXT, "Toelichting"),
        ),
        steps=(
            advice,
            Step("paraaf", (_stage("paraaf", StageKind.INITIAL, deadline_days=2,
                                   return_to=("juridisch_advies", "financieel_advies")),)),
            Step("accord", (_stage("accord", StageKind.APPROVE, return_to=("paraaf",)),)),
            Step("besluit", (_stage("besluit", StageKind.DECIDE,
                                    completion=CompletionRule(CompletionMode.QUORUM, 1),
                                    return_to=("accord",)),)),
        ),
    )


GROUPS: dict[str, tuple[Person, ...]] = {
    "juridisch_advies": (JURIST, JURIST2),
    "financieel_advies": (FINANCE,),
    "paraaf": (HEAD,),
    "accord": (DIRECTOR,),
    "besluit": (MAYOR, ALDERMAN),
}


@dataclass
class Dossier:
    """Runs commands through the pure engine and keeps the sealed events, like a store."""

    flow: FlowDefinition = field(default_factory=college_flow)
    groups: Mapping[str, tuple[Person, ...]] = field(default_factory=lambda: dict(GROUPS))
    today: date = date(2026, 11, 23)
    admins: frozenset[str] = frozenset({ADMIN.oid})
    events: list[Event] = field(default_factory=list)
    dossier_id: str = "2026-TESTAAAA"
    may_start: bool = True
    _counter: int = 0

    @property
    def state(self) -> DossierState:
        state = fold(self.events)
        assert state is not None
        return state

    def context(self, actor: Person) -> Context:
        return Context(
            flow=self.flow,
            resolve=lambda stage: self.groups.get(stage.assignees[0].value, ()),
            calendar=WorkingCalendar(),
            today=self.today,
            actor_is_admin=actor.oid in self.admins,
            may_start=self.may_start,
            admins=tuple(p for p in EVERYONE if p.oid in self.admins),
        )

    def run(self, cmd: c.Command) -> list[Event]:
        """Decide ``cmd`` and seal its events as the service does (its own functions)."""
        state = fold(self.events)
        sealed = seal(state, cmd, decide(state, cmd, self.context(cmd.actor)), STAMP)
        self.events.extend(sealed)
        return sealed

    def _id(self) -> str:
        self._counter += 1
        return f"cmd-{self._counter}"

    def start(self, bedrag: object = 25000, actor: Person = ANNA, **fields: object) -> list[Event]:
        return self.run(c.StartDossier(
            dossier_id=self.dossier_id, actor=actor, command_id=self._id(),
            flow_id=self.flow.id, title="Herinrichting Marktplein",
            fields={"bedrag": bedrag, **fields},
        ))

    def act(self, actor: Person, action: c.Action, **kw: object) -> list[Event]:
        return self.run(c.Act(dossier_id=self.dossier_id, actor=actor, command_id=self._id(),
                              action=action, **kw))  # type: ignore[arg-type]

    def types(self, events: list[Event] | None = None) -> list[str]:
        return [e.type.value for e in (self.events if events is None else events)]
