"""Text from people is data: the input rule refuses every control and bidi character, and the
output neutralisers never let one through, over every such code point (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals.errors import InvalidInput
from approvals.text import (
    BIDI_CONTROLS,
    UNSAFE,
    UnsafeText,
    escape_json,
    multi_line,
    neutralize,
    neutralize_lines,
    one_line,
    strip_unsafe,
)
from cards.format import user_text

C0 = [chr(cp) for cp in range(0x00, 0x20)]
C1 = [chr(cp) for cp in range(0x80, 0xA0)]
BIDI = [chr(cp) for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
EVERY_UNSAFE = sorted({*C0, "\x7f", *C1, *BIDI, "\u2028", "\u2029"})

unsafe = st.sampled_from(EVERY_UNSAFE)
# text around the character that does not start or end with whitespace (trimming is allowed)
words = st.text(st.characters(blacklist_characters=list(UNSAFE),
                              blacklist_categories=["Cs"]), max_size=20)
text_with_anything = st.text(
    st.one_of(st.characters(blacklist_categories=["Cs"]), unsafe), max_size=60)


def test_the_unsafe_set_is_c0_del_c1_bidi_and_the_unicode_line_breaks() -> None:
    assert set(EVERY_UNSAFE) == UNSAFE
    assert set(BIDI) == BIDI_CONTROLS
    assert "\u200e" not in UNSAFE and "\u200f" not in UNSAFE  # marks RTL writing needs


@pytest.mark.parametrize("char", EVERY_UNSAFE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_each_code_point_is_refused_and_shown_as_an_escape(char: str) -> None:
    if char != "\t":
        with pytest.raises(UnsafeText):
            one_line(f"a{char}b", "title")
    if char not in "\t\r\n":
        with pytest.raises(UnsafeText):
            multi_line(f"a{char}b", "comment")
    assert neutralize(f"a{char}b") != f"a{char}b" and char not in neutralize(f"a{char}b")
    assert char not in escape_json(json.dumps(f"a{char}b", ensure_ascii=False))
    assert char not in strip_unsafe(f"a{char}b").replace("\n", "")


@given(before=words, char=unsafe, after=words)
def test_one_line_text_refuses_every_control_and_bidi_character(
    before: str, char: str, after: str
) -> None:
    value = f"a{before}{char}{after}z"
    if char == "\t":
        assert one_line(value, "title") == value.replace("\t", " ").strip()
        return
    with pytest.raises(UnsafeText) as refused:
        one_line(value, "title")
    assert refused.value.message.startswith("The title ")
    assert f"U+{ord(refused.value.char):04X}" in refused.value.message
    assert isinstance(refused.value, InvalidInput) and refused.value.what == "title"


@given(before=words, char=unsafe, after=words)
def test_multi_line_text_keeps_line_feeds_and_refuses_the_rest(
    before: str, char: str, after: str
) -> None:
    value = f"a{before}{char}{after}z"
    if char in "\n\r\t":
        cleaned = multi_line(value, "decision text")
        assert cleaned == value.replace("\t", " ").replace("\r", "\n").strip()
        return
    with pytest.raises(UnsafeText) as refused:
        multi_line(value, "decision text")
    assert refused.value.message.startswith("The decision text ")


def test_line_endings_are_normalised_in_multi_line_text() -> None:
    assert multi_line("een\r\ntwee\rdrie\n", "comment") == "een\ntwee\ndrie"
    assert one_line("  Titel\r\n", "title") == "Titel"  # the ends are trimmed, not refused


@given(text_with_anything)
def test_accepted_text_holds_no_unsafe_character(value: str) -> None:
    for rule, allowed in ((one_line, set()), (multi_line, {"\n"})):
        try:
            cleaned = rule(value, "field")
        except UnsafeText:
            continue
        assert not (set(cleaned) & (UNSAFE - allowed))


@given(text_with_anything)
def test_neutralised_output_holds_no_unsafe_character(value: str) -> None:
    assert not set(neutralize(value)) & UNSAFE
    assert not set(neutralize_lines(value)) & (UNSAFE - {"\n"})
    assert neutralize_lines(value).count("\n") == value.count("\n")


@given(words)
def test_neutralising_safe_text_changes_nothing(value: str) -> None:
    assert neutralize(value) == value == neutralize_lines(value)


@given(st.dictionaries(text_with_anything, text_with_anything, max_size=4))
def test_json_stays_json_escaped_and_reads_back_the_same(data: dict[str, str]) -> None:
    dumped = escape_json(json.dumps(data, ensure_ascii=False, indent=2))
    assert not set(dumped) & (UNSAFE - {"\n"})  # indentation only
    assert json.loads(dumped) == data


@given(text_with_anything)
def test_cards_strip_every_unsafe_character_but_line_feeds(value: str) -> None:
    assert not set(strip_unsafe(value)) & (UNSAFE - {"\n"})
    assert not set(user_text(value, 10_000)) & (UNSAFE - {"\n"})


def test_cards_keep_links_broken_up_and_mentions_inert() -> None:
    shown = user_text("[klik](https://evil.example) <at>Burgemeester</at>\x1b[2J", 200)
    assert "](" not in shown and "\x1b" not in shown
    assert "<at>Burgemeester</at>" in shown  # text only: a card carries no mention entities


def test_escapes_are_visible_and_name_the_character() -> None:
    assert neutralize("a\x1b[2Jb\nc\u202ed\x9b") == "a\\x1b[2Jb\\nc\\u202ed\\x9b"
    assert neutralize_lines("a\nb\rc\td") == "a\nb\\rc\\td"
