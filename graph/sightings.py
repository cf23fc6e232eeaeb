"""What one store has seen of the lists, and when: enough to know, without asking again,
that the event ids of an append are new.

Time is a counter (``tick``) taken before and after reads. An id is known to be new for an
append at version ``v`` of a dossier when ``find_event`` missed it, a ``load`` of the dossier
began after that miss and saw version ``v``, and that load read every event committed since
the miss: it started (``after``) at a version this store saw before the miss. The commit is
conditional on ``v``, so nothing can come in between; within the dossier, the load's own
events are checked. (The other ids of a command derive from its first: ``X.1``, ``X.2``.)
"""

from __future__ import annotations

import itertools
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from approvals.events import Event


class Lru(OrderedDict[str, Any]):
    """A dict that forgets its least recently stored keys beyond ``size``."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: str, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


@dataclass(frozen=True)
class Loaded:
    """A load: when it began, from where, up to which version, which event ids it read."""

    tick: int
    after: int
    version: int
    ids: frozenset[str]


class Sightings:
    def __init__(self, size: int) -> None:
        self._ticks = itertools.count(1)
        self._missed = Lru(4 * size)  # event id -> (tick begun, tick ended) of a miss
        self._loaded = Lru(size)  # dossier id -> Loaded
        self._versions = Lru(size)  # dossier id -> deque of (tick, version seen)

    def tick(self) -> int:
        return next(self._ticks)

    def missed(self, event_id: str, begun: int) -> None:
        """``find_event`` began at ``begun`` and did not find the id."""
        self._missed.put(event_id, (begun, self.tick()))

    def loaded(self, dossier_id: str, begun: int, after: int, version: int,
               events: Sequence[Event]) -> None:
        self._loaded.put(dossier_id, Loaded(begun, after, version,
                                            frozenset(e.event_id for e in events)))

    def saw(self, dossier_id: str, version: int) -> None:
        """The dossier was at ``version`` (or later) by now."""
        seen = self._versions.get(dossier_id) or deque(maxlen=16)
        seen.append((self.tick(), version))
        self._versions.put(dossier_id, seen)

    def forget(self, events: Sequence[Event]) -> None:
        """An append used these ids: a miss proves nothing any more."""
        for event in events:
            self._missed.pop(event.event_id, None)

    def proven_new(self, dossier_id: str, expected: int, events: Sequence[Event]) -> bool:
        first = events[0].event_id
        if any(e.event_id != (f"{first}.{n}" if n else first) for n, e in enumerate(events)):
            return False
        miss, loaded = self._missed.get(first), self._loaded.get(dossier_id)
        if miss is None or loaded is None or loaded.tick <= miss[1]:
            return False
        if loaded.version != expected or any(e.event_id in loaded.ids for e in events):
            return False
        seen = self._versions.get(dossier_id) or ()
        return loaded.after == 0 or any(tick < miss[0] and version >= loaded.after
                                        for tick, version in seen)
