"""`paraaf flow validate` says what is wrong with a flow in PARAAF_LANGUAGE: Dutch by
default, English on request; --json keeps the codes, the English and the parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import Cli

BAD_FLOWS = Path(__file__).parents[1] / "data" / "bad_flows"


@pytest.mark.usefixtures("dutch")
@pytest.mark.parametrize(("name", "expected"), [
    ("unknown_stage_key", "unknown_stage_key.yaml:11: stages[0].deadline: onbekende sleutel "
     "'deadline' (bedoel je 'deadline_days'? toegestane sleutels zijn id, kind, title,"),
    ("return_to_unknown_stage", "return_to_unknown_stage.yaml:14: stages[1].return_to[0]: "
     "onbekende fase 'juridisch' (bedoel je 'juridisch_advies'? fasen van eerdere stappen: "
     "juridisch_advies)"),
    ("tab_indentation", "(spring in met spaties, niet met tabs)"),
    ("starters_empty", "starters: moet een lijst zijn van wie de processtroom mag starten, "
     "niet een lege lijst (bijvoorbeeld starters:"),
    ("quorum_zero", "moet minstens 1 zijn, niet 0"),
    ("empty", "empty.yaml:1: de processtroom is leeg (begin met: schema: paraaf/flow/v1)"),
])
def test_flow_validate_says_the_problem_in_dutch_by_default(cli: Cli, name: str,
                                                            expected: str) -> None:
    assert cli("flow", "validate", str(BAD_FLOWS / f"{name}.yaml")) == 2
    assert expected in cli.err


def test_flow_validate_says_the_problem_in_english_on_request(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    assert cli("flow", "validate", str(BAD_FLOWS / "return_to_unknown_stage.yaml")) == 2
    assert ("return_to_unknown_stage.yaml:14: stages[1].return_to[0]: unknown stage "
            "'juridisch' (did you mean 'juridisch_advies'? stages of earlier steps: "
            "juridisch_advies)") in cli.err


@pytest.mark.usefixtures("dutch")
def test_every_bad_flow_is_reported_in_dutch(cli: Cli) -> None:
    english = ("unknown", "missing required", "expected", "must be", "did you mean",
               "not valid YAML", "is named twice")
    for path in sorted(BAD_FLOWS.glob("*.yaml")):
        assert cli("flow", "validate", str(path)) == 2, path.name
        assert cli.err.startswith(f"paraaf: {path}:"), cli.err
        said = cli.err.split(".yaml:", 1)[1]
        if "geen geldige YAML: " in said:  # the YAML reader's own detail, then our hint
            said = said.rsplit(" (", 1)[1]
        assert not [word for word in english if word in said], (path.name, cli.err)


@pytest.mark.usefixtures("dutch")
def test_flow_validate_json_keeps_codes_english_and_parameters(cli: Cli) -> None:
    error = cli.json_any("flow", "validate", str(BAD_FLOWS / "quorum_zero.yaml"))["error"]
    assert error["code"] == "flow_invalid"
    (issue,) = error["issues"]
    assert issue["code"] == "too_small"
    assert issue["hint_code"] == "quorum"
    assert issue["params"] == {"low": 1, "value": 0}
    assert issue["message"] == "must be at least 1, got 0"
    assert issue["hint"] == "e.g. completion: {quorum: 2}"
    assert "must be at least 1, got 0" in error["message"]


@pytest.mark.usefixtures("dutch")
def test_the_allow_initiator_warning_is_dutch(cli: Cli, tmp_path: Path) -> None:
    flow = tmp_path / "zelf.yaml"
    flow.write_text("schema: paraaf/flow/v1\nid: zelf\nversion: 1\ntitle: Zelf\nstages:\n"
                    "  - id: besluit\n    kind: decide\n    assignees: [{initiator: true}]\n"
                    "    allow_initiator: true\n", "utf-8")
    assert cli("flow", "validate", str(flow)) == 0
    assert ("zelf.yaml:9: stages[0].allow_initiator: het vier-ogenprincipe staat uit voor "
            "deze fase") in cli.out
    data = cli.json("flow", "validate", str(flow))
    assert data["warnings"][0]["code"] == "four_eyes_off"
    assert data["warnings"][0]["message"].startswith("four eyes is off")
