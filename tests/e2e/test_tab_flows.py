"""Stromen over real HTTP on the demo data: only beheerders; a draft checked with every
problem at the path of its field; a dossier simulated on a draft and on a stored version;
a draft published as a version the command line lists; withdraw, export and import; the
directory picker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from tests.e2e.bot_http import copy_demo
from tests.e2e.tab_http import TabClient, tab_server

VOS = "s.vos@voorbeeldstad.nl"  # beheerder in the demo directory
DEJONG = "t.dejong@voorbeeldstad.nl"  # beleidsadviseur, manager h.vandijk

FLOWS = "/api/v1/admin/flows"


@pytest.fixture
async def tab(demo_template: Path, tmp_path: Path) -> AsyncIterator[TabClient]:
    async with tab_server(copy_demo(demo_template, tmp_path / "data")) as client:
        yield client


def inkoop(version: int = 1, **changes: Any) -> dict[str, Any]:
    """A 4-stage flow as the designer's form sends it: advice in parallel (one on a
    condition), paraaf, accord, besluit."""
    flow: dict[str, Any] = {
        "schema": "paraaf/flow/v1", "id": "inkoop", "version": version, "title": "Inkoop",
        "fields": [{"name": "onderwerp", "type": "text", "label": "Onderwerp",
                    "required": True},
                   {"name": "bedrag", "type": "money", "label": "Bedrag"}],
        "stages": [
            {"id": "advies", "parallel": [
                {"id": "juridisch_advies", "kind": "advise", "title": "Juridisch advies",
                 "assignees": [{"group": "juristen"}], "completion": "any",
                 "deadline_days": 5},
                {"id": "financieel_advies", "kind": "advise", "title": "Financieel advies",
                 "assignees": [{"group": "financien"}], "completion": "any",
                 "condition": "bedrag >= 10000", "deadline_days": 5}]},
            {"id": "paraaf", "kind": "initial", "title": "Paraaf",
             "assignees": [{"manager": 1}], "deadline_days": 3,
             "return_to": ["juridisch_advies"]},
            {"id": "accord", "kind": "approve", "title": "Accord",
             "assignees": [{"role": "directeur"}], "completion": "any", "deadline_days": 3},
            {"id": "besluit", "kind": "decide", "title": "Besluit",
             "assignees": [{"role": "college"}], "completion": "any", "deadline_days": 10},
        ],
    }
    flow.update(changes)
    return flow


async def test_every_flow_operation_is_for_beheerders_only(tab: TabClient) -> None:
    calls = [("GET", FLOWS, None), ("GET", f"{FLOWS}/collegevoorstel", None),
             ("GET", f"{FLOWS}/collegevoorstel/export", None),
             ("GET", "/api/v1/admin/directory?q=a", None),
             ("POST", f"{FLOWS}/validate", {"definition": inkoop()}),
             ("POST", f"{FLOWS}/simulate", {"draft": {"definition": inkoop()},
                                            "initiator": DEJONG}),
             ("POST", f"{FLOWS}/publish", {"definition": inkoop()}),
             ("POST", f"{FLOWS}/import", {"yaml": "schema: paraaf/flow/v1\n"}),
             ("POST", f"{FLOWS}/collegevoorstel/withdraw", {"version": 1})]
    for method, path, body in calls:
        status, answer = await tab.call(method, path, user=DEJONG, body=body)
        assert status == 403, (path, status, answer)
        assert answer["code"] == "forbidden"
        status, _ = await tab.call(method, path, body=body)  # nobody at all
        assert status == 401, path
    status, flows = await tab.get(FLOWS, user=DEJONG)
    assert status == 403
    # nothing was published or withdrawn by the refused calls
    status, flows = await tab.get(FLOWS, user=VOS)
    assert status == 200
    assert {f["id"]: f["current"] for f in flows["items"]} == {
        "collegevoorstel": 1, "energietoeslag": 1, "subsidiebeschikking": 1}


async def test_the_list_shows_versions_and_a_version_as_yaml_and_data(tab: TabClient) -> None:
    status, flows = await tab.get(FLOWS, user=VOS)
    college = next(f for f in flows["items"] if f["id"] == "collegevoorstel")
    assert college["versions"][0]["status"] == "gepubliceerd"
    status, detail = await tab.get(f"{FLOWS}/collegevoorstel?version=1", user=VOS)
    assert status == 200
    assert detail["yaml"].startswith("schema: paraaf/flow/v1")
    stages = detail["definition"]["stages"]
    assert stages[0]["parallel"][1]["condition"] == "bedrag >= 10000"
    status, _ = await tab.get(f"{FLOWS}/bestaatniet", user=VOS)
    assert status == 404
    status, _ = await tab.get(f"{FLOWS}/collegevoorstel?version=9", user=VOS)
    assert status == 404


async def test_a_draft_is_checked_with_each_problem_at_its_field(tab: TabClient) -> None:
    status, check = await tab.post(f"{FLOWS}/validate", {"definition": inkoop()}, user=VOS)
    assert status == 200 and check["valid"] is True and check["issues"] == []
    assert check["yaml"].startswith("schema: paraaf/flow/v1\nid: inkoop")
    assert check["definition"]["stages"][1]["id"] == "paraaf"

    broken = inkoop()
    broken["stages"][0]["parallel"][1]["condition"] = "budget >= 10000"
    broken["stages"][1]["return_to"] = ["besluit"]
    broken["stages"][2]["kind"] = "goedkeuren"
    status, check = await tab.post(f"{FLOWS}/validate", {"definition": broken}, user=VOS,
                                   lang="en")
    assert status == 200 and check["valid"] is False and check["definition"] is None
    where = {i["path"]: i for i in check["issues"]}
    assert set(where) >= {"stages[0].parallel[1].condition", "stages[1].return_to[0]",
                          "stages[2].kind"}
    assert "budget" in where["stages[0].parallel[1].condition"]["message"]
    assert all(i["line"] for i in check["issues"])  # lines of the YAML it was written as
    # in Dutch by default
    status, dutch = await tab.post(f"{FLOWS}/validate", {"definition": broken}, user=VOS)
    assert {i["path"] for i in dutch["issues"]} == set(where)
    assert dutch["issues"][0]["message"] != check["issues"][0]["message"]

    # YAML text is checked the same way, and a syntax error is a problem, not a failure
    status, check = await tab.post(f"{FLOWS}/validate", {"yaml": "id: [unclosed"}, user=VOS)
    assert status == 200 and check["valid"] is False and check["issues"]
    # both or neither: refused
    status, answer = await tab.post(f"{FLOWS}/validate", {}, user=VOS)
    assert status == 422 and answer["code"] == "draft_required"


async def test_a_draft_is_simulated_stage_by_stage_without_recording(tab: TabClient) -> None:
    before = await tab.wiring.services.store.list_summaries(limit=100)
    request = {"draft": {"definition": inkoop()}, "initiator": DEJONG,
               "fields": {"onderwerp": "Nieuwe fietsen", "bedrag": "25.000"}}
    status, run = await tab.post(f"{FLOWS}/simulate", request, user=VOS)
    assert status == 200, run
    by_id = {s["stage_id"]: s for s in run["stages"]}
    assert [s["outcome"] for s in run["stages"]] == ["task"] * 5
    assert run["initiator"]["name"] == "Thomas de Jong"
    assert {p["name"] for p in by_id["paraaf"]["assignees"]} == {"Hanneke van Dijk"}
    assert by_id["juridisch_advies"]["parallel"] is True
    assert by_id["juridisch_advies"]["due"] is not None
    assert by_id["paraaf"]["starts"] == by_id["juridisch_advies"]["due"]

    request["fields"] = {"onderwerp": "Pennen", "bedrag": "800"}
    status, run = await tab.post(f"{FLOWS}/simulate", request, user=VOS, lang="en")
    skipped = [s for s in run["stages"] if s["outcome"] == "skipped"]
    assert [s["stage_id"] for s in skipped] == ["financieel_advies"]
    assert skipped[0]["condition"] == "bedrag >= 10000"
    assert "800" in skipped[0]["reason"] and "less than" in skipped[0]["reason"]

    # a rule that finds nobody is where the dossier would wait
    lonely = inkoop()
    lonely["stages"][2]["assignees"] = [{"role": "bestaatniet"}]
    status, run = await tab.post(f"{FLOWS}/simulate", {**request, "draft": {
        "definition": lonely}}, user=VOS)
    assert run["nobody"] == ["accord"]

    # a stored version too; nothing was recorded by any of it
    status, run = await tab.post(f"{FLOWS}/simulate", {
        "flow": "collegevoorstel", "initiator": DEJONG, "fields": {"bedrag": "5000"}},
        user=VOS)
    assert status == 200 and run["version"] == 1
    assert await tab.wiring.services.store.list_summaries(limit=100) == before

    # a wrong value is refused at its field; an unknown initiator at the initiator
    status, answer = await tab.post(f"{FLOWS}/simulate", {**request, "fields": {
        "bedrag": "veel"}}, user=VOS)
    assert status == 422 and answer["field"] == "fields.bedrag"
    status, answer = await tab.post(f"{FLOWS}/simulate", {**request, "initiator": "x@y.nl"},
                                    user=VOS)
    assert status == 422 and answer["field"] == "initiator"


async def test_publish_makes_a_version_the_command_line_lists(
        tab: TabClient, capsys: pytest.CaptureFixture[str]) -> None:
    status, record = await tab.post(f"{FLOWS}/publish", {"definition": inkoop()}, user=VOS)
    assert status == 200, record
    assert (record["id"], record["version"], record["status"]) == ("inkoop", 1, "gepubliceerd")
    assert record["published_by"]
    capsys.readouterr()
    data = str(tab.wiring.settings.data_dir)
    # the command line runs its own event loop: in a thread beside the server's
    assert await asyncio.to_thread(main, ["--data", data, "flow", "list", "--json"]) == 0
    listed = {(f["id"], f["version"]): f["status"] for f in json.loads(capsys.readouterr().out)}
    assert listed[("inkoop", 1)] == "gepubliceerd"

    # the same text again changes nothing; another text for version 1 is refused
    status, again = await tab.post(f"{FLOWS}/publish", {"definition": inkoop()}, user=VOS)
    assert status == 200 and again == record
    status, answer = await tab.post(f"{FLOWS}/publish", {"definition": inkoop(
        title="Inkoop groot")}, user=VOS)
    assert status == 409 and answer["code"] == "flow_version_fixed"
    # version 2 is published beside it; new dossiers start on 2
    status, record = await tab.post(f"{FLOWS}/publish", {"definition": inkoop(
        2, title="Inkoop groot")}, user=VOS)
    assert status == 200 and record["version"] == 2
    status, flows = await tab.get(FLOWS, user=VOS)
    item = next(f for f in flows["items"] if f["id"] == "inkoop")
    assert item["current"] == 2 and [v["version"] for v in item["versions"]] == [1, 2]
    # an invalid draft is not published, and says where
    broken = inkoop(3)
    broken["stages"][2]["kind"] = "goedkeuren"
    status, answer = await tab.post(f"{FLOWS}/publish", {"definition": broken}, user=VOS)
    assert status == 422 and answer["field"] == "stages[2].kind"


async def test_withdraw_export_and_import(tab: TabClient) -> None:
    status, exported = await tab.get(f"{FLOWS}/collegevoorstel/export", user=VOS)
    assert status == 200 and exported["filename"] == "collegevoorstel-v1.yaml"
    text = exported["yaml"].replace("version: 1", "version: 2", 1)
    status, record = await tab.post(f"{FLOWS}/import", {"yaml": text}, user=VOS)
    assert status == 200 and (record["version"], record["status"]) == (2, "concept")
    status, record = await tab.post(f"{FLOWS}/collegevoorstel/withdraw", {"version": 1},
                                    user=VOS)
    assert status == 200 and record["status"] == "ingetrokken"
    status, answer = await tab.post(f"{FLOWS}/collegevoorstel/withdraw", {"version": 1},
                                    user=VOS)
    assert status == 409 and answer["code"] == "flow_status_change"
    status, answer = await tab.post(f"{FLOWS}/collegevoorstel/withdraw", {"version": 7},
                                    user=VOS)
    assert status == 404
    status, answer = await tab.post(f"{FLOWS}/import", {"yaml": "id: x"}, user=VOS)
    assert status == 422 and answer["code"] == "flow_invalid"


async def test_the_directory_picker_finds_people_groups_and_roles(tab: TabClient) -> None:
    status, found = await tab.get("/api/v1/admin/directory?q=jur", user=VOS)
    assert status == 200
    assert {"kind": "group", "value": "juristen", "name": "Juridische Zaken",
            "detail": "juristen"} in found["items"]
    status, found = await tab.get("/api/v1/admin/directory?q=dijk&kind=user", user=VOS)
    assert [e["value"] for e in found["items"]] == ["h.vandijk@voorbeeldstad.nl"]
    status, found = await tab.get("/api/v1/admin/directory?q=direct&kind=role", user=VOS)
    assert [e["value"] for e in found["items"]] == ["directeur"]


async def test_a_new_version_starts_new_dossiers_while_running_ones_keep_theirs(
        tab: TabClient, capsys: pytest.CaptureFixture[str]) -> None:
    status, detail = await tab.get(f"{FLOWS}/collegevoorstel", user=VOS)
    definition = {**detail["definition"], "version": 2, "title": "Collegevoorstel (nieuw)"}
    definition["stages"] = [s for s in definition["stages"] if s["id"] != "accord_directeur"]
    definition["stages"][-1]["return_to"] = ["paraaf_afdelingshoofd"]
    status, record = await tab.post(f"{FLOWS}/publish", {"definition": definition}, user=VOS)
    assert status == 200 and record["version"] == 2, record

    store = tab.wiring.services.store
    running = await store.get_summary("DEMO-1")
    assert running is not None and running.flow_version == 1
    # the running dossier goes on on its own version: its financial advice is still asked
    status, tasks = await tab.get("/api/v1/tasks", user="f.meijer@voorbeeldstad.nl")
    task = next(t for t in tasks["items"] if t["dossier_id"] == "DEMO-1")
    status, acted = await tab.post("/api/v1/dossiers/DEMO-1/actions", {
        "verb": "advise", "stage_id": task["stage_id"], "round": task["round"],
        "version": task["version"], "advice": "positief", "text": "Akkoord."},
        user="f.meijer@voorbeeldstad.nl")
    assert status == 200, acted
    assert (await store.get_summary("DEMO-1")).flow_version == 1  # type: ignore[union-attr]

    capsys.readouterr()
    data = str(tab.wiring.settings.data_dir)
    assert await asyncio.to_thread(main, [
        "--data", data, "--json", "dossier", "start", "--flow", "collegevoorstel", "--as",
        DEJONG, "--title", "Nieuwe fietsenstalling", "--field", "onderwerp=Fietsen",
        "--field", "bedrag=25.000"]) == 0
    started = json.loads(capsys.readouterr().out)
    new = await store.get_summary(str(started["id"]))
    assert new is not None and new.flow_version == 2


async def test_chosen_running_dossiers_move_to_a_new_version_where_their_progress_fits(
        tab: TabClient) -> None:
    """DEMO-1 waits in its advice step; DEMO-2 (a collegevoorstel further on) and a dossier of
    another flow are chosen too: one moves (recorded as an event), the others say why not."""
    status, detail = await tab.get(f"{FLOWS}/collegevoorstel", user=VOS)
    later = {**detail["definition"], "version": 2}
    # version 2 changes only what comes after the advice: no accord of the director
    later["stages"] = [s for s in later["stages"] if s["id"] != "accord_directeur"]
    later["stages"][-1]["return_to"] = ["paraaf_afdelingshoofd"]
    status, _ = await tab.post(f"{FLOWS}/publish", {"definition": later}, user=VOS)
    assert status == 200
    store = tab.wiring.services.store
    summaries = {s.id: s for s in await store.list_summaries(limit=100)}
    others = [s.id for s in summaries.values() if s.flow_id != "collegevoorstel"]
    college = [s.id for s in summaries.values()
               if s.flow_id == "collegevoorstel" and s.status == "open"]
    assert "DEMO-1" in college

    body = {"version": 2, "dossiers": ["DEMO-1", others[0]], "reason": "Geen accord meer nodig"}
    status, answer = await tab.post(f"{FLOWS}/collegevoorstel/move", body, user=DEJONG)
    assert status == 403
    status, answer = await tab.post(f"{FLOWS}/collegevoorstel/move", body, user=VOS)
    assert status == 200, answer
    by_id = {r["dossier_id"]: r for r in answer["results"]}
    assert by_id["DEMO-1"]["ok"] is True
    assert by_id[others[0]]["ok"] is False and by_id[others[0]]["error"]["code"] == "not_found"
    moved = await store.get_summary("DEMO-1")
    assert moved is not None and moved.flow_version == 2
    status, page = await tab.get("/api/v1/dossiers/DEMO-1", user=VOS)
    event = page["events"][-1]
    assert event["type"] == "FlowVersionChanged" and event["reason"] == "Geen accord meer nodig"
    assert event["actor"]["name"] == "Sanne Vos"

    # again: already there, said so; nothing more recorded
    status, answer = await tab.post(f"{FLOWS}/collegevoorstel/move", body, user=VOS)
    assert answer["results"][0]["error"]["code"] == "flow_move_same"
    status, again = await tab.get("/api/v1/dossiers/DEMO-1", user=VOS)
    assert len(again["events"]) == len(page["events"])

    # a version whose advice step differs does not fit a dossier that has reached it
    status, detail = await tab.get(f"{FLOWS}/collegevoorstel?version=2", user=VOS)
    other = {**detail["definition"], "version": 3}
    other["stages"][0]["parallel"][1]["id"] = "begrotingsadvies"
    other["stages"][1]["return_to"] = ["juridisch_advies", "begrotingsadvies"]
    status, answer = await tab.post(f"{FLOWS}/publish", {"definition": other}, user=VOS)
    assert status == 200, answer
    body = {"version": 3, "dossiers": ["DEMO-1"], "reason": "Alleen juridisch advies"}
    status, answer = await tab.post(f"{FLOWS}/collegevoorstel/move", body, user=VOS, lang="en")
    error = answer["results"][0]["error"]
    assert error["code"] == "flow_move_misfit" and "Financieel advies" in error["message"]
    assert (await store.get_summary("DEMO-1")).flow_version == 2  # type: ignore[union-attr]
