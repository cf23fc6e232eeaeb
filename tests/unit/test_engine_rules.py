"""Rules a municipality relies on: Dutch amounts decide conditions, nobody's gap blocks
someone else's work, and the flow says who may start it."""

from __future__ import annotations

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.errors import ActionNotAllowed, AmbiguousValue, InvalidInput, NotEntitled
from approvals.notifications import notifications_for
from approvals.readmodels import summarize, tasks
from tests.support.domain_kit import ADMIN, ANNA, DIRECTOR, FINANCE, HEAD, JURIST, OUTSIDER, Dossier

A = c.Action


@pytest.mark.parametrize("bedrag", ["25.000", "25.000,00", "€ 25.000", "25000", "25 000",
                                    "10.000", "1.000.000"])
def test_a_dutch_amount_of_at_least_the_threshold_asks_financial_advice(bedrag: str) -> None:
    d = Dossier()
    d.start(bedrag=bedrag)
    assert "financieel_advies" in {s.stage_id for s in d.state.active_stages()}
    assert d.state.fields["bedrag"] >= 10000


@pytest.mark.parametrize("bedrag", ["9.999,99", "25,5", "€ 8.000", "1.5"])
def test_a_dutch_amount_below_the_threshold_skips_it_and_records_the_value(bedrag: str) -> None:
    d = Dossier()
    d.start(bedrag=bedrag)
    skipped = [e for e in d.events if e.type.value == "StageSkipped"]
    assert [e.payload.stage for e in skipped if isinstance(e.payload, ev.StageSkipped)] == [
        "financieel_advies"]
    assert skipped[0].payload == ev.StageSkipped(
        stage="financieel_advies", step=0, round=1, condition="bedrag >= 10000",
        tested={"bedrag": d.state.fields["bedrag"]})


def test_an_amount_that_reads_two_ways_starts_nothing() -> None:
    d = Dossier()
    with pytest.raises(AmbiguousValue):
        d.start(bedrag="25,000")
    assert d.events == []


# --- nobody's gap blocks someone else's work -------------------------------------------------


def _no_head(d: Dossier) -> Dossier:
    d.groups = {k: v for k, v in d.groups.items() if k != "paraaf"}
    return d


def test_advice_is_recorded_when_nobody_is_found_for_the_next_stage() -> None:
    d = _no_head(Dossier())
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    events = d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    assert d.types(events) == ["AdviceGiven", "StageCompleted", "StageStarted"]
    paraaf = d.state.stages["paraaf"]
    assert paraaf.assignees == () and d.state.is_open
    active = summarize(d.state, d.flow).active
    assert [(s.stage_id, s.waiting_for) for s in active] == [("paraaf", ())]


def test_the_beheerders_are_told_when_nobody_is_found() -> None:
    d = _no_head(Dossier())
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    events = d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    told = notifications_for(events, d.state)
    assert [(n.recipient, n.kind) for n in told if n.kind != "access"] == [(ADMIN, "unstaffed")]


def test_a_beheerder_staffs_the_unstaffed_stage_by_reassigning() -> None:
    d = _no_head(Dossier())
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    staff = c.Reassign(dossier_id=d.dossier_id, actor=ADMIN, command_id="r-1",
                       stage_id="paraaf", from_oid="", to=HEAD, reason="Geen manager bekend")
    events = d.run(staff)
    assert [(n.recipient, n.kind) for n in notifications_for(events, d.state)
            if n.kind != "access"] == [(HEAD, "task")]  # (document access is its own work)
    assert tasks([summarize(d.state, d.flow)], HEAD.oid)
    d.act(HEAD, A.INITIAL)
    assert [s.stage_id for s in d.state.active_stages()] == ["accord"]


def test_only_a_beheerder_staffs_a_stage_and_a_staffed_one_needs_from() -> None:
    d = _no_head(Dossier())
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    before = len(d.events)
    with pytest.raises(NotEntitled):
        d.run(c.Reassign(dossier_id=d.dossier_id, actor=DIRECTOR, command_id="r-1",
                         stage_id="paraaf", from_oid="", to=HEAD, reason="x"))
    d2 = Dossier()
    d2.start()
    with pytest.raises(InvalidInput, match="--from"):
        d2.run(c.Reassign(dossier_id=d2.dossier_id, actor=ADMIN, command_id="r-2",
                          stage_id="juridisch_advies", from_oid="", to=HEAD, reason="x"))
    assert len(d.events) == before


def test_a_dossier_whose_first_stage_finds_nobody_starts_and_waits() -> None:
    d = Dossier(groups={})
    d.start()
    assert d.state.is_open
    assert {s.stage_id: s.assignees for s in d.state.active_stages()} == {
        "financieel_advies": (), "juridisch_advies": ()}


def test_nobody_can_act_in_an_unstaffed_stage() -> None:
    d = _no_head(Dossier())
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    with pytest.raises((NotEntitled, ActionNotAllowed)):
        d.act(HEAD, A.INITIAL)


# --- who may start a flow ------------------------------------------------------------------


def test_someone_the_flow_does_not_name_as_starter_cannot_start() -> None:
    d = Dossier(may_start=False)
    with pytest.raises(NotEntitled, match="starters"):
        d.start(actor=OUTSIDER)
    assert d.events == []


def test_a_starter_starts() -> None:
    d = Dossier()
    d.start(actor=ANNA)
    assert d.state.initiator == ANNA
