"""Dossiers in every state the cards must show, built with the domain kit, and the cards of
every builder for them in both languages: the corpus the card tests validate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from approvals import commands as c
from approvals import event_payloads as ev
from approvals.dossier import DocumentRef, DossierState
from approvals.flows.definition import (
    AssigneeKind,
    AssigneeRule,
    FieldDef,
    FieldType,
    FlowDefinition,
    StageDef,
    StageKind,
    Step,
)
from approvals.identity import Person
from approvals.ports import DocumentComment
from approvals.readmodels import TimelineEntry, summarize, timeline
from approvals.substitutes import Absence
from cards import (
    demo_persona_card,
    error_card,
    help_card,
    start_card,
    start_form_card,
    status_card,
    substitute_card,
    task_card,
    tasks_card,
    unknown_user_card,
)
from tests.support.domain_kit import (
    ADMIN,
    ALDERMAN,
    ANNA,
    DIRECTOR,
    FINANCE,
    HEAD,
    JURIST,
    JURIST2,
    MAYOR,
    OUTSIDER,
    Dossier,
    college_flow,
    person,
)

TODAY = date(2026, 11, 23)
LATER = date(2026, 12, 31)  # every deadline has passed
LANGS = ("nl", "en")
KINDS = tuple(StageKind)
LONG = "Lange tekst met [een link](https://example.org) en nog veel meer woorden. " * 80


def _stage(stage_id: str, kind: StageKind, title: str, **extra: Any) -> StageDef:
    return StageDef(id=stage_id, kind=kind, title=title,
                    assignees=(AssigneeRule(AssigneeKind.GROUP, stage_id),), **extra)


def kind_flow(kind: StageKind) -> FlowDefinition:
    """Voorbereiding (paraaf by Head), then one stage of ``kind`` for Director and Mayor that
    may send back to the voorbereiding; fields of every type."""
    return FlowDefinition(
        id=f"flow_{kind.value}",
        version=2,
        title=f"Raadsinformatiebrief ({kind.value})",
        description="Een stroom om één soort stap te tonen.",
        fields=(
            FieldDef("bedrag", FieldType.MONEY, "Bedrag", required=True),
            FieldDef("aantal", FieldType.NUMBER, "Aantal woningen"),
            FieldDef("ingangsdatum", FieldType.DATE, "Ingangsdatum"),
            FieldDef("portefeuille", FieldType.CHOICE, "Portefeuille",
                     options=("Wonen", "Financiën", "Ruimte")),
            FieldDef("wethouder", FieldType.USER, "Portefeuillehouder"),
            FieldDef("voorstel", FieldType.DOCUMENT, "Voorstel"),
            FieldDef("toelichting", FieldType.TEXT, "Toelichting", max_length=4000),
        ),
        steps=(
            Step("voorbereiding", (_stage("voorbereiding", StageKind.INITIAL,
                                          "Voorbereiding"),)),
            Step("hoofdstap", (_stage("hoofdstap", kind, f"Hoofdstap {kind.value}",
                                      deadline_days=3, return_to=("voorbereiding",)),)),
        ),
    )


def kind_dossier(kind: StageKind) -> Dossier:
    """A dossier whose active stage is of ``kind``, Director and Mayor to act."""
    d = Dossier(flow=kind_flow(kind),
                groups={"voorbereiding": (HEAD,), "hoofdstap": (DIRECTOR, MAYOR)})
    d.start(bedrag="12500.50", aantal=1200, ingangsdatum="2027-01-01",
            portefeuille="Wonen", wethouder="alderman@voorbeeldstad.nl",
            voorstel="https://sharepoint.example/sites/paraaf/voorstel.docx",
            toelichting="Korte toelichting")
    d.act(HEAD, c.Action.INITIAL, text="Akkoord, mits de raad wordt geïnformeerd.")
    return d


def signed_dossier() -> tuple[DossierState, Dossier]:
    """The sign stage of :func:`kind_dossier` with Director's signature on the decision
    (the DocumentSigned the sign stage records, folded in), Mayor still to sign."""
    d = kind_dossier(StageKind.SIGN)
    d.act(DIRECTOR, c.Action.SIGN)
    uri = "https://sharepoint.example/sites/paraaf/D/besluit%20-%20ondertekend.pdf"
    signed = ev.DocumentSigned(
        stage="hoofdstap", round=1, slot=DIRECTOR.oid, source="besluit.docx",
        source_sha256="a" * 64, name="besluit - ondertekend.pdf", uri=uri, version="1",
        size=48_213, sha256_before="b" * 64, sha256="c" * 64, signers=(DIRECTOR,),
        signed_at="2026-11-23T09:15:00Z", provider="pades", level="PAdES-B-LTA",
        evidence="besluit - ondertekend.pdf.bewijs.json", evidence_sha256="d" * 64)
    ref = DocumentRef(name=signed.name, uri=uri, sha256=signed.sha256, size=signed.size,
                      version="1", added_by=DIRECTOR, at=signed.signed_at)
    state = replace(d.state, signings=(signed,), documents=(*d.state.documents, ref))
    return state, d


def _cmd(d: Dossier, kind: type[c.Command], actor: Person, **kw: Any) -> None:
    d.run(kind(dossier_id=d.dossier_id, actor=actor, command_id=d._id(), **kw))


def returned_dossier() -> tuple[Dossier, TimelineEntry]:
    """College flow: advice given, paraaf sends it back to juridisch advies (round 2)."""
    d = Dossier()
    d.start(toelichting="Herinrichting met extra groen.")
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF, text="Juridisch haalbaar.")
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.NEGATIEF, text="Dekking ontbreekt.")
    _cmd(d, c.Return, HEAD, to_stage="juridisch_advies", reason="Graag de aanbesteding toetsen.")
    event = next(e for e in timeline(d.events) if e.type == "DossierReturned")
    return d, event


def completed_dossier() -> Dossier:
    d = Dossier()
    d.start(bedrag=5000)  # below 10000: no financial advice
    d.act(JURIST2, c.Action.ADVISE, advice=c.Advice.NEUTRAAL, text="Geen bezwaren.")
    d.act(HEAD, c.Action.INITIAL)
    d.act(DIRECTOR, c.Action.APPROVE)
    d.act(MAYOR, c.Action.DECIDE, text="Het college besluit het plein opnieuw in te richten.")
    return d


def rejected_dossier() -> Dossier:
    d = Dossier()
    d.start(bedrag=5000)
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.NEGATIEF, text="Strijdig met beleid.")
    _cmd(d, c.Reject, HEAD, reason="Past niet binnen het coalitieakkoord.")
    return d


def withdrawn_dossier() -> Dossier:
    d = Dossier()
    d.start()
    _cmd(d, c.Withdraw, ANNA, reason="Het voorstel is ingehaald door nieuw beleid.")
    return d


def delegated_dossier() -> Dossier:
    """Initial stage; Director delegated the main stage to Outsider."""
    d = kind_dossier(StageKind.APPROVE)
    _cmd(d, c.Delegate, DIRECTOR, to=OUTSIDER, reason="Met vakantie")
    return d


def huge_flow() -> FlowDefinition:
    """The college flow with 60 long text fields."""
    flow = college_flow()
    extra = tuple(FieldDef(f"veld{i}", FieldType.TEXT, f"Veld {i} " + "met een lang label " * 5,
                           max_length=10_000) for i in range(60))
    long_text = FieldDef("toelichting", FieldType.TEXT, "Toelichting", max_length=10_000)
    return replace(flow, fields=(flow.fields[0], long_text, *extra))


def huge_dossier() -> Dossier:
    """100+ timeline steps, long texts everywhere, many documents and fields."""
    d = Dossier(flow=huge_flow())
    fields: dict[str, Any] = {f"veld{i}": LONG[:9000] for i in range(60)}
    d.start(toelichting=LONG[:9000], **fields)
    for i in range(40):
        _cmd(d, c.Attach, ANNA, name=f"Bijlage {i} {'met een hele lange naam ' * 8}.docx",
             uri=f"https://sharepoint.example/sites/paraaf/{'map/' * 40}bijlage-{i}.docx",
             sha256="ab" * 32, size=1000 + i)
    for i in range(100):
        _cmd(d, c.AddComment, JURIST if i % 2 else ANNA, text=f"{i}: {LONG}"[:4000])
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF, text=LONG[:4000])
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.NEUTRAAL, text=LONG[:4000])
    for round_no in range(3):
        _cmd(d, c.Return, HEAD, to_stage="juridisch_advies", reason=LONG[:2000])
        d.act(JURIST2, c.Action.ADVISE, advice=c.Advice.NEGATIEF,
              text=f"ronde {round_no + 2}: {LONG}"[:4000])
    return d


def document_comments() -> list[DocumentComment]:
    """Comments by two authors in two Word documents, as the document stores read them."""
    return [
        DocumentComment("Advies jurist.docx", "Evi de Wit (Ketenpartner)",
                        "2026-11-24T13:40:00Z", "Juridisch houdbaar, mits geoormerkt.",
                        "De opbrengst komt ten goede aan het openbaar vervoer."),
        DocumentComment("Raadsvoorstel parkeerbeleid.docx", "Ans Claes", "2026-11-23T09:15:00Z",
                        "Graag onderbouwen waarom 10% en niet 5%.\nZie [de APV](https://x.example).",
                        "Het college besluit de parkeertarieven in de binnenstad met 10% te "
                        "verhogen, zodat de parkeerdruk afneemt, de opbrengst stijgt en de "
                        "bewoners van de omliggende wijken minder overlast ervaren."),
        DocumentComment("Raadsvoorstel parkeerbeleid.docx", "", "", "Zonder auteur en datum.", ""),
    ]


def many_comments() -> list[DocumentComment]:
    return [DocumentComment(f"Bijlage {i % 7}.docx", f"Adviseur {i}", "2026-11-23T09:15:00Z",
                            LONG[:4000], LONG[:1000]) for i in range(60)]


@dataclass
class Corpus:
    """Named cards, in order, with what each was built for."""

    cards: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, build: Callable[[], dict[str, Any]]) -> None:
        assert name not in self.cards, name
        self.cards[name] = build()


def view(d: Dossier) -> tuple[DossierState, FlowDefinition, list[TimelineEntry]]:
    return d.state, d.flow, timeline(d.events)


def _task(d: Dossier, who: Person, lang: str, **kw: Any) -> dict[str, Any]:
    state, flow, entries = view(d)
    kw.setdefault("today", TODAY)
    return task_card(state, flow, entries, viewer_oid=who.oid, lang=lang, **kw)


def _status(d: Dossier, who: Person, lang: str, **kw: Any) -> dict[str, Any]:
    state, flow, entries = view(d)
    kw.setdefault("today", TODAY)
    return status_card(state, flow, entries, viewer_oid=who.oid, lang=lang, **kw)


def _dossier_cards(corpus: Corpus, lang: str) -> None:
    ids = [DIRECTOR.oid, MAYOR.oid]
    for kind in KINDS:
        d = kind_dossier(kind)
        corpus.add(f"task/{kind.value}/{lang}",
                   partial(_task, d, DIRECTOR, lang, refresh_user_ids=ids))
        corpus.add(f"task/{kind.value}/overdue/{lang}",
                   partial(_task, d, MAYOR, lang, refresh_user_ids=ids, today=LATER))
        corpus.add(f"task/{kind.value}/non_assignee/{lang}",
                   partial(_task, d, OUTSIDER, lang, refresh_user_ids=ids))
    d = delegated_dossier()
    corpus.add(f"task/substitute/{lang}", lambda: _task(d, OUTSIDER, lang))
    d = kind_dossier(StageKind.ADVISE)
    typed = {"advice": "negatief", "text": "x" * 5000, "return_to": "voorbereiding",
             "return_reason": "Te kort", "delegate_to": "piet@voorbeeldstad.nl"}
    error = "Geef een reden op (maximaal 2000 tekens)."
    corpus.add(f"task/error/{lang}", lambda: _task(d, DIRECTOR, lang, error=error,
                                                   values=typed))
    corpus.add(f"task/notice/{lang}", lambda: _task(
        d, DIRECTOR, lang, notice="De dossierstatus is gewijzigd; dit is de actuele stand."))
    many = [person(f"Lid{i}", 100 + i).oid for i in range(61)]
    corpus.add(f"task/many_refresh/{lang}",
               lambda: _task(d, DIRECTOR, lang, refresh_user_ids=many,
                             open_url="https://teams.example/l/entity/paraaf"))
    returned, event = returned_dossier()
    corpus.add(f"task/returned_round2/{lang}", lambda: _task(returned, JURIST, lang))
    corpus.add(f"status/returned/{lang}",
               lambda: _status(returned, ANNA, lang, event=event,
                               refresh_user_ids=[JURIST.oid, JURIST2.oid]))
    corpus.add(f"status/not_your_turn/{lang}",
               lambda: _status(returned, OUTSIDER, lang, headline=False,
                               notice="Het is niet jouw beurt in dit dossier."))
    for name, closed in (("completed", completed_dossier()), ("rejected", rejected_dossier()),
                         ("withdrawn", withdrawn_dossier())):
        corpus.add(f"status/{name}/{lang}", partial(_status, closed, ANNA, lang))
        corpus.add(f"task/{name}/{lang}", partial(_task, closed, MAYOR, lang))
    signing, sd = signed_dossier()
    for check in ("valid", "changed", "untrusted", "missing"):
        corpus.add(f"task/signed/{check}/{lang}", partial(
            task_card, signing, sd.flow, timeline(sd.events), viewer_oid=MAYOR.oid,
            lang=lang, today=TODAY, signatures={"besluit - ondertekend.pdf": check}))
    corpus.add(f"status/signed/{lang}", partial(
        status_card, signing, sd.flow, timeline(sd.events), viewer_oid=ANNA.oid, lang=lang,
        today=TODAY))
    remarks = document_comments()
    corpus.add(f"task/comments/{lang}", lambda: _task(d, DIRECTOR, lang, comments=remarks))
    corpus.add(f"status/comments/{lang}",
               lambda: _status(returned, ANNA, lang, comments=remarks))
    big = huge_dossier()
    corpus.add(f"task/huge_comments/{lang}",
               lambda: _task(big, HEAD, lang, comments=many_comments()))
    corpus.add(f"task/huge/{lang}", lambda: _task(big, HEAD, lang, refresh_user_ids=many[:60],
                                                  error=LONG, values=typed))
    corpus.add(f"status/huge/{lang}", lambda: _status(big, ANNA, lang, notice=LONG))


def _other_cards(corpus: Corpus, lang: str) -> None:
    summaries = [summarize(*view(kind_dossier(kind))[:2]) for kind in KINDS]
    returned, _ = returned_dossier()
    summaries.append(summarize(returned.state, returned.flow))
    corpus.add(f"tasks/none/{lang}", lambda: tasks_card([], DIRECTOR.oid, lang, TODAY))
    corpus.add(f"tasks/some/{lang}", lambda: tasks_card(summaries, DIRECTOR.oid, lang, LATER))
    corpus.add(f"tasks/many/{lang}",
               lambda: tasks_card(summaries * 4, DIRECTOR.oid, lang, TODAY))
    flows = [kind_flow(kind) for kind in KINDS] + [Dossier().flow]
    corpus.add(f"start/none/{lang}", lambda: start_card([], lang))
    corpus.add(f"start/flows/{lang}", lambda: start_card(flows, lang))
    corpus.add(f"start/one/{lang}", lambda: start_card(flows[:1], lang, error="Kies een stroom."))
    corpus.add(f"start_form/{lang}", lambda: start_form_card(flows[0], lang))
    values = {"title": "Nieuwe woonwijk", "field.bedrag": "12.500,50", "field.aantal": 3,
              "field.ingangsdatum": "2027-01-01", "field.portefeuille": "Ruimte",
              "field.wethouder": "alderman@voorbeeldstad.nl", "documents": "https://x.example/a"}
    corpus.add(f"start_form/error/{lang}",
               lambda: start_form_card(flows[0], lang, values=values, error="Bedrag ontbreekt."))
    corpus.add(f"start_form/college/{lang}", lambda: start_form_card(flows[-1], lang))
    big = huge_flow()
    typed = {f"field.veld{i}": LONG[:9000] for i in range(60)}
    corpus.add(f"start_form/huge/{lang}", lambda: start_form_card(big, lang, values=typed))
    options = tuple(f"optie {n}" for n in range(20))
    monster = replace(big, fields=tuple(
        FieldDef(f"v{i}", FieldType.CHOICE, f"Keuze {i}", options=options) for i in range(300)))
    corpus.add(f"start_form/too_large/{lang}", lambda: start_form_card(monster, lang))
    corpus.add(f"help/{lang}", lambda: help_card(lang))
    corpus.add(f"unknown_user/{lang}", lambda: unknown_user_card(lang))
    corpus.add(f"error/{lang}", lambda: error_card("Dit dossier bestaat niet.", lang))
    corpus.add(f"demo_persona/{lang}", lambda: demo_persona_card("Eva van Leeuwen", lang))
    corpus.add(f"demo_persona_off/{lang}", lambda: demo_persona_card(None, lang))
    away = Absence("a1", HEAD, DIRECTOR, date(2026, 12, 1), date(2026, 12, 14), "vakantie",
                   ADMIN, "2026-11-30T08:00:00Z")
    corpus.add(f"substitute/{lang}", lambda: substitute_card([away], lang, notice="Vervanger"))
    corpus.add(f"substitute/none/{lang}", lambda: substitute_card([], lang))
    corpus.add(f"substitute/error/{lang}",
               lambda: substitute_card([], lang, error="‘morgen’ is geen datum."))


def build_corpus() -> dict[str, dict[str, Any]]:
    """Every sample card by name, e.g. ``task/advise/nl`` or ``status/rejected/en``."""
    corpus = Corpus()
    for lang in LANGS:
        _dossier_cards(corpus, lang)
        _other_cards(corpus, lang)
    return corpus.cards


__all__ = ["ALDERMAN", "JURIST2", "build_corpus"]
