"""The decision register (besluitenregister): which decisions a question lists, and the
register as CSV that a spreadsheet cannot mistake for formulas."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from approvals.facts import DossierFacts, SignedFacts
from approvals.readmodels import RegisteredDecision

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP: CSV injection)."""


@dataclass(frozen=True, slots=True)
class RegisterQuery:
    """A question to the register; every filter optional. ``since`` and ``until`` are days
    (both included) of the decision; ``viewer`` limits it to the dossiers that person is
    involved in (None: every decision, for beheerders)."""

    since: date | None = None
    until: date | None = None
    flow_id: str | None = None
    decider: str | None = None  # an object id: who decided, or for whom
    text: str | None = None  # in the dossier's title, number or the decision text
    viewer: str | None = None


@dataclass(frozen=True, slots=True)
class RegisterLine:
    """A decision with the flow's title, as the register lists it."""

    decision: RegisteredDecision
    flow_title: str
    signed: SignedFacts | None = None  # the signed PDF, when the decision is signed


def matches(facts: DossierFacts, query: RegisterQuery) -> bool:
    """Whether the register lists the dossier's decision for the query."""
    d = facts.decision
    if d is None:
        return False
    day = d.at[:10]
    needle = (query.text or "").casefold()
    checks = (
        query.viewer is None or facts.involves(query.viewer),
        query.since is None or day >= query.since.isoformat(),
        query.until is None or day <= query.until.isoformat(),
        query.flow_id is None or facts.flow_id == query.flow_id,
        query.decider is None or query.decider in {
            d.by.oid, d.on_behalf_of.oid if d.on_behalf_of else ""},
        not needle or needle in facts.title.casefold() or needle in facts.dossier_id.casefold()
        or needle in d.text.casefold(),
    )
    return all(checks)


def register(facts: Iterable[DossierFacts], query: RegisterQuery) -> list[RegisterLine]:
    """The decisions the query lists, the most recent first."""
    lines = [RegisterLine(f.decision, f.flow_title, f.signed) for f in facts
             if f.decision is not None and matches(f, query)]
    return sorted(lines, key=lambda line: (line.decision.at, line.decision.dossier_id),
                  reverse=True)


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that starts as a formula would gets a leading
    apostrophe (and so does one whose formula start hides behind spaces)."""
    if value.lstrip(" ").startswith(FORMULA_START) or value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Text:
    """Where the CSV writer writes: text kept in memory."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The rows as CSV (RFC 4180, CRLF), every cell made safe."""
    out = _Text()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "".join(out.parts)
