"""The catalogue of UI strings: one frozen dataclass, one instance per language.

Every text a card shows is a field here, so a language is complete by construction and a
test checks that both languages use the same ``{placeholders}``. Placeholders are filled
with :meth:`str.format`; the values are never re-parsed, so user text in them is safe.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

Plural = tuple[str, str]
"""A text with a count: (the form for exactly one, the form for any other count), each with
``{count}``; :func:`cards.strings.plural` picks one."""


class Table(Mapping[str, str]):
    """An immutable text per key (a refusal's template per code); hashable like the rest of
    a catalogue."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))


@dataclass(frozen=True, slots=True)
class Strings:
    """All UI text of one language."""

    # locale data
    months: tuple[str, ...]  # January .. December
    months_short: tuple[str, ...]
    date_long: str  # {day} {month} {year}
    date_time: str  # {day} {month} {year} {time} {zone}
    decimal_sep: str
    thousands_sep: str
    money: str  # {amount}
    money_negative: str  # {amount}

    # generic
    fallback_text: str
    refresh: str
    open: str
    open_in_app: str
    more_items: str  # {count}
    on_behalf_of: str  # {name} {other}
    substitute_for: str  # {name} {other}
    round: str  # {round}
    choose: str

    # dossier status
    status_open: str
    status_completed: str
    status_rejected: str
    status_withdrawn: str

    # the facts of a dossier
    label_flow: str
    label_stage: str
    label_status: str
    label_initiator: str
    label_due: str
    label_waiting_for: str
    due_on: str  # {date}
    due_today: str  # {date}
    due_overdue: str  # {date}
    no_one: str
    section_fields: str
    section_documents: str
    section_advice: str
    section_decision: str
    section_timeline: str
    timeline_earlier: Plural  # {count}
    section_document_comments: str
    comment_on: str  # {passage}
    comment_unknown_author: str
    comments_unreadable: str
    advice_earlier: Plural  # {count}
    advice_by: str  # {advice} {name}
    decision_by: str  # {name} {date}
    end_reason: str  # {reason}
    yes: str
    no: str

    # what the viewer is asked to do, per stage kind
    prompt_advise: str
    prompt_initial: str
    prompt_approve: str
    prompt_decide: str
    prompt_sign: str
    prompt_acknowledge: str
    prompt_on_behalf: str  # {name}

    # buttons
    act_advise: str
    act_initial: str
    act_approve: str
    act_decide: str
    act_sign: str
    act_acknowledge: str
    act_return: str
    act_reject: str
    act_comment: str
    act_delegate: str
    submit_advise: str
    submit_decide: str
    submit_return: str
    submit_reject: str
    submit_comment: str
    submit_delegate: str

    # inputs of the task card
    label_advice: str
    advice_positief: str
    advice_negatief: str
    advice_neutraal: str
    label_explanation: str
    label_explanation_optional: str
    label_decision: str
    placeholder_decision: str
    label_return_to: str
    label_reason: str
    placeholder_return_reason: str
    placeholder_reject_reason: str
    label_comment: str
    label_delegate_to: str
    placeholder_email: str
    placeholder_delegate_reason: str
    err_advice: str
    err_text: str  # {max}
    err_reason: str  # {max}
    err_return_to: str
    err_email: str
    err_control: str  # {field} {char}

    # notices the bot puts at the top of a card
    notice_done_by: str  # {name}
    notice_not_your_turn: str
    notice_changed: str
    notice_recorded: str  # {action}
    notice_closed: str  # {status}

    # timeline lines
    ev_dossier_started: str  # {who}
    ev_advice_given: str  # {who} {advice}
    ev_initialled: str  # {who}
    ev_approved: str  # {who}
    ev_decided: str  # {who}
    ev_signed: str  # {who}
    ev_acknowledged: str  # {who}
    ev_dossier_returned: str  # {who} {stage}
    ev_dossier_rejected: str  # {who}
    ev_dossier_withdrawn: str  # {who}
    ev_dossier_completed: str
    ev_comment_added: str  # {who}
    ev_document_attached: str  # {who} {name}
    ev_delegated: str  # {who} {name}
    ev_reassigned: str  # {who} {name}
    ev_due_date_changed: str  # {who} {date}
    ev_reminder_sent: str  # {stage}
    ev_escalated: str  # {stage}
    ev_other: str  # {who} {type}

    # headlines of the status card
    subject_yours: str
    subject_the: str
    head_status: str
    head_returned: str  # {subject} {stage}
    head_rejected: str  # {subject}
    head_completed: str  # {subject}
    head_decided: str  # {subject}
    head_withdrawn: str  # {subject}

    # my tasks
    tasks_title: str
    tasks_none: str
    tasks_count: Plural  # {count}
    no_due: str

    # starting a dossier
    start_title: str
    start_pick: str
    start_none: str
    start_next: str
    err_pick_flow: str
    flow_version: str  # {version}
    form_title: str  # {flow}
    label_title: str
    placeholder_title: str
    err_title: str  # {max}
    label_documents: str
    placeholder_documents: str
    placeholder_url: str
    err_field_required: str  # {label}
    err_field_text: str  # {label} {max}
    submit_start: str
    form_too_large: str

    # help, unknown user, errors
    help_title: str
    help_intro: str
    help_commands: str
    cmd_help: str
    cmd_help_text: str
    cmd_tasks: str
    cmd_tasks_text: str
    cmd_start: str
    cmd_start_text: str
    cmd_status: str
    cmd_status_text: str
    help_my_tasks: str
    help_new_dossier: str
    unknown_user_title: str
    unknown_user_text: str
    error_title: str

    # the bot's answers
    bot_unknown_dossier: str  # {id}
    bot_bad_card: str  # {detail}
    bot_not_allowed: str
    bot_duplicate: str
    bot_tenant_not_allowed: str
    bot_unknown_colleague: str  # {email}
    bot_busy: str
    bot_status_usage: str
    bot_started: str  # {id}
    bot_reminder: str  # {date}
    bot_escalation: str  # {stage} {names}
    bot_update_teams: str
    bot_no_assignees: str

    # the local demo: one browser plays every part
    demo_persona_title: str
    demo_persona_on: str  # {name}
    demo_persona_off: str
    demo_persona_hint: str
    demo_persona_unknown: str  # {who}
    bot_not_involved: str

    # rules: Dutch amounts, stages nobody is found for, who may start a flow
    placeholder_amount: str
    relation_lt: str
    relation_le: str
    relation_gt: str
    relation_ge: str
    relation_eq: str
    relation_ne: str
    skipped_because: str  # {stage} {field} {value} {relation} {limit}
    skipped_empty: str  # {stage} {field}
    skipped_condition: str  # {stage} {condition} {values}
    nobody_to_act: str
    unstaffed_stage: str  # {stage}
    unstaffed_admin_notice: str  # {stages}
    unstaffed_ahead: str  # {stages}
    not_a_starter: str  # {flow}
    # four eyes (refusals) and standing substitutes (vervangers)
    part_initial: str
    part_approve: str
    part_decide: str
    part_sign: str
    bot_substituted: str  # {name} {until}
    substitute_title: str
    substitute_set: str  # {substitute} {person} {start} {end} {reason}
    substitute_set_by: str  # {name}
    substitute_none: str
    substitute_cleared: str  # {count}
    substitute_nothing_to_clear: str
    substitute_usage: str
    substitute_bad_date: str  # {value}
    substitute_unknown: str  # {who}
    cmd_substitute: str
    cmd_substitute_text: str
    # dossier number, notices and hints (what a person sees)
    task_row_initiator: str  # {name}
    status_usage_title: str
    # refusals
    refusals: Table  # a template per approvals.errors.REFUSALS code, with the same fields
    refusal_subjects: Table  # what a text refusal's {what} names, by its key
    refusal_words: Table  # an action or a flow version's status as a refusal names it


@dataclass(frozen=True, slots=True)
class CliStrings:
    """All words the ``paraaf`` command line prints, in one language. Statuses, advice and
    timeline lines come from :class:`Strings`, so a card and the command line say the
    same."""

    # dossiers
    flow_warning: str  # {warning}
    dossier_head: str  # {id} {title}
    label_flow: str
    label_status: str
    label_initiator: str
    label_decision: str
    label_reason: str
    label_due: str  # {date}
    overdue: str
    nobody: str  # {status}
    substitute_for: str  # {slot} {who}
    recorded: Plural  # {count}
    nothing_new: str
    who_is_to_act: str
    documents: str
    advice: str
    advice_line: str  # {stage} {advice} {name}
    comments: str
    comment_unknown_author: str
    comment_on: str  # {passage}
    timeline: str
    ev_stage_started: str  # {stage} {names}
    ev_stage_skipped: str  # {stage} {condition}
    ev_stage_completed: str  # {stage}
    on_behalf_of: str  # {name} {other}
    no_dossiers: str
    dossier_columns: tuple[str, ...]  # ID STATUS FLOW STAGE DUE TITLE
    kinds: tuple[str, ...]  # per StageKind, in its order
    # tasks, decisions, audit, tick, demo
    no_tasks: str  # {name}
    tasks_of: Plural  # {name} {count}
    no_decisions: str
    decision_columns: tuple[str, ...]  # DATE DOSSIER BY DECISION
    audit_ok: str  # {events} {dossiers}
    audit_broken: str  # {broken} {dossiers}
    audit_break: str  # {id} {seq} {reason}
    n_events: Plural  # {count}
    n_dossiers: Plural  # {count}
    tick_done: str  # {checked} {reminders} {escalations}
    n_reminders: Plural  # {count}
    n_escalations: Plural  # {count}
    tick_failed: str  # {id} {message}
    demo_data: str  # {folder}
    demo_counts: str  # {users} {flows} {names}
    n_users: Plural  # {count}
    n_flows: Plural  # {count}
    demo_examples: str  # {ids}
    demo_try: str  # {folder}
    # flows
    flow_valid: str  # {source} {id} {version} {title} {fields} {stages} {steps}
    n_fields: Plural  # {count}
    n_stages: Plural  # {count}
    n_steps: Plural  # {count}
    flow_published: str  # {id} {version} {title} {status}
    flow_imported: str  # {id} {version} {title} {status}
    flow_withdrawn: str  # {id} {version} {title} {status}
    flow_statuses: tuple[str, str, str]  # concept, published, withdrawn
    no_flows: str
    flow_columns: tuple[str, ...]  # ID VERSION STATUS TITLE PUBLISHED-BY
    wrote: str  # {file}
    # errors: each names the option or value to fix
    err_no_file: str  # {path}
    err_file_too_large: str  # {path}
    err_not_utf8: str  # {path}
    err_field_pair: str  # {pair}
    err_option_required: str  # {option} {action}
    err_due: str
    err_unknown_person: str  # {option} {who}
    err_ambiguous_person: str  # {option} {who} {matches}
    err_not_admin: str  # {name}
    err_name_admin: str
    err_unknown_flow: str  # {id}
    err_unknown_flow_version: str  # {id} {version}
    err_unknown_dossier: str  # {id}
    err_try_again: str
    err_backend: str  # {detail}
