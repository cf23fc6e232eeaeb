"""docs/microsoft-365.md says what `paraaf provision` creates: its tables of lists and columns,
the unique columns of its overview and its example run are compared with graph/schema.py."""

from __future__ import annotations

import re
from pathlib import Path

from graph.schema import ALL_LISTS, Column, ListSpec

DOC = Path(__file__).resolve().parents[2] / "docs" / "microsoft-365.md"
KINDS = {"single line of text": "text", "multiple lines of text": "note", "number": "number",
         "date and time": "datetime", "yes/no": "boolean", "choice": "choice"}
YES_NO = {"yes": True, "no": False}


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end > 0 else len(text)]


def documented_lists(text: str) -> dict[tuple[str, str], list[tuple[str, str, bool, bool,
                                                                     tuple[str, ...]]]]:
    """``#### list Name`` / ``#### library Name`` and the rows of the table under each."""
    section = _section(text, "### Every column")
    found: dict[tuple[str, str], list[tuple[str, str, bool, bool, tuple[str, ...]]]] = {}
    current: tuple[str, str] | None = None
    for line in section.splitlines():
        heading = re.fullmatch(r"#### (list|library) (\S+)", line.strip())
        if heading:
            current = (heading[1], heading[2])
            found[current] = []
            continue
        row = re.fullmatch(r"\| `(\w+)` \| ([^|]+) \| (yes|no) \| (yes|no) \|", line.strip())
        if row and current is not None:
            kind, _, choices = row[2].strip().partition(": ")
            found[current].append((row[1], KINDS[kind], YES_NO[row[3]], YES_NO[row[4]],
                                   tuple(c.strip() for c in choices.split(",") if c.strip())))
    return found


def _row(column: Column) -> tuple[str, str, bool, bool, tuple[str, ...]]:
    return (column.name, column.kind, column.indexed or column.unique, column.unique,
            column.choices)


def _kind(spec: ListSpec) -> str:
    return "library" if spec.template == "documentLibrary" else "list"


def test_every_list_and_column_is_documented_as_provisioned() -> None:
    documented = documented_lists(DOC.read_text("utf-8"))
    expected = {(_kind(spec), spec.title): [_row(c) for c in spec.columns] for spec in ALL_LISTS}
    assert list(documented) == list(expected)
    for key, rows in expected.items():
        assert documented[key] == rows, key


def test_the_overview_names_each_lists_unique_columns() -> None:
    overview = _section(DOC.read_text("utf-8"), "## What paraaf creates on the site")
    rows = {}
    for line in overview.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("list", "---"):
            rows[cells[0].removeprefix("library ")] = re.findall(r"`(\w+)`", cells[2])
    assert rows == {spec.title: [c.name for c in spec.columns if c.unique]
                    for spec in ALL_LISTS}


def test_the_example_run_counts_what_provisioning_creates() -> None:
    text = DOC.read_text("utf-8")
    would = re.findall(r"Would create (list|library) (\w+)(?: with (\d+) columns?)?", text)
    assert [(kind, title, int(count or 0)) for kind, title, count in would] == [
        (_kind(spec), spec.title, len(spec.columns)) for spec in ALL_LISTS]
    assert f"Dry run: {len(ALL_LISTS)} changes to make" in text
    assert f"Made {len(ALL_LISTS)} changes." in text
    created = re.findall(r"Created list (\w+) with (\d+) columns", text)
    assert created and all(int(count) == len(next(s for s in ALL_LISTS if s.title == title)
                                              .columns) for title, count in created)


def test_a_column_that_differs_is_found() -> None:
    """The comparison sees a wrong index flag (the tables are not just counted)."""
    text = DOC.read_text("utf-8").replace("| `FlowVersion` | number | no | no |",
                                          "| `FlowVersion` | number | yes | no |", 1)
    documented = documented_lists(text)
    assert documented[("list", "Dossiers")] != [_row(c) for c in ALL_LISTS[0].columns]
