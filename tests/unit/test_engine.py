"""The engine's rules, driven through the pure decide/fold loop."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.audit import ChainRecord, verify_chain
from approvals.dossier import DossierStatus, StageStatus, fold
from approvals.engine import decide, seal
from approvals.errors import (
    ActionNotAllowed,
    ChainBroken,
    FourEyesViolation,
    InvalidInput,
    NotEntitled,
)
from approvals.flows.definition import CompletionMode, CompletionRule
from approvals.readmodels import decision_register, summarize, tasks, timeline, who_is_to_act
from tests.support.domain_kit import (
    ADMIN,
    ALDERMAN,
    ANNA,
    DIRECTOR,
    FINANCE,
    HEAD,
    JURIST,
    JURIST2,
    MAYOR,
    OUTSIDER,
    Dossier,
    college_flow,
)

A = c.Action


def _through_advice(d: Dossier) -> None:
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF, text="Juridisch akkoord")
    d.act(FINANCE, A.ADVISE, advice=c.Advice.NEUTRAAL, text="Dekking in begroting")


def test_start_opens_the_parallel_advice_stages() -> None:
    d = Dossier()
    d.start()
    assert d.types() == ["DossierStarted", "StageStarted", "StageStarted"]
    assert [s.stage_id for s in d.state.active_stages()] == ["financieel_advies",
                                                              "juridisch_advies"]
    juridisch = d.state.stages["juridisch_advies"]
    assert juridisch.assignees == (JURIST, JURIST2)
    assert juridisch.due == "2026-11-30"  # five working days after Monday 23 November


def test_condition_skips_financial_advice_below_threshold() -> None:
    d = Dossier()
    d.start(bedrag=5000)
    assert "StageSkipped" in d.types()
    assert d.state.stages["financieel_advies"].status is StageStatus.SKIPPED
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    assert [s.stage_id for s in d.state.active_stages()] == ["paraaf"]


def test_full_flow_to_decision() -> None:
    d = Dossier()
    _through_advice(d)
    assert [s.stage_id for s in d.state.active_stages()] == ["paraaf"]
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE, text="Akkoord")
    events = d.act(MAYOR, A.DECIDE, text="Het college besluit conform")
    assert [e.type.value for e in events] == ["Decided", "StageCompleted", "DossierCompleted"]
    state = d.state
    assert state.status is DossierStatus.COMPLETED
    assert state.decision is not None and state.decision.text == "Het college besluit conform"
    assert events[-1].payload == ev.DossierCompleted(outcome="decided")
    register = decision_register([state])
    assert register[0].by == MAYOR


def test_any_completion_needs_one_of_two_advisers() -> None:
    d = Dossier()
    d.start()
    events = d.act(JURIST2, A.ADVISE, advice=c.Advice.NEGATIEF, text="Strijdig met APV")
    assert [e.type.value for e in events] == ["AdviceGiven", "StageCompleted"]
    assert d.state.advice[0].advice == "negatief"


def test_non_assignee_cannot_initial() -> None:
    d = Dossier()
    _through_advice(d)
    before = len(d.events)
    with pytest.raises(NotEntitled):
        d.act(OUTSIDER, A.INITIAL)
    assert len(d.events) == before


def test_action_must_fit_the_stage_kind() -> None:
    d = Dossier()
    _through_advice(d)
    with pytest.raises(ActionNotAllowed):
        d.act(HEAD, A.APPROVE)
    with pytest.raises(ActionNotAllowed):
        d.act(HEAD, A.APPROVE, stage_id="paraaf")


def test_assignee_cannot_act_twice_in_a_stage() -> None:
    d = Dossier()
    d.start()
    d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    with pytest.raises(NotEntitled):
        d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)


def test_advice_needs_a_value_and_other_actions_refuse_one() -> None:
    d = Dossier()
    d.start()
    with pytest.raises(InvalidInput, match="positief, negatief or neutraal"):
        d.act(JURIST, A.ADVISE)
    _through = Dossier()
    _through_advice(_through)
    with pytest.raises(InvalidInput):
        _through.act(HEAD, A.INITIAL, advice=c.Advice.POSITIEF)


def test_return_needs_a_reason_and_an_allowed_target() -> None:
    d = Dossier()
    _through_advice(d)
    ret: dict[str, Any] = dict(dossier_id=d.dossier_id, actor=HEAD)
    with pytest.raises(InvalidInput, match="reason"):
        d.run(c.Return(**ret, command_id="r1", to_stage="juridisch_advies", reason="  "))
    with pytest.raises(ActionNotAllowed, match="Allowed: juridisch_advies, financieel_advies"):
        d.run(c.Return(**ret, command_id="r2", to_stage="besluit", reason="Nee"))
    events = d.run(c.Return(**ret, command_id="r3", to_stage="juridisch_advies",
                            reason="Graag de nieuwe APV toetsen"))
    assert [e.type.value for e in events] == ["DossierReturned", "StageStarted"]
    state = d.state
    assert state.stages["paraaf"].status is StageStatus.CLOSED
    assert state.stages["juridisch_advies"].round == 2
    assert [s.stage_id for s in state.active_stages()] == ["juridisch_advies"]
    # the resubmission: the sibling advice stays done, so the flow moves on to paraaf again
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF, text="Getoetst")
    assert [s.stage_id for s in d.state.active_stages()] == ["paraaf"]
    assert d.state.stages["paraaf"].round == 2


def test_reject_stops_the_dossier_with_a_reason() -> None:
    d = Dossier()
    _through_advice(d)
    with pytest.raises(InvalidInput):
        d.run(c.Reject(dossier_id=d.dossier_id, actor=HEAD, command_id="x", reason=""))
    d.run(c.Reject(dossier_id=d.dossier_id, actor=HEAD, command_id="y", reason="Te duur"))
    assert d.state.status is DossierStatus.REJECTED
    assert d.state.end_reason == "Te duur"
    assert d.state.active_stages() == ()
    with pytest.raises(ActionNotAllowed, match="closed"):
        d.act(HEAD, A.INITIAL)


def test_delegate_lets_a_substitute_act_on_behalf() -> None:
    d = Dossier()
    _through_advice(d)
    d.run(c.Delegate(dossier_id=d.dossier_id, actor=HEAD, command_id="del", to=OUTSIDER,
                     reason="Met verlof"))
    events = d.act(OUTSIDER, A.INITIAL, text="Namens het afdelingshoofd")
    assert events[0].actor == OUTSIDER
    assert events[0].on_behalf_of == HEAD
    assert isinstance(events[0].payload, ev.Initialled)
    assert events[0].payload.slot == HEAD.oid


def test_only_the_assignee_can_delegate_and_not_to_themselves() -> None:
    d = Dossier()
    _through_advice(d)
    with pytest.raises(InvalidInput):
        d.run(c.Delegate(dossier_id=d.dossier_id, actor=HEAD, command_id="a", to=HEAD,
                         reason="x"))
    with pytest.raises(NotEntitled):
        d.run(c.Delegate(dossier_id=d.dossier_id, actor=OUTSIDER, command_id="b",
                         to=ANNA, reason="x"))


def test_withdraw_only_by_initiator_or_admin() -> None:
    d = Dossier()
    d.start()
    with pytest.raises(NotEntitled):
        d.run(c.Withdraw(dossier_id=d.dossier_id, actor=JURIST, command_id="w1", reason="x"))
    d.run(c.Withdraw(dossier_id=d.dossier_id, actor=ADMIN, command_id="w2",
                     reason="Dubbel ingediend"))
    assert d.state.status is DossierStatus.WITHDRAWN


def test_admin_reassigns_and_moves_the_due_date() -> None:
    d = Dossier()
    d.start()
    base: dict[str, Any] = dict(dossier_id=d.dossier_id, reason="Ziek")
    with pytest.raises(NotEntitled):
        d.run(c.Reassign(**base, actor=ANNA, command_id="a", stage_id="juridisch_advies",
                         from_oid=JURIST.oid, to=OUTSIDER))
    d.run(c.Reassign(**base, actor=ADMIN, command_id="b", stage_id="juridisch_advies",
                     from_oid=JURIST.oid, to=OUTSIDER))
    assert OUTSIDER in d.state.stages["juridisch_advies"].assignees
    with pytest.raises(InvalidInput, match="past"):
        d.run(c.ChangeDueDate(**base, actor=ADMIN, command_id="c",
                              stage_id="juridisch_advies", due=date(2026, 1, 1)))
    d.run(c.ChangeDueDate(**base, actor=ADMIN, command_id="d", stage_id="juridisch_advies",
                          due=date(2026, 12, 11)))
    assert d.state.stages["juridisch_advies"].due == "2026-12-11"


def test_comments_and_documents_from_participants_only() -> None:
    d = Dossier()
    d.start()
    with pytest.raises(NotEntitled):
        d.run(c.AddComment(dossier_id=d.dossier_id, actor=OUTSIDER, command_id="a", text="hoi"))
    d.run(c.AddComment(dossier_id=d.dossier_id, actor=JURIST, command_id="b", text="Zie art. 4"))
    d.run(c.Attach(dossier_id=d.dossier_id, actor=ANNA, command_id="c", name="voorstel.docx",
                   uri="file:///x", sha256="a" * 64, size=10))
    assert d.state.documents[0].name == "voorstel.docx"
    with pytest.raises(InvalidInput):
        d.run(c.Attach(dossier_id=d.dossier_id, actor=ANNA, command_id="e",
                       name="../etc/passwd", uri="x", sha256="a" * 64, size=1))


def test_oversized_input_is_refused_and_changes_nothing() -> None:
    d = Dossier()
    d.start()
    before = len(d.events)
    with pytest.raises(InvalidInput, match="too long"):
        d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF, text="x" * 100_000)
    assert len(d.events) == before


def test_fields_are_checked_at_start() -> None:
    with pytest.raises(InvalidInput, match="required"):
        Dossier().start(bedrag=None)
    with pytest.raises(InvalidInput, match="Unknown field"):
        Dossier().start(kleur="rood")
    with pytest.raises(InvalidInput, match="bedrag"):
        Dossier().start(bedrag="veel")
    d = Dossier()
    d.start(bedrag="12.500,50")
    assert d.state.fields["bedrag"] == 12500.5


def test_tick_reminds_then_escalates_once() -> None:
    d = Dossier()
    d.start()
    tick: dict[str, Any] = dict(dossier_id=d.dossier_id, actor=ADMIN,
                                escalate_to={JURIST.oid: HEAD})
    d.today = date(2026, 11, 27)  # one working day before the due date
    assert [e.type.value for e in d.run(c.Tick(**tick, command_id="t1"))] == ["ReminderSent"]
    assert d.run(c.Tick(**tick, command_id="t2")) == []
    d.today = date(2026, 12, 1)
    events = d.run(c.Tick(**tick, command_id="t3"))
    assert [e.type.value for e in events] == ["Escalated"]
    assert isinstance(events[0].payload, ev.Escalated)
    assert events[0].payload.recipients[0].oid == HEAD.oid
    assert d.run(c.Tick(**tick, command_id="t4")) == []


def test_read_models_show_who_is_to_act() -> None:
    d = Dossier()
    d.start()
    state = d.state
    active = who_is_to_act(state, d.flow)
    assert {s.stage_id for s in active} == {"juridisch_advies", "financieel_advies"}
    summary = summarize(state, d.flow)
    assert summary.due == "2026-11-30"
    assert JURIST.oid in summary.actors()
    assert tasks([summary], JURIST.oid) == [summary]
    assert tasks([summary], OUTSIDER.oid) == []
    assert active[0].overdue(date(2026, 12, 31)) or active[1].overdue(date(2026, 12, 31))
    lines = timeline(d.events)
    assert lines[0].type == "DossierStarted" and lines[0].actor == ANNA


def test_every_event_chains_to_the_one_before() -> None:
    d = Dossier()
    _through_advice(d)
    records = [ChainRecord(e.dossier_id, e.seq, e.record, e.hash) for e in d.events]
    assert verify_chain(records) == []
    assert [e.seq for e in d.events] == list(range(1, len(d.events) + 1))


def test_fold_refuses_a_gap_or_a_foreign_hash() -> None:
    d = Dossier()
    _through_advice(d)
    with pytest.raises(ChainBroken):
        fold([d.events[0], d.events[2]])
    with pytest.raises(ChainBroken):
        fold([d.events[0], replace(d.events[1], prev_hash="f" * 64)])
    with pytest.raises(ChainBroken):
        fold([d.events[1]])  # a dossier begins with DossierStarted


def test_a_second_decider_is_not_needed_with_quorum_one() -> None:
    d = Dossier()
    _through_advice(d)
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE)
    d.act(ALDERMAN, A.DECIDE, text="Conform")
    with pytest.raises(ActionNotAllowed):
        d.act(MAYOR, A.DECIDE)


def test_acting_in_two_stages_needs_a_stage_name() -> None:
    groups = {"juridisch_advies": (JURIST,), "financieel_advies": (JURIST,), "paraaf": (HEAD,),
              "accord": (DIRECTOR,), "besluit": (MAYOR,)}
    d = Dossier(groups=groups)
    d.start()
    with pytest.raises(InvalidInput, match="name the stage"):
        d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF, stage_id="financieel_advies")


def test_delegation_keeps_four_eyes() -> None:
    d = Dossier()
    _through_advice(d)
    base: dict[str, Any] = {"dossier_id": d.dossier_id, "actor": HEAD, "reason": "Met verlof"}
    with pytest.raises(FourEyesViolation, match="initiator"):
        d.run(c.Delegate(**base, command_id="d1", to=ANNA))
    d2 = Dossier()
    d2.start()
    with pytest.raises(InvalidInput, match="already has a task"):
        d2.run(c.Delegate(dossier_id=d2.dossier_id, actor=JURIST, reason="x",
                          command_id="d2", to=JURIST2))


def _all_must_decide() -> Dossier:
    flow = college_flow()
    last = flow.steps[-1]
    decide_all = replace(last.stages[0], completion=CompletionRule(CompletionMode.ALL))
    steps = (*flow.steps[:-1], replace(last, stages=(decide_all,)))
    return Dossier(flow=replace(flow, steps=steps, _stage_index={}))


def test_a_decision_counts_only_when_its_stage_completes() -> None:
    d = _all_must_decide()
    _through_advice(d)
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE)
    d.act(MAYOR, A.DECIDE, text="Het college stemt in")
    assert d.state.decision is None  # the alderman has not decided yet
    d.run(c.Reject(dossier_id=d.dossier_id, actor=ALDERMAN, command_id="rej",
                   reason="Niet mee eens"))
    assert d.state.decision is None
    assert decision_register([d.state]) == []


def test_a_return_takes_a_decision_back() -> None:
    d = _all_must_decide()
    _through_advice(d)
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE)
    d.act(MAYOR, A.DECIDE, text="Conform")
    d.run(c.Return(dossier_id=d.dossier_id, actor=ALDERMAN, command_id="ret",
                   to_stage="accord", reason="Eerst de directeur opnieuw"))
    assert d.state.decision is None
    d.act(DIRECTOR, A.APPROVE)
    d.act(MAYOR, A.DECIDE, text="Conform")
    d.act(ALDERMAN, A.DECIDE, text="Conform, met aantekening")
    assert d.state.decision is not None and d.state.decision.by == ALDERMAN
    assert d.state.status is DossierStatus.COMPLETED


def test_an_action_for_an_earlier_round_is_refused() -> None:
    d = Dossier()
    _through_advice(d)
    d.run(c.Return(dossier_id=d.dossier_id, actor=HEAD, command_id="r", round=1,
                   to_stage="juridisch_advies", reason="Opnieuw"))
    before = len(d.events)
    with pytest.raises(ActionNotAllowed, match="started again"):
        d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF, stage_id="juridisch_advies",
              round=1)
    assert len(d.events) == before
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF, stage_id="juridisch_advies", round=2)


def test_a_command_is_sealed_after_the_head_of_the_dossier() -> None:
    """The one sealing the service and the test kit share: numbered after the head, chained to
    its hash, the command's id on the first event, the time in the events' format."""
    d = Dossier()
    d.start()
    state = d.state
    cmd = c.AddComment(dossier_id=d.dossier_id, actor=ANNA, command_id="opmerking-1",
                       text="Graag de financiële paragraaf aanvullen")
    sealed = seal(state, cmd, decide(state, cmd, d.context(ANNA)),
                  datetime(2026, 11, 24, 10, 30, 5, 120, tzinfo=UTC))
    assert [(e.seq, e.event_id) for e in sealed] == [(state.version + 1, "opmerking-1")]
    assert sealed[0].prev_hash == state.head_hash
    assert sealed[0].timestamp == "2026-11-24T10:30:05.000120Z"
    records = [ChainRecord(e.dossier_id, e.seq, e.record, e.hash) for e in (*d.events, *sealed)]
    assert verify_chain(records) == []
    assert seal(state, cmd, decide(state, cmd, d.context(ANNA)),
                datetime(2026, 11, 24, 10, 30, 5, 120, tzinfo=UTC)) == sealed  # a retry


def test_the_first_command_is_sealed_from_the_genesis() -> None:
    d = Dossier()
    first = d.start()
    assert [e.seq for e in first] == list(range(1, len(first) + 1))
    assert first[0].prev_hash == "0" * 64 and first[0].event_id == "cmd-1"
