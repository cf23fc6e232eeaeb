"""A flow version's life: which status may follow which, and published text never changes
(approvals.flow_versions)."""

from __future__ import annotations

import pytest

from approvals.errors import InvalidInput
from approvals.flow_versions import TRANSITIONS, check_resave, check_transition
from approvals.ports import FlowRecord, FlowStatus

CONCEPT, PUBLISHED, WITHDRAWN = FlowStatus.CONCEPT, FlowStatus.PUBLISHED, FlowStatus.WITHDRAWN
SOURCE = "schema: paraaf/flow/v1\nid: melding\n"


def _record(status: FlowStatus, source: str = SOURCE) -> FlowRecord:
    return FlowRecord("melding", 3, "Melding aan het college", status, source)


@pytest.mark.parametrize(
    ("before", "after"), [(CONCEPT, PUBLISHED), (PUBLISHED, WITHDRAWN), (WITHDRAWN, PUBLISHED)]
)
def test_allowed_status_changes_pass(before: FlowStatus, after: FlowStatus) -> None:
    check_transition(_record(before), after)


@pytest.mark.parametrize(
    ("before", "after"),
    [(before, after) for before in FlowStatus for after in FlowStatus
     if after not in TRANSITIONS[before]],
)
def test_every_other_status_change_is_refused(before: FlowStatus, after: FlowStatus) -> None:
    with pytest.raises(InvalidInput, match=f"version 3 is {before.value} and cannot become "
                                           f"{after.value}"):
        check_transition(_record(before), after)


def test_nothing_goes_back_to_concept() -> None:
    assert all(CONCEPT not in allowed for allowed in TRANSITIONS.values())


@pytest.mark.parametrize("status", list(FlowStatus))
def test_saving_the_same_text_again_changes_nothing(status: FlowStatus) -> None:
    assert check_resave(_record(status), SOURCE) is True


def test_a_concept_may_be_replaced_by_another_text() -> None:
    assert check_resave(_record(CONCEPT), SOURCE + "title: Anders\n") is False


@pytest.mark.parametrize("status", [PUBLISHED, WITHDRAWN])
def test_a_published_or_withdrawn_text_never_changes(status: FlowStatus) -> None:
    with pytest.raises(InvalidInput, match=f"already {status.value} .* raise the version number"):
        check_resave(_record(status), SOURCE + "title: Anders\n")
