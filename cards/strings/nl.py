"""Nederlandse teksten (de standaardtaal)."""

from __future__ import annotations

from cards.strings.catalog import CliStrings, Strings, Table

NL = Strings(
    months=("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
            "september", "oktober", "november", "december"),
    months_short=("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.",
                  "nov.", "dec."),
    date_long="{day} {month} {year}",
    date_time="{day} {month} {year} {time} ({zone})",
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
    section_signing="Ondertekening",
    label_signed_by="Ondertekend door",
    signed_by_value="{names} (laatst {time})",
    label_signature_check="Controle",
    label_to_sign="Nog te ondertekenen",
    nobody_signed="nog niemand",
    sign_stage_later="daarna {stage}",
    signed_document="Ondertekend document: {link}",
    signature_check=Table({
        "valid": "geldig",
        "changed": "GEWIJZIGD na ondertekening",
        "untrusted": "ondertekend met een certificaat dat NIET VERTROUWD wordt",
        "unsigned": "NIET ondertekend",
        "missing": "het ondertekende document ONTBREEKT",
    }),
    section_advice="Adviezen",
    section_decision="Besluit",
    section_timeline="Laatste stappen",
    timeline_earlier=("en {count} eerdere stap", "en {count} eerdere stappen"),
    section_document_comments="Opmerkingen in documenten",
    comment_on="Bij „{passage}”",
    comment_unknown_author="Onbekende auteur",
    comments_unreadable="De opmerkingen in dit document konden niet worden gelezen.",
    advice_earlier=("en {count} eerder advies", "en {count} eerdere adviezen"),
    advice_by="{advice} advies van {name}",
    decision_by="Besloten door {name} op {date}",
    decision_register="In het besluitenregister als {identificatie}",
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
    err_control=("‘{field}’ bevat een stuurteken of een onzichtbaar richtingsteken ({char}). "
                 "Haal het weg en probeer het opnieuw."),

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
    ev_document_signed="{who} heeft {name} digitaal ondertekend",
    notice_signing_sent=("‘{name}’ ligt bij {provider} ter ondertekening: je krijgt er een "
                         "e-mail over. paraaf legt je handtekening vast zodra {provider} meldt "
                         "dat die is gezet."),
    ev_signing_sent="{who} heeft {name} ter ondertekening naar {provider} gestuurd",
    ev_signing_declined="{who} heeft ondertekenen in {provider} geweigerd: {reason}",
    ev_signing_expired="De ondertekening van {name} in {provider} is verlopen; stuur opnieuw",
    ev_delegated="{who} heeft de taak gedelegeerd aan {name}",
    ev_reassigned="{who} heeft de taak overgedragen aan {name}",
    ev_due_date_changed="{who} heeft de termijn gewijzigd in {date}",
    ev_flow_version_changed="{who} heeft het dossier naar versie {version} van de stroom gezet",
    ev_decision_registered=("Het besluit is als {identificatie} in het besluitenregister "
                            "opgenomen"),
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
    tasks_count=("{count} openstaande taak", "{count} openstaande taken"),
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
    task_row_initiator="Initiatiefnemer: {name}",
    status_usage_title="Welk dossier?",
    # refusals
    tab_unauthenticated=("Je bent niet aangemeld, of je aanmelding is verlopen. Open paraaf "
                         "opnieuw in Teams."),
    tab_forbidden="Alleen een beheerder kan dit zien of doen.",
    tab_not_found="Dit bestaat niet, of je bent er niet bij betrokken.",
    tab_bad_request="Het verzoek klopt niet: {detail}",
    tab_query_repeated="{name} mag maar één keer in het adres staan",
    tab_period_reversed="started_from ({start}) ligt na started_to ({end})",
    tab_bad_input="Het veld ‘{field}’ klopt niet.",
    tab_method_not_allowed="Dit adres kent {method} niet; wel: {allowed}.",
    tab_unavailable=("paraaf kan je aanmelding nu niet controleren; probeer het over een "
                     "minuut opnieuw."),
    tab_failed="Er ging iets mis; probeer het opnieuw.",
    tab_not_built=("De tab is nog niet gebouwd: er is geen web/dist. Voer ‘make install’ uit "
                   "en start paraaf opnieuw."),
    tab_flow_draft_required=("Geef de stroom als formulier (definition) of als YAML (yaml), "
                             "niet allebei."),
    tab_flow_invalid="De stroom is niet geldig.",
    tab_flow_problem="De stroom is niet geldig ({count} probleem/problemen); eerste: {problem}",
    tab_register_columns=("Datum", "Dossiernummer", "Titel", "Stroom", "Besloten door",
                          "Namens", "Besluit", "Link", "Getekend door"),
    refusals=Table({
        # dossiers
        "unknown_dossier": "Er is geen dossier ‘{dossier}’. Controleer het dossiernummer.",
        "dossier_exists": "Dossier ‘{dossier}’ bestaat al. Kies een ander dossiernummer.",
        "dossier_not_started": "Dossier ‘{dossier}’ is nog niet gestart.",
        "dossier_closed": ("Dossier ‘{dossier}’ is afgesloten ({status}); er kan niets meer aan "
                           "worden gedaan."),
        "dossier_id_invalid": ("‘{dossier}’ is geen geldig dossiernummer: gebruik alleen letters, "
                               "cijfers, - en _."),
        "flow_version_mismatch": "Het dossier hoort bij een andere versie van de processtroom.",
        "command_id_reused": ("Opdrachtnummer ‘{command}’ is al gebruikt in dossier "
                              "‘{dossier}’."),
        "concurrency_conflict": ("Dossier ‘{dossier}’ is intussen gewijzigd (het is niet meer "
                                 "versie {version})."),
        "title_required": "Een dossier heeft een titel nodig: vul de titel in.",
        # wie aan zet is
        "not_a_starter": ("{actor} mag geen dossier starten met processtroom ‘{flow}’: de "
                          "processtroom bepaalt wie dat mag. Vraag een beheerder als dat niet "
                          "klopt."),
        "not_your_turn": ("Je bent niet aan zet in dossier ‘{dossier}’: je hebt (ook als "
                          "vervanger) geen open taak in de actieve stap."),
        "stage_not_active": "De stap ‘{stage}’ is niet actief in dossier ‘{dossier}’.",
        "stale_round": ("De stap ‘{stage}’ is intussen opnieuw begonnen (ronde {round}). "
                        "Bekijk het dossier zoals het nu is."),
        "task_handled": ("De taak in de stap ‘{stage}’ van dossier ‘{dossier}’ is al "
                         "afgehandeld door {name}."),
        "wrong_stage_kind": "De stap ‘{stage}’ vraagt niet om ‘{action}’ maar om ‘{kind}’.",
        "several_stages": ("Je bent aan zet in meer dan één stap ({stages}): geef aan in welke "
                           "stap je handelt."),
        "no_stage_for_action": ("Geen actieve stap van dossier ‘{dossier}’ vraagt jou om "
                                "‘{action}’."),
        "not_a_stage_action": "‘{action}’ is geen handeling binnen een stap.",
        "not_involved": "Alleen wie bij dossier ‘{dossier}’ betrokken is, kan dit doen.",
        "admin_only": "Alleen een beheerder kan dit doen.",
        "withdraw_not_entitled": ("Alleen de initiatiefnemer of een beheerder kan een dossier "
                                  "intrekken."),
        # wat een handeling nodig heeft
        "reason_required": "Geef een reden op: die is verplicht bij deze handeling.",
        "advice_required": "Kies een advies: positief, negatief of neutraal.",
        "advice_not_allowed": ("Een advies (positief, negatief of neutraal) hoort alleen bij "
                               "adviseren."),
        "return_target_invalid": ("De stap ‘{stage}’ kan niet terugsturen naar ‘{target}’. Kies "
                                  "uit: {options}."),
        "reject_not_allowed": ("In de stap ‘{stage}’ kun je het dossier niet afwijzen: geef als "
                               "adviseur een negatief advies; bij een kennisname neem je alleen "
                               "kennis."),
        "comment_empty": "Een opmerking kan niet leeg zijn: typ de opmerking.",
        "due_in_past": "Een nieuwe termijn kan niet in het verleden liggen: kies een latere datum.",
        "flow_move_same": "Dossier ‘{dossier}’ staat al op versie {version}.",
        "flow_move_misfit": ("Dossier ‘{dossier}’ kan niet naar versie {version} van "
                             "processtroom ‘{flow}’: het heeft stap ‘{stage}’ bereikt, en die "
                             "is daar niet hetzelfde."),
        # delegeren en herverdelen
        "delegate_not_entitled": "Alleen wie de taak heeft, kan die delegeren.",
        "delegate_to_self": "Je kunt een taak niet aan jezelf delegeren: kies een collega.",
        "delegate_to_initiator": ("De initiatiefnemer kan in het eigen dossier geen vervanger "
                                  "zijn: kies een andere collega."),
        "delegate_already_assignee": ("{name} heeft al een taak in deze stap: kies een andere "
                                      "collega."),
        "reassign_from_required": ("Geef aan wiens taak in ‘{stage}’ je wilt verplaatsen "
                                   "(--from GEBRUIKER)."),
        "reassign_no_open_task": "Die persoon heeft geen open taak in de stap ‘{stage}’.",
        "reassign_already_assignee": ("{name} heeft al een taak in ‘{stage}’: kies een andere "
                                      "collega."),
        # vier ogen
        "four_eyes_initiator": ("Niet toegestaan (vier-ogenprincipe): {name} is initiatiefnemer "
                                "van dit dossier en doet daarin niet {part} ({held_stage}). "
                                "Alleen een processtroom met allow_initiator: true bij die stap "
                                "staat dat toe."),
        "four_eyes_one_part": ("Niet toegestaan (vier-ogenprincipe): {name} heeft in deze ronde "
                               "van het dossier al {part} ({held_stage}), dus niet ook een deel "
                               "in ‘{stage}’. Eén persoon heeft hoogstens één van paraaf, "
                               "accord, besluit en ondertekening."),
        # tekst
        "text_not_text": "{what} moet tekst zijn.",
        "text_too_long": "{what} is te lang: {length} tekens, hoogstens {limit}. Maak het korter.",
        "text_line_break": "{what} bevat een regeleinde ({char}): schrijf het op één regel.",
        "text_odd_line_break": ("{what} bevat een ongewoon regeleinde ({char}): gebruik alleen "
                                "gewone regeleinden."),
        "text_control_char": "{what} bevat een stuurteken ({char}): haal het weg.",
        "text_bidi_char": ("{what} bevat een teken dat de schrijfrichting omdraait ({char}): "
                           "haal het weg."),
        # velden
        "unknown_field": ("Processtroom ‘{flow}’ kent geen veld ‘{field}’. De velden zijn: "
                          "{known}."),
        "field_required": "Het veld ‘{label}’ ({field}) is verplicht: vul het in.",
        "field_too_long": ("Het veld ‘{label}’ ({field}) is te lang: {length} tekens, "
                           "hoogstens {limit}. Maak het korter."),
        "field_not_text": "Het veld ‘{label}’ ({field}) vraagt tekst, niet {value}.",
        "field_not_number": ("Het veld ‘{label}’ ({field}) vraagt een getal op z’n Nederlands, "
                             "bijvoorbeeld 25.000 of 2,5; niet {value}."),
        "field_not_money": ("Het veld ‘{label}’ ({field}) vraagt een bedrag in euro’s met "
                            "hoogstens twee decimalen, bijvoorbeeld 25.000 of 1.250,50; niet "
                            "{value}."),
        "field_not_date": ("Het veld ‘{label}’ ({field}) vraagt een datum als JJJJ-MM-DD, niet "
                           "{value}."),
        "field_not_choice": ("Het veld ‘{label}’ ({field}) vraagt een van: {options}; niet "
                             "{value}."),
        "field_not_user": "Het veld ‘{label}’ ({field}) vraagt een gebruiker, niet {value}.",
        "field_not_document": ("Het veld ‘{label}’ ({field}) vraagt een documentnaam of een link, "
                               "niet {value}."),
        "field_english_number": ("‘{label}’ ({field}): ‘{text}’ is op z’n Engels geschreven. "
                                 "Schrijf {dutch}: een punt scheidt de duizendtallen, een komma "
                                 "de decimalen."),
        "ambiguous_value": ("‘{label}’ ({field}): ‘{text}’ kan twee dingen betekenen: {first} of "
                            "{second}. Schrijf het getal op z’n Nederlands: een punt scheidt de "
                            "duizendtallen (25.000), een komma de decimalen (25,50)."),
        "unknown_user": ("Er is niemand met de naam ‘{user}’ in de directory. Controleer het "
                         "adres."),
        # documenten
        "document_name_missing": "Een document heeft een naam nodig.",
        "document_name_too_long": ("De documentnaam is te lang: {length} tekens, hoogstens "
                                   "{limit}."),
        "document_name_control": "De documentnaam bevat stuurtekens: haal ze weg.",
        "document_name_forbidden": ("De documentnaam mag geen {chars} bevatten: kies een andere "
                                    "naam."),
        "document_name_edges": ("De documentnaam ‘{name}’ mag niet met een punt of spatie "
                                "beginnen of eindigen."),
        "document_name_invalid": "‘{name}’ is geen geldige documentnaam: kies een andere naam.",
        "document_too_large": ("‘{name}’ is {size} bytes; een document is hoogstens {limit} "
                               "MB."),
        "document_hash_invalid": "De hash van een document moet een SHA-256-hexwaarde zijn.",
        "document_missing": "Er is geen document ‘{name}’ in dossier ‘{dossier}’.",
        "document_not_renderable": ("‘{name}’ kan niet als pdf worden opgemaakt om te "
                                    "ondertekenen: {reason}. Er is niets ondertekend."),
        "signed_document_changed": ("Het ondertekende document ‘{name}’ is na de laatste "
                                    "handtekening gewijzigd; er is niets ondertekend."),
        "signing_failed": ("Ondertekenen van ‘{name}’ is mislukt: {reason}. Er is niets "
                           "ondertekend."),
        "zgw_rsin_not_nine_digits": ("‘{rsin}’ is geen RSIN: een RSIN heeft precies 9 "
                                     "cijfers. Zet PARAAF_ZGW_RSIN op het RSIN van de "
                                     "gemeente; er is niets geregistreerd."),
        "zgw_rsin_elfproef": ("‘{rsin}’ is geen geldig RSIN: het voldoet niet aan de "
                              "elfproef (kijk de cijfers na). Zet PARAAF_ZGW_RSIN op het RSIN "
                              "van de gemeente; er is niets geregistreerd."),
        "zgw_date_in_future": ("Het besluit in dossier ‘{dossier}’ heeft {field} {date}, na "
                               "vandaag ({today}); een register neemt geen datum in de "
                               "toekomst aan. Er is niets geregistreerd."),
        "zgw_not_decided": "Dossier ‘{dossier}’ heeft geen besluit om te registreren.",
        "zgw_identificatie_too_long": ("Dossiernummer ‘{dossier}’ is te lang als identificatie "
                                       "van het besluit in het register ({length} tekens, "
                                       "hoogstens {limit}). Er is niets geregistreerd."),
        "zgw_register_refused": ("Het besluitenregister weigerde het besluit van dossier "
                                 "‘{dossier}’: {reason}."),
        "signing_provider_missing": ("Deze fase ondertekent met {provider}, maar dat is hier "
                                     "niet ingesteld; er is niets ondertekend. Vraag het een "
                                     "beheerder."),
        "signing_waiting": ("‘{name}’ ligt bij {provider} ter ondertekening; paraaf legt de "
                            "handtekening vast zodra {provider} meldt dat die is gezet."),
        "access_not_granted": ("SharePoint kon {names} geen toegang geven tot de documenten van "
                               "het dossier{detail}. Vraag een beheerder om het na te kijken."),
        # processtromen
        "flow_not_published": ("Er is geen gepubliceerde processtroom ‘{flow}’. Zie `paraaf "
                               "flow list`."),
        "flow_version_not_published": ("Er is geen gepubliceerde versie {version} van "
                                       "processtroom ‘{flow}’. Zie `paraaf flow list`."),
        "flow_status_change": ("Processtroom ‘{flow}’ versie {version} is {status} en kan niet "
                               "{new_status} worden."),
        "flow_version_fixed": ("Processtroom ‘{flow}’ versie {version} is al {status} en kan "
                               "niet meer veranderen: verhoog het versienummer."),
        # vervangers
        "substitutes_unavailable": "Vervangers zijn met deze backend niet beschikbaar.",
        "substitute_not_entitled": ("Alleen {person} of een beheerder kan een vervanger voor "
                                    "{person} aanwijzen."),
        "substitute_clear_not_entitled": ("Alleen {person} of een beheerder kan de vervanging "
                                          "van {person} beëindigen."),
        "substitute_is_self": "Een vervanger is iemand anders: kies een collega.",
        "period_reversed": ("De periode eindigt op {end}, vóór het begin op {start}: controleer "
                            "de data."),
        "period_past": ("De periode is al voorbij (tot en met {end}): er zou niets veranderen. "
                        "Kies een einddatum vanaf vandaag."),
        "period_too_long": ("Een periode duurt hoogstens een jaar; wijs de vervanger later "
                            "opnieuw aan."),
        "absence_reason_required": "Geef een reden voor de afwezigheid (bijvoorbeeld vakantie).",
        "substitute_overlap": ("{person} heeft al {substitute} als vervanger van {start} tot en "
                               "met {end}; beëindig die periode eerst."),
        "date_invalid": "{name} moet een datum zijn, JJJJ-MM-DD of DD-MM-JJJJ; niet ‘{value}’.",
    }),
    refusal_subjects=Table({
        "title": "De titel",
        "reason": "De reden",
        "text": "De tekst",
        "advice text": "De toelichting bij het advies",
        "decision text": "De tekst van het besluit",
        "comment": "De opmerking",
        "document name": "De documentnaam",
        "document link": "De documentlink",
        "field": "Het veld ‘{label}’ ({field})",
    }),
    refusal_words=Table({
        "concept": "concept", "published": "gepubliceerd", "withdrawn": "ingetrokken",
        "advise": "adviseren", "initial": "paraferen", "approve": "accorderen",
        "decide": "besluiten", "sign": "ondertekenen", "acknowledge": "kennisnemen",
        "return": "terugsturen", "reject": "afwijzen", "delegate": "delegeren",
        "comment": "opmerking maken", "withdraw": "intrekken",
    }),
)

CLI_NL = CliStrings(
    flow_warning="waarschuwing: {warning}",
    dossier_head="Dossier {id}: {title}",
    label_flow="processtroom",
    label_status="status",
    label_initiator="initiatiefnemer",
    label_decision="besluit",
    label_reason="reden",
    label_due=", termijn {date}",
    overdue=" (VERSTREKEN)",
    nobody="  niemand (het dossier is {status})",
    substitute_for="    vervanger van {slot}: {who}",
    recorded=("{count} gebeurtenis vastgelegd.", "{count} gebeurtenissen vastgelegd."),
    nothing_new="Niets nieuws vast te leggen (was al gedaan).",
    who_is_to_act="Wie is aan zet:",
    documents="Documenten:",
    signatures="Ondertekening:",
    signature_line="{name}: {state}{level}; ondertekend door {signers}",
    signature_state=Table({
        "valid": "geldig",
        "changed": "GEWIJZIGD na ondertekening",
        "untrusted": "ondertekend met een certificaat dat NIET VERTROUWD wordt",
        "unsigned": "NIET ondertekend",
        "missing": "het ondertekende document ONTBREEKT",
    }),
    advice="Adviezen:",
    advice_line="{stage}: {advice} advies van {name}",
    comments="Opmerkingen in documenten:",
    comment_unknown_author="onbekende auteur",
    comment_on="bij „{passage}”",
    timeline="Tijdlijn:",
    ev_stage_started="stap {stage} begonnen voor {names}",
    ev_stage_skipped="stap {stage} overgeslagen ({condition} geldt niet)",
    ev_stage_completed="stap {stage} afgerond",
    on_behalf_of="{name} namens {other}",
    no_dossiers="Geen dossiers.",
    dossier_columns=("NUMMER", "STATUS", "PROCESSTROOM", "STAP", "TERMIJN", "TITEL"),
    kinds=("advies", "paraaf", "accord", "besluit", "ondertekenen", "kennisname"),
    no_tasks="{name} heeft geen taken.",
    tasks_of=("Taken van {name} ({count} taak):", "Taken van {name} ({count} taken):"),
    no_decisions="Nog geen besluiten.",
    zgw_exported="{count} besluit(en) in ZGW-vorm naar {file} geschreven.",
    zgw_registered="{dossier}: geregistreerd, {url}",
    zgw_not_registered="{dossier}: niet geregistreerd: {reason}",
    zgw_not_configured=("Het ZGW-register is niet ingesteld: stel {missing} in "
                        "(docs/zgw-register.md)."),
    decision_columns=("DATUM", "DOSSIER", "DOOR", "BESLUIT"),
    audit_ok="OK: {events} in {dossiers} gecontroleerd; elke keten is intact.",
    audit_broken="GEBROKEN: {broken} van {dossiers} doorstaan de controle niet.",
    audit_break="  dossier {id}, gebeurtenis {seq}: {reason}",
    n_events=("{count} gebeurtenis", "{count} gebeurtenissen"),
    n_dossiers=("{count} dossier", "{count} dossiers"),
    tick_done=("{checked} met een termijn gecontroleerd: {reminders} en {escalations} "
               "vastgelegd."),
    n_reminders=("{count} herinnering", "{count} herinneringen"),
    n_escalations=("{count} escalatie", "{count} escalaties"),
    tick_failed="\n  dossier {id} kon niet worden gecontroleerd: {message}",
    demo_data="Demogegevens in {folder}:",
    demo_counts="  {users}, {flows}: {names}",
    n_users=("{count} demogebruiker", "{count} demogebruikers"),
    n_flows=("{count} gepubliceerde processtroom", "{count} gepubliceerde processtromen"),
    demo_examples="  voorbeelddossiers: {ids}",
    demo_try="Probeer: paraaf --data {folder} dossier list",
    flow_valid=("{source}: geldige processtroom '{id}' versie {version} ({title}): "
                "{fields}, {stages} in {steps}."),
    n_fields=("{count} veld", "{count} velden"),
    n_stages=("{count} stap", "{count} stappen"),
    n_steps=("{count} fase", "{count} fasen"),
    flow_published="Processtroom '{id}' versie {version} ({title}) gepubliceerd: {status}.",
    flow_imported="Processtroom '{id}' versie {version} ({title}) geïmporteerd: {status}.",
    flow_withdrawn="Processtroom '{id}' versie {version} ({title}) ingetrokken: {status}.",
    flow_statuses=("concept", "gepubliceerd", "ingetrokken"),
    no_flows="Nog geen processtromen. Publiceer er een met: paraaf flow publish BESTAND",
    flow_columns=("ID", "VERSIE", "STATUS", "TITEL", "GEPUBLICEERD DOOR"),
    wrote="{file} geschreven",
    err_no_file="Er is geen bestand '{path}'.",
    err_file_too_large="'{path}' is groter dan 256 KiB; een processtroom is veel kleiner.",
    err_not_utf8="'{path}' is geen UTF-8-tekst.",
    err_field_pair="--field: schrijf een veld als NAAM=WAARDE, niet '{pair}'.",
    err_option_required="{option} is verplicht bij {action}.",
    err_due="--due: geef de nieuwe termijn als JJJJ-MM-DD.",
    err_unknown_person="{option}: niemand met de naam '{who}' in de directory.",
    err_ambiguous_person=("{option}: '{who}' past bij meer mensen ({matches}); geef het "
                          "volledige adres."),
    err_not_admin="--as: {name} is geen beheerder; alleen beheerders beheren processtromen.",
    err_name_admin="Noem de beheerder met --as GEBRUIKER.",
    err_unknown_flow="Er is geen processtroom '{id}'. Zie `paraaf flow list`.",
    err_unknown_flow_version=("Er is geen versie {version} van processtroom '{id}'. Zie "
                              "`paraaf flow list`."),
    err_unknown_dossier="Er is geen dossier '{id}'. Zie `paraaf dossier list`.",
    err_try_again="Probeer het opnieuw.",
    err_backend="De backend is niet bruikbaar: {detail}",
    # cli text
    ap_usage="gebruik: ",
    ap_error="%(prog)s: fout: %(message)s\n",
    ap_argument="%(argument_name)s: %(message)s",
    ap_required="verplicht maar niet opgegeven: %s",
    ap_invalid_choice="ongeldige keuze %(value)r; kies uit %(choices)s",
    ap_invalid_value="ongeldige waarde %(value)r (verwacht: %(type)s)",
    ap_expected_one="verwacht één waarde",
    ap_expected_at_most_one="verwacht hoogstens één waarde",
    ap_expected_at_least_one="verwacht minstens één waarde",
    ap_expected_n=("verwacht %s waarde", "verwacht %s waarden"),
    ap_unrecognized="niet herkend: %s",
    ap_ambiguous="%(option)s is onduidelijk: het kan %(matches)s zijn",
    ap_ignored_argument="waarde %r genegeerd: deze optie neemt geen waarde",
    ap_not_allowed_with="kan niet samen met %s",
    ap_one_of_required="een van %s is verplicht",
    ap_unknown_parser="onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    ap_positionals="argumenten",
    ap_options="opties",
    ap_help="deze hulptekst tonen en stoppen",
    ap_version="de versie van paraaf tonen en stoppen",
    mv_command="OPDRACHT",
    mv_user="GEBRUIKER",
    mv_file="BESTAND",
    mv_folder="MAP",
    mv_flow="PROCESSTROOM",
    mv_dossier="DOSSIER",
    mv_action="ACTIE",
    mv_stage="STAP",
    mv_date="DATUM",
    mv_due="JJJJ-MM-DD",
    mv_text="TEKST",
    mv_pair="NAAM=WAARDE",
    mv_anchor="VOLGNR:HASH",
    mv_name="NAAM",
    h_description="paraaf: bestuurlijke besluiten voorbereiden en nemen in Microsoft Teams.",
    h_epilog=("afsluitcodes: 0 gelukt, 1 auditketen gebroken, 2 onjuiste invoer of niet "
              "toegestaan\n(niets vastgelegd), 3 gegevens of backend niet bruikbaar.\n"
              "omgeving: PARAAF_DATA kiest de gegevensmap, PARAAF_LANGUAGE de taal (nl of en;\n"
              "zie de README voor elke PARAAF_*-instelling)."),
    h_json="uitvoer als JSON, voor scripts",
    h_data="gegevensmap (standaard: $PARAAF_DATA of de gegevensmap van de gebruiker)",
    h_who="e-mailadres, UPN of korte naam zoals j.visser",
    h_as=("wie handelt ({who}); alleen lokaal: met Microsoft 365 handel je als wie met "
          "Entra ID is aangemeld"),
    h_demo="een map met demogegevens maken",
    h_samples="ook een paar voorbeelddossiers starten (standaard: ja)",
    h_flow="processtromen controleren, publiceren, delen en bekijken",
    d_flow="Processtromen: de stappen van een dossier, vastgelegd in YAML-bestanden.",
    h_flow_validate="een processtroombestand controleren",
    h_flow_file="het YAML-bestand van de processtroom",
    h_flow_list="elke opgeslagen versie van elke processtroom",
    h_flow_show="één processtroom (de laatst gepubliceerde versie)",
    h_flow_id_example="de naam van de processtroom, bijvoorbeeld collegevoorstel",
    h_flow_id="de naam van de processtroom",
    h_flow_version="deze versie (standaard: de laatste)",
    h_flow_publish="een bestand controleren, opslaan en publiceren",
    h_flow_publish_as="de beheerder die publiceert ({who})",
    h_flow_export="een processtroom wegschrijven om hem te delen",
    h_flow_output="bestand om naar te schrijven (standaard: het scherm)",
    h_flow_import="een gedeelde processtroom opslaan als concept",
    h_flow_withdraw="een versie intrekken: er starten geen nieuwe dossiers meer op",
    h_flow_withdraw_version="de versie die wordt ingetrokken",
    h_flow_withdraw_as="de beheerder die intrekt ({who})",
    h_dossier="dossiers starten, afhandelen en bekijken",
    h_dossier_start="een dossier starten op een gepubliceerde processtroom",
    h_start_flow="de processtroom, bijvoorbeeld collegevoorstel",
    h_start_title="waar het dossier over gaat",
    h_start_field="een veld van het formulier van de processtroom; herhaal voor elk veld",
    h_dossier_act="een stap zetten in een dossier",
    d_dossier_act="Acties: {actions}",
    h_dossier_id_example="het dossiernummer, bijvoorbeeld DEMO-1",
    h_dossier_id="het dossiernummer",
    h_act_action=("wat je doet: advies, paraferen, accorderen, besluiten, ondertekenen, "
                  "kennisnemen, terugsturen, afwijzen, intrekken, opmerking, delegeren, "
                  "herverdelen, termijn (of de Engelse werkwoorden)"),
    h_act_reason=("verplicht bij terugsturen, afwijzen, intrekken, delegeren, herverdelen en "
                  "een nieuwe termijn"),
    h_act_text="een opmerking, toelichting of besluittekst",
    h_act_advice="het advies: positief, negatief of neutraal (verplicht bij advies)",
    h_act_to_stage="de stap waarnaar je het dossier terugstuurt",
    h_act_stage="welke stap (als je in meer stappen aan zet bent)",
    h_act_to="de vervanger (delegeren, herverdelen)",
    h_act_from=("wie de taak nu heeft (herverdelen; laat weg bij een stap waarin niemand aan "
                "zet is)"),
    h_act_due="de nieuwe termijn (termijn)",
    h_act_on_behalf_of="namens wie je als vervanger handelt",
    h_dossier_attach="documenten aan een dossier toevoegen",
    h_attach_files="de documenten die je toevoegt",
    h_dossier_show="status, wie aan zet is, tijdlijn",
    h_dossier_list="dossiers, de nieuwste eerst",
    h_list_status=("alleen dossiers met deze status: lopend, afgerond, afgewezen of "
                   "ingetrokken (open, completed, rejected, withdrawn mag ook)"),
    h_list_limit="hoogstens zoveel (standaard: 50)",
    h_tasks="de taken van een gebruiker (wie is aan zet)",
    h_tasks_user="wiens taken ({who})",
    h_audit="de manipulatiebestendige geschiedenis controleren",
    h_audit_verify="elke hashketen opnieuw uitrekenen",
    h_audit_dossier="alleen dit dossier (standaard: alle)",
    h_audit_kept=("een anker dat je buiten paraaf hebt bewaard (of het bestand dat `audit "
                  "anchor --json` schreef): de opgeslagen ankers moeten het nog bevatten"),
    h_audit_anchor=("controleren en dan de laatste stand van elk dossier in de auditankers "
                    "vastleggen"),
    h_decisions="het besluitenregister",
    h_decisions_zgw=("het register in ZGW-vorm (besluit, enkelvoudiginformatieobject met de "
                     "pdf, besluitinformatieobject) als JSON naar BESTAND schrijven"),
    h_decisions_register=("elk besluit registreren in de ZGW Besluiten API van de "
                          "PARAAF_ZGW_-instellingen (een geregistreerd besluit wordt gevonden, "
                          "niet opnieuw gemaakt)"),
    h_tick="herinneringen en escalaties versturen voor termijnen",
    h_serve="de server starten",
    h_playground=("alleen lokaal: ook de Microsoft 365 Agents Playground (Teams in de browser "
                  "nagebootst) voor de bot starten"),
    h_manifest="het Teams-app-pakket maken",
    d_manifest="De Teams-app (manifest, pictogrammen, vertalingen).",
    h_manifest_build="het Teams-app-pakket (zip) schrijven",
    d_manifest_build=(
        "Maakt het Teams-app-pakket (manifest.json, pictogrammen, Engelse teksten) om te\n"
        "uploaden in het Teams-beheercentrum (Apps beheren > Nieuwe app uploaden) of via\n"
        "Teams > Apps > Je apps beheren.\n\n"
        "standaard: --bot-id uit PARAAF_APP_ID, --public-url uit PARAAF_PUBLIC_URL, --app-id "
        "en\n--sso-app-id gelijk aan de bot-id, --app-version de versie van paraaf. Verhoog "
        "de versie\nbij elke nieuwe upload van dezelfde app."),
    h_app_id="de id van de app in Teams (standaard: de bot-id)",
    h_bot_id="de Entra-applicatie-id (client-id) van de bot (standaard: $PARAAF_APP_ID)",
    h_public_url=("https-basisadres van paraaf, waar Teams de tabbladen laadt "
                  "(standaard: $PARAAF_PUBLIC_URL)"),
    h_sso_app_id=("de Entra-applicatie-id waarvoor de eenmalige aanmelding van het tabblad "
                  "geldt (standaard: de bot-id)"),
    h_app_version="de versie van de app (standaard: de versie van paraaf)",
    h_publisher=("uitgever zoals Teams die toont, bijvoorbeeld de gemeente (hoogstens 32 "
                 "tekens; standaard: paraaf)"),
    h_privacy_url="privacyverklaring (standaard: PUBLIC_URL/privacy)",
    h_terms_url="gebruiksvoorwaarden (standaard: PUBLIC_URL/voorwaarden)",
    h_manifest_output="bestand of map om naar te schrijven (standaard: ./{file})",
    h_provision="de SharePoint-lijsten maken of bijwerken (Microsoft 365)",
    d_provision=("Maakt de lijsten en de bibliotheek die paraaf nodig heeft op een "
                 "SharePoint-site, of vult aan wat een oudere versie mist. Verwijdert nooit "
                 "iets; nog een keer uitvoeren verandert niets. Gebruikt de "
                 "PARAAF_GRAPH_*-instellingen."),
    h_site=("de site, https://<tenant>.sharepoint.com/sites/<naam> "
            "(standaard: $PARAAF_SITE_URL)"),
    h_dry_run="alleen tonen wat er zou veranderen, niets veranderen",
    h_vervanger="vaste vervangers voor een periode van afwezigheid",
    d_vervanger=("Zolang iemand afwezig is, gaan de taken die voor hem of haar binnenkomen "
                 "naar de vervanger, die namens hem of haar handelt; de afwezige ziet het "
                 "dossier nog en krijgt bericht. Het vier-ogenprincipe geldt ook voor "
                 "vervangers."),
    h_v_date="een datum, JJJJ-MM-DD of DD-MM-JJJJ",
    h_v_set="een vervanger aanwijzen voor een periode",
    h_v_for="wie afwezig is",
    h_v_substitute="wie de nieuwe taken overneemt",
    h_v_from="eerste dag van afwezigheid ({date})",
    h_v_to="laatste dag van afwezigheid ({date})",
    h_v_reason="waarom, bijvoorbeeld vakantie of verlof",
    h_v_set_as="wie het instelt: de persoon zelf (standaard) of een beheerder",
    h_v_list="periodes die nog niet voorbij zijn",
    h_v_list_for="alleen die van deze persoon",
    h_v_clear="de periodes van iemand beëindigen die nog niet voorbij zijn",
    h_v_clear_for="wiens vervanging je beëindigt",
    h_v_clear_as="wie het beëindigt: de persoon zelf (standaard) of een beheerder",
    a_no_anchors="Deze backend houdt geen auditankers bij.",
    a_not_a_kept_file=("--anchor: '{value}' is geen bestand dat `paraaf audit anchor --json` "
                       "heeft geschreven."),
    a_bad_kept=("--anchor: schrijf het bewaarde anker als VOLGNR:HASH (bijvoorbeeld "
                "12:abababab...), niet '{value}'."),
    a_anchor_problem="  anker {seq}: {reason}",
    a_kept_problem="  het anker dat je bewaarde: {problem}",
    a_no_anchor_yet=("Nog geen auditanker: voer `paraaf audit anchor` uit (of "
                     "`paraaf tick`)."),
    a_checked_against="Gecontroleerd met {anchors}; het laatste is {seq}:{hash} van {when}.",
    n_anchors=("{count} auditanker", "{count} auditankers"),
    a_anchors_broken="GEBROKEN: de auditankers kloppen niet.",
    a_not_anchored=("Niet verankerd: de opslag doorstaat de controle niet (`paraaf audit "
                    "verify` zegt waar); verankeren zou de schade op geschiedenis laten lijken."),
    a_nothing_to_anchor="Niets te verankeren: er zijn nog geen dossiers.",
    a_anchored="{dossiers} verankerd in anker {seq}.",
    a_unchanged="Niets veranderd sinds anker {seq}; geen nieuw anker.",
    a_keep="  bewaar dit buiten paraaf (afdrukken, mailen, tijdstempel): {seq}:{hash}",
    a_root="  Merkle-root over {dossiers}: {root}",
    a_made=("  gemaakt {when}; controleer later met: paraaf audit verify --anchor "
            "{seq}:{hash}"),
    v_line=("{person} ({upn}): {substitute} ({substitute_upn}) van {start} tot en met {end}, "
            "{reason}"),
    v_set_by=", ingesteld door {name}",
    v_none="Er zijn geen vervangers ingesteld.",
    v_cleared=("{count} periode van {name} beëindigd.", "{count} periodes van {name} beëindigd."),
    v_nothing_to_clear="{name} heeft geen vervanging om te beëindigen.",
    v_set="Vervanger ingesteld: {line}",
    s_prompt="Aanmelden bij paraaf: open {uri} en vul de code {code} in.",
    s_as_refused=("--as werkt alleen lokaal. Met Microsoft 365 handel je als wie met Entra ID "
                  "is aangemeld: laat --as weg."),
    s_name_who="Noem wie handelt met --as GEBRUIKER (alleen lokaal).",
    s_token_unusable=("De aanmelding bij Entra ID is niet bruikbaar: {detail}. Meld je opnieuw "
                      "aan (verwijder de bewaarde aanmelding als het zo blijft)."),
    s_other_tenant="Je bent aangemeld bij een andere tenant dan PARAAF_GRAPH_TENANT_ID.",
    s_failed="Aanmelden bij Entra ID is niet gelukt: {detail}",
    s_needs_settings=("Voor aanmelden zijn PARAAF_CLI_CLIENT_ID (of PARAAF_GRAPH_CLIENT_ID) en "
                      "PARAAF_GRAPH_TENANT_ID nodig; zie docs/microsoft-365.md."),
    p_site="Site {url} ({id})",
    p_created="{kind} {list} gemaakt",
    p_would_create="{kind} {list} zou worden gemaakt",
    p_with_columns=(" met {count} kolom", " met {count} kolommen"),
    p_list_kinds=("Lijst", "Bibliotheek"),
    p_added_column="Kolom {column} toegevoegd ({detail})",
    p_would_add_column="Kolom {column} zou worden toegevoegd ({detail})",
    p_indexed_column="Kolom {column} geïndexeerd ({detail})",
    p_would_index_column="Kolom {column} zou worden geïndexeerd ({detail})",
    p_extended_choices="Keuzes van {column} aangevuld met {detail}",
    p_would_extend_choices="Keuzes van {column} zouden worden aangevuld met {detail}",
    p_column_kinds=("één regel tekst", "meerdere regels tekst", "getal", "datum en tijd",
                    "ja/nee", "keuze"),
    p_flags=("geïndexeerd", "geïndexeerd, unieke waarden"),
    p_problem="  Probleem: {where} {message}",
    p_up_to_date="niets te veranderen: de lijsten zijn bijgewerkt",
    p_nothing_allowed="niets te veranderen dat het inrichten zelf mag veranderen",
    p_dry_run=("Proefrun: {count} wijziging te maken; er is niets veranderd.",
               "Proefrun: {count} wijzigingen te maken; er is niets veranderd."),
    p_made=("{count} wijziging gemaakt.", "{count} wijzigingen gemaakt."),
    p_site_urls=("'{text}' is geen adres van een SharePoint-site; schrijf het als "
                 "https://<tenant>.sharepoint.com/sites/<naam>.",
                 "'{text}' moet alleen het adres van de site zijn, zoals "
                 "https://<tenant>.sharepoint.com/sites/<naam>.",
                 "'{text}' wijst naar iets binnen een site; geef de site zelf, zoals "
                 "https://<tenant>.sharepoint.com/sites/<naam>.",
                 "'{text}' bevat tekens die niet in het pad van een site kunnen."),
    p_problems=("is een kolom van het type {have}; paraaf heeft {need} nodig. Geef die kolom "
                "een andere naam of verwijder hem, en richt de site dan opnieuw in.",
                "bestaat als {have}; paraaf heeft onder die naam een {need} nodig. Geef de "
                "bestaande een andere naam, en richt de site dan opnieuw in.",
                "kon niet worden {flags}: {error}"),
    p_name_site="Noem de site met --site URL (of stel PARAAF_SITE_URL in).",
    p_unreachable=("Microsoft Graph op {base_url} is niet bereikbaar ({code}: {message}); de "
                   "site {url} is niet veranderd."),
    p_no_site="Er is geen SharePoint-site op {url} (Graph antwoordde 404).",
    p_forbidden=("De app mag de site {url} niet gebruiken (Graph antwoordde {status}): "
                 "controleer de inloggegevens en de Sites.Selected-toestemming voor deze site "
                 "(docs/microsoft-365.md)."),
    p_refused="Graph weigerde een verzoek voor de site {url}: {error}",
    p_no_token="Geen token voor Microsoft Graph: {message}",
    p_stopped=("Het inrichten van {url} is gestopt: {error}. Wat gedaan is, blijft gedaan; "
               "voer het opnieuw uit om verder te gaan."),
    m_no_builder=("de manifestbouwer is hier niet ({path}); voer `paraaf manifest build` uit "
                  "in een broncode-checkout van paraaf."),
    m_no_bot_id="De bot-id ontbreekt: geef --bot-id GUID of stel PARAAF_APP_ID in.",
    m_input_errors=(
        "{option}: moet een GUID zijn zoals 00000000-0000-0000-0000-000000000000, niet {value}.",
        "Het openbare adres ontbreekt: geef --public-url https://paraaf.voorbeeld.nl of stel "
        "PARAAF_PUBLIC_URL in.",
        "{option}: {value} is geen geldig adres.",
        "{option}: moet beginnen met https:// (Teams laadt tabbladen alleen via HTTPS), niet "
        "{value}.",
        "{option}: {value} heeft geen geldige hostnaam.",
        "{option}: mag geen gebruikersnaam of wachtwoord bevatten.",
        "{option}: moet een basisadres zijn zonder ?query of #fragment, niet {value}.",
        "{option}: is langer dan 1500 tekens.",
        "{option}: moet eruitzien als 1.2.3 (Teams wil major.minor.patch), niet {value}.",
        "{option}: moet 1 tot 32 tekens lang zijn.",
        "{option}: moet een https://-link zijn, niet {value}."),
    m_wrote=("{file} geschreven ({bytes} bytes): Teams-app {app} versie {version} (manifest "
             "v{manifest}), bot {bot}."),
    m_tabs="Tabbladen: {tabs}",
    m_sso=("Bron voor eenmalige aanmelding: {resource} (de Application ID URI van de "
           "app-registratie moet precies dit zijn)."),
    sv_listening="paraaf luistert op {url} ({mode}, bot op {sdk})",
    sv_modes=("lokale modus", "productiemodus"),
    sv_sdks=("botbuilder (Bot Framework SDK)", "de Microsoft 365 Agents SDK"),
    err_status=("'{value}' is geen status; kies lopend, afgerond, afgewezen of ingetrokken "
                "(open, completed, rejected, withdrawn mag ook)"),
    pg_local_only="--playground werkt alleen in lokale modus (PARAAF_MODE=local).",
    pg_installing="De Agents Playground wordt geïnstalleerd (npm ci) ...",
    pg_open=("\nOpen {url} in je browser: een Teams-chat met paraaf, als {name} <{upn}>.\n"
             "Typ ‘help’, ‘mijn taken’ of ‘start’. Ctrl-C stopt alles.\n"),
    pg_stopped="De Agents Playground is gestopt; zie {log}",
    # flow and audit words
    flow_words=Table({
        # reading the document
        "too_large": "de processtroom is te groot ({size} KiB, hoogstens 256 KiB)",
        "empty": "de processtroom is leeg",
        "too_deep": "meer dan {limit} niveaus diep genest",
        "not_yaml": "geen geldige YAML: {yaml_problem}",
        "recursive_alias": "een alias verwijst naar de lijst of mapping waar hij zelf in staat",
        "too_many_nodes": "het document groeit uit tot meer dan {limit} YAML-knopen",
        "yaml_tag": "YAML-tag {tag} wordt niet ondersteund",
        "unreadable_value": "de waarde {raw} is niet te lezen",
        "merge_key": "merge-sleutels (<<) worden niet ondersteund",
        "key_not_text": "de sleutel {key} is geen tekst",
        "key_collection": "een sleutel is een lijst of mapping, geen tekst",
        "duplicate_key": "sleutel '{key}' staat er twee keer (eerst op regel {first_line})",
        # values
        "not_mapping": "{what} moet een mapping van sleutels zijn, niet {got}",
        "unknown_top_key": "onbekende sleutel '{key}' op het hoogste niveau",
        "unknown_key": "onbekende sleutel '{key}'",
        "missing_key": "de verplichte sleutel '{key}' ontbreekt",
        "not_text": "hier hoort tekst, niet {got}",
        "text_empty": "mag niet leeg zijn",
        "text_too_long": "langer dan {limit} tekens ({length})",
        "text_line_break": "de tekst heeft een regeleinde ({char})",
        "text_control": "de tekst bevat een stuurteken ({char})",
        "text_bidi": "de tekst bevat een teken dat de schrijfrichting omdraait ({char})",
        "invalid_id": "ongeldige id '{value}'",
        "invalid_field_name": "ongeldige veldnaam '{value}'",
        "not_whole_number": "hier hoort een geheel getal, niet {got}",
        "out_of_range": "moet tussen {low} en {high} liggen, niet {value}",
        "too_small": "moet minstens {low} zijn, niet {value}",
        "not_boolean": "hier hoort true of false, niet {got}",
        "unknown_field_type": "onbekend veldtype '{value}'",
        "unknown_stage_kind": "onbekende soort fase '{value}'",
        "unknown_signing_provider": "onbekende ondertekendienst '{value}'",
        "provider_not_sign": "provider geldt alleen voor fasen van de soort sign",
        # the flow, its fields and stages
        "schema_unsupported": "schema '{schema}' wordt niet ondersteund",
        "fields_not_list": "moet een lijst van velden zijn, niet {got}",
        "duplicate_field": "veldnaam '{name}' staat er twee keer",
        "choice_without_options": "een keuzeveld heeft opties nodig",
        "options_not_allowed": "options mag alleen bij keuzevelden (choice), niet bij {type}",
        "options_empty": "moet een lijst met minstens één optie zijn",
        "duplicate_option": "optie '{option}' staat er twee keer",
        "max_length_not_allowed": "max_length mag alleen bij tekstvelden (text), niet bij {type}",
        "stages_not_list": "moet een lijst met minstens één fase zijn, niet {got}",
        "group_stage_key": "een parallelle groep heeft geen '{key}'",
        "group_too_small": "een parallelle groep heeft minstens 2 fasen nodig, niet {count}",
        "group_nested": "parallelle groepen kunnen niet in elkaar staan",
        "duplicate_stage_id": "fase-id '{id}' staat er twee keer (eerst op regel {first_line})",
        # assignees, completion, four eyes
        "no_assignees": "een fase heeft minstens één behandelaar nodig",
        "assignee_not_mapping": "een behandelaar is een mapping met één sleutel, niet {got}",
        "assignee_keys": "een behandelaar heeft precies één sleutel, niet {count} ({keys})",
        "assignee_no_keys": "een behandelaar heeft precies één sleutel, niet geen",
        "unknown_assignee_source": "onbekende bron van behandelaars '{source}'",
        "expected_true": "hier hoort true, niet {got}",
        "initiator_false": "initiator: false wijst niemand aan",
        "not_upn": "hier hoort een aanmeldnaam (user principal name), niet '{value}'",
        "unknown_user_field": "er is geen veld met de naam '{name}'",
        "field_not_user": "veld '{name}' is van het type {type}, niet user",
        "quorum_too_high": "een quorum van {quorum} is meer dan de {users} genoemde gebruikers",
        "completion_invalid": "ongeldige afronding (completion): {got}",
        "quorum_needs_number": "een quorum heeft een getal nodig",
        "initiator_deciding": ("een fase van de soort {kind} kan niet aan de initiatiefnemer "
                               "worden toegewezen: het vier-ogenprincipe houdt de "
                               "initiatiefnemer buiten paraaf, accord, besluit en ondertekening"),
        "allow_initiator_not_deciding": ("allow_initiator geldt alleen voor fasen van de soort "
                                         "{kinds}"),
        "four_eyes_off": ("het vier-ogenprincipe staat uit voor deze fase: de initiatiefnemer mag "
                          "hier zelf {kind} in het eigen dossier"),
        # conditions
        "condition_invalid": "ongeldige voorwaarde bij kolom {column}: {problem}",
        "condition_unknown_field": "de voorwaarde gebruikt het onbekende veld '{name}'",
        "condition_number_vs_text": "'{op}' vergelijkt {type}-veld '{name}' met tekst",
        "condition_text_vs_number": "'{op}' vergelijkt {type}-veld '{name}' met het getal {shown}",
        "condition_not_option": "'{text}' is geen optie van veld '{name}'",
        "condition_not_date": "'{text}' is geen datum",
        # return_to
        "return_twice": "'{target}' staat er twee keer",
        "return_to_itself": "een fase kan niet naar zichzelf terugsturen",
        "return_to_group": "'{target}' is een parallelle groep, geen fase",
        "return_unknown": "onbekende fase '{target}'",
        "return_same_step": ("'{target}' kan geen terugstuurdoel zijn: die fase loopt in dezelfde "
                             "stap, niet eerder"),
        "return_later": ("'{target}' kan geen terugstuurdoel zijn: die fase loopt later, niet "
                         "eerder"),
        # starters
        "starters_empty": "moet een lijst zijn van wie de processtroom mag starten, niet {got}",
        "starter_not_mapping": "een starter is een mapping met één sleutel, niet {got}",
        "starter_keys": "een starter heeft precies één sleutel, niet {count}",
        "unknown_starter_source": "onbekende bron van starters '{source}'",
    }),
    flow_hints=Table({
        "shorten_instructions": "zet lange instructies in een document van het dossier",
        "start_with": "begin met: {schema_line}",
        "add_first_line": "zet als eerste regel: {schema_line}",
        "write_schema": "schrijf: {schema_line}",
        "flatten": "maak het document minder diep",
        "yaml_check": "controleer het inspringen en de aanhalingstekens op deze en de vorige regel",
        "yaml_tabs": "spring in met spaties, niet met tabs",
        "yaml_quotes": ("zet tekst met ': ' erin tussen aanhalingstekens, of verbeter het "
                        "inspringen"),
        "yaml_one_document": "één processtroom per bestand: haal het scheidingsteken '---' weg",
        "yaml_alias": "definieer het anker (&naam) voordat je de alias (*naam) gebruikt",
        "recursive_alias": "haal de alias (*naam) weg die naar zichzelf verwijst",
        "write_out": ("een alias (*naam) herhaalt waar hij naar verwijst: schrijf de processtroom "
                      "helemaal uit"),
        "remove_tag": "haal de tag weg",
        "write_keys_out": "schrijf de sleutels uit",
        "keep_one": "houd er één over",
        "quote": "zet het tussen aanhalingstekens",
        "quote_value": "zet de waarde tussen aanhalingstekens",
        "yaml_boolean": "YAML leest yes/no/on/off/true/false als ja/nee-waarde: schrijf '{raw}'",
        "write_value": "vul een waarde in, of laat de sleutel weg",
        "shorten": "maak het korter",
        "one_line": "schrijf het op één regel",
        "remove_char": ("haal het weg (tussen dubbele aanhalingstekens maakt een escape zoals \\e "
                        "of \\u202e er een)"),
        "write_true": "schrijf {key}: true",
        "did_you_mean": "bedoel je '{word}'? {listing} {allowed}",
        "allowed": "{listing} {allowed}",
        "example": "bijvoorbeeld {example}",
        "add_example": "voeg toe, bijvoorbeeld {example}",
        "add_stages": "voeg een lijst met fasen toe",
        "id": ("kleine letters, cijfers, - en _, beginnend met een letter, bijvoorbeeld "
               "paraaf_directeur"),
        "field_name": "kleine letters, cijfers en _, beginnend met een letter, bijvoorbeeld bedrag",
        "version": "een geheel getal van 1 of meer, bijvoorbeeld version: 1",
        "options": "noem de keuzes, bijvoorbeeld options: [Sport, Cultuur]",
        "fields_list": "schrijf elk veld als '- name: ...' onder fields",
        "unique_field": "geef elk veld een eigen naam",
        "remove_options": "haal options weg, of maak er type: choice van",
        "remove_one": "haal er één weg",
        "remove_max_length": "haal max_length weg",
        "max_length": "een aantal tekens, bijvoorbeeld 2000",
        "stages_list": "schrijf elke fase als '- id: ...' onder stages",
        "group_keys": ("een groep heeft alleen id en parallel: zet dit bij de fasen in de "
                       "groep"),
        "group_too_small": "noem de fasen onder parallel, of schrijf één fase zonder groep",
        "group_nested": "zet deze fasen in deze groep, of in een eigen stap",
        "unique_stage": "geef elke fase en parallelle groep een eigen id",
        "deadline": "werkdagen, bijvoorbeeld deadline_days: 5",
        "assignees": ("bijvoorbeeld assignees: [{{group: juristen}}] of "
                      "assignees: [{{manager: 1}}]"),
        "assignee_sources": "bijvoorbeeld {{group: juristen}}; bronnen zijn {sources}",
        "write_user": "schrijf {{user: {value}}}",
        "one_source": "schrijf elke bron als een eigen lijstregel",
        "manager": ("niveaus in de lijn van leidinggevenden van de initiatiefnemer: 1 is de "
                    "directe leidinggevende"),
        "initiator_true": "schrijf initiator: true, of haal het weg",
        "upn": "schrijf de aanmeldnaam, bijvoorbeeld j.jansen@gemeente.nl",
        "define_user_field": "definieer het onder fields met type: user",
        "user_field_only": "behandelaars kunnen alleen uit een veld van het type user komen",
        "quorum": "bijvoorbeeld completion: {{quorum: 2}}",
        "lower_quorum": "verlaag het quorum, of voeg behandelaars toe",
        "completion": "gebruik all, any of {{quorum: N}}",
        "completion_mean": "bedoel je '{word}'? gebruik all, any of {{quorum: N}}",
        "initiator_deciding": ("kies andere behandelaars, of voeg allow_initiator: true toe "
                               "(dat geeft een waarschuwing)"),
        "remove_allow_initiator": "haal allow_initiator weg",
        "remove_provider": "haal provider weg, of maak de fase kind: sign",
        "four_eyes_off": "laat het alleen staan waar een mandaat de initiatiefnemer laat beslissen",
        "condition_docs": "zie de documentatie van het schema van processtromen",
        # conditions
        "condition_example": "bijvoorbeeld bedrag >= 10000",
        "end_quote": "sluit de tekst af met {quote}",
        "dutch_numbers": ("schrijf getallen op z'n Nederlands, bijvoorbeeld 10000, 10.000 of "
                          "2500,50"),
        "use_equals": "vergelijk met ==",
        "operators": "operatoren zijn {operators}",
        "ambiguous_number": ("schrijf {second} voor duizendtallen (een punt groepeert ze) of "
                             "{first} met een decimale komma"),
        "write_dutch": "schrijf {dutch}",
        "combine": "verbind vergelijkingen met 'and' of 'or'",
        "lists_in_brackets": ("een lijst staat tussen haken: ['a', 'b']; een getal heeft geen "
                              "spaties: 2500,50"),
        "remove_paren": "haal het weg, of voeg de bijbehorende '(' toe",
        "simplify": "splits de fase, of vereenvoudig de haakjes",
        "close_paren": "sluit de '(' van kolom {open_column}",
        "starts_with_field": ("een vergelijking begint met een veldnaam, bijvoorbeeld "
                              "bedrag >= 10000"),
        "list_example": "bijvoorbeeld regeling in ['Sport', 'Cultuur']",
        "quote_word": "zet tekst tussen aanhalingstekens: '{word}'",
        "value": "schrijf een getal zoals 10.000 of tekst tussen aanhalingstekens zoals 'Cultuur'",
        "list_items": "een lijst bevat tekst tussen aanhalingstekens: ['a', 'b']",
        "close_bracket": "sluit de '[' van kolom {open_column} met ']'",
        "name_value": "noem minstens één waarde",
        "no_fields": "definieer het veld onder fields",
        "compare_number": "vergelijk met een getal, bijvoorbeeld {name} >= 10000",
        "quote_number": "zet de waarde tussen aanhalingstekens: '{shown}'",
        "options_are": "de opties zijn {options}",
        "date": "schrijf een datum als 'JJJJ-MM-DD', bijvoorbeeld '2026-01-01'",
        "earlier": "fasen van eerdere stappen: {stages}",
        "first_step": "deze fase zit in de eerste stap: haal return_to weg",
        "earlier_mean": "bedoel je '{word}'? fasen van eerdere stappen: {stages}",
        "first_step_mean": ("bedoel je '{word}'? deze fase zit in de eerste stap: haal return_to "
                            "weg"),
        "group_members": "noem een van de fasen erin: {stages}",
        "starters": ("bijvoorbeeld starters: [{{role: beleidsadviseur}}, {{group: "
                     "ketenpartners}}]; laat starters weg om elke medewerker te laten starten"),
        "starter_sources": ("bijvoorbeeld starters: [{{role: beleidsadviseur}}, {{group: "
                            "ketenpartners}}]; bronnen zijn {sources}"),
        "employees_true": "schrijf employees: true, of laat het weg",
    }),
    flow_values=Table({
        "got_boolean": "de ja/nee-waarde '{raw}'",
        "got_number": "het getal {raw}",
        "got_date": "de datum {raw}",
        "got_none": "een lege waarde",
        "got_list": "een lijst",
        "got_empty_list": "een lege lijst",
        "got_mapping": "een mapping",
        "got_text": "de tekst '{raw}'",
        "got_end": "het einde van de voorwaarde",
        "got_quoted": "de tekst '{raw}'",
        "got_token": "'{raw}'",
        "what_flow": "een processtroom",
        "what_field": "een veld",
        "what_stage": "een fase",
        "listing_keys": "toegestane sleutels zijn",
        "listing_sources": "bronnen zijn",
        "listing_field_types": "veldtypen zijn",
        "listing_stage_kinds": "soorten fasen zijn",
        "listing_signing_providers": "ondertekendiensten zijn",
        "listing_fields": "velden zijn",
        "listing_user_fields": "velden van het type user zijn",
        "problem_empty": "de voorwaarde is leeg",
        "problem_too_long": "langer dan {limit} tekens",
        "problem_no_closing_quote": "tekst zonder afsluitend aanhalingsteken",
        "problem_malformed_number_start": "onjuist getal dat begint met '{start}'",
        "problem_unexpected_char": "onverwacht teken '{char}'",
        "problem_ambiguous_number": ("het getal '{number}' is te lezen als {first} of als "
                                     "{second}"),
        "problem_english_number": "het getal '{number}' is op z'n Engels geschreven",
        "problem_malformed_number": "onjuist getal '{number}'",
        "problem_unexpected": "onverwacht: {got}",
        "problem_too_complex": "te ingewikkeld: meer dan {limit} mogelijkheden",
        "problem_too_nested": "meer dan {limit} niveaus van haakjes",
        "problem_expected_close": "hier hoort ')', niet {got}",
        "problem_expected_field": "hier hoort een veldnaam, niet {got}",
        "problem_expected_in": "na 'not' hoort 'in', niet {got}",
        "problem_expected_operator": "na '{field}' hoort een operator, niet {got}",
        "problem_needs_list": "'{op}' heeft een lijst nodig, niet {got}",
        "problem_list_after_op": "een lijst kan alleen na 'in' of 'not in' komen, niet na '{op}'",
        "problem_value_word": "na '{op}' hoort een waarde, niet het woord '{word}'",
        "problem_expected_value": "na '{op}' hoort een waarde, niet {got}",
        "problem_expected_list_text": "in de lijst hoort tekst tussen aanhalingstekens, niet {got}",
        "problem_expected_separator": "in de lijst hoort ',' of ']', niet {got}",
        "problem_list_empty": "de lijst is leeg",
    }),
    doctor_words=Table({
        "help": "controleer deze installatie: instellingen, app, rechten, site, lijsten, bot",
        "description": ("Controleert de instellingen, de app-registratie en haar token, de "
                        "Graph-rechten en de toegang tot de site, de lijsten en indexen van de "
                        "site, het eindpunt van de bot, de klok en het netwerk (bij de "
                        "ingebouwde opslag: de gegevensmap, de database en de auditketens). "
                        "Zegt per controle wat er mis is en hoe het te verhelpen. Afsluitcode "
                        "0: alles in orde; 1: er is iets mis."),
        "title.graph": "paraaf doctor: Microsoft 365-opslag",
        "title.local": "paraaf doctor: ingebouwde opslag",
        "title.unknown": "paraaf doctor",
        "status.ok": "ok", "status.wrong": "FOUT", "status.skipped": "--",
        "fix": "oplossing",
        "summary.ok": "Alles wat gecontroleerd is, is in orde.",
        "summary.one": "{count} controle is fout.",
        "summary.other": "{count} controles zijn fout.",
        "check.settings": "instellingen", "check.login": "Entra ID", "check.graph": "Graph",
        "check.clock": "klok", "check.token": "app-token", "check.permissions": "rechten",
        "check.site": "site", "check.lists": "lijsten", "check.bot": "eindpunt van de bot",
        "check.bot_keys": "sleutels van het Bot Framework", "check.data": "gegevensmap",
        "check.validsign": "ValidSign",
        "check.database": "database", "check.audit": "auditketens",
        "skipped_graph": "niet gecontroleerd: Graph is niet bereikbaar",
        "skipped_login": "niet gecontroleerd: Entra ID geeft geen token voor deze tenant",
        "skipped_token": "niet gecontroleerd: de app heeft geen token",
        "skipped_site": "niet gecontroleerd: de site kan niet gelezen worden",
        "skipped_data": "niet gecontroleerd: er zijn geen gegevens",
        "skipped_database": "niet gecontroleerd: de database kan niet gelezen worden",
        "skipped_test_server": "niet gecontroleerd: de lokale Graph-testserver vraagt geen "
                               "aanmelding en controleert geen rechten",
        "skipped_no_date": "niet gecontroleerd: het antwoord van Graph had geen Date",
        "skipped_local_mode": ("niet gecontroleerd: lokale modus controleert de tokens van het "
                               "Bot Framework niet"),
        "settings_ok": "bruikbaar (opslag {backend}, modus {mode})",
        "settings_wrong": "niet bruikbaar",
        "login_ok": "{host} antwoordt voor tenant {tenant}",
        "login_unreachable": "{host} is niet bereikbaar ({error})",
        "login_unreachable.fix": ("Zorg dat deze machine {host} via HTTPS (poort 443) bereikt: "
                                  "open de firewall, of stel HTTPS_PROXY in op uw proxy."),
        "login_no_tenant": "{host} kent geen tenant {tenant}",
        "login_no_tenant.fix": ("Stel PARAAF_GRAPH_TENANT_ID in op uw map-id (tenant-id) "
                                "(Entra-beheercentrum > Overzicht)."),
        "login_answer": "{host} antwoordde HTTP {status}",
        "login_answer.fix": ("Zorg dat deze machine {host} via HTTPS bereikt zonder proxy die "
                             "antwoorden verandert, en draai paraaf doctor opnieuw."),
        "graph_ok": "{url} antwoordt",
        "graph_unreachable": "{url} is niet bereikbaar ({error})",
        "graph_unreachable.fix": ("Zorg dat deze machine {host} via HTTPS (poort 443) bereikt: "
                                  "open de firewall, of stel HTTPS_PROXY in op uw proxy."),
        "graph_test_server": "de Graph-testserver op {url} is niet bereikbaar ({error})",
        "graph_test_server.fix": ("Start de testserver (python -m tests.graph_server --port "
                                  "...), of haal PARAAF_GRAPH_BASE_URL weg om Microsoft Graph "
                                  "te gebruiken."),
        "clock_ok": "{skew} s van de klok van Graph",
        "clock_skewed": "de klok van deze machine wijkt {skew} s af van die van Graph",
        "clock_skewed.fix": ("Zet de klok van deze machine gelijk (NTP, bijvoorbeeld timedatectl "
                             "set-ntp true): tokens worden geweigerd bij meer dan 5 minuten "
                             "verschil."),
        "clock_token": "Entra ID weigerde het token buiten zijn geldige tijd ({error})",
        "clock_token.fix": ("Zet de klok van deze machine gelijk (NTP, bijvoorbeeld timedatectl "
                            "set-ntp true) en draai paraaf doctor opnieuw."),
        "token_ok": "de app kreeg een token voor Microsoft Graph (PARAAF_GRAPH_AUTH={auth})",
        "token_secret": "Entra ID weigerde het clientgeheim ({error})",
        "token_secret.fix": ("Maak een nieuw clientgeheim (App-registraties > paraaf > "
                             "Certificaten en geheimen > Nieuw clientgeheim) en stel "
                             "PARAAF_GRAPH_CLIENT_SECRET in op de Waarde (niet de geheim-id)."),
        "token_client": "tenant {tenant} heeft geen app met client-id {client} ({error})",
        "token_client.fix": ("Stel PARAAF_GRAPH_CLIENT_ID in op de toepassings-id (client-id) op "
                             "de overzichtspagina van de app-registratie (docs/microsoft-365.md, "
                             "stap 1)."),
        "token_tenant": "Entra ID kent geen tenant {tenant} ({error})",
        "token_tenant.fix": ("Stel PARAAF_GRAPH_TENANT_ID in op uw map-id (tenant-id) "
                             "(Entra-beheercentrum > Overzicht)."),
        "token_certificate": "het certificaat is niet bruikbaar voor de app ({error})",
        "token_certificate.fix": ("Stel PARAAF_GRAPH_CERT_FILE in op een PEM- of PKCS#12-bestand "
                                  "met het certificaat en de privésleutel, en upload dat "
                                  "certificaat bij de app-registratie (Certificaten en "
                                  "geheimen > Certificaten)."),
        "token_managed_identity": "de beheerde identiteit gaf geen token ({error})",
        "token_managed_identity.fix": ("Draai paraaf waar een beheerde identiteit is toegewezen "
                                       "(en stel PARAAF_GRAPH_CLIENT_ID in op de client-id van "
                                       "een door de gebruiker toegewezen identiteit), of stel "
                                       "PARAAF_GRAPH_AUTH=secret of certificate in."),
        "token_refused": "de app kreeg geen token met PARAAF_GRAPH_AUTH={auth} ({error})",
        "token_refused.fix": ("Vergelijk PARAAF_GRAPH_TENANT_ID, PARAAF_GRAPH_CLIENT_ID en het "
                              "geheim of certificaat met de app-registratie "
                              "(docs/microsoft-365.md, stap 1)."),
        "token_unreachable": "Entra ID was niet bereikbaar voor een token ({error})",
        "token_unreachable.fix": ("Zorg dat deze machine login.microsoftonline.com via HTTPS "
                                  "(poort 443) bereikt: open de firewall, of stel HTTPS_PROXY "
                                  "in."),
        "permissions_ok": "het token heeft {roles}",
        "permissions_other_tenant": "het token is voor tenant {tid}, niet {tenant}",
        "permissions_other_tenant.fix": ("Stel PARAAF_GRAPH_TENANT_ID in op de tenant van de "
                                         "app-registratie ({tid})."),
        "permissions_other_app": "het token is voor app {app}, niet {client}",
        "permissions_other_app.fix": ("Stel PARAAF_GRAPH_CLIENT_ID in op de client-id van de "
                                      "app waarvan paraaf het geheim of certificaat heeft "
                                      "({app})."),
        "permissions_missing": "de app mist de toepassingsmachtigingen {missing}",
        "permissions_missing.fix": ("In de app-registratie: API-machtigingen > Een machtiging "
                                    "toevoegen > Microsoft Graph > Toepassingsmachtigingen > "
                                    "{missing}; daarna Beheerderstoestemming verlenen voor uw "
                                    "tenant (docs/microsoft-365.md, stap 2)."),
        "permissions_broad": "de app heeft meer dan nodig: {extra}",
        "permissions_broad.fix": ("Haal {extra} weg uit de API-machtigingen van de "
                                  "app-registratie: Sites.Selected en de toegang tot de site "
                                  "zijn genoeg (docs/microsoft-365.md, stap 2)."),
        "check.grant": "toegang tot de site",
        "skipped_lists": "niet gecontroleerd: de lijsten van de site konden niet gelezen worden",
        "skipped_grant_unlisted": ("niet gecontroleerd: Graph toont de toegang tot deze site "
                                   "hier niet"),
        "skipped_no_client": ("niet gecontroleerd: zonder PARAAF_GRAPH_CLIENT_ID is de toegang "
                              "van de app niet te herkennen"),
        "grant_ok": "de app heeft {roles} op de site",
        "grant_too_small": "de app heeft alleen {roles} op de site; paraaf heeft fullcontrol nodig",
        "grant_too_small.fix": ("Geef de app fullcontrol op de site, als SharePoint-beheerder: "
                                "POST https://graph.microsoft.com/v1.0/sites/{site}/permissions "
                                "met {{\"roles\": [\"fullcontrol\"], \"grantedToIdentities\": "
                                "[{{\"application\": {{\"id\": \"{client}\", "
                                "\"displayName\": \"paraaf\"}}}}]}} (docs/microsoft-365.md, "
                                "stap 3)."),
        "grant_unreadable": ("de app mag de machtigingen van de site niet lezen (HTTP {status}): "
                             "haar toegang is minder dan fullcontrol"),
        "grant_unreadable.fix": ("Geef de app fullcontrol op de site, als SharePoint-beheerder: "
                                 "POST https://graph.microsoft.com/v1.0/sites/{site}/permissions "
                                 "met {{\"roles\": [\"fullcontrol\"], "
                                 "\"grantedToIdentities\": [{{\"application\": {{\"id\": "
                                 "\"{client}\", \"displayName\": \"paraaf\"}}}}]}} "
                                 "(docs/microsoft-365.md, stap 3)."),
        "grant_none": "geen toegang tot de site noemt de app {client}",
        "grant_none.fix": ("Geef de app toegang tot deze site, als SharePoint-beheerder: POST "
                           "https://graph.microsoft.com/v1.0/sites/{site}/permissions met "
                           "{{\"roles\": [\"fullcontrol\"], \"grantedToIdentities\": "
                           "[{{\"application\": {{\"id\": \"{client}\", \"displayName\": "
                           "\"paraaf\"}}}}]}}; of stel PARAAF_GRAPH_CLIENT_ID in op de app die "
                           "toegang kreeg (docs/microsoft-365.md, stap 3)."),
        "site_ok": "{url} is leesbaar",
        "site_missing": "er is geen site op {url}",
        "site_missing.fix": ("Stel PARAAF_SITE_URL in op het adres van de site, of maak haar "
                             "aan (SharePoint-beheercentrum > Actieve sites > Maken; "
                             "docs/microsoft-365.md, stap 3)."),
        "site_forbidden": ("de app mag {url} niet gebruiken (HTTP {status}): geen "
                           "Sites.Selected-toegang"),
        "site_forbidden.fix": ("Geef de app toegang tot deze site, als SharePoint-beheerder: "
                               "POST https://graph.microsoft.com/v1.0/sites/{site}/permissions "
                               "met {{\"roles\": [\"fullcontrol\"], \"grantedToIdentities\": "
                               "[{{\"application\": {{\"id\": \"{client}\", \"displayName\": "
                               "\"paraaf\"}}}}]}} (docs/microsoft-365.md, stap 3)."),
        "site_refused": "{url} kon niet gelezen worden ({error})",
        "site_refused.fix": ("Controleer PARAAF_SITE_URL en de toegang tot de site "
                             "(docs/microsoft-365.md, stap 3) en draai paraaf doctor opnieuw."),
        "lists_ok": "elke lijst, kolom en index die paraaf nodig heeft is er",
        "lists_missing": "{count} dingen die paraaf nodig heeft ontbreken: {changes}",
        "lists_missing.fix": ("Draai: paraaf provision (eerst met --dry-run om de wijzigingen "
                              "te zien)."),
        "lists_problem": "{where} {problem}",
        "lists_problem.fix": ("Hernoem of verwijder wat in de weg staat op de site en draai: "
                              "paraaf provision."),
        "lists_unreadable": "de lijsten van de site konden niet gelezen worden ({error})",
        "lists_unreadable.fix": ("Controleer de toegang tot de site (docs/microsoft-365.md, "
                                 "stap 3) en draai paraaf doctor opnieuw."),
        "data_ok": "{folder} is er en is schrijfbaar",
        "data_missing": "er zijn geen paraaf-gegevens in {folder}",
        "data_missing.fix": ("Maak ze aan met: paraaf demo --data {folder}; of stel PARAAF_DATA "
                             "in op de map waar ze staan."),
        "data_readonly": "in {folder} kan niet geschreven worden",
        "data_readonly.fix": ("Geef de gebruiker die paraaf draait schrijfrechten op {folder}, "
                              "of stel PARAAF_DATA in op een schrijfbare map."),
        "database_ok": "{file} leest zonder schade",
        "database_broken": "{file} is beschadigd ({error})",
        "database_broken.fix": ("Stop paraaf en zet {file} terug uit de laatste back-up; draai "
                                "daarna: paraaf audit verify."),
        "audit_ok": "{dossiers} dossiers, {events} gebeurtenissen en {anchors} ankers kloppen",
        "audit_broken": "{count} gebroken, de eerste in {first}",
        "audit_broken.fix": ("Draai: paraaf audit verify voor de details; zet een back-up terug "
                             "(docs/audit.md)."),
        "bot_ok": "{url} antwoordt",
        "bot_not_answering": "{url} antwoordt niet ({error})",
        "bot_not_answering.fix": ("Start paraaf serve achter dat adres, of stel "
                                  "PARAAF_PUBLIC_URL in op het https-adres van de bot (het "
                                  "berichteneindpunt van de Azure Bot zonder /api/messages)."),
        "bot_port_free": "nog niets luistert op {host}:{port}: paraaf serve kan daar starten",
        "bot_local_ok": "paraaf antwoordt op {url}",
        "bot_port_taken": "iets anders luistert op {host}:{port}",
        "bot_port_taken.fix": ("Stop wat op poort {port} luistert, of stel PARAAF_PORT in op een "
                               "vrije poort."),
        "bot_keys_ok": "{url} antwoordt",
        "bot_keys_unreachable": ("de sleutels van het Bot Framework op {url} zijn niet op te "
                                 "halen ({error})"),
        "bot_keys_unreachable.fix": ("Zorg dat deze machine {host} via HTTPS bereikt, of haal "
                                     "PARAAF_BOT_OPENID_METADATA_URL weg voor dat van het Bot "
                                     "Framework zelf ({default})."),
        "validsign_ok": "{url} antwoordt en neemt de API-sleutel aan",
        "validsign_key": "{url} weigert de API-sleutel (HTTP {status})",
        "validsign_key.fix": ("Stel PARAAF_VALIDSIGN_API_KEY in op de API-sleutel van je "
                              "ValidSign-account (Admin, API-toegang)."),
        "validsign_unreachable": "ValidSign op {url} antwoordt niet ({error})",
        "validsign_unreachable.fix": ("Zorg dat deze machine {host} via HTTPS bereikt, of "
                                      "verbeter PARAAF_VALIDSIGN_URL."),
    }),
    settings_words=Table({
        "whole_number": "{name} moet een geheel getal zijn, niet {value}.",
        "port_in_use": ("Poort {port} op {host} is al in gebruik: draait paraaf al, of een ander "
                        "programma?"),
        "out_of_range": "{name} moet tussen {low} en {high} liggen, niet {value}.",
        "one_of": "{name} moet een van deze waarden zijn: {options}; niet {value}.",
        "timezone": ("PARAAF_TIMEZONE moet een tijdzone zijn zoals Europe/Amsterdam, niet "
                     "{value}."),
        "local_tenant": ("PARAAF_MODE=local zet het aanmelden uit: zo kan paraaf niet tegen een "
                         "echte Microsoft 365-tenant draaien. Gebruik PARAAF_MODE=production met "
                         "PARAAF_BACKEND=graph (of laat PARAAF_GRAPH_BASE_URL naar een lokale "
                         "Graph-testserver wijzen)."),
        "production_app": ("PARAAF_MODE=production heeft de app-registratie van de bot nodig: "
                           "stel PARAAF_APP_ID en PARAAF_APP_PASSWORD in (of "
                           "PARAAF_APP_CERT_THUMBPRINT en PARAAF_APP_CERT_KEY_FILE, of "
                           "PARAAF_APP_TYPE=userassignedmsi)."),
        "site_url": "PARAAF_SITE_URL: {detail}",
        "graph_base_url": ("PARAAF_GRAPH_BASE_URL mag alleen naar een loopback-adres wijzen (een "
                           "lokale Graph-testserver, bijvoorbeeld http://127.0.0.1:8765/v1.0), "
                           "niet {value}. Laat het leeg om Microsoft Graph te gebruiken."),
        "https_url": ("{name} moet een https-adres zijn (of http op een loopback-testserver), "
                      "niet {value}. Laat het leeg voor dat van het Bot Framework zelf: "
                      "{default}"),
        "otlp_endpoint": ("{name} moet het http(s)-adres van een OTLP/HTTP-collector zijn, "
                          "bijvoorbeeld http://collector:4318, niet {value}. Laat het leeg om "
                          "geen telemetrie te versturen."),
        "graph_missing": ("De Microsoft 365-koppeling (PARAAF_GRAPH_AUTH={auth}) heeft {missing} "
                          "nodig; zie docs/microsoft-365.md."),
        "signing_file": "{name}: het bestand {file} bestaat niet.",
        "signing_roots": ("{name}: {file} bevat geen certificaat; het moet een PEM-bestand "
                          "zijn met de te vertrouwen basiscertificaten (blokken -----BEGIN "
                          "CERTIFICATE-----)."),
        "signing_tsa_url": ("PARAAF_TSA_URL moet het http(s)-adres van een RFC 3161-"
                            "tijdstempeldienst zijn, niet {value}."),
        "signing_missing": ("Ondertekenen met PARAAF_SIGNING_PKCS12 heeft ook {missing} nodig: "
                            "een handtekening voor het archief krijgt een tijdstempel van een "
                            "tijdstempeldienst."),
        "zgw_missing": ("Het ZGW-besluitenregister heeft ook {missing} nodig: een register "
                        "stel je helemaal in of helemaal niet; zie docs/zgw-register.md."),
        "zgw_url": "{name} moet het http(s)-adres van de API zijn, niet {value}.",
        "zgw_rsin": ("PARAAF_ZGW_RSIN={value} is geen RSIN: 9 cijfers die aan de elfproef "
                     "voldoen."),
        "validsign_missing": ("Ondertekenen met ValidSign (PARAAF_SIGNING_PROVIDER=validsign) "
                              "heeft ook {missing} nodig."),
        "validsign_url": ("PARAAF_VALIDSIGN_URL moet het https-adres van ValidSign zijn, zoals "
                          "https://my.validsign.nl (http alleen op een testserver op loopback), "
                          "niet {value}."),
        "cert_file": "PARAAF_GRAPH_CERT_FILE: het bestand {file} bestaat niet.",
        "graph_auth_none": ("PARAAF_GRAPH_AUTH=none is alleen voor een lokale Graph-testserver: "
                            "stel PARAAF_GRAPH_BASE_URL in op het loopback-adres daarvan."),
        "host_loopback": ("PARAAF_HOST moet in lokale modus een loopback-adres zijn (het "
                          "aanmelden staat daar uit), niet {value}. Stel PARAAF_MODE=production "
                          "in om op {host} te luisteren."),
        "public_url": ("PARAAF_PUBLIC_URL moet het https-adres van de bot zijn zoals Teams hem "
                       "bereikt (http alleen op een loopback-adres), zonder query, niet {value}."),
        "app_credential": ("PARAAF_MODE=production heeft het wachtwoord of certificaat van de bot "
                           "nodig: PARAAF_APP_ID staat ingesteld, maar PARAAF_APP_PASSWORD noch "
                           "PARAAF_APP_CERT_THUMBPRINT, dus de bot kan geen enkel bericht "
                           "sturen."),
        "app_tenant": ("PARAAF_APP_TYPE={type} heeft PARAAF_APP_TENANT_ID nodig (de tenant van "
                       "de app-registratie van de bot)."),
        "app_cert_pair": "{have} staat ingesteld, dus {need} is ook nodig (het sleutelbestand "
                         "van het certificaat en de vingerafdruk horen bij elkaar).",
        "guid": ("{name} moet een id zijn zoals 5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3, niet "
                 "{value}."),
        "tenant_id": ("{name} moet een tenant-id zijn zoals 5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3 "
                      "(of het domein van de tenant, contoso.onmicrosoft.com), niet {value}."),
    }),
    settings_fixes=Table({
        "whole_number": "Stel {name} in op een geheel getal, of haal het weg voor de standaard.",
        "port_in_use": ("Stop het programma op poort {port}, of kies een vrije poort: "
                        "PARAAF_PORT={free}."),
        "out_of_range": "Stel {name} in op een getal van {low} tot en met {high}.",
        "one_of": "Stel {name} in op een van: {options}.",
        "timezone": "Stel PARAAF_TIMEZONE in op een IANA-tijdzone, bijvoorbeeld Europe/Amsterdam.",
        "local_tenant": ("Stel PARAAF_MODE=production in (met PARAAF_APP_ID en "
                         "PARAAF_APP_PASSWORD), of PARAAF_BACKEND=local."),
        "production_app": ("Stel PARAAF_APP_ID in op de client-id van de app-registratie van de "
                           "bot (infra/README.md, stap 2)."),
        "site_url": ("Stel PARAAF_SITE_URL in op het adres van de site, bijvoorbeeld "
                     "https://gemeente.sharepoint.com/sites/paraaf."),
        "graph_base_url": "Haal PARAAF_GRAPH_BASE_URL weg om Microsoft Graph te gebruiken.",
        "https_url": "Haal {name} weg, of stel het in op een https-adres.",
        "graph_missing": "Stel {missing} in (docs/microsoft-365.md, stap 1 en 5).",
        "signing_file": "Stel {name} in op een bestaand bestand, of koppel dat bestand daar.",
        "signing_roots": ("Zet de basiscertificaten (bijvoorbeeld die van ValidSign) in PEM "
                          "in {file}, of haal {name} weg."),
        "signing_tsa_url": "Stel PARAAF_TSA_URL in op het adres van je tijdstempeldienst.",
        "signing_missing": "Stel {missing} in op het adres van je tijdstempeldienst.",
        "zgw_missing": ("Stel {missing} in (docs/zgw-register.md), of haal alle PARAAF_ZGW_-"
                        "instellingen weg om het register alleen in paraaf te houden."),
        "zgw_url": ("Stel {name} in op het adres van de API, bijvoorbeeld "
                    "https://openzaak.gemeente.nl/besluiten/api/v1."),
        "zgw_rsin": ("Stel PARAAF_ZGW_RSIN in op het RSIN van de gemeente (in het "
                     "Handelsregister)."),
        "validsign_missing": ("Stel {missing} in: het adres, de API-sleutel en de "
                              "callbacksleutel van je ValidSign-account (docs/operations.md, "
                              "Ondertekenen)."),
        "validsign_url": "Stel PARAAF_VALIDSIGN_URL in op het adres van je ValidSign-account.",
        "cert_file": ("Stel PARAAF_GRAPH_CERT_FILE in op het PEM- of PKCS#12-bestand met het "
                      "certificaat en de privésleutel, of zet dat bestand daar neer."),
        "graph_auth_none": ("Stel PARAAF_GRAPH_AUTH=secret, certificate of managed-identity in "
                            "voor Microsoft 365."),
        "host_loopback": "Stel PARAAF_HOST=127.0.0.1 in, of PARAAF_MODE=production.",
        "public_url": ("Stel PARAAF_PUBLIC_URL in op https://<hostnaam van de bot>, het adres "
                       "van het berichteneindpunt van de Azure Bot zonder /api/messages."),
        "app_credential": ("Stel PARAAF_APP_PASSWORD in op een clientgeheim van de "
                           "app-registratie (Certificaten en geheimen > Nieuw clientgeheim), of "
                           "PARAAF_APP_CERT_THUMBPRINT en PARAAF_APP_CERT_KEY_FILE."),
        "app_tenant": ("Stel PARAAF_APP_TENANT_ID in op uw map-id (tenant-id), of "
                       "PARAAF_APP_TYPE=multitenant."),
        "app_cert_pair": "Stel ook {need} in, of haal {have} weg.",
        "guid": ("Stel {name} in op de toepassings-id (client-id) op de overzichtspagina van de "
                 "app-registratie."),
        "tenant_id": ("Stel {name} in op de map-id (tenant-id) op de overzichtspagina van de "
                      "app-registratie."),
        "otlp_endpoint": ("Stel {name} in op het OTLP/HTTP-adres van de collector, bijvoorbeeld "
                          "http://collector:4318, of laat het leeg."),
    }),
    audit_words=Table({
        # a dossier's chain of events, as a command reads it (ChainBroken)
        "unknown_event_type": "onbekend soort gebeurtenis {type}",
        "no_start": "een dossier moet beginnen met DossierStarted",
        "second_start": "een dossier kan maar één keer starten",
        "expected_event": "gebeurtenis {expected} verwacht",
        "prev_hash_mismatch": "de vorige hash klopt niet",
        # a dossier's chain of events, as audit verify reads it
        "seq_gap": "gebeurtenis {expected} verwacht, {found} gevonden (ontbreekt of verplaatst)",
        "hash_changed": ("de opgeslagen hash past niet bij de inhoud van de gebeurtenis "
                         "(gewijzigd)"),
        "not_following": ("de gebeurtenis sluit niet aan op de vorige (van volgorde veranderd of "
                          "tussengevoegd)"),
        "other_dossier": "de gebeurtenis hoort bij een ander dossier",
        "head_mismatch": "de keten eindigt niet waar het dossier zegt dat hij eindigt",
        "anchor_rewritten": ("gebeurtenis {version} is niet die welke anker {anchor} vastlegde "
                             "(de geschiedenis is herschreven)"),
        "events_missing": "gebeurtenissen {first} tot en met {last} ontbreken",
        "dossier_gone": ("het dossier is verdwenen: anker {anchor} legde het vast bij versie "
                         "{version} (de gebeurtenissen en de rij zijn verwijderd)"),
        "events_missing_anchored": ("gebeurtenissen {first} tot en met {last} ontbreken: anker "
                                    "{anchor} legde het dossier vast bij versie {last}"),
        # the stored audit anchors
        "anchor_unreadable": "het is niet leesbaar (geen JSON)",
        "anchor_fields": "het heeft niet de velden van een anker",
        "anchor_types": "een van de velden heeft het verkeerde type",
        "anchor_not_canonical": "het staat niet in de vaste vorm (gewijzigd)",
        "anchor_seq_gap": "anker {expected} verwacht, {found} gevonden (ontbreekt of verplaatst)",
        "anchor_hash_changed": ("de opgeslagen hash past niet bij de inhoud van het anker "
                                "(gewijzigd)"),
        "anchor_not_following": ("het anker sluit niet aan op het vorige (van volgorde veranderd, "
                                 "tussengevoegd of verwijderd)"),
        "anchor_takes_back": ("het zet dossier {dossier} terug van versie {before} naar "
                              "{after}"),
        "anchor_root": ("de Merkle-root past niet bij de koppen die de ankers vastlegden "
                        "(gewijzigd)"),
        # an anchor a person kept outside
        "kept_unchecked": "anker {seq} is niet te controleren: anker {broken} is beschadigd",
        "kept_missing": ("anker {seq} staat niet bij de opgeslagen ankers (die zijn ingekort of "
                         "vervangen)"),
        "kept_rewritten": ("anker {seq} is niet het anker dat bewaard is (de ankers zijn "
                           "herschreven)"),
    }),
    chain_broken=("Dossier ‘{dossier}’, gebeurtenis {seq}: {reason}. De opgeslagen "
                  "geschiedenis is niet meer heel: laat een beheerder `paraaf audit verify` "
                  "uitvoeren."),
    pg_missing_tool=("`{tool}` is niet geïnstalleerd; de Agents Playground heeft Node.js 18 of "
                     "nieuwer nodig"),
    pg_serving=("Agents Playground: open {url} in een browser (je bent {me}).\n"
                "  eindpunt van de bot: {endpoint}\n  logboek: {log}\n  Ctrl-C stopt hem."),
    pg_exited="De Agents Playground is gestopt ({code}); zie {log}",
    pg_config_error="playground: {error}",
)
