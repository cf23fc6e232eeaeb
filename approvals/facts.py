"""A dossier's facts for the decision register and insight: who is involved, the decision,
and how long each stage waited, folded from its events.

The fold is incremental (:func:`advance` takes the facts so far and the new events), so a
store can keep the facts beside the events at every append and answer the register and the
insight from them without reading every event again; a store that keeps nothing folds every
dossier's events with the same function.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from approvals import event_payloads as ev
from approvals.events import Event, EventType
from approvals.identity import Person
from approvals.readmodels import RegisteredDecision

OPEN = ""
COMPLETED = "completed"
RETURNED = "returned"
ENDED = "ended"


@dataclass(frozen=True, slots=True)
class StageSpan:
    """One stage round from its start to its end: ``outcome`` is ``completed`` (done),
    ``returned`` (sent back before it was done), ``ended`` (the dossier stopped) or empty
    (still open)."""

    stage_id: str
    round: int
    kind: str
    started: str  # ISO 8601, UTC
    due: str | None  # ISO date
    ended: str | None = None
    outcome: str = OPEN

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage_id, "round": self.round, "kind": self.kind,
                "started": self.started, "due": self.due, "ended": self.ended,
                "outcome": self.outcome}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StageSpan:
        return cls(stage_id=str(data["stage"]), round=int(data["round"]),
                   kind=str(data["kind"]), started=str(data["started"]), due=data["due"],
                   ended=data["ended"], outcome=str(data["outcome"]))


@dataclass(frozen=True, slots=True)
class SignedFacts:
    """The signed PDF of the dossier's latest signature: its name, link, signers, time."""

    name: str
    uri: str
    signers: tuple[str, ...]
    at: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "uri": self.uri, "signers": list(self.signers),
                "at": self.at}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SignedFacts:
        return cls(name=str(data["name"]), uri=str(data["uri"]),
                   signers=tuple(str(n) for n in data["signers"]), at=str(data["at"]))


@dataclass(frozen=True, slots=True)
class DossierFacts:
    """What the register and the insight know of one dossier."""

    dossier_id: str
    title: str
    flow_id: str
    flow_title: str
    initiator: Person
    started: str
    status: str = "open"
    ended: str | None = None
    participants: frozenset[str] = frozenset()
    decision: RegisteredDecision | None = None
    spans: tuple[StageSpan, ...] = ()
    signed: SignedFacts | None = None  # the latest signature on the decision

    def to_json(self) -> dict[str, Any]:
        d = self.decision
        return {
            "id": self.dossier_id, "title": self.title, "flow_id": self.flow_id,
            "flow_title": self.flow_title, "initiator": self.initiator.to_json(),
            "started": self.started, "status": self.status, "ended": self.ended,
            "participants": sorted(self.participants),
            "decision": None if d is None else {
                "stage": d.stage_id, "text": d.text, "by": d.by.to_json(),
                "on_behalf_of": d.on_behalf_of.to_json() if d.on_behalf_of else None,
                "at": d.at} | ({"register_url": d.register_url} if d.register_url else {}),
            "spans": [s.to_json() for s in self.spans],
            **({"signed": self.signed.to_json()} if self.signed is not None else {}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DossierFacts:
        d = data["decision"]
        decision = None if d is None else RegisteredDecision(
            dossier_id=str(data["id"]), title=str(data["title"]), flow_id=str(data["flow_id"]),
            stage_id=str(d["stage"]), text=str(d["text"]), by=Person.from_json(d["by"]),
            on_behalf_of=Person.from_json(d["on_behalf_of"]) if d["on_behalf_of"] else None,
            at=str(d["at"]), register_url=str(d.get("register_url", "")))
        return cls(
            dossier_id=str(data["id"]), title=str(data["title"]), flow_id=str(data["flow_id"]),
            flow_title=str(data["flow_title"]), initiator=Person.from_json(data["initiator"]),
            started=str(data["started"]), status=str(data["status"]), ended=data["ended"],
            participants=frozenset(data["participants"]), decision=decision,
            spans=tuple(StageSpan.from_json(s) for s in data["spans"]),
            signed=SignedFacts.from_json(data["signed"]) if data.get("signed") else None)

    def involves(self, oid: str) -> bool:
        """Whether the person is involved in the dossier (as its page is open to them)."""
        return oid in self.participants


def _close(spans: tuple[StageSpan, ...], at: str, outcome: str,
           stage: str | None = None, round_: int | None = None) -> tuple[StageSpan, ...]:
    return tuple(
        replace(s, ended=at, outcome=outcome)
        if s.outcome == OPEN and (stage is None or (s.stage_id == stage and s.round == round_))
        else s
        for s in spans)


def _step(facts: DossierFacts, event: Event) -> DossierFacts:
    p = event.payload
    at = event.timestamp
    involved = set()
    match p:
        case ev.StageStarted():
            kind = p.kind or ""
            facts = replace(facts, spans=(*facts.spans, StageSpan(
                stage_id=p.stage, round=p.round, kind=kind, started=at, due=p.due)))
            involved |= {a.oid for a in p.assignees}
            involved |= {str(sub["to"]["oid"]) for sub in (p.substitutes or {}).values()}
        case ev.Decided():
            facts = replace(facts, decision=RegisteredDecision(
                dossier_id=facts.dossier_id, title=facts.title, flow_id=facts.flow_id,
                stage_id=p.stage, text=p.text or "", by=event.actor,
                on_behalf_of=event.on_behalf_of, at=at))
        case ev.DocumentSigned():
            facts = replace(facts, signed=SignedFacts(
                name=p.name, uri=p.uri, signers=tuple(who.name or who.upn for who in p.signers),
                at=p.signed_at))
        case ev.DecisionRegistered() if facts.decision is not None:
            facts = replace(facts, decision=replace(facts.decision, register_url=p.url))
        case ev.StageCompleted():
            facts = replace(facts, spans=_close(facts.spans, at, COMPLETED, p.stage, p.round))
        case ev.DossierReturned():
            facts = replace(facts, spans=_close(facts.spans, at, RETURNED))
        case ev.DossierRejected() | ev.DossierWithdrawn() | ev.DossierCompleted():
            status = {ev.DossierRejected: "rejected", ev.DossierWithdrawn: "withdrawn"}.get(
                type(p), "completed")
            facts = replace(facts, spans=_close(facts.spans, at, ENDED), status=status,
                            ended=at)
        case ev.Delegated() | ev.Reassigned():
            involved.add(p.to.oid)
        case ev.DueDateChanged():
            facts = replace(facts, spans=tuple(
                replace(s, due=p.due) if s.outcome == OPEN and s.stage_id == p.stage
                and s.round == p.round else s for s in facts.spans))
        case ev.Escalated():
            involved |= {m.oid for m in p.recipients}
    if involved - facts.participants:
        facts = replace(facts, participants=facts.participants | involved)
    return facts


QUIET = frozenset({EventType.COMMENT_ADDED, EventType.DOCUMENT_ATTACHED,
                   EventType.REMINDER_SENT})
"""Events that change no facts."""


def changes_facts(events: Iterable[Event]) -> bool:
    """Whether any of the events changes a dossier's facts (a store may skip the others)."""
    return any(e.type not in QUIET for e in events)


def advance(facts: DossierFacts | None, events: Iterable[Event],
            flow_title: str = "") -> DossierFacts | None:
    """The facts after these events (the first of a new dossier is its start); None when
    there is no start yet. ``flow_title`` names the flow as the lists show it."""
    for event in events:
        if facts is None:
            p = event.payload
            if not isinstance(p, ev.DossierStarted):
                continue
            facts = DossierFacts(
                dossier_id=event.dossier_id, title=p.title, flow_id=p.flow_id,
                flow_title=flow_title or p.flow_id, initiator=p.initiator,
                started=event.timestamp, participants=frozenset({p.initiator.oid}))
            continue
        facts = _step(facts, event)
    if facts is not None and flow_title and facts.flow_title != flow_title:
        facts = replace(facts, flow_title=flow_title)
    return facts
