"""The catalogue of UI strings: one frozen dataclass, one instance per language.

Every text a card shows is a field here, so a language is complete by construction and a
test checks that both languages use the same ``{placeholders}``. Placeholders are filled
with :meth:`str.format`; the values are never re-parsed, so user text in them is safe.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Strings:
    """All UI text of one language."""

    # locale data
    months: tuple[str, ...]  # January .. December
    months_short: tuple[str, ...]
    date_long: str  # {day} {month} {year}
    date_time: str  # {day} {month} {year} {time}
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
    timeline_earlier: str  # {count}
    section_document_comments: str
    comment_on: str  # {passage}
    comment_unknown_author: str
    comments_unreadable: str
    advice_earlier: str  # {count}
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
    tasks_count_one: str
    tasks_count: str  # {count}
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
