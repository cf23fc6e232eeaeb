"""The card data contract: every input id and verb a card renders is one the bot's card input
parses, and the other way round; what a card submits, filled in, is accepted as it is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from approvals.flows.definition import StageKind
from bot.teams.card_input import CardInputError, parse_start, parse_task
from cards import contract as k
from cards import start_form_card
from tests.cards_render.samples import build_corpus, kind_flow

CORPUS = build_corpus()
TASK_CARDS = {name: card for name, card in CORPUS.items() if name.startswith("task/")}


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _inputs(node: Any) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in _walk(node) if str(n.get("type", "")).startswith("Input.")}


def _task_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The task actions of a card: the Action.Execute buttons that name a stage (not the
    button that shows the card again)."""
    return [n for n in _walk([card.get("body", []), card.get("actions", [])])
            if n.get("type") == "Action.Execute" and k.STAGE_ID in n.get("data", {})
            and n["verb"] not in k.VIEW_VERBS]


def _filled(node: dict[str, Any]) -> str:
    """A value a user could give the input."""
    if node["type"] == "Input.ChoiceSet":
        return str(node["choices"][0]["value"])
    if node["type"] == "Input.Date":
        return "2027-01-01"
    if node.get("style") == "email":
        return "j.visser@voorbeeldstad.nl"
    if node["id"] == k.DOCUMENTS:
        return "https://sharepoint.example/sites/paraaf/voorstel.docx"
    return "12.500"


def _submission(action: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """What Teams posts for an action: its data and every input of the card it is on."""
    return {**{key: _filled(node) for key, node in _inputs(form).items()}, **action["data"]}


def test_the_task_cards_render_exactly_the_inputs_and_verbs_the_bot_parses() -> None:
    rendered_inputs = {key for card in TASK_CARDS.values() for key in _inputs(card)}
    rendered_verbs = {a["verb"] for card in TASK_CARDS.values() for a in _task_actions(card)}
    assert rendered_inputs == k.TASK_INPUTS
    assert rendered_verbs == k.TASK_VERBS
    assert {kind.value for kind in StageKind} <= k.TASK_VERBS


def test_the_verbs_that_only_show_a_card_are_the_ones_the_bot_answers_with_a_card() -> None:
    from bot.teams.app import VIEW_VERBS

    assert VIEW_VERBS == k.VIEW_VERBS
    assert not k.VIEW_VERBS & k.TASK_VERBS
    shown = {a["verb"] for card in CORPUS.values()
             for a in _walk([card.get("body", []), card.get("actions", [])])
             if a.get("type") == "Action.Execute"}
    assert shown <= k.TASK_VERBS | k.VIEW_VERBS | {k.START}


def test_every_task_action_carries_only_context_keys_and_its_card_limits_fit_the_bot() -> None:
    for name, card in TASK_CARDS.items():
        for action in _task_actions(card):
            assert set(action["data"]) <= k.CONTEXT_KEYS - {k.VERB}, name
            assert set(action["fallback"]["data"]) <= k.CONTEXT_KEYS, name
        for key, node in _inputs(card).items():
            if "maxLength" in node:
                assert node["maxLength"] <= k.TASK_LIMITS[key], (name, key)
            assert node.get("isMultiline", False) == (key in k.MULTI_LINE), (name, key)


@pytest.mark.parametrize("name", sorted(TASK_CARDS))
def test_what_a_task_card_submits_filled_in_is_accepted(name: str) -> None:
    card = TASK_CARDS[name]
    for action in _task_actions(card):
        checked = parse_task(action["verb"], _submission(action, card))
        assert checked.verb == action["verb"]
        assert checked.dossier_id == action["data"][k.DOSSIER_ID]
        assert set(checked.values) == set(k.TASK_LIMITS)


def test_a_key_outside_the_contract_is_refused() -> None:
    card = TASK_CARDS["task/advise/nl"]
    action = _task_actions(card)[0]
    with pytest.raises(CardInputError, match="unexpected field 'extra'"):
        parse_task(action["verb"], {**_submission(action, card), "extra": "x"})


def test_the_start_form_renders_exactly_the_inputs_parse_start_reads() -> None:
    flow = kind_flow(StageKind.ADVISE)
    card = start_form_card(flow, "nl")
    (action,) = [n for n in _walk(card.get("actions", [])) if n.get("type") == "Action.Execute"]
    assert action["verb"] == k.START
    names = {f.name for f in flow.fields}
    assert set(_inputs(card)) == {k.TITLE, k.DOCUMENTS} | {k.field_key(n) for n in names}
    assert set(_inputs(card)) | set(action["data"]) | {k.VERB} == (
        set(k.START_KEYS) | {k.field_key(n) for n in names})
    for key in (k.TITLE, k.DOCUMENTS):
        assert _inputs(card)[key]["maxLength"] <= k.START_LIMITS[key]
    checked = parse_start(_submission(action, card), names)
    assert (checked.flow_id, checked.flow_version) == (flow.id, flow.version)
    assert set(checked.fields) == names
    assert checked.documents == ["https://sharepoint.example/sites/paraaf/voorstel.docx"]
