"""List items: `/sites/{site}/lists/{list}/items[/{id}[/fields]]`.

Faithful to SharePoint behind Graph where it matters for correctness:
- eTags `"{guid},{version}"`, the version going up on every write; `If-Match` (or `*`) on
  PATCH/DELETE, a stale one answering 412 `preconditionFailed`;
- `enforceUniqueValues` checked on create and update (409 `nameAlreadyExists`);
- `$filter`/`$orderby` on a column that is not indexed answers 400 unless the request carries
  `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`, and even then fails once the list
  holds more items than the list view threshold (5,000);
- pages of 200 by default (`$top` up to 5,000), `@odata.nextLink` with a SharePoint-style
  `$skiptoken` (`Paged=TRUE&p_ID=...`);
- no `$count` on list items (400, whatever the `ConsistencyLevel`; `items/$count` is 404).
"""

from __future__ import annotations

import re
from typing import Any

from tests.support.graph_server import odata
from tests.support.graph_server.columns import (
    coerce_literal,
    coerce_write,
    comparable,
    render,
    unique_key,
)
from tests.support.graph_server.model import Column, ListItem, Site, SpList
from tests.support.graph_server.protocol import (
    GraphError,
    GraphRequest,
    GraphResponse,
    bad_request,
    iso,
    utc_now,
)
from tests.support.graph_server.router import Router
from tests.support.graph_server.state import State

NON_INDEXED_PREFER = "honornonindexedquerieswarningmayfailrandomly"
ALWAYS_FILTERABLE = {"id", "fields/id"}
DELTA_FUNCTION = re.compile(r"delta\((?:token='([^']*)')?\)", re.IGNORECASE)
CONTENT_TYPE_IDS = {"Item": "0x01", "Document": "0x0101", "Folder": "0x0120"}


def fields_json(
    sp_list: SpList, item: ListItem, select: list[str] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"@odata.etag": item.etag}
    title = item.fields.get("Title")
    system: dict[str, Any] = {
        "id": str(item.id),
        "ContentType": item.content_type,
        "Modified": iso(item.modified),
        "Created": iso(item.created),
        "AuthorLookupId": "6" if item.created_by.is_app else "7",
        "EditorLookupId": "6" if item.modified_by.is_app else "7",
        "_UIVersionString": f"{item.version}.0",
        "Attachments": False,
        "Edit": "",
        "LinkTitleNoMenu": title,
        "LinkTitle": title,
        "ItemChildCount": "0",
        "FolderChildCount": "0",
        "_ComplianceFlags": "",
        "_ComplianceTag": "",
        "_ComplianceTagWrittenTime": "",
        "_ComplianceTagUserId": "",
    }
    if select is None:
        for name, custom in sp_list.columns.items():
            value = item.fields.get(name)
            if value is not None and not custom.system:
                body[name] = render(custom, value)
        if sp_list.template == "documentLibrary" and item.fields.get("FileLeafRef"):
            body["FileLeafRef"] = item.fields["FileLeafRef"]
        body.update({k: v for k, v in system.items() if v is not None})
        return body
    lowered = {k.lower(): k for k in system}
    for wanted in select:
        column = _find_column(sp_list, wanted)
        if column is not None and column.name in item.fields:
            value = item.fields.get(column.name)
            if value is not None:
                body[column.name] = render(column, value)
        elif wanted.lower() in lowered:
            key = lowered[wanted.lower()]
            if system[key] is not None:
                body[key] = system[key]
        elif column is None:
            raise bad_request(f"Field '{wanted}' is not recognized")
    return body


def _find_column(sp_list: SpList, name: str) -> Column | None:
    column = sp_list.columns.get(name)
    if column is not None:
        return column
    low = name.lower()
    return next((c for c in sp_list.columns.values() if c.name.lower() == low), None)


def item_json(
    request: GraphRequest, site: Site, sp_list: SpList, item: ListItem, *, context: bool = True,
    expand: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    prefix = f"{request.base_url}/$metadata#sites('{site.id}')/lists('{sp_list.id}')"
    body: dict[str, Any] = {}
    if context:
        body["@odata.context"] = f"{prefix}/items/$entity"
    body.update({
        "@odata.etag": item.etag,
        "createdDateTime": iso(item.created),
        "eTag": item.etag,
        "id": str(item.id),
        "lastModifiedDateTime": iso(item.modified),
        "webUrl": f"{sp_list.web_url}/{item.id}_.000",
        "createdBy": item.created_by.as_identity_set(),
        "lastModifiedBy": item.modified_by.as_identity_set(),
        "parentReference": {"id": sp_list.id, "siteId": site.id},
        "contentType": {"id": CONTENT_TYPE_IDS.get(item.content_type, "0x01") + "00",
                        "name": item.content_type},
    })
    if expand is not None and "fields" in expand:
        if context:
            body["fields@odata.context"] = f"{prefix}/items('{item.id}')/fields/$entity"
        body["fields"] = fields_json(sp_list, item, odata.parse_select(expand["fields"].get(
            "select")))
    select = odata.parse_select(request.param("$select", "select"))
    if select:
        keep = {s.lower() for s in select} | {"@odata.etag", "@odata.context", "fields",
                                               "fields@odata.context"}
        body = {k: v for k, v in body.items() if k.lower() in keep}
    return body


def _site_list(state: State, p: dict[str, str]) -> tuple[Site, SpList]:
    site = state.site(p["site"])
    return site, state.sp_list(site, p["list"])


def _etag_headers(item: ListItem) -> dict[str, str]:
    return {"ETag": item.etag}


# ------------------------------------------------------------------------------ queries


def _query_columns(
    state: State, request: GraphRequest, sp_list: SpList, paths: list[str]
) -> dict[str, Column | None]:
    """The column behind every `fields/X` in a query, with SharePoint's indexing rules."""
    honoured = NON_INDEXED_PREFER in request.prefer()
    found: dict[str, Column | None] = {}
    for path in paths:
        if path.lower() in ALWAYS_FILTERABLE:
            found[path] = None
            continue
        if not path.lower().startswith("fields/"):
            raise bad_request(f"Property '{path}' cannot be used in a list item query here.")
        name = path.split("/", 1)[1]
        column = _find_column(sp_list, name)
        if column is None:
            raise bad_request(f"Field '{name}' is not recognized")
        found[path] = column
        if column.indexed:
            continue
        if not honoured:
            raise bad_request(
                f"Field '{column.name}' cannot be referenced in filter or orderby as it is not "
                "indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' "
                "header to allow this, but be warned that such queries may fail on large lists."
            )
        if len(sp_list.items) > state.config.list_view_threshold:
            raise _threshold_error(state)
    return found


def _threshold_error(state: State) -> GraphError:
    if state.config.threshold_status == 500:
        return GraphError(500, "generalException", "The attempted operation is prohibited "
                          "because it exceeds the list view threshold.")
    return GraphError(429, "activityLimitReached", "The request has been throttled")


def _value(item: ListItem, path: str, column: Column | None) -> Any:
    if column is None:
        return float(item.id)
    return comparable(column, item.fields.get(column.name))


def query_items(state: State, request: GraphRequest, sp_list: SpList) -> list[ListItem]:
    """The items a `$filter`/`$orderby` selects, in order (before paging)."""
    text = request.param("$filter", "filter")
    order = odata.parse_orderby(request.param("$orderby", "orderby"))
    tree = None
    paths = [path for path, _ in order]
    if text:
        try:
            tree = odata.parse_filter(text)
        except odata.FilterSyntaxError as exc:
            raise bad_request(f"Invalid filter clause: {exc}") from exc
        paths = odata.properties(tree) + paths
    columns = _query_columns(state, request, sp_list, paths)
    items = sorted(sp_list.items.values(), key=lambda i: i.id)
    if tree is not None:

        def literal(path: str, lit: Any) -> Any:
            column = columns[path]
            if column is not None:
                return comparable(column, coerce_literal(column, lit))
            try:
                return float(lit)
            except (TypeError, ValueError):
                return lit

        def keep(item: ListItem) -> bool:
            return odata.evaluate(tree, lambda path: _value(item, path, columns[path]), literal)

        items = [item for item in items if keep(item)]
    for path, descending in reversed(order):
        column = columns[path]

        def sort_key(item: ListItem, path: str = path, column: Column | None = column) -> Any:
            value = _value(item, path, column)
            value = value.casefold() if isinstance(value, str) else value
            return (value is not None, value)

        items.sort(key=sort_key, reverse=descending)
    return items


def _skiptoken(token: str) -> tuple[int, int]:
    """The last item id and position a `$skiptoken` of :func:`list_items` holds; 400 for a
    token this server did not hand out."""
    values = dict(part.partition("=")[::2] for part in odata.decode_token(token).split("&"))
    try:
        if values.get("Paged") != "TRUE":
            raise ValueError(token)
        return int(values["p_ID"]), int(values.get("p_Pos", "0"))
    except (KeyError, ValueError) as exc:
        raise GraphError(400, "invalidRequest", "Invalid $skiptoken.") from exc


def list_items(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    if request.param("$count", "count") is not None:
        raise bad_request("$count is not supported on this API. Only URLs returned by the API "
                          "can be used to page.")
    expand = odata.parse_expand(request.param("$expand", "expand"))
    top = odata.parse_top(request.param("$top", "top"), state.config.item_page_default,
                          state.config.item_page_max)
    items = query_items(state, request, sp_list)
    start = 0
    token = request.param("$skiptoken", "skiptoken")
    if token:
        last, after = _skiptoken(token)
        position = next((n for n, i in enumerate(items) if i.id == last), None)
        start = position + 1 if position is not None else after
    page = items[start:start + top]
    body: dict[str, Any] = {
        "@odata.context":
            f"{request.base_url}/$metadata#sites('{site.id}')/lists('{sp_list.id}')/items",
    }
    if start + top < len(items):
        token = odata.encode_token(f"Paged=TRUE&p_ID={page[-1].id}&p_Pos={start + top}")
        body["@odata.nextLink"] = odata.next_link(request.base_url, request.path,
                                                  request.query, token)
    body["value"] = [item_json(request, site, sp_list, i, context=False, expand=expand)
                     for i in page]
    return GraphResponse.json(200, body)


# ------------------------------------------------------------------------------ writes


def _coerce_fields(sp_list: SpList, fields: Any) -> dict[str, Any]:
    if not isinstance(fields, dict):
        raise bad_request("fields must be a JSON object.")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name.startswith("@odata."):
            continue
        column = _find_column(sp_list, name)
        if column is None:
            raise bad_request(f"Field '{name}' is not recognized")
        if column.read_only or (column.system and column.name != "FileLeafRef"):
            raise bad_request(f"Field '{column.name}' is read-only")
        out[column.name] = coerce_write(column, value)
    return out


def _check_unique(sp_list: SpList, values: dict[str, Any], own_id: int | None) -> None:
    for name, value in values.items():
        column = sp_list.columns[name]
        if not column.unique or value is None:
            continue
        key = unique_key(value)
        for other in sp_list.items.values():
            if other.id != own_id and unique_key(other.fields.get(name)) == key:
                raise GraphError(
                    409, "nameAlreadyExists",
                    "The list item could not be added or updated because duplicate values were "
                    f"found in the following field(s) in the list: [{column.name}].",
                )


def check_if_match(request: GraphRequest, etag: str, bump: Any = None) -> None:
    """Honour `If-Match`; a race fault lets another writer win first (via `bump`)."""
    sent = request.headers.get("If-Match")
    if sent is None:
        return
    sent = sent.strip()
    if sent == "*":
        return
    if request.force_race and bump is not None:
        etag = bump()
    if _bare(sent) != _bare(etag):
        raise GraphError(
            412, "preconditionFailed",
            f"The request ETag value '{sent}' does not match the object's ETag value '{etag}'.",
        )


def _bare(etag: str) -> str:
    etag = etag.strip()
    if etag.startswith("W/"):
        etag = etag[2:]
    return etag.strip('"')


def create_item(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    if sp_list.template == "documentLibrary":
        raise bad_request(
            "Files and folders should only be added to a DocumentLibrary via the OneDrive API"
        )
    body = request.json_object()
    values = _coerce_fields(sp_list, body.get("fields", {}))
    _check_unique(sp_list, values, None)
    item = add_item(state, sp_list, values, request)
    return GraphResponse.json(201, item_json(request, site, sp_list, item, expand={"fields": {}}),
                              _etag_headers(item))


def add_item(
    state: State, sp_list: SpList, values: dict[str, Any], request: GraphRequest | None = None,
    content_type: str = "Item",
) -> ListItem:
    who = state.caller(request) if request is not None else state.app
    now = utc_now()
    item = ListItem(
        id=sp_list.next_item_id, unique_id=state.ids.guid(),
        fields={k: v for k, v in values.items() if v is not None},
        created=now, modified=now, created_by=who, modified_by=who, content_type=content_type,
    )
    sp_list.next_item_id += 1
    sp_list.items[item.id] = item
    return item


def _update(state: State, request: GraphRequest, sp_list: SpList, item: ListItem,
            fields: Any) -> None:
    def bump() -> str:
        item.version += 1
        item.modified = utc_now()
        return item.etag

    check_if_match(request, item.etag, bump)
    values = _coerce_fields(sp_list, fields)
    _check_unique(sp_list, values, item.id)
    for name, value in values.items():
        if value is None:
            item.fields.pop(name, None)
        else:
            item.fields[name] = value
    item.version += 1
    item.modified = utc_now()
    item.modified_by = state.caller(request)


def get_item(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    function = DELTA_FUNCTION.fullmatch(p["item"])
    if function is not None:  # items/delta() and items/delta(token='...'): the SDK's spelling
        from tests.support.graph_server.delta import items_delta

        return items_delta(state, request, p, function.group(1) or "")
    site, sp_list = _site_list(state, p)
    item = state.list_item(sp_list, p["item"])
    expand = odata.parse_expand(request.param("$expand", "expand"))
    return GraphResponse.json(200, item_json(request, site, sp_list, item, expand=expand),
                              _etag_headers(item))


def get_fields(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    item = state.list_item(sp_list, p["item"])
    body = {
        "@odata.context": f"{request.base_url}/$metadata#sites('{site.id}')/lists('{sp_list.id}')"
                          f"/items('{item.id}')/fields/$entity",
        **fields_json(sp_list, item, odata.parse_select(request.param("$select", "select"))),
    }
    return GraphResponse.json(200, body, _etag_headers(item))


def patch_fields(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    item = state.list_item(sp_list, p["item"])
    _update(state, request, sp_list, item, request.json_object())
    body = {
        "@odata.context": f"{request.base_url}/$metadata#sites('{site.id}')/lists('{sp_list.id}')"
                          f"/items('{item.id}')/fields/$entity",
        **fields_json(sp_list, item),
    }
    return GraphResponse.json(200, body, _etag_headers(item))


def patch_item(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    item = state.list_item(sp_list, p["item"])
    _update(state, request, sp_list, item, request.json_object().get("fields", {}))
    return GraphResponse.json(200, item_json(request, site, sp_list, item, expand={"fields": {}}),
                              _etag_headers(item))


def delete_item(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    _, sp_list = _site_list(state, p)
    item = state.list_item(sp_list, p["item"])

    def bump() -> str:
        item.version += 1
        return item.etag

    check_if_match(request, item.etag, bump)
    if sp_list.template == "documentLibrary":
        from tests.support.graph_server.drives import delete_for_list_item

        delete_for_list_item(state, sp_list, item.id)
    sp_list.items.pop(item.id, None)
    return GraphResponse.empty()


def register(router: Router) -> None:
    from tests.support.graph_server.delta import items_delta

    base = "/sites/{site}/lists/{list}/items"
    router.add("GET", base + "/delta", items_delta)  # before items/{item}
    router.add("GET", base, list_items)
    router.add("POST", base, create_item)
    router.add("GET", base + "/{item}", get_item)
    router.add("PATCH", base + "/{item}", patch_item)
    router.add("DELETE", base + "/{item}", delete_item)
    router.add("GET", base + "/{item}/fields", get_fields)
    router.add("PATCH", base + "/{item}/fields", patch_fields)
