"""The audit anchors' pure rules: the Merkle root, sealing, reading back, a kept anchor."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals.anchors import (
    ANCHOR_GENESIS,
    AnchorRecord,
    Head,
    Ledger,
    check_kept,
    merkle_root,
    next_anchors,
    parse_kept,
    read_ledger,
    seal,
)

AT = "2026-12-02T10:00:00Z"
heads_st = st.dictionaries(st.text(min_size=1, max_size=12),
                           st.tuples(st.integers(1, 50), st.text("0123456789abcdef", min_size=64,
                                                                  max_size=64)),
                           min_size=1, max_size=30)


def _heads(mapping: dict[str, tuple[int, str]]) -> list[Head]:
    return [Head(d, v, h) for d, (v, h) in mapping.items()]


@given(heads_st)
def test_the_root_does_not_depend_on_order_and_changes_with_any_head(
    mapping: dict[str, tuple[int, str]]
) -> None:
    heads = _heads(mapping)
    root = merkle_root(heads)
    assert merkle_root(reversed(heads)) == root
    first = heads[0]
    assert merkle_root([Head(first.dossier_id, first.version + 1, first.hash),
                        *heads[1:]]) != root
    assert merkle_root(heads[1:]) != root


@given(heads_st, st.integers(1, 7))
def test_anchors_read_back_to_the_heads_they_recorded(
    mapping: dict[str, tuple[int, str]], max_changes: int
) -> None:
    made = next_anchors(Ledger(), mapping, AT, max_changes=max_changes)
    assert len(made) == -(-len(mapping) // max_changes)
    assert made[0].prev_hash == ANCHOR_GENESIS
    ledger = read_ledger([a.record() for a in made])
    assert ledger.problem is None
    assert {d: (h.version, h.hash) for d, h in ledger.heads.items()} == mapping
    assert next_anchors(ledger, mapping, AT) == []  # nothing changed: nothing new


def test_only_changed_heads_go_into_the_next_anchor() -> None:
    ledger = read_ledger([a.record() for a in next_anchors(
        Ledger(), {"A": (1, "a" * 64), "B": (2, "b" * 64)}, AT)])
    [second] = next_anchors(ledger, {"A": (3, "c" * 64), "B": (2, "b" * 64)}, AT)
    assert second.changes == (Head("A", 3, "c" * 64),) and second.dossiers == 2
    ledger = read_ledger([*(a.record() for a in ledger.anchors), second.record()])
    assert ledger.marks["A"] == {1: ("a" * 64, 1), 3: ("c" * 64, 2)}


def test_a_head_that_went_back_or_vanished_is_not_anchored_away() -> None:
    ledger = read_ledger([a.record() for a in next_anchors(
        Ledger(), {"A": (5, "a" * 64), "B": (2, "b" * 64)}, AT)])
    assert next_anchors(ledger, {"A": (4, "d" * 64)}, AT) == []
    assert ledger.heads["A"].version == 5 and "B" in ledger.heads


def _records(*versions: int) -> list[AnchorRecord]:
    ledger, records = Ledger(), []
    for version in versions:
        [made] = next_anchors(ledger, {"A": (version, f"{version:064x}")}, AT)
        records.append(made.record())
        ledger = read_ledger(records)
    return records


def _forged(record: AnchorRecord, **changes: object) -> AnchorRecord:
    data = {**json.loads(record.text), **changes}
    return AnchorRecord(record.seq, json.dumps(data, sort_keys=True, separators=(",", ":")))


@pytest.mark.parametrize("damage, seq, words", [
    (lambda r: [r[0], _forged(r[1], root="0" * 64), r[2]], 2, "does not match"),
    (lambda r: [r[0], r[2]], 2, "expected anchor 2, found 3"),
    (lambda r: [r[1], r[0], r[2]], 1, "expected anchor 1, found 2"),
    (lambda r: [r[0], r[1], AnchorRecord(3, r[2].text.replace(",", ", "))], 3, "canonical"),
    (lambda r: [r[0], AnchorRecord(2, "{}"), r[2]], 2, "fields of an anchor"),
    (lambda r: [r[0], AnchorRecord(2, "["), r[2]], 2, "not JSON"),
], ids=["changed", "removed", "reordered", "reformatted", "empty", "garbage"])
def test_the_first_anchor_that_cannot_be_trusted_is_named(damage, seq: int, words: str) -> None:
    ledger = read_ledger(damage(_records(1, 2, 3)))
    assert ledger.problem is not None
    assert (ledger.problem.seq, words in ledger.problem.reason) == (seq, True), ledger.problem
    assert len(ledger.anchors) == seq - 1  # what came before it is still used


def test_a_resealed_anchor_that_takes_a_dossier_back_is_refused() -> None:
    """Someone who reseals an anchor correctly still cannot make a dossier shorter."""
    good = _records(3)
    ledger = read_ledger(good)
    back = seal(2, AT, ledger.anchors[0].hash, {"A": Head("A", 2, "e" * 64)},
                [Head("A", 2, "e" * 64)])
    found = read_ledger([*good, back.record()])
    assert found.problem is not None and "back from version 3 to 2" in found.problem.reason


def test_a_kept_anchor_is_checked_against_the_stored_ones() -> None:
    ledger = read_ledger(_records(1, 2))
    second = ledger.anchors[1]
    assert check_kept(ledger, *parse_kept(f" {second.seq}:{second.hash.upper()} ")) is None
    rewritten = check_kept(ledger, 2, "f" * 64)
    assert rewritten is not None and "not the one that was kept" in rewritten.reason
    missing = check_kept(ledger, 3, second.hash)
    assert missing is not None and "not in the stored anchors" in missing.reason
    assert (missing.code, missing.params) == ("kept_missing", {"seq": 3})


@pytest.mark.parametrize("text", ["", "3", "3:", ":" + "a" * 64, "-1:" + "a" * 64,
                                  "3:" + "a" * 65, "3:" + "z" * 64])
def test_a_kept_anchor_must_be_seq_colon_hash(text: str) -> None:
    with pytest.raises(ValueError, match="SEQ:HASH"):
        parse_kept(text)
