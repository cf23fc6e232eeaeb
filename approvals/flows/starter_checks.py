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
STARTERS_HINT = "e.g. starters: [{role: beleidsadviseur}, {group: ketenpartners}]"
_KINDS = {"role": AssigneeKind.ROLE, "group": AssigneeKind.GROUP, "user": AssigneeKind.USER}


def check_starters(checker: ValueChecker, node: Node, path: str = "starters") -> Starters:
    """The starters a flow names; every problem is recorded in ``checker`` with its line."""
    items = node.value if isinstance(node.value, list) else None
    if not items:
        shown = "an empty list" if node.value == [] else describe(node)
        message = f"must be a non-empty list of who may start the flow, got {shown}"
        checker.issue(path, node, message,
                      f"{STARTERS_HINT}; leave starters out to let every employee start it")
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
        hint = f"{STARTERS_HINT}; sources are {', '.join(SOURCES)}"
        if isinstance(node.value, str) and "@" in node.value:
            hint = f"write {{user: {node.value}}}"
        message = f"a starter is a mapping with one key, got {describe(node)}"
        if isinstance(node.value, dict):
            message = f"a starter has exactly one key, got {len(node.value)}"
            hint = "write each source as a list item of its own"
        checker.issue(path, node, message, hint)
        return None
    ((source, value),) = node.value.items()
    path = key_path(path, source)
    if source not in SOURCES:
        checker.issue(path, value, f"unknown starter source '{source}'",
                      suggest(source, SOURCES, "sources"))
        return None
    if source == "employees":
        if value.value is not True:
            checker.issue(path, value, f"expected true, got {describe(value)}",
                          "write employees: true, or leave it out")
            return None
        return True
    text = checker.text(value, path)
    if source == "user" and text and "@" not in text:
        checker.issue(path, value, f"expected a user principal name, got '{text}'",
                      "write the sign-in name, e.g. j.jansen@gemeente.nl")
    return AssigneeRule(_KINDS[source], text) if text else None
