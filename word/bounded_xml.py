"""Streaming XML with a bounded cost, for parts of documents that people upload.

The bytes are fed to expat in small chunks and each element is handed to a ``Handler`` as it
starts and ends; no tree is built, so memory does not grow with the document. One ``Budget``
is shared by every part of a document: bytes read, elements seen, nesting depth and the
processor time spent (of this thread, so that a busy machine does not make a document
unreadable that reads fine on a quiet one). Going over any of them raises ``TooCostly``.
A document type declaration is refused outright, so no entity is ever declared, expanded
or fetched (no "billion laughs", no external entities): expat then knows only the five
predefined entities.

Names (of elements and attributes) arrive as expat gives them: ``"namespace}local"``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol
from xml.parsers import expat

CHUNK = 64 * 1024
"""Bytes fed to the parser at a time."""
_CLOCK_EVERY = 1024
"""Elements between two looks at the clock."""


class TooCostly(Exception):
    """The document is over one of the budget's caps, or declares a DTD."""


class Malformed(Exception):
    """The part is not well-formed XML."""


class Stop(Exception):
    """Raised by a handler that has read all it needs: the rest of the part is skipped."""


@dataclass
class Budget:
    """What reading one document may cost, across all of its parts."""

    max_part_bytes: int
    max_total_bytes: int
    max_elements: int
    max_depth: int
    seconds: float  # processor time of the reading thread
    deadline: float = field(init=False)
    total_bytes: int = field(default=0, init=False)
    elements: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.deadline = time.thread_time() + self.seconds

    def check_time(self) -> None:
        if time.thread_time() > self.deadline:
            raise TooCostly(f"took more than {self.seconds:g} s")


class Handler(Protocol):
    """Receives one part's elements in document order."""

    def start(self, name: str, attrs: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def text(self, data: str) -> None: ...


def _refuse_dtd(*_: object) -> None:
    raise TooCostly("the part declares a document type (DTD)")


def _refuse_entity(*_: object) -> int:
    raise TooCostly("the part refers to an external entity")


class _Feeder:
    """Counts elements and depth on the way to the handler."""

    def __init__(self, handler: Handler, budget: Budget) -> None:
        self.handler = handler
        self.budget = budget
        self.depth = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        budget = self.budget
        budget.elements += 1
        self.depth += 1
        if budget.elements > budget.max_elements:
            raise TooCostly(f"more than {budget.max_elements} elements")
        if self.depth > budget.max_depth:
            raise TooCostly(f"nested deeper than {budget.max_depth}")
        if budget.elements % _CLOCK_EVERY == 0:
            budget.check_time()
        self.handler.start(name, attrs)

    def end(self, name: str) -> None:
        self.depth -= 1
        self.handler.end(name)


def _parser(feeder: _Feeder) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = feeder.start
    parser.EndElementHandler = feeder.end
    parser.CharacterDataHandler = feeder.handler.text
    return parser


def parse(chunks: Iterable[bytes], handler: Handler, budget: Budget) -> None:
    """Feed the part's bytes to ``handler`` through expat, within ``budget``.

    TooCostly over a cap, Malformed for XML that is not well-formed; a handler's ``Stop``
    ends the part early and quietly.
    """
    parser = _parser(_Feeder(handler, budget))
    size = 0
    try:
        for chunk in chunks:
            size += len(chunk)
            budget.total_bytes += len(chunk)
            if size > budget.max_part_bytes:
                raise TooCostly(f"a part is larger than {budget.max_part_bytes} bytes")
            if budget.total_bytes > budget.max_total_bytes:
                raise TooCostly(f"the parts are larger than {budget.max_total_bytes} bytes")
            budget.check_time()
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except Stop:
        return
    except expat.ExpatError as error:
        raise Malformed(str(error)) from None
