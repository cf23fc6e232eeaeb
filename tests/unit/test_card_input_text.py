"""Card data is held to the text rule of approvals.text before anything is decided: the error
names the input, so the card can point at it (and say which character, in nl and en)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals.text import UNSAFE, describe
from bot.teams.card_input import MULTI_LINE, CardInputError, parse_start, parse_task
from bot.teams.invoke import input_message

TASK = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
        "advice": "positief", "text": "Akkoord", "return_to": "juridisch_advies",
        "return_reason": "Aanvullen", "reject_reason": "Nee", "comment": "Opmerking",
        "delegate_to": "h.vandijk@voorbeeldstad.nl", "delegate_reason": "Vakantie"}
VERB = {"text": "advise", "advice": "advise", "return_to": "return",
        "return_reason": "return", "reject_reason": "reject", "comment": "comment",
        "delegate_to": "delegate", "delegate_reason": "delegate"}
START = {"flow_id": "melding", "flow_version": 1, "title": "Melding",
         "field.onderwerp": "Parkeren", "documents": "https://example.org/a.docx"}

refused = st.sampled_from(sorted(UNSAFE - {"\t", "\n", "\r"}))
line_breaks = st.sampled_from(["\n", "\r", "\x85", "\u2028", "\u2029"])


def _refusal(call: Any) -> CardInputError:
    with pytest.raises(CardInputError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize("key", sorted(VERB))
@given(char=refused)
def test_each_task_input_refuses_control_and_bidi_characters(key: str, char: str) -> None:
    error = _refusal(lambda: parse_task(VERB[key], {**TASK, key: f"{TASK[key]}{char}x"}))
    assert (error.field, error.char) == (key, describe(char))
    assert describe(char) in input_message(error, "nl")
    assert "bevat een stuurteken" in input_message(error, "nl")
    assert "contains a control character" in input_message(error, "en")


@pytest.mark.parametrize("key", sorted(VERB))
@given(char=line_breaks)
def test_only_the_multi_line_task_inputs_take_line_breaks(key: str, char: str) -> None:
    data = {**TASK, key: f"{TASK[key]}{char}x"}
    if key in MULTI_LINE and char in "\n\r":
        parse_task(VERB[key], data)
        return
    assert _refusal(lambda: parse_task(VERB[key], data)).field == key


@pytest.mark.parametrize("key", ["title", "field.onderwerp", "documents"])
@given(char=refused)
def test_each_start_input_refuses_control_and_bidi_characters(key: str, char: str) -> None:
    error = _refusal(lambda: parse_start({**START, key: f"{START[key]}{char}x"}, {"onderwerp"}))
    assert (error.field, error.char) == (key, describe(char))


def test_a_title_is_one_line() -> None:
    error = _refusal(lambda: parse_start({**START, "title": "Melding\nparaaf: ok"},
                                         {"onderwerp"}))
    assert (error.field, error.char) == ("title", "U+000A LF")
    assert "‘Titel’" in input_message(error, "nl")
