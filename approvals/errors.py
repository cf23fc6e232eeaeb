"""The domain's own errors.

Every error the domain raises on purpose is a :class:`DomainError`: it carries a stable
machine-readable ``code`` (for API responses and logs) and a human-readable ``message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from approvals.amounts import format_dutch


class DomainError(Exception):
    """Base class of the domain's errors."""

    code: str = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self._message = message

    @property
    def message(self) -> str:
        """The human-readable description of what went wrong."""
        return self._message

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take other constructor arguments; rebuild from the attributes instead,
        # so that errors cross process boundaries (multiprocessing pickles them).
        return (_rebuild, (type(self), self._message, dict(self.__dict__)))


def _rebuild(cls: type[DomainError], message: str, attributes: dict[str, object]) -> DomainError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(attributes)
    return error


@dataclass(frozen=True, slots=True)
class FlowIssue:
    """One problem found in a flow definition.

    ``path`` locates the value (``stages[1].parallel[0].assignees[0]``; empty for the whole
    document), ``line`` is 1-based where the YAML gives one, ``hint`` says how to fix it.
    """

    path: str
    line: int | None
    message: str
    hint: str = ""

    def format(self, source: str) -> str:
        """``source:line: path: message (hint)``, leaving out the parts that are empty."""
        where = f"{source}:{self.line}" if self.line is not None else source
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {text} ({self.hint})" if self.hint else f"{where}: {text}"


class FlowValidationError(DomainError):
    """A flow definition that cannot be used, with every problem that was found in it."""

    code = "flow_invalid"

    def __init__(self, source: str, issues: Iterable[FlowIssue]) -> None:
        self.source = source
        self.issues: tuple[FlowIssue, ...] = tuple(issues)
        super().__init__("\n".join(issue.format(source) for issue in self.issues))


class ConditionError(DomainError, ValueError):
    """A condition (``bedrag >= 10000``) that cannot be parsed.

    ``column`` is the 1-based position in ``text`` where the problem was found.
    """

    code = "condition_invalid"

    def __init__(self, text: str, column: int, problem: str, hint: str = "") -> None:
        self.text = text
        self.column = column
        self.problem = problem
        self.hint = hint
        super().__init__(f"column {column}: {problem}")


# --- errors of commands on dossiers -------------------------------------------------------


class InvalidInput(DomainError):
    """A command whose input is wrong: a missing reason, a bad field value, text too long."""

    code = "invalid_input"


class UnknownDossier(DomainError):
    code = "unknown_dossier"

    def __init__(self, dossier_id: str) -> None:
        super().__init__(f"There is no dossier '{dossier_id}'.")
        self.dossier_id = dossier_id


class UnknownFlow(DomainError):
    code = "unknown_flow"


class UnknownUser(DomainError):
    code = "unknown_user"

    def __init__(self, key: str, message: str = "") -> None:
        super().__init__(message or f"There is no user '{key}' in the directory.")
        self.key = key


class NotEntitled(DomainError):
    """The actor may not do this: not an assignee of the stage, not the initiator, no admin."""

    code = "not_entitled"


class ActionNotAllowed(DomainError):
    """The action does not fit the dossier as it is now (wrong stage kind, dossier closed)."""

    code = "action_not_allowed"


class ConcurrencyConflict(DomainError):
    """Someone else appended to the dossier first; re-read and decide again."""

    code = "concurrency_conflict"

    def __init__(self, dossier_id: str, expected_version: int) -> None:
        super().__init__(f"Dossier '{dossier_id}' is no longer at version {expected_version}.")
        self.dossier_id = dossier_id
        self.expected_version = expected_version


class ChainBroken(DomainError):
    """Stored events that do not form a valid chain."""

    code = "chain_broken"

    def __init__(self, dossier_id: str, seq: int, reason: str) -> None:
        super().__init__(f"Dossier '{dossier_id}', event {seq}: {reason}.")
        self.dossier_id = dossier_id
        self.seq = seq
        self.reason = reason


class NoAssignees(DomainError):
    """A stage whose assignee rules resolve to nobody; a beheerder must fix the flow or group."""

    code = "no_assignees"


class AmbiguousValue(InvalidInput):
    """A field value that reads as two different numbers (``25,000``: 25 or 25.000).

    ``readings`` are both numbers, so a channel can show them the way its language writes them.
    """

    code = "ambiguous_value"

    def __init__(self, field: str, label: str, text: str, readings: tuple[Decimal, Decimal],
                 money: bool) -> None:
        self.field = field
        self.label = label
        self.text = text
        self.readings = readings
        self.money = money
        first, second = (format_dutch(r, 2 if money else None) for r in readings)
        super().__init__(
            f"Field '{field}' ({label}): '{text}' can be read two ways, as {first} or as "
            f"{second}. Write the number the Dutch way: a dot groups thousands (25.000), a comma "
            "starts the decimals (25,50)."
        )
class FourEyesViolation(NotEntitled):
    """Four eyes: the initiator holds no deciding part (initial, approve, decide, sign) and
    nobody holds two in one round of a dossier. ``rule`` is ``initiator`` or ``one_part``;
    ``holder`` is who already holds the other part, ``held_stage`` and ``held_kind`` which
    part that is (for ``initiator``: the part the initiator would hold), ``stage`` the stage
    the refused action or assignment is in."""

    code = "four_eyes"

    def __init__(self, rule: str, stage: str, holder_name: str, holder_oid: str,
                 held_stage: str, held_kind: str) -> None:
        self.rule = rule
        self.stage = stage
        self.holder_name = holder_name
        self.holder_oid = holder_oid
        self.held_stage = held_stage
        self.held_kind = held_kind
        if rule == "initiator":
            message = (f"Four eyes: {holder_name} started this dossier, and the initiator "
                       f"cannot {held_kind} in it (stage '{held_stage}'). The flow allows it "
                       "only with allow_initiator: true on that stage.")
        else:
            message = (f"Four eyes: {holder_name} already holds the {held_kind} part "
                       f"(stage '{held_stage}') in this round of the dossier, so not also "
                       f"one in stage '{stage}'. One person holds at most one of initial, "
                       "approve, decide and sign.")
        super().__init__(message)


# --- refusals of a click on a card that no longer fits the dossier ------------------------


class DossierClosed(ActionNotAllowed):
    """The dossier is closed (completed, rejected or withdrawn): nothing more to do in it."""

    code = "dossier_closed"

    def __init__(self, dossier_id: str, status: str) -> None:
        super().__init__(f"Dossier '{dossier_id}' is closed ({status}).")
        self.dossier_id = dossier_id
        self.status = status


class StaleTask(ActionNotAllowed):
    """The task the card shows is no longer open: ``done_by`` (a name, with ``done_by_oid``)
    handled it, the actor or a colleague; or the stage started again since
    (``current_round``; ``done_by`` empty)."""

    code = "stale_task"

    def __init__(self, dossier_id: str, stage_id: str, round_no: int, current_round: int,
                 done_by: str = "", done_by_oid: str = "") -> None:
        if done_by:
            message = (f"The task in stage '{stage_id}' of dossier '{dossier_id}' has already "
                       f"been handled by {done_by}.")
        else:
            message = (f"Stage '{stage_id}' has started again since (round {current_round}); "
                       "look at the dossier as it is now.")
        super().__init__(message)
        self.dossier_id = dossier_id
        self.stage_id = stage_id
        self.round = round_no
        self.current_round = current_round
        self.done_by = done_by
        self.done_by_oid = done_by_oid


class NotYourTurn(NotEntitled):
    """The actor has no open task in the stage (not an assignee, nor their substitute)."""

    code = "not_your_turn"

    def __init__(self, dossier_id: str, stage_id: str | None = None) -> None:
        super().__init__(
            f"It is not your turn in dossier '{dossier_id}': you are not an assignee "
            "(or their substitute) with an open task in the active stage."
        )
        self.dossier_id = dossier_id
        self.stage_id = stage_id
