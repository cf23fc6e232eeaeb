"""Flow definitions: the versioned description of the stages a dossier passes.

A flow is read from YAML by :mod:`approvals.flows.yaml_io`; this module holds the validated,
immutable model the engine works with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    """The types a dossier field can have."""

    TEXT = "text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    CHOICE = "choice"
    USER = "user"
    DOCUMENT = "document"


class StageKind(StrEnum):
    """What a stage asks of its assignees (one action verb per kind)."""

    ADVISE = "advise"
    INITIAL = "initial"
    APPROVE = "approve"
    DECIDE = "decide"
    SIGN = "sign"
    ACKNOWLEDGE = "acknowledge"


DECIDING = frozenset({StageKind.INITIAL, StageKind.APPROVE, StageKind.DECIDE, StageKind.SIGN})
"""The deciding parts: in one round of a dossier a person holds at most one of them, and the
initiator none (four eyes; see :mod:`approvals.four_eyes`)."""

MAY_REJECT = frozenset({StageKind.INITIAL, StageKind.APPROVE, StageKind.DECIDE, StageKind.SIGN})
"""Stage kinds whose assignees may stop the dossier; an adviser gives a negative advice
instead, and a kennisname stage only takes note."""


class AssigneeKind(StrEnum):
    """Where a stage's assignees come from."""

    USER = "user"  # one user by UPN / e-mail
    GROUP = "group"  # every (transitive) member of an Entra group
    ROLE = "role"  # everyone holding a directory role
    MANAGER = "manager"  # the initiator's manager chain, `levels` deep
    FIELD = "field"  # the user named in a dossier field of type user
    INITIATOR = "initiator"  # the initiator themselves


@dataclass(frozen=True, slots=True)
class AssigneeRule:
    """One source of assignees; a stage unites the users of all its rules."""

    kind: AssigneeKind
    value: str = ""  # UPN, group id, role name or field name; empty for manager/initiator
    levels: int = 1  # for MANAGER: 1 = direct manager, 2 = manager and their manager, ...


class CompletionMode(StrEnum):
    """How many assignees must act before a stage is complete."""

    ALL = "all"
    ANY = "any"
    QUORUM = "quorum"


@dataclass(frozen=True, slots=True)
class CompletionRule:
    """A stage's completion rule: all, any, or a quorum of N."""

    mode: CompletionMode = CompletionMode.ALL
    quorum: int = 0

    def required(self, assignee_count: int) -> int:
        """How many distinct actions complete a stage with this many assignees."""
        if self.mode is CompletionMode.ANY:
            return min(1, assignee_count)
        if self.mode is CompletionMode.QUORUM:
            return min(self.quorum, assignee_count)
        return assignee_count


@dataclass(frozen=True, slots=True)
class FieldDef:
    """A typed field of a dossier, filled in when the dossier starts."""

    name: str
    type: FieldType
    label: str
    required: bool = False
    options: tuple[str, ...] = ()  # for CHOICE
    max_length: int = 2000  # for TEXT


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition on dossier fields, e.g. ``bedrag >= 10000``.

    ``source`` keeps the text as written; ``clauses`` is a disjunction of conjunctions of
    ``(field, operator, literal)`` comparisons (see :mod:`approvals.flows.conditions`).
    """

    source: str
    clauses: tuple[tuple[tuple[str, str, str | float | tuple[str, ...]], ...], ...]


@dataclass(frozen=True, slots=True)
class StageDef:
    """One stage of a flow."""

    id: str
    kind: StageKind
    title: str
    assignees: tuple[AssigneeRule, ...]
    completion: CompletionRule = CompletionRule()
    condition: Condition | None = None
    deadline_days: int | None = None  # working days (Dutch public holidays excluded)
    return_to: tuple[str, ...] = ()  # ids of earlier stages this stage may send back to
    instructions: str = ""
    allow_initiator: bool = False  # four eyes off: the initiator may hold this deciding part
    provider: str | None = None  # a sign stage's signing provider (None: the tenant's)


SIGNING_PROVIDERS = ("embedded", "validsign")
"""Who a sign stage's ``provider`` may name: paraaf's own PAdES signer, or ValidSign."""


@dataclass(frozen=True, slots=True)
class Starters:
    """Who may start a dossier on a flow.

    ``employees``: every member of the tenant who is not a guest (the default when a flow
    names no ``starters``); ``rules``: the people, groups and roles the flow names (guests
    among them too).
    """

    employees: bool = True
    rules: tuple[AssigneeRule, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    """A position in the flow: one stage, or a group of stages that run in parallel."""

    id: str
    stages: tuple[StageDef, ...]

    @property
    def parallel(self) -> bool:
        return len(self.stages) > 1


@dataclass(frozen=True, slots=True)
class FlowDefinition:
    """A validated, versioned flow definition."""

    id: str
    version: int
    title: str
    steps: tuple[Step, ...]
    fields: tuple[FieldDef, ...] = ()
    description: str = ""
    schema: str = "paraaf/flow/v1"
    starters: Starters = Starters()
    _stage_index: dict[str, tuple[int, StageDef]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for position, step in enumerate(self.steps):
            for stage in step.stages:
                self._stage_index[stage.id] = (position, stage)

    @property
    def key(self) -> str:
        """``id@version``, how events and dossiers refer to this exact definition."""
        return f"{self.id}@{self.version}"

    def stage(self, stage_id: str) -> StageDef:
        """The stage with this id (KeyError when there is none)."""
        return self._stage_index[stage_id][1]

    def step_of(self, stage_id: str) -> int:
        """The position of the step that holds this stage."""
        return self._stage_index[stage_id][0]

    def has_stage(self, stage_id: str) -> bool:
        return stage_id in self._stage_index

    def field_def(self, name: str) -> FieldDef | None:
        """The field with this name, or None."""
        return next((f for f in self.fields if f.name == name), None)

    def all_stages(self) -> tuple[StageDef, ...]:
        return tuple(stage for step in self.steps for stage in step.stages)
