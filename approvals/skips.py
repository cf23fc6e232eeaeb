"""Why a stage was skipped: the condition and the values it tested, for people to read.

A ``StageSkipped`` event records the condition's text and the values of the fields it read
(``tested``). :func:`skip_reason` turns that into a :class:`SkipReason` a channel words in its
own language, e.g. "Financieel advies overgeslagen: bedrag € 8.000,00 is kleiner dan
€ 10.000,00".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from approvals.errors import ConditionError
from approvals.flows.conditions import parse_condition, referenced_fields
from approvals.flows.definition import Condition

NEGATION = {">=": "<", ">": "<=", "<": ">=", "<=": ">", "==": "!=", "!=": "=="}
"""The comparison that holds when a skipped stage's single comparison does not."""


@dataclass(frozen=True, slots=True)
class SkipReason:
    """Why a stage was skipped.

    For a condition of one comparison (``bedrag >= 10000``) ``field``, ``relation`` (the
    comparison that held instead: ``<``) and ``limit`` are set, and ``value`` is what the field
    held (None: it was empty). For any other condition only ``condition`` and ``tested``.
    """

    stage_id: str
    condition: str
    tested: Mapping[str, object]
    field: str = ""
    relation: str = ""
    limit: object = None
    value: object = None


def tested_values(condition: Condition, fields: Mapping[str, object]) -> dict[str, object]:
    """The values of the fields a condition reads (None for an empty field), by name."""
    return {name: fields.get(name) for name in sorted(referenced_fields(condition))}


def skip_reason(payload: Mapping[str, object],
                fields: Mapping[str, object] | None = None) -> SkipReason | None:
    """The reason recorded in a ``StageSkipped`` payload (None when it names no condition).

    Events recorded before the tested values were kept take them from ``fields`` (a dossier's
    fields never change after its start).
    """
    source = payload.get("condition")
    if not isinstance(source, str) or not source:
        return None
    try:
        condition = parse_condition(source)
    except ConditionError:
        return None
    recorded = payload.get("tested")
    tested = dict(recorded) if isinstance(recorded, dict) else tested_values(
        condition, fields or {})
    stage_id = str(payload.get("stage", ""))
    if len(condition.clauses) == 1 and len(condition.clauses[0]) == 1:
        name, op, literal = condition.clauses[0][0]
        if op in NEGATION:
            return SkipReason(stage_id, condition.source, tested, name, NEGATION[op], literal,
                              tested.get(name))
    return SkipReason(stage_id, condition.source, tested)
