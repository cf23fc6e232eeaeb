"""What a card says about the rules: skipped stages and the value they tested, stages nobody
is to act in, and amounts as typed on the start form."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from approvals import commands as c
from approvals.flows.definition import StageKind
from approvals.readmodels import timeline
from cards import start_form_card, status_card
from tests.cards_render.samples import TODAY, kind_flow
from tests.support.domain_kit import ADMIN, ANNA, FINANCE, JURIST, Dossier


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


def texts(card: dict[str, Any]) -> list[str]:
    return [n["text"] for n in _walk(card) if n.get("type") == "TextBlock"]


def facts(card: dict[str, Any]) -> dict[str, str]:
    return {f["title"]: f["value"] for n in _walk(card) if n.get("type") == "FactSet"
            for f in n["facts"]}


def _card(d: Dossier, lang: str = "nl", who: Any = ANNA) -> dict[str, Any]:
    return status_card(d.state, d.flow, timeline(d.events), viewer_oid=who.oid, lang=lang,
                       today=TODAY)


def test_the_card_says_which_value_skipped_a_stage() -> None:
    d = Dossier()
    d.start(bedrag="8.000")
    assert ("Financieel Advies overgeslagen: Bedrag € 8.000,00 is kleiner dan € 10.000,00."
            in texts(_card(d)))
    assert ("Financieel Advies skipped: Bedrag €8,000.00 is less than €10,000.00."
            in texts(_card(d, "en")))


def test_a_skip_on_an_empty_field_says_it_was_not_filled_in() -> None:
    d = Dossier()
    d.flow = replace(d.flow, fields=(replace(d.flow.fields[0], required=False),
                                     *d.flow.fields[1:]))
    d.start(bedrag=None)
    assert "Financieel Advies overgeslagen: Bedrag is niet ingevuld." in texts(_card(d))


def test_the_card_shows_nobody_to_act_in_an_unstaffed_stage() -> None:
    d = Dossier()
    d.groups = {k: v for k, v in d.groups.items() if k != "paraaf"}
    d.start()
    d.act(JURIST, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, c.Action.ADVISE, advice=c.Advice.POSITIEF)
    card = _card(d, who=ADMIN)
    assert facts(card)["Wie is aan zet"] == "niemand aan zet"
    assert ("Paraaf: niemand aan zet. Een beheerder wijst iemand aan met ‘herverdelen’."
            in texts(card))
    assert "Paraaf: nobody to act. An administrator assigns someone with ‘reassign’." in texts(
        _card(d, "en", ADMIN))


def test_the_start_form_keeps_an_amount_as_typed() -> None:
    flow = kind_flow(StageKind.ADVISE)
    card = start_form_card(flow, "nl", values={"field.bedrag": "25,000"}, error="x")
    bedrag = next(n for n in _walk(card) if n.get("id") == "field.bedrag")
    assert (bedrag["type"], bedrag["value"]) == ("Input.Text", "25,000")
