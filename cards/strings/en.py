"""English texts (for Teams locales that start with "en")."""

from __future__ import annotations

from approvals.errors import (
    AUDIT_WORDS,
    FLOW_HINTS,
    FLOW_VALUES,
    FLOW_WORDS,
    REFUSALS,
    SUBJECTS,
)
from cards.strings.catalog import CliStrings, Strings, Table

EN = Strings(
    months=("January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"),
    months_short=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec"),
    date_long="{day} {month} {year}",
    date_time="{day} {month} {year} {time} ({zone})",
    decimal_sep=".",
    thousands_sep=",",
    money="€{amount}",
    money_negative="-€{amount}",

    fallback_text="This card needs a newer version of Teams.",
    refresh="Refresh",
    open="Open",
    open_in_app="Open in paraaf",
    more_items="and {count} more",
    on_behalf_of="{name} on behalf of {other}",
    substitute_for="{name} (substitute: {other})",
    round="round {round}",
    choose="Choose",

    status_open="In progress",
    status_completed="Completed",
    status_rejected="Rejected",
    status_withdrawn="Withdrawn",

    label_flow="Flow",
    label_stage="Stage",
    label_status="Status",
    label_initiator="Initiator",
    label_due="Due",
    label_waiting_for="Who is to act",
    due_on="Due: {date}",
    due_today="Due: today ({date})",
    due_overdue="Overdue: {date}",
    no_one="nobody",
    section_fields="Details",
    section_documents="Documents",
    section_signing="Signatures",
    label_signed_by="Signed by",
    signed_by_value="{names} (last {time})",
    label_signature_check="Check",
    label_to_sign="Still to sign",
    nobody_signed="nobody yet",
    sign_stage_later="then {stage}",
    signed_document="Signed document: {link}",
    signature_check=Table({
        "valid": "valid",
        "changed": "CHANGED after signing",
        "untrusted": "signed with a certificate that is NOT TRUSTED",
        "unsigned": "NOT signed",
        "missing": "the signed document is MISSING",
    }),
    section_advice="Advice",
    section_decision="Decision",
    section_timeline="Recent activity",
    timeline_earlier=("and {count} earlier step", "and {count} earlier steps"),
    section_document_comments="Comments in documents",
    comment_on="On “{passage}”",
    comment_unknown_author="Unknown author",
    comments_unreadable="The comments in this document could not be read.",
    advice_earlier=("and {count} earlier recommendation",
                    "and {count} earlier recommendations"),
    advice_by="{advice} advice from {name}",
    decision_by="Decided by {name} on {date}",
    decision_register="In the decision register as {identificatie}",
    end_reason="Reason: {reason}",
    yes="yes",
    no="no",

    prompt_advise="You are asked to give advice.",
    prompt_initial="You are asked to initial this dossier.",
    prompt_approve="You are asked to approve this dossier.",
    prompt_decide="You are asked to take a decision.",
    prompt_sign="You are asked to sign the decision.",
    prompt_acknowledge="This dossier is for your information.",
    prompt_on_behalf="You act as substitute on behalf of {name}.",

    act_advise="Give advice",
    act_initial="Initial",
    act_approve="Approve",
    act_decide="Decide",
    act_sign="Sign",
    act_acknowledge="Acknowledge",
    act_return="Send back",
    act_reject="Reject",
    act_comment="Comment",
    act_delegate="Delegate",
    submit_advise="Send advice",
    submit_decide="Record decision",
    submit_return="Send back",
    submit_reject="Reject dossier",
    submit_comment="Post comment",
    submit_delegate="Delegate task",

    label_advice="Advice",
    advice_positief="Positive",
    advice_negatief="Negative",
    advice_neutraal="Neutral",
    label_explanation="Explanation",
    label_explanation_optional="Explanation (optional)",
    label_decision="Decision",
    placeholder_decision="Write down the decision",
    label_return_to="Send back to",
    label_reason="Reason",
    placeholder_return_reason="What has to happen before the dossier can move on?",
    placeholder_reject_reason="Why do you reject the dossier?",
    label_comment="Comment",
    label_delegate_to="Your colleague's e-mail address",
    placeholder_email="name@municipality.nl",
    placeholder_delegate_reason="For example: away on holiday",
    err_advice="Choose positive, negative or neutral.",
    err_text="Enter a text (at most {max} characters).",
    err_reason="Give a reason (at most {max} characters).",
    err_return_to="Choose the stage to send the dossier back to.",
    err_email="Enter a valid e-mail address.",
    err_control=("‘{field}’ contains a control character or an invisible direction mark "
                 "({char}). Remove it and try again."),

    notice_done_by="This task has already been handled by {name}.",
    notice_not_your_turn="It is not your turn in this dossier.",
    notice_changed="The dossier has changed; this is where it stands now.",
    notice_recorded="Done: ‘{action}’ has been recorded.",
    notice_closed="This dossier is {status}.",

    ev_dossier_started="{who} started the dossier",
    ev_advice_given="{who} gave {advice} advice",
    ev_initialled="{who} initialled",
    ev_approved="{who} approved",
    ev_decided="{who} decided",
    ev_signed="{who} signed",
    ev_acknowledged="{who} acknowledged the dossier",
    ev_dossier_returned="{who} sent the dossier back to {stage}",
    ev_dossier_rejected="{who} rejected the dossier",
    ev_dossier_withdrawn="{who} withdrew the dossier",
    ev_dossier_completed="The dossier was completed",
    ev_comment_added="{who} added a comment",
    ev_document_attached="{who} added {name}",
    ev_document_signed="{who} signed {name} digitally",
    notice_signing_sent=("‘{name}’ is with {provider} to be signed: you get an e-mail about "
                         "it. paraaf records your signature as soon as {provider} says it is "
                         "done."),
    ev_signing_sent="{who} sent {name} to {provider} to be signed",
    ev_signing_declined="{who} declined to sign in {provider}: {reason}",
    ev_signing_expired="Signing {name} in {provider} expired; send it again",
    ev_delegated="{who} delegated the task to {name}",
    ev_reassigned="{who} reassigned the task to {name}",
    ev_due_date_changed="{who} changed the due date to {date}",
    ev_flow_version_changed="{who} moved the dossier to version {version} of its flow",
    ev_decision_registered=("The decision was registered in the besluitenregister as "
                            "{identificatie}"),
    ev_reminder_sent="Reminder sent for {stage}",
    ev_escalated="{stage} is overdue; escalated",
    ev_other="{who}: {type}",

    subject_yours="your dossier",
    subject_the="the dossier",
    head_status="Where it stands",
    head_returned="{subject} was sent back to {stage}",
    head_rejected="{subject} was rejected",
    head_completed="{subject} was completed",
    head_decided="A decision was taken on {subject}",
    head_withdrawn="{subject} was withdrawn",

    tasks_title="My tasks",
    tasks_none="You have no open tasks.",
    tasks_count=("{count} open task", "{count} open tasks"),
    no_due="No due date",

    start_title="Start a dossier",
    start_pick="Choose a flow",
    start_none="There are no published flows yet. Ask an administrator to publish one.",
    start_next="Next",
    err_pick_flow="Choose a flow.",
    flow_version="version {version}",
    form_title="New dossier: {flow}",
    label_title="Title",
    placeholder_title="What is the dossier about?",
    err_title="Give the dossier a title (at most {max} characters).",
    label_documents="Documents (links)",
    placeholder_documents="One link per line",
    placeholder_url="https://…",
    err_field_required="Fill in ‘{label}’.",
    err_field_text="Fill in ‘{label}’ (at most {max} characters).",
    submit_start="Start dossier",
    form_too_large=("This form is too large for a card in Teams. "
                    "Start the dossier in the paraaf tab."),

    help_title="Hi, I'm paraaf",
    help_intro=(
        "With paraaf you prepare and take administrative decisions without leaving Teams. "
        "When it is your turn, you get a card here to give advice, initial, approve, decide, "
        "sign or acknowledge a dossier. Every step is recorded."
    ),
    help_commands="What you can ask me",
    cmd_help="help",
    cmd_help_text="This help",
    cmd_tasks="my tasks",
    cmd_tasks_text="The dossiers in which it is your turn",
    cmd_start="start",
    cmd_start_text="Start a new dossier",
    cmd_status="status ‹dossier id›",
    cmd_status_text="Where a dossier stands",
    help_my_tasks="My tasks",
    help_new_dossier="New dossier",
    unknown_user_title="We don't know you yet",
    unknown_user_text=(
        "We cannot find you in the municipal directory; please contact an administrator."
    ),
    error_title="Something went wrong",

    bot_unknown_dossier="There is no dossier ‘{id}’.",
    bot_bad_card="This card holds invalid data ({detail}). Refresh the card and try again.",
    bot_not_allowed="This action does not fit the dossier's current stage.",
    bot_duplicate="This action was already recorded; this is where the dossier stands.",
    bot_tenant_not_allowed=("Your organisation has no access to paraaf. Please contact an "
                            "administrator."),
    bot_unknown_colleague="We cannot find ‘{email}’ in the municipal directory.",
    bot_busy="This dossier is very busy right now; please try again in a few seconds.",
    bot_status_usage="Type ‘status’ followed by the dossier id, for example: status DEMO-1",
    bot_started="Dossier {id} has been started.",
    bot_reminder="Reminder: the deadline of this task is {date}.",
    bot_escalation="The deadline of ‘{stage}’ has passed; still waiting for: {names}.",
    bot_update_teams="This card works in the latest version of Teams. Please update Teams.",
    bot_no_assignees=("Nobody can be found for the next stage. An administrator must fix the "
                      "flow or the group."),

    demo_persona_title="Demo: switching roles",
    demo_persona_on="You now play the part of {name}: you see and do what {name} sees and does.",
    demo_persona_off="You are yourself again.",
    demo_persona_hint=("Local demo only. Type ‘as ‹name›’ (for example: as e.vanleeuwen) to "
                       "play someone else, or ‘as me’."),
    demo_persona_unknown="We cannot find ‘{who}’ among the demo users.",
    bot_not_involved=("You are not involved in this dossier, so you cannot see it. Ask the "
                      "initiator or an administrator if you need it."),

    placeholder_amount="Dutch notation, for example 25.000 or 1.250,50",
    relation_lt="less than",
    relation_le="at most",
    relation_gt="more than",
    relation_ge="at least",
    relation_eq="equal to",
    relation_ne="not equal to",
    skipped_because="{stage} skipped: {field} {value} is {relation} {limit}.",
    skipped_empty="{stage} skipped: {field} is not filled in.",
    skipped_condition="{stage} skipped: the condition ‘{condition}’ does not hold ({values}).",
    nobody_to_act="nobody to act",
    unstaffed_stage=("{stage}: nobody to act. An administrator assigns someone with "
                     "‘reassign’."),
    unstaffed_admin_notice=("Nobody can be found for {stages}, so the dossier waits. Assign "
                            "someone with ‘reassign’, or fix the flow or the group."),
    unstaffed_ahead=("Note: nobody can be found for {stages} now. The dossier will wait there "
                     "until an administrator assigns someone."),
    not_a_starter=("You cannot start ‘{flow}’: the flow says who may. Ask an administrator if "
                   "you think this is wrong."),
    part_initial="the initial",
    part_approve="the approval",
    part_decide="the decision",
    part_sign="the signature",
    bot_substituted=("You are away until {until}: your substitute {name} handles this task on "
                     "your behalf. You can keep following the dossier."),
    substitute_title="Substitute while away",
    substitute_set=("{substitute} stands in for {person} from {start} to {end} ({reason}). "
                    "Tasks that arrive in that period go to {substitute}."),
    substitute_set_by="Set by {name}.",
    substitute_none="No substitute is set.",
    substitute_cleared="The substitution has ended ({count}).",
    substitute_nothing_to_clear="There is no substitution to end.",
    substitute_usage=("Type ‘substitute ‹name› ‹from› ‹to› ‹reason›’, for example: substitute "
                      "j.visser 2026-12-01 2026-12-14 holiday. ‘substitute’ shows your "
                      "substitute, ‘substitute stop’ ends it. An administrator types "
                      "‘substitute for ‹name› ‹substitute› ‹from› ‹to› ‹reason›’."),
    substitute_bad_date="‘{value}’ is not a date; write for example 2026-12-01 or 1-12-2026.",
    substitute_unknown="We cannot find ‘{who}’ in the municipal directory.",
    cmd_substitute="substitute ‹name› ‹from› ‹to› ‹reason›",
    cmd_substitute_text="Who takes your new tasks while you are away",
    task_row_initiator="Initiator: {name}",
    status_usage_title="Which dossier?",
    # refusals
    tab_unauthenticated=("You are not signed in, or your sign-in has expired. Open paraaf in "
                         "Teams again."),
    tab_forbidden="Only a beheerder can see or do this.",
    tab_not_found="This does not exist, or you are not involved in it.",
    tab_bad_request="The request is not right: {detail}",
    tab_query_repeated="{name} may be in the address only once",
    tab_period_reversed="started_from ({start}) is after started_to ({end})",
    tab_bad_input="The field ‘{field}’ is not right.",
    tab_method_not_allowed="This address does not take {method}; it takes {allowed}.",
    tab_unavailable="paraaf cannot check your sign-in now; try again in a minute.",
    tab_failed="Something went wrong; please try again.",
    tab_not_built=("The tab has not been built yet: there is no web/dist. Run ‘make install’ "
                   "and start paraaf again."),
    tab_flow_draft_required="Give the flow as a form (definition) or as YAML (yaml), not both.",
    tab_flow_invalid="The flow is not valid.",
    tab_flow_problem="The flow is not valid ({count} problem(s)); first: {problem}",
    tab_register_columns=("Date", "Dossier number", "Title", "Flow", "Decided by",
                          "On behalf of", "Decision", "Link", "Signed by"),
    refusals=Table({
        **REFUSALS,  # the domain's own English, so a message and a card never drift apart
        "four_eyes_initiator": ("Not allowed (four eyes): {name} started this dossier and does "
                                "not give {part} in it ({held_stage}). Only a flow with "
                                "allow_initiator: true on that stage allows it."),
        "four_eyes_one_part": ("Not allowed (four eyes): {name} already holds {part} in this "
                               "round of the dossier ({held_stage}), so not also a part in "
                               "‘{stage}’. One person holds at most one of initial, approval, "
                               "decision and signature."),
    }),
    refusal_subjects=Table(SUBJECTS),
    refusal_words=Table({
        "concept": "a concept", "published": "published", "withdrawn": "withdrawn",
        "advise": "advise", "initial": "initial", "approve": "approve", "decide": "decide",
        "sign": "sign", "acknowledge": "acknowledge", "return": "send back", "reject": "reject",
        "delegate": "delegate", "comment": "comment", "withdraw": "withdraw",
    }),
)

CLI_EN = CliStrings(
    flow_warning="warning: {warning}",
    dossier_head="Dossier {id}: {title}",
    label_flow="flow",
    label_status="status",
    label_initiator="initiator",
    label_decision="decision",
    label_reason="reason",
    label_due=", due {date}",
    overdue=" (OVERDUE)",
    nobody="  nobody (the dossier is {status})",
    substitute_for="    substitute for {slot}: {who}",
    recorded=("Recorded {count} event.", "Recorded {count} events."),
    nothing_new="Nothing new to record (already done).",
    who_is_to_act="Who is to act:",
    documents="Documents:",
    signatures="Signatures:",
    signature_line="{name}: {state}{level}; signed by {signers}",
    signature_state=Table({
        "valid": "valid",
        "changed": "CHANGED after signing",
        "untrusted": "signed with a certificate that is NOT TRUSTED",
        "unsigned": "NOT signed",
        "missing": "the signed document is MISSING",
    }),
    advice="Advice:",
    advice_line="{stage}: {advice} advice by {name}",
    comments="Comments in documents:",
    comment_unknown_author="unknown author",
    comment_on='on "{passage}"',
    timeline="Timeline:",
    ev_stage_started="stage {stage} started for {names}",
    ev_stage_skipped="stage {stage} skipped ({condition} does not hold)",
    ev_stage_completed="stage {stage} completed",
    on_behalf_of="{name} on behalf of {other}",
    no_dossiers="No dossiers.",
    dossier_columns=("ID", "STATUS", "FLOW", "STAGE", "DUE", "TITLE"),
    kinds=("advice", "initial", "approval", "decision", "signing", "for information"),
    no_tasks="{name} has no tasks.",
    tasks_of=("Tasks of {name} ({count} task):", "Tasks of {name} ({count} tasks):"),
    no_decisions="No decisions yet.",
    zgw_exported="Wrote {count} decision(s) in the ZGW shape to {file}.",
    zgw_registered="{dossier}: registered, {url}",
    zgw_not_registered="{dossier}: not registered: {reason}",
    zgw_not_configured=("The ZGW register is not configured: set {missing} "
                        "(docs/zgw-register.md)."),
    decision_columns=("DATE", "DOSSIER", "BY", "DECISION"),
    audit_ok="OK: {events} in {dossiers} verified; every chain holds.",
    audit_broken="BROKEN: {broken} of {dossiers} fail verification.",
    audit_break="  dossier {id}, event {seq}: {reason}",
    n_events=("{count} event", "{count} events"),
    n_dossiers=("{count} dossier", "{count} dossiers"),
    tick_done="Checked {checked} with a due date: {reminders} and {escalations} recorded.",
    n_reminders=("{count} reminder", "{count} reminders"),
    n_escalations=("{count} escalation", "{count} escalations"),
    tick_failed="\n  could not check dossier {id}: {message}",
    demo_data="Demo data in {folder}:",
    demo_counts="  {users}, {flows}: {names}",
    n_users=("{count} demo user", "{count} demo users"),
    n_flows=("{count} published flow", "{count} published flows"),
    demo_examples="  example dossiers: {ids}",
    demo_try="Try: paraaf --data {folder} dossier list",
    flow_valid=("{source}: valid flow '{id}' version {version} ({title}): "
                "{fields}, {stages} in {steps}."),
    n_fields=("{count} field", "{count} fields"),
    n_stages=("{count} stage", "{count} stages"),
    n_steps=("{count} step", "{count} steps"),
    flow_published="Published flow '{id}' version {version} ({title}): {status}.",
    flow_imported="Imported flow '{id}' version {version} ({title}): {status}.",
    flow_withdrawn="Withdrew flow '{id}' version {version} ({title}): {status}.",
    flow_statuses=("draft", "published", "withdrawn"),
    no_flows="No flows yet. Publish one with: paraaf flow publish FILE",
    flow_columns=("ID", "VERSION", "STATUS", "TITLE", "PUBLISHED BY"),
    wrote="Wrote {file}",
    err_no_file="There is no file '{path}'.",
    err_file_too_large="'{path}' is larger than 256 KiB; a flow file is much smaller.",
    err_not_utf8="'{path}' is not UTF-8 text.",
    err_field_pair="--field: write a field as NAME=VALUE, not '{pair}'.",
    err_option_required="{option} is required for {action}.",
    err_due="--due: give the new due date as YYYY-MM-DD.",
    err_unknown_person="{option}: there is nobody called '{who}' in the directory.",
    err_ambiguous_person=("{option}: '{who}' matches several people ({matches}); give the "
                          "full address."),
    err_not_admin="--as: {name} is no beheerder; only beheerders manage flows.",
    err_name_admin="Name the beheerder with --as USER.",
    err_unknown_flow="There is no flow '{id}'. See `paraaf flow list`.",
    err_unknown_flow_version=("There is no version {version} of flow '{id}'. See "
                              "`paraaf flow list`."),
    err_unknown_dossier="There is no dossier '{id}'. See `paraaf dossier list`.",
    err_try_again="Try again.",
    err_backend="The backend could not be used: {detail}",
    # cli text
    ap_usage="usage: ",
    ap_error="%(prog)s: error: %(message)s\n",
    ap_argument="argument %(argument_name)s: %(message)s",
    ap_required="the following arguments are required: %s",
    ap_invalid_choice="invalid choice: %(value)r (choose from %(choices)s)",
    ap_invalid_value="invalid %(type)s value: %(value)r",
    ap_expected_one="expected one argument",
    ap_expected_at_most_one="expected at most one argument",
    ap_expected_at_least_one="expected at least one argument",
    ap_expected_n=("expected %s argument", "expected %s arguments"),
    ap_unrecognized="unrecognized arguments: %s",
    ap_ambiguous="ambiguous option: %(option)s could match %(matches)s",
    ap_ignored_argument="ignored explicit argument %r",
    ap_not_allowed_with="not allowed with argument %s",
    ap_one_of_required="one of the arguments %s is required",
    ap_unknown_parser="unknown parser %(parser_name)r (choices: %(choices)s)",
    ap_positionals="positional arguments",
    ap_options="options",
    ap_help="show this help message and exit",
    ap_version="show the version of paraaf and exit",
    mv_command="COMMAND",
    mv_user="USER",
    mv_file="FILE",
    mv_folder="DIR",
    mv_flow="FLOW",
    mv_dossier="DOSSIER",
    mv_action="ACTION",
    mv_stage="STAGE",
    mv_date="DATE",
    mv_due="YYYY-MM-DD",
    mv_text="TEXT",
    mv_pair="NAME=VALUE",
    mv_anchor="SEQ:HASH",
    mv_name="NAME",
    h_description="paraaf: prepare and take administrative decisions in Microsoft Teams.",
    h_epilog=("exit codes: 0 success, 1 audit chain broken, 2 bad input or not allowed "
              "(nothing\nwritten), 3 data or backend unavailable.\nenvironment: PARAAF_DATA "
              "selects the data folder, PARAAF_LANGUAGE the language\n(nl or en; see the README "
              "for every PARAAF_* setting)."),
    h_json="print machine-readable JSON",
    h_data="data folder (default: $PARAAF_DATA or the user data folder)",
    h_who="e-mail address, UPN or short name such as j.visser",
    h_as=("who acts ({who}); local mode only: with the Microsoft 365 backend you act as the "
          "person signed in with Entra ID"),
    h_demo="create a demo data folder",
    h_samples="also start a few example dossiers (default: yes)",
    h_flow="validate, publish, share and inspect flows",
    d_flow="Flow definitions (processtromen): YAML files.",
    h_flow_validate="check a flow file",
    h_flow_file="the flow's YAML file",
    h_flow_list="every stored flow version",
    h_flow_show="one flow (latest published version)",
    h_flow_id_example="the flow's id, e.g. collegevoorstel",
    h_flow_id="the flow's id",
    h_flow_version="this version (default: latest)",
    h_flow_publish="validate, store and publish a file",
    h_flow_publish_as="the beheerder publishing it ({who})",
    h_flow_export="write a flow to share it",
    h_flow_output="file to write (default: standard output)",
    h_flow_import="store a shared flow as a draft",
    h_flow_withdraw="stop new dossiers on a version",
    h_flow_withdraw_version="the version to withdraw",
    h_flow_withdraw_as="the beheerder withdrawing it ({who})",
    h_dossier="start, act on and inspect dossiers",
    h_dossier_start="start a dossier on a published flow",
    h_start_flow="the flow, e.g. collegevoorstel",
    h_start_title="what the dossier is about",
    h_start_field="a field of the flow's form; repeat for each field",
    h_dossier_act="act on a dossier",
    d_dossier_act="Actions: {actions}",
    h_dossier_id_example="the dossier number, e.g. DEMO-1",
    h_dossier_id="the dossier number",
    h_act_action=("what to do: advise, initial, approve, decide, sign, acknowledge, return, "
                  "reject, withdraw, comment, delegate, reassign, due (or the Dutch verbs: "
                  "advies, paraferen, accorderen, ...)"),
    h_act_reason=("required to return, reject, withdraw, delegate, reassign or move a due "
                  "date"),
    h_act_text="a remark, explanation (toelichting) or decision text",
    h_act_advice="the advice: positief, negatief or neutraal (required to advise)",
    h_act_to_stage="where to return the dossier to",
    h_act_stage="which stage (when you act in several)",
    h_act_to="the substitute (delegate, reassign)",
    h_act_from="the assignee (reassign; leave out for a stage nobody is to act in)",
    h_act_due="the new due date (due)",
    h_act_on_behalf_of="whose task you do as substitute",
    h_dossier_attach="add documents to a dossier",
    h_attach_files="the documents to add",
    h_dossier_show="status, who is to act, timeline",
    h_dossier_list="dossiers, most recent first",
    h_list_status="only dossiers with this status: open, completed, rejected or withdrawn",
    h_list_limit="at most this many (default: 50)",
    h_tasks="a user's tasks (who is to act)",
    h_tasks_user="whose tasks ({who})",
    h_audit="verify the tamper-evident history",
    h_audit_verify="re-compute every hash chain",
    h_audit_dossier="only this dossier (default: all)",
    h_audit_kept=("an anchor you kept outside paraaf (or the file `audit anchor --json` "
                  "wrote): the stored anchors must still contain it"),
    h_audit_anchor="verify, then record every dossier's head in the audit anchors",
    h_decisions="the decision register",
    h_decisions_zgw=("write the register in the ZGW shape (besluit, enkelvoudiginformatieobject "
                     "with the PDF, besluitinformatieobject) to FILE, as JSON"),
    h_decisions_register=("register every decision in the ZGW Besluiten API of the "
                          "PARAAF_ZGW_ settings (a registered one is found, not made again)"),
    h_tick="send deadline reminders and escalations",
    h_serve="run the server",
    h_playground=("local mode: also start the Microsoft 365 Agents Playground (a Teams "
                  "stand-in in the browser) in front of the bot"),
    h_manifest="build the Teams app package",
    d_manifest="The Teams app (manifest, icons, translations).",
    h_manifest_build="write the Teams app package (zip)",
    d_manifest_build=(
        "Build the Teams app package (manifest.json, icons, English strings) to upload in\n"
        "the Teams admin center (Manage apps > Upload new app) or with Teams > Apps > Manage "
        "your apps.\n\n"
        "defaults: --bot-id from PARAAF_APP_ID, --public-url from PARAAF_PUBLIC_URL, --app-id "
        "and\n--sso-app-id from the bot id, --app-version from paraaf's version. Raise the "
        "version for\nevery new upload of the same app."),
    h_app_id="the app's id in Teams (default: the bot id)",
    h_bot_id="the bot's Entra application (client) id (default: $PARAAF_APP_ID)",
    h_public_url=("https base URL of paraaf, where Teams loads the tabs "
                  "(default: $PARAAF_PUBLIC_URL)"),
    h_sso_app_id=("the Entra application id the tab's single sign-on is for "
                  "(default: the bot id)"),
    h_app_version="the app version (default: paraaf's version)",
    h_publisher=("publisher shown in Teams, e.g. the municipality (at most 32 characters; "
                 "default: paraaf)"),
    h_privacy_url="privacy statement (default: PUBLIC_URL/privacy)",
    h_terms_url="terms of use (default: PUBLIC_URL/voorwaarden)",
    h_manifest_output="file or folder to write (default: ./{file})",
    h_provision="create or upgrade the SharePoint lists (Microsoft 365 backend)",
    d_provision=("Create the lists and the library paraaf needs on a SharePoint site, or add "
                 "what an older version lacks. Never removes anything; running it again "
                 "changes nothing. Uses the PARAAF_GRAPH_* settings."),
    h_site=("the site, https://<tenant>.sharepoint.com/sites/<name> "
            "(default: $PARAAF_SITE_URL)"),
    h_dry_run="print what would change, change nothing",
    h_vervanger="standing substitutes (vervangers) for a period of absence",
    d_vervanger=("While someone is away, the tasks that arrive for them go to their "
                 "substitute, who acts on their behalf; they still see the dossier and are "
                 "told. Four eyes holds for substitutes too."),
    h_v_date="a date, YYYY-MM-DD or DD-MM-YYYY",
    h_v_set="name a substitute for a period",
    h_v_for="who is away",
    h_v_substitute="who takes over their new tasks",
    h_v_from="first day away ({date})",
    h_v_to="last day away ({date})",
    h_v_reason="why, e.g. holiday or leave",
    h_v_set_as="who sets it: the person themself (default) or a beheerder",
    h_v_list="periods that have not ended",
    h_v_list_for="only this person's",
    h_v_clear="remove a person's periods that have not ended",
    h_v_clear_for="whose substitute to clear",
    h_v_clear_as="who clears it: the person themself (default) or a beheerder",
    a_no_anchors="This backend keeps no audit anchors.",
    a_not_a_kept_file="--anchor: '{value}' is not a file written by `paraaf audit anchor --json`.",
    a_bad_kept=("--anchor: write the anchor you kept as SEQ:HASH (e.g. 12:abababab...), "
                "not '{value}'."),
    a_anchor_problem="  anchor {seq}: {reason}",
    a_kept_problem="  the anchor you kept: {problem}",
    a_no_anchor_yet="No audit anchor yet: run `paraaf audit anchor` (or `paraaf tick`).",
    a_checked_against="Checked against {anchors}; the latest is {seq}:{hash} of {when}.",
    n_anchors=("{count} audit anchor", "{count} audit anchors"),
    a_anchors_broken="BROKEN: the audit anchors do not hold.",
    a_not_anchored=("Not anchored: the store does not verify (`paraaf audit verify` says "
                    "where); anchoring it would make the damage look like history."),
    a_nothing_to_anchor="Nothing to anchor: there are no dossiers yet.",
    a_anchored="Anchored {dossiers} in anchor {seq}.",
    a_unchanged="Nothing changed since anchor {seq}; no new anchor.",
    a_keep="  keep this outside paraaf (print, mail, timestamp): {seq}:{hash}",
    a_root="  Merkle root over {dossiers}: {root}",
    a_made="  made {when}; check later with: paraaf audit verify --anchor {seq}:{hash}",
    v_line=("{person} ({upn}): {substitute} ({substitute_upn}) from {start} to {end}, "
            "{reason}"),
    v_set_by=", set by {name}",
    v_none="No substitutes named.",
    v_cleared=("Cleared {count} period of {name}.", "Cleared {count} periods of {name}."),
    v_nothing_to_clear="{name} has no substitute to clear.",
    v_set="Substitute set: {line}",
    s_prompt="Sign in to paraaf: open {uri} and enter the code {code}.",
    s_as_refused=("--as works only in local mode. With the Microsoft 365 backend you act as "
                  "the person signed in with Entra ID: leave out --as."),
    s_name_who="Name who acts with --as USER (local mode).",
    s_token_unusable=("The Entra ID sign-in could not be used: {detail}. Sign in again "
                      "(remove the cached sign-in if it persists)."),
    s_other_tenant="You are signed in to another tenant than PARAAF_GRAPH_TENANT_ID.",
    s_failed="Signing in with Entra ID did not succeed: {detail}",
    s_needs_settings=("Signing in needs PARAAF_CLI_CLIENT_ID (or PARAAF_GRAPH_CLIENT_ID) and "
                      "PARAAF_GRAPH_TENANT_ID; see docs/microsoft-365.md."),
    p_site="Site {url} ({id})",
    p_created="Created {kind} {list}",
    p_would_create="Would create {kind} {list}",
    p_with_columns=(" with {count} column", " with {count} columns"),
    p_list_kinds=("list", "library"),
    p_added_column="Added column {column} ({detail})",
    p_would_add_column="Would add column {column} ({detail})",
    p_indexed_column="Indexed column {column} ({detail})",
    p_would_index_column="Would index column {column} ({detail})",
    p_extended_choices="Extended the choices of {column} with {detail}",
    p_would_extend_choices="Would extend the choices of {column} with {detail}",
    p_column_kinds=("single line of text", "multiple lines of text", "number",
                    "date and time", "yes/no", "choice"),
    p_flags=("indexed", "indexed, unique values"),
    p_problem="  Problem: {where} {message}",
    p_up_to_date="nothing to change: the lists are up to date",
    p_nothing_allowed="nothing to change that provisioning may change",
    p_dry_run=("Dry run: {count} change to make; nothing was changed.",
               "Dry run: {count} changes to make; nothing was changed."),
    p_made=("Made {count} change.", "Made {count} changes."),
    p_site_urls=("'{text}' is not a SharePoint site URL; write it as "
                 "https://<tenant>.sharepoint.com/sites/<name>.",
                 "'{text}' should be just the site's address, like "
                 "https://<tenant>.sharepoint.com/sites/<name>.",
                 "'{text}' points inside a site; give the site itself, like "
                 "https://<tenant>.sharepoint.com/sites/<name>.",
                 "'{text}' has characters a site path cannot have."),
    p_problems=("is a column of type {have}; paraaf needs {need}. Rename or remove that "
                "column, then provision again.",
                "exists as a {have}; paraaf needs a {need} by that name. Rename the existing "
                "one, then provision again.",
                "could not be {flags}: {error}"),
    p_name_site="Name the site with --site URL (or set PARAAF_SITE_URL).",
    p_unreachable=("Microsoft Graph at {base_url} could not be reached ({code}: {message}); "
                   "the site {url} was not changed."),
    p_no_site="There is no SharePoint site at {url} (Graph answered 404).",
    p_forbidden=("The app may not use the site {url} (Graph answered {status}): check the "
                 "credential and the Sites.Selected grant for this site "
                 "(docs/microsoft-365.md)."),
    p_refused="Graph refused a request for the site {url}: {error}",
    p_no_token="No token for Microsoft Graph: {message}",
    p_stopped=("Provisioning {url} stopped: {error}. What was done stays done; run it again "
               "to continue."),
    m_no_builder=("the manifest builder is not here ({path}); run `paraaf manifest build` "
                  "from a source checkout of paraaf."),
    m_no_bot_id="The bot id is missing: pass --bot-id GUID or set PARAAF_APP_ID.",
    m_input_errors=(
        "{option}: must be a GUID like 00000000-0000-0000-0000-000000000000, not {value}.",
        "The public URL is missing: pass --public-url https://paraaf.example.nl or set "
        "PARAAF_PUBLIC_URL.",
        "{option}: {value} is not a valid URL.",
        "{option}: must start with https:// (Teams loads tabs over HTTPS only), not {value}.",
        "{option}: {value} has no valid host name.",
        "{option}: must not contain a user name or password.",
        "{option}: must be a base URL without ?query or #fragment, not {value}.",
        "{option}: is longer than 1500 characters.",
        "{option}: must look like 1.2.3 (Teams needs major.minor.patch), not {value}.",
        "{option}: must be 1 to 32 characters long.",
        "{option}: must be an https:// link, not {value}."),
    m_wrote=("Wrote {file} ({bytes} bytes): Teams app {app} version {version} (manifest "
             "v{manifest}), bot {bot}."),
    m_tabs="Tabs: {tabs}",
    m_sso=("Single sign-on resource: {resource} (the Application ID URI of the app "
           "registration must be exactly this)."),
    sv_listening="paraaf listening on {url} ({mode}, bot on {sdk})",
    sv_modes=("local mode", "production mode"),
    sv_sdks=("botbuilder (Bot Framework SDK)", "the Microsoft 365 Agents SDK"),
    err_status=("'{value}' is no status; choose open, completed, rejected or withdrawn "
                "(or the Dutch lopend, afgerond, afgewezen, ingetrokken)"),
    pg_local_only="--playground is for local mode only (PARAAF_MODE=local).",
    pg_installing="Installing the Agents Playground (npm ci) ...",
    pg_open=("\nOpen {url} in your browser: a Teams chat with paraaf, as {name} <{upn}>.\n"
             "Type 'help', 'mijn taken' or 'start'. Ctrl-C stops everything.\n"),
    pg_stopped="The Agents Playground stopped; see {log}",
    # flow and audit words
    flow_words=Table(FLOW_WORDS),  # the domain's own English
    flow_hints=Table(FLOW_HINTS),
    flow_values=Table(FLOW_VALUES),
    audit_words=Table(AUDIT_WORDS),
    chain_broken=("Dossier '{dossier}', event {seq}: {reason}. The stored history is not "
                  "intact: ask a beheerder to run `paraaf audit verify`."),
    pg_missing_tool="`{tool}` is not installed; the Agents Playground needs Node.js 18 or newer",
    pg_serving=("Agents Playground: open {url} in a browser (you are {me}).\n"
                "  bot endpoint: {endpoint}\n  log: {log}\n  Ctrl-C stops it."),
    pg_exited="The Agents Playground stopped ({code}); see {log}",
    pg_config_error="playground: {error}",
    doctor_words=Table({  # paraaf doctor: per outcome code its text, and ".fix" what to do
        "help": "check this deployment: settings, app, permissions, site, lists, bot",
        "description": ("Checks the settings, the app registration and its token, the Graph "
                        "permissions and the site grant, the site's lists and indexes, the "
                        "bot's endpoint, the clock and the network (on the embedded backend: "
                        "the data folder, the database and the audit chains). Says per check "
                        "what is wrong and the fix. Exit code 0: all right; 1: something is "
                        "wrong."),
        "title.graph": "paraaf doctor: Microsoft 365 backend",
        "title.local": "paraaf doctor: embedded backend",
        "title.unknown": "paraaf doctor",
        "status.ok": "ok", "status.wrong": "WRONG", "status.skipped": "--",
        "fix": "fix",
        "summary.ok": "Everything checked is in order.",
        "summary.one": "{count} check is wrong.",
        "summary.other": "{count} checks are wrong.",
        "check.settings": "settings", "check.login": "Entra ID", "check.graph": "Graph",
        "check.clock": "clock", "check.token": "app token", "check.permissions": "permissions",
        "check.site": "site", "check.lists": "lists", "check.bot": "bot endpoint",
        "check.bot_keys": "Bot Framework keys", "check.data": "data folder",
        "check.validsign": "ValidSign",
        "check.database": "database", "check.audit": "audit chains",
        "skipped_graph": "not checked: Graph cannot be reached",
        "skipped_login": "not checked: Entra ID gives no token for this tenant",
        "skipped_token": "not checked: the app has no token",
        "skipped_site": "not checked: the site cannot be read",
        "skipped_data": "not checked: there is no data",
        "skipped_database": "not checked: the database cannot be read",
        "skipped_test_server": "not checked: the local Graph test server needs no sign-in "
                               "and checks no permissions",
        "skipped_no_date": "not checked: Graph's answer had no Date",
        "skipped_local_mode": "not checked: local mode does not check the Bot Framework's tokens",
        "settings_ok": "can be used (backend {backend}, mode {mode})",
        "settings_wrong": "cannot be used",
        "login_ok": "{host} answers for tenant {tenant}",
        "login_unreachable": "{host} cannot be reached ({error})",
        "login_unreachable.fix": ("Let this machine reach {host} over HTTPS (port 443): open the "
                                  "firewall, or set HTTPS_PROXY to your proxy."),
        "login_no_tenant": "{host} knows no tenant {tenant}",
        "login_no_tenant.fix": ("Set PARAAF_GRAPH_TENANT_ID to your Directory (tenant) ID "
                                "(Entra admin center > Overview)."),
        "login_answer": "{host} answered HTTP {status}",
        "login_answer.fix": ("Let this machine reach {host} over HTTPS without a proxy that "
                             "changes answers, then run paraaf doctor again."),
        "graph_ok": "{url} answers",
        "graph_unreachable": "{url} cannot be reached ({error})",
        "graph_unreachable.fix": ("Let this machine reach {host} over HTTPS (port 443): open "
                                  "the firewall, or set HTTPS_PROXY to your proxy."),
        "graph_test_server": "the Graph test server at {url} cannot be reached ({error})",
        "graph_test_server.fix": ("Start the test server (python -m tests.graph_server --port "
                                  "...), or remove PARAAF_GRAPH_BASE_URL to use Microsoft "
                                  "Graph."),
        "clock_ok": "{skew} s from Graph's clock",
        "clock_skewed": "this machine's clock is {skew} s off Graph's",
        "clock_skewed.fix": ("Synchronise this machine's clock (NTP, e.g. timedatectl set-ntp "
                             "true): tokens are refused when it is more than 5 minutes off."),
        "clock_token": "Entra ID refused the token request as outside its valid time "
                       "({error})",
        "clock_token.fix": ("Synchronise this machine's clock (NTP, e.g. timedatectl set-ntp "
                            "true), then run paraaf doctor again."),
        "token_ok": "the app got a token for Microsoft Graph (PARAAF_GRAPH_AUTH={auth})",
        "token_secret": "Entra ID refused the client secret ({error})",
        "token_secret.fix": ("Make a new client secret (App registrations > paraaf > "
                             "Certificates & secrets > New client secret) and set "
                             "PARAAF_GRAPH_CLIENT_SECRET to its Value (not its Secret ID)."),
        "token_client": "tenant {tenant} has no app with client id {client} ({error})",
        "token_client.fix": ("Set PARAAF_GRAPH_CLIENT_ID to the Application (client) ID on the "
                             "Overview page of the app registration (docs/microsoft-365.md, "
                             "step 1)."),
        "token_tenant": "Entra ID knows no tenant {tenant} ({error})",
        "token_tenant.fix": ("Set PARAAF_GRAPH_TENANT_ID to your Directory (tenant) ID "
                             "(Entra admin center > Overview)."),
        "token_certificate": "the certificate cannot be used for the app ({error})",
        "token_certificate.fix": ("Set PARAAF_GRAPH_CERT_FILE to a PEM or PKCS#12 file with the "
                                  "certificate and its private key, and upload that "
                                  "certificate to the app registration (Certificates & secrets "
                                  "> Certificates)."),
        "token_managed_identity": "the managed identity gave no token ({error})",
        "token_managed_identity.fix": ("Run paraaf where a managed identity is assigned (and "
                                       "set PARAAF_GRAPH_CLIENT_ID to a user-assigned one's "
                                       "client id), or set PARAAF_GRAPH_AUTH=secret or "
                                       "certificate."),
        "token_refused": "the app got no token with PARAAF_GRAPH_AUTH={auth} ({error})",
        "token_refused.fix": ("Check PARAAF_GRAPH_TENANT_ID, PARAAF_GRAPH_CLIENT_ID and the "
                              "credential against the app registration (docs/microsoft-365.md, "
                              "step 1)."),
        "token_unreachable": "Entra ID could not be reached for a token ({error})",
        "token_unreachable.fix": ("Let this machine reach login.microsoftonline.com over HTTPS "
                                  "(port 443): open the firewall, or set HTTPS_PROXY."),
        "permissions_ok": "the token carries {roles}",
        "permissions_other_tenant": "the token is for tenant {tid}, not {tenant}",
        "permissions_other_tenant.fix": ("Set PARAAF_GRAPH_TENANT_ID to the tenant of the app "
                                         "registration ({tid})."),
        "permissions_other_app": "the token is for app {app}, not {client}",
        "permissions_other_app.fix": ("Set PARAAF_GRAPH_CLIENT_ID to the client id of the app "
                                      "whose credential paraaf has ({app})."),
        "permissions_missing": "the app lacks the application permissions {missing}",
        "permissions_missing.fix": ("In the app registration: API permissions > Add a "
                                    "permission > Microsoft Graph > Application permissions > "
                                    "{missing}; then Grant admin consent for your tenant "
                                    "(docs/microsoft-365.md, step 2)."),
        "permissions_broad": "the app has more than it needs: {extra}",
        "permissions_broad.fix": ("Remove {extra} from the app registration's API permissions: "
                                  "Sites.Selected and the site grant are enough "
                                  "(docs/microsoft-365.md, step 2)."),
        "check.grant": "site grant",
        "skipped_lists": "not checked: the site's lists could not be read",
        "skipped_grant_unlisted": "not checked: Graph does not list this site's grants here",
        "skipped_no_client": ("not checked: without PARAAF_GRAPH_CLIENT_ID the grant cannot be "
                              "told from others"),
        "grant_ok": "the app has {roles} on the site",
        "grant_too_small": "the app has only {roles} on the site; paraaf needs fullcontrol",
        "grant_too_small.fix": ("Give the app fullcontrol on the site, as a SharePoint "
                                "administrator: POST https://graph.microsoft.com/v1.0/sites/"
                                "{site}/permissions with {{\"roles\": [\"fullcontrol\"], "
                                "\"grantedToIdentities\": [{{\"application\": {{\"id\": "
                                "\"{client}\", \"displayName\": \"paraaf\"}}}}]}} "
                                "(docs/microsoft-365.md, step 3)."),
        "grant_unreadable": ("the app may not read the site's permissions (HTTP {status}): its "
                             "grant is less than fullcontrol"),
        "grant_unreadable.fix": ("Give the app fullcontrol on the site, as a SharePoint "
                                 "administrator: POST https://graph.microsoft.com/v1.0/sites/"
                                 "{site}/permissions with {{\"roles\": [\"fullcontrol\"], "
                                 "\"grantedToIdentities\": [{{\"application\": {{\"id\": "
                                 "\"{client}\", \"displayName\": \"paraaf\"}}}}]}} "
                                 "(docs/microsoft-365.md, step 3)."),
        "grant_none": "no grant on the site names the app {client}",
        "grant_none.fix": ("Grant the app this site, as a SharePoint administrator: POST "
                           "https://graph.microsoft.com/v1.0/sites/{site}/permissions with "
                           "{{\"roles\": [\"fullcontrol\"], \"grantedToIdentities\": "
                           "[{{\"application\": {{\"id\": \"{client}\", \"displayName\": "
                           "\"paraaf\"}}}}]}}; or set PARAAF_GRAPH_CLIENT_ID to the app that "
                           "was granted (docs/microsoft-365.md, step 3)."),
        "site_ok": "{url} can be read",
        "site_missing": "there is no site at {url}",
        "site_missing.fix": ("Set PARAAF_SITE_URL to the address of the site, or create it "
                             "(SharePoint admin center > Active sites > Create; "
                             "docs/microsoft-365.md, step 3)."),
        "site_forbidden": "the app may not use {url} (HTTP {status}): no Sites.Selected grant",
        "site_forbidden.fix": ("Grant the app this site, as a SharePoint administrator: POST "
                               "https://graph.microsoft.com/v1.0/sites/{site}/permissions with "
                               "{{\"roles\": [\"fullcontrol\"], \"grantedToIdentities\": "
                               "[{{\"application\": {{\"id\": \"{client}\", \"displayName\": "
                               "\"paraaf\"}}}}]}} (docs/microsoft-365.md, step 3)."),
        "site_refused": "{url} could not be read ({error})",
        "site_refused.fix": ("Check PARAAF_SITE_URL and the site grant (docs/microsoft-365.md, "
                             "step 3), then run paraaf doctor again."),
        "lists_ok": "every list, column and index paraaf needs is there",
        "lists_missing": "{count} things paraaf needs are missing: {changes}",
        "lists_missing.fix": ("Run: paraaf provision (first with --dry-run to see the "
                              "changes)."),
        "lists_problem": "{where} {problem}",
        "lists_problem.fix": ("Rename or remove what is in the way on the site, then run: "
                              "paraaf provision."),
        "lists_unreadable": "the site's lists could not be read ({error})",
        "lists_unreadable.fix": ("Check the site grant (docs/microsoft-365.md, step 3), then "
                                 "run paraaf doctor again."),
        "data_ok": "{folder} is there and writable",
        "data_missing": "there is no paraaf data in {folder}",
        "data_missing.fix": ("Create it with: paraaf demo --data {folder}; or set PARAAF_DATA "
                             "to the folder that has it."),
        "data_readonly": "{folder} cannot be written",
        "data_readonly.fix": ("Give the user that runs paraaf write access to {folder}, or set "
                              "PARAAF_DATA to a writable folder."),
        "database_ok": "{file} reads without damage",
        "database_broken": "{file} is damaged ({error})",
        "database_broken.fix": ("Stop paraaf and restore {file} from the latest backup; then "
                                "run: paraaf audit verify."),
        "audit_ok": "{dossiers} dossiers, {events} events and {anchors} anchors hold",
        "audit_broken": "{count} broken, the first in {first}",
        "audit_broken.fix": ("Run: paraaf audit verify for the details; restore from a backup "
                             "(docs/audit.md)."),
        "bot_ok": "{url} answers",
        "bot_not_answering": "{url} does not answer ({error})",
        "bot_not_answering.fix": ("Start paraaf serve behind that address, or set "
                                  "PARAAF_PUBLIC_URL to the bot's https address (the Azure "
                                  "Bot's messaging endpoint without /api/messages)."),
        "bot_port_free": "nothing listens on {host}:{port} yet: paraaf serve can start there",
        "bot_local_ok": "paraaf answers on {url}",
        "bot_port_taken": "something else listens on {host}:{port}",
        "bot_port_taken.fix": ("Stop what listens on port {port}, or set PARAAF_PORT to a free "
                               "port."),
        "bot_keys_ok": "{url} answers",
        "bot_keys_unreachable": "the Bot Framework's keys at {url} cannot be fetched ({error})",
        "bot_keys_unreachable.fix": ("Let this machine reach {host} over HTTPS, or remove "
                                     "PARAAF_BOT_OPENID_METADATA_URL for the Bot Framework's "
                                     "own ({default})."),
        "validsign_ok": "{url} answers and takes the API key",
        "validsign_key": "{url} refuses the API key (HTTP {status})",
        "validsign_key.fix": ("Set PARAAF_VALIDSIGN_API_KEY to the API key of your ValidSign "
                              "account (Admin, API access)."),
        "validsign_unreachable": "ValidSign at {url} does not answer ({error})",
        "validsign_unreachable.fix": ("Let this machine reach {host} over HTTPS, or correct "
                                      "PARAAF_VALIDSIGN_URL."),
    }),
    settings_words=Table({  # the one English template of each SettingsError code
        "whole_number": "{name} must be a whole number, not {value}.",
        "port_in_use": ("Port {port} on {host} is already in use: is paraaf running already, or "
                        "another program?"),
        "out_of_range": "{name} must be between {low} and {high}, not {value}.",
        "one_of": "{name} must be one of {options}, not {value}.",
        "timezone": "PARAAF_TIMEZONE must be a time zone such as Europe/Amsterdam, not {value}.",
        "local_tenant": ("PARAAF_MODE=local switches authentication off: it cannot run against "
                         "a real Microsoft 365 tenant. Use PARAAF_MODE=production with "
                         "PARAAF_BACKEND=graph (or point PARAAF_GRAPH_BASE_URL at a local Graph "
                         "test server)."),
        "production_app": ("PARAAF_MODE=production needs the bot's app registration: set "
                           "PARAAF_APP_ID and PARAAF_APP_PASSWORD (or PARAAF_APP_CERT_THUMBPRINT "
                           "and PARAAF_APP_CERT_KEY_FILE, or PARAAF_APP_TYPE=userassignedmsi)."),
        "site_url": "PARAAF_SITE_URL: {detail}",
        "graph_base_url": ("PARAAF_GRAPH_BASE_URL may only point at a loopback address (a local "
                           "Graph test server, e.g. http://127.0.0.1:8765/v1.0), not {value}. "
                           "Leave it empty to use Microsoft Graph."),
        "https_url": ("{name} must be an https address (or http on a loopback test server), not "
                      "{value}. Leave it empty for the Bot Framework's own: {default}"),
        "otlp_endpoint": ("{name} must be the http(s) address of an OTLP/HTTP collector, such as "
                          "http://collector:4318, not {value}. Leave it empty to send no "
                          "telemetry."),
        "graph_missing": ("The Microsoft 365 backend (PARAAF_GRAPH_AUTH={auth}) needs {missing}; "
                          "see docs/microsoft-365.md."),
        "signing_file": "{name}: there is no file {file}.",
        "signing_roots": ("{name}: {file} holds no certificate; it must be a PEM file of the "
                          "root certificates to trust (-----BEGIN CERTIFICATE----- blocks)."),
        "signing_tsa_url": ("PARAAF_TSA_URL must be the http(s) address of an RFC 3161 timestamp "
                            "authority, not {value}."),
        "signing_missing": ("Signing with PARAAF_SIGNING_PKCS12 needs {missing}: a signature "
                            "for the archive carries a timestamp from a timestamp authority."),
        "zgw_missing": ("The ZGW decision register needs {missing} as well: a register is "
                        "configured whole or not at all; see docs/zgw-register.md."),
        "zgw_url": "{name} must be the http(s) address of the API's root, not {value}.",
        "zgw_rsin": ("PARAAF_ZGW_RSIN={value} is not an RSIN: 9 digits that pass the "
                     "elfproef."),
        "validsign_missing": ("Signing with ValidSign (PARAAF_SIGNING_PROVIDER=validsign) "
                              "needs {missing}."),
        "validsign_url": ("PARAAF_VALIDSIGN_URL must be ValidSign's https address, such as "
                          "https://my.validsign.nl (http only on a loopback test server), not "
                          "{value}."),
        "cert_file": "PARAAF_GRAPH_CERT_FILE: there is no file {file}.",
        "graph_auth_none": ("PARAAF_GRAPH_AUTH=none is only for a local Graph test server: set "
                            "PARAAF_GRAPH_BASE_URL to its loopback address."),
        "host_loopback": ("PARAAF_HOST must be a loopback address in local mode (authentication "
                          "is off there), not {value}. Set PARAAF_MODE=production to listen on "
                          "{host}."),
        "public_url": ("PARAAF_PUBLIC_URL must be the bot's https address as Teams reaches it "
                       "(http only on a loopback address), with no query, not {value}."),
        "app_credential": ("PARAAF_MODE=production needs the bot's credential: PARAAF_APP_ID is "
                           "set, but neither PARAAF_APP_PASSWORD nor PARAAF_APP_CERT_THUMBPRINT "
                           "is, so the bot could not send a single message."),
        "app_tenant": ("PARAAF_APP_TYPE={type} needs PARAAF_APP_TENANT_ID (the tenant of the "
                       "bot's app registration)."),
        "app_cert_pair": "{have} is set, so {need} is needed too (the certificate's key file "
                         "and its thumbprint go together).",
        "guid": "{name} must be an id such as 5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3, not {value}.",
        "tenant_id": ("{name} must be a tenant id such as 5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3 "
                      "(or the tenant's domain, contoso.onmicrosoft.com), not {value}."),
    }),
    settings_fixes=Table({  # what to do about each SettingsError code
        "whole_number": "Set {name} to a whole number, or remove it for the default.",
        "port_in_use": ("Stop the program on port {port}, or choose a free port: "
                        "PARAAF_PORT={free}."),
        "out_of_range": "Set {name} to a number from {low} to {high}.",
        "one_of": "Set {name} to one of: {options}.",
        "timezone": "Set PARAAF_TIMEZONE to an IANA time zone, e.g. Europe/Amsterdam.",
        "local_tenant": ("Set PARAAF_MODE=production (with PARAAF_APP_ID and "
                         "PARAAF_APP_PASSWORD), or PARAAF_BACKEND=local."),
        "production_app": ("Set PARAAF_APP_ID to the bot's app registration's client id "
                           "(infra/README.md, step 2)."),
        "site_url": ("Set PARAAF_SITE_URL to the site's address, e.g. "
                     "https://gemeente.sharepoint.com/sites/paraaf."),
        "graph_base_url": "Remove PARAAF_GRAPH_BASE_URL to use Microsoft Graph.",
        "https_url": "Remove {name}, or set it to an https address.",
        "graph_missing": ("Set {missing} (docs/microsoft-365.md, steps 1 and 5)."),
        "signing_file": "Set {name} to an existing file, or mount that file there.",
        "signing_roots": ("Put the root certificates (e.g. ValidSign's) in {file} in PEM, "
                          "or remove {name}."),
        "signing_tsa_url": "Set PARAAF_TSA_URL to your timestamp authority's address.",
        "signing_missing": "Set {missing} to your timestamp authority's address.",
        "zgw_missing": ("Set {missing} (docs/zgw-register.md), or remove every PARAAF_ZGW_ "
                        "setting to keep the register in paraaf only."),
        "zgw_url": ("Set {name} to the API's root, e.g. "
                    "https://openzaak.gemeente.nl/besluiten/api/v1."),
        "zgw_rsin": "Set PARAAF_ZGW_RSIN to the municipality's RSIN (in the Handelsregister).",
        "validsign_missing": ("Set {missing}: the address, API key and callback key of your "
                              "ValidSign account (docs/operations.md, Ondertekenen)."),
        "validsign_url": "Set PARAAF_VALIDSIGN_URL to your ValidSign account's address.",
        "cert_file": ("Set PARAAF_GRAPH_CERT_FILE to the PEM or PKCS#12 file with the "
                      "certificate and its private key, or mount that file there."),
        "graph_auth_none": ("Set PARAAF_GRAPH_AUTH=secret, certificate or managed-identity for "
                            "Microsoft 365."),
        "host_loopback": "Set PARAAF_HOST=127.0.0.1, or PARAAF_MODE=production.",
        "public_url": ("Set PARAAF_PUBLIC_URL to https://<the bot's host name>, the address of "
                       "the Azure Bot's messaging endpoint without /api/messages."),
        "app_credential": ("Set PARAAF_APP_PASSWORD to a client secret of the app registration "
                           "(Certificates & secrets > New client secret), or "
                           "PARAAF_APP_CERT_THUMBPRINT and PARAAF_APP_CERT_KEY_FILE."),
        "app_tenant": ("Set PARAAF_APP_TENANT_ID to your Directory (tenant) ID, or "
                       "PARAAF_APP_TYPE=multitenant."),
        "app_cert_pair": "Set {need} as well, or remove {have}.",
        "guid": ("Set {name} to the Application (client) ID shown on the app registration's "
                 "Overview page."),
        "tenant_id": ("Set {name} to the Directory (tenant) ID shown on the app registration's "
                      "Overview page."),
        "otlp_endpoint": ("Set {name} to the collector's OTLP/HTTP address, such as "
                          "http://collector:4318, or leave it empty."),
    }),
)
