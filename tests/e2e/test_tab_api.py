"""The tab's API over real HTTP on the demo data: who may ask (SSO tokens on a local JWKS, the
local user picker), the werkvoorraad, task actions and bulk through the same service and
refusals as the cards, the dossiers overview and the dossier page."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from approvals.errors import REFUSALS
from approvals.flows.yaml_io import parse_flow
from bot.cli.main import main
from tests.e2e.bot_http import OIDS, TENANT, copy_demo
from tests.e2e.tab_http import TabClient, tab_server
from tests.support.docx_kit import TWO_AUTHORS, docx_with_comments
from tests.support.openid_stand_in import KeyServer, Signer

VOS = "s.vos@voorbeeldstad.nl"  # beheerder in the demo directory
DEJONG = "t.dejong@voorbeeldstad.nl"  # started DEMO-1
MEIJER = "f.meijer@voorbeeldstad.nl"  # financieel advies in DEMO-1
PETERS = "b.peters@voorbeeldstad.nl"  # beoordeling (initial) of every energietoeslag
KOK = "i.kok@voorbeeldstad.nl"  # starts energietoeslag dossiers
VISSER = "j.visser@voorbeeldstad.nl"
STRANGER = "m.jansen@voorbeeldstad.nl"  # in no demo dossier
CLIENT = "0f4e9c1a-7d2b-4c8e-9a6f-3b5d1e2c4a7f"
OTHER_TENANT = "9a8b7c6d-1234-4e5f-8a9b-0c1d2e3f4a5b"
PUBLIC = "https://paraaf.voorbeeldstad.nl"
SIGNER = Signer("entra-1", endorsements=())
FLOWS = Path(__file__).resolve().parents[2] / "local" / "demo" / "flows"


@pytest.fixture
async def tab(demo_template: Path, tmp_path: Path) -> AsyncIterator[TabClient]:
    async with tab_server(copy_demo(demo_template, tmp_path / "data")) as client:
        yield client


@pytest.fixture
async def keys() -> AsyncIterator[KeyServer]:
    server = KeyServer(SIGNER)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def sso(demo_template: Path, tmp_path: Path, keys: KeyServer) -> AsyncIterator[TabClient]:
    """The server checking SSO tokens against the local key server (its JWKS)."""
    env = {"PARAAF_APP_ID": CLIENT, "PARAAF_TENANT_ALLOWLIST": TENANT,
           "PARAAF_TAB_OPENID_METADATA_URL": keys.url, "PARAAF_PUBLIC_URL": PUBLIC}
    async with tab_server(copy_demo(demo_template, tmp_path / "sso"), env) as client:
        yield client


def sso_token(upn: str = DEJONG, *, key: Any = None, alg: str = "RS256", kid: str = "entra-1",
              **changes: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": f"https://sts.windows.net/{TENANT}/", "aud": f"api://paraaf.voorbeeldstad.nl/{CLIENT}",
        "tid": TENANT, "oid": OIDS[upn], "scp": "access_as_user", "nbf": now, "exp": now + 3600}
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key or SIGNER.key, algorithm=alg, headers={"kid": kid})


def _part(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _hs256_with_public_key() -> str:
    """HS256 signed with the RSA public key as the secret (the key confusion attack)."""
    secret = SIGNER.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    claims = sso_token().split(".")[1]
    forged = _part({"alg": "HS256", "typ": "JWT", "kid": "entra-1"})
    mac = hmac.new(secret, f"{forged}.{claims}".encode(), hashlib.sha256).digest()
    return f"{forged}.{claims}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def _alg_none() -> str:
    claims = jwt.decode(sso_token(), options={"verify_signature": False})
    return f"{_part({'alg': 'none', 'typ': 'JWT', 'kid': 'entra-1'})}.{_part(claims)}."


BAD_TOKENS = {
    "wrong issuer": lambda: sso_token(iss="https://sts.windows.net/common/"),
    "wrong audience": lambda: sso_token(aud="api://paraaf.voorbeeldstad.nl/another-app"),
    "expired": lambda: sso_token(exp=int(time.time()) - 600, nbf=int(time.time()) - 3600),
    "not yet valid": lambda: sso_token(nbf=int(time.time()) + 600),
    "bad signature": lambda: sso_token(key=Signer("other").key),
    "another tenant": lambda: sso_token(tid=OTHER_TENANT,
                                        iss=f"https://sts.windows.net/{OTHER_TENANT}/"),
    "missing scope": lambda: sso_token(scp=None),
    "alg none": _alg_none,
    "HS256 with the public key": _hs256_with_public_key,
}


# --- who may ask -------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
async def test_each_bad_token_is_refused_with_401(sso: TabClient, case: str) -> None:
    status, body = await sso.get("/api/v1/me", token=BAD_TOKENS[case]())
    assert status == 401, (case, body)
    assert body["code"] == "unauthenticated" and body["field"] is None
    assert "niet aangemeld" in body["message"]  # Dutch by default


async def test_a_valid_token_is_the_user_and_beheerder_only_by_the_app_role(
        sso: TabClient, keys: KeyServer) -> None:
    status, me = await sso.get("/api/v1/me", token=sso_token(VOS), lang="en-GB,en;q=0.8")
    # s.vos is beheerder in the demo directory, but the token has no role: no beheerder
    assert status == 200 and me == {"id": OIDS[VOS], "name": me["name"], "language": "en",
                                    "beheerder": False}
    status, body = await sso.get("/api/v1/admin/unassigned", token=sso_token(VOS), lang="en")
    assert status == 403 and body["code"] == "forbidden"
    assert body["message"] == "Only a beheerder can see or do this."
    role = sso_token(DEJONG, roles=["Beheerder"])
    status, me = await sso.get("/api/v1/me", token=role)
    assert status == 200 and me["beheerder"] is True and me["language"] == "nl"
    status, page = await sso.get("/api/v1/admin/unassigned", token=role)
    assert status == 200 and page["page"] == 1
    assert keys.key_requests == 1  # cached after the first fetch


async def test_a_strangers_dossier_is_404_like_one_that_does_not_exist(sso: TabClient) -> None:
    for dossier in ("DEMO-1", "DEMO-404"):
        status, body = await sso.get(f"/api/v1/dossiers/{dossier}", token=sso_token(STRANGER))
        assert status == 404 and body["code"] == "not_found", dossier
    status, page = await sso.get("/api/v1/dossiers/DEMO-1", token=sso_token(DEJONG))
    assert status == 200 and page["summary"]["id"] == "DEMO-1"


async def test_the_local_user_header_counts_only_in_local_mode(sso: TabClient,
                                                               tab: TabClient) -> None:
    status, users = await tab.get("/api/v1/local/users")
    assert status == 200 and {"id": OIDS[VOS], "name": "Sanne Vos", "department": users[
        "items"][[u["id"] for u in users["items"]].index(OIDS[VOS])]["department"],
        "beheerder": True} in users["items"]
    status, me = await tab.get("/api/v1/me", user=VOS)
    assert status == 200 and me["beheerder"] is True
    status, _ = await tab.get("/api/v1/me", user="nobody@voorbeeldstad.nl")
    assert status == 401
    status, _ = await tab.get("/api/v1/me")
    assert status == 401
    # a request for another host is never answered in local mode (DNS rebinding)
    status, _ = await tab.get("/api/v1/me", user=VOS, headers={"Host": "evil.example:3978"})
    assert status == 403


async def test_outside_local_mode_the_header_is_no_identity(demo_template: Path, tmp_path: Path,
                                                            keys: KeyServer) -> None:
    env = {"PARAAF_MODE": "production", "PARAAF_APP_ID": CLIENT, "PARAAF_APP_PASSWORD": "x",
           "PARAAF_TENANT_ALLOWLIST": TENANT, "PARAAF_BOT_OPENID_METADATA_URL": keys.url,
           "PARAAF_TAB_OPENID_METADATA_URL": keys.url}
    async with tab_server(copy_demo(demo_template, tmp_path / "data"), env) as prod:
        status, _ = await prod.get("/api/v1/me", user=VOS)
        assert status == 401
        status, body = await prod.get("/api/v1/local/users")
        assert status == 404 and body["code"] == "not_found"
        status, me = await prod.get("/api/v1/me", token=sso_token(VOS, aud=CLIENT))
        assert status == 200 and me["id"] == OIDS[VOS]


async def test_a_page_of_the_server_itself_may_call_the_api_in_local_mode(tab: TabClient) -> None:
    origin = tab.base
    status, _ = await tab.get("/api/v1/me", user=VOS, headers={"Origin": origin})
    assert status == 200
    status, _ = await tab.get("/api/v1/me", user=VOS, headers={"Origin": "http://evil.example"})
    assert status == 403


# --- the werkvoorraad and task actions ----------------------------------------------------


async def _start_energietoeslag(data: Path, count: int) -> list[str]:
    ids = []
    for n in range(count):
        args = ["--data", str(data), "dossier", "start", "--flow", "energietoeslag", "--as", KOK,
                "--title", f"Energietoeslag Z-2026-1{n:04d}", "--field", "aanvrager=Familie A",
                "--field", f"zaaknummer=Z-2026-1{n:04d}", "--field", "huishoudinkomen=1500",
                "--field", f"behandelaar={VISSER}"]
        assert await asyncio.to_thread(main, args) == 0
    with sqlite3.connect(data / "paraaf.db") as db:
        ids = [row[0] for row in db.execute(
            "SELECT id FROM dossiers WHERE flow_id = 'energietoeslag' ORDER BY created_at")]
    return ids


def _events(data: Path, dossier: str) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "paraaf.db") as db:
        rows = db.execute("SELECT record FROM events WHERE dossier_id = ? ORDER BY seq",
                          (dossier,)).fetchall()
    return [(json.loads(r[0])["type"], json.loads(r[0])["channel"]) for r in rows]


async def test_the_werkvoorraad_lists_my_tasks_with_their_verbs(tab: TabClient) -> None:
    status, tasks = await tab.get("/api/v1/tasks", user=MEIJER)
    assert status == 200
    [task] = [t for t in tasks["items"] if t["dossier_id"] == "DEMO-1"]
    assert task["stage_id"] == "financieel_advies" and task["kind"] == "advise"
    assert task["verbs"] == ["advise", "comment", "delegate"] and task["on_behalf_of"] is None
    assert task["overdue"] is False and task["due"] is not None
    status, mine = await tab.get("/api/v1/tasks", user=STRANGER)
    assert status == 200 and mine == {"items": []}


async def test_an_action_is_recorded_through_the_service_from_the_tab(tab: TabClient) -> None:
    data = tab.wiring.settings.data_dir
    before = _events(data, "DEMO-1")
    [task] = [t for t in (await tab.get("/api/v1/tasks", user=MEIJER))[1]["items"]
              if t["dossier_id"] == "DEMO-1"]
    action = {"verb": "advise", "stage_id": task["stage_id"], "round": task["round"],
              "version": task["version"], "advice": "positief", "text": "Dekking is in orde."}
    status, result = await tab.post("/api/v1/dossiers/DEMO-1/actions", action, user=MEIJER)
    assert status == 200, result
    assert result["dossier"]["id"] == "DEMO-1"
    after = _events(data, "DEMO-1")
    assert after[len(before)] == ("AdviceGiven", "tab")
    # the same click again: the task is done, nothing more is recorded (as on a card)
    status, body = await tab.post("/api/v1/dossiers/DEMO-1/actions", action, user=MEIJER,
                                  lang="en")
    assert status == 409 and body["code"] == "task_handled"
    assert "already been handled" in body["message"]
    assert _events(data, "DEMO-1") == after


async def test_refusals_are_the_domains_with_the_right_status(tab: TabClient) -> None:
    data = tab.wiring.settings.data_dir
    before = _events(data, "DEMO-1")
    base = {"stage_id": "financieel_advies", "round": 1, "version": 1}
    # the initiator is involved, but it is not her turn
    status, body = await tab.post("/api/v1/dossiers/DEMO-1/actions",
                                  {**base, "verb": "advise", "advice": "positief"}, user=DEJONG)
    assert status == 409 and body["code"] == "not_your_turn" and body["code"] in REFUSALS
    # an advice needs its choice
    status, body = await tab.post("/api/v1/dossiers/DEMO-1/actions", {**base, "verb": "advise"},
                                  user=MEIJER)
    assert status == 422 and body["field"] == "advice"
    # a wrong stage kind: an advise stage takes no paraaf
    status, body = await tab.post("/api/v1/dossiers/DEMO-1/actions", {**base, "verb": "initial"},
                                  user=MEIJER)
    assert status in (409, 422) and body["code"] in REFUSALS
    # a control character in the text, a text too long, an unknown key
    for bad, field in (({"verb": "comment", "comment": "a\x1bb"}, "comment"),
                       ({"verb": "comment", "comment": "x" * 20_000}, "comment"),
                       ({"verb": "comment", "comment": "x", "evil": 1}, "evil")):
        status, body = await tab.post("/api/v1/dossiers/DEMO-1/actions", {**base, **bad},
                                      user=MEIJER)
        assert status == 422 and body["field"] == field, (bad, body)
    # a stranger: the dossier does not exist for them
    status, body = await tab.post("/api/v1/dossiers/DEMO-1/actions",
                                  {**base, "verb": "comment", "comment": "hallo"}, user=STRANGER)
    assert status == 404
    assert _events(data, "DEMO-1") == before


async def test_bulk_records_each_task_as_its_own_event_and_reports_per_dossier(
        tab: TabClient) -> None:
    data = tab.wiring.settings.data_dir
    ids = await _start_energietoeslag(data, 2)
    tab.wiring.services._states.clear()  # started by the command line beside the server
    status, tasks = await tab.get("/api/v1/tasks", user=PETERS)
    mine = [t for t in tasks["items"] if t["kind"] == "initial"]
    assert {t["dossier_id"] for t in mine} == set(ids)
    items = [{k: t[k] for k in ("dossier_id", "stage_id", "round", "version")} for t in mine]
    items.append({"dossier_id": "DEMO-1", "stage_id": "beoordeling", "round": 1, "version": 1})
    status, result = await tab.post("/api/v1/tasks/bulk", {"verb": "initial", "items": items},
                                    user=PETERS)
    assert status == 200
    by_id = {r["dossier_id"]: r for r in result["results"]}
    assert all(by_id[i]["ok"] and by_id[i]["error"] is None for i in ids)
    assert by_id["DEMO-1"]["ok"] is False and by_id["DEMO-1"]["error"]["code"] == "not_found"
    for dossier in ids:
        assert _events(data, dossier).count(("Initialled", "tab")) == 1, _events(data, dossier)
    status, after = await tab.get("/api/v1/tasks", user=PETERS)
    assert not [t for t in after["items"] if t["kind"] == "initial"]


# --- the dossiers ------------------------------------------------------------------------


async def test_the_overview_filters_searches_and_pages(tab: TabClient) -> None:
    status, everything = await tab.get("/api/v1/dossiers", user=VOS)
    assert status == 200 and everything["total"] == 3
    status, mine = await tab.get("/api/v1/dossiers", user=DEJONG)
    assert [d["id"] for d in mine["items"]] == ["DEMO-1"]
    status, found = await tab.get("/api/v1/dossiers?q=marktplein", user=VOS)
    assert [d["id"] for d in found["items"]] == ["DEMO-1"]
    status, found = await tab.get("/api/v1/dossiers?flow=energietoeslag", user=VOS)
    assert [d["id"] for d in found["items"]] == ["DEMO-3"]
    status, found = await tab.get(f"/api/v1/dossiers?to_act={OIDS[MEIJER]}", user=VOS)
    assert [d["id"] for d in found["items"]] == ["DEMO-1"]
    status, found = await tab.get(f"/api/v1/dossiers?initiator={OIDS[KOK]}", user=VOS)
    assert [d["id"] for d in found["items"]] == ["DEMO-3"]
    status, found = await tab.get("/api/v1/dossiers?status=completed", user=VOS)
    assert found["total"] == 0
    status, found = await tab.get("/api/v1/dossiers?overdue=true", user=VOS)
    assert found["total"] == 0
    status, page2 = await tab.get("/api/v1/dossiers?page=2&page_size=2", user=VOS)
    assert page2["total"] == 3 and len(page2["items"]) == 1 and page2["page"] == 2
    status, body = await tab.get("/api/v1/dossiers?page=0", user=VOS)
    assert status == 422 and body["field"] == "page"
    status, first = await tab.get("/api/v1/dossiers?page_size=2", user=VOS)
    assert status == 200 and len(first["items"]) == 2 and first["next"]
    status, rest = await tab.get(f"/api/v1/dossiers?page=2&page_size=2&after={first['next']}",
                                 user=VOS)
    assert status == 200 and rest["next"] is None and rest["total"] == 3
    assert [d["id"] for d in first["items"] + rest["items"]] == [
        d["id"] for d in everything["items"]]
    status, body = await tab.get(f"/api/v1/dossiers?status=open&after={first['next']}",
                                 user=VOS)  # a cursor of another query
    assert status == 422 and body["field"] == "after"
    for path in ("/api/v1/dossiers?q=a&q=b", "/api/v1/dossiers?page=1&page=2",
                 "/api/v1/decisions?q=x&q=", "/api/v1/decisions/export?format=csv&format=json"):
        status, body = await tab.get(path, user=VOS)  # one value per filter, never a guess
        assert status == 422 and body["field"] == path.split("?")[1].split("=")[0], path
        assert "één keer" in body["message"] or "once" in body["message"], body
    summary = everything["items"][[d["id"] for d in everything["items"]].index("DEMO-1")]
    assert summary["initiator"] == {"id": OIDS[DEJONG], "name": summary["initiator"]["name"]}
    assert OIDS[MEIJER] in [p["id"] for p in summary["to_act"]]


async def test_the_overview_filters_by_department_and_period(tab: TabClient) -> None:
    status, departments = await tab.get("/api/v1/departments", user=DEJONG)
    assert status == 200
    names = departments["items"]
    assert {"Ruimtelijke Ontwikkeling", "Werk en Inkomen"} <= set(names)
    assert names == sorted(set(names)) and "" not in names

    async def ids(query: str, user: str = VOS) -> list[str]:
        status, found = await tab.get(f"/api/v1/dossiers?{query}", user=user)
        assert status == 200, (query, found)
        assert found["total"] == len(found["items"]), query
        return [d["id"] for d in found["items"]]

    status, everything = await tab.get("/api/v1/dossiers", user=VOS)
    # the initiating department: the initiator's department in the directory
    werk = await ids("department=Werk%20en%20Inkomen")
    assert "DEMO-3" in werk and "DEMO-1" not in werk  # Iris Kok's and Thomas de Jong's
    ruimte = await ids("department=Ruimtelijke%20Ontwikkeling")
    assert "DEMO-1" in ruimte and not set(ruimte) & set(werk)
    assert await ids("department=Nergens") == []
    assert await ids("department=Ruimtelijke%20Ontwikkeling&q=marktplein") == ["DEMO-1"]
    assert await ids("department=Ruimtelijke%20Ontwikkeling&status=completed") == []
    assert await ids("department=Werk%20en%20Inkomen", user=DEJONG) == []  # what he may see
    # the period: the days the dossiers started, in the municipality's zone, both included
    started = {d["id"]: d["started"][:10] for d in everything["items"]}
    day = date.fromisoformat(started["DEMO-1"])
    same_day = sorted(i for i, d in started.items() if d == day.isoformat())
    assert sorted(await ids(f"started_from={day}&started_to={day}")) == same_day
    assert "DEMO-1" not in await ids(f"started_from={day + timedelta(days=1)}")
    assert "DEMO-1" not in await ids(f"started_to={day - timedelta(days=1)}")
    assert "DEMO-1" in await ids(f"started_from={day - timedelta(days=3)}")
    assert await ids(f"started_from={day}&started_to={day}&department=Ruimtelijke%20Ontwikkeling"
                     "&q=marktplein") == ["DEMO-1"]
    # pages of a filtered overview: every one once, the cursor of that query only
    status, first = await tab.get(f"/api/v1/dossiers?page_size=1&started_to={day}", user=VOS)
    seen, after = [d["id"] for d in first["items"]], first["next"]
    while after:
        status, page = await tab.get(
            f"/api/v1/dossiers?page=2&page_size=1&started_to={day}&after={after}", user=VOS)
        assert status == 200
        seen += [d["id"] for d in page["items"]]
        after = page["next"]
    assert seen == await ids(f"started_to={day}")
    # a day in another form, or a period that ends before it starts: 422 naming the parameter
    for query, field in (("started_from=2026-13-01", "started_from"),
                         ("started_to=20261201", "started_to"),
                         ("started_from=1733000000", "started_from"),
                         (f"started_from={day}&started_to={day - timedelta(days=1)}",
                          "started_to"),
                         ("department=", "department")):
        status, body = await tab.get(f"/api/v1/dossiers?{query}", user=VOS)
        assert status == 422 and body["field"] == field, (query, body)
    reversed_ = f"started_from={day}&started_to={day - timedelta(days=1)}"
    status, body = await tab.get(f"/api/v1/dossiers?{reversed_}", user=VOS)
    assert f"started_from ({day}) ligt na started_to ({day - timedelta(days=1)})" in body["message"]


async def test_the_dossier_page_shows_timeline_fields_advice_and_audit(tab: TabClient) -> None:
    status, page = await tab.get("/api/v1/dossiers/DEMO-1", user=DEJONG)
    assert status == 200
    assert page["fields"]["onderwerp"].startswith("Herinrichting")
    flow = parse_flow((FLOWS / "collegevoorstel.yaml").read_text("utf-8"))
    assert page["field_labels"] == {f.name: f.label for f in flow.fields
                                    if f.name in page["fields"]}  # the flow's words, not names
    assert set(page["field_labels"]) == set(page["fields"])
    types = [e["type"] for e in page["events"]]
    assert types[0] == "DossierStarted" and "AdviceGiven" in types
    assert [e["seq"] for e in page["events"]] == list(range(1, len(types) + 1))
    assert page["events"][0]["at"].endswith(("+01:00", "+02:00"))  # Europe/Amsterdam
    [advice] = page["advice"]
    assert advice["advice"] == "positief" and advice["stage_id"] == "juridisch_advies"
    assert page["decision"] is None
    assert page["audit"] == {"intact": True, "events": len(types), "problem": None}


async def test_a_tampered_event_shows_in_the_dossier_pages_audit(tab: TabClient) -> None:
    data = tab.wiring.settings.data_dir
    with sqlite3.connect(data / "paraaf.db") as db:
        db.execute("UPDATE events SET hash = ? WHERE dossier_id = 'DEMO-1' AND seq = 2",
                   ("0" * 64,))
    status, page = await tab.get("/api/v1/dossiers/DEMO-1", user=DEJONG, lang="en")
    assert status == 200 and page["audit"]["intact"] is False
    assert page["audit"]["problem"].startswith("2: ")


async def test_errors_are_json_in_the_requests_language(tab: TabClient) -> None:
    status, body = await tab.get("/api/v1/nothing-here", user=VOS)
    assert status == 404 and body["code"] == "not_found"
    status, nl = await tab.get("/api/v1/me")
    status, en = await tab.get("/api/v1/me", lang="en-US")
    assert nl["message"] != en["message"] and en["message"].startswith("You are not signed in")
    status, body = await tab.call("POST", "/api/v1/tasks/bulk", user=VOS,
                                  headers={"Content-Type": "text/plain"})
    assert status == 415


async def test_the_dossier_page_shows_the_word_comments_in_its_documents(
        tab: TabClient, tmp_path: Path) -> None:
    data = tab.wiring.settings.data_dir
    document = tmp_path / "Raadsvoorstel Marktplein.docx"
    document.write_bytes(docx_with_comments(TWO_AUTHORS))
    args = ["--data", str(data), "dossier", "attach", "DEMO-1", str(document), "--as", DEJONG]
    assert await asyncio.to_thread(main, args) == 0
    tab.wiring.services._states.clear()  # attached by the command line beside the server
    status, page = await tab.get("/api/v1/dossiers/DEMO-1", user=MEIJER)
    assert status == 200
    [doc] = page["documents"]
    assert doc["name"] == document.name and doc["url"]
    assert [(c["author"], c["text"], c["passage"]) for c in doc["comments"]] == [
        (r.author, r.text, r.passage) for r in TWO_AUTHORS]
    assert "DocumentAttached" in [e["type"] for e in page["events"]]
