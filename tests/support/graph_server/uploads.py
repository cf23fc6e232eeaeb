"""Resumable uploads: `createUploadSession`, then byte ranges PUT to the session's `uploadUrl`.

The upload URL lives outside `/v1.0` (in SharePoint it is on the tenant host) and is
pre-authenticated: no bearer token is needed. Fragments must come in order, each a multiple of
320 KiB except the last, each at most 60 MiB; `Content-Range: bytes start-end/total`.
Every accepted fragment answers 202 with `nextExpectedRanges`; the last one commits the file
(201 Created, or 200 OK when it replaced an existing file) unless `deferCommit` was asked, in
which case an empty POST to the upload URL commits.
"""

from __future__ import annotations

import re

from tests.support.graph_server.drives import (
    CONFLICT_BEHAVIOURS,
    add_child,
    check_drive_if_match,
    free_name,
    item_json,
    origin,
    target_for_write,
    write_content,
)
from tests.support.graph_server.model import UploadSession
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

_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
SESSION_PATH = "/_api/v2.0/uploadSession"


def create_session(state: State, request: GraphRequest, p: dict[str, str]) -> GraphResponse:
    drive = state.drive(p["drive"])
    body = request.json_object()
    options = body.get("item") or {}
    if not isinstance(options, dict):
        raise bad_request("item must be a JSON object.")
    behaviour = str(options.get("@microsoft.graph.conflictBehavior", "fail")).lower()
    if behaviour not in CONFLICT_BEHAVIOURS:
        raise bad_request(f"Invalid conflict behavior '{behaviour}'.")
    path_name = request.item_path[1].rstrip("/").rsplit("/", 1)[-1] if request.item_path else None
    if path_name is not None and options.get("name") and str(options["name"]) != path_name:
        raise bad_request("The name in the request body must match the name in the path.")
    who = state.caller(request)
    parent, name, existing = target_for_write(state, drive, p["item"], request, who)
    target_id = None
    if request.item_path is None and existing is not None:
        target_id, behaviour = existing.id, "replace"  # .../items/{id}/createUploadSession
    if existing is not None:
        check_drive_if_match(request, existing)
    token = state.ids.token()
    session = UploadSession(
        token=token, drive_id=drive.id, parent_id=parent.id, name=name, conflict=behaviour,
        target_id=target_id, expires=utc_now() + state.config.upload_session_lifetime,
    )
    session.defer_commit = bool(body.get("deferCommit"))
    state.uploads[token] = session
    overwrite = behaviour == "replace"
    url = (f"{origin(request)}{SESSION_PATH}?guid='{token}'&overwrite={overwrite}"
           f"&rename={behaviour == 'rename'}&dc=0&tempauth={state.ids.token()}")
    return GraphResponse.json(200, {
        "@odata.context": f"{request.base_url}/$metadata#microsoft.graph.uploadSession",
        "expirationDateTime": iso(session.expires),
        "nextExpectedRanges": ["0-"],
        "uploadUrl": url,
    })


def session_for(state: State, request: GraphRequest) -> UploadSession:
    token = (request.param("guid") or "").strip("'")
    session = state.uploads.get(token)
    if session is None:
        raise item_not_found("The upload session was not found or has expired.")
    if session.expires < utc_now():
        del state.uploads[token]
        raise item_not_found("The upload session was not found or has expired.")
    return session


def _status(session: UploadSession) -> dict[str, object]:
    return {"expirationDateTime": iso(session.expires),
            "nextExpectedRanges": [f"{len(session.received)}-"]}


def put_fragment(state: State, request: GraphRequest) -> GraphResponse:
    session = session_for(state, request)
    found = _RANGE.match(request.headers.get("Content-Range", "").strip())
    if not found:
        raise bad_request("The Content-Range header is missing or malformed.")
    start, end = int(found.group(1)), int(found.group(2))
    total = None if found.group(3) == "*" else int(found.group(3))
    if total is None or end < start or end >= total:
        raise bad_request("The Content-Range header is missing or malformed.")
    if session.total is not None and total != session.total:
        raise bad_request("The file size in Content-Range differs from the previous fragments.")
    size = end - start + 1
    if len(request.body) != size:
        raise bad_request("The fragment length does not match the Content-Range header.")
    if size > state.config.upload_fragment_max:
        raise GraphError(413, "invalidRequest", "A fragment may be at most 60 MiB.")
    if start != len(session.received):
        raise GraphError(416, "invalidRange",
                         "The uploaded fragment overlaps with data that has already been "
                         "received, or leaves a gap." if start < len(session.received) else
                         "Fragments must be uploaded in order.",
                         )
    last = end == total - 1
    if not last and size % state.config.upload_fragment_multiple:
        raise bad_request("Each fragment except the last must be a multiple of 320 KiB "
                          "(327,680 bytes).")
    session.total = total
    session.received += request.body
    if not last or session.defer_commit:
        return GraphResponse.json(202, _status(session) if not last else
                                  {"expirationDateTime": iso(session.expires),
                                   "nextExpectedRanges": []})
    return commit(state, request, session)


def commit(state: State, request: GraphRequest, session: UploadSession) -> GraphResponse:
    drive = state.drive(session.drive_id)
    parent = drive.items.get(session.parent_id)
    if parent is None:
        raise item_not_found("The parent folder no longer exists.")
    who = state.caller(request)
    content = bytes(session.received)
    existing_id = session.target_id or parent.children.get(session.name.casefold())
    name = session.name
    if existing_id is not None and existing_id in drive.items:
        existing = drive.items[existing_id]
        if session.conflict == "fail" or existing.is_folder:
            raise conflict(
                "Another file exists with the same name as the uploaded session. You can "
                "redirect the upload session to use a new filename by calling PUT with the new "
                "metadata and @microsoft.graph.sourceUrl attribute."
            )
        if session.conflict == "replace":
            write_content(drive, existing, content, who, state.list_of(drive))
            del state.uploads[session.token]
            return GraphResponse.json(200, item_json(state, request, drive, existing))
        name = free_name(parent, name)
    item = add_child(state, drive, parent, name, who, content=content)
    del state.uploads[session.token]
    return GraphResponse.json(201, item_json(state, request, drive, item))


def session_status(state: State, request: GraphRequest) -> GraphResponse:
    return GraphResponse.json(200, _status(session_for(state, request)))


def cancel_session(state: State, request: GraphRequest) -> GraphResponse:
    session = session_for(state, request)
    del state.uploads[session.token]
    return GraphResponse.empty()


def commit_deferred(state: State, request: GraphRequest) -> GraphResponse:
    session = session_for(state, request)
    if session.total is None or len(session.received) != session.total:
        raise bad_request("The upload is not complete.")
    return commit(state, request, session)


def handle(state: State, request: GraphRequest) -> GraphResponse:
    """Dispatch a request to the upload URL by method."""
    handlers = {"PUT": put_fragment, "GET": session_status, "DELETE": cancel_session,
                "POST": commit_deferred}
    if request.method not in handlers:
        raise GraphError(405, "BadRequest",
                         "Specified HTTP method is not allowed for the request target.")
    return handlers[request.method](state, request)


def register(router: Router) -> None:
    router.add("POST", "/drives/{drive}/items/{item}/createUploadSession", create_session)
