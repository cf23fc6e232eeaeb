"""Commands: what someone asks of a dossier. Each is a frozen dataclass.

Every command names its actor and carries ``command_id``, the client-generated idempotency
key: the first event a command records gets it as event id, so a retried or redelivered
command is recognised and recorded only once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from approvals.identity import Person

_CLICK_IDS = uuid.UUID("5f0c5a3e-7d1b-4a53-9a0e-6b5e2f1c9d21")  # namespace of click command ids


def click_command_id(*parts: str) -> str:
    """The command id of a click (on a card, or in the tab): the same click gives the same
    id, so a repeated or concurrent click records once, whichever channel it came from."""
    return str(uuid.uuid5(_CLICK_IDS, "|".join(parts)))


class Action(StrEnum):
    """The action verbs of the stage kinds, plus the verbs that work in every stage."""

    ADVISE = "advise"
    INITIAL = "initial"
    APPROVE = "approve"
    DECIDE = "decide"
    SIGN = "sign"
    ACKNOWLEDGE = "acknowledge"
    RETURN = "return"
    REJECT = "reject"
    DELEGATE = "delegate"
    COMMENT = "comment"
    WITHDRAW = "withdraw"


STAGE_ACTIONS = frozenset(
    {Action.ADVISE, Action.INITIAL, Action.APPROVE, Action.DECIDE, Action.SIGN, Action.ACKNOWLEDGE}
)
"""The actions that complete a stage slot; each belongs to the stage kind of the same name."""


class Advice(StrEnum):
    """A formal advice: positive, negative or neutral (Dutch values, as shown to users)."""

    POSITIEF = "positief"
    NEGATIEF = "negatief"
    NEUTRAAL = "neutraal"


@dataclass(frozen=True, kw_only=True)
class Command:
    """What every command carries.

    ``round`` (for the commands of a stage) is the stage round the actor saw, e.g. on a card:
    when the stage has been sent back and started again since, the command is refused.
    """

    dossier_id: str
    actor: Person
    command_id: str
    channel: str = "api"
    round: int | None = None


@dataclass(frozen=True, kw_only=True)
class StartDossier(Command):
    """Start a dossier on the latest published version of a flow (or a given version)."""

    flow_id: str
    title: str
    fields: Mapping[str, object] = field(default_factory=dict)
    flow_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class Act(Command):
    """A stage action: advise, initial, approve, decide, sign or acknowledge.

    ``stage_id`` may be left out when the actor has exactly one open slot for this action;
    ``on_behalf_of`` (an object id) picks the slot when the actor holds several delegations.
    """

    action: Action
    stage_id: str | None = None
    advice: Advice | None = None
    text: str = ""
    on_behalf_of: str | None = None


@dataclass(frozen=True, kw_only=True)
class Return(Command):
    """Send the dossier back to an allowed earlier stage; a reason is required."""

    to_stage: str
    reason: str
    stage_id: str | None = None
    on_behalf_of: str | None = None


@dataclass(frozen=True, kw_only=True)
class Reject(Command):
    """Stop the dossier; a reason is required."""

    reason: str
    stage_id: str | None = None
    on_behalf_of: str | None = None


@dataclass(frozen=True, kw_only=True)
class Withdraw(Command):
    """The initiator (or a beheerder) withdraws the dossier."""

    reason: str


@dataclass(frozen=True, kw_only=True)
class AddComment(Command):
    """A remark in the dossier's timeline by anyone involved."""

    text: str


@dataclass(frozen=True, kw_only=True)
class Attach(Command):
    """Record a document (already stored) as part of the dossier."""

    name: str
    uri: str
    sha256: str
    size: int
    version: str = "1"


@dataclass(frozen=True, kw_only=True)
class Delegate(Command):
    """An assignee lets a substitute act on their behalf in the current stage."""

    to: Person
    reason: str
    stage_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Reassign(Command):
    """A beheerder moves an assignee's open slot to someone else."""

    stage_id: str
    from_oid: str
    to: Person
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChangeDueDate(Command):
    """A beheerder moves the deadline of an active stage."""

    stage_id: str
    due: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class MoveToVersion(Command):
    """A beheerder moves a running dossier to another published version of its flow."""

    to_version: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class RecordRegistration(Command):
    """The system records where a decision register keeps the dossier's decision (the
    outbox's registration, after the decision): once per entry."""

    register: str
    identificatie: str
    url: str
    document_url: str = ""


@dataclass(frozen=True, kw_only=True)
class SettleSigning(Command):
    """Record the outcome of a signing service's package, as the service says it is now
    (``status``, a :class:`approvals.signatures.SigningStatus` value; ``reason``: a declining
    signer's words). ``actor`` is the signer who sent it. A package that is not open in the
    dossier (settled already, or the dossier moved on) records nothing."""

    package: str
    status: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Tick(Command):
    """The system checks deadlines: a reminder before, an escalation after (each once)."""

    escalate_to: Mapping[str, Person | None] = field(default_factory=dict)
