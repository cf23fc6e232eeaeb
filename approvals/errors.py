"""The domain's own errors.

Every error the domain raises on purpose is a :class:`DomainError`: it carries a stable
machine-readable ``code`` per class (for API responses and logs) and a human-readable
``message`` (English, for logs and JSON output). A refusal also carries a finer ``refusal``
code, one per kind of refusal (``dossier_closed``, ``reason_required``), and its typed
``params``; the message is filled from :data:`REFUSALS`, the same template a channel's
catalogue starts from, so a channel can say the same thing in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from approvals.amounts import format_dutch

Param = str | int
"""A refusal's parameter: text as the user or the flow wrote it, a number, or an enum value."""

REFUSALS: dict[str, str] = {
    # dossiers
    "unknown_dossier": "There is no dossier '{dossier}'.",
    "dossier_exists": "Dossier '{dossier}' already exists.",
    "dossier_not_started": "Dossier '{dossier}' has not been started.",
    "dossier_closed": "Dossier '{dossier}' is closed ({status}).",
    "dossier_id_invalid": "'{dossier}' is not a valid dossier id (letters, digits, - and _).",
    "flow_version_mismatch": "The dossier is bound to another flow version.",
    "command_id_reused": "Command id '{command}' was already used in dossier '{dossier}'.",
    "concurrency_conflict": "Dossier '{dossier}' is no longer at version {version}.",
    "title_required": "A dossier needs a title.",
    # whose turn it is
    "not_a_starter": ("{actor} may not start a dossier on flow '{flow}': the flow names who "
                      "may start it (its starters). Ask a beheerder if that is wrong."),
    "not_your_turn": ("It is not your turn in dossier '{dossier}': you are not an assignee "
                      "(or their substitute) with an open task in the active stage."),
    "stage_not_active": "Stage '{stage}' is not active in dossier '{dossier}'.",
    "stale_round": ("Stage '{stage}' has started again since (round {round}); look at the "
                    "dossier as it is now."),
    "task_handled": ("The task in stage '{stage}' of dossier '{dossier}' has already been "
                     "handled by {name}."),
    "wrong_stage_kind": "Stage '{stage}' is not a stage of kind '{action}': it asks for '{kind}'.",
    "several_stages": "You can act in more than one stage ({stages}): name the stage.",
    "no_stage_for_action": "No active stage of dossier '{dossier}' asks you to {action}.",
    "not_a_stage_action": "'{action}' is not a stage action.",
    "not_involved": "Only people involved in dossier '{dossier}' can do this.",
    "admin_only": "Only a beheerder can do this.",
    "withdraw_not_entitled": "Only the initiator or a beheerder can withdraw a dossier.",
    # what an action needs
    "reason_required": "A reason is required.",
    "advice_required": "An advice must be positief, negatief or neutraal.",
    "advice_not_allowed": "Only an advise action takes an advice (positief/negatief/neutraal).",
    "return_target_invalid": "Stage '{stage}' cannot send back to '{target}'. Allowed: {options}.",
    "reject_not_allowed": ("Stage '{stage}' cannot stop the dossier: an adviser gives a negative "
                           "advice instead, and a kennisname only takes note."),
    "comment_empty": "A comment cannot be empty.",
    "due_in_past": "A new due date cannot lie in the past.",
    # delegating and reassigning
    "delegate_not_entitled": "Only the assignee themselves can delegate their task.",
    "delegate_to_self": "You cannot delegate a task to yourself.",
    "delegate_to_initiator": "The initiator cannot act as substitute in their own dossier.",
    "delegate_already_assignee": "{name} already has a task in this stage.",
    "reassign_from_required": "Name whose task in '{stage}' to move (--from USER).",
    "reassign_no_open_task": "That person has no open task in stage '{stage}'.",
    "reassign_already_assignee": "{name} is already an assignee of '{stage}'.",
    # four eyes
    "four_eyes_initiator": ("Four eyes: {name} started this dossier, and the initiator cannot "
                            "{part} in it (stage '{held_stage}'). The flow allows it only with "
                            "allow_initiator: true on that stage."),
    "four_eyes_one_part": ("Four eyes: {name} already holds the {part} part (stage "
                           "'{held_stage}') in this round of the dossier, so not also one in "
                           "stage '{stage}'. One person holds at most one of initial, approve, "
                           "decide and sign."),
    # text
    "text_not_text": "{what} must be text.",
    "text_too_long": "{what} is too long: {length} characters, at most {limit}.",
    "text_line_break": "{what} has a line break ({char}): write it on one line.",
    "text_odd_line_break": "{what} has a line break ({char}): use only ordinary line breaks.",
    "text_control_char": "{what} contains a control character ({char}): remove it.",
    "text_bidi_char": "{what} contains a bidirectional control character ({char}): remove it.",
    # fields
    "unknown_field": "Unknown field '{field}' for flow '{flow}'. Fields: {known}.",
    "field_required": "Field '{field}' ({label}) is required.",
    "field_too_long": ("Field '{field}' ({label}) is too long: {length} characters, at most "
                       "{limit}."),
    "field_not_text": "Field '{field}' ({label}) must be text, not {value}.",
    "field_not_number": ("Field '{field}' ({label}) must be a number written the Dutch way, e.g. "
                         "25.000 or 2,5, not {value}."),
    "field_not_money": ("Field '{field}' ({label}) must be an amount in euros with at most two "
                        "decimals, e.g. 25.000 or 1.250,50, not {value}."),
    "field_not_date": "Field '{field}' ({label}) must be a date as YYYY-MM-DD, not {value}.",
    "field_not_choice": "Field '{field}' ({label}) must be one of: {options}, not {value}.",
    "field_not_user": "Field '{field}' ({label}) must be a user, not {value}.",
    "field_not_document": ("Field '{field}' ({label}) must be a document name or link, not "
                           "{value}."),
    "field_english_number": ("Field '{field}' ({label}): '{text}' is written the English way; "
                             "write {dutch} (a dot groups thousands, a comma starts the "
                             "decimals)."),
    "ambiguous_value": ("Field '{field}' ({label}): '{text}' can be read two ways, as {first} "
                        "or as {second}. Write the number the Dutch way: a dot groups "
                        "thousands (25.000), a comma starts the decimals (25,50)."),
    "unknown_user": "There is no user '{user}' in the directory.",
    # documents
    "document_name_missing": "A document needs a name.",
    "document_name_too_long": ("The document name is too long: {length} characters, at most "
                               "{limit}."),
    "document_name_control": "The document name contains control characters.",
    "document_name_forbidden": "The document name may not contain {chars}.",
    "document_name_edges": ("The document name '{name}' may not start with a dot or a space, "
                            "nor end with one."),
    "document_name_invalid": "'{name}' is not a valid document name.",
    "document_too_large": "'{name}' is {size} bytes; a document may be at most {limit} MB.",
    "document_hash_invalid": "A document's hash must be a SHA-256 hex digest.",
    "document_missing": "There is no document '{name}' in dossier '{dossier}'.",
    "access_not_granted": ("SharePoint could not give {names} access to the dossier's "
                           "documents{detail}."),
    # flows
    "flow_not_published": "There is no published flow '{flow}'. See `paraaf flow list`.",
    "flow_version_not_published": ("There is no published version {version} of flow '{flow}'. "
                                   "See `paraaf flow list`."),
    "flow_status_change": ("Flow '{flow}' version {version} is {status} and cannot become "
                           "{new_status}."),
    "flow_version_fixed": ("Flow '{flow}' version {version} is already {status} and cannot "
                           "change; raise the version number."),
    # substitutes
    "substitutes_unavailable": "Substitutes are not available with this backend.",
    "substitute_not_entitled": ("Only {person} or a beheerder can name a substitute for "
                                "{person}."),
    "substitute_clear_not_entitled": ("Only {person} or a beheerder can clear {person}'s "
                                      "substitute."),
    "substitute_is_self": "A substitute is someone else: name another colleague.",
    "period_reversed": "The period ends ({end}) before it starts ({start}): check the dates.",
    "period_past": "The period ended on {end}, in the past: nothing would change.",
    "period_too_long": "A period is at most a year; name the substitute again later.",
    "absence_reason_required": "Give a reason for the absence (e.g. vakantie, verlof).",
    "substitute_overlap": ("{person} already has {substitute} as substitute from {start} to "
                           "{end}; clear that period first."),
    "date_invalid": "{name} must be a date, YYYY-MM-DD or DD-MM-YYYY; got '{value}'.",
}
"""Every refusal the domain raises, by its ``refusal`` code: the English template of its
message. Each channel's catalogue has a template per code with the same placeholders."""

SUBJECTS: dict[str, str] = {
    "title": "The title",
    "reason": "The reason",
    "text": "The text",
    "advice text": "The advice text",
    "decision text": "The decision text",
    "comment": "The comment",
    "document name": "The document name",
    "document link": "The document link",
    "field": "The field '{field}' ({label})",
}
"""What a text refusal's ``{what}`` names, by the key the raise site gives (``field`` with
the field's ``{field}`` and ``{label}``); another key is shown as it is."""


def fill(template: str, params: Mapping[str, Param], subjects: Mapping[str, str]) -> str:
    """``template`` with its placeholders filled from ``params``, ``{what}`` named by
    ``subjects``. The values are never re-parsed, so text a user typed in them is safe."""
    values = dict(params)
    what = values.get("what")
    if isinstance(what, str):
        subject = subjects.get(what)
        values["what"] = subject.format_map(_Missing(params)) if subject else what
    return template.format_map(_Missing(values))


class _Missing(dict[str, object]):
    """A placeholder without a value stays visible instead of failing the message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class DomainError(Exception):
    """Base class of the domain's errors.

    A refusal is raised with its code and parameters, ``InvalidInput(refusal=
    "field_required", field="bedrag", label="Bedrag")``: ``message`` is then the English
    template of :data:`REFUSALS` filled in. A channel that already wrote its own words in the
    reader's language raises with a plain message instead (``refusal`` stays empty).
    """

    code: str = "domain_error"

    def __init__(self, message: str = "", *, refusal: str = "", **params: Param) -> None:
        if refusal:
            message = fill(REFUSALS[refusal], params, SUBJECTS)
        super().__init__(message)
        self._message = message
        self.refusal = refusal
        self.params: dict[str, Param] = params

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
        super().__init__(refusal="unknown_dossier", dossier=dossier_id)
        self.dossier_id = dossier_id


class UnknownFlow(DomainError):
    code = "unknown_flow"


class UnknownUser(DomainError):
    code = "unknown_user"

    def __init__(self, key: str, message: str = "") -> None:
        if message:  # a channel's own words
            super().__init__(message)
        else:
            super().__init__(refusal="unknown_user", user=key)
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
        super().__init__(refusal="concurrency_conflict", dossier=dossier_id,
                         version=expected_version)
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
        super().__init__(refusal="ambiguous_value", field=field, label=label, text=text,
                         first=first, second=second)


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
        refusal = "four_eyes_initiator" if rule == "initiator" else "four_eyes_one_part"
        super().__init__(refusal=refusal, name=holder_name, part=held_kind,
                         held_stage=held_stage, stage=stage)


# --- refusals of a click on a card that no longer fits the dossier ------------------------


class DossierClosed(ActionNotAllowed):
    """The dossier is closed (completed, rejected or withdrawn): nothing more to do in it."""

    def __init__(self, dossier_id: str, status: str) -> None:
        super().__init__(refusal="dossier_closed", dossier=dossier_id, status=status)
        self.dossier_id = dossier_id
        self.status = status


class StaleTask(ActionNotAllowed):
    """The task the card shows is no longer open: ``done_by`` (a name, with ``done_by_oid``)
    handled it, the actor or a colleague; or the stage started again since
    (``current_round``; ``done_by`` empty)."""

    def __init__(self, dossier_id: str, stage_id: str, round_no: int, current_round: int,
                 done_by: str = "", done_by_oid: str = "") -> None:
        if done_by:
            super().__init__(refusal="task_handled", stage=stage_id, dossier=dossier_id,
                             name=done_by)
        else:
            super().__init__(refusal="stale_round", stage=stage_id, round=current_round)
        self.dossier_id = dossier_id
        self.stage_id = stage_id
        self.round = round_no
        self.current_round = current_round
        self.done_by = done_by
        self.done_by_oid = done_by_oid


class NotYourTurn(NotEntitled):
    """The actor has no open task in the stage (not an assignee, nor their substitute)."""

    def __init__(self, dossier_id: str, stage_id: str | None = None) -> None:
        super().__init__(refusal="not_your_turn", dossier=dossier_id)
        self.dossier_id = dossier_id
        self.stage_id = stage_id
