"""Realistic sealed events, summaries and flows for the adapter-contract suites."""

from __future__ import annotations

from collections.abc import Sequence

from approvals import event_payloads as ev
from approvals.events import GENESIS_HASH, Event, PendingEvent, seal_all
from approvals.flows.definition import FlowDefinition
from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import Notification
from approvals.readmodels import ActiveStage, DossierSummary

TENANT = "7d3b0c4e-2a51-4f8e-9c6d-0b1a2e3f4d5c"


def _person(name: str, number: int) -> Person:
    return Person(f"00000000-0000-4000-8000-{number:012d}", f"{name.lower()}@voorbeeldstad.nl",
                  name, TENANT)


ANNA = _person("Anna", 1)  # initiator
BART = _person("Bart", 2)  # jurist
CHRIS = _person("Chris", 3)  # afdelingshoofd
DEWI = _person("Dewi", 4)  # Bart's vervanger

STAMP = "2026-11-23T09:00:00.000000Z"


def start(dossier_id: str, *, first_id: str = "", title: str = "Parkeerbeleid 2027",
          assignees: Sequence[Person] = (BART,), comments: int = 0,
          timestamp: str = STAMP) -> list[Event]:
    """DossierStarted, StageStarted (juridisch advies) and ``comments`` CommentAdded events."""
    pending = [
        PendingEvent(ev.DossierStarted(
            flow_id="collegevoorstel", flow_version=1, title=title,
            fields={"onderwerp": "Parkeren in de binnenstad", "bedrag": 12500},
            initiator=ANNA,
        )),
        PendingEvent(ev.StageStarted(
            stage="juridisch_advies", step=0, round=1, assignees=tuple(assignees),
            due="2026-11-30",
        )),
    ]
    pending += _comments(comments)
    return seal_all(pending, dossier_id=dossier_id, after_seq=0, prev_hash=GENESIS_HASH,
                    actor=ANNA, channel="card", timestamp=timestamp,
                    first_event_id=first_id or f"{dossier_id}-start")


def more(previous: Sequence[Event], count: int = 1, *, first_id: str = "",
         actor: Person = BART, timestamp: str = STAMP) -> list[Event]:
    """``count`` comments after ``previous`` (the events stored so far)."""
    last = previous[-1]
    return seal_all(_comments(count), dossier_id=last.dossier_id, after_seq=last.seq,
                    prev_hash=last.hash, actor=actor, channel="tab", timestamp=timestamp,
                    first_event_id=first_id or f"{last.dossier_id}-c{last.seq + 1}")


def _comments(count: int) -> list[PendingEvent]:
    return [PendingEvent(ev.CommentAdded(
        text=f"Opmerking {n}: graag de financiële paragraaf aanvullen ✓")) for n in range(count)]


def summary(events: Sequence[Event], *, status: str = "open",
            waiting: Sequence[Person] = (BART,), substitutes: Sequence[tuple[str, Person]] = (),
            due: str | None = "2026-11-30", created_at: str = STAMP,
            updated_at: str = "") -> DossierSummary:
    """The projection after ``events`` (all of the dossier's events, or at least the last)."""
    last = events[-1]
    active = () if status != "open" else (
        ActiveStage(stage_id="juridisch_advies", title="Juridisch advies", kind="advise",
                    round=1, waiting_for=tuple(waiting), substitutes=tuple(substitutes), due=due),
    )
    return DossierSummary(
        id=last.dossier_id, title="Parkeerbeleid 2027", flow_id="collegevoorstel",
        flow_version=1, flow_title="Collegevoorstel", status=status, initiator=ANNA,
        active=active, created_at=created_at, updated_at=updated_at or last.timestamp,
        version=last.seq, head_hash=last.hash,
        decision="Vastgesteld" if status == "completed" else "",
    )


def tell(events: Sequence[Event], *people: Person, kind: str = "task") -> list[Notification]:
    """One notification per person about the batch's last event."""
    last = events[-1]
    return [Notification(last.dossier_id, last.event_id, p, kind) for p in people]


FLOW_TEMPLATE = """\
schema: paraaf/flow/v1
id: {id}
version: {version}
title: {title}
stages:
  - id: paraaf
    kind: initial
    title: Paraaf afdelingshoofd
    assignees:
      - manager: 1
"""


def flow(flow_id: str = "melding", version: int = 1,
         title: str = "Melding aan het college") -> tuple[FlowDefinition, str]:
    """A valid flow definition and its YAML source."""
    source = FLOW_TEMPLATE.format(id=flow_id, version=version, title=title)
    return parse_flow(source, f"{flow_id}.yaml"), source
