"""The signing state over real HTTP on the demo data: the dossier page says who signed,
who is still to sign and how each signed PDF checks out now (valid, changed after
signing), the tab serves the signed PDF on the local backend, and the decision register
marks a signed decision (getekend) with its link."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from approvals import commands as c
from approvals.flows.yaml_io import parse_flow
from approvals.ports import FlowStatus
from approvals.service import execute
from bot.teams.views import card_for, view
from tests.e2e.bot_http import OIDS, copy_demo
from tests.e2e.tab_http import TabClient, tab_server

VOS = "s.vos@voorbeeldstad.nl"
DEJONG, VISSER = "t.dejong@voorbeeldstad.nl", "j.visser@voorbeeldstad.nl"
MAYOR, SECRETARY = "m.jansen@voorbeeldstad.nl", "r.bakker@voorbeeldstad.nl"
SIGNED = "besluit - ondertekend.pdf"
FLOW = """\
schema: paraaf/flow/v1
id: getekend
version: 1
title: Besluit met ondertekening
stages:
  - id: besluit
    kind: decide
    title: Besluit
    assignees:
      - user: j.visser@voorbeeldstad.nl
  - id: burgemeester
    kind: sign
    title: Ondertekening burgemeester
    assignees:
      - user: m.jansen@voorbeeldstad.nl
  - id: secretaris
    kind: sign
    title: Ondertekening secretaris
    assignees:
      - user: r.bakker@voorbeeldstad.nl
"""


@pytest.fixture
async def tab(demo_template: Path, tmp_path: Path) -> AsyncIterator[TabClient]:
    env = {"PARAAF_RENDERER": "text"}  # LibreOffice has its own test
    async with tab_server(copy_demo(demo_template, tmp_path / "data"), env) as client:
        services = client.wiring.services
        admin = await services.directory.user(VOS)
        assert admin is not None
        await services.flows.save(parse_flow(FLOW), FLOW)
        await services.flows.set_status("getekend", 1, FlowStatus.PUBLISHED, admin,
                                        services.clock.now())
        initiator = await services.directory.user(DEJONG)
        assert initiator is not None
        await execute(c.StartDossier(dossier_id="SIGN-1", actor=initiator, command_id="s",
                                     flow_id="getekend", title="Verordening speeltuinen",
                                     fields={}), services)
        yield client


async def _act(tab: TabClient, user: str, verb: str, text: str = "") -> None:
    [task] = [t for t in (await tab.get("/api/v1/tasks", user=user))[1]["items"]
              if t["dossier_id"] == "SIGN-1"]
    body = {"verb": verb, "stage_id": task["stage_id"], "round": task["round"],
            "version": task["version"], "text": text}
    status, result = await tab.post("/api/v1/dossiers/SIGN-1/actions", body, user=user)
    assert status == 200, result


async def _signing(tab: TabClient, user: str = DEJONG) -> dict[str, Any]:
    status, page = await tab.get("/api/v1/dossiers/SIGN-1", user=user)
    assert status == 200, page
    signing: dict[str, Any] = page["signing"]
    return signing


async def test_the_dossier_page_shows_who_signed_and_who_is_still_to_sign(
        tab: TabClient) -> None:
    before = await _signing(tab)
    assert before["documents"] == [] and before["to_sign"] == []
    assert before["later_stages"] == ["Ondertekening burgemeester", "Ondertekening secretaris"]
    await _act(tab, VISSER, "decide", "Toegekend.")
    await _act(tab, MAYOR, "sign")
    after = await _signing(tab)
    [pdf] = after["documents"]
    assert (pdf["name"], pdf["state"], pdf["level"]) == (SIGNED, "valid", "PAdES-B-LTA")
    assert [p["id"] for p in pdf["signers"]] == [OIDS[MAYOR]]
    assert [p["id"] for p in after["to_sign"]] == [OIDS[SECRETARY]]
    assert after["later_stages"] == []

    async with tab.session.get(f"{tab.base}{pdf['url']}",
                               headers={"X-Paraaf-User": OIDS[DEJONG]}) as response:
        assert response.status == 200 and response.content_type == "application/pdf"
        assert "inline" in response.headers["Content-Disposition"]
        content = await response.read()
    assert content == await tab.wiring.documents.get("SIGN-1", SIGNED)
    async with tab.session.get(f"{tab.base}{pdf['url']}",
                               headers={"X-Paraaf-User": OIDS[VOS]}) as response:
        assert response.status == 200  # a beheerder may see every dossier
    stranger = "h.vandijk@voorbeeldstad.nl"
    async with tab.session.get(f"{tab.base}{pdf['url']}",
                               headers={"X-Paraaf-User": OIDS[stranger]}) as response:
        assert response.status == 404
    status, _ = await tab.get("/api/v1/dossiers/SIGN-1/signed?name=besluit.docx", user=DEJONG)
    assert status == 404  # only a signed PDF of the dossier


async def test_a_signed_pdf_changed_afterwards_reads_as_changed(tab: TabClient) -> None:
    await _act(tab, VISSER, "decide", "Toegekend.")
    await _act(tab, MAYOR, "sign")
    documents = tab.wiring.documents
    pdf = bytearray(await documents.get("SIGN-1", SIGNED))
    at = pdf.index(b"Verordening speeltuinen")
    pdf[at] = ord("v")
    await documents.put("SIGN-1", SIGNED, bytes(pdf))
    [shown] = (await _signing(tab))["documents"]
    assert (shown["state"], shown["level"]) == ("changed", "")


async def test_the_register_marks_a_signed_decision(tab: TabClient) -> None:
    await _act(tab, VISSER, "decide", "Toegekend.")
    [entry] = (await tab.get("/api/v1/decisions", user=VOS))[1]["items"]
    assert (entry["signed"], entry["signed_url"], entry["signers"]) == (False, None, [])
    await _act(tab, MAYOR, "sign")
    await _act(tab, SECRETARY, "sign")
    [entry] = (await tab.get("/api/v1/decisions", user=VOS))[1]["items"]
    assert entry["signed"] is True
    assert entry["signers"] == ["Marieke Jansen", "Ruud Bakker"]
    assert entry["signed_url"] == (
        "/api/v1/dossiers/SIGN-1/signed?name=besluit%20-%20ondertekend.pdf")


async def test_the_teams_cards_say_how_the_signed_pdf_checks_out(tab: TabClient) -> None:
    await _act(tab, VISSER, "decide", "Toegekend.")
    await _act(tab, MAYOR, "sign")
    wiring = tab.wiring
    secretary = await wiring.directory.user(SECRETARY)
    assert secretary is not None

    async def card() -> str:
        dossier = await view(wiring.services, "SIGN-1", wiring.documents)
        built = await card_for(wiring.services, wiring.conversations, dossier,
                               secretary.oid, "nl")
        return json.dumps(built, ensure_ascii=False)

    task = await card()
    assert '"verb": "sign"' in task
    assert '"title": "Controle", "value": "geldig (PAdES-B-LTA)"' in task
    assert '"title": "Nog te ondertekenen", "value": "Ruud Bakker"' in task
    pdf = await wiring.documents.get("SIGN-1", SIGNED)
    await wiring.documents.put("SIGN-1", SIGNED, pdf.replace(b"Toegekend", b"Afgewezen", 1)
                               if b"Toegekend" in pdf else pdf + b"\n% changed")
    changed = await card()
    assert '"title": "Controle", "value": "GEWIJZIGD na ondertekening"' in changed
    assert f"{SIGNED}: GEWIJZIGD na ondertekening" in changed


async def test_the_register_export_names_the_signers(tab: TabClient) -> None:
    await _act(tab, VISSER, "decide", "Toegekend.")
    await _act(tab, MAYOR, "sign")
    async with tab.session.get(f"{tab.base}/api/v1/decisions/export?format=csv",
                               headers={"X-Paraaf-User": OIDS[VOS]}) as response:
        assert response.status == 200
        header, row = list(csv.reader(io.StringIO(await response.text())))
    assert (header[-1], row[-1]) == ("Getekend door", "Marieke Jansen")
