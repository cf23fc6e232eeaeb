"""What each kind of event says: one frozen dataclass per event type, with its own fields.

The code reads and writes these; the record keeps the canonical JSON. :func:`payload_json`
and :func:`payload_from_json` convert at that boundary, and the JSON of every event recorded
so far comes back byte for byte (tests/e2e/test_stored_history.py holds a store from before
these types). Three rules make that hold:

- a field with the ``OPTIONAL`` metadata is left out of the JSON when it is None (records
  without it, older or newer, keep not having it); every other field is always written, None
  as ``null``;
- people are written as :meth:`Person.to_json` writes them;
- keys a record holds that its type does not know are kept in ``extra`` and written back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from approvals.identity import Person

_OMIT = "omit_when_none"
_KIND = "kind"  # how a value is converted: "person", "people", or plain JSON


PERSON: Mapping[str, Any] = {_KIND: "person"}
"""Field metadata: a person, written as :meth:`Person.to_json` writes it."""
PEOPLE: Mapping[str, Any] = {_KIND: "people"}
"""Field metadata: a list of people."""
OPTIONAL: Mapping[str, Any] = {_OMIT: True}
"""Field metadata: left out of the JSON when None."""
OPTIONAL_PEOPLE: Mapping[str, Any] = {_OMIT: True, _KIND: "people"}


def _no_extra() -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True, slots=True, kw_only=True)
class Payload:
    """Base of every event's payload. ``extra``: keys this code does not know (kept as is)."""

    TYPE: ClassVar[str] = ""
    extra: Mapping[str, Any] = field(default_factory=_no_extra, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class DossierStarted(Payload):
    TYPE: ClassVar[str] = "DossierStarted"
    flow_id: str
    flow_version: int
    title: str
    fields: Mapping[str, Any]
    initiator: Person = field(metadata=PERSON)


@dataclass(frozen=True, slots=True, kw_only=True)
class StageStarted(Payload):
    """A stage starts with its assignees; ``notify``: the beheerders told when nobody could
    be found; ``substitutes``: assignees away, by slot, with who takes their task."""

    TYPE: ClassVar[str] = "StageStarted"
    stage: str
    step: int
    round: int
    kind: str | None = field(default=None, metadata=OPTIONAL)
    assignees: tuple[Person, ...] = field(metadata=PEOPLE)
    due: str | None
    notify: tuple[Person, ...] | None = field(default=None, metadata=OPTIONAL_PEOPLE)
    substitutes: Mapping[str, Any] | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True, slots=True, kw_only=True)
class StageSkipped(Payload):
    """A stage left out by its condition, with the values the condition tested."""

    TYPE: ClassVar[str] = "StageSkipped"
    stage: str
    step: int
    round: int
    condition: str | None = field(default=None, metadata=OPTIONAL)
    tested: Mapping[str, Any] | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True, slots=True, kw_only=True)
class StageAction(Payload):
    """Someone did their part in a stage (``slot``: whose task it was)."""

    stage: str
    round: int
    slot: str
    action: str
    text: str | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True, slots=True, kw_only=True)
class AdviceGiven(StageAction):
    TYPE: ClassVar[str] = "AdviceGiven"
    advice: str | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True, slots=True, kw_only=True)
class Initialled(StageAction):
    TYPE: ClassVar[str] = "Initialled"


@dataclass(frozen=True, slots=True, kw_only=True)
class Approved(StageAction):
    TYPE: ClassVar[str] = "Approved"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decided(StageAction):
    TYPE: ClassVar[str] = "Decided"


@dataclass(frozen=True, slots=True, kw_only=True)
class Signed(StageAction):
    TYPE: ClassVar[str] = "Signed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Acknowledged(StageAction):
    TYPE: ClassVar[str] = "Acknowledged"


@dataclass(frozen=True, slots=True, kw_only=True)
class StageCompleted(Payload):
    TYPE: ClassVar[str] = "StageCompleted"
    stage: str
    round: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DossierReturned(Payload):
    TYPE: ClassVar[str] = "DossierReturned"
    from_stage: str
    to_stage: str
    reason: str
    slot: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DossierRejected(Payload):
    TYPE: ClassVar[str] = "DossierRejected"
    stage: str
    reason: str
    slot: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DossierWithdrawn(Payload):
    TYPE: ClassVar[str] = "DossierWithdrawn"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DossierCompleted(Payload):
    """The dossier is done: ``completed`` (its last stage) or ``decided``."""

    TYPE: ClassVar[str] = "DossierCompleted"
    outcome: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentAdded(Payload):
    TYPE: ClassVar[str] = "CommentAdded"
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentAttached(Payload):
    TYPE: ClassVar[str] = "DocumentAttached"
    name: str
    uri: str
    sha256: str
    size: int
    version: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentSigned(Payload):
    """A signature was put on the decision: the signed PDF ``name`` (stored as ``uri``,
    ``version``, hash ``sha256``) made from the PDF with hash ``sha256_before`` (the decision
    document ``source`` rendered, hash ``source_sha256``, or the PDF its earlier signers
    signed); who signed (in order), when, by which provider, at which level, and the hash of
    the provider's evidence (``evidence``: its name among the documents). ``source`` is ""
    when the dossier had no decision document: its title and fields were rendered."""

    TYPE: ClassVar[str] = "DocumentSigned"
    stage: str
    round: int
    slot: str
    source: str
    source_sha256: str
    name: str
    uri: str
    version: str
    size: int
    sha256_before: str
    sha256: str
    signers: tuple[Person, ...] = field(metadata=PEOPLE)
    signed_at: str
    provider: str
    level: str
    evidence: str
    evidence_sha256: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SigningSent(Payload):
    """A sign action handed the decision to a signing service that asks the signer itself
    (ValidSign): its package ``package`` is to sign the PDF ``name`` (hash
    ``sha256_before``; made from the decision document ``source``, hash ``source_sha256``,
    as in :class:`DocumentSigned`), by ``signer`` for the task ``slot``. The task stays open
    until the service's outcome is recorded: the Signed action with its DocumentSigned, a
    SigningStopped, or the dossier sent back."""

    TYPE: ClassVar[str] = "SigningSent"
    stage: str
    round: int
    slot: str
    provider: str
    package: str
    name: str
    source: str
    source_sha256: str
    sha256_before: str
    signer: Person = field(metadata=PERSON)


@dataclass(frozen=True, slots=True, kw_only=True)
class SigningStopped(Payload):
    """The signing service's package ended without a signature: ``status`` "declined" (the
    signer refused; ``reason`` their words) or "expired". The sign task is open again: the
    signer's next sign action sends a new package."""

    TYPE: ClassVar[str] = "SigningStopped"
    stage: str
    round: int
    slot: str
    provider: str
    package: str
    name: str
    status: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskMoved(Payload):
    """A task went to someone else (``slot``: whose it was; empty: an unstaffed stage)."""

    stage: str
    round: int
    slot: str
    to: Person = field(metadata=PERSON)
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Delegated(TaskMoved):
    TYPE: ClassVar[str] = "Delegated"


@dataclass(frozen=True, slots=True, kw_only=True)
class Reassigned(TaskMoved):
    TYPE: ClassVar[str] = "Reassigned"


@dataclass(frozen=True, slots=True, kw_only=True)
class DueDateChanged(Payload):
    TYPE: ClassVar[str] = "DueDateChanged"
    stage: str
    round: int
    due: str
    previous: str | None
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderSent(Payload):
    TYPE: ClassVar[str] = "ReminderSent"
    stage: str
    round: int
    due: str
    recipients: tuple[Person, ...] = field(metadata=PEOPLE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Escalated(Payload):
    """Past the due date: told ``recipients`` (managers, or the initiator) who is late."""

    TYPE: ClassVar[str] = "Escalated"
    stage: str
    round: int
    due: str
    recipients: tuple[Person, ...] = field(metadata=PEOPLE)
    waiting_for: tuple[Person, ...] = field(metadata=PEOPLE)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowVersionChanged(Payload):
    """A beheerder moved the running dossier to another version of its flow (one its progress
    fits: see :mod:`approvals.version_moves`)."""

    TYPE: ClassVar[str] = "FlowVersionChanged"
    from_version: int
    to_version: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionRegistered(Payload):
    """The decision is in a decision register (``register``: "zgw", a Besluiten API): the
    besluit at ``url`` and its document at ``document_url``, identified by
    ``identificatie``."""

    TYPE: ClassVar[str] = "DecisionRegistered"
    register: str
    identificatie: str
    url: str
    document_url: str


PAYLOADS: dict[str, type[Payload]] = {
    cls.TYPE: cls for cls in (
        DossierStarted, StageStarted, StageSkipped, AdviceGiven, Initialled, Approved,
        Decided, Signed, Acknowledged, StageCompleted, DossierReturned, DossierRejected,
        DossierWithdrawn, DossierCompleted, CommentAdded, DocumentAttached, DocumentSigned,
        SigningSent, SigningStopped, Delegated, Reassigned, DueDateChanged, ReminderSent,
        Escalated, FlowVersionChanged, DecisionRegistered,
    )
}
"""The payload type of each event type, by its name in the record."""


def _fields(cls: type[Payload]) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.name != "extra")


def payload_json(payload: Payload) -> dict[str, Any]:
    """The payload as it goes into the canonical record."""
    data: dict[str, Any] = dict(payload.extra)
    for f in _fields(type(payload)):
        value = getattr(payload, f.name)
        if value is None and f.metadata.get(_OMIT):
            continue
        kind = f.metadata.get(_KIND, "")
        if value is not None and kind == "person":
            value = value.to_json()
        elif value is not None and kind == "people":
            value = [p.to_json() for p in value]
        elif isinstance(value, Mapping):
            value = dict(value)
        data[f.name] = value
    return data


def payload_from_json(event_type: str, data: Mapping[str, Any]) -> Payload:
    """The typed payload of a record's ``payload`` (KeyError: a required key is missing)."""
    cls = PAYLOADS[event_type]
    values: dict[str, Any] = {}
    known = set()
    for f in _fields(cls):
        known.add(f.name)
        if f.name not in data:
            if f.metadata.get(_OMIT):
                continue
            raise KeyError(f"{event_type} has no '{f.name}'")
        value = data[f.name]
        kind = f.metadata.get(_KIND, "")
        if value is not None and kind == "person":
            value = Person.from_json(value)
        elif value is not None and kind == "people":
            value = tuple(Person.from_json(p) for p in value)
        values[f.name] = value
    extra = {key: value for key, value in data.items() if key not in known}
    return cls(extra=extra, **values)
