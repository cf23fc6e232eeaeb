"""The tab's departments on Microsoft 365: the Graph test server as the tenant (its users with
their department, as Entra ID lists them), the tab's API over real HTTP with SSO tokens on a
local JWKS. The department list, the overview's department filter and the insight per
department come from the tenant's directory, as they come from the YAML one locally."""

from __future__ import annotations

import json
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import yaml

from tests.e2e.m365 import ROOT, TENANT, Paraaf
from tests.e2e.tab_http import TabClient, tab_server
from tests.support.entra_kit import ADMIN, INITIATOR, OIDS, LocalEntra
from tests.support.graph_server import GraphServer
from tests.support.openid_stand_in import KeyServer, Signer

pytestmark = pytest.mark.usefixtures("english")  # the command line's English words

KOK = "i.kok@voorbeeldstad.nl"  # Werk en Inkomen
VISSER = "j.visser@voorbeeldstad.nl"
CLIENT = "0f4e9c1a-7d2b-4c8e-9a6f-3b5d1e2c4a7f"
PUBLIC = "https://paraaf.voorbeeldstad.nl"
SIGNER = Signer("entra-1", endorsements=())
FLOWS = ROOT / "local/demo/flows"
DEPARTMENTS = sorted({u["department"] for u in yaml.safe_load(
    (ROOT / "local/demo/directory.yaml").read_text("utf-8"))["users"] if u.get("department")})


def token(upn: str, *roles: str) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": f"https://sts.windows.net/{TENANT}/", "aud": f"api://paraaf.voorbeeldstad.nl/{CLIENT}",
        "tid": TENANT, "oid": OIDS[upn], "scp": "access_as_user", "nbf": now, "exp": now + 3600}
    if roles:
        claims["roles"] = list(roles)
    return jwt.encode(claims, SIGNER.key, algorithm="RS256", headers={"kid": "entra-1"})


async def _start(paraaf: Paraaf, entra: LocalEntra) -> dict[str, str]:
    """Two dossiers: Thomas de Jong's (Ruimtelijke Ontwikkeling) and Iris Kok's (Werk en
    Inkomen), as they start them on the command line."""
    entra.sign_in(ADMIN)
    for flow in ("collegevoorstel", "energietoeslag"):
        assert await paraaf("flow", "publish", str(FLOWS / f"{flow}.yaml")) == 0, paraaf.err
    entra.sign_in(INITIATOR)
    assert await paraaf("dossier", "start", "--flow", "collegevoorstel", "--title", "Speeltuin",
                        "--field", "onderwerp=Speeltuin", "--field", "bedrag=25000",
                        "--json") == 0, paraaf.err
    dejong = str(json.loads(paraaf.out)["id"])
    entra.sign_in(KOK)
    assert await paraaf("dossier", "start", "--flow", "energietoeslag", "--title",
                        "Energietoeslag Z-2026-10001", "--field", "aanvrager=Familie A",
                        "--field", "zaaknummer=Z-2026-10001", "--field", "huishoudinkomen=1500",
                        "--field", f"behandelaar={VISSER}", "--json") == 0, paraaf.err
    kok = str(json.loads(paraaf.out)["id"])
    return {"Ruimtelijke Ontwikkeling": dejong, "Werk en Inkomen": kok}


@pytest.fixture
async def keys() -> AsyncIterator[KeyServer]:
    server = KeyServer(SIGNER)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def m365_tab(graph_backend: GraphServer, keys: KeyServer,
                   tmp_path: Path) -> AsyncIterator[TabClient]:
    """The server with the tab on the Microsoft 365 backend, checking SSO tokens."""
    env = {name: value for name, value in os.environ.items() if name.startswith("PARAAF_")}
    env.update({"PARAAF_APP_ID": CLIENT, "PARAAF_TENANT_ALLOWLIST": TENANT,
                "PARAAF_TAB_OPENID_METADATA_URL": keys.url, "PARAAF_PUBLIC_URL": PUBLIC})
    async with tab_server(tmp_path / "data", env) as client:
        yield client


async def test_the_departments_filter_and_insight_come_from_the_tenants_directory(
        graph_backend: GraphServer, paraaf: Paraaf, entra: LocalEntra,
        m365_tab: TabClient) -> None:
    assert m365_tab.wiring.settings.backend == "graph"
    started = await _start(paraaf, entra)
    beheerder = token(ADMIN, "Beheerder")
    before = graph_backend.stats.count("GET", route="GET /users")

    status, listed = await m365_tab.get("/api/v1/departments", token=token(INITIATOR))
    assert status == 200, listed
    assert listed["items"] == DEPARTMENTS  # every department of the tenant's people, once

    async def ids(query: str, who: str = beheerder) -> list[str]:
        status, found = await m365_tab.get(f"/api/v1/dossiers?{query}", token=who)
        assert status == 200, (query, found)
        return sorted(d["id"] for d in found["items"])

    assert await ids("") == sorted(started.values())
    for department, dossier in started.items():
        assert await ids(f"department={department.replace(' ', '%20')}") == [dossier]
    assert await ids("department=Bestuur") == []  # a department nobody in it started one
    assert await ids("department=Nergens") == []
    # what the initiator may see, within the department
    assert await ids("department=Werk%20en%20Inkomen", token(INITIATOR)) == []

    status, report = await m365_tab.get("/api/v1/admin/insight", token=beheerder)
    assert status == 200, report
    assert {d["department"]: d["started"] for d in report["departments"]} == {
        "Ruimtelijke Ontwikkeling": 1, "Werk en Inkomen": 1}
    status, one = await m365_tab.get("/api/v1/admin/insight?department=Werk%20en%20Inkomen",
                                     token=beheerder)
    assert status == 200 and one["dossiers"] == 1, one
    assert [f["flow_id"] for f in one["flows"]] == ["energietoeslag"]

    # the tenant's people were read once (one page of 999), then kept
    assert graph_backend.stats.count("GET", route="GET /users") - before == 1


async def test_a_directory_that_cannot_be_read_is_503_and_asked_again(
        graph_backend: GraphServer, m365_tab: TabClient) -> None:
    graph_backend.faults.error(403, code="Authorization_RequestDenied", method="GET",
                               path="/users")
    status, body = await m365_tab.get("/api/v1/departments", token=token(INITIATOR))
    assert status == 503 and body["code"] == "unavailable", body
    status, listed = await m365_tab.get("/api/v1/departments", token=token(INITIATOR))
    assert status == 200 and listed["items"] == DEPARTMENTS
