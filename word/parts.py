"""Readers of the Word parts that comments live in, fed element by element (``bounded_xml``).

Each keeps only what it needs, with its own caps, so memory stays small whatever the size of
the part; each stops the part (``Stop``) as soon as it has read enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from word.bounded_xml import Stop

_W = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "http://purl.oclc.org/ooxml/wordprocessingml/main")  # transitional, strict
_MC_FALLBACK = "http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
_W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_FIXED_TEXT = {"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_W_NAMES = {f"{ns}}}{local}": local for ns in _W
            for local in ("comment", "p", "t", "commentRangeStart", "commentRangeEnd",
                          "commentReference", *_FIXED_TEXT)}


def w_name(name: str) -> str | None:
    """The local name of a ``w:`` element that comments need (either namespace), else None."""
    return _W_NAMES.get(name)


def w_attr(attrs: dict[str, str], name: str) -> str:
    """A ``w:`` attribute (expat names attributes ``namespace}local``)."""
    for ns in _W:
        value = attrs.get(f"{ns}}}{name}")
        if value is not None:
            return value
    return ""


class RelsReader:
    """The target of the first internal relationship whose type ends with ``kind``."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.target: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if (name == f"{_PKG_RELS}}}Relationship" and attrs.get("Type", "").endswith(self.kind)
                and attrs.get("TargetMode") != "External"):
            self.target = attrs.get("Target", "")
            raise Stop

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


@dataclass
class Comment:
    id: str
    author: str
    date: str
    para_id: str = ""  # of its last paragraph (the key to its UTC date)
    paragraphs: list[list[str]] = field(default_factory=list)
    size: int = 0

    @property
    def text(self) -> str:
        return "\n".join("".join(p) for p in self.paragraphs).strip()


class CommentsReader:
    """``word/comments.xml``: the first ``limit`` comments, their text cut at ``max_text``.

    Text inside ``mc:Fallback`` (a copy of the choice before it) is left out.
    """

    def __init__(self, limit: int, max_text: int) -> None:
        self.limit = limit
        self.max_text = max_text
        self.comments: list[Comment] = []
        self.current: Comment | None = None
        self.depth = 0
        self.fallback = 0
        self.paragraph_depth = 0
        self.in_t = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.fallback or name == _MC_FALLBACK:
            self.fallback += 1
            return
        local = w_name(name)
        if self.depth == 2 and local == "comment":
            author = w_attr(attrs, "author") or w_attr(attrs, "initials")
            self.current = Comment(w_attr(attrs, "id"), author.strip(), w_attr(attrs, "date"))
        elif self.current is None or local is None:
            return
        elif local == "p":
            self.paragraph_depth += 1
            if self.paragraph_depth == 1:
                self.current.paragraphs.append([])
            self.current.para_id = attrs.get(f"{_W14}}}paraId", "")
        elif local == "t":
            self.in_t = True
        elif local in _FIXED_TEXT:
            self.add(_FIXED_TEXT[local])

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.fallback:
            self.fallback -= 1
            return
        local = w_name(name)
        if local == "t":
            self.in_t = False
        elif local == "p" and self.current is not None:
            self.paragraph_depth -= 1
        elif self.depth == 1 and local == "comment" and self.current is not None:
            self.comments.append(self.current)
            self.current = None
            if len(self.comments) >= self.limit:
                raise Stop

    def text(self, data: str) -> None:
        if self.in_t and not self.fallback:
            self.add(data)

    def add(self, piece: str) -> None:
        comment = self.current
        if comment is None or not comment.paragraphs or comment.size > 2 * self.max_text:
            return
        comment.paragraphs[-1].append(piece)
        comment.size += len(piece)


class AttributeMapReader:
    """Elements ``element`` of namespace ``ns``: attribute ``key`` -> attribute ``value``, for
    the keys asked for (the id maps of the newer Word comment parts)."""

    def __init__(self, ns: str, element: str, key: str, value: str, keys: set[str]) -> None:
        self._element = f"{ns}}}{element}"
        self._key, self._value = f"{ns}}}{key}", f"{ns}}}{value}"
        self._keys = keys
        self.found: dict[str, str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == self._element:
            key = attrs.get(self._key, "")
            if key in self._keys:
                self.found[key] = attrs.get(self._value, "")

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


def ids_reader(para_ids: set[str]) -> AttributeMapReader:
    """``commentsIds.xml``: paragraph id -> durable id, for the paragraph ids asked for."""
    return AttributeMapReader(_W16CID, "commentId", "paraId", "durableId", para_ids)


def extensible_reader(durable_ids: set[str]) -> AttributeMapReader:
    """``commentsExtensible.xml``: durable id -> UTC date, for the durable ids asked for."""
    return AttributeMapReader(_W16CEX, "commentExtensible", "durableId", "dateUtc", durable_ids)


class PassageReader:
    """The main document: for the comment ids asked for, the text between their range marks
    and their place in the text. Stops once every one of them is placed and closed."""

    def __init__(self, ids: set[str], max_passage: int) -> None:
        self.ids = ids
        self.max_passage = max_passage
        self.texts: dict[str, list[str]] = {}
        self.sizes: dict[str, int] = {}
        self.order: dict[str, int] = {}
        self.open_ids: set[str] = set()
        self.fallback = 0
        self.in_t = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.fallback or name == _MC_FALLBACK:
            self.fallback += 1
            return
        local = w_name(name)
        if local == "t":
            self.in_t = True
        elif local in ("commentRangeStart", "commentReference"):
            cid = w_attr(attrs, "id")
            if cid in self.ids:
                self.order.setdefault(cid, len(self.order))
                if local == "commentRangeStart":
                    self.open_ids.add(cid)
                    self.texts.setdefault(cid, [])
                    self.sizes.setdefault(cid, 0)
                self.stop_when_done()
        elif local == "commentRangeEnd":
            self.open_ids.discard(w_attr(attrs, "id"))
            self.stop_when_done()

    def stop_when_done(self) -> None:
        if not self.open_ids and len(self.order) == len(self.ids):
            raise Stop

    def end(self, name: str) -> None:
        if self.fallback:
            self.fallback -= 1
            return
        local = w_name(name)
        if local == "t":
            self.in_t = False
        elif local in ("tab", "br", "p"):
            self.add(" ")

    def text(self, data: str) -> None:
        if self.in_t and not self.fallback:
            self.add(data)

    def add(self, piece: str) -> None:
        for cid in self.open_ids:
            if self.sizes[cid] <= self.max_passage:
                self.texts[cid].append(piece)
                self.sizes[cid] += len(piece)
