"""The overview's department and period in the domain's rule (what every store answers)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from approvals.readmodels import SummaryQuery, matches, query_key, stamp
from tests.support.contract_kit import ANNA, CHRIS, start, summary

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_a_moment_is_written_as_the_events_timestamps() -> None:
    assert stamp(datetime(2026, 10, 5, tzinfo=AMSTERDAM)) == "2026-10-04T22:00:00.000000Z"
    assert stamp(datetime(2026, 12, 5, tzinfo=AMSTERDAM)) == "2026-12-04T23:00:00.000000Z"
    with pytest.raises(ValueError):
        stamp(datetime(2026, 10, 5))  # a moment without a zone


def test_the_period_includes_its_start_and_excludes_its_end() -> None:
    s = replace(summary(start("2026-P")), created_at="2026-10-04T22:30:00.000000Z")
    day = datetime(2026, 10, 5, tzinfo=AMSTERDAM)  # 22:00 UTC on the 4th
    assert matches(s, SummaryQuery(started_from=day))
    assert not matches(s, SummaryQuery(started_before=day))
    exact = datetime(2026, 10, 4, 22, 30, tzinfo=UTC)
    assert matches(s, SummaryQuery(started_from=exact))
    assert not matches(s, SummaryQuery(started_before=exact))


def test_a_department_lists_its_people_dossiers_and_an_empty_one_nothing() -> None:
    s = replace(summary(start("2026-D")), initiator=ANNA)
    assert matches(s, SummaryQuery(initiators=(ANNA.oid, CHRIS.oid)))
    assert not matches(s, SummaryQuery(initiators=(CHRIS.oid,)))
    assert not matches(s, SummaryQuery(initiators=()))
    assert query_key(SummaryQuery(initiators=())) != query_key(SummaryQuery())
