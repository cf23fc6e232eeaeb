"""Checks of a flow's ``starters``: who may start a dossier on it.

::

    starters:
      - employees: true                  # every employee of the tenant (not guests)
      - role: beleidsadviseur
      - group: ketenpartners             # guests in it may start too: the flow says so
      - user: j.jansen@voorbeeldstad.nl

Without ``starters`` every employee of the tenant may start the flow, and no guest.
"""

from __future__ import annotations

from approvals.flows.definition import AssigneeKind, AssigneeRule, Starters
from approvals.flows.nodes import Node, index_path, key_path
from approvals.flows.value_checks import ValueChecker, describe, suggest

SOURCES = ("employees", "role", "group", "user")
_KINDS = {"role": AssigneeKind.ROLE, "group": AssigneeKind.GROUP, "user": AssigneeKind.USER}


def check_starters(checker: ValueChecker, node: Node, path: str = "starters") -> Starters:
    """The starters a flow names; every problem is recorded in ``checker`` with its line."""
    items = node.value if isinstance(node.value, list) else None
    if not items:
        got = describe(node)
        if node.value == []:
            got["got"] = "empty_list"
        checker.issue(path, node, "starters_empty", "starters", **got)
        return Starters()
    employees = False
    rules: list[AssigneeRule] = []
    for index, item in enumerate(items):
        found = _starter(checker, item, index_path(path, index))
        if found is True:
            employees = True
        elif isinstance(found, AssigneeRule):
            rules.append(found)
    return Starters(employees=employees, rules=tuple(rules))


def _starter(checker: ValueChecker, node: Node, path: str) -> AssigneeRule | bool | None:
    if not isinstance(node.value, dict) or len(node.value) != 1:
        hint = "starter_sources"
        if isinstance(node.value, str) and "@" in node.value:
            hint = "write_user"
        code = "starter_not_mapping"
        if isinstance(node.value, dict):
            code, hint = "starter_keys", "one_source"
        checker.issue(path, node, code, hint, sources=", ".join(SOURCES), value=str(node.value),
                      count=len(node.value) if isinstance(node.value, dict) else 0,
                      **describe(node))
        return None
    ((source, value),) = node.value.items()
    path = key_path(path, source)
    if source not in SOURCES:
        hint, params = suggest(source, SOURCES, "sources")
        checker.issue(path, value, "unknown_starter_source", hint, source=source, **params)
        return None
    if source == "employees":
        if value.value is not True:
            checker.issue(path, value, "expected_true", "employees_true", **describe(value))
            return None
        return True
    text = checker.text(value, path)
    if source == "user" and text and "@" not in text:
        checker.issue(path, value, "not_upn", "upn", value=text)
    return AssigneeRule(_KINDS[source], text) if text else None
