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
    section_signing: str
    label_signed_by: str
    signed_by_value: str  # {names} {time}
    label_signature_check: str
    label_to_sign: str
    nobody_signed: str
    sign_stage_later: str  # {stage}
    signed_document: str  # {link}
    signature_check: Table  # valid | changed | untrusted | unsigned | missing
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
    decision_register: str  # {identificatie}: the link to the entry in the decision register
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
    ev_document_signed: str  # {who} {name}
    ev_signing_sent: str  # {who} {name} {provider}
    notice_signing_sent: str  # {name} {provider}
    ev_signing_declined: str  # {who} {provider} {reason}
    ev_signing_expired: str  # {name} {provider}
    ev_delegated: str  # {who} {name}
    ev_reassigned: str  # {who} {name}
    ev_due_date_changed: str  # {who} {date}
    ev_flow_version_changed: str  # {who} {version}
    ev_decision_registered: str  # {identificatie}
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
    # the tab's API (bot/tab/): why a request is refused
    tab_unauthenticated: str
    tab_forbidden: str
    tab_not_found: str
    tab_bad_request: str  # {detail}
    tab_query_repeated: str  # {name}
    tab_period_reversed: str  # {start} {end}: the overview's period, ISO days
    tab_bad_input: str  # {field}
    tab_method_not_allowed: str  # {method} {allowed}
    tab_unavailable: str
    tab_failed: str
    tab_not_built: str
    tab_flow_draft_required: str
    tab_flow_invalid: str
    tab_flow_problem: str  # {count} {problem}
    tab_register_columns: tuple[str, ...]  # the register's CSV header
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
    signatures: str
    signature_line: str  # {name} {state} {level} {signers}
    signature_state: Table  # valid | changed | untrusted | unsigned | missing
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
    zgw_exported: str  # {count} {file}
    zgw_registered: str  # {dossier} {url}
    zgw_not_registered: str  # {dossier} {reason}
    zgw_not_configured: str  # {missing}
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
    # cli text
    # argparse's own messages, by their msgid (bot.cli.main maps each field to its msgid);
    # %-placeholders as argparse fills them
    ap_usage: str
    ap_error: str  # %(prog)s %(message)s
    ap_argument: str  # %(argument_name)s %(message)s
    ap_required: str  # %s
    ap_invalid_choice: str  # %(value)r %(choices)s
    ap_invalid_value: str  # %(type)s %(value)r
    ap_expected_one: str
    ap_expected_at_most_one: str
    ap_expected_at_least_one: str
    ap_expected_n: tuple[str, str]  # %s: one, other
    ap_unrecognized: str  # %s
    ap_ambiguous: str  # %(option)s %(matches)s
    ap_ignored_argument: str  # %r
    ap_not_allowed_with: str  # %s
    ap_one_of_required: str  # %s
    ap_unknown_parser: str  # %(parser_name)r %(choices)s
    ap_positionals: str
    ap_options: str
    ap_help: str
    ap_version: str
    # names of the values options take (in usage lines and help)
    mv_command: str
    mv_user: str
    mv_file: str
    mv_folder: str
    mv_flow: str
    mv_dossier: str
    mv_action: str
    mv_stage: str
    mv_date: str
    mv_due: str
    mv_text: str
    mv_pair: str
    mv_anchor: str
    mv_name: str
    # help of every command and option (argparse: a literal percent sign is written %%)
    h_description: str
    h_epilog: str
    h_json: str
    h_data: str
    h_who: str
    h_as: str  # {who}
    h_demo: str
    h_samples: str
    h_flow: str
    d_flow: str
    h_flow_validate: str
    h_flow_file: str
    h_flow_list: str
    h_flow_show: str
    h_flow_id_example: str
    h_flow_id: str
    h_flow_version: str
    h_flow_publish: str
    h_flow_publish_as: str  # {who}
    h_flow_export: str
    h_flow_output: str
    h_flow_import: str
    h_flow_withdraw: str
    h_flow_withdraw_version: str
    h_flow_withdraw_as: str  # {who}
    h_dossier: str
    h_dossier_start: str
    h_start_flow: str
    h_start_title: str
    h_start_field: str
    h_dossier_act: str
    d_dossier_act: str  # {actions}
    h_dossier_id_example: str
    h_dossier_id: str
    h_act_action: str
    h_act_reason: str
    h_act_text: str
    h_act_advice: str
    h_act_to_stage: str
    h_act_stage: str
    h_act_to: str
    h_act_from: str
    h_act_due: str
    h_act_on_behalf_of: str
    h_dossier_attach: str
    h_attach_files: str
    h_dossier_show: str
    h_dossier_list: str
    h_list_status: str
    h_list_limit: str
    h_tasks: str
    h_tasks_user: str  # {who}
    h_audit: str
    h_audit_verify: str
    h_audit_dossier: str
    h_audit_kept: str
    h_audit_anchor: str
    h_decisions: str
    h_decisions_zgw: str
    h_decisions_register: str
    h_tick: str
    h_serve: str
    h_playground: str
    h_manifest: str
    d_manifest: str
    h_manifest_build: str
    d_manifest_build: str
    h_app_id: str
    h_bot_id: str
    h_public_url: str
    h_sso_app_id: str
    h_app_version: str
    h_publisher: str
    h_privacy_url: str
    h_terms_url: str
    h_manifest_output: str  # {file}
    h_provision: str
    d_provision: str
    h_site: str
    h_dry_run: str
    h_vervanger: str
    d_vervanger: str
    h_v_date: str
    h_v_set: str
    h_v_for: str
    h_v_substitute: str
    h_v_from: str  # {date}
    h_v_to: str  # {date}
    h_v_reason: str
    h_v_set_as: str
    h_v_list: str
    h_v_list_for: str
    h_v_clear: str
    h_v_clear_for: str
    h_v_clear_as: str
    # audit anchors
    a_no_anchors: str
    a_not_a_kept_file: str  # {value}
    a_bad_kept: str  # {value}
    a_anchor_problem: str  # {seq} {reason}
    a_kept_problem: str  # {problem}
    a_no_anchor_yet: str
    a_checked_against: str  # {anchors} {seq} {hash} {when}
    n_anchors: Plural  # {count}
    a_anchors_broken: str
    a_not_anchored: str
    a_nothing_to_anchor: str
    a_anchored: str  # {dossiers} {seq}
    a_unchanged: str  # {seq}
    a_keep: str  # {seq} {hash}
    a_root: str  # {dossiers} {root}
    a_made: str  # {when} {seq} {hash}
    # standing substitutes (vervanger)
    v_line: str  # {person} {upn} {substitute} {substitute_upn} {start} {end} {reason}
    v_set_by: str  # {name}
    v_none: str
    v_cleared: Plural  # {count} {name}
    v_nothing_to_clear: str  # {name}
    v_set: str  # {line}
    # signing in with Entra ID
    s_prompt: str  # {uri} {code}
    s_as_refused: str
    s_name_who: str
    s_token_unusable: str  # {detail}
    s_other_tenant: str
    s_failed: str  # {detail}
    s_needs_settings: str
    # provisioning the SharePoint site
    p_site: str  # {url} {id}
    p_created: str  # {kind} {list}
    p_would_create: str  # {kind} {list}
    p_with_columns: Plural  # {count}
    p_list_kinds: tuple[str, str]  # list, library
    p_added_column: str  # {column} {detail}
    p_would_add_column: str  # {column} {detail}
    p_indexed_column: str  # {column} {detail}
    p_would_index_column: str  # {column} {detail}
    p_extended_choices: str  # {column} {detail}
    p_would_extend_choices: str  # {column} {detail}
    p_column_kinds: tuple[str, ...]  # text, note, number, datetime, boolean, choice
    p_flags: tuple[str, str]  # indexed; indexed, unique values
    p_problem: str  # {where} {message}
    p_up_to_date: str
    p_nothing_allowed: str
    p_dry_run: Plural  # {count}
    p_made: Plural  # {count}
    p_site_urls: tuple[str, ...]  # {text}, per graph.site.InvalidSiteUrl.REASONS
    p_problems: tuple[str, str, str]  # column_type {have} {need}; list_template {have}
    # {need}; not_indexed {flags} {error}
    p_name_site: str
    p_unreachable: str  # {base_url} {code} {message} {url}
    p_no_site: str  # {url}
    p_forbidden: str  # {url} {status}
    p_refused: str  # {url} {error}
    p_no_token: str  # {message}
    p_stopped: str  # {url} {error}
    # the Teams app package
    m_no_builder: str  # {path}
    m_no_bot_id: str
    m_input_errors: tuple[str, ...]  # {option} {value}, per ManifestInputError.CODES
    m_wrote: str  # {file} {bytes} {app} {version} {manifest} {bot}
    m_tabs: str  # {tabs}
    m_sso: str  # {resource}
    # the server and the local demo's Playground
    sv_listening: str  # {url} {mode} {sdk}
    sv_modes: tuple[str, str]  # local, production
    sv_sdks: tuple[str, str]  # botbuilder, agents
    err_status: str  # {value}
    pg_local_only: str
    pg_installing: str
    pg_open: str  # {url} {name} {upn}
    pg_stopped: str  # {log}
    # flow and audit words
    flow_words: Table  # a template per approvals.errors.FLOW_WORDS code, with the same fields
    flow_hints: Table  # a template per approvals.errors.FLOW_HINTS code, with the same fields
    flow_values: Table  # per approvals.errors.FLOW_VALUES key: {got}, {what}, {listing}
    settings_words: Table  # a template per bot.settings.SettingsError code (en: the source)
    settings_fixes: Table  # per SettingsError code: what to change (paraaf doctor)
    doctor_words: Table  # paraaf doctor: a template per check, outcome and fix
    audit_words: Table  # a template per approvals.errors.AUDIT_WORDS code, with the same fields
    chain_broken: str  # {dossier} {seq} {reason}: a command met a stored chain that is broken
    pg_missing_tool: str  # {tool}: node or npm
    pg_serving: str  # {url} {me} {endpoint} {log}: python -m playground
    pg_exited: str  # {code} {log}
    pg_config_error: str  # {error}
