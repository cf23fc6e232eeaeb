"""Text from people is data, never control: the one rule for control and bidi characters.

*Unsafe* characters are the C0 controls (U+0000-U+001F, ESC and BEL among them), DEL, the C1
controls (U+0080-U+009F, CSI among them), the line and paragraph separators U+2028/U+2029 and
the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). A
terminal or a renderer acts on them instead of showing them: they clear a screen, move the
cursor, forge a table row or make a text read in another order than it is stored.

On input, every channel (card data, command-line arguments, flow files) passes through
:func:`one_line` or :func:`multi_line`, which **refuse** such text with an
:class:`~approvals.errors.InvalidInput` naming the field. They do not strip: the history is
tamper-evident, and what is recorded must be what the person wrote. Two normalisations do not
change the meaning and are applied instead of refusing: a TAB becomes a space, and in
multi-line text CR LF and a lone CR become LF. Surrounding whitespace is trimmed.

- one-line text (titles, names, labels, choices, links, short field values): no line break;
- multi-line text (advice and decision texts, comments, reasons, long field values, flow
  descriptions and instructions): LF is the only line break.

On output, :func:`neutralize` shows each unsafe character as a visible escape (``\\x1b``,
``\\u202e``), :func:`escape_json` does the same inside JSON text, and :func:`strip_unsafe`
removes them where text is rendered rather than printed (cards). Implicit direction marks
(U+200E, U+200F, U+061C) are allowed: right-to-left writing needs them and they cannot
override the order of other text.
"""

from __future__ import annotations

import re

from approvals.errors import InvalidInput

BIDI_CONTROLS = frozenset(chr(cp) for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
"""The embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069)."""
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
"""Everything :meth:`str.splitlines` breaks a line on."""
UNSAFE = frozenset(
    [chr(cp) for cp in (*range(0x00, 0x20), *range(0x7F, 0xA0))]
    + ["\u2028", "\u2029", *BIDI_CONTROLS]
)
"""Every character no text from people may carry (LF in multi-line text excepted)."""

_UNSAFE_CLASS = "[" + "".join(f"\\u{ord(ch):04x}" for ch in sorted(UNSAFE)) + "]"
_UNSAFE_RE = re.compile(_UNSAFE_CLASS)
_UNSAFE_BUT_LF_RE = re.compile(_UNSAFE_CLASS.replace("\\u000a", ""))

_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0A: "LF", 0x0B: "VT", 0x0C: "FF",
          0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI", 0x2028: "LS",
          0x2029: "PS", 0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO",
          0x202E: "RLO", 0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI"}
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def describe(ch: str) -> str:
    """A character as an error message names it: ``U+001B ESC``."""
    name = _NAMES.get(ord(ch))
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def _checked(value: object, what: str, subject: dict[str, str]) -> str:
    if not isinstance(value, str):
        raise InvalidInput(refusal="text_not_text", what=what, **subject)
    return value.replace("\t", " ")


class UnsafeText(InvalidInput):
    """Text with a line break where one line is asked, or with a control or bidi character;
    ``what`` names the field, ``char`` the first such character."""

    code = "unsafe_text"

    def __init__(self, refusal: str, what: str, char: str, **subject: str) -> None:
        super().__init__(refusal=refusal, what=what, char=describe(char), **subject)
        self.what = what
        self.char = char


def problem(char: str) -> str:
    """What is wrong with a text that holds ``char``: "contains a control character
    (U+001B ESC)", "has a line break (U+000A LF)"."""
    if char in BIDI_CONTROLS:
        return f"contains a bidirectional control character ({describe(char)})"
    if char in LINE_BREAKS:
        return f"has a line break ({describe(char)})"
    return f"contains a control character ({describe(char)})"


def _refusal(char: str, line_break: str) -> str:
    if char in BIDI_CONTROLS:
        return "text_bidi_char"
    return line_break if char in LINE_BREAKS else "text_control_char"


def one_line(value: object, what: str, **subject: str) -> str:
    """One line of text, trimmed; UnsafeText naming ``what`` for a line break or any other
    unsafe character."""
    text = _checked(value, what, subject).strip()
    found = _UNSAFE_RE.search(text)
    if found is None:
        return text
    char = found.group()
    raise UnsafeText(_refusal(char, "text_line_break"), what, char, **subject)


def multi_line(value: object, what: str, **subject: str) -> str:
    """Text of several lines, trimmed, with LF line breaks; UnsafeText naming ``what`` for
    any other unsafe character."""
    text = _checked(value, what, subject).replace("\r\n", "\n").replace("\r", "\n").strip()
    found = _UNSAFE_BUT_LF_RE.search(text)
    if found is None:
        return text
    char = found.group()
    raise UnsafeText(_refusal(char, "text_odd_line_break"), what, char, **subject)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _SHORT:
        return _SHORT[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def neutralize(text: object) -> str:
    """The text for one line of a terminal: every unsafe character (line breaks too) shown
    as a visible escape, so it is printed and never acted on."""
    return _UNSAFE_RE.sub(_escape, str(text))


def neutralize_lines(text: object) -> str:
    """As :func:`neutralize`, but keeping LF line breaks (for text of several lines)."""
    return _UNSAFE_BUT_LF_RE.sub(_escape, str(text))


def escape_json(dumped: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with every unsafe character
    written as a ``\\uXXXX`` escape. JSON escapes C0 inside strings itself, and outside
    strings there is only layout (LF, spaces): it stays valid and reads back the same."""
    return _UNSAFE_BUT_LF_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def strip_unsafe(text: object) -> str:
    """The text without unsafe characters, keeping LF (a TAB becomes a space, CR LF and CR
    become LF): for text that is rendered, such as a card's."""
    cleaned = str(text).replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE_BUT_LF_RE.sub("", cleaned)
