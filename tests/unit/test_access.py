"""Document access follows the stage, in both directions: whoever holds a task writes (reads,
to acknowledge); when their part ends the write goes, and read stays only for the initiator,
the people who acted and beheerders."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from approvals import commands as c
from approvals.access import ACCESS_KIND, Level, desired_access
from approvals.dossier import DossierState, fold
from approvals.flows.definition import StageKind
from approvals.identity import SYSTEM
from approvals.notifications import notifications_for
from tests.cards_render.samples import kind_dossier
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
)


def levels(d: Dossier, admins: frozenset[str] = frozenset()) -> dict[str, str]:
    wanted = desired_access(d.state, d.flow, admins)
    assert all(oid == a.person.oid for oid, a in wanted.items())
    return {oid: a.level.value for oid, a in wanted.items()}


def _run(d: Dossier, kind: type[c.Command], actor: object, **kw: object) -> None:
    d.run(kind(dossier_id=d.dossier_id, actor=actor, command_id=d._id(), **kw))  # type: ignore[arg-type]


def _at_paraaf() -> Dossier:
    d = Dossier()
    d.start()
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.NEUTRAAL)
    return d


def test_assignees_write_when_their_stage_starts_and_the_initiator_reads() -> None:
    d = Dossier()
    d.start()
    assert levels(d) == {ANNA.oid: "read", JURIST.oid: "write", JURIST2.oid: "write",
                         FINANCE.oid: "write"}


def test_when_a_stage_completes_its_people_lose_write_and_only_who_acted_keeps_read() -> None:
    d = Dossier()
    d.start()
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)  # juridisch: any one completes it
    assert levels(d) == {ANNA.oid: "read", JURIST.oid: "read", JURIST2.oid: "none",
                         FINANCE.oid: "write"}
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.NEUTRAAL)
    assert levels(d) == {ANNA.oid: "read", JURIST.oid: "read", JURIST2.oid: "none",
                         FINANCE.oid: "read", HEAD.oid: "write"}


def test_delegating_hands_the_write_access_to_the_substitute() -> None:
    d = _at_paraaf()
    _run(d, c.Delegate, HEAD, to=OUTSIDER, reason="Met vakantie")
    got = levels(d)
    assert (got[HEAD.oid], got[OUTSIDER.oid]) == ("none", "write")


def test_reassigning_takes_the_write_access_from_the_person_reassigned_away() -> None:
    d = _at_paraaf()
    _run(d, c.Reassign, ADMIN, stage_id="paraaf", from_oid=HEAD.oid, to=OUTSIDER,
         reason="Afwezig")
    got = levels(d)
    assert (got[HEAD.oid], got[OUTSIDER.oid], got[ADMIN.oid]) == ("none", "write", "read")


def test_returning_gives_the_earlier_stage_write_again_and_the_returner_read() -> None:
    d = _at_paraaf()
    _run(d, c.Return, HEAD, to_stage="juridisch_advies", reason="Aanbesteding toetsen.")
    assert levels(d) == {ANNA.oid: "read", JURIST.oid: "write", JURIST2.oid: "write",
                         FINANCE.oid: "read", HEAD.oid: "read"}


def _decided(d: Dossier) -> None:
    d.act(HEAD, c.Action.INITIAL)
    d.act(DIRECTOR, c.Action.APPROVE)
    d.act(MAYOR, c.Action.DECIDE, text="Besloten.")


CLOSES: dict[str, Callable[[Dossier], None]] = {
    "decided": _decided,
    "rejected": lambda d: _run(d, c.Reject, HEAD, reason="Niet haalbaar."),
    "withdrawn": lambda d: _run(d, c.Withdraw, ANNA, reason="Niet meer nodig."),
}


@pytest.mark.parametrize("close", sorted(CLOSES))
def test_a_closed_dossier_gives_nobody_write(close: str) -> None:
    d = _at_paraaf()
    CLOSES[close](d)
    assert not d.state.is_open
    got = levels(d)
    assert Level.WRITE.value not in got.values()
    actors = {e.actor.oid for e in d.events}
    assert {oid for oid, level in got.items() if level == "read"} == actors
    assert got[JURIST2.oid] == "none"


def test_beheerders_keep_read() -> None:
    d = Dossier()
    d.start()
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    assert levels(d, frozenset({JURIST2.oid}))[JURIST2.oid] == "read"


def test_acknowledge_holders_read() -> None:
    d = kind_dossier(StageKind.ACKNOWLEDGE)
    got = levels(d)
    assert (got[DIRECTOR.oid], got[MAYOR.oid], got[HEAD.oid]) == ("read", "read", "read")


def _history() -> Dossier:
    """Every way a part can end, one after the other."""
    d = Dossier()
    d.start()
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.NEGATIEF)
    _run(d, c.Delegate, HEAD, to=OUTSIDER, reason="Met vakantie")
    _run(d, c.Reassign, ADMIN, stage_id="paraaf", from_oid=HEAD.oid, to=ALDERMAN,
         reason="Afwezig")
    _run(d, c.Return, ALDERMAN, to_stage="juridisch_advies", reason="Opnieuw toetsen.")
    d.act(JURIST2, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    d.act(HEAD, c.Action.INITIAL)  # a new round: the group again
    d.act(DIRECTOR, c.Action.APPROVE)
    _run(d, c.Return, MAYOR, to_stage="accord", reason="Graag nog een blik.")
    d.act(DIRECTOR, c.Action.APPROVE)
    d.act(ALDERMAN, c.Action.DECIDE, text="Besloten.")
    return d


def _holders(state: DossierState) -> set[str]:
    return {state.stages[s.stage_id].delegations.get(p.oid, p).oid
            for s in state.active_stages() for p in s.assignees} if state.is_open else set()


def test_at_every_point_of_a_history_write_is_exactly_the_task_holders() -> None:
    d = _history()
    for n in range(1, len(d.events) + 1):
        state = fold(d.events[:n])
        assert state is not None
        wanted = desired_access(state, d.flow)
        writers = {oid for oid, a in wanted.items() if a.level is Level.WRITE}
        assert writers == _holders(state), d.events[n - 1].type
        readers = {oid for oid, a in wanted.items() if a.level is not Level.NONE}
        assert readers >= {e.actor.oid for e in d.events[:n] if e.type.value != "Delegated"}
        assert set(wanted) >= state.participants  # everyone involved has an entry


def test_commits_that_can_change_access_add_one_access_row() -> None:
    d = Dossier()
    started = d.start()
    rows = [n for n in notifications_for(started, d.state) if n.kind == ACCESS_KIND]
    assert [(n.recipient, n.event_id) for n in rows] == [(SYSTEM, started[-1].event_id)]
    commented = d.run(c.AddComment(dossier_id=d.dossier_id, actor=ANNA, command_id="cmt-1",
                                   text="Graag snel."))
    assert not [n for n in notifications_for(commented, d.state) if n.kind == ACCESS_KIND]
