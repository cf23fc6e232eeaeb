"""The rules for dossier documents every DocumentStore applies (approvals.documents)."""

from __future__ import annotations

import pytest

from approvals.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_NAME,
    check_document_name,
    check_dossier_id,
    check_size,
    merge_access,
)
from approvals.errors import InvalidInput
from tests.support.contract_kit import ANNA, BART, CHRIS


@pytest.mark.parametrize("dossier_id", ["2026-A", "a", "Z_9-x", "x" * 100])
def test_a_dossier_id_of_letters_digits_dash_and_underscore_passes(dossier_id: str) -> None:
    assert check_dossier_id(dossier_id) == dossier_id


@pytest.mark.parametrize(
    "dossier_id", ["", "x" * 101, "../2026-A", "2026 A", "2026/A", "2026-Ä", "2026-A\n", None, 7]
)
def test_any_other_dossier_id_is_refused(dossier_id: object) -> None:
    with pytest.raises(InvalidInput, match="not a valid dossier id"):
        check_dossier_id(dossier_id)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", [
    "Raadsvoorstel parkeerbeleid 2027 – concept (v2).docx", "a", "Nota.pdf", "x" * MAX_NAME,
    "Bijlage #1 & 2; 50% (definitief).xlsx", "ë" * 120,
])
def test_an_ordinary_name_passes_unchanged(name: str) -> None:
    assert check_document_name(name) == name


@pytest.mark.parametrize("name", ["", "   ", None, b"Nota.pdf"])
def test_a_document_needs_a_name(name: object) -> None:
    with pytest.raises(InvalidInput, match="needs a name"):
        check_document_name(name)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["x" * (MAX_NAME + 1), "ë" * 121])  # 242 UTF-8 bytes
def test_a_name_over_200_characters_or_240_bytes_is_too_long(name: str) -> None:
    with pytest.raises(InvalidInput, match="too long"):
        check_document_name(name)


@pytest.mark.parametrize("name", ["voorstel\x00.docx", "voorstel\n.docx", "voor\u200bstel.docx"])
def test_control_and_format_characters_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match="control characters"):
        check_document_name(name)


@pytest.mark.parametrize("char", list('/\\:*?"<>|'))
def test_characters_sharepoint_refuses_are_refused(char: str) -> None:
    with pytest.raises(InvalidInput, match="may not contain"):
        check_document_name(f"voorstel{char}1.docx")


def test_every_forbidden_character_is_named_once_in_order() -> None:
    with pytest.raises(InvalidInput, match=r"may not contain \* : \?\.$"):
        check_document_name("a?b:c*d?.docx")


@pytest.mark.parametrize(
    "name", [".access.json", ".versions", "..", "voorstel.docx.", "voorstel.docx ", " voorstel"]
)
def test_a_leading_dot_or_space_or_a_trailing_one_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match="may not start with a dot or a space"):
        check_document_name(name)


def test_a_document_of_exactly_50_mb_passes() -> None:
    check_size("Groot.bin", bytes(MAX_DOCUMENT_BYTES))


def test_a_document_over_50_mb_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"'Groot.bin' is 52428801 bytes; .* at most 50 MB"):
        check_size("Groot.bin", bytes(MAX_DOCUMENT_BYTES + 1))


def test_a_grant_adds_people_with_their_level() -> None:
    assert merge_access({}, [ANNA, BART], write=False) == {ANNA.oid: "read", BART.oid: "read"}
    assert merge_access({ANNA.oid: "read"}, [CHRIS], write=True) == {
        ANNA.oid: "read", CHRIS.oid: "write"}


def test_write_upgrades_read_and_read_never_downgrades_write() -> None:
    assert merge_access({ANNA.oid: "read"}, [ANNA], write=True) == {ANNA.oid: "write"}
    assert merge_access({ANNA.oid: "write"}, [ANNA], write=False) == {ANNA.oid: "write"}


def test_merging_leaves_the_current_access_untouched() -> None:
    current = {ANNA.oid: "read"}
    merge_access(current, [ANNA, BART], write=True)
    assert current == {ANNA.oid: "read"}
