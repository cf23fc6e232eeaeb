"""Standing substitutes on the site (list Vervangers): one item per period.

Columns: ``AbsenceId`` (unique: a create whose answer was lost is not stored twice),
``PersonOid``, ``StartDate`` and ``EndDate`` (ISO dates as text, which sort as dates; indexed,
the queries filter on them) and ``Body`` (the period as JSON). There are few periods at any
time, so "who is away today" reads the periods that have not ended and picks in memory.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Mapping, Sequence
from datetime import date

from approvals.substitutes import Absence
from graph.lists import Duplicate, Item, NotFound, SiteLists, odata_text
from graph.rest import Graph
from graph.retry import retry_idempotent, retry_write
from graph.schema import SUBSTITUTES

LIST = SUBSTITUTES.title


def _absence(item: Item) -> Absence | None:
    raw = item.fields.get("Body")
    return Absence.from_json(json.loads(raw)) if raw else None


def _sorted(items: Sequence[Item]) -> list[Absence]:
    found = [a for a in (_absence(i) for i in items) if a is not None]
    return sorted(found, key=lambda a: (a.start, a.id))


class GraphSubstituteStore:
    """``SubstituteStore`` over the Vervangers list of one site."""

    def __init__(self, graph: Graph, site_id: str) -> None:
        self.lists = SiteLists(graph, site_id)

    async def _by_id(self, absence_id: str) -> Item | None:
        items = await retry_idempotent(lambda: self.lists.query(
            LIST, f"fields/AbsenceId eq {odata_text(absence_id)}", top=1, limit=1))
        return items[0] if items else None

    async def add(self, absence: Absence) -> None:
        async def create() -> bool:
            with contextlib.suppress(Duplicate):  # stored by an earlier try whose answer was lost
                await self.lists.create(LIST, {
                    "Title": absence.person.upn[:255], "AbsenceId": absence.id,
                    "PersonOid": absence.person.oid, "StartDate": absence.start.isoformat(),
                    "EndDate": absence.end.isoformat(),
                    "Body": json.dumps(absence.to_json(), ensure_ascii=False),
                })
            return True

        async def stored() -> bool | None:
            return True if await self._by_id(absence.id) else None

        await retry_write(create, stored)

    async def for_person(self, oid: str) -> Sequence[Absence]:
        items = await retry_idempotent(lambda: self.lists.query(
            LIST, f"fields/PersonOid eq {odata_text(oid)}"))
        return [a for a in _sorted(items) if a.person.oid == oid]

    async def current(self, since: date) -> Sequence[Absence]:
        items = await retry_idempotent(lambda: self.lists.query(
            LIST, f"fields/EndDate ge {odata_text(since.isoformat())}"))
        return [a for a in _sorted(items) if a.end >= since]

    async def active_on(self, day: date, oids: Collection[str]) -> Mapping[str, Absence]:
        found: dict[str, Absence] = {}
        for absence in await self.current(day):
            if absence.person.oid in oids and absence.covers(day):
                found.setdefault(absence.person.oid, absence)
        return found

    async def remove(self, absence_id: str) -> bool:
        item = await self._by_id(absence_id)
        if item is None:
            return False

        async def delete() -> None:
            with contextlib.suppress(NotFound):  # deleted by a concurrent call, or by this one
                await self.lists.delete(LIST, item.id)

        await retry_idempotent(delete)
        return True
