"""Typed event payloads convert to and from the record's JSON without losing a byte."""

from __future__ import annotations

import json

import pytest

from approvals import event_payloads as ev
from approvals.events import EventType, canonical_json
from approvals.identity import Person

ANNA = Person(oid="a-1", upn="anna@voorbeeldstad.nl", name="Anna", tenant="t-1")
BART = Person(oid="b-1", upn="bart@voorbeeldstad.nl", name="Bart", tenant="t-1")


def test_every_event_type_has_its_own_payload_type() -> None:
    assert set(ev.PAYLOADS) == {kind.value for kind in EventType}
    assert len(set(ev.PAYLOADS.values())) == len(EventType)


EXAMPLES: list[ev.Payload] = [
    ev.DossierStarted(flow_id="f", flow_version=2, title="T", fields={"bedrag": 12},
                      initiator=ANNA),
    ev.StageStarted(stage="s", step=0, round=1, kind="advise", assignees=(ANNA, BART),
                    due=None),
    ev.StageStarted(stage="s", step=0, round=1, kind="initial", assignees=(), due="2026-12-01",
                    notify=(), substitutes={"a-1": {"to": BART.to_json()}}),
    ev.StageSkipped(stage="s", step=1, round=1, condition="bedrag >= 10", tested={"bedrag": 5}),
    ev.StageSkipped(stage="s", step=1, round=1),
    ev.AdviceGiven(stage="s", round=1, slot="a-1", action="advise", text="", advice="positief"),
    ev.Initialled(stage="s", round=2, slot="a-1", action="initial", text="ok"),
    ev.Decided(stage="s", round=1, slot="a-1", action="decide"),
    ev.StageCompleted(stage="s", round=1),
    ev.DossierReturned(from_stage="b", to_stage="a", reason="r", slot="a-1"),
    ev.DossierRejected(stage="s", reason="r", slot="a-1"),
    ev.DossierWithdrawn(reason="r"),
    ev.DossierCompleted(outcome="decided"),
    ev.CommentAdded(text="Opmerking ✓"),
    ev.DocumentAttached(name="a.docx", uri="file:///a", sha256="", size=0, version="1"),
    ev.DocumentSigned(stage="s", round=1, slot="a-1", source="besluit.docx",
                      source_sha256="d" * 64, name="besluit.pdf", uri="file:///b", version="2",
                      size=10,
                      sha256_before="a" * 64, sha256="b" * 64, signers=(ANNA, BART),
                      signed_at="2026-12-03T10:00:00Z", provider="pades", level="PAdES-B-LTA",
                      evidence="besluit.pdf.bewijs.json", evidence_sha256="c" * 64),
    ev.Delegated(stage="s", round=1, slot="a-1", to=BART, reason="verlof"),
    ev.Reassigned(stage="s", round=1, slot="", to=BART, reason="niemand"),
    ev.DueDateChanged(stage="s", round=1, due="2026-12-01", previous=None, reason="r"),
    ev.ReminderSent(stage="s", round=1, due="2026-12-01", recipients=(ANNA,)),
    ev.Escalated(stage="s", round=1, due="2026-12-01", recipients=(BART,), waiting_for=(ANNA,)),
    ev.FlowVersionChanged(from_version=1, to_version=2, reason="nieuwe regels"),
]


@pytest.mark.parametrize("payload", EXAMPLES, ids=lambda p: type(p).__name__)
def test_a_payload_comes_back_from_its_json(payload: ev.Payload) -> None:
    data = json.loads(canonical_json(ev.payload_json(payload)))  # as stored and read back
    again = ev.payload_from_json(payload.TYPE, data)
    assert again == payload
    assert canonical_json(ev.payload_json(again)) == canonical_json(data)


def test_an_optional_field_is_left_out_when_none_and_others_are_written_as_null() -> None:
    started = ev.payload_json(EXAMPLES[1])
    assert "notify" not in started and "substitutes" not in started
    assert started["due"] is None
    assert ev.payload_json(EXAMPLES[2])["notify"] == []  # empty is not none
    changed = ev.payload_json(ev.DueDateChanged(stage="s", round=1, due="2026-12-01",
                                                previous=None, reason="r"))
    assert changed["previous"] is None


def test_keys_the_code_does_not_know_are_kept_and_written_back() -> None:
    data = {"text": "x", "channel_note": {"a": [1, 2]}}
    payload = ev.payload_from_json("CommentAdded", data)
    assert payload == ev.CommentAdded(text="x")
    assert ev.payload_json(payload) == data


def test_a_record_without_a_required_key_names_it() -> None:
    with pytest.raises(KeyError, match="reason"):
        ev.payload_from_json("DossierWithdrawn", {})
