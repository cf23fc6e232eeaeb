"""Nederlandse teksten (de standaardtaal)."""

from __future__ import annotations

from cards.strings.catalog import Strings

NL = Strings(
    months=("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
            "september", "oktober", "november", "december"),
    months_short=("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.",
                  "nov.", "dec."),
    date_long="{day} {month} {year}",
    date_time="{day} {month} {year} {time}",
    decimal_sep=",",
    thousands_sep=".",
    money="€ {amount}",
    money_negative="€ -{amount}",

    fallback_text="Deze kaart vraagt een nieuwere versie van Teams.",
    refresh="Vernieuwen",
    open="Openen",
    open_in_app="Openen in paraaf",
    more_items="en {count} meer",
    on_behalf_of="{name} namens {other}",
    substitute_for="{name} (vervanger: {other})",
    round="ronde {round}",
    choose="Maak een keuze",

    status_open="Lopend",
    status_completed="Afgerond",
    status_rejected="Afgewezen",
    status_withdrawn="Ingetrokken",

    label_flow="Processtroom",
    label_stage="Stap",
    label_status="Status",
    label_initiator="Initiatiefnemer",
    label_due="Termijn",
    label_waiting_for="Wie is aan zet",
    due_on="Termijn: {date}",
    due_today="Termijn: vandaag ({date})",
    due_overdue="Termijn verstreken: {date}",
    no_one="niemand",
    section_fields="Gegevens",
    section_documents="Documenten",
    section_advice="Adviezen",
    section_decision="Besluit",
    section_timeline="Laatste stappen",
    timeline_earlier="en {count} eerdere stappen",
    section_document_comments="Opmerkingen in documenten",
    comment_on="Bij „{passage}”",
    comment_unknown_author="Onbekende auteur",
    advice_earlier="en {count} eerdere adviezen",
    advice_by="{advice} advies van {name}",
    decision_by="Besloten door {name} op {date}",
    end_reason="Reden: {reason}",
    yes="ja",
    no="nee",

    prompt_advise="Je wordt gevraagd advies te geven.",
    prompt_initial="Je wordt gevraagd dit dossier te paraferen.",
    prompt_approve="Je wordt gevraagd dit dossier te accorderen.",
    prompt_decide="Je wordt gevraagd een besluit te nemen.",
    prompt_sign="Je wordt gevraagd het besluit te ondertekenen.",
    prompt_acknowledge="Dit dossier is voor jou ter kennisname.",
    prompt_on_behalf="Je handelt als vervanger namens {name}.",

    act_advise="Advies geven",
    act_initial="Paraferen",
    act_approve="Accorderen",
    act_decide="Besluiten",
    act_sign="Ondertekenen",
    act_acknowledge="Voor kennisgeving aannemen",
    act_return="Terugsturen",
    act_reject="Afwijzen",
    act_comment="Opmerking",
    act_delegate="Delegeren",
    submit_advise="Advies versturen",
    submit_decide="Besluit vastleggen",
    submit_return="Terugsturen",
    submit_reject="Dossier afwijzen",
    submit_comment="Opmerking plaatsen",
    submit_delegate="Taak delegeren",

    label_advice="Advies",
    advice_positief="Positief",
    advice_negatief="Negatief",
    advice_neutraal="Neutraal",
    label_explanation="Toelichting",
    label_explanation_optional="Toelichting (optioneel)",
    label_decision="Besluit",
    placeholder_decision="Formuleer het besluit",
    label_return_to="Terugsturen naar",
    label_reason="Reden",
    placeholder_return_reason="Wat moet er gebeuren voordat het dossier verder kan?",
    placeholder_reject_reason="Waarom wijs je het dossier af?",
    label_comment="Opmerking",
    label_delegate_to="E-mailadres van je collega",
    placeholder_email="naam@gemeente.nl",
    placeholder_delegate_reason="Bijvoorbeeld: afwezig wegens vakantie",
    err_advice="Kies positief, negatief of neutraal.",
    err_text="Vul een tekst in (maximaal {max} tekens).",
    err_reason="Geef een reden op (maximaal {max} tekens).",
    err_return_to="Kies de stap waarnaar je het dossier terugstuurt.",
    err_email="Vul een geldig e-mailadres in.",

    notice_done_by="Deze taak is al afgehandeld door {name}.",
    notice_not_your_turn="Het is niet jouw beurt in dit dossier.",
    notice_changed="De dossierstatus is gewijzigd; dit is de actuele stand.",
    notice_recorded="Gelukt: ‘{action}’ is vastgelegd.",
    notice_closed="Dit dossier is {status}.",

    ev_dossier_started="{who} heeft het dossier gestart",
    ev_advice_given="{who} heeft {advice} geadviseerd",
    ev_initialled="{who} heeft geparafeerd",
    ev_approved="{who} heeft geaccordeerd",
    ev_decided="{who} heeft besloten",
    ev_signed="{who} heeft ondertekend",
    ev_acknowledged="{who} heeft het dossier voor kennisgeving aangenomen",
    ev_dossier_returned="{who} heeft het dossier teruggestuurd naar {stage}",
    ev_dossier_rejected="{who} heeft het dossier afgewezen",
    ev_dossier_withdrawn="{who} heeft het dossier ingetrokken",
    ev_dossier_completed="Het dossier is afgerond",
    ev_comment_added="{who} heeft een opmerking geplaatst",
    ev_document_attached="{who} heeft {name} toegevoegd",
    ev_delegated="{who} heeft de taak gedelegeerd aan {name}",
    ev_reassigned="{who} heeft de taak overgedragen aan {name}",
    ev_due_date_changed="{who} heeft de termijn gewijzigd in {date}",
    ev_reminder_sent="Herinnering verstuurd voor {stage}",
    ev_escalated="Termijn van {stage} verstreken; geëscaleerd",
    ev_other="{who}: {type}",

    subject_yours="je dossier",
    subject_the="het dossier",
    head_status="Stand van zaken",
    head_returned="{subject} is teruggestuurd naar {stage}",
    head_rejected="{subject} is afgewezen",
    head_completed="{subject} is afgerond",
    head_decided="Over {subject} is besloten",
    head_withdrawn="{subject} is ingetrokken",

    tasks_title="Mijn taken",
    tasks_none="Je hebt geen openstaande taken.",
    tasks_count_one="1 openstaande taak",
    tasks_count="{count} openstaande taken",
    no_due="Geen termijn",

    start_title="Dossier starten",
    start_pick="Kies een processtroom",
    start_none=("Er zijn nog geen gepubliceerde processtromen. "
                "Vraag een beheerder om er een te publiceren."),
    start_next="Verder",
    err_pick_flow="Kies een processtroom.",
    flow_version="versie {version}",
    form_title="Nieuw dossier: {flow}",
    label_title="Titel",
    placeholder_title="Waar gaat het dossier over?",
    err_title="Geef het dossier een titel (maximaal {max} tekens).",
    label_documents="Documenten (links)",
    placeholder_documents="Eén link per regel",
    placeholder_url="https://…",
    err_field_required="Vul ‘{label}’ in.",
    err_field_text="Vul ‘{label}’ in (maximaal {max} tekens).",
    submit_start="Dossier starten",
    form_too_large=("Dit formulier is te groot voor een kaart in Teams. Start het dossier in "
                    "het tabblad van paraaf."),

    help_title="Hoi, ik ben paraaf",
    help_intro=(
        "Met paraaf bereid je bestuurlijke besluiten voor en neem je ze, zonder Teams te "
        "verlaten. Is het jouw beurt, dan krijg je hier een kaart om advies te geven, te "
        "paraferen, te accorderen, te besluiten, te ondertekenen of een dossier voor "
        "kennisgeving aan te nemen. Elke stap wordt vastgelegd."
    ),
    help_commands="Wat je mij kunt vragen",
    cmd_help="help",
    cmd_help_text="Deze uitleg",
    cmd_tasks="mijn taken",
    cmd_tasks_text="De dossiers waarin jij aan zet bent",
    cmd_start="start",
    cmd_start_text="Een nieuw dossier starten",
    cmd_status="status ‹dossiernummer›",
    cmd_status_text="De stand van zaken van een dossier",
    help_my_tasks="Mijn taken",
    help_new_dossier="Nieuw dossier",
    unknown_user_title="We kennen je nog niet",
    unknown_user_text=(
        "We kennen je niet in de gemeentelijke directory; "
        "neem contact op met een beheerder."
    ),
    error_title="Er ging iets mis",

    bot_unknown_dossier="Er is geen dossier ‘{id}’.",
    bot_bad_card=("Deze kaart bevat ongeldige gegevens ({detail}). Vernieuw de kaart en "
                  "probeer het opnieuw."),
    bot_not_allowed="Deze actie past niet bij de huidige stap van het dossier.",
    bot_duplicate="Deze actie was al vastgelegd; dit is de actuele stand.",
    bot_tenant_not_allowed=("Je organisatie heeft geen toegang tot paraaf. Neem contact op met "
                            "een beheerder."),
    bot_unknown_colleague="We vinden ‘{email}’ niet in de gemeentelijke directory.",
    bot_busy="Het is nu erg druk in dit dossier; probeer het over een paar seconden opnieuw.",
    bot_status_usage="Typ ‘status’ gevolgd door het dossiernummer, bijvoorbeeld: status DEMO-1",
    bot_started="Dossier {id} is gestart.",
    bot_reminder="Herinnering: de termijn van deze taak verloopt op {date}.",
    bot_escalation="De termijn van ‘{stage}’ is verstreken; nog niet gereageerd: {names}.",
    bot_update_teams="Deze kaart werkt in de nieuwste versie van Teams. Werk Teams bij.",
    bot_no_assignees=("Voor de volgende stap is niemand te vinden. Een beheerder moet de "
                      "processtroom of de groep aanpassen."),

    demo_persona_title="Demo: wisselen van rol",
    demo_persona_on="Je speelt nu de rol van {name}: je ziet en doet wat {name} ziet en doet.",
    demo_persona_off="Je bent weer jezelf.",
    demo_persona_hint=("Alleen in de lokale demo. Typ ‘als ‹naam›’ (bijvoorbeeld: als "
                       "e.vanleeuwen) om een andere rol te spelen, of ‘als mezelf’."),
    demo_persona_unknown="We vinden ‘{who}’ niet in de demogebruikers.",
    bot_not_involved=("Je bent niet betrokken bij dit dossier, dus je kunt het niet inzien. "
                      "Vraag de initiatiefnemer of een beheerder als je het nodig hebt."),

    placeholder_amount="Bijvoorbeeld 25.000 of 1.250,50",
    err_amount_ambiguous=("‘{label}’: ‘{text}’ kan twee dingen betekenen: {first} of {second}. "
                          "Schrijf het getal op z’n Nederlands: een punt scheidt de duizendtallen "
                          "(25.000), een komma de decimalen (25,50)."),
    err_amount_english=("‘{label}’: ‘{text}’ is op z’n Engels geschreven. Bedoel je {dutch}? "
                        "Een punt scheidt de duizendtallen, een komma de decimalen."),
    relation_lt="kleiner dan",
    relation_le="kleiner dan of gelijk aan",
    relation_gt="groter dan",
    relation_ge="groter dan of gelijk aan",
    relation_eq="gelijk aan",
    relation_ne="niet gelijk aan",
    skipped_because="{stage} overgeslagen: {field} {value} is {relation} {limit}.",
    skipped_empty="{stage} overgeslagen: {field} is niet ingevuld.",
    skipped_condition="{stage} overgeslagen: de voorwaarde ‘{condition}’ geldt niet ({values}).",
    nobody_to_act="niemand aan zet",
    unstaffed_stage=("{stage}: niemand aan zet. Een beheerder wijst iemand aan met "
                     "‘herverdelen’."),
    unstaffed_admin_notice=("Voor {stages} is niemand te vinden, dus het dossier wacht. Wijs "
                            "iemand aan met ‘herverdelen’, of pas de processtroom of de groep "
                            "aan."),
    unstaffed_ahead=("Let op: voor {stages} is nu niemand te vinden. Het dossier wacht daar "
                     "tot een beheerder iemand aanwijst."),
    not_a_starter=("Je kunt ‘{flow}’ niet starten: de processtroom bepaalt wie dat mag. Vraag "
                   "een beheerder als je denkt dat dit niet klopt."),
    part_initial="de paraaf",
    part_approve="het accord",
    part_decide="het besluit",
    part_sign="de ondertekening",
    four_eyes_initiator=("Niet toegestaan (vier-ogenprincipe): {name} is initiatiefnemer van "
                         "dit dossier en doet daarin niet {part} ({stage}). Alleen een "
                         "processtroom met allow_initiator: true bij die stap staat dat toe."),
    four_eyes_one_part=("Niet toegestaan (vier-ogenprincipe): {name} heeft in deze ronde van het "
                        "dossier al {part} ({stage}). Eén persoon heeft hoogstens één van "
                        "paraaf, accord, besluit en ondertekening."),
    bot_substituted=("Je bent afwezig tot en met {until}: je vervanger {name} handelt deze taak "
                     "namens jou af. Je kunt het dossier blijven volgen."),
    substitute_title="Vervanger bij afwezigheid",
    substitute_set=("{substitute} vervangt {person} van {start} tot en met {end} ({reason}). "
                    "Taken die in die periode binnenkomen gaan naar {substitute}."),
    substitute_set_by="Vastgelegd door {name}.",
    substitute_none="Er is geen vervanger ingesteld.",
    substitute_cleared="De vervanging is beëindigd ({count}).",
    substitute_nothing_to_clear="Er is geen vervanging om te beëindigen.",
    substitute_usage=("Typ ‘vervanger ‹naam› ‹van› ‹tot› ‹reden›’, bijvoorbeeld: vervanger "
                      "j.visser 2026-12-01 2026-12-14 vakantie. ‘vervanger’ toont je vervanger, "
                      "‘vervanger stop’ beëindigt de vervanging. Een beheerder typt ‘vervanger "
                      "voor ‹naam› ‹vervanger› ‹van› ‹tot› ‹reden›’."),
    substitute_bad_date="‘{value}’ is geen datum; schrijf bijvoorbeeld 2026-12-01 of 1-12-2026.",
    substitute_unknown="We vinden ‘{who}’ niet in de gemeentelijke directory.",
    cmd_substitute="vervanger ‹naam› ‹van› ‹tot› ‹reden›",
    cmd_substitute_text="Wie je nieuwe taken overneemt terwijl je afwezig bent",
)
