"""Document access follows the stages: assignees get the dossier's folder when their stage
starts (write, or read to acknowledge), substitutes too, and nothing is ever taken away."""

from __future__ import annotations

from approvals import commands as c
from approvals.flow import StageKind
from bot.access import grant_stage_access
from tests.cards_render.samples import kind_dossier
from tests.domain_kit import (
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
from tests.fakes import InMemoryDocumentStore


async def test_advisers_get_write_access_when_their_stage_starts() -> None:
    d, documents = Dossier(), InMemoryDocumentStore()
    started = d.start()
    await grant_stage_access(documents, d.state, started)
    assert await documents.access(d.dossier_id) == {
        JURIST.oid: "write", JURIST2.oid: "write", FINANCE.oid: "write"}


async def test_later_stages_are_granted_as_they_start_not_before() -> None:
    d, documents = Dossier(), InMemoryDocumentStore()
    started = d.start(bedrag=5000)  # no financial advice
    await grant_stage_access(documents, d.state, started)
    assert HEAD.oid not in await documents.access(d.dossier_id)
    advised = d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    await grant_stage_access(documents, d.state, advised)
    assert await documents.access(d.dossier_id) == {
        JURIST.oid: "write", JURIST2.oid: "write", HEAD.oid: "write"}


async def test_acknowledge_gives_read_and_never_takes_write_away() -> None:
    d, documents = kind_dossier(StageKind.ACKNOWLEDGE), InMemoryDocumentStore()
    await documents.grant(d.dossier_id, [MAYOR], write=True)  # from an earlier stage
    await grant_stage_access(documents, d.state, d.events)
    assert await documents.access(d.dossier_id) == {
        HEAD.oid: "write", DIRECTOR.oid: "read", MAYOR.oid: "write"}


async def test_a_substitute_gets_the_access_of_the_stage() -> None:
    for kind, level in ((StageKind.APPROVE, "write"), (StageKind.ACKNOWLEDGE, "read")):
        d, documents = kind_dossier(kind), InMemoryDocumentStore()
        delegated = d.run(c.Delegate(dossier_id=d.dossier_id, actor=DIRECTOR, command_id="del-1",
                                     to=OUTSIDER, reason="Met vakantie"))
        await grant_stage_access(documents, d.state, delegated, d.flow)
        assert await documents.access(d.dossier_id) == {OUTSIDER.oid: level}


async def test_events_without_new_assignees_grant_nothing() -> None:
    d, documents = Dossier(), InMemoryDocumentStore()
    d.start()
    commented = d.run(c.AddComment(dossier_id=d.dossier_id, actor=ANNA, command_id="cmt-1",
                                   text="Graag snel."))
    await grant_stage_access(documents, d.state, commented)
    assert await documents.access(d.dossier_id) == {}


async def test_running_it_again_over_the_history_changes_nothing() -> None:
    d, documents = Dossier(), InMemoryDocumentStore()
    d.start()
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.NEUTRAAL)
    await grant_stage_access(documents, d.state, d.events)
    first = await documents.access(d.dossier_id)
    await grant_stage_access(documents, d.state, d.events)
    assert await documents.access(d.dossier_id) == first
    assert first[HEAD.oid] == "write"
