"""Card builders: the official 1.5 schema, the size limit, the action contract, the rules of
who sees which action, and the Dutch and English texts."""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from dataclasses import fields as dataclass_fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import adaptive_cards
import jsonschema
import pytest

from approvals import commands as c
from approvals.flows.definition import MAY_REJECT, StageKind
from approvals.ports import DocumentComment
from approvals.readmodels import summarize, timeline
from cards import (
    card_size,
    error_card,
    help_card,
    lang_for,
    start_card,
    start_form_card,
    status_card,
    strings,
    task_card,
    tasks_card,
    unknown_user_card,
)
from cards.format import format_date, format_money, format_number, format_timestamp
from cards.strings import CLI_LANGUAGES, LANGUAGES, plural
from tests.cards_render.samples import (
    KINDS,
    LATER,
    TODAY,
    build_corpus,
    document_comments,
    huge_dossier,
    kind_dossier,
    kind_flow,
    many_comments,
    returned_dossier,
    signed_dossier,
)
from tests.support.domain_kit import (
    ANNA,
    DIRECTOR,
    FINANCE,
    HEAD,
    JURIST,
    JURIST2,
    MAYOR,
    OUTSIDER,
    Dossier,
    person,
)
from word.comment_cache import Comments
from word.comments import unreadable

CORPUS = build_corpus()
NAMES = list(CORPUS)
TEAMS_LIMIT = 28_000
STAGE_VERBS = {kind.value for kind in StageKind}


def _validator() -> jsonschema.Draft6Validator:
    path = Path(adaptive_cards.__file__).parent / "schemas" / "schema-1.5.json"
    schema = json.loads(path.read_text("utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    root = {
        "$schema": schema["$schema"],
        "definitions": schema["definitions"],
        "$ref": "#/definitions/AdaptiveCard",
    }
    return jsonschema.Draft6Validator(root)


VALIDATOR = _validator()


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a card, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def executes(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The Action.Execute buttons of a card (body and action bar, not the refresh)."""
    found = walk([card.get("body", []), card.get("actions", [])])
    return [n for n in found if n.get("type") == "Action.Execute"]


def verbs(card: dict[str, Any]) -> set[str]:
    return {a["verb"] for a in executes(card)}


def texts(card: dict[str, Any]) -> list[str]:
    return [n["text"] for n in walk(card) if n.get("type") == "TextBlock"]


def styled_texts(card: dict[str, Any], style: str) -> list[str]:
    """The texts inside containers of a style (attention, warning, good, accent)."""
    return [text for n in walk(card) if n.get("type") == "Container" and n.get("style") == style
            for text in texts(n)]


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in walk(card) if str(n.get("type", "")).startswith("Input.")}


def view(d: Dossier) -> tuple[Any, Any, Any]:
    return d.state, d.flow, timeline(d.events)


def task(d: Dossier, who: Any = DIRECTOR, lang: str = "nl", **kw: Any) -> dict[str, Any]:
    kw.setdefault("today", TODAY)
    return task_card(*view(d), viewer_oid=who.oid, lang=lang, **kw)


# ---------------------------------------------------------------------------- strings


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("catalogues", [LANGUAGES, CLI_LANGUAGES], ids=["cards", "cli"])
def test_both_languages_have_the_same_keys_and_placeholders(catalogues: Any) -> None:
    nl, en = catalogues["nl"], catalogues["en"]
    keys = [f.name for f in dataclass_fields(nl)]
    assert keys == [f.name for f in dataclass_fields(en)]
    for key in keys:
        a, b = getattr(nl, key), getattr(en, key)
        assert type(a) is type(b), key
        pairs = [(a, b)] if isinstance(a, str) else list(zip(a, b, strict=True))
        for x, y in pairs:
            assert _placeholders(x) == _placeholders(y), key
            assert x.strip() and y.strip(), key


def _plural_fields(catalogue: Any) -> list[str]:
    return [f.name for f in dataclass_fields(catalogue) if "Plural" in str(f.type)]


@pytest.mark.parametrize("catalogues", [LANGUAGES, CLI_LANGUAGES], ids=["cards", "cli"])
def test_every_count_has_a_singular_and_a_plural_form(catalogues: Any) -> None:
    """'1 eerdere stap', '2 eerdere stappen': one form for one, one for any other count."""
    for lang, catalogue in catalogues.items():
        names = _plural_fields(catalogue)
        assert names, lang
        for name in names:
            one, other = getattr(catalogue, name)
            assert "{count}" in one and "{count}" in other, (lang, name)
            assert one != other, (lang, name)
            assert plural((one, other), 1, name="X").startswith(one.split("{")[0])


def test_dutch_counts_follow_dutch_grammar() -> None:
    nl, en = strings("nl"), strings("en")
    assert plural(nl.timeline_earlier, 1) == "en 1 eerdere stap"
    assert plural(nl.timeline_earlier, 2) == "en 2 eerdere stappen"
    assert plural(nl.advice_earlier, 1) == "en 1 eerder advies"
    assert plural(nl.tasks_count, 1) == "1 openstaande taak"
    assert plural(nl.tasks_count, 0) == "0 openstaande taken"
    assert plural(en.timeline_earlier, 1) == "and 1 earlier step"


def test_lang_is_dutch_unless_the_locale_starts_with_en() -> None:
    assert lang_for(None) == "nl"
    assert lang_for("") == "nl"
    assert lang_for("nl-NL") == "nl"
    assert lang_for("fr-FR") == "nl"
    assert lang_for("en-US") == "en"
    assert lang_for("EN-gb") == "en"
    assert strings("en-US") is LANGUAGES["en"]


def test_dutch_words_of_the_glossary_are_used() -> None:
    nl = strings("nl")
    assert (nl.act_advise, nl.act_initial, nl.act_approve, nl.act_decide) == (
        "Advies geven", "Paraferen", "Accorderen", "Besluiten")
    assert (nl.act_acknowledge, nl.act_sign, nl.act_return, nl.act_reject) == (
        "Voor kennisgeving aannemen", "Ondertekenen", "Terugsturen", "Afwijzen")
    assert (nl.act_comment, nl.act_delegate, nl.label_waiting_for) == (
        "Opmerking", "Delegeren", "Wie is aan zet")


# ---------------------------------------------------------------------------- formatting


def test_money_is_formatted_per_language() -> None:
    nl, en = strings("nl"), strings("en")
    assert format_money(12500, nl) == "€ 12.500,00"
    assert format_money(12500, en) == "€12,500.00"
    assert format_money("1234567.891", nl) == "€ 1.234.567,89"
    assert format_money(-12.5, nl) == "€ -12,50"
    assert format_money(-12.5, en) == "-€12.50"
    assert format_number(1200, nl) == "1.200"
    assert format_number(2.5, en) == "2.5"


def test_dates_and_times_are_dutch_local_time_with_the_zone() -> None:
    nl, en = strings("nl"), strings("en")
    assert format_date("2026-11-27", nl) == "27 november 2026"
    assert format_date(date(2026, 3, 1), en) == "1 March 2026"
    assert format_timestamp("2026-11-23T09:00:00.000000Z", nl) == "23 nov. 2026 10:00 (CET)"
    assert format_timestamp("2026-07-01T09:30:00Z", en) == "1 Jul 2026 11:30 (CEST)"
    assert format_timestamp("2026-10-25T00:59:00Z", nl) == "25 okt. 2026 02:59 (CEST)"
    assert format_timestamp("2026-10-25T01:00:00Z", nl) == "25 okt. 2026 02:00 (CET)"


def test_times_follow_the_tenants_time_zone() -> None:
    nl = strings("nl")
    assert format_timestamp("2026-11-23T09:00:00Z", nl, "UTC") == "23 nov. 2026 09:00 (UTC)"
    assert format_timestamp("2026-07-01T09:30:00Z", nl, "America/New_York") == (
        "1 jul. 2026 05:30 (EDT)")
    d = kind_dossier(StageKind.APPROVE)
    card = task_card(*view(d), viewer_oid=DIRECTOR.oid, lang="nl", today=TODAY, zone="UTC")
    assert any(t.endswith("(UTC)") for t in texts(card))
    assert not any("(CET)" in t for t in texts(card))


# ---------------------------------------------------------------------------- every card


@pytest.mark.parametrize("name", NAMES)
def test_card_matches_the_adaptive_cards_1_5_schema(name: str) -> None:
    card = json.loads(json.dumps(CORPUS[name]))
    assert card["version"] == "1.5"
    assert card.pop("msteams") == {"width": "Full"}  # Teams-only; the schema forbids it
    errors = sorted(VALIDATOR.iter_errors(card), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:5]]


@pytest.mark.parametrize("name", NAMES)
def test_card_is_under_the_teams_size_limit(name: str) -> None:
    card = CORPUS[name]
    assert card_size(card) < TEAMS_LIMIT
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < TEAMS_LIMIT


@pytest.mark.parametrize("name", NAMES)
def test_card_follows_the_action_contract(name: str) -> None:
    card = CORPUS[name]
    for action in executes(card):
        assert action.get("verb"), action
        assert isinstance(action.get("data"), dict), action
        assert action["fallback"]["data"]["verb"] == action["verb"]
    if "refresh" in card:
        assert card["refresh"]["action"]["verb"] == "refresh"
        assert 0 < len(card["refresh"].get("userIds", ["-"])) <= 60
    assert len(card.get("actions", [])) <= 5
    ids = [n["id"] for n in walk(card) if str(n.get("type", "")).startswith("Input.")]
    assert len(ids) == len(set(ids)), "input ids must be unique in a card"


@pytest.mark.parametrize("name", NAMES)
def test_every_text_block_wraps(name: str) -> None:
    blocks = [n for n in walk(CORPUS[name]) if n.get("type") == "TextBlock"]
    assert blocks and all(b["wrap"] is True for b in blocks)


# ---------------------------------------------------------------------------- task card


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_assignee_sees_only_the_actions_of_the_stage_kind(kind: StageKind) -> None:
    card = task(kind_dossier(kind))
    expected = {kind.value, "return", "comment", "delegate"}
    if kind in MAY_REJECT:
        expected.add("reject")
    assert verbs(card) == expected
    assert not (verbs(card) & STAGE_VERBS) - {kind.value}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_non_assignee_sees_no_execute_actions(kind: StageKind) -> None:
    d = kind_dossier(kind)
    for viewer in (OUTSIDER, ANNA, HEAD):
        card = task(d, viewer, refresh_user_ids=[DIRECTOR.oid, MAYOR.oid])
        assert executes(card) == []
        assert "actions" not in card
        assert card["refresh"]["action"]["verb"] == "refresh"


def test_status_card_has_no_actions_but_refresh_and_open() -> None:
    d = kind_dossier(StageKind.APPROVE)
    card = status_card(*view(d), viewer_oid=DIRECTOR.oid, lang="nl", today=TODAY,
                       refresh_user_ids=[person("P", i).oid for i in range(61)],
                       open_url="https://teams.example/tab")
    buttons = [a for n in walk(card["body"]) if n.get("type") == "ActionSet"
               for a in n["actions"]]
    assert [b["type"] for b in buttons] == ["Action.Execute", "Action.OpenUrl"]
    assert verbs(card) == {"refresh"}
    assert "actions" not in card


def test_action_data_carries_dossier_stage_round_and_version() -> None:
    d = kind_dossier(StageKind.APPROVE)
    for action in executes(task(d)):
        assert action["data"] == {"dossier_id": d.dossier_id, "stage_id": "hoofdstap",
                                  "round": 1, "version": d.state.version}


def test_inputs_per_verb() -> None:
    advise = task(kind_dossier(StageKind.ADVISE))
    show = {a["title"]: a["card"] for a in advise["actions"]}
    assert set(inputs(show["Advies geven"])) == {"advice", "text"}
    assert inputs(show["Advies geven"])["advice"]["isRequired"] is True
    assert [ch["value"] for ch in inputs(advise)["advice"]["choices"]] == [
        "positief", "negatief", "neutraal"]
    assert set(inputs(show["Terugsturen"])) == {"return_to", "return_reason"}
    assert set(inputs(show["Opmerking"])) == {"comment"}
    assert set(inputs(show["Delegeren"])) == {"delegate_to", "delegate_reason"}
    decide = task(kind_dossier(StageKind.DECIDE))
    assert inputs(decide)["text"]["isRequired"] is True
    initial = task(kind_dossier(StageKind.INITIAL))
    assert set(inputs(initial["body"])) == {"text"}  # optional explanation with the paraaf
    assert "isRequired" not in inputs(initial)["text"]
    reject = {a["title"]: a.get("card") for a in initial["actions"]}["Afwijzen"]
    assert inputs(reject)["reject_reason"] == {
        "type": "Input.Text", "id": "reject_reason", "label": "Reden", "isRequired": True,
        "errorMessage": "Geef een reden op (maximaal 2000 tekens).", "maxLength": 2000,
        "isMultiline": True, "placeholder": "Waarom wijs je het dossier af?",
    }
    assert inputs(task(kind_dossier(StageKind.ACKNOWLEDGE))["body"]) == {}


def test_return_choices_are_exactly_the_stages_return_to() -> None:
    d = Dossier()
    d.start()
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.NEUTRAAL)
    card = task(d, HEAD)
    choices = inputs(card)["return_to"]["choices"]
    assert [(ch["value"], ch["title"]) for ch in choices] == [
        ("juridisch_advies", "Juridisch Advies"), ("financieel_advies", "Financieel Advies")]
    assert inputs(card)["return_reason"]["maxLength"] == 2000


def test_no_return_action_when_the_stage_has_no_return_to() -> None:
    d = Dossier()
    d.start()
    assert verbs(task(d, JURIST)) == {"advise", "comment", "delegate"}


def test_substitute_acts_on_behalf_and_cannot_delegate() -> None:
    d = kind_dossier(StageKind.APPROVE)
    d.run(c.Delegate(dossier_id=d.dossier_id, actor=DIRECTOR, command_id="del-1", to=OUTSIDER,
                     reason="Vakantie"))
    card = task(d, OUTSIDER)
    assert verbs(card) == {"approve", "return", "reject", "comment"}
    assert all(a["data"]["on_behalf_of"] == DIRECTOR.oid for a in executes(card))
    assert "Je handelt als vervanger namens Director." in texts(card)


def test_stage_id_picks_one_of_two_parallel_tasks() -> None:
    groups = {"juridisch_advies": (JURIST,), "financieel_advies": (JURIST,)}
    d = Dossier(groups={**Dossier().groups, **groups})
    d.start()
    first = task(d, JURIST)
    second = task(d, JURIST, stage_id="juridisch_advies")
    assert {a["data"]["stage_id"] for a in executes(first)} == {"financieel_advies"}
    assert {a["data"]["stage_id"] for a in executes(second)} == {"juridisch_advies"}


def test_overdue_is_marked_in_attention_style() -> None:
    d = kind_dossier(StageKind.APPROVE)
    due = d.state.stages["hoofdstap"].due
    assert due is not None
    late = styled_texts(task(d, today=LATER), "attention")
    assert late == [f"Termijn verstreken: {format_date(due, strings('nl'))}"]
    late_en = styled_texts(task(d, lang="en", today=LATER), "attention")
    assert late_en[0].startswith("Overdue: ")
    on_time = task(d, today=TODAY)
    assert not styled_texts(on_time, "attention")
    assert f"Termijn: {format_date(due, strings('nl'))}" in texts(on_time)
    today = styled_texts(task(d, today=date.fromisoformat(due)), "warning")
    assert len(today) == 1 and "vandaag" in today[0]
    coloured = [n for n in walk(CORPUS) if n.get("type") == "TextBlock" and n.get("color")]
    assert coloured == []  # coloured text fails contrast in a Teams theme: styles instead


def test_english_card_when_lang_is_en() -> None:
    card = task(kind_dossier(StageKind.APPROVE), lang="en-US")
    titles = [a["title"] for a in card["actions"]]
    assert titles == ["Approve", "Send back", "Reject", "Comment", "Delegate"]
    assert "You are asked to approve this dossier." in texts(card)
    facts = {f["title"]: f["value"] for n in walk(card) if n.get("type") == "FactSet"
             for f in n["facts"]}
    assert facts["Amount" if "Amount" in facts else "Bedrag"] == "€12,500.50"
    assert facts["Who is to act"] == "Director, Mayor"
    assert facts["Aantal woningen"] == "1,200"
    assert facts["Ingangsdatum"] == "1 January 2027"
    assert facts["Voorstel"] == (
        "[voorstel.docx](https://sharepoint.example/sites/paraaf/voorstel.docx)")
    dutch = task(kind_dossier(StageKind.APPROVE))
    assert [a["title"] for a in dutch["actions"]] == [
        "Accorderen", "Terugsturen", "Afwijzen", "Opmerking", "Delegeren"]


def test_card_shows_fields_documents_advice_and_timeline() -> None:
    d, _ = returned_dossier()
    d.run(c.Attach(dossier_id=d.dossier_id, actor=ANNA, command_id="att-1",
                   name="Raadsvoorstel.docx", uri="https://sharepoint.example/r.docx",
                   sha256="ab" * 32, size=10))
    card = task(d, JURIST)
    all_text = "\n".join(texts(card))
    assert "[Raadsvoorstel.docx](https://sharepoint.example/r.docx)" in all_text
    assert "**Positief advies van Jurist**" in all_text
    assert "**Negatief advies van Finance**" in all_text
    assert "Dekking ontbreekt." in all_text
    assert "**Head** heeft het dossier teruggestuurd naar Juridisch Advies" in all_text
    assert "Reden: Graag de aanbesteding toetsen." in all_text
    assert "Collegevoorstel · Juridisch Advies (ronde 2)" in all_text
    facts = {f["title"]: f["value"] for n in walk(card) if n.get("type") == "FactSet"
             for f in n["facts"]}
    assert facts["Bedrag"] == "€ 25.000,00"
    assert facts["Initiatiefnemer"] == "Anna"
    assert facts["Stap"] == "Juridisch Advies (ronde 2)"


def _section(card: dict[str, Any], heading: str) -> list[str]:
    """The texts from a section heading up to the next heading."""
    found = texts(card)
    start = found.index(heading) + 1
    rest = found[start:]
    end = next((i for i, t in enumerate(rest) if t in SECTION_HEADINGS), len(rest))
    return rest[:end]


SECTION_HEADINGS = {getattr(lang, f) for lang in LANGUAGES.values()
                    for f in ("section_decision", "section_timeline", "section_advice",
                              "section_document_comments")}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_document_comments_show_per_document_after_the_advice(lang: str) -> None:
    d, _ = returned_dossier()
    s = strings(lang)
    card = task(d, JURIST, lang=lang, comments=document_comments())
    found = texts(card)
    assert found.index(s.section_advice) < found.index(s.section_document_comments)
    section = _section(card, s.section_document_comments)
    when, evi_when = (format_timestamp(t, s) for t in ("2026-11-23T09:15:00Z",
                                                        "2026-11-24T13:40:00Z"))
    passage = "De opbrengst komt ten goede aan het openbaar vervoer."
    assert section[:3] == ["**Advies jurist.docx**", f"Evi de Wit (Ketenpartner) · {evi_when}",
                           s.comment_on.format(passage=passage)]
    assert section[3] == "Juridisch houdbaar, mits geoormerkt."
    assert section[4:6] == ["**Raadsvoorstel parkeerbeleid.docx**", f"Ans Claes · {when}"]
    assert section[6].startswith(s.comment_on.split("{")[0] + "Het college besluit")
    assert section[6].endswith("…”") and len(section[6]) < 175  # the passage is shortened
    assert section[7] == ("Graag onderbouwen waarom 10% en niet 5%.\n"
                          "Zie [de APV] (https://x.example).")  # never a link
    assert section[8:] == [s.comment_unknown_author, "Zonder auteur en datum."]


def test_the_status_card_shows_document_comments_too() -> None:
    d, event = returned_dossier()
    card = status_card(*view(d), viewer_oid=ANNA.oid, lang="nl", today=TODAY, event=event,
                       comments=document_comments())
    assert "Opmerkingen in documenten" in texts(card)
    assert "Juridisch houdbaar, mits geoormerkt." in texts(card)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_document_whose_comments_cannot_be_read_says_so(lang: str) -> None:
    d, event = returned_dossier()
    s = strings(lang)
    comments = [unreadable("Bom.docx"), *document_comments()]
    for card in (task(d, JURIST, lang=lang, comments=comments),
                 status_card(*view(d), viewer_oid=ANNA.oid, lang=lang, today=TODAY,
                             event=event, comments=comments)):
        section = _section(card, s.section_document_comments)
        assert section[:3] == ["**Bom.docx**", s.comments_unreadable,
                               "**Advies jurist.docx**"]
        assert "Juridisch houdbaar, mits geoormerkt." in section  # the others still show
        assert s.section_advice in texts(card) or s.section_timeline in texts(card)
    assert strings("nl").comments_unreadable == (
        "De opmerkingen in dit document konden niet worden gelezen.")
    assert strings("en").comments_unreadable == "The comments in this document could not be read."


def test_no_document_comments_no_section() -> None:
    d, _ = returned_dossier()
    assert "Opmerkingen in documenten" not in texts(task(d, JURIST))
    assert "Opmerkingen in documenten" not in texts(task(d, JURIST, comments=[]))


def test_many_document_comments_are_cut_and_counted() -> None:
    card = task(huge_dossier(), HEAD, comments=many_comments())
    assert card_size(card) < 24_500
    section = _section(card, "Opmerkingen in documenten")
    shown = sum(1 for t in section if t.startswith("Adviseur "))
    assert 0 < shown < 60
    assert section[-1] == f"en {60 - shown} meer"


def test_card_of_kept_comments_shows_the_first_ones_and_counts_the_rest() -> None:
    d, event = returned_dossier()
    kept = tuple(DocumentComment("Gelezen als.docx", f"Adviseur {n}", "2026-11-23T09:15:00Z",
                                 f"Opmerking {n}.", f"Passage {n}.") for n in range(500))
    handed = Comments([("Raadsvoorstel.docx", kept[:200]), ("Bijlage.docx", kept[200:])])
    for build in (
        lambda comments: task(d, JURIST, comments=comments),
        lambda comments: status_card(*view(d), viewer_oid=ANNA.oid, lang="nl", today=TODAY,
                                     event=event, comments=comments),
    ):
        card = build(handed)
        assert card == build(list(handed))  # the same card as from a plain list
        section = _section(card, "Opmerkingen in documenten")
        shown = [t for t in section if t.startswith("Adviseur ")]
        assert [t.split(" ·")[0] for t in shown] == [f"Adviseur {n}" for n in range(12)]
        assert section[0] == "**Raadsvoorstel.docx**"
        assert section[-1] == "en 488 meer"


def test_user_text_never_becomes_a_link() -> None:
    d = Dossier()
    d.start(toelichting="Zie [hier](https://evil.example/login)")
    card = task(d, JURIST)
    assert "](https://evil" not in json.dumps(card)


def test_error_line_keeps_the_typed_values() -> None:
    d = kind_dossier(StageKind.ADVISE)
    values = {"advice": "negatief", "text": "Onvoldoende onderbouwd", "return_reason": "x" * 3000,
              "advice_bogus": "ignored", "delegate_to": 42}
    card = task(d, error="Geef een reden op (maximaal 2000 tekens).", values=values)
    error = [n for n in walk(card) if n.get("style") == "attention"]
    assert error[0]["items"][0]["text"] == "Geef een reden op (maximaal 2000 tekens)."
    found = inputs(card)
    assert found["advice"]["value"] == "negatief"
    assert found["text"]["value"] == "Onvoldoende onderbouwd"
    assert found["return_reason"]["value"] == "x" * 2000  # cut to the input's maximum
    assert "value" not in found["delegate_to"]


def test_notice_line_on_top() -> None:
    d = kind_dossier(StageKind.ADVISE)
    notice = strings("nl").notice_done_by.format(name="Jan Jansen")
    card = task(d, OUTSIDER, notice=notice)
    assert card["body"][1]["items"][0]["text"] == "Deze taak is al afgehandeld door Jan Jansen."


def test_refresh_lists_the_given_users_up_to_60() -> None:
    d = kind_dossier(StageKind.APPROVE)
    ids = [person("P", i).oid for i in range(60)]
    card = task(d, refresh_user_ids=[*ids, ids[0]])
    assert card["refresh"]["userIds"] == ids
    assert card["refresh"]["action"]["data"] == {
        "dossier_id": d.dossier_id, "version": d.state.version, "stage_id": "hoofdstap"}
    assert "refresh" not in verbs(card)


def test_more_than_60_users_get_a_visible_refresh_button() -> None:
    d = kind_dossier(StageKind.APPROVE)
    card = task(d, refresh_user_ids=[person("P", i).oid for i in range(61)])
    assert "userIds" not in card["refresh"]
    assert [a["title"] for a in executes(card) if a["verb"] == "refresh"] == ["Vernieuwen"]


def test_closed_dossiers_are_read_only_without_refresh() -> None:
    for name in ("completed", "rejected", "withdrawn"):
        for lang in ("nl", "en"):
            for kind in ("task", "status"):
                card = CORPUS[f"{kind}/{name}/{lang}"]
                assert executes(card) == [] and "refresh" not in card, (kind, name)


def test_huge_dossier_is_cut_down_with_ellipses() -> None:
    d = huge_dossier()
    card = task(d, HEAD, refresh_user_ids=[person("P", i).oid for i in range(60)])
    assert card_size(card) < 24_500
    assert any(t.endswith("…") for t in texts(card))
    assert any(t.startswith("en ") and t.endswith("eerdere stappen") for t in texts(card))
    assert verbs(card) == {"initial", "return", "reject", "comment", "delegate"}


def test_cards_are_pure_functions_of_their_inputs() -> None:
    d = kind_dossier(StageKind.DECIDE)
    assert task(d) == task(d)
    assert build_corpus() == CORPUS


# ---------------------------------------------------------------------------- status card


def test_initiator_is_told_where_the_dossier_was_sent_back_to_and_why() -> None:
    d, event = returned_dossier()
    card = status_card(*view(d), viewer_oid=ANNA.oid, lang="nl", today=TODAY, event=event)
    assert styled_texts(card["body"][0], "warning") == [
        "Je dossier is teruggestuurd naar Juridisch Advies",
        "Reden: Graag de aanbesteding toetsen."]
    english = status_card(*view(d), viewer_oid=ANNA.oid, lang="en", today=TODAY, event=event)
    assert styled_texts(english["body"][0], "warning")[0] == (
        "Your dossier was sent back to Juridisch Advies")


def test_status_headlines_of_closed_dossiers() -> None:
    expected = {
        "completed": "Over je dossier is besloten",
        "rejected": "Je dossier is afgewezen",
        "withdrawn": "Je dossier is ingetrokken",
    }
    tones = {"completed": "good", "rejected": "attention", "withdrawn": "attention"}
    for name, headline in expected.items():
        card = CORPUS[f"status/{name}/nl"]
        assert styled_texts(card["body"][0], tones[name]) == [headline]
    assert "Reden: Past niet binnen het coalitieakkoord." in texts(CORPUS["status/rejected/nl"])
    decided = "\n".join(texts(CORPUS["status/completed/nl"]))
    assert "Het college besluit het plein opnieuw in te richten." in decided
    assert "Besloten door Mayor op 23 nov. 2026 10:00 (CET)" in decided


# ---------------------------------------------------------------------------- other cards


def test_tasks_card_lists_the_most_urgent_first_and_counts_the_rest() -> None:
    dossiers = []
    for i in range(18):
        d = kind_dossier(StageKind.APPROVE)
        d.dossier_id = f"2026-T{i:04d}"
        d.events.clear()
        d.today = date(2026, 10, 5) + timedelta(weeks=i)
        d.start()
        d.act(HEAD, c.Action.INITIAL)
        dossiers.append(summarize(d.state, d.flow))
    card = tasks_card(list(reversed(dossiers)), DIRECTOR.oid, "nl", TODAY)
    opens = executes(card)
    assert [a["data"] for a in opens] == [{"dossier_id": f"2026-T{i:04d}"} for i in range(15)]
    assert {a["verb"] for a in opens} == {"open"} and opens[0]["title"] == "Openen"
    assert "en 3 meer" in texts(card)
    assert "18 openstaande taken" in texts(card)
    late = styled_texts(card, "attention")
    assert late and all(t.startswith("Termijn verstreken: ") for t in late)
    empty = tasks_card([], DIRECTOR.oid, "en", TODAY)
    assert "You have no open tasks." in texts(empty) and executes(empty) == []


def test_start_card_offers_the_published_flows() -> None:
    flows = [kind_flow(StageKind.ADVISE), kind_flow(StageKind.APPROVE), Dossier().flow]
    card = start_card(flows, "nl")
    choice = inputs(card)["flow_id"]
    assert {ch["value"] for ch in choice["choices"]} == {f.id for f in flows}
    assert choice["isRequired"] is True
    assert [(a["verb"], a["data"]) for a in executes(card)] == [("start_form", {})]
    none = start_card([], "nl")
    assert executes(none) == [] and any("beheerder" in t for t in texts(none))


def test_start_form_has_an_input_per_field_type() -> None:
    flow = kind_flow(StageKind.ADVISE)
    card = start_form_card(flow, "nl")
    found = inputs(card)
    assert [(i, n["type"]) for i, n in found.items()] == [
        ("title", "Input.Text"),
        ("field.bedrag", "Input.Text"),  # as typed: a number input reads 25.000 as 25
        ("field.aantal", "Input.Text"),
        ("field.ingangsdatum", "Input.Date"),
        ("field.portefeuille", "Input.ChoiceSet"),
        ("field.wethouder", "Input.Text"),
        ("field.voorstel", "Input.Text"),
        ("field.toelichting", "Input.Text"),
        ("documents", "Input.Text"),
    ]
    assert found["field.bedrag"]["isRequired"] is True
    assert found["field.bedrag"]["label"] == "Bedrag"
    assert found["field.bedrag"]["placeholder"] == "Bijvoorbeeld 25.000 of 1.250,50"
    assert "isRequired" not in found["field.aantal"]
    assert found["field.wethouder"]["style"] == "email"
    assert found["field.voorstel"]["style"] == "url"
    assert found["field.toelichting"]["maxLength"] == 4000
    assert found["title"]["isRequired"] is True and found["title"]["maxLength"] == 200
    assert found["documents"]["isMultiline"] is True
    assert [(a["verb"], a["data"]) for a in executes(card)] == [
        ("start", {"flow_id": flow.id, "flow_version": flow.version})]


def test_start_form_keeps_values_and_shows_the_error() -> None:
    flow = kind_flow(StageKind.ADVISE)
    values = {"title": "Woonwijk", "field.bedrag": "12.500,50", "field.portefeuille": "Ruimte",
              "field.ingangsdatum": "2027-01-01", "field.aantal": "veel"}
    card = start_form_card(flow, "en", values=values, error="Amount is missing.")
    found = inputs(card)
    assert found["title"]["value"] == "Woonwijk"
    assert found["field.bedrag"]["value"] == "12.500,50"  # what the person typed
    assert found["field.aantal"]["value"] == "veel"
    assert found["field.portefeuille"]["value"] == "Ruimte"
    assert found["field.ingangsdatum"]["value"] == "2027-01-01"
    assert "Amount is missing." in texts(card)


def test_start_form_of_a_big_flow_stays_under_the_limit() -> None:
    huge = CORPUS["start_form/huge/nl"]
    assert len(inputs(huge)) == 64  # title, 62 fields, documents: typed values dropped
    assert not any("value" in n for n in inputs(huge).values())
    too_large = CORPUS["start_form/too_large/nl"]
    assert executes(too_large) == []
    assert "Start het dossier in het tabblad van paraaf." in texts(too_large)[-1]


def test_help_card_lists_the_commands() -> None:
    nl = {f["title"] for n in walk(help_card("nl")) if n.get("type") == "FactSet"
          for f in n["facts"]}
    assert nl == {"help", "mijn taken", "start", "status ‹dossiernummer›",
                  "vervanger ‹naam› ‹van› ‹tot› ‹reden›"}
    en = {f["title"] for n in walk(help_card("en")) if n.get("type") == "FactSet"
          for f in n["facts"]}
    assert en == {"help", "my tasks", "start", "status ‹dossier id›",
                  "substitute ‹name› ‹from› ‹to› ‹reason›"}
    assert verbs(help_card("nl")) == {"my_tasks", "new_dossier"}


def test_unknown_user_and_error_cards() -> None:
    assert ("We kennen je niet in de gemeentelijke directory; neem contact op met een "
            "beheerder.") in texts(unknown_user_card("nl"))
    card = error_card("Dossier 2026-X bestaat niet.", "nl")
    assert texts(card) == ["Er ging iets mis", "Dossier 2026-X bestaat niet."]
    assert executes(card) == [] and "actions" not in card


def test_cards_import_nothing_but_the_standard_library_and_approvals() -> None:
    import ast
    import sys

    root = Path(__file__).resolve().parents[2] / "cards"
    allowed = set(sys.stdlib_module_names) | {"approvals", "cards", "__future__"}
    for file in root.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = {node.module.split(".")[0]}
            else:
                continue
            assert names <= allowed, f"{file.name} imports {names - allowed}"


__all__ = ["JURIST2", "MAYOR"]


def test_ui_strings_have_no_angle_brackets() -> None:
    """Teams strips ``<...>`` from card text as if it were HTML: ``status <dossiernummer>``
    would show as ``status``. Placeholders in UI text use ‹ › instead."""
    from dataclasses import fields

    from cards.strings import LANGUAGES

    for lang, catalog in LANGUAGES.items():
        for item in fields(catalog):
            value = getattr(catalog, item.name)
            texts = value if isinstance(value, tuple) else (value,)
            assert not any("<" in t or ">" in t for t in texts), (lang, item.name)


# ---------------------------------------------------------------------------- words


def test_dossier_number_is_on_every_task_and_status_card() -> None:
    """Two dossiers with the same title are told apart: the number heads every card."""
    for name, card in CORPUS.items():
        if not name.startswith(("task/", "status/")):
            continue
        dossier_id = card["refresh"]["action"]["data"]["dossier_id"] if "refresh" in card else ""
        head = texts(card["body"][0])
        if dossier_id:
            assert any(dossier_id in t for t in head), name
        else:  # a closed dossier has no refresh; its number is on the card all the same
            assert any(t.split(" · ")[0] and " · " in t for t in head), name


def test_task_rows_show_number_initiator_and_due_date() -> None:
    d, twin = kind_dossier(StageKind.APPROVE), kind_dossier(StageKind.APPROVE)
    twin.dossier_id = "2026-0999"
    twin.events.clear()
    twin.start()
    twin.act(HEAD, c.Action.INITIAL)
    summaries = [summarize(x.state, x.flow) for x in (d, twin)]
    assert summaries[0].title == summaries[1].title and summaries[0].id != summaries[1].id
    card = tasks_card(summaries, DIRECTOR.oid, "nl", TODAY)
    shown = "\n".join(texts(card))
    for summary in summaries:
        assert summary.id in shown
    initiator = summaries[0].initiator.name
    assert shown.count(f"Initiatiefnemer: {initiator}") == 2
    assert shown.count("Termijn") == 2
    english = "\n".join(texts(tasks_card(summaries, DIRECTOR.oid, "en", TODAY)))
    assert f"Initiator: {initiator}" in english


def test_refusals_and_warnings_look_like_one() -> None:
    """An error in attention style, a notice in the tone it is given; never success style
    for a refusal."""
    d = kind_dossier(StageKind.ADVISE)
    refused = task(d, error="Deze actie past niet bij de huidige stap van het dossier.")
    assert styled_texts(refused, "attention") == [
        "Deze actie past niet bij de huidige stap van het dossier."]
    stale = status_card(*view(d), viewer_oid=OUTSIDER.oid, lang="nl", today=TODAY,
                        headline=False, notice="Het is niet jouw beurt.", tone="warning")
    assert styled_texts(stale, "warning") == ["Het is niet jouw beurt."]
    assert styled_texts(stale, "good") == []
    done = task(d, notice="Gelukt", tone="good")
    assert styled_texts(done, "good") == ["Gelukt"]
    failed = error_card("Er is geen dossier ‘X’.", "nl")
    assert styled_texts(failed, "attention") == ["Er is geen dossier ‘X’."]


def test_a_usage_hint_is_not_an_error() -> None:
    from cards import hint_card

    s = strings("nl")
    card = hint_card(s.status_usage_title, s.bot_status_usage, "nl")
    assert s.error_title not in texts(card)
    assert styled_texts(card, "accent") == [s.bot_status_usage]
    assert styled_texts(card, "attention") == []


# ---------------------------------------------------------------------------- signing


def _facts(card: dict[str, Any]) -> dict[str, str]:
    return {f["title"]: f["value"] for n in walk(card) if n.get("type") == "FactSet"
            for f in n["facts"]}


def test_the_sign_task_card_shows_who_signed_who_is_still_to_sign_and_the_signed_pdf() -> None:
    state, d = signed_dossier()
    card = task_card(state, d.flow, timeline(d.events), viewer_oid=MAYOR.oid, lang="nl",
                     today=TODAY, signatures={"besluit - ondertekend.pdf": "valid"})
    assert verbs(card) >= {"sign"}
    shown = _facts(card)
    assert shown["Ondertekend door"] == "Director (laatst 23 nov. 2026 10:15 (CET))"
    assert shown["Controle"] == "geldig (PAdES-B-LTA)"
    assert shown["Nog te ondertekenen"] == "Mayor"
    assert ("Ondertekend document: [besluit - ondertekend.pdf](https://sharepoint.example/"
            "sites/paraaf/D/besluit%20-%20ondertekend.pdf)") in texts(card)
    assert not styled_texts(card, "attention")


@pytest.mark.parametrize(("check", "nl", "en"), [
    ("changed", "GEWIJZIGD na ondertekening", "CHANGED after signing"),
    ("untrusted", "ondertekend met een certificaat dat NIET VERTROUWD wordt",
     "signed with a certificate that is NOT TRUSTED"),
    ("missing", "het ondertekende document ONTBREEKT", "the signed document is MISSING"),
])
def test_a_signed_pdf_that_does_not_check_out_is_said_in_attention_style(
        check: str, nl: str, en: str) -> None:
    state, d = signed_dossier()
    for lang, said, label in (("nl", nl, "Controle"), ("en", en, "Check")):
        card = status_card(state, d.flow, timeline(d.events), viewer_oid=ANNA.oid, lang=lang,
                           today=TODAY, signatures={"besluit - ondertekend.pdf": check})
        assert _facts(card)[label] == said  # no level: only a valid signature has one
        assert styled_texts(card, "attention") == [f"besluit - ondertekend.pdf: {said}"]


def test_without_a_check_the_card_shows_what_was_recorded_and_in_english_too() -> None:
    state, d = signed_dossier()
    card = status_card(state, d.flow, timeline(d.events), viewer_oid=ANNA.oid, lang="en",
                       today=TODAY)
    shown = _facts(card)
    assert shown["Signed by"].startswith("Director (last 23 Nov 2026 10:15")
    assert shown["Still to sign"] == "Mayor" and "Check" not in shown
    assert "Signatures" in texts(card)


def test_a_flow_without_sign_stages_shows_no_signing() -> None:
    d = kind_dossier(StageKind.APPROVE)
    assert "Ondertekening" not in texts(task(d))


def test_a_sign_stage_not_reached_yet_is_still_to_sign() -> None:
    d = kind_dossier(StageKind.SIGN)
    d2 = Dossier(flow=kind_flow(StageKind.SIGN),
                 groups={"voorbereiding": (HEAD,), "hoofdstap": (DIRECTOR, MAYOR)})
    d2.start(bedrag="1")
    shown = _facts(task(d2, HEAD))
    assert shown["Ondertekend door"] == "nog niemand"
    assert shown["Nog te ondertekenen"] == "daarna Hoofdstap sign"
    assert _facts(task(d))["Nog te ondertekenen"] == "Director, Mayor"
