"""Audit anchors in the SharePoint list Auditankers: one item per anchor, never changed.

``AnchorKey`` (the number, zero-padded) is unique, so two writers cannot both store an anchor
at one position: the second create is refused (409). A create whose answer was lost is read
back: when the stored item holds this very anchor, it is done. Nothing in paraaf updates or
deletes these items; give the list its own permissions and keep its version history on
(docs/audit.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from approvals.anchors import AnchorConflict, AnchorRecord
from graph.lists import Duplicate, Item, SiteLists, odata_text
from graph.rest import Graph, GraphUnavailable
from graph.retry import retry_idempotent
from graph.schema import ANCHORS

LIST = ANCHORS.title
ATTEMPTS = 6


def anchor_key(seq: int) -> str:
    return f"{seq:010d}"


def _record(item: Item) -> AnchorRecord:
    return AnchorRecord(int(item.fields.get("AnchorSeq") or 0), str(item.fields.get("Record")
                                                                    or ""))


class GraphAnchorLog:
    """``AnchorLog`` over the Auditankers list of one site."""

    def __init__(self, graph: Graph, site_id: str) -> None:
        self.lists = SiteLists(graph, site_id)

    async def records(self) -> Sequence[AnchorRecord]:
        items = await retry_idempotent(lambda: self.lists.query(LIST))
        return sorted((_record(i) for i in items), key=lambda r: r.seq)

    async def _at(self, seq: int) -> AnchorRecord | None:
        key = anchor_key(seq)
        items = await retry_idempotent(
            lambda: self.lists.query(LIST, f"fields/AnchorKey eq {odata_text(key)}", top=2))
        return next((_record(i) for i in items if i.fields.get("AnchorKey") == key), None)

    async def append(self, record: AnchorRecord) -> None:
        if record.seq > 1 and await self._at(record.seq - 1) is None:
            raise AnchorConflict(record.seq)  # the log does not end just before this one
        fields = {"Title": f"Anker {record.seq}", "AnchorKey": anchor_key(record.seq),
                  "AnchorSeq": record.seq, "AnchorHash": _hash(record), "Record": record.text}
        for _ in range(ATTEMPTS):
            try:
                await self.lists.create(LIST, fields)
                return
            except (Duplicate, GraphUnavailable) as error:
                stored = await self._at(record.seq)
                if stored == record:
                    return  # ours: stored by this call (its answer lost) or an earlier one
                if stored is not None or isinstance(error, Duplicate):
                    raise AnchorConflict(record.seq) from None
        raise GraphUnavailable(0, "unavailable", "The audit anchor could not be stored.")


def _hash(record: AnchorRecord) -> str:
    """The anchor's own hash, shown in the list (the record is what counts)."""
    try:
        return str(json.loads(record.text).get("hash", ""))
    except ValueError:
        return ""
