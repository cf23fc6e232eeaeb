"""``paraaf provision``: create or upgrade the site's lists to the shape of :mod:`graph.schema`.

It compares what the site has with ``ALL_LISTS`` and adds what is missing: lists (with their
columns), columns, indexes and unique-value rules, choice values. It never deletes or renames
a list, a column, a choice or an item, and it leaves extra columns alone, so running it again,
or on a site that a newer version upgraded, changes nothing. What it cannot repair (a column
of another type, a list of another kind, duplicates in a column that must be unique) is
reported as a :class:`Problem`, and nothing is done to that column.

Reads: one request for every list with its columns. Writes: one per change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from graph.rest import Graph, GraphError
from graph.schema import ALL_LISTS, Column, ListSpec

CREATE_LIST, ADD_COLUMN, INDEX_COLUMN, ADD_CHOICES = (
    "create_list", "add_column", "index_column", "add_choices")


@dataclass(frozen=True)
class Change:
    """One thing provisioning adds."""

    action: str
    list: str
    column: str = ""
    detail: str = ""
    list_id: str = field(default="", compare=False)
    column_id: str = field(default="", compare=False)
    body: Any = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, str]:
        return {"action": self.action, "list": self.list, "column": self.column,
                "detail": self.detail}


@dataclass(frozen=True)
class Problem:
    """Something on the site that provisioning cannot put right without losing data."""

    list: str
    column: str
    message: str
    # which problem (column_type, list_template, not_indexed) and its values, so the
    # command line can say it in its own language; ``message`` says it in English
    code: str = field(default="", compare=False)
    values: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, str]:
        return {"list": self.list, "column": self.column, "message": self.message}


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- comparing ---------------------------------------------------------------------------------


def _kind(column: dict[str, Any]) -> str:
    """Our column kind of a Graph columnDefinition (or "other")."""
    if isinstance(column.get("text"), dict):
        return "note" if column["text"].get("allowMultipleLines") else "text"
    for facet, kind in (("number", "number"), ("dateTime", "datetime"), ("boolean", "boolean"),
                        ("choice", "choice")):
        if isinstance(column.get(facet), dict):
            return kind
    return "other"


def _kind_name(kind: str) -> str:
    return {"text": "single line of text", "note": "multiple lines of text", "number": "number",
            "datetime": "date and time", "boolean": "yes/no", "choice": "choice"}.get(kind, kind)


def _flags(column: Column) -> str:
    return "indexed, unique values" if column.unique else "indexed"


def _column_changes(spec: ListSpec, found: dict[str, Any], plan: Plan) -> None:
    list_id = str(found["id"])
    existing = {str(c.get("name", "")).casefold(): c for c in found.get("columns") or []}
    for column in spec.columns:
        current = existing.get(column.name.casefold())
        if current is None:
            plan.changes.append(Change(ADD_COLUMN, spec.title, column.name,
                                       _kind_name(column.kind) + (
                                           f", {_flags(column)}" if column.indexed
                                           or column.unique else ""),
                                       list_id, body=column.definition()))
            continue
        kind = _kind(current)
        if kind != column.kind:
            plan.problems.append(Problem(
                spec.title, column.name,
                f"is a column of type {_kind_name(kind)}; paraaf needs "
                f"{_kind_name(column.kind)}. Rename or remove that column, then provision "
                "again.", "column_type", (kind, column.kind)))
            continue
        column_id = str(current.get("id") or column.name)
        want_index = (column.indexed or column.unique) and not current.get("indexed")
        want_unique = column.unique and not current.get("enforceUniqueValues")
        if want_index or want_unique:
            body: dict[str, Any] = {"indexed": True}
            if column.unique:
                body["enforceUniqueValues"] = True
            plan.changes.append(Change(INDEX_COLUMN, spec.title, column.name, _flags(column),
                                       list_id, column_id, body))
        if column.kind == "choice":
            facet = current.get("choice") or {}
            have = [str(c) for c in facet.get("choices") or []]
            missing = [c for c in column.choices if c not in have]
            if missing:
                body = {"choice": {**facet, "choices": have + missing}}
                plan.changes.append(Change(ADD_CHOICES, spec.title, column.name,
                                           ", ".join(missing), list_id, column_id, body))


def compare(site_lists: Sequence[dict[str, Any]], specs: Sequence[ListSpec] = ALL_LISTS) -> Plan:
    """What to add to lists as Graph describes them (``GET .../lists?$expand=columns``)."""
    plan = Plan()
    by_title = {str(x.get("displayName", "")).casefold(): x for x in site_lists}
    for spec in specs:
        found = by_title.get(spec.title.casefold())
        kind = "library" if spec.template == "documentLibrary" else "list"
        if found is None:
            body = {"displayName": spec.title, "description": spec.description,
                    "list": {"template": spec.template},
                    "columns": [column.definition() for column in spec.columns]}
            plan.changes.append(Change(CREATE_LIST, spec.title, "", kind, body=body))
            continue
        template = (found.get("list") or {}).get("template")
        if template and template != spec.template:
            plan.problems.append(Problem(
                spec.title, "", f"exists as a {template}; paraaf needs a {spec.template} by "
                "that name. Rename the existing one, then provision again.", "list_template",
                (str(template), spec.template)))
            continue
        _column_changes(spec, found, plan)
    return plan


# --- applying ----------------------------------------------------------------------------------


async def read_lists(graph: Graph, site_id: str) -> list[dict[str, Any]]:
    return await graph.get_all(f"/sites/{site_id}/lists?$expand=columns")


async def apply(graph: Graph, site_id: str, plan: Plan) -> list[Change]:
    """Make the changes, in order; returns those made. A change SharePoint refuses with 400
    (a unique rule on a column holding duplicates) becomes a problem in ``plan``; any other
    error is raised (the changes made before it stay made, and a new run continues)."""
    done: list[Change] = []
    for change in plan.changes:
        site = f"/sites/{site_id}/lists"
        try:
            if change.action == CREATE_LIST:
                await graph.request("POST", site, change.body)
            elif change.action == ADD_COLUMN:
                await graph.request("POST", f"{site}/{change.list_id}/columns", change.body)
            else:
                path = f"{site}/{change.list_id}/columns/{quote(change.column_id)}"
                await graph.request("PATCH", path, change.body)
        except GraphError as error:
            if error.status != 400 or change.action != INDEX_COLUMN:
                raise
            plan.problems.append(Problem(change.list, change.column,
                                         f"could not be {change.detail}: {error.message}",
                                         "not_indexed", (change.detail, str(error.message))))
            continue
        done.append(change)
    return done


@dataclass
class Outcome:
    """What one provisioning run found and did (or, dry, would do)."""

    changes: list[Change]
    problems: list[Problem]
    dry_run: bool


async def provision(graph: Graph, site_id: str, *, dry_run: bool = False,
                    specs: Sequence[ListSpec] = ALL_LISTS) -> Outcome:
    """Compare, and unless ``dry_run`` apply. After applying, the site is read once more and
    whatever is still missing (the service may ignore a flag when a list is created) is
    added in a second pass."""
    plan = compare(await read_lists(graph, site_id), specs)
    if dry_run or not plan.changes:
        return Outcome(plan.changes, plan.problems, dry_run)
    done = await apply(graph, site_id, plan)
    again = compare(await read_lists(graph, site_id), specs)
    refused = {(p.list, p.column) for p in plan.problems}
    again.changes = [c for c in again.changes if (c.list, c.column) not in refused]
    if again.changes:
        done += await apply(graph, site_id, again)
    problems = plan.problems + [p for p in again.problems if p not in plan.problems]
    return Outcome(done, problems, dry_run)
