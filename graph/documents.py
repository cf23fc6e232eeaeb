"""Dossier documents in the SharePoint library Dossierstukken: one folder per dossier.

``/{dossier_id}/{name}`` in the library's drive. Uploads up to 4 MB are one ``PUT``; larger
ones go through an upload session, sent as a plain ``PUT`` loop over its ``uploadUrl`` in
multiples of 320 KiB (msgraph-sdk's ``LargeFileUploadTask`` re-sends the last fragment after
the commit and raises). The folder is created by the first upload (Graph creates missing
folders on a path upload) or by the first grant (``conflictBehavior: fail``; a 409 means it is
there already). Grants are ``invite`` calls with ``retainInheritedPermissions: true`` sent as
raw JSON: the SDK's ``InvitePostRequestBody`` sends ``false``, which would strip the library's
inherited permissions from the folder.

Graph gives no SHA-256 of a file, and the version only as its version history, so both are
remembered per (item id, cTag) once known; a file changed by someone else (a new cTag) is
downloaded once to compute them again. Comments are cached by content hash (``graph.comments``).

A dropped connection (:mod:`graph.retry`): reads are sent again. An upload is sent again only
after the file was read back and does not hold its bytes (sending it twice would add a
version); the same goes for an upload answered 429/503/504, which the SDK does not retry
(it does not resend an octet-stream body). A folder is created again only when it is still
missing, and a grant reads the folder's permissions again and invites only who still lacks
the access asked for.

``set_access`` makes the folder's own permissions match what the dossier gives (see
:mod:`approvals.access`): it reads them, ``DELETE``s the permission of someone who is to have
none, lowers write to read with a ``PATCH`` of the permission's roles, and then invites who
lacks access (taking away first, so a run that stops halfway leaves no access too many).
Each round reads again first, so an interrupted or repeated run converges; a permission
the folder inherits is not the dossier's to change and is left alone.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import hashlib
import json
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import httpx
from kiota_abstractions.api_error import APIError
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from approvals.access import Access, Level
from approvals.documents import check_document_name, check_dossier_id, check_size, merge_access
from approvals.errors import InvalidInput
from approvals.identity import Person
from approvals.ports import DocumentComment, StoredDocument
from graph.comments import CommentCache, Lru, comments_in, remember
from graph.lists import Duplicate, NotFound, SiteLists
from graph.rest import Graph, GraphError, GraphUnavailable
from graph.retry import retry_idempotent, retry_write
from word.comments import is_word_document

FRAGMENT = 320 * 1024
"""Every upload-session fragment but the last is a multiple of 320 KiB."""
SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024
CHUNK = 16 * FRAGMENT  # 5 MiB per upload request
PARALLEL_DOWNLOADS = 4
_CHILD_FIELDS = "id,name,size,cTag,eTag,webUrl,file"
_ITEM_FIELDS = "id,name,size,cTag,eTag,webUrl,file,folder"
_RETRY_STATUSES = frozenset({429, 503, 504})
MAX_WAIT = 30.0  # seconds, at most, that an upload waits for a Retry-After
_WRITE_ROLES = frozenset({"write", "owner", "sp.full control"})
ACCESS_ROUNDS = 3  # read, change, read again: a second round only after a concurrent change


class GraphDocumentStore:
    """``DocumentStore`` over a SharePoint document library (see the module docstring)."""

    def __init__(self, graph: Graph, site_id: str, library: str = "Dossierstukken", *,
                 simple_upload_limit: int = SIMPLE_UPLOAD_LIMIT, chunk_size: int = CHUNK,
                 comment_cache: CommentCache | None = None) -> None:
        if chunk_size <= 0 or chunk_size % FRAGMENT:
            raise ValueError(f"chunk_size must be a positive multiple of {FRAGMENT} bytes")
        self.graph = graph
        self.site_id = site_id
        self.library = library
        self.simple_upload_limit = simple_upload_limit
        self.chunk_size = chunk_size
        self._site = SiteLists(graph, site_id)
        self._drive_id: str | None = None
        self._folders: dict[str, str] = {}
        self._known: Lru[tuple[str, str], tuple[str, str]] = Lru(4096)  # -> (sha256, version)
        self.comment_cache = comment_cache or CommentCache()

    # --- addresses -------------------------------------------------------------------------

    async def _drive(self) -> str:
        if self._drive_id is None:
            path = f"/sites/{self.site_id}/lists/{quote(self.library, safe='')}/drive?$select=id"
            drive = await retry_idempotent(lambda: self._site.call("GET", path))
            self._drive_id = str(drive["id"])
        return f"/drives/{self._drive_id}"

    async def _path(self, dossier_id: str, name: str = "") -> str:
        """``/drives/{d}/root:/{dossier}[/{name}]:`` (percent-encoded)."""
        tail = f"/{quote(name, safe='')}" if name else ""
        return f"{await self._drive()}/root:/{quote(dossier_id, safe='')}{tail}:"

    async def _folder(self, dossier_id: str, *, create: bool) -> str | None:
        """The folder's item id; with ``create`` made when missing, else None."""
        if dossier_id in self._folders:
            return self._folders[dossier_id]
        path = await self._path(dossier_id) + "?$select=id"

        async def existing() -> dict[str, Any] | None:
            try:
                found: dict[str, Any] = await self._site.call("GET", path)
            except NotFound:
                return None
            return found

        item = await retry_idempotent(existing)
        if item is None:
            if not create:
                return None
            body = {"name": dossier_id, "folder": {},
                    "@microsoft.graph.conflictBehavior": "fail"}

            async def make() -> dict[str, Any]:
                try:
                    made: dict[str, Any] = await self._site.call(
                        "POST", f"{await self._drive()}/root/children", body)
                    return made
                except Duplicate:  # created meanwhile (another writer, or this write)
                    return await retry_idempotent(lambda: self._site.call("GET", path))

            item = await retry_write(make, existing)
        self._folders[dossier_id] = str(item["id"])
        return self._folders[dossier_id]

    # --- documents -------------------------------------------------------------------------

    async def put(self, dossier_id: str, name: str, content: bytes) -> StoredDocument:
        check_dossier_id(dossier_id)
        check_document_name(name)
        check_size(name, content)
        target = await self._path(dossier_id, name)

        async def upload() -> dict[str, Any]:
            if len(content) <= self.simple_upload_limit:
                return await _refused_as_unavailable(raw_request(
                    self.graph, "PUT",
                    f"{target}/content?@microsoft.graph.conflictBehavior=replace",
                    content=content))
            session = await retry_idempotent(lambda: self._site.call(  # only opens a session
                "POST", f"{target}/createUploadSession",
                {"item": {"@microsoft.graph.conflictBehavior": "replace"}}))
            try:
                return await UploadSession(str(session["uploadUrl"])).send(content,
                                                                           self.chunk_size)
            except GraphError as error:
                if error.status != 404:
                    raise
                # the session is gone: perhaps committed by a fragment whose answer was lost
                raise GraphUnavailable(0, "uploadSessionGone", error.message) from error

        async def holds_content() -> dict[str, Any] | None:
            """The file, if it holds these bytes (the upload is in place), else None."""
            try:
                item: dict[str, Any] = await self._site.call(
                    "GET", f"{target}?$select={_ITEM_FIELDS}")
            except NotFound:
                return None
            if "file" not in item or int(item.get("size", -1)) != len(content):
                return None
            return item if await self._download(item) == content else None

        item = await retry_write(upload, holds_content)
        digest = hashlib.sha256(content).hexdigest()
        version = await self._version(str(item["id"]))
        self._known.put((str(item["id"]), str(item.get("cTag", ""))), (digest, version))
        if is_word_document(name):
            await remember(self.comment_cache, item, name, content)
        return StoredDocument(name=name, uri=str(item.get("webUrl", "")), sha256=digest,
                              size=len(content), version=version)

    async def get(self, dossier_id: str, name: str) -> bytes:
        check_dossier_id(dossier_id)
        check_document_name(name)
        try:
            path = f"{await self._path(dossier_id, name)}/content"
            return await retry_idempotent(
                lambda: raw_request(self.graph, "GET", path, json_answer=False))
        except GraphError as error:
            if error.status == 404:
                raise InvalidInput(refusal="document_missing", name=name,
                                   dossier=dossier_id) from None
            raise

    async def get_version(self, dossier_id: str, name: str, version: str) -> bytes:
        """``GET /items/{id}/versions/{label}/content``: SharePoint labels major versions
        "1.0", "2.0", ..., which :meth:`put` gives as "1", "2"."""
        check_dossier_id(dossier_id)
        check_document_name(name)
        label = version if "." in version else f"{version}.0"
        if not all(part.isdigit() for part in label.split(".")):
            raise InvalidInput(refusal="document_missing", name=name, dossier=dossier_id)
        target = f"{await self._path(dossier_id, name)}?$select=id"
        try:
            item = await retry_idempotent(lambda: self._site.call("GET", target))
        except NotFound:
            item = None
        if item is None:
            raise InvalidInput(refusal="document_missing", name=name, dossier=dossier_id)
        path = f"{await self._drive()}/items/{item['id']}/versions/{label}/content"
        try:
            return await retry_idempotent(
                lambda: raw_request(self.graph, "GET", path, json_answer=False))
        except GraphError as error:
            if error.status == 404:
                raise InvalidInput(refusal="document_missing", name=name,
                                   dossier=dossier_id) from None
            raise

    async def _version(self, item_id: str) -> str:
        """The current version label, '1', '2', ... (a minor version keeps its '.n')."""
        path = f"{await self._drive()}/items/{item_id}/versions?$select=id"
        data = await retry_idempotent(lambda: self._site.call("GET", path))
        labels = [str(v.get("id", "")) for v in data.get("value", [])]
        return _short(max(labels, key=_version_key)) if labels else "1"

    async def _files(self, dossier_id: str) -> list[dict[str, Any]]:
        """The files in the dossier's folder, by name ignoring case."""
        check_dossier_id(dossier_id)
        path = f"{await self._path(dossier_id)}/children?$select={_CHILD_FIELDS}&$top=999"
        try:
            children = await retry_idempotent(lambda: self.graph.get_all(path))
        except GraphError as error:
            if error.status == 404:
                return []
            raise
        files = [c for c in children if "file" in c]
        return sorted(files, key=lambda c: (str(c["name"]).casefold(), str(c["name"])))

    async def _download(self, item: dict[str, Any]) -> bytes:
        path = f"{await self._drive()}/items/{item['id']}/content"
        return await retry_idempotent(
            lambda: raw_request(self.graph, "GET", path, json_answer=False))

    async def list(self, dossier_id: str) -> Sequence[StoredDocument]:
        files = await self._files(dossier_id)
        gate = asyncio.Semaphore(PARALLEL_DOWNLOADS)

        async def stored(item: dict[str, Any]) -> StoredDocument:
            key = (str(item["id"]), str(item.get("cTag", "")))
            known = self._known.get(key)
            if known is None:
                async with gate:
                    content = await self._download(item)
                    known = (hashlib.sha256(content).hexdigest(), await self._version(key[0]))
                self._known.put(key, known)
            return StoredDocument(name=str(item["name"]), uri=str(item.get("webUrl", "")),
                                  sha256=known[0], size=int(item.get("size", 0)),
                                  version=known[1])

        return list(await asyncio.gather(*(stored(item) for item in files)))

    async def comments(self, dossier_id: str) -> Sequence[DocumentComment]:
        files = [f for f in await self._files(dossier_id) if is_word_document(str(f["name"]))]
        return await comments_in(files, self.comment_cache, self._download, PARALLEL_DOWNLOADS)

    # --- access ----------------------------------------------------------------------------

    async def grant(self, dossier_id: str, people: Sequence[Person], write: bool) -> None:
        check_dossier_id(dossier_id)
        people = list({p.oid.lower(): replace(p, oid=p.oid.lower()) for p in people}.values())
        if not people:
            return
        try:
            await self._grant(dossier_id, people, write)
        except NotFound:  # the folder was removed since its id was cached
            self._folders.pop(dossier_id, None)
            await self._grant(dossier_id, people, write)

    async def _grant(self, dossier_id: str, people: Sequence[Person], write: bool) -> None:
        """Each try reads the folder's permissions first, so an invite whose answer was lost
        is not sent again for whoever has the access already."""
        await retry_idempotent(lambda: self._grant_once(dossier_id, people, write))

    async def _grant_once(self, dossier_id: str, people: Sequence[Person], write: bool) -> None:
        folder = await self._folder(dossier_id, create=True)
        current = await self._permissions(str(folder))
        merged = merge_access(current, people, write)
        changed = [p for p in people if merged[p.oid] != current.get(p.oid)]
        for level in ("write", "read"):
            wanted = [p for p in changed if merged[p.oid] == level]
            if wanted:
                await self._invite(str(folder), wanted, level)

    async def _invite(self, folder: str, people: Sequence[Person], level: str) -> None:
        """One invite for everyone; if Graph refuses it, one per person, naming who failed."""
        path = f"{await self._drive()}/items/{folder}/invite"
        try:
            await self._site.call("POST", path, _invitation(people, level))
            return
        except GraphError as error:
            if error.status != 400:
                raise
            if len(people) == 1:
                raise _refused(people, error) from error
        failed = []
        for person in people:
            try:
                await self._site.call("POST", path, _invitation([person], level))
            except GraphError as error:
                if error.status != 400:
                    raise
                failed.append(person)
        if failed:
            raise _refused(failed, None)

    async def set_access(self, dossier_id: str, wanted: Mapping[str, Access]) -> None:
        check_dossier_id(dossier_id)
        lowered = {oid.lower(): Access(replace(a.person, oid=oid.lower()), a.level)
                   for oid, a in wanted.items()}
        if not lowered:
            return
        try:
            await retry_idempotent(lambda: self._set_access_once(dossier_id, lowered))
        except NotFound:  # the folder was removed since its id was cached
            self._folders.pop(dossier_id, None)
            await retry_idempotent(lambda: self._set_access_once(dossier_id, lowered))

    async def _set_access_once(self, dossier_id: str, wanted: Mapping[str, Access]) -> None:
        granting = any(a.level is not Level.NONE for a in wanted.values())
        folder = await self._folder(dossier_id, create=granting)
        if folder is None:  # no folder and nobody to give access: nothing to take away
            return
        refused: InvalidInput | None = None
        for _ in range(ACCESS_ROUNDS):
            own = await self._own_permissions(folder)
            invites, lower, remove = _access_changes(own, wanted)
            if refused is not None:  # who Graph cannot resolve is not invited again
                invites = []
            if not (invites or lower or remove):
                if refused is not None:
                    raise refused
                return
            base = f"{await self._drive()}/items/{folder}/permissions"
            for perm_id in remove:  # taking away first: a stop halfway leaves no extra access
                with contextlib.suppress(NotFound):  # gone already: that is what we wanted
                    await self._site.call("DELETE", f"{base}/{perm_id}")
            for perm_id in lower:
                with contextlib.suppress(NotFound):  # removed meanwhile: the next round sees
                    await self._site.call("PATCH", f"{base}/{perm_id}", {"roles": ["read"]})
            for level in (Level.WRITE, Level.READ):
                people = [a.person for a in invites if a.level is level]
                if people:
                    try:
                        await self._invite(folder, people, level.value)
                    except InvalidInput as error:  # the others are invited; say who is not
                        refused = error
        raise GraphUnavailable(0, "accessNotSettled",
                               f"The access to dossier '{dossier_id}' kept changing.")

    async def _own_permissions(self, folder: str) -> builtins.list[_Permission]:
        """Every user permission on the folder: (id, object id, level, inherited)."""
        path = f"{await self._drive()}/items/{folder}/permissions"
        found = []
        for perm in await retry_idempotent(lambda: self.graph.get_all(path)):
            granted = perm.get("grantedToV2") or perm.get("grantedTo") or {}
            oid = str((granted.get("user") or {}).get("id") or "").lower()
            if not oid or "siteGroup" in granted:
                continue
            roles = {str(r).lower() for r in perm.get("roles", [])}
            level = Level.WRITE if roles & _WRITE_ROLES else Level.READ
            found.append(_Permission(str(perm.get("id", "")), oid, level,
                                     perm.get("inheritedFrom") is not None))
        return found

    async def access(self, dossier_id: str) -> dict[str, str]:
        check_dossier_id(dossier_id)
        folder = await self._folder(dossier_id, create=False)
        return {} if folder is None else await self._permissions(folder)

    async def _permissions(self, folder: str) -> dict[str, str]:
        """Object id -> read/write for every user permission on the folder (own or inherited)."""
        found: dict[str, str] = {}
        for perm in await self._own_permissions(folder):
            if found.get(perm.oid) != Level.WRITE:
                found[perm.oid] = perm.level.value
        return found


@dataclass(frozen=True, slots=True)
class _Permission:
    id: str
    oid: str
    level: Level
    inherited: bool


def _access_changes(own: Sequence[_Permission], wanted: Mapping[str, Access]
                    ) -> tuple[list[Access], list[str], list[str]]:
    """What brings the folder to ``wanted``: who to invite (with their level), which
    permissions to lower to read, which to delete. Inherited permissions are not touched."""
    invites: list[Access] = []
    lower: list[str] = []
    remove: list[str] = []
    for oid, access in wanted.items():
        perms = [p for p in own if p.oid == oid]
        mine = [p for p in perms if not p.inherited]
        if access.level is Level.NONE:
            remove += [p.id for p in mine]
        elif not perms or (access.level is Level.WRITE
                           and all(p.level is Level.READ for p in perms)):
            invites.append(access)
        elif access.level is Level.READ:
            lower += [p.id for p in mine if p.level is Level.WRITE]
    return invites, lower, remove


def _invitation(people: Sequence[Person], level: str) -> dict[str, Any]:
    return {
        "recipients": [{"objectId": p.oid} if _is_guid(p.oid) else {"email": p.upn}
                       for p in people],
        "roles": [level],
        "requireSignIn": True,
        "sendInvitation": False,
        "retainInheritedPermissions": True,
    }


def _refused(people: Sequence[Person], error: GraphError | None) -> InvalidInput:
    names = ", ".join(p.name or p.upn for p in people)
    detail = f" ({error.message})" if error is not None else ""
    return InvalidInput(refusal="access_not_granted", names=names, detail=detail)


def _is_guid(text: str) -> bool:
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(
        c in "0123456789abcdefABCDEF" for c in "".join(parts))


def _version_key(label: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in label.split("."))
    except ValueError:
        return (0,)


def _short(label: str) -> str:
    """'3.0' -> '3' (a major version, as the local store numbers them); '3.1' stays."""
    major, _, minor = label.partition(".")
    return major if minor in ("", "0") else label


# --- requests with a binary body or answer -------------------------------------------------

_METHODS = {"GET": Method.GET, "PUT": Method.PUT}


class Refused(GraphError):
    """429, 503 or 504 with its ``Retry-After`` (seconds), if any."""

    def __init__(self, status: int, code: str, message: str,
                 retry_after: float | None) -> None:
        super().__init__(status, code, message)
        self.retry_after = retry_after


async def _refused_as_unavailable(request: Awaitable[Any]) -> Any:
    """An upload's answer; 429/503/504 (not retried by the SDK for an octet-stream body)
    waits what ``Retry-After`` says and then counts as no answer (GraphUnavailable): the
    caller reads the file back before it sends the bytes again."""
    try:
        return await request
    except Refused as error:
        wait = error.retry_after if error.retry_after is not None else 1.0
        await asyncio.sleep(min(max(wait, 0.0), MAX_WAIT))
        raise GraphUnavailable(error.status, error.code, error.message) from error


async def raw_request(graph: Graph, method: str, path: str, *, content: bytes | None = None,
                      json_answer: bool = True) -> Any:
    """A request with an octet-stream body and/or a binary answer, through the SDK's
    middleware (which follows a download's 302); errors as ``Graph.request`` raises them."""
    info = RequestInformation()
    info.http_method = _METHODS[method]
    info.url = graph.base_url + path
    if content is not None:
        info.set_stream_content(content, "application/octet-stream")
    send: Any = graph.adapter.send_primitive_async
    try:
        raw = await send(info, "bytes", {"XXX": ODataError})
    except ODataError as error:
        detail = error.error
        raise _error(error, (detail.code if detail else None) or "error",
                     (detail.message if detail else None) or str(error)) from error
    except APIError as error:
        raise _error(error, "error", str(error)) from error
    except (httpx.TransportError, httpx.TimeoutException) as error:
        raise GraphUnavailable(0, type(error).__name__, str(error)) from error
    if not json_answer:
        return raw or b""
    return json.loads(raw) if raw else None


def _error(error: APIError, code: str, message: str) -> GraphError:
    status = error.response_status_code or 0
    if status not in _RETRY_STATUSES:
        return GraphError(status, code, message)
    headers = {k.lower(): v for k, v in (error.response_headers or {}).items()}
    try:
        retry_after: float | None = float(headers.get("retry-after", ""))
    except ValueError:
        retry_after = None
    return Refused(status, code, message, retry_after)


class UploadSession:
    """Sends a file to an upload session's ``uploadUrl`` in order, fragment by fragment.

    The URL is pre-authenticated: no bearer token goes with it (SharePoint may refuse one).
    After a dropped connection, a 5xx or a 429 it asks the session which bytes it still
    expects and goes on from there; a session that cannot finish is cancelled.
    """

    ATTEMPTS = 4

    def __init__(self, url: str, timeout: float = 120.0) -> None:
        self.url = url
        self.timeout = timeout

    async def send(self, content: bytes, chunk: int) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=httpx.Timeout(self.timeout, connect=10)) as http:
            try:
                return await self._fragments(http, content, chunk)
            except BaseException:
                with contextlib.suppress(httpx.HTTPError):  # else it expires by itself
                    await http.delete(self.url)
                raise

    async def _fragments(self, http: httpx.AsyncClient, content: bytes,
                         chunk: int) -> dict[str, Any]:
        total, start, failures, problem = len(content), 0, 0, ""
        while True:
            end = min(start + chunk, total)
            headers = {"Content-Range": f"bytes {start}-{end - 1}/{total}"}
            try:
                answer = await http.put(self.url, content=content[start:end], headers=headers)
            except httpx.TransportError as error:
                answer, problem = None, f"{type(error).__name__}: {error}"
            if answer is not None and answer.status_code in (200, 201):
                return dict(answer.json())
            if answer is not None and answer.status_code == 202:
                start, failures = _next_start(answer.json(), end), 0
                continue
            if answer is not None:
                problem = f"{answer.status_code}: {answer.text[:300]}"
                if answer.status_code < 500 and answer.status_code != 429:
                    raise GraphError(answer.status_code, "uploadFailed", problem)
            failures += 1
            if failures >= self.ATTEMPTS:
                raise GraphUnavailable(0, "uploadFailed", problem)
            await asyncio.sleep(_retry_after(answer, failures))
            start = await self._resume_at(http, start)

    async def _resume_at(self, http: httpx.AsyncClient, fallback: int) -> int:
        try:
            status = await http.get(self.url)
        except httpx.TransportError:
            return fallback
        return _next_start(status.json(), fallback) if status.status_code == 200 else fallback


def _next_start(status: Any, fallback: int) -> int:
    ranges = status.get("nextExpectedRanges") if isinstance(status, dict) else None
    if not ranges:
        return fallback
    return int(str(ranges[0]).split("-", 1)[0])


def _retry_after(answer: httpx.Response | None, failures: int) -> float:
    header = answer.headers.get("Retry-After", "") if answer is not None else ""
    return float(header) if header.isdigit() else min(0.2 * 2 ** (failures - 1), 8.0)
