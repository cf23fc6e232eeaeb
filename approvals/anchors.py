"""Audit anchors: where every dossier's chain ended, kept outside the store it protects.

The hash chain shows that a dossier's events were not changed, but not where the chain
ends: whoever can write the store can remove the last events of a dossier together with its
projection row (or a whole dossier) and the chain that is left still holds. An *anchor*
records, at one moment, every dossier's ``(id, version, head hash)``; it is written to an
append-only log (a file, a SharePoint list) that the store's own writes never touch.

Each anchor holds the heads that are new or changed since the previous anchor, a Merkle root
over every head it then covers, the previous anchor's hash and its own SHA-256 over its
canonical JSON, so the anchors form a chain of their own. ``audit verify`` then checks that
every anchored dossier still exists and that its chain still has the anchored hash at each
anchored version (it may have grown since). See docs/audit.md for what this protects
against and what it does not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from approvals.errors import AUDIT_WORDS, ConcurrencyConflict, Param, audit_reason
from approvals.events import canonical_json

ANCHOR_GENESIS = "0" * 64
MAX_CHANGES = 200  # heads per anchor: keeps one stored anchor well under 64 KB
_KEYS = frozenset({"seq", "created_at", "prev_hash", "root", "dossiers", "changes", "hash"})


@dataclass(frozen=True, slots=True)
class Head:
    """Where one dossier's chain ended: its version and the hash of that event."""

    dossier_id: str
    version: int
    hash: str


@dataclass(frozen=True, slots=True)
class AnchorRecord:
    """An anchor as stored: its position in the log (1, 2, ...) and its canonical JSON."""

    seq: int
    text: str


class AnchorConflict(ConcurrencyConflict):
    """Another anchor was stored at this position first; read the log and try again."""

    code = "anchor_conflict"

    def __init__(self, seq: int) -> None:
        super().__init__("audit anchors", seq - 1)
        self._message = f"Another audit anchor was stored as number {seq} first."
        self.seq = seq


@dataclass(frozen=True, slots=True)
class Anchor:
    """One sealed anchor."""

    seq: int
    created_at: str
    prev_hash: str
    root: str  # Merkle root over every head covered at this anchor
    dossiers: int  # how many heads the root covers
    changes: tuple[Head, ...]  # heads new or changed since the previous anchor
    hash: str

    def body(self) -> dict[str, object]:
        """Everything the hash covers."""
        return {"seq": self.seq, "created_at": self.created_at, "prev_hash": self.prev_hash,
                "root": self.root, "dossiers": self.dossiers,
                "changes": [[h.dossier_id, h.version, h.hash] for h in self.changes]}

    def record(self) -> AnchorRecord:
        return AnchorRecord(self.seq, canonical_json({**self.body(), "hash": self.hash}))

    def summary(self) -> dict[str, object]:
        """What a person keeps outside paraaf (print it, mail it, have it timestamped)."""
        return {"seq": self.seq, "hash": self.hash, "root": self.root,
                "dossiers": self.dossiers, "created_at": self.created_at}


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def merkle_root(heads: Iterable[Head]) -> str:
    """The Merkle root (hex) over heads sorted by dossier id.

    Leaves and inner nodes are hashed with different prefixes (0x00, 0x01), so a leaf can
    never pass for a node; an odd node at the end of a level moves up unchanged.
    """
    level = [_sha256(b"\x00" + canonical_json([h.dossier_id, h.version, h.hash]).encode())
             for h in sorted(heads, key=lambda h: h.dossier_id)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        paired = [_sha256(b"\x01" + level[i] + level[i + 1])
                  for i in range(0, len(level) - 1, 2)]
        level = paired + level[len(paired) * 2:]
    return level[0].hex()


def seal(seq: int, created_at: str, prev_hash: str, covered: Mapping[str, Head],
         changes: Sequence[Head]) -> Anchor:
    """The anchor at position ``seq`` after ``changes``; ``covered`` is every head it covers."""
    unsealed = Anchor(seq, created_at, prev_hash, merkle_root(covered.values()), len(covered),
                      tuple(changes), "")
    digest = hashlib.sha256(canonical_json(unsealed.body()).encode()).hexdigest()
    return Anchor(unsealed.seq, created_at, prev_hash, unsealed.root, unsealed.dossiers,
                  unsealed.changes, digest)


@dataclass(frozen=True, slots=True)
class AnchorProblem:
    """The first stored anchor that cannot be trusted, and why."""

    seq: int
    code: str  # a code of approvals.errors.AUDIT_WORDS
    params: Mapping[str, Param] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """Why, in English."""
        return audit_reason(self.code, self.params, AUDIT_WORDS)


@dataclass
class Ledger:
    """What the stored anchors say, read up to the first one that cannot be trusted.

    ``heads``: each anchored dossier's latest anchored head; ``marks``: per dossier every
    anchored version with its hash and the anchor that recorded it.
    """

    anchors: list[Anchor] = field(default_factory=list)
    heads: dict[str, Head] = field(default_factory=dict)
    marks: dict[str, dict[int, tuple[str, int]]] = field(default_factory=dict)
    problem: AnchorProblem | None = None

    @property
    def latest(self) -> Anchor | None:
        return self.anchors[-1] if self.anchors else None


def _parse(record: AnchorRecord) -> Anchor:
    """The anchor a stored record holds; ValueError with the code of what is wrong with it."""
    try:
        data = json.loads(record.text)
    except ValueError:
        raise ValueError("anchor_unreadable") from None
    if not isinstance(data, dict) or set(data) != _KEYS:
        raise ValueError("anchor_fields")
    try:
        changes = tuple(Head(str(d), int(v), str(h)) for d, v, h in data["changes"])
        anchor = Anchor(int(data["seq"]), str(data["created_at"]), str(data["prev_hash"]),
                        str(data["root"]), int(data["dossiers"]), changes, str(data["hash"]))
    except (TypeError, ValueError):
        raise ValueError("anchor_types") from None
    if anchor.record().text != record.text:
        raise ValueError("anchor_not_canonical")
    return anchor


def _check(anchor: Anchor, position: int, prev_hash: str,
           heads: Mapping[str, Head]) -> AnchorProblem | None:
    """Why the anchor at ``position`` cannot be trusted (None when it can)."""
    if anchor.seq != position:
        return AnchorProblem(position, "anchor_seq_gap",
                             {"expected": position, "found": anchor.seq})
    if hashlib.sha256(canonical_json(anchor.body()).encode()).hexdigest() != anchor.hash:
        return AnchorProblem(position, "anchor_hash_changed")
    if anchor.prev_hash != prev_hash:
        return AnchorProblem(position, "anchor_not_following")
    for head in anchor.changes:
        before = heads.get(head.dossier_id)
        if before is not None and head.version <= before.version:
            return AnchorProblem(position, "anchor_takes_back", {
                "dossier": head.dossier_id, "before": before.version, "after": head.version})
    return None


def read_ledger(records: Iterable[AnchorRecord]) -> Ledger:
    """Fold the stored anchors in order, stopping at the first that cannot be trusted.

    The Merkle root is checked for the last trusted anchor (every earlier root is bound by
    the hashes that chain the anchors together).
    """
    ledger = Ledger()
    prev_hash = ANCHOR_GENESIS
    for position, record in enumerate(records, start=1):
        try:
            anchor = _parse(record)
        except ValueError as exc:
            ledger.problem = AnchorProblem(position, str(exc))
            break
        problem = _check(anchor, position, prev_hash, ledger.heads)
        if problem is not None:
            ledger.problem = problem
            break
        for head in anchor.changes:
            ledger.heads[head.dossier_id] = head
            ledger.marks.setdefault(head.dossier_id, {})[head.version] = (head.hash, anchor.seq)
        ledger.anchors.append(anchor)
        prev_hash = anchor.hash
    latest = ledger.latest
    if latest is not None and ledger.problem is None and (
            latest.root != merkle_root(ledger.heads.values())
            or latest.dossiers != len(ledger.heads)):
        ledger.problem = AnchorProblem(latest.seq, "anchor_root")
    return ledger


def next_anchors(ledger: Ledger, heads: Mapping[str, tuple[int, str]], created_at: str,
                 max_changes: int = MAX_CHANGES) -> list[Anchor]:
    """The anchors that record ``heads`` (per dossier its version and head hash) after the
    ledger's latest anchor: none when nothing changed, several when more than
    ``max_changes`` heads did. A dossier that went back or disappeared is left as anchored
    (``audit verify`` reports it; anchoring never hides it)."""
    if ledger.problem is not None:
        raise ValueError("the stored anchors cannot be trusted; verify them first")
    changes = []
    for dossier_id in sorted(heads):
        version, digest = heads[dossier_id]
        before = ledger.heads.get(dossier_id)
        if version > 0 and (before is None or version > before.version):
            changes.append(Head(dossier_id, version, digest))
    covered = dict(ledger.heads)
    latest = ledger.latest
    seq, prev_hash = (latest.seq, latest.hash) if latest else (0, ANCHOR_GENESIS)
    anchors = []
    for start in range(0, len(changes), max(1, max_changes)):
        part = changes[start:start + max(1, max_changes)]
        covered.update((h.dossier_id, h) for h in part)
        seq += 1
        anchor = seal(seq, created_at, prev_hash, covered, part)
        anchors.append(anchor)
        prev_hash = anchor.hash
    return anchors


def parse_kept(text: str) -> tuple[int, str]:
    """An anchor a person kept, written ``SEQ:HASH``; ValueError when it is not."""
    seq, sep, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not sep or not seq.strip().isdigit() or len(digest) != 64 or any(
            c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"Write the anchor you kept as SEQ:HASH (e.g. 12:{'ab' * 4}...), "
                         f"not {text.strip()[:80]!r}.")
    return int(seq), digest


def check_kept(ledger: Ledger, seq: int, digest: str) -> AnchorProblem | None:
    """Why the stored anchors disagree with an anchor kept outside (None when they agree)."""
    if seq < 1 or seq > len(ledger.anchors):
        if ledger.problem is not None and seq >= ledger.problem.seq:
            return AnchorProblem(seq, "kept_unchecked", {"seq": seq, "broken": ledger.problem.seq})
        return AnchorProblem(seq, "kept_missing", {"seq": seq})
    if ledger.anchors[seq - 1].hash != digest:
        return AnchorProblem(seq, "kept_rewritten", {"seq": seq})
    return None
