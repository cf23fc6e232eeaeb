"""Why stages were skipped and where nobody is to act, in words (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from approvals.dossier import DossierState, StageStatus
from approvals.flows.definition import FlowDefinition
from approvals.readmodels import TimelineEntry
from approvals.skips import SkipReason, skip_reason
from cards.format import format_field, user_text
from cards.strings import Strings

_RELATIONS = {"<": "relation_lt", "<=": "relation_le", ">": "relation_gt", ">=": "relation_ge",
              "==": "relation_eq", "!=": "relation_ne"}


def _title(flow: FlowDefinition, stage_id: str) -> str:
    return user_text(flow.stage(stage_id).title if flow.has_stage(stage_id) else stage_id, 100)


def _value(flow: FlowDefinition, name: str, value: object, s: Strings) -> str:
    return format_field(flow.field_def(name), value, s, 100)


def _label(flow: FlowDefinition, name: str) -> str:
    field = flow.field_def(name)
    return user_text(field.label if field else name, 100)


def skip_text(reason: SkipReason, flow: FlowDefinition, s: Strings) -> str:
    """"Financieel advies overgeslagen: bedrag € 8.000,00 is kleiner dan € 10.000,00."""
    stage = _title(flow, reason.stage_id)
    if reason.field and reason.value is None:
        return s.skipped_empty.format(stage=stage, field=_label(flow, reason.field))
    if reason.field:
        return s.skipped_because.format(
            stage=stage, field=_label(flow, reason.field),
            value=_value(flow, reason.field, reason.value, s),
            relation=getattr(s, _RELATIONS[reason.relation]),
            limit=_value(flow, reason.field, reason.limit, s))
    values = ", ".join(f"{_label(flow, name)} = "
                       + ("–" if value is None else _value(flow, name, value, s))
                       for name, value in reason.tested.items())
    return s.skipped_condition.format(stage=stage, condition=user_text(reason.condition, 200),
                                      values=values)


def skipped_lines(entries: Sequence[TimelineEntry], state: DossierState, flow: FlowDefinition,
                  s: Strings) -> list[str]:
    """One line per stage that is skipped now, saying which value its condition tested."""
    latest: dict[str, Mapping[str, object]] = {}
    for entry in entries:
        if entry.type == "StageSkipped":
            latest[entry.stage] = entry.detail
    lines = []
    for stage_id, detail in latest.items():
        stage = state.stages.get(stage_id)
        if stage is None or stage.status is not StageStatus.SKIPPED:
            continue
        reason = skip_reason(detail, state.fields)
        if reason is not None:
            lines.append(skip_text(reason, flow, s))
    return lines


def unstaffed_lines(state: DossierState, flow: FlowDefinition, s: Strings) -> list[str]:
    """"Paraaf afdelingshoofd: niemand aan zet. ..." for each active stage with nobody."""
    return [s.unstaffed_stage.format(stage=_title(flow, stage.stage_id))
            for stage in state.active_stages() if not stage.assignees]
