"""`paraaf provision` and `PARAAF_BACKEND=graph` end to end: the command line in process, the
real msgraph-sdk over HTTP, the Graph test server as the tenant.

The command runs in a worker thread (it starts its own event loop, as from a shell) while the
server answers on the test's loop.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from graph.schema import ALL_LISTS, DOSSIERS, FLOWS
from tests.e2e.m365 import SITE, Paraaf, call, writes
from tests.support.entra_kit import LocalEntra
from tests.support.graph_server import GraphServer

ROOT = Path(__file__).resolve().parents[2]


def _column(server: GraphServer, title: str, name: str) -> Any:
    return server.get_list(title).columns[name]


# --- provisioning ------------------------------------------------------------------------------


async def test_provision_creates_every_list_then_changes_nothing(
    server: GraphServer, paraaf: Paraaf
) -> None:
    assert await paraaf.provision() == 0, paraaf.err
    assert f"Created list Dossiers with {len(DOSSIERS.columns)} columns" in paraaf.out
    assert "Created library Dossierstukken" in paraaf.out
    for spec in ALL_LISTS:
        sp_list = server.get_list(spec.title)
        assert sp_list.template == spec.template
        for column in spec.columns:
            made = sp_list.columns[column.name]
            assert made.indexed == (column.indexed or column.unique), column.name
            assert made.unique == column.unique, column.name
    assert _column(server, "Processtromen", "Status").facet["choices"] == [
        "concept", "gepubliceerd", "ingetrokken"]
    assert _column(server, "Processtromen", "Body").kind == "note"

    server.stats.reset()
    assert await paraaf.provision() == 0, paraaf.err
    assert "nothing to change" in paraaf.out
    assert writes(server) == []


async def test_a_removed_column_is_added_back_and_nothing_else(
    server: GraphServer, paraaf: Paraaf
) -> None:
    assert await paraaf.provision() == 0
    sp_list = server.get_list("Processtromen")
    await call(server, "DELETE", f"/sites/{server.site.id}/lists/{sp_list.id}/columns/Body")
    assert "Body" not in sp_list.columns
    server.stats.reset()
    assert await paraaf.provision() == 0, paraaf.err
    lines = paraaf.out.splitlines()[1:]
    assert lines == ["  Added column Processtromen.Body (multiple lines of text)",
                     "Made 1 change."]
    assert writes(server) == ["POST POST /sites/{site}/lists/{list}/columns"]
    assert _column(server, "Processtromen", "Body").kind == "note"


async def test_missing_indexes_and_choices_are_added_without_touching_items(
    server: GraphServer, paraaf: Paraaf
) -> None:
    assert await paraaf.provision() == 0
    flows = server.get_list("Processtromen")
    server.add_items("Processtromen", [{"Title": "Melding", "FlowKey": "melding@1",
                                        "FlowId": "melding", "Status": "concept"}])
    columns = f"/sites/{server.site.id}/lists/{flows.id}/columns"
    await call(server, "PATCH", f"{columns}/FlowId", {"indexed": False})
    await call(server, "PATCH", f"{columns}/Status", {"choice": {"choices": ["concept"]}})
    assert await paraaf.provision("--dry-run") == 0
    assert "Would index column Processtromen.FlowId (indexed)" in paraaf.out
    assert "Would extend the choices of Processtromen.Status with gepubliceerd, ingetrokken" \
        in paraaf.out
    assert not _column(server, "Processtromen", "FlowId").indexed
    assert await paraaf.provision() == 0
    assert _column(server, "Processtromen", "FlowId").indexed
    assert _column(server, "Processtromen", "Status").facet["choices"] == [
        "concept", "gepubliceerd", "ingetrokken"]
    assert [i["FlowKey"] for i in server.items("Processtromen")] == ["melding@1"]


async def test_dry_run_changes_nothing(server: GraphServer, paraaf: Paraaf) -> None:
    before = {s.display_name for s in server.site.lists.values()}
    assert await paraaf.provision("--dry-run") == 0, paraaf.err
    assert "Would create list Processtromen with 7 columns" in paraaf.out
    assert "nothing was changed" in paraaf.out
    assert {s.display_name for s in server.site.lists.values()} == before
    assert writes(server) == []


async def test_a_column_of_another_type_is_reported_not_replaced(
    server: GraphServer, paraaf: Paraaf
) -> None:
    assert await paraaf.provision() == 0
    flows = server.get_list("Processtromen")
    columns = f"/sites/{server.site.id}/lists/{flows.id}/columns"
    await call(server, "DELETE", f"{columns}/FlowVersion")
    await call(server, "POST", columns, {"name": "FlowVersion", "text": {}})
    server.stats.reset()
    assert await paraaf.provision() == 3
    assert "Problem: Processtromen.FlowVersion is a column of type single line of text; " \
           "paraaf needs number" in paraaf.out
    assert writes(server) == []
    assert _column(server, "Processtromen", "FlowVersion").kind == "text"


async def test_json_output(server: GraphServer, paraaf: Paraaf) -> None:
    assert await paraaf.provision("--json", "--dry-run") == 0
    data = json.loads(paraaf.out)
    assert data["dry_run"] is True and data["problems"] == []
    assert data["site"]["id"] == server.site.id
    assert {c["list"] for c in data["changes"]} == {s.title for s in ALL_LISTS}


async def test_throttled_provisioning_still_completes(
    server: GraphServer, paraaf: Paraaf
) -> None:
    server.faults.throttle(retry_after=1, method="POST", path="/sites/*/lists", times=1)
    assert await paraaf.provision() == 0, paraaf.err
    assert server.stats.count("POST", "/sites/*/lists", status=429) == 1
    titles = sorted(s.display_name for s in server.site.lists.values())
    assert titles == sorted(["Documents", *(spec.title for spec in ALL_LISTS)])


# --- what cannot be provisioned ----------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_unreachable_graph_exits_3_with_a_clear_message(
    paraaf: Paraaf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARAAF_GRAPH_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1.0")
    assert await paraaf.provision() == 3
    assert "could not be reached" in paraaf.err and SITE in paraaf.err


async def test_an_unknown_site_exits_3(server: GraphServer, paraaf: Paraaf) -> None:
    assert await paraaf("provision", "--site",
                        "https://contoso.sharepoint.com/sites/onbekend") == 3
    assert "There is no SharePoint site at https://contoso.sharepoint.com/sites/onbekend" \
        in paraaf.err


async def test_a_site_the_app_may_not_use_exits_3_naming_the_grant(
    server: GraphServer, paraaf: Paraaf
) -> None:
    server.faults.error(403, code="accessDenied", method="GET", path="/sites/*")
    assert await paraaf.provision() == 3
    assert f"The app may not use the site {SITE} (Graph answered 403)" in paraaf.err
    assert "Sites.Selected" in paraaf.err
    assert writes(server) == []


async def test_a_graph_error_part_way_exits_3_and_a_second_run_finishes(
    server: GraphServer, paraaf: Paraaf
) -> None:
    server.faults.error(400, code="invalidRequest", message="no", method="POST",
                        path="/sites/*/lists", skip=1)
    assert await paraaf.provision("--json") == 3
    error = json.loads(paraaf.out)["error"]
    assert error["code"] == "graph" and f"Provisioning {SITE} stopped" in error["message"]
    assert "What was done stays done" in error["message"]
    assert len(server.site.lists) == 2  # the library Graph gives every site, and one list
    assert await paraaf.provision() == 0, paraaf.err
    titles = sorted(s.display_name for s in server.site.lists.values())
    assert titles == sorted(["Documents", *(spec.title for spec in ALL_LISTS)])


@pytest.mark.parametrize("args", [
    ("provision",),
    ("provision", "--site", "contoso.sharepoint.com/sites/paraaf"),
    ("provision", "--site", SITE + "/Lists/Dossiers/AllItems.aspx"),
])
async def test_a_missing_or_bad_site_url_exits_2(
    server: GraphServer, paraaf: Paraaf, args: tuple[str, ...]
) -> None:
    assert await paraaf(*args) == 2
    assert "site" in paraaf.err.lower()
    assert writes(server) == []


async def test_missing_credentials_exit_3_naming_the_setting(
    paraaf: Paraaf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARAAF_GRAPH_AUTH", "secret")
    assert await paraaf.provision() == 3
    assert "PARAAF_GRAPH_TENANT_ID" in paraaf.err and "PARAAF_GRAPH_CLIENT_SECRET" in paraaf.err


# --- PARAAF_BACKEND=graph: the product on the provisioned site ---------------------------------


async def test_flow_publish_and_list_run_on_microsoft_365(
    graph_backend: GraphServer, paraaf: Paraaf, entra: LocalEntra
) -> None:
    flow_file = str(ROOT / "local/demo/flows/energietoeslag.yaml")
    admin = "s.vos@voorbeeldstad.nl"
    entra.sign_in(admin)  # the beheerder publishing is who signed in with Entra ID
    assert await paraaf("flow", "publish", flow_file) == 0, paraaf.err
    assert "energietoeslag" in paraaf.out
    assert await paraaf("flow", "publish", flow_file) == 0  # again: no change
    assert await paraaf("flow", "list", "--json") == 0, paraaf.err
    [listed] = json.loads(paraaf.out)
    assert (listed["id"], listed["version"], listed["status"]) == (
        "energietoeslag", 1, "gepubliceerd")
    [stored] = graph_backend.items(FLOWS.title)
    assert stored["FlowKey"] == "energietoeslag@1" and stored["PublishedBy"] == admin
    assert stored["Body"] == Path(flow_file).read_text("utf-8")
    assert await paraaf("flow", "show", "energietoeslag") == 0
    assert "Aanvraag energietoeslag" in paraaf.out


async def test_the_graph_backend_without_its_settings_exits_3(
    paraaf: Paraaf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARAAF_BACKEND", "graph")
    monkeypatch.setenv("PARAAF_GRAPH_AUTH", "secret")
    assert await paraaf("flow", "list") == 3
    assert "PARAAF_SITE_URL" in paraaf.err and "docs/microsoft-365.md" in paraaf.err
