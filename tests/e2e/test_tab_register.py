"""The decision register, insight and my substitutes over real HTTP on the demo data: who
sees which decisions, the filters, the CSV (safe against formula injection) and JSON
exports, insight for beheerders only, substitutes set and cleared as on the command line."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from approvals import substitute_commands as sc
from approvals.facts import DossierFacts, advance
from approvals.insight import rows
from local.sqlite_store import SqliteDossierStore
from tests.e2e.bot_http import OIDS, copy_demo
from tests.e2e.tab_http import TabClient, tab_server

VOS = "s.vos@voorbeeldstad.nl"  # beheerder
PETERS = "b.peters@voorbeeldstad.nl"  # beoordeling of every energietoeslag
VISSER = "j.visser@voorbeeldstad.nl"  # behandelaar of DEMO-3: decides it
KOK = "i.kok@voorbeeldstad.nl"  # started DEMO-3
DEJONG = "t.dejong@voorbeeldstad.nl"  # started DEMO-1, nothing to do with DEMO-3
STRANGER = "m.jansen@voorbeeldstad.nl"
DECISION = "=HYPERLINK(\"http://evil.example\",\"klik\") toegekend"


@pytest.fixture
async def tab(demo_template: Path, tmp_path: Path) -> AsyncIterator[TabClient]:
    async with tab_server(copy_demo(demo_template, tmp_path / "data")) as client:
        yield client


async def _act(tab: TabClient, user: str, dossier: str, verb: str, text: str = "") -> None:
    [task] = [t for t in (await tab.get("/api/v1/tasks", user=user))[1]["items"]
              if t["dossier_id"] == dossier]
    body = {"verb": verb, "stage_id": task["stage_id"], "round": task["round"],
            "version": task["version"], "text": text}
    status, result = await tab.post(f"/api/v1/dossiers/{dossier}/actions", body, user=user)
    assert status == 200, result


async def _decide_demo_3(tab: TabClient) -> None:
    await _act(tab, PETERS, "DEMO-3", "initial")
    await _act(tab, VISSER, "DEMO-3", "decide", DECISION)


async def test_the_register_lists_a_decision_to_those_involved_and_beheerders(
        tab: TabClient) -> None:
    status, empty = await tab.get("/api/v1/decisions", user=VOS)
    assert status == 200 and empty["total"] == 0
    await _decide_demo_3(tab)
    status, page = await tab.get("/api/v1/decisions", user=VOS)
    assert status == 200 and page["total"] == 1
    [entry] = page["items"]
    assert (entry["number"], entry["flow_id"], entry["by"]["id"], entry["text"]) == (
        "DEMO-3", "energietoeslag", OIDS[VISSER], DECISION)
    assert entry["on_behalf_of"] is None and entry["decided_at"].endswith("+01:00")
    for involved in (KOK, PETERS, VISSER):
        assert (await tab.get("/api/v1/decisions", user=involved))[1]["total"] == 1
    for outsider in (DEJONG, STRANGER):
        assert (await tab.get("/api/v1/decisions", user=outsider))[1]["total"] == 0
    assert (await tab.get("/api/v1/decisions"))[0] == 401


async def test_the_register_filters_by_period_flow_decider_and_search(tab: TabClient) -> None:
    await _decide_demo_3(tab)
    today = tab.wiring.services.clock.now().date()

    async def total(query: str) -> int:
        status, page = await tab.get(f"/api/v1/decisions?{query}", user=VOS)
        assert status == 200, page
        return int(page["total"])

    assert await total(f"since={today}&until={today}") == 1
    assert await total(f"since={today + timedelta(days=1)}") == 0
    assert await total(f"until={today - timedelta(days=1)}") == 0
    assert await total("flow=energietoeslag") == 1
    assert await total("flow=collegevoorstel") == 0
    assert await total(f"decider={OIDS[VISSER]}") == 1
    assert await total(f"decider={OIDS[PETERS]}") == 0
    assert await total("q=toegekend") == 1 and await total("q=demo-3") == 1
    assert await total("q=amrani") == 0  # a field value is not searched
    assert await total("q=nergens") == 0
    assert await total(f"since={today}&until={today - timedelta(days=1)}") == 0
    status, body = await tab.get("/api/v1/decisions?since=0", user=VOS)
    assert status == 422 and body["field"] == "since"  # a day is an ISO date, no number


async def test_the_csv_export_neutralises_formulas_and_the_json_export_is_the_same(
        tab: TabClient) -> None:
    await _decide_demo_3(tab)
    async with tab.session.get(f"{tab.base}/api/v1/decisions/export?format=csv",
                               headers={"X-Paraaf-User": OIDS[KOK],
                                        "Accept-Language": "en"}) as response:
        assert response.status == 200
        assert response.content_type == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        text = await response.text()
    header, row = list(csv.reader(io.StringIO(text)))
    assert header[:2] == ["Date", "Dossier number"]
    assert row[1] == "DEMO-3" and row[6] == "'" + DECISION
    assert row[7].endswith("/tab/dossiers/DEMO-3")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    status, data = await tab.get("/api/v1/decisions/export?format=json", user=KOK)
    assert status == 200 and data["total"] == 1 and data["items"][0]["text"] == DECISION
    status, data = await tab.get("/api/v1/decisions/export?format=json", user=STRANGER)
    assert status == 200 and data["items"] == []


async def test_the_store_keeps_the_facts_as_the_events_fold_them(tab: TabClient) -> None:
    await _decide_demo_3(tab)
    store = tab.wiring.services.store
    assert isinstance(store, SqliteDossierStore)  # the local backend keeps the facts
    db = sqlite3.connect(Path(tab.wiring.settings.data_dir) / "paraaf.db")
    try:
        for dossier in ("DEMO-1", "DEMO-2", "DEMO-3"):
            kept = DossierFacts.from_json(json.loads(db.execute(
                "SELECT facts FROM dossier_facts WHERE id = ?", (dossier,)).fetchone()[0]))
            summary = await store.get_summary(dossier)
            assert summary is not None
            assert kept == advance(None, await store.load(dossier), summary.flow_title)
    finally:
        db.close()
    # and the insight's rows as rows() makes them of the facts
    folded = []
    for dossier in ("DEMO-1", "DEMO-2", "DEMO-3"):
        summary = await store.get_summary(dossier)
        assert summary is not None
        folded.append(advance(None, await store.load(dossier), summary.flow_title))
    dossiers, spans = await store.insight_rows(None, None)
    expected = rows([f for f in folded if f is not None])
    assert sorted(dossiers) == sorted(expected[0]) and sorted(spans) == sorted(expected[1])


async def test_an_older_database_gets_its_facts_folded_from_its_events(
        demo_template: Path, tmp_path: Path) -> None:
    data = copy_demo(demo_template, tmp_path / "old")
    db = sqlite3.connect(data / "paraaf.db")
    db.execute("DELETE FROM dossier_facts")
    db.execute("DELETE FROM dossier_participants")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    async with tab_server(data) as tab:
        status, _ = await tab.get("/api/v1/decisions", user=VOS)
        assert status == 200
        status, report = await tab.get("/api/v1/admin/insight", user=VOS)
        assert status == 200 and report["dossiers"] == 3


async def test_insight_is_for_beheerders_with_numbers_per_flow_stage_and_department(
        tab: TabClient) -> None:
    assert (await tab.get("/api/v1/admin/insight", user=KOK))[0] == 403
    await _decide_demo_3(tab)
    status, report = await tab.get("/api/v1/admin/insight", user=VOS)
    assert status == 200, report
    assert report["dossiers"] == 3
    flows = {f["flow_id"]: f for f in report["flows"]}
    assert flows["energietoeslag"]["closed"] == 1
    assert flows["energietoeslag"]["lead"]["count"] == 1
    stages = {(s["flow_id"], s["stage_id"]): s for s in report["stages"]}
    beoordeling = stages[("energietoeslag", "beoordeling")]
    assert beoordeling["lead"]["count"] == 1 and beoordeling["stage"] != "beoordeling"
    assert {d["department"] for d in report["departments"]} >= {"Ruimtelijke Ontwikkeling"}
    status, one = await tab.get("/api/v1/admin/insight?flow=energietoeslag", user=VOS)
    assert one["dossiers"] == 1
    status, none = await tab.get("/api/v1/admin/insight?since=2026-01-02&until=2026-01-01",
                                 user=VOS)
    assert status == 200 and none["dossiers"] == 0 and none["flows"] == []


async def test_my_substitute_is_set_listed_and_cleared_as_on_the_command_line(
        tab: TabClient) -> None:
    today = tab.wiring.services.clock.now().date()
    request = {"substitute": PETERS, "start": str(today), "end": str(today + timedelta(days=7)),
               "reason": "Vakantie"}
    status, mine = await tab.post("/api/v1/me/substitutes", request, user=VISSER)
    assert status == 200, mine
    [period] = mine["items"]
    assert period["substitute"]["id"] == OIDS[PETERS] and period["set_by"]["id"] == OIDS[VISSER]
    assert (await tab.get("/api/v1/me/substitutes", user=VISSER))[1] == mine
    assert (await tab.get("/api/v1/me/substitutes", user=PETERS))[1] == {"items": []}
    # stored where the command line's `vervanger list` reads it
    [stored] = await sc.current_substitutes(tab.wiring.services)
    assert (stored.id, stored.reason) == (period["id"], "Vakantie")
    # the domain's refusals: overlap, self, reason
    status, body = await tab.post("/api/v1/me/substitutes", request, user=VISSER, lang="en")
    assert status == 409 and body["code"] == "substitute_overlap"
    status, body = await tab.post("/api/v1/me/substitutes", {**request, "substitute": VISSER},
                                  user=VISSER)
    assert status == 409 and body["field"] == "substitute"
    status, body = await tab.post("/api/v1/me/substitutes",
                                  {**request, "substitute": "niemand@voorbeeldstad.nl"},
                                  user=VISSER)
    assert status == 409 and body["code"] == "unknown_user"
    status, body = await tab.post("/api/v1/me/substitutes", {**request, "reason": "  "},
                                  user=VISSER)
    assert status == 422 and body["field"] == "reason"  # not even well formed
    status, cleared = await tab.call("DELETE", "/api/v1/me/substitutes", user=VISSER)
    assert status == 200 and cleared == {"items": []}


async def test_the_flow_choices_list_each_flow_with_its_stages(tab: TabClient) -> None:
    status, choices = await tab.get("/api/v1/flows/choices", user=KOK)
    assert status == 200
    flows = {f["id"]: [s["id"] for s in f["stages"]] for f in choices["items"]}
    assert flows["energietoeslag"] == ["beoordeling", "besluit"]
    assert set(flows) == {"collegevoorstel", "energietoeslag", "subsidiebeschikking"}


async def test_a_registered_decision_links_its_register_entry(tab: TabClient) -> None:
    from approvals import commands as c
    from approvals.identity import SYSTEM
    from approvals.service import execute

    await _decide_demo_3(tab)
    [entry] = (await tab.get("/api/v1/decisions", user=VOS))[1]["items"]
    assert entry["register_url"] is None
    url = "https://oz.example/besluiten/api/v1/besluiten/4b1c"
    await execute(c.RecordRegistration(  # as the outbox's registration records it
        dossier_id="DEMO-3", actor=SYSTEM, command_id="register-demo-3", channel="system",
        register="zgw", identificatie="DEMO-3", url=url,
        document_url="https://oz.example/documenten/api/v1/enkelvoudiginformatieobjecten/9"),
        tab.wiring.services)
    [entry] = (await tab.get("/api/v1/decisions", user=VOS))[1]["items"]
    assert entry["register_url"] == url
    status, dossier = await tab.get("/api/v1/dossiers/DEMO-3", user=KOK)
    assert status == 200 and dossier["decision"]["register_url"] == url
    assert "DecisionRegistered" in [e["type"] for e in dossier["events"]]
    status, exported = await tab.get("/api/v1/decisions/export?format=json", user=VOS)
    assert status == 200 and exported["items"][0]["register_url"] == url

