"""The audit hash chain verifier: re-computes every hash and names the first broken event.

A dossier's chain holds when its events are numbered 1, 2, 3, ... without gaps, each stored
hash equals SHA-256 of the event's canonical record, and each record names the previous
event's hash (the first names :data:`GENESIS_HASH`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from approvals.errors import AUDIT_WORDS, Param, audit_reason
from approvals.events import GENESIS_HASH


class ChainRecord(NamedTuple):
    """One stored event as the verifier sees it: position, canonical record and stored hash.

    A named tuple: stores build a million of these for one verification, and a tuple is
    cheap to make from a database row (``ChainRecord._make(row)``).
    """

    dossier_id: str
    seq: int
    record: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first event at which a dossier's chain does not hold, and why."""

    dossier_id: str
    seq: int
    code: str  # a code of approvals.errors.AUDIT_WORDS
    params: Mapping[str, Param] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """Why, in English."""
        return audit_reason(self.code, self.params, AUDIT_WORDS)


@dataclass(slots=True)
class _Cursor:
    dossier_id: str
    expected_seq: int = 1
    prev_hash: str = GENESIS_HASH
    broken: bool = False
    # seq -> (the hash the event there must have, why): the projection's head, anchors
    marks: dict[int, tuple[str, _Why]] | None = None


_Why = tuple[str, dict[str, Param]]
"""Why a chain breaks: a code of AUDIT_WORDS and its parameters."""


def _check(record: ChainRecord, cursor: _Cursor) -> _Why | None:
    """Why this record breaks the chain at the cursor, or None when it holds."""
    if record.seq != cursor.expected_seq:
        return "seq_gap", {"expected": cursor.expected_seq, "found": record.seq}
    text = record.record
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != record.hash:
        return "hash_changed", {}
    # The canonical record ends with the keys prev_hash, seq, timestamp and type, in that
    # order; JSON strings cannot hold an unescaped quote, so the last '"prev_hash":' is ours.
    tail = text[text.rfind(',"prev_hash":"') :]
    if not tail.startswith(f',"prev_hash":"{cursor.prev_hash}","seq":{record.seq},'):
        return "not_following", {}
    if f',"dossier_id":"{record.dossier_id}",' not in text:
        return "other_dossier", {}
    return None


class ChainVerifier:
    """Verifies records fed in order of (dossier, stored sequence number), in any batches.

    The verifier checks that the stored numbers are dense, so a deleted event is found where
    it is missing; a swapped or changed one where its content no longer fits. ``heads`` maps a
    dossier to the (version, hash) its projection recorded, read *before* the records: the
    chain must reach that version with that hash (it may have grown since), so events removed
    from the end of a chain are found too. ``anchored`` does the same for what the audit
    anchors recorded (per dossier: version -> (hash, anchor number)), which the store's own
    writes cannot change: a dossier removed with its projection row is found there.
    """

    def __init__(self, heads: Mapping[str, tuple[int, str]] | None = None,
                 anchored: Mapping[str, Mapping[int, tuple[str, int]]] | None = None) -> None:
        self.breaks: list[ChainBreak] = []
        self.events = 0
        self._heads = dict(heads or {})
        self._anchored = anchored or {}
        self._seen: dict[str, _Cursor] = {}
        self._cursor: _Cursor | None = None

    def _start(self, dossier_id: str) -> _Cursor:
        """The cursor of a dossier met for the first time, with the hashes it must have."""
        cursor = self._seen[dossier_id] = _Cursor(dossier_id)
        marks: dict[int, tuple[str, _Why]] = {}
        head = self._heads.get(dossier_id)
        if head is not None:
            marks[head[0]] = (head[1], ("head_mismatch", {}))
        # the anchors win over the projection, which the store's own writes can change
        marks.update({version: (digest, ("anchor_rewritten",
                                         {"version": version, "anchor": anchor}))
                      for version, (digest, anchor) in self._anchored.get(dossier_id, {}).items()})
        cursor.marks = marks or None
        return cursor

    def feed(self, records: Iterable[ChainRecord]) -> None:
        cursor = self._cursor
        sha256 = hashlib.sha256
        # (dossier_id, seq, record, hash): by position, so that plain row tuples from a
        # store work as well as ChainRecords; this loop runs a million times per verification
        for dossier_id, seq, text, stored_hash in records:
            self.events += 1
            if cursor is None or cursor.dossier_id != dossier_id:
                cursor = self._seen.get(dossier_id) or self._start(dossier_id)
            if cursor.broken:
                continue
            if (seq == cursor.expected_seq
                    and sha256(text.encode()).hexdigest() == stored_hash
                    and text.startswith(f',"prev_hash":"{cursor.prev_hash}","seq":{seq},',
                                        text.rfind(',"prev_hash":"'))
                    and f',"dossier_id":"{dossier_id}",' in text):
                reason = None
            else:
                reason = _check(ChainRecord(dossier_id, seq, text, stored_hash), cursor)
            marks = cursor.marks
            if reason is None and marks is not None and seq in marks and (
                marks[seq][0] != stored_hash
            ):
                reason = marks[seq][1]
            if reason is not None:
                cursor.broken = True
                self.breaks.append(ChainBreak(dossier_id, cursor.expected_seq, *reason))
                continue
            cursor.expected_seq += 1
            cursor.prev_hash = stored_hash
        self._cursor = cursor

    @property
    def dossiers(self) -> int:
        return len(self._seen)

    def finish(self) -> list[ChainBreak]:
        """Every break found, one (the first) per dossier, by dossier id."""
        for dossier_id, (version, _) in self._heads.items():
            found = self._seen.get(dossier_id) or self._start(dossier_id)
            if not found.broken and found.expected_seq - 1 < version:
                self.breaks.append(ChainBreak(dossier_id, found.expected_seq, "events_missing",
                                              {"first": found.expected_seq, "last": version}))
                found.broken = True
        for dossier_id, marks in self._anchored.items():
            version, anchor = max((v, a) for v, (_, a) in marks.items())
            found = self._seen.get(dossier_id) or self._start(dossier_id)
            if found.broken or found.expected_seq - 1 >= version:
                continue
            if found.expected_seq == 1:
                why: _Why = "dossier_gone", {"anchor": anchor, "version": version}
            else:
                why = "events_missing_anchored", {"first": found.expected_seq, "last": version,
                                                  "anchor": anchor}
            self.breaks.append(ChainBreak(dossier_id, found.expected_seq, *why))
            found.broken = True
        return sorted(self.breaks, key=lambda b: b.dossier_id)


def verify_chain(
    records: Iterable[ChainRecord], heads: Mapping[str, tuple[int, str]] | None = None,
    anchored: Mapping[str, Mapping[int, tuple[str, int]]] | None = None,
) -> list[ChainBreak]:
    """Verify records ordered by (dossier, stored sequence number); see ChainVerifier."""
    verifier = ChainVerifier(heads, anchored)
    verifier.feed(records)
    return verifier.finish()


def head_hash(records: Iterable[ChainRecord]) -> str:
    """The hash of the last record (GENESIS_HASH for none): a dossier's chain head."""
    last = GENESIS_HASH
    for record in records:
        last = record.hash
    return last
