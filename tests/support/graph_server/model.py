"""The server's state: sites, lists, columns, items, drives, files, versions, permissions.

Plain dataclasses, mutated only by the handlers (synchronously, so every request is atomic).
Ids come from one seeded random generator, so a run with the same seed and the same requests
gives the same ids.
"""

from __future__ import annotations

import base64
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.support.graph_server.protocol import utc_now


class Ids:
    """Deterministic identifiers in the shapes SharePoint uses."""

    def __init__(self, seed: int | str | None) -> None:
        self.rng = random.Random(seed)

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def drive_item_id(self) -> str:
        # SharePoint drive item ids: "01" + 32 base32 characters
        return "01" + base64.b32encode(self.rng.randbytes(20)).decode()

    def token(self) -> str:
        return base64.urlsafe_b64encode(self.rng.randbytes(24)).decode().rstrip("=")


def drive_id_for(site_guid: str, web_guid: str, list_guid: str) -> str:
    """`b!` + base64url of the three GUIDs in .NET byte order: how SharePoint names drives."""
    raw = b"".join(uuid.UUID(g).bytes_le for g in (site_guid, web_guid, list_guid))
    return "b!" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Identity:
    """Who made a change: an app (app-only token) or a user (delegated token)."""

    id: str
    display_name: str
    email: str | None = None
    is_app: bool = False

    def as_identity_set(self) -> dict[str, Any]:
        if self.is_app:
            return {
                "application": {"id": self.id, "displayName": self.display_name},
                "user": {"displayName": "SharePoint App"},
            }
        user: dict[str, Any] = {"id": self.id, "displayName": self.display_name}
        if self.email:
            user["email"] = self.email
        return {"user": user}


@dataclass
class Column:
    id: str
    name: str
    display_name: str
    kind: str  # text | note(text, multiple lines) | number | dateTime | boolean | choice | system
    facet: dict[str, Any]  # the type facet as Graph shows it, e.g. {"maxLength": 255, ...}
    indexed: bool = False
    unique: bool = False
    required: bool = False
    hidden: bool = False
    read_only: bool = False
    description: str = ""
    column_group: str = "Custom Columns"
    system: bool = False


@dataclass
class ListItem:
    id: int
    unique_id: str
    fields: dict[str, Any]
    created: datetime
    modified: datetime
    created_by: Identity
    modified_by: Identity
    version: int = 1
    content_type: str = "Item"

    @property
    def etag(self) -> str:
        return f'"{self.unique_id},{self.version}"'


@dataclass
class SpList:
    id: str
    site_id: str
    display_name: str
    name: str
    template: str  # genericList | documentLibrary
    web_url: str
    created: datetime
    created_by: Identity
    columns: dict[str, Column] = field(default_factory=dict)  # by internal name, in order
    items: dict[int, ListItem] = field(default_factory=dict)
    next_item_id: int = 1
    version: int = 1
    description: str = ""
    modified: datetime = field(default_factory=utc_now)
    drive_id: str | None = None
    # `items/delta`: what each token stands for (tests/graph_server/delta.py), oldest first
    delta_tokens: dict[str, Any] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return f'"{self.id},{self.version}"'


@dataclass
class FileVersion:
    label: str  # "1.0", "2.0", ...
    content: bytes
    modified: datetime
    modified_by: Identity


@dataclass
class Permission:
    id: str
    roles: list[str]
    user: dict[str, Any] | None = None  # {"id", "displayName", "email"}
    site_group: dict[str, Any] | None = None  # {"id", "displayName", "loginName"}
    login_name: str | None = None
    site_user_id: str | None = None


@dataclass
class DriveItem:
    id: str
    unique_id: str  # GUID, upper case in eTag/cTag
    name: str
    parent_id: str | None
    is_folder: bool
    created: datetime
    modified: datetime
    created_by: Identity
    modified_by: Identity
    content: bytes = b""
    mime_type: str = "application/octet-stream"
    etag_version: int = 1
    ctag_version: int = 1
    versions: list[FileVersion] = field(default_factory=list)
    children: dict[str, str] = field(default_factory=dict)  # casefolded name -> id
    unique_permissions: list[Permission] | None = None  # None: inherits from its parent
    list_item_id: int | None = None

    @property
    def etag(self) -> str:
        return f'"{{{self.unique_id.upper()}}},{self.etag_version}"'

    @property
    def ctag(self) -> str:
        return f'"c:{{{self.unique_id.upper()}}},{self.ctag_version}"'


@dataclass
class Drive:
    id: str
    list_id: str
    site_id: str
    name: str
    web_url: str
    created: datetime
    root_id: str
    items: dict[str, DriveItem] = field(default_factory=dict)


@dataclass
class Site:
    id: str  # host,siteCollectionGuid,webGuid
    host: str
    path: str  # server-relative, "/" for the root site
    name: str
    display_name: str
    created: datetime
    collection_guid: str
    web_guid: str
    lists: dict[str, SpList] = field(default_factory=dict)  # by list id
    default_drive_list_id: str | None = None
    site_groups: list[Permission] = field(default_factory=list)
    # Sites.Selected: the applications granted this site (`/sites/{site}/permissions`)
    app_grants: list[dict[str, Any]] = field(default_factory=list)

    @property
    def web_url(self) -> str:
        return f"https://{self.host}{'' if self.path == '/' else self.path}"


@dataclass
class UploadSession:
    token: str
    drive_id: str
    parent_id: str
    name: str
    conflict: str
    target_id: str | None  # an existing item to replace, for .../items/{id}/createUploadSession
    expires: datetime
    total: int | None = None
    received: bytearray = field(default_factory=bytearray)
    defer_commit: bool = False
