"""Text in a flow file is data too: no control or bidi character in any text of a flow, and a
line break only in a description or instructions. YAML's double-quoted escapes (``\\e``,
``\\x9b``, ``\\u202e``) make every such character, so each one is tried."""

from __future__ import annotations

import pytest

from approvals.errors import FlowValidationError
from approvals.flows.yaml_io import parse_flow
from approvals.text import UNSAFE

FLOW = """\
schema: paraaf/flow/v1
id: melding
version: 1
title: "{title}"
description: "{description}"
fields:
  - name: soort
    type: choice
    label: "{label}"
    options: ["{option}", "Anders"]
stages:
  - id: paraaf
    kind: initial
    title: "{stage}"
    instructions: "{instructions}"
    assignees: [{{user: "{user}"}}]
"""
CLEAN = {"title": "Melding", "description": "Regel een\\nregel twee", "label": "Soort",
         "option": "Klacht", "stage": "Paraaf", "instructions": "Lees\\nen paraf",
         "user": "h.vandijk@voorbeeldstad.nl"}
LINES = {"description", "instructions"}
PATHS = {"title": "title", "description": "description", "label": "fields[0].label",
         "option": "fields[0].options[0]", "stage": "stages[0].title",
         "instructions": "stages[0].instructions", "user": "stages[0].assignees[0].user"}


def _escape(char: str) -> str:
    return f"\\u{ord(char):04x}"


def test_a_clean_flow_with_multi_line_texts_is_valid() -> None:
    flow = parse_flow(FLOW.format(**CLEAN))
    assert flow.description == "Regel een\nregel twee"
    assert flow.steps[0].stages[0].instructions == "Lees\nen paraf"


@pytest.mark.parametrize("char", sorted(UNSAFE - {"\t"}), ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_text_of_a_flow_refuses_control_and_bidi_characters(char: str) -> None:
    values = {key: f"Tekst{_escape(char)}[2J" for key in CLEAN}
    with pytest.raises(FlowValidationError) as caught:
        parse_flow(FLOW.format(**values), "melding.yaml")
    found = {issue.path: issue for issue in caught.value.issues}
    for key, path in PATHS.items():
        if key in LINES and char in "\n\r":
            assert path not in found  # a line break is allowed here
            continue
        assert f"U+{ord(char):04X}" in found[path].message, path
        assert found[path].line is not None
        if key not in LINES and char in "\n\r\x85\u2028\u2029":
            assert "line break" in found[path].message
            assert found[path].hint == "write it on one line"


def test_line_endings_and_tabs_are_normalised() -> None:
    values = {**CLEAN, "description": "een\\r\\ntwee\\rdrie", "title": "Meld\\tpunt"}
    flow = parse_flow(FLOW.format(**values))
    assert (flow.description, flow.title) == ("een\ntwee\ndrie", "Meld punt")
