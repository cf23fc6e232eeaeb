"""Every sample card through the official JavaScript renderer (npm ``adaptivecards`` 3.0.6
under jsdom): parsed for version 1.5 with no warning, validated, rendered, its actions
clicked. All cards go through one Node process; ``npm ci`` runs once when needed.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cards_render import node
from tests.cards_render.samples import build_corpus

CORPUS = build_corpus()
NAMES = list(CORPUS)


@pytest.fixture(scope="session")
def renderer() -> None:
    """The renderer's node_modules, installed from the lock file once per session."""
    reason = node.missing_tool()
    if reason is not None:
        pytest.skip(reason)
    node.install()


@pytest.fixture(scope="session")
def rendered(renderer: None) -> dict[str, dict[str, Any]]:
    """The renderer's result for every sample card, by name (one Node process for all)."""
    results = node.render(list(CORPUS.values()))
    return dict(zip(NAMES, results, strict=True))


@pytest.mark.parametrize("name", NAMES)
def test_renderer_parses_validates_and_renders_without_warnings(
    name: str, rendered: dict[str, dict[str, Any]]
) -> None:
    result = rendered[name]
    assert result["events"] == []
    assert result["renderError"] is None
    assert result["rendered"] is True


@pytest.mark.parametrize("name", NAMES)
def test_renderer_sees_a_verb_on_every_execute_action(
    name: str, rendered: dict[str, dict[str, Any]]
) -> None:
    for action in rendered[name]["actions"]:
        assert action["verb"], action
        assert action["title"], action


def _actions(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {action["verb"]: action for action in result["actions"]}


def test_forms_ask_for_their_required_inputs_before_submitting(
    rendered: dict[str, dict[str, Any]]
) -> None:
    actions = _actions(rendered["task/decide/nl"])
    assert actions["decide"]["blocking"] == ["text"]
    assert actions["return"]["blocking"] == ["return_reason"]  # the only target is preselected
    assert actions["reject"]["blocking"] == ["reject_reason"]
    assert actions["delegate"]["blocking"] == ["delegate_reason", "delegate_to"]
    assert _actions(rendered["task/advise/nl"])["advise"]["blocking"] == ["advice"]


def test_one_click_actions_submit_the_card_data(rendered: dict[str, dict[str, Any]]) -> None:
    approve = _actions(rendered["task/approve/en"])["approve"]
    assert approve["blocking"] == []
    assert approve["inputs"] == ["text"]
    assert set(approve["submitted"]) == {"dossier_id", "stage_id", "round", "version"}
    acknowledge = _actions(rendered["task/acknowledge/nl"])["acknowledge"]
    assert acknowledge["inputs"] == []
    assert acknowledge["submitted"] == acknowledge["data"]


def test_typed_values_are_submitted_again_after_an_error(
    rendered: dict[str, dict[str, Any]]
) -> None:
    actions = _actions(rendered["task/error/nl"])
    advise = actions["advise"]["submitted"]
    assert advise["advice"] == "negatief"
    assert advise["text"] == "x" * 4000  # the input holds at most 4000 characters
    assert {"dossier_id", "stage_id", "round", "version"} <= set(advise)
    assert actions["return"]["submitted"]["return_to"] == "voorbereiding"
    assert actions["return"]["submitted"]["return_reason"] == "Te kort"


def test_substitute_submits_on_behalf_of_the_assignee(
    rendered: dict[str, dict[str, Any]]
) -> None:
    actions = _actions(rendered["task/substitute/nl"])
    assert set(actions) == {"approve", "return", "reject", "comment"}
    assert actions["approve"]["submitted"]["on_behalf_of"] == "00000000-0000-4000-8000-000000000006"


def test_only_documents_render_as_links(rendered: dict[str, dict[str, Any]]) -> None:
    links = rendered["task/huge/nl"]["links"]
    assert links and all(link.startswith("https://sharepoint.example/") for link in links)
    assert rendered["task/error/nl"]["links"] == [  # the document field; the typed text not
        "https://sharepoint.example/sites/paraaf/voorstel.docx"]


def test_read_only_cards_render_no_action_but_refresh(
    rendered: dict[str, dict[str, Any]]
) -> None:
    assert rendered["task/approve/non_assignee/nl"]["actions"] == []
    assert rendered["status/not_your_turn/en"]["actions"] == []
    refresh = _actions(rendered["task/many_refresh/nl"])
    assert set(refresh) >= {"refresh"}
    assert refresh["refresh"]["title"] == "Vernieuwen"
