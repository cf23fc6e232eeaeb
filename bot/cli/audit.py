"""``paraaf audit verify`` and ``paraaf audit anchor``: the hash chains against the anchors.

``verify`` re-computes every chain and checks it against the projection's heads and against
every audit anchor (and, with ``--anchor SEQ:HASH``, the anchors against one a person kept
outside paraaf). ``anchor`` verifies first and anchors only a store that holds: anchoring a
broken store would make its damage look like history. ``paraaf tick`` anchors too.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from approvals.anchors import (
    Anchor,
    AnchorConflict,
    AnchorProblem,
    Ledger,
    check_kept,
    next_anchors,
    parse_kept,
    read_ledger,
)
from approvals.audit import ChainBreak, ChainVerifier
from approvals.errors import InvalidInput, audit_reason
from bot.cli import output as out
from bot.cli.base import words_for
from bot.cli.constants import EXIT_BROKEN, EXIT_OK
from bot.wiring import Wiring
from cards.strings import plural


def _words(wiring: Wiring) -> out.Words:
    return words_for(wiring.settings)


@dataclass
class Verification:
    """What one verification found: chain breaks, the anchors and their first problem."""

    ledger: Ledger
    dossiers: int = 0
    events: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    kept_problem: AnchorProblem | None = None

    @property
    def ok(self) -> bool:
        return not self.breaks and self.ledger.problem is None and self.kept_problem is None


async def verify(wiring: Wiring, dossier_id: str | None = None,
                 kept: tuple[int, str] | None = None) -> Verification:
    """Check the store against its projection and the anchors (read first: they are older)."""
    ledger = read_ledger(await wiring.anchors.records())
    store = wiring.services.store
    anchored = ledger.marks if dossier_id is None else {
        k: v for k, v in ledger.marks.items() if k == dossier_id}
    verifier = ChainVerifier(await store.chain_heads(dossier_id), anchored)  # heads first
    async for batch in store.chain_records(dossier_id):
        verifier.feed(batch)
    result = Verification(ledger, verifier.dossiers, verifier.events, verifier.finish())
    if kept is not None:
        result.kept_problem = check_kept(ledger, *kept)
    return result


def _kept(value: str | None, w: out.Words) -> tuple[int, str] | None:
    """``--anchor``: SEQ:HASH, or a file written by ``paraaf audit anchor --json``."""
    if not value:
        return None
    path = Path(value)
    text = value
    if path.is_file():
        try:
            data = json.loads(path.read_text("utf-8"))
            text = f"{data['latest']['seq']}:{data['latest']['hash']}"
        except (ValueError, KeyError, TypeError):
            raise InvalidInput(w.c.a_not_a_kept_file.format(value=value)) from None
    try:
        return parse_kept(text)
    except ValueError:
        raise InvalidInput(w.c.a_bad_kept.format(value=text.strip()[:80])) from None


def _anchor_json(ledger: Ledger) -> dict[str, Any]:
    problem = ledger.problem
    return {"count": len(ledger.anchors),
            "latest": ledger.latest.summary() if ledger.latest else None,
            "problem": _problem_json(problem) if problem else None}


def _problem_json(problem: AnchorProblem) -> dict[str, Any]:
    return {"seq": problem.seq, "reason": problem.reason, "code": problem.code,
            "params": dict(problem.params)}


def _anchor_lines(result: Verification, w: out.Words) -> list[str]:
    ledger, lines, c = result.ledger, [], w.c
    if ledger.problem is not None:
        problem = ledger.problem
        lines.append(c.a_anchor_problem.format(
            seq=problem.seq, reason=audit_reason(problem.code, problem.params, c.audit_words)))
    if result.kept_problem is not None:
        kept = result.kept_problem
        lines.append(c.a_kept_problem.format(
            problem=audit_reason(kept.code, kept.params, c.audit_words)))
    latest = ledger.latest
    if latest is None and ledger.problem is None:
        lines.append(c.a_no_anchor_yet)
    elif latest is not None:
        lines.append(c.a_checked_against.format(
            anchors=plural(c.n_anchors, len(ledger.anchors)), seq=latest.seq,
            hash=latest.hash, when=w.when(latest.created_at)))
    return lines


async def audit_verify(args: argparse.Namespace, wiring: Wiring) -> int:
    w = _words(wiring)
    result = await verify(wiring, args.dossier, _kept(getattr(args, "anchor", None), w))
    data = {"ok": result.ok, "dossiers": result.dossiers, "events": result.events,
            "breaks": [{"dossier_id": b.dossier_id, "seq": b.seq, "reason": b.reason,
                        "code": b.code, "params": dict(b.params)} for b in result.breaks],
            "anchors": _anchor_json(result.ledger),
            "kept_anchor_problem": result.kept_problem.reason if result.kept_problem else "",
            "kept_anchor_code": result.kept_problem.code if result.kept_problem else ""}
    lines = [out.audit_text(result.dossiers, result.events, result.breaks, w),
             *_anchor_lines(result, w)]
    if not result.breaks and not result.ok:
        lines.insert(0, w.c.a_anchors_broken)
    out.emit(args, data, "\n".join(lines))
    return EXIT_OK if result.ok else EXIT_BROKEN


@dataclass
class AnchorOutcome:
    """What anchoring did: the new anchors, the latest one, or why it refused."""

    new: list[Anchor]
    latest: Anchor | None
    refused: Verification | None = None

    def to_json(self) -> dict[str, Any]:
        latest = self.latest
        data: dict[str, Any] = {
            "anchored": bool(self.new), "new": [a.seq for a in self.new],
            "latest": latest.summary() if latest else None,
            "keep": f"{latest.seq}:{latest.hash}" if latest else None}
        if self.refused is not None:
            data["refused"] = {
                "breaks": [{"dossier_id": b.dossier_id, "seq": b.seq, "reason": b.reason}
                           for b in self.refused.breaks],
                "anchors": _anchor_json(self.refused.ledger)}
        return data

    def text(self, w: out.Words | None = None) -> str:
        """What anchoring did, in words (``w``: the command line's language)."""
        w = w or out.words()
        c = w.c
        if self.refused is not None:
            lines = [c.a_not_anchored]
            lines += [c.audit_break.format(id=b.dossier_id, seq=b.seq, reason=b.reason)
                      for b in self.refused.breaks]
            problem = self.refused.ledger.problem
            if problem is not None:
                lines.append(c.a_anchor_problem.format(seq=problem.seq, reason=problem.reason))
            return "\n".join(lines)
        latest = self.latest
        if latest is None:
            return c.a_nothing_to_anchor
        dossiers = plural(c.n_dossiers, latest.dossiers)
        head = (c.a_anchored.format(dossiers=dossiers, seq=latest.seq) if self.new
                else c.a_unchanged.format(seq=latest.seq))
        return "\n".join([
            head,
            c.a_keep.format(seq=latest.seq, hash=latest.hash),
            c.a_root.format(dossiers=dossiers, root=latest.root),
            c.a_made.format(when=w.when(latest.created_at), seq=latest.seq, hash=latest.hash)])


ANCHOR_ROUNDS = 5  # another instance anchoring at the same moment: read again, this often


async def anchor(wiring: Wiring) -> AnchorOutcome:
    """Verify the store, then record every dossier's head in new anchors (none when nothing
    changed since the latest).

    Each anchor claims its position in the log with a conditional write; when another
    instance (a second ``paraaf tick``) stored one there first, the log is read again and
    only what that one did not cover is anchored, so two runs never anchor the same heads.
    """
    stored: list[Anchor] = []
    for round_ in range(ANCHOR_ROUNDS):
        result = await verify(wiring)
        if not result.ok:
            return AnchorOutcome(stored, result.ledger.latest, refused=result)
        heads = await wiring.services.store.chain_heads()
        now = wiring.services.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            for made in next_anchors(result.ledger, heads, now):
                await wiring.anchors.append(made.record())
                stored.append(made)
        except AnchorConflict:
            if round_ == ANCHOR_ROUNDS - 1:
                raise
            continue
        break
    return AnchorOutcome(stored, stored[-1] if stored else result.ledger.latest)


async def audit_anchor(args: argparse.Namespace, wiring: Wiring) -> int:
    outcome = await anchor(wiring)
    out.emit(args, outcome.to_json(), outcome.text(_words(wiring)))
    return EXIT_BROKEN if outcome.refused is not None else EXIT_OK
