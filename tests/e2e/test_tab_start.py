"""Starting a dossier from the tab over real HTTP on the demo data: the flows I may start with
their fields, and the start through the same command and refusals as the start card."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.bot_http import OIDS, copy_demo
from tests.e2e.tab_http import TabClient, tab_server

KOK = "i.kok@voorbeeldstad.nl"
PETERS = "b.peters@voorbeeldstad.nl"  # klantcontact: beoordeling of every energietoeslag
VISSER = "j.visser@voorbeeldstad.nl"
GUEST = "p.devries_ketenpartner.nl#EXT#@voorbeeldstad.onmicrosoft.com"

ENERGY = {"aanvrager": "M. Bakker", "zaaknummer": "Z-2026-311",
          "huishoudinkomen": "1.450,00", "behandelaar": VISSER}


@pytest.fixture
async def tab(demo_template: Path, tmp_path: Path) -> AsyncIterator[TabClient]:
    async with tab_server(copy_demo(demo_template, tmp_path / "data")) as client:
        yield client


def _start(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {"flow": "energietoeslag", "title": "Energietoeslag Bakker",
                               "fields": dict(ENERGY)}
    body.update(changes)
    return body


async def test_the_startable_flows_list_their_fields_with_type_and_choices(
        tab: TabClient) -> None:
    status, body = await tab.get("/api/v1/flows/startable", user=KOK)
    assert status == 200
    flows = {f["id"]: f for f in body["items"]}
    assert {"collegevoorstel", "energietoeslag", "subsidiebeschikking"} <= set(flows)
    energy = {f["name"]: f for f in flows["energietoeslag"]["fields"]}
    assert energy["huishoudinkomen"] == {
        "name": "huishoudinkomen", "label": "Netto huishoudinkomen per maand (EUR)",
        "type": "money", "required": True, "choices": [], "max_length": None}
    assert energy["behandelaar"]["type"] == "user"
    assert energy["zaaknummer"]["max_length"] == 40
    choices = [f for flow in flows.values() for f in flow["fields"] if f["type"] == "choice"]
    assert choices and all(f["choices"] for f in choices)


async def test_a_guest_may_start_no_flow_that_is_for_employees(tab: TabClient) -> None:
    status, body = await tab.get("/api/v1/flows/startable", user=GUEST)
    assert status == 200
    assert "energietoeslag" not in {f["id"] for f in body["items"]}
    status, body = await tab.post("/api/v1/dossiers", _start(), user=GUEST)
    assert status == 403
    assert (body["code"], body["field"]) == ("not_a_starter", "flow")
    _, page = await tab.get("/api/v1/dossiers?q=Bakker", user="s.vos@voorbeeldstad.nl")
    assert page["total"] == 0  # nothing recorded


async def test_a_start_records_the_dossier_and_the_first_stage_is_in_a_werkvoorraad(
        tab: TabClient) -> None:
    status, body = await tab.post("/api/v1/dossiers", _start(), user=KOK)
    assert status == 200, body
    dossier = body["dossier"]
    assert (dossier["title"], dossier["status"]) == ("Energietoeslag Bakker", "open")
    assert dossier["initiator"]["id"] == OIDS[KOK]
    status, page = await tab.get(f"/api/v1/dossiers/{dossier['id']}", user=KOK)
    assert status == 200
    assert page["fields"]["huishoudinkomen"] in (1450, 1450.0, "1450.00")
    assert page["fields"]["behandelaar"] == VISSER
    started = page["events"][0]
    assert (started["type"], started["actor"]["id"]) == ("DossierStarted", OIDS[KOK])
    status, tasks = await tab.get("/api/v1/tasks", user=PETERS)
    assert dossier["id"] in {t["dossier_id"] for t in tasks["items"]}


async def test_the_same_request_id_starts_one_dossier(tab: TabClient) -> None:
    first = await tab.post("/api/v1/dossiers", _start(request_id="form-0001-abc"), user=KOK)
    again = await tab.post("/api/v1/dossiers", _start(request_id="form-0001-abc"), user=KOK)
    assert first[0] == again[0] == 200
    assert first[1]["dossier"]["id"] == again[1]["dossier"]["id"]
    _, page = await tab.get("/api/v1/dossiers?q=Bakker", user=KOK)
    assert page["total"] == 1


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"title": "   "}, "title", "title_required"),
    ({"fields": {**ENERGY, "zaaknummer": ""}}, "fields.zaaknummer", "field_required"),
    ({"fields": {**ENERGY, "huishoudinkomen": "veel"}}, "fields.huishoudinkomen", None),
    ({"fields": {**ENERGY, "behandelaar": "niemand@voorbeeldstad.nl"}}, "fields.behandelaar",
     "unknown_user"),
    ({"fields": {**ENERGY, "behandelaar": KOK}}, "fields.behandelaar", None),  # four eyes
    ({"fields": {**ENERGY, "kleur": "rood"}}, "fields.kleur", "unknown_field"),
    ({"flow": "bestaat-niet"}, "flow", "unknown_flow"),
])
async def test_a_refused_start_is_422_at_the_field_and_records_nothing(
        tab: TabClient, changes: dict[str, object], field: str, code: str | None) -> None:
    status, body = await tab.post("/api/v1/dossiers", _start(**changes), user=KOK,
                                  lang="en")
    assert status == 422, body
    assert body["field"] == field
    if code is not None:
        assert body["code"] == code
    assert body["message"]
    _, page = await tab.get("/api/v1/dossiers?q=Bakker", user=KOK)
    assert page["total"] == 0


async def test_the_refusals_are_in_the_requests_language(tab: TabClient) -> None:
    body = _start(fields={**ENERGY, "zaaknummer": ""})
    _, dutch = await tab.post("/api/v1/dossiers", body, user=KOK)
    _, english = await tab.post("/api/v1/dossiers", body, user=KOK, lang="en")
    assert dutch["message"] != english["message"]
    assert dutch["field"] == english["field"] == "fields.zaaknummer"


async def test_a_malformed_start_is_422_and_needs_an_identity(tab: TabClient) -> None:
    status, body = await tab.post("/api/v1/dossiers", {"flow": "energietoeslag"}, user=KOK)
    assert (status, body["field"]) == (422, "title")
    status, _ = await tab.post("/api/v1/dossiers", _start())
    assert status == 401
