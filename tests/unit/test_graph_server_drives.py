"""The Graph test server's drives, uploads, downloads, versions and sharing, via msgraph-sdk."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from msgraph import GraphServiceClient
from msgraph.generated.models.drive_item import DriveItem
from msgraph.generated.models.drive_item_uploadable_properties import (
    DriveItemUploadableProperties,
)
from msgraph.generated.models.drive_recipient import DriveRecipient
from msgraph.generated.models.folder import Folder
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from tests.support.graph_server.quickxor import quickxor_hash
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env

pytestmark = [*SDK_IMPORT_DEPRECATIONS, pytest.mark.contract]

GUID = r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"
DRIVE_ETAG = re.compile(r'^"\{' + GUID + r'\},(\d+)"$')
CHUNK = 320 * 1024


def directory() -> dict[str, Any]:
    return {
        "users": [
            {"oid": "11111111-1111-4111-8111-111111111111", "upn": "a.jansen@example.nl",
             "name": "Anna Jansen"},
            {"oid": "22222222-2222-4222-8222-222222222222",
             "upn": "p.vries_partner.nl#EXT#@example.onmicrosoft.com", "name": "Piet de Vries",
             "guest": True},
        ],
    }


async def default_drive(client: GraphServiceClient, site_id: str) -> str:
    drives = await client.sites.by_site_id(site_id).drives.get()
    assert [d.name for d in drives.value] == ["Documents"]
    assert drives.value[0].drive_type == "documentLibrary"
    assert drives.value[0].id.startswith("b!") and len(drives.value[0].id) == 66
    return drives.value[0].id


async def error_of(awaitable: Any) -> ODataError:
    with pytest.raises(ODataError) as caught:
        await awaitable
    return caught.value


async def test_simple_upload_creates_folders_download_and_versions() -> None:
    async with graph_env() as (server, client):
        drive_id = await default_drive(client, server.site.id)
        items = client.drives.by_drive_id(drive_id).items
        first = await items.by_drive_item_id("root:/Dossier 12/voorstel.docx:").content.put(
            b"versie een")
        assert first.name == "voorstel.docx" and first.size == 10
        assert first.file.hashes.quick_xor_hash == quickxor_hash(b"versie een")
        assert first.file.mime_type.endswith("wordprocessingml.document")
        assert DRIVE_ETAG.match(first.e_tag) and first.c_tag.startswith('"c:{')
        assert first.parent_reference.path == f"/drives/{drive_id}/root:/Dossier 12"
        assert server.drive_item("Dossier 12").is_folder

        second = await items.by_drive_item_id(first.id).content.put(b"versie twee, langer")
        assert second.id == first.id
        assert int(DRIVE_ETAG.match(second.e_tag).group(1)) > int(
            DRIVE_ETAG.match(first.e_tag).group(1))
        assert await items.by_drive_item_id(first.id).content.get() == b"versie twee, langer"
        by_path = await items.by_drive_item_id("root:/Dossier 12/voorstel.docx:").get()
        assert by_path.id == first.id and by_path.size == 19
        versions = await items.by_drive_item_id(first.id).versions.get()
        assert [(v.id, v.size) for v in versions.value] == [("2.0", 19), ("1.0", 10)]
        old = await items.by_drive_item_id(first.id).versions.by_drive_item_version_id(
            "1.0").content.get()
        assert old == b"versie een"
        assert server.stats.count("GET", "/_layouts/15/download.aspx") == 2

        async with httpx.AsyncClient(headers={"Authorization": "Bearer x"}) as raw:
            via_site = await raw.get(f"{server.base_url}/sites/{server.site.id}/drive/root:"
                                     "/Dossier 12/voorstel.docx:?$select=id,size")
            assert via_site.json()["id"] == first.id and via_site.json()["size"] == 19
        missing = await error_of(items.by_drive_item_id("root:/Dossier 12/nope.docx:").get())
        assert (missing.response_status_code, missing.error.code) == (404, "itemNotFound")


async def test_simple_upload_limit_answers_413() -> None:
    async with graph_env() as (server, client):
        server.config.simple_upload_limit = 1000  # the service's is 250 MB
        drive_id = await default_drive(client, server.site.id)
        too_big = await error_of(client.drives.by_drive_id(drive_id).items.by_drive_item_id(
            "root:/big.bin:").content.put(b"x" * 1001))
        assert too_big.response_status_code == 413


async def test_upload_session_with_plain_put_loop() -> None:
    from msgraph.generated.drives.item.items.item.create_upload_session import (
        create_upload_session_post_request_body as session_body,
    )

    content = bytes(range(256)) * 3000  # 768,000 bytes: two 320 KiB fragments and a tail
    async with graph_env() as (server, client):
        drive_id = await default_drive(client, server.site.id)
        target = client.drives.by_drive_id(drive_id).items.by_drive_item_id(
            "root:/Dossier 7/bijlage.pdf:")
        session = await target.create_upload_session.post(session_body.
            CreateUploadSessionPostRequestBody(item=DriveItemUploadableProperties(
                additional_data={"@microsoft.graph.conflictBehavior": "fail"})))
        assert session.upload_url.startswith(server.origin + "/_api/v2.0/uploadSession")
        assert session.next_expected_ranges == ["0-"]
        async with httpx.AsyncClient() as http:  # the upload URL needs no token
            url = session.upload_url
            bad = await http.put(url, content=content[:1000],
                                 headers={"Content-Range": f"bytes 0-999/{len(content)}"})
            assert bad.status_code == 400  # not a multiple of 320 KiB
            answers = []
            for start in range(0, len(content), CHUNK):
                chunk = content[start:start + CHUNK]
                answers.append(await http.put(url, content=chunk, headers={
                    "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{len(content)}"}))
            assert [a.status_code for a in answers] == [202, 202, 201]
            assert answers[0].json()["nextExpectedRanges"] == [f"{CHUNK}-"]
            created = answers[-1].json()
            assert created["size"] == len(content) and created["name"] == "bijlage.pdf"
            assert created["file"]["hashes"]["quickXorHash"] == quickxor_hash(content)
            again = await http.put(url, content=content[:CHUNK], headers={
                "Content-Range": f"bytes 0-{CHUNK - 1}/{len(content)}"})
            assert again.status_code == 404  # the session is gone once committed

        second = await target.create_upload_session.post(
            session_body.CreateUploadSessionPostRequestBody())
        async with httpx.AsyncClient() as http:
            skipped = await http.put(second.upload_url, content=content[CHUNK:2 * CHUNK],
                                     headers={"Content-Range": f"bytes {CHUNK}-"
                                              f"{2 * CHUNK - 1}/{len(content)}"})
            assert skipped.status_code == 416 and skipped.json()["error"]["code"] == "invalidRange"
            whole = await http.put(second.upload_url, content=content,
                                   headers={"Content-Range": f"bytes 0-{len(content) - 1}/"
                                            f"{len(content)}"})
            assert whole.status_code == 409  # conflictBehavior "fail" (the default): it exists
        assert server.file("Dossier 7/bijlage.pdf") == content
        assert await target.content.get() == content


async def test_children_and_folder_conflicts() -> None:
    async with graph_env() as (server, client):
        drive_id = await default_drive(client, server.site.id)
        root = client.drives.by_drive_id(drive_id).items.by_drive_item_id("root")
        folder = DriveItem(name="Dossier 1", folder=Folder())
        created = await root.children.post(folder)
        assert created.folder.child_count == 0
        clash = await error_of(root.children.post(folder))
        assert (clash.response_status_code, clash.error.code) == (409, "nameAlreadyExists")
        renamed = await root.children.post(DriveItem(name="Dossier 1", folder=Folder(),
            additional_data={"@microsoft.graph.conflictBehavior": "rename"}))
        assert renamed.name == "Dossier 1 1"
        await client.drives.by_drive_id(drive_id).items.by_drive_item_id(
            "root:/Dossier 1/a.txt:").content.put(b"a")
        children = await root.children.get()
        assert [c.name for c in children.value] == ["Dossier 1", "Dossier 1 1"]
        assert children.value[0].folder.child_count == 1
        inside = await client.drives.by_drive_id(drive_id).items.by_drive_item_id(
            created.id).children.get()
        assert [c.name for c in inside.value] == ["a.txt"]
        await client.drives.by_drive_id(drive_id).items.by_drive_item_id(created.id).delete()
        assert [c.name for c in (await root.children.get()).value] == ["Dossier 1 1"]


async def test_invite_list_and_remove_permissions() -> None:
    from msgraph.generated.drives.item.items.item.invite.invite_post_request_body import (
        InvitePostRequestBody,
    )

    async with graph_env(server_options={"directory": directory()}) as (server, client):
        drive_id = await default_drive(client, server.site.id)
        items = client.drives.by_drive_id(drive_id).items
        folder = await items.by_drive_item_id("root").children.post(
            DriveItem(name="Dossier 3", folder=Folder()))
        inherited = await items.by_drive_item_id(folder.id).permissions.get()
        assert sorted(p.roles[0] for p in inherited.value) == ["owner", "read", "write"]
        assert all(p.inherited_from is not None for p in inherited.value)

        granted = await items.by_drive_item_id(folder.id).invite.post(InvitePostRequestBody(
            recipients=[DriveRecipient(email="a.jansen@example.nl"),
                        DriveRecipient(object_id="22222222-2222-4222-8222-222222222222")],
            roles=["write"], require_sign_in=True, send_invitation=False,
            retain_inherited_permissions=True))
        assert [p.granted_to_v2.user.display_name for p in granted.value] == [
            "Anna Jansen", "Piet de Vries"]
        assert granted.value[1].granted_to_v2.user.additional_data["email"] == "p.vries@partner.nl"
        listed = await items.by_drive_item_id(folder.id).permissions.get()
        assert len(listed.value) == 5 and all(p.inherited_from is None for p in listed.value)

        guest = granted.value[1].id
        await items.by_drive_item_id(folder.id).permissions.by_permission_id(guest).delete()
        left = await items.by_drive_item_id(folder.id).permissions.get()
        assert guest not in [p.id for p in left.value]

        other = await items.by_drive_item_id("root").children.post(
            DriveItem(name="Dossier 4", folder=Folder()))
        await items.by_drive_item_id(other.id).invite.post(InvitePostRequestBody(
            recipients=[DriveRecipient(email="a.jansen@example.nl")], roles=["read"],
            require_sign_in=True))  # the SDK sends retainInheritedPermissions: false
        only = await items.by_drive_item_id(other.id).permissions.get()
        assert [p.roles for p in only.value] == [["read"]]
        unknown = await error_of(items.by_drive_item_id(other.id).invite.post(
            InvitePostRequestBody(recipients=[DriveRecipient(email="x@elders.nl")],
                                  roles=["read"])))
        assert unknown.response_status_code == 400
        assert server.state.invitations == []


async def test_only_an_items_own_permissions_change() -> None:
    """PATCH and DELETE of a permission: 404 when the item has none with that id, 400 when
    it is inherited (the same rule for both), and only roles change on its own ones."""
    from msgraph.generated.drives.item.items.item.invite.invite_post_request_body import (
        InvitePostRequestBody,
    )
    from msgraph.generated.models.permission import Permission

    async with graph_env(server_options={"directory": directory()}) as (server, client):
        drive_id = await default_drive(client, server.site.id)
        items = client.drives.by_drive_id(drive_id).items
        folder = await items.by_drive_item_id("root").children.post(
            DriveItem(name="Dossier 5", folder=Folder()))
        grants = items.by_drive_item_id(folder.id).permissions
        inherited = (await grants.get()).value[0].id
        for change, verb in ((grants.by_permission_id(inherited).delete(), "deleted"),
                             (grants.by_permission_id(inherited).patch(
                                 Permission(roles=["read"])), "updated")):
            refused = await error_of(change)
            assert refused.response_status_code == 400 and verb in refused.error.message
        for change in (grants.by_permission_id("bestaat-niet").delete(),
                       grants.by_permission_id("bestaat-niet").patch(Permission(roles=["read"]))):
            assert (await error_of(change)).response_status_code == 404
        granted = await items.by_drive_item_id(folder.id).invite.post(InvitePostRequestBody(
            recipients=[DriveRecipient(email="a.jansen@example.nl")], roles=["write"],
            require_sign_in=True))
        own = granted.value[0].id
        changed = await grants.by_permission_id(own).patch(Permission(roles=["read"]))
        assert changed.roles == ["read"]
        await grants.by_permission_id(own).delete()
        assert (await grants.get()).value == []


async def test_deferred_commit_replace_by_id_and_drive_if_match() -> None:
    async with graph_env() as (server, client):
        drive_id = await default_drive(client, server.site.id)
        items = client.drives.by_drive_id(drive_id).items
        original = await items.by_drive_item_id("root:/a.txt:").content.put(b"one")
        async with httpx.AsyncClient(headers={"Authorization": "Bearer x"}) as raw:
            base = f"{server.base_url}/drives/{drive_id}/items/{original.id}"
            session = (await raw.post(f"{base}/createUploadSession",
                                      json={"deferCommit": True})).json()
            async with httpx.AsyncClient() as anonymous:
                parked = await anonymous.put(session["uploadUrl"], content=b"two!",
                                             headers={"Content-Range": "bytes 0-3/4"})
                assert parked.status_code == 202 and server.file("a.txt") == b"one"
                committed = await anonymous.post(session["uploadUrl"], content=b"")
                assert committed.status_code == 200 and committed.json()["id"] == original.id
            assert server.file("a.txt") == b"two!"
            stale = await raw.put(f"{base}/content", content=b"three",
                                  headers={"If-Match": original.e_tag})
            assert stale.status_code == 412
            current = server.drive_item("a.txt").etag
            fresh = await raw.put(f"{base}/content", content=b"three",
                                  headers={"If-Match": current})
            assert fresh.status_code == 200 and fresh.json()["size"] == 5
            versions = (await raw.get(f"{base}/versions")).json()["value"]
            assert [v["id"] for v in versions] == ["3.0", "2.0", "1.0"]
