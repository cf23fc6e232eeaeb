"""A flow's ``starters``: read, checked and written back."""

from __future__ import annotations

from approvals.flows.definition import AssigneeKind, AssigneeRule, Starters
from approvals.flows.yaml_io import dump_flow, parse_flow

BASE = """schema: paraaf/flow/v1
id: subsidie
version: 1
title: Subsidie
{starters}stages:
  - id: advies
    kind: advise
    assignees:
      - group: juristen
"""


def test_without_starters_every_employee_may_start() -> None:
    flow = parse_flow(BASE.format(starters=""))
    assert flow.starters == Starters(employees=True, rules=())
    assert "starters" not in dump_flow(flow)


def test_named_starters_are_read_and_written_back() -> None:
    text = BASE.format(starters=(
        "starters:\n  - employees: true\n  - role: beleidsadviseur\n  - group: ketenpartners\n"
        "  - user: j.jansen@voorbeeldstad.nl\n"))
    flow = parse_flow(text)
    assert flow.starters == Starters(employees=True, rules=(
        AssigneeRule(AssigneeKind.ROLE, "beleidsadviseur"),
        AssigneeRule(AssigneeKind.GROUP, "ketenpartners"),
        AssigneeRule(AssigneeKind.USER, "j.jansen@voorbeeldstad.nl"),
    ))
    assert parse_flow(dump_flow(flow)) == flow


def test_naming_starters_leaves_out_the_other_employees() -> None:
    flow = parse_flow(BASE.format(starters="starters:\n  - group: ketenpartners\n"))
    assert flow.starters.employees is False
    assert parse_flow(dump_flow(flow)) == flow
