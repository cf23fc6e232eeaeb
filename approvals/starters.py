"""Who may start a dossier on a flow (the flow's ``starters``), asked of the directory."""

from __future__ import annotations

from approvals.flows.definition import AssigneeKind, FlowDefinition
from approvals.identity import Person
from approvals.ports import Directory


async def may_start(flow: FlowDefinition, person: Person, directory: Directory) -> bool:
    """Whether the person may start a dossier on this flow.

    Every employee of the tenant may when the flow says ``employees`` (the default); a guest
    only when a rule names them, their group or their role.
    """
    starters = flow.starters
    if starters.employees and not await directory.is_guest(person.oid):
        return True
    for rule in starters.rules:
        if rule.kind is AssigneeKind.USER:
            named = await directory.user(rule.value)
            people = [] if named is None else [named]
        elif rule.kind is AssigneeKind.GROUP:
            people = list(await directory.group_members(rule.value))
        else:
            people = list(await directory.role_members(rule.value))
        if any(p.oid == person.oid for p in people):
            return True
    return False
