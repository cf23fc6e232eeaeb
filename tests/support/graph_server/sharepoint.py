"""Sites, lists and columns: `/sites/{site}`, `/sites/{site}/lists`, `.../columns`."""

from __future__ import annotations

from typing import Any

from tests.support.graph_server import odata
from tests.support.graph_server.columns import (
    apply_flags,
    built_in_columns,
    column_json,
    create_column,
    unique_key,
)
from tests.support.graph_server.drives import drive_json
from tests.support.graph_server.model import Column, Site, SpList
from tests.support.graph_server.protocol import (
    GraphError,
    GraphRequest,
    GraphResponse,
    bad_request,
    iso,
    item_not_found,
    utc_now,
)
from tests.support.graph_server.router import Router
from tests.support.graph_server.state import State, conflict

MAX_INDEXED = 20
TEMPLATES = ("genericList", "documentLibrary")


def site_json(request: GraphRequest, site: Site) -> dict[str, Any]:
    body: dict[str, Any] = {
        "@odata.context": f"{request.base_url}/$metadata#sites/$entity",
        "createdDateTime": iso(site.created),
        "description": "",
        "id": site.id,
        "lastModifiedDateTime": iso(site.created),
        "name": site.name,
        "webUrl": site.web_url,
        "displayName": site.display_name,
        "siteCollection": {"hostname": site.host},
    }
    if site.path == "/":
        body["root"] = {}
    return body


def list_json(
    request: GraphRequest, site: Site, sp_list: SpList, *, context: bool = True,
    expand: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if context:
        body["@odata.context"] = f"{request.base_url}/$metadata#sites('{site.id}')/lists/$entity"
    body.update({
        "@odata.etag": sp_list.etag,
        "createdDateTime": iso(sp_list.created),
        "description": sp_list.description,
        "eTag": sp_list.etag,
        "id": sp_list.id,
        "lastModifiedDateTime": iso(sp_list.modified),
        "name": sp_list.name,
        "webUrl": sp_list.web_url,
        "displayName": sp_list.display_name,
        "createdBy": sp_list.created_by.as_identity_set(),
        "parentReference": {"siteId": site.id},
        "list": {"contentTypesEnabled": False, "hidden": False, "template": sp_list.template},
    })
    if expand and "columns" in expand:
        body["columns"] = [column_json(c) for c in sp_list.columns.values()]
    return body


def _site_list(state: State, p: dict[str, str]) -> tuple[Site, SpList]:
    site = state.site(p["site"])
    return site, state.sp_list(site, p["list"])


def get_site(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    return GraphResponse.json(200, site_json(request, state.site(p["site"])))


def get_lists(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site = state.site(p["site"])
    expand = odata.parse_expand(request.param("$expand", "expand"))
    lists = list(site.lists.values())
    text = request.param("$filter", "filter")
    if text:
        try:
            tree = odata.parse_filter(text)
        except odata.FilterSyntaxError as exc:
            raise bad_request(f"Invalid filter clause: {exc}") from exc

        def keep(sp_list: SpList) -> bool:
            props = {"displayname": sp_list.display_name, "name": sp_list.name,
                     "id": sp_list.id, "list/template": sp_list.template}
            return odata.evaluate(tree, lambda path: props.get(path.lower()), lambda _p, v: v)

        lists = [candidate for candidate in lists if keep(candidate)]
    return GraphResponse.json(200, {
        "@odata.context": f"{request.base_url}/$metadata#sites('{site.id}')/lists",
        "value": [list_json(request, site, s, context=False, expand=expand) for s in lists],
    })


def create_list(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site = state.site(p["site"])
    body = request.json_object()
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("The displayName of a list is required.")
    template = (body.get("list") or {}).get("template", "genericList")
    if template not in TEMPLATES:
        raise bad_request(f"The list template '{template}' is not supported here.")
    if any(s.display_name.lower() == name.strip().lower() for s in site.lists.values()):
        raise conflict(
            "A list, survey, discussion board, or document library with the specified title "
            "already exists in this Web site.  Please choose another title."
        )
    definitions = body.get("columns") or []
    if not isinstance(definitions, list):
        raise bad_request("columns must be a list of column definitions.")
    existing = {c.name: c for c in built_in_columns(template)}
    columns: list[Column] = []
    for definition in definitions:
        if not isinstance(definition, dict):
            raise bad_request("columns must be a list of column definitions.")
        column = create_column(definition, state.ids, existing)
        existing[column.name] = column
        columns.append(column)
    sp_list = state.add_list(site, name.strip(), template, by=state.caller(request))
    sp_list.description = str(body.get("description") or "")
    for column in columns:
        sp_list.columns[column.name] = column
    _check_index_limit(sp_list)
    return GraphResponse.json(201, list_json(request, site, sp_list))


def _check_index_limit(sp_list: SpList) -> None:
    if sum(c.indexed for c in sp_list.columns.values()) > MAX_INDEXED:
        raise bad_request(f"A list can have at most {MAX_INDEXED} indexed columns.")


def get_list(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    expand = odata.parse_expand(request.param("$expand", "expand"))
    return GraphResponse.json(200, list_json(request, site, sp_list, expand=expand))


def delete_list(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    if sp_list.id == site.default_drive_list_id:
        raise GraphError(403, "accessDenied", "The default document library cannot be deleted.")
    del site.lists[sp_list.id]
    if sp_list.drive_id:
        state.drives.pop(sp_list.drive_id, None)
    return GraphResponse.empty()


def get_list_drive(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    _, sp_list = _site_list(state, p)
    return GraphResponse.json(200, drive_json(state, request, state.drive_of(sp_list)))


def get_drives(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site = state.site(p["site"])
    drives = [state.drives[s.drive_id] for s in site.lists.values() if s.drive_id]
    return GraphResponse.json(200, {
        "@odata.context": f"{request.base_url}/$metadata#drives",
        "value": [drive_json(state, request, d, context=False) for d in drives],
    })


# ---------------------------------------------------------------------------- columns


def _column(sp_list: SpList, ref: str) -> Column:
    for column in sp_list.columns.values():
        if ref.lower() in (column.id.lower(), column.name.lower()):
            return column
    raise item_not_found("Column not found")


def get_columns(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    return GraphResponse.json(200, {
        "@odata.context":
            f"{request.base_url}/$metadata#sites('{site.id}')/lists('{sp_list.id}')/columns",
        "value": [column_json(c) for c in sp_list.columns.values()],
    })


def get_column(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    _, sp_list = _site_list(state, p)
    return GraphResponse.json(200, column_json(_column(sp_list, p["column"])))


def create_list_column(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    site, sp_list = _site_list(state, p)
    column = create_column(request.json_object(), state.ids, sp_list.columns)
    sp_list.columns[column.name] = column
    try:
        _check_index_limit(sp_list)
    except GraphError:
        del sp_list.columns[column.name]
        raise
    sp_list.version += 1
    body = column_json(column)
    body["@odata.context"] = (
        f"{request.base_url}/$metadata#sites('{site.id}')/lists('{sp_list.id}')/columns/$entity"
    )
    return GraphResponse.json(201, body)


def update_column(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    _, sp_list = _site_list(state, p)
    column = _column(sp_list, p["column"])
    body = request.json_object()
    if column.system and set(body) - {"hidden", "description"}:
        raise GraphError(403, "accessDenied", f"The column '{column.name}' cannot be changed.")
    own = "text" if column.kind == "note" else column.kind
    if {"text", "number", "dateTime", "boolean", "choice"} & set(body) - {own}:
        raise bad_request("The type of a column cannot be changed.")
    indexed = body.get("indexed", column.indexed)
    unique = body.get("enforceUniqueValues", column.unique)
    before = (column.indexed, column.unique)
    apply_flags(column, indexed, unique)
    if column.unique and not before[1]:
        values = [unique_key(i.fields.get(column.name)) for i in sp_list.items.values()]
        values = [v for v in values if v is not None]
        if len(values) != len(set(values)):
            column.indexed, column.unique = before
            raise bad_request(
                "This column cannot enforce unique values: it contains duplicate values."
            )
    try:
        _check_index_limit(sp_list)
    except GraphError:
        column.indexed, column.unique = before
        raise
    for key, attr in (("displayName", "display_name"), ("description", "description"),
                      ("required", "required"), ("hidden", "hidden")):
        if key in body:
            setattr(column, attr, body[key])
    if "choice" in body and column.kind == "choice" and isinstance(body["choice"], dict):
        column.facet.update(body["choice"])
    sp_list.version += 1
    sp_list.modified = utc_now()
    return GraphResponse.json(200, column_json(column))


def delete_column(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    _, sp_list = _site_list(state, p)
    column = _column(sp_list, p["column"])
    if column.system or column.name == "Title":
        raise GraphError(403, "accessDenied", f"The column '{column.name}' cannot be deleted.")
    del sp_list.columns[column.name]
    for item in sp_list.items.values():
        item.fields.pop(column.name, None)
    sp_list.version += 1
    return GraphResponse.empty()


SITE_ROLES = ("read", "write", "manage", "fullcontrol")


def _grant(grant: dict[str, Any], with_roles: bool) -> dict[str, Any]:
    app = dict(grant["application"])
    body: dict[str, Any] = {"id": grant["id"], "grantedToIdentitiesV2": [{"application": app}],
                            "grantedToIdentities": [{"application": app}]}
    if with_roles:
        body["roles"] = list(grant["roles"])
    return body


def get_site_permissions(state: State, request: GraphRequest,
                         p: dict[str, str]) -> GraphResponse:
    """The applications granted the site; as Graph lists them, without their roles (one
    permission's GET has them)."""
    site = state.site(p["site"])
    return GraphResponse.json(200, {
        "@odata.context": f"{request.base_url}/$metadata#sites('{site.id}')/permissions",
        "value": [_grant(g, with_roles=False) for g in site.app_grants]})


def get_site_permission(state: State, request: GraphRequest,
                        p: dict[str, str]) -> GraphResponse:
    site = state.site(p["site"])
    for grant in site.app_grants:
        if grant["id"] == p["permission"]:
            return GraphResponse.json(200, _grant(grant, with_roles=True))
    raise item_not_found("The resource could not be found.")


def create_site_permission(state: State, request: GraphRequest,
                           p: dict[str, str]) -> GraphResponse:
    """Grant an application the site (what a SharePoint administrator does for
    Sites.Selected): ``{"roles": [...], "grantedToIdentities": [{"application": {...}}]}``."""
    site = state.site(p["site"])
    body = request.json_object()
    roles = body.get("roles")
    identities = body.get("grantedToIdentities")
    if not isinstance(roles, list) or not roles or any(r not in SITE_ROLES for r in roles):
        raise bad_request("roles must be read, write, manage or fullcontrol.")
    if not isinstance(identities, list) or len(identities) != 1 or not isinstance(
            (identities[0] or {}).get("application"), dict) or not identities[0][
                "application"].get("id"):
        raise bad_request("grantedToIdentities must name one application by its id.")
    app = {"id": str(identities[0]["application"]["id"]),
           "displayName": str(identities[0]["application"].get("displayName") or "")}
    grant = {"id": f"aTowaS50fG1zLnNwLmV4dHw{len(site.app_grants) + 1}", "roles": list(roles),
             "application": app}
    site.app_grants.append(grant)
    return GraphResponse.json(201, _grant(grant, with_roles=True))


def register(router: Router) -> None:
    router.add("GET", "/sites/{site}", get_site)
    router.add("GET", "/sites/{site}/permissions", get_site_permissions)
    router.add("POST", "/sites/{site}/permissions", create_site_permission, cost="permission")
    router.add("GET", "/sites/{site}/permissions/{permission}", get_site_permission)
    router.add("GET", "/sites/{site}/lists", get_lists)
    router.add("POST", "/sites/{site}/lists", create_list)
    router.add("GET", "/sites/{site}/lists/{list}", get_list)
    router.add("DELETE", "/sites/{site}/lists/{list}", delete_list)
    router.add("GET", "/sites/{site}/lists/{list}/drive", get_list_drive)
    router.add("GET", "/sites/{site}/drives", get_drives)
    router.add("GET", "/sites/{site}/lists/{list}/columns", get_columns)
    router.add("POST", "/sites/{site}/lists/{list}/columns", create_list_column)
    router.add("GET", "/sites/{site}/lists/{list}/columns/{column}", get_column)
    router.add("PATCH", "/sites/{site}/lists/{list}/columns/{column}", update_column)
    router.add("DELETE", "/sites/{site}/lists/{list}/columns/{column}", delete_column)
