"""Sharing: `POST .../invite`, `GET .../permissions`, `PATCH` (roles) and `DELETE`
`.../permissions/{id}`.

Items inherit permissions from their folder, up to the library root, which carries the site's
Owners / Members / Visitors groups. The first invite on an item breaks inheritance; with
`retainInheritedPermissions: false` (what msgraph-sdk's `InvitePostRequestBody` sends unless
told otherwise) the inherited permissions are dropped, as the service documents.
"""

from __future__ import annotations

import base64
from typing import Any

from tests.support.graph_server.directory_model import User
from tests.support.graph_server.drives import path_of, resolve
from tests.support.graph_server.model import Drive, DriveItem, Permission
from tests.support.graph_server.protocol import (
    GraphError,
    GraphRequest,
    GraphResponse,
    bad_request,
    item_not_found,
)
from tests.support.graph_server.router import Router
from tests.support.graph_server.state import State

ROLES = ("read", "write")


def login_name(user: User) -> str:
    return f"i:0#.f|membership|{user.upn.lower()}"


def permission_json(perm: Permission, inherited_from: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"id": perm.id, "roles": list(perm.roles)}
    if perm.site_group is not None:
        body["grantedTo"] = {"user": {"displayName": perm.site_group["displayName"]}}
        body["grantedToV2"] = {"siteGroup": dict(perm.site_group)}
    elif perm.user is not None:
        body["grantedTo"] = {"user": dict(perm.user)}
        body["grantedToV2"] = {
            "user": {"@odata.type": "#microsoft.graph.sharePointIdentity", **perm.user},
            "siteUser": {
                "@odata.type": "#microsoft.graph.sharePointIdentity",
                "displayName": perm.user.get("displayName"),
                "email": perm.user.get("email"),
                "id": perm.site_user_id,
                "loginName": perm.login_name,
            },
        }
    if inherited_from is not None:
        body["inheritedFrom"] = inherited_from
    return body


def effective(drive: Drive, item: DriveItem) -> tuple[list[Permission], DriveItem]:
    """The permissions that apply to `item` and the item that defines them."""
    current = item
    while current.unique_permissions is None and current.parent_id is not None:
        current = drive.items[current.parent_id]
    return current.unique_permissions or [], current


def _listing(drive: Drive, item: DriveItem) -> list[dict[str, Any]]:
    perms, owner = effective(drive, item)
    inherited = None
    if owner is not item:
        inherited = {"driveId": drive.id, "id": owner.id,
                     "path": f"/drives/{drive.id}/root:{path_of(drive, owner)}"}
    return [permission_json(p, inherited) for p in perms]


def _recipient(state: State, raw: Any) -> User:
    user = None
    if isinstance(raw, dict):
        if raw.get("objectId"):
            user = state.directory.find(str(raw["objectId"]))
        elif raw.get("email"):
            user = state.directory.find_by_mail(str(raw["email"]))
        elif raw.get("alias"):
            user = state.directory.find(str(raw["alias"]))
    if user is None:
        raise bad_request("One or more users could not be resolved.")
    return user


def invite(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    body = request.json_object()
    recipients = body.get("recipients")
    roles = body.get("roles")
    if not isinstance(recipients, list) or not recipients:
        raise bad_request("At least one recipient is required.")
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        raise bad_request("roles must be 'read' or 'write'.")
    users = [_recipient(state, r) for r in recipients]
    if item.unique_permissions is None:
        retain = body.get("retainInheritedPermissions", True)
        inherited, _ = effective(drive, item)
        item.unique_permissions = (
            [Permission(q.id, list(q.roles), q.user, q.site_group, q.login_name, q.site_user_id)
             for q in inherited] if retain else []
        )
    granted: list[Permission] = []
    for user in users:
        login = login_name(user)
        perm = next((q for q in item.unique_permissions if q.login_name == login), None)
        if perm is None:
            perm = Permission(
                id=base64.urlsafe_b64encode(login.encode()).decode().rstrip("="),
                roles=[],
                user={"displayName": user.display_name, "email": user.mail, "id": user.id},
                login_name=login,
                site_user_id=str(11 + list(state.directory.users).index(user.id)),
            )
            item.unique_permissions.append(perm)
        perm.roles = ["write"] if "write" in perm.roles or "write" in roles else ["read"]
        granted.append(perm)
        if body.get("sendInvitation"):
            state.invitations.append({"itemId": item.id, "to": user.mail,
                                      "message": body.get("message"), "roles": list(roles)})
    return GraphResponse.json(200, {
        "@odata.context": f"{request.base_url}/$metadata#Collection(microsoft.graph.permission)",
        "value": [permission_json(q, None) for q in granted],
    })


def list_permissions(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    return GraphResponse.json(200, {
        "@odata.context": f"{request.base_url}/$metadata#drives('{drive.id}')/items"
                          f"('{item.id}')/permissions",
        "value": _listing(drive, item),
    })


def get_permission(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    for body in _listing(drive, item):
        if body["id"] == p["permission"]:
            return GraphResponse.json(200, body)
    raise item_not_found("The resource could not be found.")


def _own_grant(state: State, request: GraphRequest, p: dict[str, str],
               verb: str) -> tuple[list[Permission], Permission]:
    """The permission the path names, on the item itself (not inherited), with the list it
    is in: 404 when the item has no such permission, 400 when it is inherited."""
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    perms, owner = effective(drive, item)
    perm = next((q for q in perms if q.id == p["permission"]), None)
    if perm is None:
        raise item_not_found("The resource could not be found.")
    if owner is not item:
        raise GraphError(400, "invalidRequest",
                         f"Only sharing permissions that are not inherited can be {verb}.")
    return perms, perm


def delete_permission(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    perms, perm = _own_grant(state, request, p, "deleted")
    perms.remove(perm)
    return GraphResponse.empty()


def update_permission(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    """Only `roles` can change, and only on a permission the item has itself."""
    _, perm = _own_grant(state, request, p, "updated")
    roles = request.json_object().get("roles")
    if not isinstance(roles, list) or len(roles) != 1 or roles[0] not in ROLES:
        raise bad_request("roles must be ['read'] or ['write'].")
    perm.roles = [str(roles[0])]
    return GraphResponse.json(200, permission_json(perm, None))


def register(router: Router) -> None:
    item = "/drives/{drive}/items/{item}"
    router.add("POST", item + "/invite", invite, cost="permission")
    router.add("GET", item + "/permissions", list_permissions)
    router.add("GET", item + "/permissions/{permission}", get_permission)
    router.add("PATCH", item + "/permissions/{permission}", update_permission,
               cost="permission")
    router.add("DELETE", item + "/permissions/{permission}", delete_permission,
               cost="permission")
