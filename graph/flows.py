"""Versioned flow definitions in the SharePoint list Processtromen.

One item per flow version: ``FlowKey`` (``id@version``, unique) ``FlowId``, ``FlowVersion``,
``Status`` (concept / gepubliceerd / ingetrokken), ``Title``, ``Body`` (the YAML as written),
``PublishedBy`` and ``PublishedAt``. The rules of a version's life are the domain's
(:mod:`approvals.flow_versions`), as in every FlowRepository.

Writes are conditional: a concept is replaced and a status changed with ``If-Match`` on the
eTag that was read, and a new version is created under the unique ``FlowKey``; when another
writer got there first, the item is read again and the rules are applied to what it holds.
A write whose connection dropped may or may not have been applied: the item is read again,
and the write is made again only when what is stored is not what it wrote. Reads are simply
sent again (:mod:`graph.retry`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from approvals.errors import UnknownFlow
from approvals.flow_versions import check_resave, check_transition
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person
from approvals.ports import FlowRecord, FlowStatus
from graph.lists import Duplicate, Item, PreconditionFailed, SiteLists, odata_text
from graph.rest import Graph, GraphError, GraphUnavailable
from graph.retry import retry_idempotent
from graph.schema import FLOWS

log = logging.getLogger("paraaf.graph")

LIST = FLOWS.title
ATTEMPTS = 8  # reads and writes per change, when writes lose races or their answers


def flow_key(flow_id: str, version: int) -> str:
    return f"{flow_id}@{version}"


def iso_seconds(at: datetime) -> str:
    """SharePoint keeps whole seconds: ``2026-11-23T09:30:00Z``."""
    if at.tzinfo is None:
        raise ValueError("A timezone-aware datetime is needed.")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _published_at(value: Any) -> str:
    if not value:
        return ""
    return iso_seconds(datetime.fromisoformat(str(value).replace("Z", "+00:00")))


def _busy(flow_id: str, version: int) -> GraphError:
    return GraphError(412, "preconditionFailed",
                      f"Flow '{flow_id}' version {version} kept changing while it was written.")


def _records(items: Sequence[Item]) -> list[FlowRecord]:
    """The items that are flow versions (one edited by hand into nonsense is left out)."""
    records = []
    for item in items:
        try:
            records.append(_record(item))
        except ValueError:
            log.warning("not a flow version", extra={"list": LIST, "item": item.id})
    return records


def _record(item: Item) -> FlowRecord:
    f = item.fields
    return FlowRecord(
        id=str(f.get("FlowId") or ""), version=int(f.get("FlowVersion") or 0),
        title=str(f.get("Title") or ""), status=FlowStatus(str(f.get("Status"))),
        source=str(f.get("Body") or ""), published_by=str(f.get("PublishedBy") or ""),
        published_at=_published_at(f.get("PublishedAt")),
    )


def _fields(flow: FlowDefinition, source: str) -> dict[str, Any]:
    return {"Title": flow.title, "FlowKey": flow_key(flow.id, flow.version), "FlowId": flow.id,
            "FlowVersion": flow.version, "Status": FlowStatus.CONCEPT.value, "Body": source,
            "PublishedBy": None, "PublishedAt": None}


class GraphFlowRepository:
    """``FlowRepository`` over the Processtromen list of one site."""

    def __init__(self, graph: Graph, site_id: str) -> None:
        self.lists = SiteLists(graph, site_id)

    async def _find(self, flow_id: str, version: int) -> Item | None:
        key = flow_key(flow_id, version)

        async def find() -> Item | None:
            items = await self.lists.query(LIST, f"fields/FlowKey eq {odata_text(key)}", top=2)
            # SharePoint compares text without case; flow ids are lower case, but be exact
            return next((i for i in items if i.fields.get("FlowKey") == key), None)

        return await retry_idempotent(find)

    async def save(self, flow: FlowDefinition, source: str) -> FlowRecord:
        fields = _fields(flow, source)
        failure: GraphError = _busy(flow.id, flow.version)
        for _ in range(ATTEMPTS):
            existing = await self._find(flow.id, flow.version)
            if existing is not None:  # perhaps written by this call, its answer lost
                if check_resave(_record(existing), source):
                    return _record(existing)
                try:  # replace the concept, unless it changed since it was read
                    await self.lists.update(LIST, existing.id, fields, existing.etag)
                except PreconditionFailed:  # changed since it was read: read it again
                    failure = _busy(flow.id, flow.version)
                    continue
                except GraphUnavailable as error:  # applied or not: read it again to see
                    failure = error
                    continue
            else:
                try:
                    await self.lists.create(LIST, fields)
                except Duplicate:  # another writer created this version first
                    failure = _busy(flow.id, flow.version)
                    continue
                except GraphUnavailable as error:  # created or not: read it again to see
                    failure = error
                    continue
                except GraphError:  # refused otherwise: was it stored after all?
                    if await self._find(flow.id, flow.version) is None:
                        raise
                    continue
            return FlowRecord(flow.id, flow.version, flow.title, FlowStatus.CONCEPT, source)
        raise failure

    async def set_status(
        self, flow_id: str, version: int, status: FlowStatus, by: Person, at: datetime
    ) -> FlowRecord:
        status = FlowStatus(status)
        failure: GraphError = _busy(flow_id, version)
        lost: tuple[FlowStatus, str, str] | None = None  # what a write without answer wrote
        for _ in range(ATTEMPTS):
            existing = await self._find(flow_id, version)
            if existing is None:
                raise UnknownFlow(f"There is no version {version} of flow '{flow_id}'.")
            record = _record(existing)
            if lost is not None and (record.status, record.published_by,
                                     record.published_at) == lost:
                return record  # the write was applied; only its answer was lost
            check_transition(record, status)
            published = status is FlowStatus.PUBLISHED
            by_upn = by.upn if published else record.published_by
            when = iso_seconds(at) if published else record.published_at
            changes: dict[str, Any] = {"Status": status.value}
            if published:
                changes.update(PublishedBy=by_upn, PublishedAt=when)
            try:
                await self.lists.update(LIST, existing.id, changes, existing.etag)
            except PreconditionFailed:
                failure, lost = _busy(flow_id, version), None
                continue
            except GraphUnavailable as error:  # applied or not: read it again to see
                failure, lost = error, (status, by_upn, when)
                continue
            return FlowRecord(record.id, record.version, record.title, status, record.source,
                              by_upn, when)
        raise failure

    async def get(self, flow_id: str, version: int | None = None) -> FlowRecord | None:
        if version is not None:
            found = await self._find(flow_id, version)
            return None if found is None else _record(found)
        filter = (f"fields/FlowId eq {odata_text(flow_id)} and "
                  f"fields/Status eq {odata_text(FlowStatus.PUBLISHED.value)}")
        records = _records(await retry_idempotent(lambda: self.lists.query(LIST, filter)))
        records = [r for r in records if r.id == flow_id and r.status is FlowStatus.PUBLISHED]
        return max(records, key=lambda r: r.version, default=None)

    async def list(self) -> Sequence[FlowRecord]:
        records = _records(await retry_idempotent(lambda: self.lists.query(LIST)))
        return sorted(records, key=lambda r: (r.id, r.version))
