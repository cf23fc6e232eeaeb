"""The life of a flow version: concept, published, withdrawn; a published version never changes.

A version is a concept until a beheerder publishes it; from then on its text is fixed: saving
it again with another text is refused (raise the version number), saving the identical text
again is a no-op, so publishing the same file twice is harmless. Every FlowRepository applies
these rules.
"""

from __future__ import annotations

from approvals.errors import InvalidInput
from approvals.ports import FlowRecord, FlowStatus

# Which status may follow which; anything else is refused.
TRANSITIONS: dict[FlowStatus, frozenset[FlowStatus]] = {
    FlowStatus.CONCEPT: frozenset({FlowStatus.PUBLISHED}),
    FlowStatus.PUBLISHED: frozenset({FlowStatus.WITHDRAWN}),
    FlowStatus.WITHDRAWN: frozenset({FlowStatus.PUBLISHED}),
}


def check_transition(record: FlowRecord, status: FlowStatus) -> None:
    """InvalidInput unless ``record`` may move to ``status``."""
    if status not in TRANSITIONS[record.status]:
        raise InvalidInput(refusal="flow_status_change", flow=record.id, version=record.version,
                           status=record.status.value, new_status=status.value)


def check_resave(existing: FlowRecord, source: str) -> bool:
    """Whether saving ``source`` over ``existing`` changes nothing (True) or replaces a concept
    (False); InvalidInput for a published or withdrawn version with another text."""
    if existing.source == source:
        return True
    if existing.status is not FlowStatus.CONCEPT:
        raise InvalidInput(refusal="flow_version_fixed", flow=existing.id,
                           version=existing.version, status=existing.status.value)
    return False
