"""Directory endpoints: users (with `$select`, `$filter`, `$expand=manager`), managers, groups,
members and transitive members (paged), memberOf."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.graph_server import odata
from tests.support.graph_server.directory_model import Group, User
from tests.support.graph_server.protocol import GraphError, GraphRequest, GraphResponse
from tests.support.graph_server.router import Router
from tests.support.graph_server.state import State

DEFAULT_USER = ("businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
                "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id")
DEFAULT_GROUP = ("id", "deletedDateTime", "classification", "createdDateTime", "description",
                 "displayName", "groupTypes", "mail", "mailEnabled", "mailNickname",
                 "securityEnabled", "visibility")
ADVANCED_ONLY = ("ne", "not", "endswith")


def _not_found(ref: str) -> GraphError:
    return GraphError(404, "Request_ResourceNotFound", f"Resource '{ref}' does not exist or one "
                      "of its queried reference-property objects are not present.")


def user_props(user: User) -> dict[str, Any]:
    guest = user.user_type == "Guest"
    return {
        "businessPhones": [], "displayName": user.display_name, "givenName": user.given_name,
        "jobTitle": user.job_title, "mail": user.mail, "mobilePhone": None,
        "officeLocation": None, "preferredLanguage": user.preferred_language,
        "surname": user.surname, "userPrincipalName": user.upn, "id": user.id,
        "accountEnabled": user.account_enabled, "department": user.department,
        "userType": user.user_type, "companyName": None, "employeeId": None,
        "mailNickname": user.upn.split("@")[0], "otherMails": [], "usageLocation": None,
        "creationType": "Invitation" if guest else None,
        "externalUserState": "Accepted" if guest else None,
    }


def group_props(group: Group) -> dict[str, Any]:
    return {
        "id": group.id, "deletedDateTime": None, "classification": None,
        "createdDateTime": "2024-01-01T00:00:00Z", "description": group.description,
        "displayName": group.display_name, "groupTypes": [], "mail": None, "mailEnabled": False,
        "mailNickname": group.mail_nickname, "securityEnabled": True, "visibility": None,
    }


def _shape(props: dict[str, Any], select: list[str] | None, default: tuple[str, ...],
           type_name: str) -> dict[str, Any]:
    if select is None:
        return {k: props[k] for k in default}
    lowered = {k.lower(): k for k in props}
    out: dict[str, Any] = {}
    for name in select:
        key = lowered.get(name.lower())
        if key is None:
            raise GraphError(400, "Request_BadRequest", f"Could not find a property named "
                             f"'{name}' on type 'microsoft.graph.{type_name}'.")
        out[key] = props[key]
    return out


def directory_object(state: State, object_id: str, select: list[str] | None) -> dict[str, Any]:
    if object_id in state.directory.groups:
        body = _shape(group_props(state.directory.groups[object_id]), select, DEFAULT_GROUP,
                      "group")
        return {"@odata.type": "#microsoft.graph.group", **body}
    user = state.directory.users[object_id]
    return {"@odata.type": "#microsoft.graph.user",
            **_shape(user_props(user), select, DEFAULT_USER, "user")}


def _user(state: State, ref: str) -> User:
    user = state.directory.find(ref)
    if user is None:
        raise _not_found(ref)
    return user


def _group(state: State, ref: str) -> Group:
    try:
        uuid.UUID(ref)
    except ValueError as exc:
        raise GraphError(400, "Request_BadRequest", f"Invalid object identifier '{ref}'.") from exc
    group = state.directory.groups.get(ref.lower()) or state.directory.groups.get(ref)
    if group is None:
        raise _not_found(ref)
    return group


def _context(request: GraphRequest, entity: str, select: list[str] | None) -> str:
    shape = f"({','.join(select)})" if select else ""
    return f"{request.base_url}/$metadata#{entity}{shape}"


def _filtered(request: GraphRequest, rows: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    text = request.param("$filter", "filter")
    if not text:
        return rows
    try:
        tree = odata.parse_filter(text)
    except odata.FilterSyntaxError as exc:
        raise GraphError(400, "BadRequest", f"Invalid filter clause: {exc}") from exc
    advanced = (request.headers.get("ConsistencyLevel", "").lower() == "eventual"
                and (request.param("$count", "count") or "").lower() == "true")
    if not advanced and any(word in f" {text.lower()}" for word in
                            (" ne ", " not ", "not(", "endswith(")):
        raise GraphError(400, "Request_UnsupportedQuery", "Unsupported Query.")
    known = {k.lower() for k in rows[0]} if rows else set()
    for path in odata.properties(tree):
        if path.lower() not in known:
            raise GraphError(400, "Request_UnsupportedQuery", "Unsupported or invalid query "
                             f"filter clause specified for property '{path}' of resource "
                             f"'{kind}'.")

    def keep(row: dict[str, Any]) -> bool:
        lowered = {k.lower(): v for k, v in row.items()}
        return odata.evaluate(tree, lambda path: lowered.get(path.lower()), lambda _p, v: v)

    return [row for row in rows if keep(row)]


def _page(state: State, request: GraphRequest, entity: str, rows: list[dict[str, Any]],
          select: list[str] | None) -> GraphResponse:
    top = odata.parse_top(request.param("$top", "top"), state.config.directory_page_default,
                          state.config.directory_page_max, strict=True)
    token = request.param("$skiptoken", "skiptoken")
    start = int(odata.decode_token(token).rpartition(":")[2]) if token else 0
    body: dict[str, Any] = {"@odata.context": _context(request, entity, select)}
    if (request.param("$count", "count") or "").lower() == "true":
        body["@odata.count"] = len(rows)
    if start + top < len(rows):
        body["@odata.nextLink"] = odata.next_link(
            request.base_url, request.path, request.query,
            odata.encode_token(f"DSpt:skip:{start + top}"))
    body["value"] = rows[start:start + top]
    return GraphResponse.json(200, body)


def list_users(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    select = odata.parse_select(request.param("$select", "select"))
    props = [user_props(u) for u in state.directory.users.values()]
    rows = _filtered(request, props, "User")
    shaped = [_shape(r, select, DEFAULT_USER, "user") for r in rows]
    return _page(state, request, "users", shaped, select)


def get_user(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    user = _user(state, p["user"])
    select = odata.parse_select(request.param("$select", "select"))
    body = {"@odata.context": _context(request, "users", select) + "/$entity",
            **_shape(user_props(user), select, DEFAULT_USER, "user")}
    expand = odata.parse_expand(request.param("$expand", "expand"))
    if "manager" in expand:
        manager = state.directory.users.get(user.manager_id or "")
        if manager is not None:
            body["manager"] = directory_object(
                state, manager.id, odata.parse_select(expand["manager"].get("select")))
    return GraphResponse.json(200, body)


def get_manager(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    user = _user(state, p["user"])
    manager = state.directory.users.get(user.manager_id or "")
    if manager is None:
        raise _not_found("manager")
    select = odata.parse_select(request.param("$select", "select"))
    return GraphResponse.json(200, {
        "@odata.context": f"{request.base_url}/$metadata#directoryObjects/$entity",
        **directory_object(state, manager.id, select),
    })


def _member_of(transitive: bool) -> Any:
    def handler(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
        user = _user(state, p["user"])
        select = odata.parse_select(request.param("$select", "select"))
        rows = [directory_object(state, g, select)
                for g in state.directory.member_of(user.id, transitive)]
        return _page(state, request, "directoryObjects", rows, select)

    return handler


def list_groups(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    select = odata.parse_select(request.param("$select", "select"))
    rows = _filtered(request, [group_props(g) for g in state.directory.groups.values()], "Group")
    return _page(state, request, "groups",
                 [_shape(r, select, DEFAULT_GROUP, "group") for r in rows], select)


def get_group(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    group = _group(state, p["group"])
    select = odata.parse_select(request.param("$select", "select"))
    return GraphResponse.json(200, {
        "@odata.context": _context(request, "groups", select) + "/$entity",
        **_shape(group_props(group), select, DEFAULT_GROUP, "group"),
    })


def _members(transitive: bool, users_only: bool) -> Any:
    def handler(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
        group = _group(state, p["group"])
        select = odata.parse_select(request.param("$select", "select"))
        ids = state.directory.transitive_members(group.id) if transitive else group.members
        ids = [i for i in ids if i in state.directory.users or
               (not users_only and i in state.directory.groups)]
        rows = [directory_object(state, i, select) for i in ids]
        if users_only:
            rows = _filtered(request, rows, "User")
        return _page(state, request, "users" if users_only else "directoryObjects", rows, select)

    return handler


def register(router: Router) -> None:
    router.add("GET", "/users", list_users)
    router.add("GET", "/users/{user}", get_user)
    router.add("GET", "/users/{user}/manager", get_manager)
    router.add("GET", "/users/{user}/memberOf", _member_of(False))
    router.add("GET", "/users/{user}/transitiveMemberOf", _member_of(True))
    router.add("GET", "/groups", list_groups)
    router.add("GET", "/groups/{group}", get_group)
    router.add("GET", "/groups/{group}/members", _members(False, False))
    router.add("GET", "/groups/{group}/transitiveMembers", _members(True, False))
    for cast in ("microsoft.graph.user", "graph.user"):  # msgraph-sdk uses the alias
        router.add("GET", f"/groups/{{group}}/members/{cast}", _members(False, True))
        router.add("GET", f"/groups/{{group}}/transitiveMembers/{cast}", _members(True, True))
