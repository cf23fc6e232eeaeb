"""Every text a command carries is held to the one rule of approvals.text, whatever channel
sent it: a control or bidi character (a line break in a one-line field) is refused with an
error naming the field, and nothing is recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals import commands as c
from approvals.flows.definition import FieldDef, FieldType
from approvals.text import LINE_BREAKS, UNSAFE, UnsafeText
from tests.support.domain_kit import (
    ADMIN,
    ANNA,
    DIRECTOR,
    FINANCE,
    HEAD,
    JURIST,
    MAYOR,
    OUTSIDER,
    Dossier,
)
from tests.support.domain_kit import college_flow as base_flow

A = c.Action
REFUSED = sorted(UNSAFE - {"\t"})  # a TAB becomes a space
REFUSED_IN_LINES = sorted(UNSAFE - {"\t", "\n", "\r"})  # CR and CR LF become LF


def college_flow() -> object:
    flow = base_flow()
    short = FieldDef("kenmerk", FieldType.TEXT, "Kenmerk", max_length=100)  # one line
    return replace(flow, fields=(*flow.fields, short))


def _at_paraaf() -> Dossier:
    d = Dossier(flow=college_flow())  # type: ignore[arg-type]
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF, text="Akkoord")
    d.act(FINANCE, A.ADVISE, advice=c.Advice.NEUTRAAL, text="Dekking is er")
    return d


def _at_decision() -> Dossier:
    d = _at_paraaf()
    d.act(HEAD, A.INITIAL)
    d.act(DIRECTOR, A.APPROVE)
    return d


def _started() -> Dossier:
    d = Dossier(flow=college_flow())  # type: ignore[arg-type]
    d.start()
    return d


def _base(d: Dossier, actor: object) -> dict[str, Any]:
    return {"dossier_id": d.dossier_id, "actor": actor, "command_id": d._id()}


Case = tuple[Callable[[], Dossier], Callable[[Dossier, str], c.Command], str, bool]
# (set-up, command carrying the text, the field named in the error, multi-line?)
CASES: dict[str, Case] = {
    "start title": (
        lambda: Dossier(flow=college_flow()),  # type: ignore[arg-type]
        lambda d, t: c.StartDossier(**_base(d, ANNA), flow_id="collegevoorstel",
                                    title=t, fields={"bedrag": 25000}),
        "title", False),
    "start short text field": (
        lambda: Dossier(flow=college_flow()),  # type: ignore[arg-type]
        lambda d, t: c.StartDossier(**_base(d, ANNA), flow_id="collegevoorstel",
                                    title="Marktplein", fields={"bedrag": 1, "kenmerk": t}),
        "field 'kenmerk' (Kenmerk)", False),
    "start long text field": (
        lambda: Dossier(flow=college_flow()),  # type: ignore[arg-type]
        lambda d, t: c.StartDossier(**_base(d, ANNA), flow_id="collegevoorstel",
                                    title="Marktplein", fields={"bedrag": 1, "toelichting": t}),
        "field 'toelichting' (Toelichting)", True),
    "advice text": (
        _started,
        lambda d, t: c.Act(**_base(d, JURIST), action=A.ADVISE, advice=c.Advice.POSITIEF,
                           text=t),
        "advice text", True),
    "initial text": (
        _at_paraaf, lambda d, t: c.Act(**_base(d, HEAD), action=A.INITIAL, text=t),
        "text", True),
    "decision text": (
        _at_decision, lambda d, t: c.Act(**_base(d, MAYOR), action=A.DECIDE, text=t),
        "decision text", True),
    "return reason": (
        _at_paraaf, lambda d, t: c.Return(**_base(d, HEAD), to_stage="juridisch_advies",
                                          reason=t),
        "reason", True),
    "reject reason": (_at_paraaf, lambda d, t: c.Reject(**_base(d, HEAD), reason=t),
                      "reason", True),
    "withdraw reason": (_at_paraaf, lambda d, t: c.Withdraw(**_base(d, ANNA), reason=t),
                        "reason", True),
    "comment": (_at_paraaf, lambda d, t: c.AddComment(**_base(d, ANNA), text=t),
                "comment", True),
    "delegate reason": (
        _at_paraaf, lambda d, t: c.Delegate(**_base(d, HEAD), to=OUTSIDER, reason=t),
        "reason", True),
    "reassign reason": (
        _at_paraaf, lambda d, t: c.Reassign(**_base(d, ADMIN), stage_id="paraaf",
                                            from_oid=HEAD.oid, to=OUTSIDER, reason=t),
        "reason", True),
    "due date reason": (
        _at_paraaf, lambda d, t: c.ChangeDueDate(**_base(d, ADMIN), stage_id="paraaf",
                                                 due=date(2027, 1, 4), reason=t),
        "reason", True),
    "document name": (
        _at_paraaf, lambda d, t: c.Attach(**_base(d, ANNA), name=t + ".pdf",
                                          uri="https://example.org/a.pdf", sha256="", size=0),
        "document name", False),
    "document link": (
        _at_paraaf, lambda d, t: c.Attach(**_base(d, ANNA), name="Bijlage.pdf",
                                          uri="https://example.org/" + t, sha256="", size=0),
        "document link", False),
}


@pytest.mark.parametrize("case", sorted(CASES))
@settings(max_examples=30, deadline=None)
@given(char=st.sampled_from(REFUSED), before=st.sampled_from(["", "Zie ", "a"]))
def test_every_command_text_refuses_control_and_bidi_characters(
    case: str, char: str, before: str
) -> None:
    setup, command, what, lines = CASES[case]
    d = setup()
    assert d.run(command(d, "Akkoord " + "\t" + "na overleg"))  # the same command, clean
    d = setup()
    recorded = list(d.events)
    text = f"{before}Akkoord{char}[2J na overleg"
    if lines and char not in REFUSED_IN_LINES:
        assert d.run(command(d, text))  # CR becomes LF in a text of several lines
        return
    with pytest.raises(UnsafeText) as refused:
        d.run(command(d, text))
    assert refused.value.refusal in ("text_control_char", "text_bidi_char", "text_line_break",
                                     "text_odd_line_break")
    assert refused.value.message.startswith(f"The {what} ")
    if char in LINE_BREAKS and not lines:
        assert "must be one line" in refused.value.message or "line break" in refused.value.message
    assert d.events == recorded
