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
from dataclasses import dataclass, field
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
    "flow_move_same": "Dossier '{dossier}' is already on version {version}.",
    "flow_move_misfit": ("Dossier '{dossier}' cannot move to version {version} of flow "
                         "'{flow}': it has reached stage '{stage}', which is not the same "
                         "there."),
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
    # signing
    "document_not_renderable": ("'{name}' cannot be turned into a PDF to sign: {reason}. "
                                "Nothing was signed."),
    "signed_document_changed": ("The signed document '{name}' was changed after its last "
                                "signature; nothing was signed."),
    "signing_failed": "Signing '{name}' failed: {reason}. Nothing was signed.",
    # the decision register in the ZGW shape (approvals/zgw.py)
    "zgw_rsin_not_nine_digits": ("'{rsin}' is not an RSIN: an RSIN has exactly 9 digits. "
                                 "Set PARAAF_ZGW_RSIN to the municipality's RSIN; nothing "
                                 "was registered."),
    "zgw_rsin_elfproef": ("'{rsin}' is not a valid RSIN: it fails the elfproef (check the "
                          "digits). Set PARAAF_ZGW_RSIN to the municipality's RSIN; nothing "
                          "was registered."),
    "zgw_date_in_future": ("The decision in dossier '{dossier}' has {field} {date}, after "
                           "today ({today}); a register takes no date ahead. Nothing was "
                           "registered."),
    "zgw_not_decided": "Dossier '{dossier}' has no decision to register.",
    "zgw_identificatie_too_long": ("Dossier number '{dossier}' is too long to identify the "
                                   "decision in the register ({length} characters, at most "
                                   "{limit}). Nothing was registered."),
    "zgw_register_refused": ("The decision register refused the decision of dossier "
                             "'{dossier}': {reason}."),
    "signing_provider_missing": ("This stage signs with {provider}, which is not set up here; "
                                 "nothing was signed. Ask a beheerder."),
    "signing_waiting": ("'{name}' is with {provider} to be signed; paraaf records the "
                        "signature as soon as {provider} says it is done."),
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


FLOW_WORDS: dict[str, str] = {
    # reading the document
    "too_large": "the flow definition is too large ({size} KiB, at most 256 KiB)",
    "empty": "the flow definition is empty",
    "too_deep": "nested more than {limit} levels deep",
    "not_yaml": "not valid YAML: {yaml_problem}",
    "recursive_alias": "an alias refers to the list or mapping that contains it",
    "too_many_nodes": "the document expands to more than {limit} YAML nodes",
    "yaml_tag": "unsupported YAML tag {tag}",
    "unreadable_value": "cannot read the value {raw}",
    "merge_key": "merge keys (<<) are not supported",
    "key_not_text": "the key {key} is not text",
    "key_collection": "the key 'a collection' is not text",
    "duplicate_key": "duplicate key '{key}' (first on line {first_line})",
    # values
    "not_mapping": "{what} must be a mapping of keys, got {got}",
    "unknown_top_key": "unknown top-level key '{key}'",
    "unknown_key": "unknown key '{key}'",
    "missing_key": "missing required key '{key}'",
    "not_text": "expected text, got {got}",
    "text_empty": "must not be empty",
    "text_too_long": "longer than {limit} characters ({length})",
    "text_line_break": "the text has a line break ({char})",
    "text_control": "the text contains a control character ({char})",
    "text_bidi": "the text contains a bidirectional control character ({char})",
    "invalid_id": "invalid id '{value}'",
    "invalid_field_name": "invalid field name '{value}'",
    "not_whole_number": "expected a whole number, got {got}",
    "out_of_range": "must be between {low} and {high}, got {value}",
    "too_small": "must be at least {low}, got {value}",
    "not_boolean": "expected true or false, got {got}",
    "unknown_field_type": "unknown field type '{value}'",
    "unknown_stage_kind": "unknown stage kind '{value}'",
    "unknown_signing_provider": "unknown signing provider '{value}'",
    "provider_not_sign": "provider only applies to sign stages",
    # the flow, its fields and stages
    "schema_unsupported": "unsupported schema '{schema}'",
    "fields_not_list": "must be a list of fields, got {got}",
    "duplicate_field": "duplicate field name '{name}'",
    "choice_without_options": "a choice field needs options",
    "options_not_allowed": "options are only allowed on choice fields, not on {type}",
    "options_empty": "must be a non-empty list of options",
    "duplicate_option": "duplicate option '{option}'",
    "max_length_not_allowed": "max_length is only allowed on text fields, not on {type}",
    "stages_not_list": "must be a non-empty list of stages, got {got}",
    "group_stage_key": "a parallel group has no '{key}'",
    "group_too_small": "a parallel group needs at least 2 stages, got {count}",
    "group_nested": "parallel groups cannot be nested",
    "duplicate_stage_id": "duplicate stage id '{id}' (first on line {first_line})",
    # assignees, completion, four eyes
    "no_assignees": "a stage needs at least one assignee",
    "assignee_not_mapping": "an assignee is a mapping with one key, got {got}",
    "assignee_keys": "an assignee has exactly one key, got {count} ({keys})",
    "assignee_no_keys": "an assignee has exactly one key, got 0 (none)",
    "unknown_assignee_source": "unknown assignee source '{source}'",
    "expected_true": "expected true, got {got}",
    "initiator_false": "initiator: false assigns nobody",
    "not_upn": "expected a user principal name, got '{value}'",
    "unknown_user_field": "there is no field named '{name}'",
    "field_not_user": "field '{name}' is of type {type}, not user",
    "quorum_too_high": "a quorum of {quorum} is more than the {users} named users",
    "completion_invalid": "invalid completion: {got}",
    "quorum_needs_number": "a quorum needs a number",
    "initiator_deciding": ("a {kind} stage cannot be assigned to the initiator: four eyes "
                           "keeps the initiator out of initial, approve, decide and sign"),
    "allow_initiator_not_deciding": "allow_initiator only applies to {kinds} stages",
    "four_eyes_off": ("four eyes is off for this stage: the initiator may {kind} in their own "
                      "dossier"),
    # conditions
    "condition_invalid": "invalid condition at column {column}: {problem}",
    "condition_unknown_field": "the condition uses unknown field '{name}'",
    "condition_number_vs_text": "'{op}' compares {type} field '{name}' with text",
    "condition_text_vs_number": "'{op}' compares {type} field '{name}' with the number {shown}",
    "condition_not_option": "'{text}' is not an option of field '{name}'",
    "condition_not_date": "'{text}' is not a date",
    # return_to
    "return_twice": "'{target}' is named twice",
    "return_to_itself": "a stage cannot return to itself",
    "return_to_group": "'{target}' is a parallel group, not a stage",
    "return_unknown": "unknown stage '{target}'",
    "return_same_step": ("impossible return target '{target}': it runs in the same step, not "
                         "earlier"),
    "return_later": "impossible return target '{target}': it runs later, not earlier",
    # starters
    "starters_empty": "must be a non-empty list of who may start the flow, got {got}",
    "starter_not_mapping": "a starter is a mapping with one key, got {got}",
    "starter_keys": "a starter has exactly one key, got {count}",
    "unknown_starter_source": "unknown starter source '{source}'",
}
"""Every problem the flow validator reports, by its code: the English template of its
message. Each language of the command line has a template per code with the same fields."""

FLOW_HINTS: dict[str, str] = {
    "shorten_instructions": "move long instructions into a document of the dossier",
    "start_with": "start with: {schema_line}",
    "add_first_line": "add as the first line: {schema_line}",
    "write_schema": "write: {schema_line}",
    "flatten": "flatten the document",
    "yaml_check": "check the indentation and the quotes on this line and the one before",
    "yaml_tabs": "indent with spaces, not tabs",
    "yaml_quotes": "put text that contains ': ' in quotes, or fix the indentation",
    "yaml_one_document": "one flow per file: remove the '---' separator",
    "yaml_alias": "define the anchor (&name) before using the alias (*name)",
    "recursive_alias": "remove the recursive alias (*name)",
    "write_out": "aliases (*name) repeat what they refer to: write the flow out instead",
    "remove_tag": "remove the tag",
    "write_keys_out": "write keys out",
    "keep_one": "keep one of them",
    "quote": "put it in quotes",
    "quote_value": "put the value in quotes",
    "yaml_boolean": "YAML reads yes/no/on/off/true/false as booleans: write '{raw}'",
    "write_value": "write a value, or leave the key out",
    "shorten": "shorten it",
    "one_line": "write it on one line",
    "remove_char": "remove it (in double quotes an escape such as \\e or \\u202e makes one)",
    "write_true": "write {key}: true",
    "did_you_mean": "did you mean '{word}'? {listing} are {allowed}",
    "allowed": "{listing} are {allowed}",
    "example": "e.g. {example}",
    "add_example": "add e.g. {example}",
    "add_stages": "add a list of stages",
    "id": "lowercase letters, digits, - and _, starting with a letter, e.g. paraaf_directeur",
    "field_name": "lowercase letters, digits and _, starting with a letter, e.g. bedrag",
    "version": "a whole number of 1 or more, e.g. version: 1",
    "options": "list the choices, e.g. options: [Sport, Cultuur]",
    "fields_list": "write each field as '- name: ...' under fields",
    "unique_field": "give every field its own name",
    "remove_options": "remove options, or make it type: choice",
    "remove_one": "remove one",
    "remove_max_length": "remove max_length",
    "max_length": "a number of characters, e.g. 2000",
    "stages_list": "write each stage as '- id: ...' under stages",
    "group_keys": "a group has only id and parallel: move it to the stages in the group",
    "group_too_small": "list its stages under parallel, or write one stage without a group",
    "group_nested": "put these stages in this group, or in a step of their own",
    "unique_stage": "give every stage and parallel group its own id",
    "deadline": "working days, e.g. deadline_days: 5",
    "assignees": "e.g. assignees: [{{group: juristen}}] or assignees: [{{manager: 1}}]",
    "assignee_sources": "e.g. {{group: juristen}}; sources are {sources}",
    "write_user": "write {{user: {value}}}",
    "one_source": "write each source as a list item of its own",
    "manager": "levels of the initiator's manager chain: 1 is the direct manager",
    "initiator_true": "write initiator: true, or remove it",
    "upn": "write the sign-in name, e.g. j.jansen@gemeente.nl",
    "define_user_field": "define it under fields with type: user",
    "user_field_only": "assignees can only come from a field of type user",
    "quorum": "e.g. completion: {{quorum: 2}}",
    "lower_quorum": "lower the quorum, or add assignees",
    "completion": "use all, any or {{quorum: N}}",
    "completion_mean": "did you mean '{word}'? use all, any or {{quorum: N}}",
    "initiator_deciding": "choose other assignees, or add allow_initiator: true (a warning)",
    "remove_allow_initiator": "remove allow_initiator",
    "remove_provider": "remove provider, or make the stage kind: sign",
    "four_eyes_off": "keep it only where a mandate allows the initiator to decide",
    "condition_docs": "see the flow schema documentation",
    # conditions
    "condition_example": "e.g. bedrag >= 10000",
    "end_quote": "end the text with {quote}",
    "dutch_numbers": "write numbers the Dutch way, e.g. 10000, 10.000 or 2500,50",
    "use_equals": "use == to compare",
    "operators": "operators are {operators}",
    "ambiguous_number": ("write {second} for thousands (a dot groups them) or {first} with a "
                         "decimal comma"),
    "write_dutch": "write {dutch}",
    "combine": "combine comparisons with 'and' or 'or'",
    "lists_in_brackets": "lists go in brackets: ['a', 'b']; a number takes no spaces: 2500,50",
    "remove_paren": "remove it, or add the matching '('",
    "simplify": "split the stage, or simplify the parentheses",
    "close_paren": "close the '(' at column {open_column}",
    "starts_with_field": "a comparison starts with a field name, e.g. bedrag >= 10000",
    "list_example": "e.g. regeling in ['Sport', 'Cultuur']",
    "quote_word": "put text in quotes: '{word}'",
    "value": "write a number like 10.000 or text in quotes like 'Cultuur'",
    "list_items": "list items are text in quotes: ['a', 'b']",
    "close_bracket": "close the '[' at column {open_column} with ']'",
    "name_value": "name at least one value",
    "no_fields": "define the field under fields",
    "compare_number": "compare with a number, e.g. {name} >= 10000",
    "quote_number": "put the value in quotes: '{shown}'",
    "options_are": "options are {options}",
    "date": "write dates as 'YYYY-MM-DD', e.g. '2026-01-01'",
    "earlier": "stages of earlier steps: {stages}",
    "first_step": "this stage is in the first step: remove return_to",
    "earlier_mean": "did you mean '{word}'? stages of earlier steps: {stages}",
    "first_step_mean": "did you mean '{word}'? this stage is in the first step: remove return_to",
    "group_members": "name one of its stages: {stages}",
    "starters": ("e.g. starters: [{{role: beleidsadviseur}}, {{group: ketenpartners}}]; leave "
                 "starters out to let every employee start it"),
    "starter_sources": ("e.g. starters: [{{role: beleidsadviseur}}, {{group: ketenpartners}}]; "
                        "sources are {sources}"),
    "employees_true": "write employees: true, or leave it out",
}
"""How to fix a flow problem, by the hint's code: the English template (the same fields as
the problem's parameters; ``{{`` is a literal brace)."""

FLOW_VALUES: dict[str, str] = {
    # what a value is ({got}), by its kind; {raw} is the value as written
    "got_boolean": "the boolean '{raw}'",
    "got_number": "the number {raw}",
    "got_date": "the date {raw}",
    "got_none": "an empty value",
    "got_list": "a list",
    "got_empty_list": "an empty list",
    "got_mapping": "a mapping",
    "got_text": "the text '{raw}'",
    "got_end": "end of the condition",
    "got_quoted": "text '{raw}'",
    "got_token": "'{raw}'",
    # what must be a mapping ({what})
    "what_flow": "a flow definition",
    "what_field": "a field",
    "what_stage": "a stage",
    # which words are allowed ({listing})
    "listing_keys": "allowed keys",
    "listing_sources": "sources",
    "listing_field_types": "field types",
    "listing_stage_kinds": "stage kinds",
    "listing_signing_providers": "signing providers",
    "listing_fields": "fields",
    "listing_user_fields": "fields of type user",
    # what is wrong with a condition ({problem} of condition_invalid), by its code
    "problem_empty": "the condition is empty",
    "problem_too_long": "longer than {limit} characters",
    "problem_no_closing_quote": "text without a closing quote",
    "problem_malformed_number_start": "malformed number starting '{start}'",
    "problem_unexpected_char": "unexpected character '{char}'",
    "problem_ambiguous_number": "the number '{number}' can be read as {first} or as {second}",
    "problem_english_number": "the number '{number}' is written the English way",
    "problem_malformed_number": "malformed number '{number}'",
    "problem_unexpected": "unexpected {got}",
    "problem_too_complex": "too complex: more than {limit} alternatives",
    "problem_too_nested": "more than {limit} levels of parentheses",
    "problem_expected_close": "expected ')', got {got}",
    "problem_expected_field": "expected a field name, got {got}",
    "problem_expected_in": "expected 'in' after 'not', got {got}",
    "problem_expected_operator": "expected an operator after '{field}', got {got}",
    "problem_needs_list": "'{op}' needs a list, got {got}",
    "problem_list_after_op": "a list can only follow 'in' or 'not in', not '{op}'",
    "problem_value_word": "expected a value after '{op}', got the word '{word}'",
    "problem_expected_value": "expected a value after '{op}', got {got}",
    "problem_expected_list_text": "expected text in quotes in the list, got {got}",
    "problem_expected_separator": "expected ',' or ']' in the list, got {got}",
    "problem_list_empty": "the list is empty",
}
"""The words a flow problem's ``{got}``, ``{what}``, ``{listing}`` and ``{problem}`` stand
for, by ``got_<kind>``, ``what_<key>``, ``listing_<key>`` and ``problem_<code>`` (what is
wrong with a condition)."""

AUDIT_WORDS: dict[str, str] = {
    # a dossier's chain of events, as a command reads it (ChainBroken)
    "unknown_event_type": "unknown event type {type}",
    "no_start": "a dossier must begin with DossierStarted",
    "second_start": "a dossier can only start once",
    "expected_event": "expected event {expected}",
    "prev_hash_mismatch": "the previous hash does not match",
    # a dossier's chain of events, as audit verify reads it
    "seq_gap": "expected event {expected}, found {found} (missing or moved)",
    "hash_changed": "the stored hash does not match the event's content (changed)",
    "not_following": "the event does not follow the previous event (reordered or inserted)",
    "other_dossier": "the event belongs to another dossier",
    "head_mismatch": "the chain does not end where the dossier says it does",
    "anchor_rewritten": ("event {version} is not the one anchor {anchor} recorded (the history "
                         "was rewritten)"),
    "events_missing": "events {first} to {last} are missing",
    "dossier_gone": ("the dossier is gone: anchor {anchor} recorded it at version {version} "
                     "(its events and its row were removed)"),
    "events_missing_anchored": ("events {first} to {last} are missing: anchor {anchor} "
                                "recorded the dossier at version {last}"),
    # the stored audit anchors
    "anchor_unreadable": "it is not readable (not JSON)",
    "anchor_fields": "it does not have the fields of an anchor",
    "anchor_types": "one of its fields has the wrong type",
    "anchor_not_canonical": "it is not in canonical form (changed)",
    "anchor_seq_gap": "expected anchor {expected}, found {found} (missing or moved)",
    "anchor_hash_changed": "the stored hash does not match the anchor's content (changed)",
    "anchor_not_following": ("the anchor does not follow the previous anchor (reordered, "
                             "inserted or removed)"),
    "anchor_takes_back": "it takes dossier {dossier} back from version {before} to {after}",
    "anchor_root": "its Merkle root does not match the heads the anchors recorded (changed)",
    # an anchor a person kept outside
    "kept_unchecked": "anchor {seq} cannot be checked: anchor {broken} is broken",
    "kept_missing": "anchor {seq} is not in the stored anchors (they were cut back or replaced)",
    "kept_rewritten": "anchor {seq} is not the one that was kept (the anchors were rewritten)",
}
"""Every reason ``audit verify`` gives for a chain break (:class:`approvals.audit.ChainBreak`)
or an anchor that cannot be trusted (:class:`approvals.anchors.AnchorProblem`), by its code:
the English template. Each language of the command line has a template per code."""


def audit_reason(code: str, params: Mapping[str, Param], templates: Mapping[str, str]) -> str:
    """The reason ``code`` in the words of ``templates`` (the English when it has none)."""
    template = templates.get(code) or AUDIT_WORDS[code]
    return template.format_map(_Missing(params))


_WORDED = ("got", "what", "listing", "problem")


def fill_flow(template: str, params: Mapping[str, Param], values: Mapping[str, str]) -> str:
    """``template`` filled from ``params``; ``{got}``, ``{what}``, ``{listing}`` and
    ``{problem}`` in the words of ``values`` (a flow problem's parameters are never
    re-parsed)."""
    filled = dict(params)
    for key in _WORDED:  # {problem} last: its words may say {got} too
        word = values.get(f"{key}_{params[key]}") if key in params else None
        if word is not None:
            filled[key] = word.format_map(_Missing(filled if key == "problem" else params))
    return template.format_map(_Missing(filled))


@dataclass(frozen=True, slots=True)
class FlowIssue:
    """One problem found in a flow definition.

    ``path`` locates the value (``stages[1].parallel[0].assignees[0]``; empty for the whole
    document), ``line`` is 1-based where the YAML gives one. ``code`` names the problem
    (:data:`FLOW_WORDS`), ``hint_code`` how to fix it (:data:`FLOW_HINTS`), both filled from
    ``params``; ``message`` and ``hint`` are the English texts.
    """

    path: str
    line: int | None
    code: str
    params: Mapping[str, Param] = field(default_factory=dict)
    hint_code: str = ""

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return fill_flow(FLOW_WORDS[self.code], self.params, FLOW_VALUES)

    @property
    def hint(self) -> str:
        """How to fix it, in English ("" when there is no hint)."""
        if not self.hint_code:
            return ""
        return fill_flow(FLOW_HINTS[self.hint_code], self.params, FLOW_VALUES)

    def format(self, source: str, message: str | None = None, hint: str | None = None) -> str:
        """``source:line: path: message (hint)``, leaving out the parts that are empty;
        ``message`` and ``hint`` in another language when given."""
        message = self.message if message is None else message
        hint = self.hint if hint is None else hint
        where = f"{source}:{self.line}" if self.line is not None else source
        text = f"{self.path}: {message}" if self.path else message
        return f"{where}: {text} ({hint})" if hint else f"{where}: {text}"


class FlowValidationError(DomainError):
    """A flow definition that cannot be used, with every problem that was found in it."""

    code = "flow_invalid"

    def __init__(self, source: str, issues: Iterable[FlowIssue]) -> None:
        self.source = source
        self.issues: tuple[FlowIssue, ...] = tuple(issues)
        super().__init__("\n".join(issue.format(source) for issue in self.issues))


class ConditionError(DomainError, ValueError):
    """A condition (``bedrag >= 10000``) that cannot be parsed.

    ``column`` is the 1-based position in ``text`` where the problem was found; ``problem``
    names the problem (``problem_<code>`` in :data:`FLOW_VALUES`), ``hint`` how to fix it
    (:data:`FLOW_HINTS`), both filled from ``params``. ``problem`` and ``hint`` are then the
    English texts, the codes stay in ``problem_code`` and ``hint_code``.
    """

    code = "condition_invalid"

    def __init__(self, text: str, column: int, problem: str, hint: str = "",
                 **params: Param) -> None:
        self.text = text
        self.column = column
        self.problem_code = problem
        self.hint_code = hint
        self.problem = fill_flow(FLOW_VALUES[f"problem_{problem}"], params, FLOW_VALUES)
        self.hint = fill_flow(FLOW_HINTS[hint], params, FLOW_VALUES) if hint else ""
        super().__init__(f"column {column}: {self.problem}")
        self.params = params


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

    def __init__(self, dossier_id: str, seq: int, reason_code: str, **params: Param) -> None:
        reason = audit_reason(reason_code, params, AUDIT_WORDS)
        super().__init__(f"Dossier '{dossier_id}', event {seq}: {reason}.")
        self.params = dict(params)
        self.dossier_id = dossier_id
        self.seq = seq
        self.reason_code = reason_code
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
