"""What a batch must look like before a DossierStore appends it (approvals.append_rules)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from approvals.append_rules import check_batch
from tests.support.contract_kit import more, start, summary


def test_a_first_batch_that_fits_passes() -> None:
    events = start("2026-A", comments=2)
    check_batch("2026-A", 0, events, summary(events))


def test_a_batch_that_continues_the_dossier_passes() -> None:
    first = start("2026-A")
    events = more(first, 3)
    check_batch("2026-A", len(first), events, summary(events))


def test_an_empty_batch_is_refused() -> None:
    events = start("2026-A")
    with pytest.raises(ValueError, match="Nothing to append to dossier '2026-A'"):
        check_batch("2026-A", 0, [], summary(events))


def test_events_of_another_dossier_are_refused() -> None:
    events = start("2026-B")
    with pytest.raises(ValueError, match="belongs to dossier '2026-B'"):
        check_batch("2026-A", 0, events, summary(events))


def test_a_gap_in_the_sequence_numbers_is_refused() -> None:
    events = start("2026-A", comments=2)
    with pytest.raises(ValueError, match="has seq 3, expected 2"):
        check_batch("2026-A", 0, [events[0], events[2]], summary(events))


def test_a_batch_must_start_right_after_the_expected_version() -> None:
    events = more(start("2026-A"), 2)
    with pytest.raises(ValueError, match="has seq 3, expected 2"):
        check_batch("2026-A", 1, events, summary(events))


@pytest.mark.parametrize("missing", ["record", "hash"])
def test_an_unsealed_event_is_refused(missing: str) -> None:
    events = start("2026-A")
    blank: dict[str, Any] = {missing: ""}
    events[-1] = replace(events[-1], **blank)
    with pytest.raises(ValueError, match="is not sealed"):
        check_batch("2026-A", 0, events, summary(events))


def test_the_summary_must_be_of_the_same_dossier() -> None:
    events = start("2026-A")
    other = start("2026-B")
    with pytest.raises(ValueError, match=r"summary \(2026-B v2\) does not match .* \(2026-A v2\)"):
        check_batch("2026-A", 0, events, summary(other))


def test_the_summary_must_be_at_the_last_event() -> None:
    events = start("2026-A", comments=1)
    with pytest.raises(ValueError, match="does not match the events"):
        check_batch("2026-A", 0, events, summary(events[:2]))


def test_the_summary_must_have_the_last_events_hash() -> None:
    events = start("2026-A")
    stale = replace(summary(events), head_hash="f" * 64)
    with pytest.raises(ValueError, match="has another head hash"):
        check_batch("2026-A", 0, events, stale)
