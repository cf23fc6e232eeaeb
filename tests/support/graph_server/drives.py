"""Drives and drive items: metadata, children, folders, simple upload, download, versions.

A document library is a list with template `documentLibrary` and one drive. Drive items carry
eTag `"{GUID},N"` (any change) and cTag `"c:{GUID},N"` (content changes), `size` and
`file.hashes.quickXorHash`. Every content write adds a version ("1.0", "2.0", ...). Content is
downloaded through a 302 to a pre-authenticated URL, as Graph does.
"""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from tests.support.graph_server import odata
from tests.support.graph_server.listitems import add_item
from tests.support.graph_server.model import Drive, DriveItem, FileVersion, Identity, SpList
from tests.support.graph_server.protocol import (
    GraphError,
    GraphRequest,
    GraphResponse,
    bad_request,
    iso,
    item_not_found,
    utc_now,
)
from tests.support.graph_server.quickxor import quickxor_hash
from tests.support.graph_server.router import Router
from tests.support.graph_server.state import DownloadTicket, State, conflict

_BAD_NAME = re.compile(r'["*:<>?/\\|]')
CONFLICT_BEHAVIOURS = ("fail", "replace", "rename")
NAME_EXISTS = "The specified item name already exists."


def origin(request: GraphRequest) -> str:
    return request.base_url.rsplit("/v1.0", 1)[0]


def drive_json(
    state: State, request: GraphRequest, drive: Drive, *, context: bool = True
) -> dict[str, Any]:
    used = sum(len(i.content) for i in drive.items.values())
    body: dict[str, Any] = {}
    if context:
        body["@odata.context"] = f"{request.base_url}/$metadata#drives/$entity"
    body.update({
        "createdDateTime": iso(drive.created),
        "description": "",
        "id": drive.id,
        "lastModifiedDateTime": iso(drive.created),
        "name": drive.name,
        "webUrl": drive.web_url,
        "driveType": "documentLibrary",
        "createdBy": {"user": {"displayName": "System Account"}},
        "owner": {"group": {"displayName": f"{state.sites[drive.site_id].display_name} Owners"}},
        "quota": {"deleted": 0, "remaining": 27487790694400 - used, "state": "normal",
                  "total": 27487790694400, "used": used},
    })
    return body


def path_of(drive: Drive, item: DriveItem) -> str:
    """`/a/b` for an item, "" for the root."""
    parts: list[str] = []
    while item.parent_id is not None:
        parts.append(item.name)
        item = drive.items[item.parent_id]
    return "/" + "/".join(reversed(parts)) if parts else ""


def parent_reference(state: State, drive: Drive, item: DriveItem) -> dict[str, Any]:
    ref: dict[str, Any] = {"driveType": "documentLibrary", "driveId": drive.id,
                           "siteId": drive.site_id}
    if item.parent_id is not None:
        parent = drive.items[item.parent_id]
        ref.update({"id": parent.id, "name": parent.name if parent.parent_id else drive.name,
                    "path": f"/drives/{drive.id}/root:{path_of(drive, parent)}"})
    return ref


def download_url(state: State, request: GraphRequest, drive: Drive, item: DriveItem,
                 version: str | None = None) -> str:
    token = state.ids.token()
    state.downloads[token] = DownloadTicket(drive.id, item.id, version)
    return (f"{origin(request)}/_layouts/15/download.aspx?UniqueId={item.unique_id}"
            f"&Translate=false&tempauth={token}&ApiVersion=2.0")


def item_json(
    state: State, request: GraphRequest, drive: Drive, item: DriveItem, *, context: bool = True,
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if context:
        body["@odata.context"] = f"{request.base_url}/$metadata#drives('{drive.id}')/items/$entity"
    if not item.is_folder:
        body["@microsoft.graph.downloadUrl"] = download_url(state, request, drive, item)
    web = drive.web_url + path_of(drive, item).replace(" ", "%20")
    body.update({
        "createdBy": item.created_by.as_identity_set(),
        "createdDateTime": iso(item.created),
        "eTag": item.etag,
        "id": item.id,
        "lastModifiedBy": item.modified_by.as_identity_set(),
        "lastModifiedDateTime": iso(item.modified),
        "name": item.name,
        "parentReference": parent_reference(state, drive, item),
        "webUrl": web,
        "cTag": item.ctag,
        "fileSystemInfo": {"createdDateTime": iso(item.created),
                           "lastModifiedDateTime": iso(item.modified)},
        "size": _size(drive, item),
    })
    if item.parent_id is None:
        body["root"] = {}
    if item.is_folder:
        body["folder"] = {"childCount": len(item.children)}
    else:
        body["file"] = {"hashes": {"quickXorHash": quickxor_hash(item.content)},
                        "mimeType": item.mime_type}
    if item.unique_permissions is not None and item.parent_id is not None:
        body["shared"] = {"scope": "users"}
    return body


def _size(drive: Drive, item: DriveItem) -> int:
    if not item.is_folder:
        return len(item.content)
    return sum(_size(drive, drive.items[c]) for c in item.children.values())


# ------------------------------------------------------------------------------ resolving


def resolve(state: State, drive: Drive, ref: str, request: GraphRequest) -> DriveItem:
    """An item by id, `root`, or (for `@path`) by path under its base item."""
    if ref == "@path" and request.item_path is not None:
        base, relpath = request.item_path
        item = resolve(state, drive, base, request)
        for part in [p for p in relpath.split("/") if p]:
            child = item.children.get(part.casefold())
            if child is None:
                raise item_not_found("The resource could not be found.")
            item = drive.items[child]
        return item
    if ref.lower() == "root":
        return drive.items[drive.root_id]
    if ref not in drive.items:
        raise item_not_found("The resource could not be found.")
    return drive.items[ref]


def target_for_write(
    state: State, drive: Drive, ref: str, request: GraphRequest, who: Identity
) -> tuple[DriveItem, str, DriveItem | None]:
    """(parent folder, name, existing item or None) for a write that may create the item.

    Folders on a path that do not exist yet are created, as Graph does for uploads.
    """
    if ref != "@path" or request.item_path is None:
        item = resolve(state, drive, ref, request)
        if item.parent_id is None or item.is_folder:
            raise bad_request("The target of a content upload must be a file.")
        return drive.items[item.parent_id], item.name, item
    base, relpath = request.item_path
    parts = [p for p in relpath.split("/") if p]
    if not parts:
        raise bad_request("A file name is required.")
    parent = resolve(state, drive, base, request)
    for part in parts[:-1]:
        child_id = parent.children.get(part.casefold())
        if child_id is None:
            parent = add_child(state, drive, parent, part, who, folder=True)
        else:
            parent = drive.items[child_id]
            if not parent.is_folder:
                raise conflict(NAME_EXISTS)
    name = parts[-1]
    check_name(name)
    existing = parent.children.get(name.casefold())
    return parent, name, drive.items[existing] if existing else None


def check_name(name: str) -> None:
    if not name or _BAD_NAME.search(name) or name != name.strip() or name.endswith("."):
        raise bad_request(f"The provided name '{name}' contains invalid characters.")


def free_name(parent: DriveItem, name: str) -> str:
    """`name 1.ext`, `name 2.ext`, ... as SharePoint renames on conflict."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    number = 1
    while True:
        candidate = f"{stem} {number}{dot}{ext}"
        if candidate.casefold() not in parent.children:
            return candidate
        number += 1


def add_child(
    state: State, drive: Drive, parent: DriveItem, name: str, who: Identity, *,
    folder: bool = False, content: bytes = b"",
) -> DriveItem:
    check_name(name)
    now = utc_now()
    item = DriveItem(
        id=state.ids.drive_item_id(), unique_id=state.ids.guid(), name=name, parent_id=parent.id,
        is_folder=folder, created=now, modified=now, created_by=who, modified_by=who,
    )
    if not folder:
        item.mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        item.content = content
        item.versions.append(FileVersion("1.0", content, now, who))
    drive.items[item.id] = item
    parent.children[name.casefold()] = item.id
    parent.modified = now
    sp_list = state.list_of(drive)
    list_item = add_item(state, sp_list, {"FileLeafRef": name},
                         content_type="Folder" if folder else "Document")
    list_item.created_by = list_item.modified_by = who
    item.list_item_id = list_item.id
    return item


def write_content(drive: Drive, item: DriveItem, content: bytes, who: Identity,
                  sp_list: SpList) -> None:
    now = utc_now()
    item.content = content
    item.etag_version += 1
    item.ctag_version += 1
    item.modified, item.modified_by = now, who
    major = int(item.versions[-1].label.split(".")[0]) + 1 if item.versions else 1
    item.versions.append(FileVersion(f"{major}.0", content, now, who))
    if item.list_item_id in sp_list.items:
        list_item = sp_list.items[item.list_item_id]
        list_item.version += 1
        list_item.modified, list_item.modified_by = now, who


def check_drive_if_match(request: GraphRequest, item: DriveItem) -> None:
    sent = request.headers.get("If-Match")
    if sent is None or sent.strip() == "*":
        return
    if request.force_race:
        item.etag_version += 1
        item.ctag_version += 1
    if sent.strip().strip('"') not in (item.etag.strip('"'), item.ctag.strip('"')):
        raise GraphError(412, "resourceModified",
                         "ETag does not match current item's value")


def remove(state: State, drive: Drive, item: DriveItem) -> None:
    for child_id in list(item.children.values()):
        remove(state, drive, drive.items[child_id])
    if item.parent_id is not None:
        drive.items[item.parent_id].children.pop(item.name.casefold(), None)
    drive.items.pop(item.id, None)
    state.list_of(drive).items.pop(item.list_item_id or 0, None)


def delete_for_list_item(state: State, sp_list: SpList, list_item_id: int) -> None:
    drive = state.drive_of(sp_list)
    for item in list(drive.items.values()):
        if item.list_item_id == list_item_id:
            remove(state, drive, item)
            return


# ------------------------------------------------------------------------------ handlers


def get_drive(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    return GraphResponse.json(200, drive_json(state, request, state.drive(p["drive"])))


def get_item(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    return GraphResponse.json(200, item_json(state, request, drive, item),
                              {"ETag": item.etag})


def delete_item(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    if item.parent_id is None:
        raise GraphError(403, "accessDenied", "The root of a drive cannot be deleted.")
    check_drive_if_match(request, item)
    remove(state, drive, item)
    return GraphResponse.empty()


def list_children(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    folder = resolve(state, drive, p["item"], request)
    children = sorted((drive.items[c] for c in folder.children.values()),
                      key=lambda i: i.name.casefold())
    top = odata.parse_top(request.param("$top", "top"), state.config.children_page_default,
                          999)
    token = request.param("$skiptoken", "skiptoken")
    start = int(odata.decode_token(token).rpartition("=")[2]) if token else 0
    body: dict[str, Any] = {
        "@odata.context": f"{request.base_url}/$metadata#drives('{drive.id}')/items"
                          f"('{folder.id}')/children",
    }
    if start + top < len(children):
        body["@odata.nextLink"] = odata.next_link(
            request.base_url, request.path, request.query,
            odata.encode_token(f"Paged=TRUE&p_Pos={start + top}"))
    body["value"] = [item_json(state, request, drive, c, context=False)
                     for c in children[start:start + top]]
    return GraphResponse.json(200, body)


def create_child(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    parent = resolve(state, drive, p["item"], request)
    if not parent.is_folder:
        raise bad_request("Children can only be created in a folder.")
    body = request.json_object()
    name = body.get("name")
    if not isinstance(name, str):
        raise bad_request("The name of the new item is required.")
    if "folder" not in body:
        raise bad_request("Only folders can be created here; upload files with PUT .../content.")
    behaviour = str(body.get("@microsoft.graph.conflictBehavior", "fail")).lower()
    if behaviour not in CONFLICT_BEHAVIOURS:
        raise bad_request(f"Invalid conflict behavior '{behaviour}'.")
    who = state.caller(request)
    existing_id = parent.children.get(name.casefold())
    if existing_id is not None:
        existing = drive.items[existing_id]
        if behaviour == "fail" or (behaviour == "replace" and not existing.is_folder):
            raise conflict(NAME_EXISTS)
        if behaviour == "replace":
            return GraphResponse.json(201, item_json(state, request, drive, existing))
        name = free_name(parent, name)
    item = add_child(state, drive, parent, name, who, folder=True)
    return GraphResponse.json(201, item_json(state, request, drive, item))


def get_content(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    if item.is_folder:
        raise bad_request("A folder has no content to download.")
    return GraphResponse(302, None, {"Location": download_url(state, request, drive, item)})


def put_content(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    if len(request.body) > state.config.simple_upload_limit:
        raise GraphError(413, "invalidRequest", "The request exceeds the maximum allowed size.")
    behaviour = (request.param("@microsoft.graph.conflictBehavior") or "replace").lower()
    if behaviour not in CONFLICT_BEHAVIOURS:
        raise bad_request(f"Invalid conflict behavior '{behaviour}'.")
    who = state.caller(request)
    parent, name, existing = target_for_write(state, drive, p["item"], request, who)
    if existing is not None:
        check_drive_if_match(request, existing)
        if existing.is_folder or behaviour == "fail":
            raise conflict(NAME_EXISTS)
        if behaviour == "replace":
            write_content(drive, existing, request.body, who, state.list_of(drive))
            return GraphResponse.json(200, item_json(state, request, drive, existing))
        name = free_name(parent, name)
    item = add_child(state, drive, parent, name, who, content=request.body)
    return GraphResponse.json(201, item_json(state, request, drive, item))


def list_versions(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    return GraphResponse.json(200, {
        "@odata.context": f"{request.base_url}/$metadata#drives('{drive.id}')/items"
                          f"('{item.id}')/versions",
        "value": [{"id": v.label, "lastModifiedBy": v.modified_by.as_identity_set(),
                   "lastModifiedDateTime": iso(v.modified), "size": len(v.content)}
                  for v in reversed(item.versions)],
    })


def get_version_content(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    item = resolve(state, drive, p["item"], request)
    if not any(v.label == p["version"] for v in item.versions):
        raise item_not_found("The resource could not be found.")
    url = download_url(state, request, drive, item, p["version"])
    return GraphResponse(302, None, {"Location": url})


def download(state: State, token: str) -> GraphResponse:
    """The pre-authenticated download URL (outside /v1.0, no bearer token needed)."""
    ticket = state.downloads.get(token)
    drive = state.drives.get(ticket.drive_id) if ticket else None
    item = drive.items.get(ticket.item_id) if drive and ticket else None
    if ticket is None or item is None:
        return GraphResponse(401, b"", {}, "text/plain")
    content = item.content
    if ticket.version is not None:
        content = next(v.content for v in item.versions if v.label == ticket.version)
    return GraphResponse(200, content, {"ETag": item.etag}, item.mime_type)


def register(router: Router) -> None:
    item = "/drives/{drive}/items/{item}"
    router.add("GET", "/drives/{drive}", get_drive)
    router.add("GET", item, get_item)
    router.add("DELETE", item, delete_item)
    router.add("GET", item + "/children", list_children)
    router.add("POST", item + "/children", create_child)
    router.add("GET", item + "/content", get_content)
    router.add("PUT", item + "/content", put_content)
    router.add("GET", item + "/versions", list_versions)
    router.add("GET", item + "/versions/{version}/content", get_version_content)
