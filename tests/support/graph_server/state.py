"""The whole server state plus the look-ups every handler needs (site, list, drive, item)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tests.support.graph_server.columns import built_in_columns
from tests.support.graph_server.directory_model import Directory
from tests.support.graph_server.model import (
    Drive,
    DriveItem,
    Identity,
    Ids,
    ListItem,
    Permission,
    Site,
    SpList,
    UploadSession,
    drive_id_for,
)
from tests.support.graph_server.protocol import GraphError, GraphRequest, item_not_found, utc_now

SYSTEM = Identity("", "System Account", is_app=False)


@dataclass
class Config:
    """Limits of the real service; tests may lower them to stay fast."""

    list_view_threshold: int = 5000
    # what a query over the threshold answers: 429 (seen through Graph) or 500 (SharePoint REST)
    threshold_status: int = 429
    item_page_default: int = 200
    item_page_max: int = 5000
    children_page_default: int = 200
    directory_page_default: int = 100
    directory_page_max: int = 999
    simple_upload_limit: int = 250 * 1024 * 1024
    upload_fragment_max: int = 60 * 1024 * 1024
    upload_fragment_multiple: int = 320 * 1024
    upload_session_lifetime: timedelta = timedelta(hours=24)
    batch_max_requests: int = 20


@dataclass
class DownloadTicket:
    drive_id: str
    item_id: str
    version: str | None = None


@dataclass
class State:
    ids: Ids
    host: str
    tenant_id: str
    app: Identity
    directory: Directory
    config: Config = field(default_factory=Config)
    sites: dict[str, Site] = field(default_factory=dict)
    drives: dict[str, Drive] = field(default_factory=dict)
    uploads: dict[str, UploadSession] = field(default_factory=dict)
    downloads: dict[str, DownloadTicket] = field(default_factory=dict)
    invitations: list[dict[str, Any]] = field(default_factory=list)  # sendInvitation: true

    # ------------------------------------------------------------------ sites

    def add_site(self, path: str, display_name: str | None = None) -> Site:
        path = "/" + path.strip("/") if path.strip("/") else "/"
        collection, web = self.ids.guid(), self.ids.guid()
        name = path.rsplit("/", 1)[-1] or self.host.split(".")[0]
        site = Site(
            id=f"{self.host},{collection},{web}",
            host=self.host,
            path=path,
            name=name,
            display_name=display_name or name,
            created=utc_now(),
            collection_guid=collection,
            web_guid=web,
        )
        title = site.display_name
        for number, (suffix, role) in enumerate(
            (("Owners", "owner"), ("Members", "write"), ("Visitors", "read")), start=3
        ):
            login = f"{title} {suffix}"
            site.site_groups.append(Permission(
                id=base64.urlsafe_b64encode(f"SiteGroup:{number}".encode()).decode().rstrip("="),
                roles=[role],
                site_group={"displayName": login, "id": str(number), "loginName": login},
            ))
        self.sites[site.id] = site
        library = self.add_list(site, "Documents", "documentLibrary", name="Shared Documents")
        site.default_drive_list_id = library.id
        return site

    def site_by_path(self, host: str, path: str) -> Site:
        path = "/" + path.strip("/") if path.strip("/") else "/"
        if host.lower() == "root":
            host = self.host
        for site in self.sites.values():
            if site.host.lower() == host.lower() and site.path.lower() == path.lower():
                return site
        raise item_not_found("Requested site could not be found")

    def site(self, ref: str) -> Site:
        if ref.lower() in ("root", self.host.lower()):
            return self.site_by_path(self.host, "/")
        if ref in self.sites:
            return self.sites[ref]
        parts = ref.split(",")
        for site in self.sites.values():
            if len(parts) == 3 and parts[0].lower() == site.host.lower() and \
                    parts[1].lower() == site.collection_guid and parts[2].lower() == site.web_guid:
                return site
            if len(parts) == 2 and parts == [site.collection_guid, site.web_guid]:
                return site
        raise item_not_found("Requested site could not be found")

    # ------------------------------------------------------------------ lists

    def add_list(
        self, site: Site, display_name: str, template: str, *, name: str | None = None,
        by: Identity | None = None,
    ) -> SpList:
        name = name or display_name
        prefix = "" if template == "documentLibrary" else "Lists/"
        sp_list = SpList(
            id=self.ids.guid(),
            site_id=site.id,
            display_name=display_name,
            name=name,
            template=template,
            web_url=f"{site.web_url}/{prefix}{name.replace(' ', '%20')}",
            created=utc_now(),
            created_by=by or SYSTEM,
        )
        for column in built_in_columns(template):
            sp_list.columns[column.name] = column
        site.lists[sp_list.id] = sp_list
        if template == "documentLibrary":
            self._add_drive(site, sp_list)
        return sp_list

    def _add_drive(self, site: Site, sp_list: SpList) -> Drive:
        now = utc_now()
        root = DriveItem(
            id=self.ids.drive_item_id(), unique_id=self.ids.guid(), name="root", parent_id=None,
            is_folder=True, created=now, modified=now, created_by=SYSTEM, modified_by=SYSTEM,
        )
        root.unique_permissions = [Permission(p.id, list(p.roles), site_group=p.site_group)
                                   for p in site.site_groups]
        drive = Drive(
            id=drive_id_for(site.collection_guid, site.web_guid, sp_list.id),
            list_id=sp_list.id, site_id=site.id, name=sp_list.display_name,
            web_url=sp_list.web_url, created=now, root_id=root.id,
        )
        drive.items[root.id] = root
        sp_list.drive_id = drive.id
        self.drives[drive.id] = drive
        return drive

    def sp_list(self, site: Site, ref: str) -> SpList:
        if ref in site.lists:
            return site.lists[ref]
        for candidate in site.lists.values():
            if ref.lower() in (candidate.id.lower(), candidate.display_name.lower()):
                return candidate
        raise item_not_found("List not found")

    def list_item(self, sp_list: SpList, ref: str) -> ListItem:
        try:
            item = sp_list.items.get(int(ref))
        except ValueError:
            item = None
        if item is None:
            raise item_not_found("Item not found")
        return item

    # ------------------------------------------------------------------ drives

    def drive(self, ref: str) -> Drive:
        if ref not in self.drives:
            raise item_not_found("The resource could not be found.")
        return self.drives[ref]

    def drive_of(self, sp_list: SpList) -> Drive:
        if sp_list.drive_id is None:
            raise item_not_found("The list has no drive: it is not a document library.")
        return self.drives[sp_list.drive_id]

    def list_of(self, drive: Drive) -> SpList:
        return self.sites[drive.site_id].lists[drive.list_id]

    # ------------------------------------------------------------------ callers

    def caller(self, request: GraphRequest) -> Identity:
        """The app, or the user a delegated token names (`oid` claim), as Graph records them."""
        claims: dict[str, Any] = request.caller
        oid = claims.get("oid")
        if oid and not claims.get("roles"):
            user = self.directory.find(str(oid))
            if user is not None:
                return Identity(user.id, user.display_name, user.mail)
            return Identity(str(oid), str(claims.get("name") or oid), claims.get("upn"))
        return self.app


def conflict(message: str) -> GraphError:
    return GraphError(409, "nameAlreadyExists", message)
