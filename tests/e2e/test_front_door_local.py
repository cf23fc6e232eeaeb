"""Local mode is safe while a browser is open: a web page cannot act as a demo user.

Authentication is off in local mode and the server listens on loopback; a page in the same
browser can still reach it through DNS rebinding (``Host: evil.example:3978``) or a plain
cross-origin request. The Agents Playground posts from Node.js with a loopback ``Host`` and no
``Origin``: exactly what is allowed (besides the Playground page's own origin).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.local_guard import loopback_host, playground_origins
from tests.e2e.bot_http import BotClient, activity, bot_server, copy_demo

FINANCE = "f.meijer@voorbeeldstad.nl"
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}

HOSTILE_HOSTS = ["evil.example:3978", "evil.example", "127.0.0.1.evil.example:3978",
                 "localhost.evil.example", "evil.example:3978@127.0.0.1", "10.0.0.1:3978",
                 "192.168.1.20", "0.0.0.0:3978", "[::2]:3978", "[::ffff:10.0.0.1]:3978",
                 "localhost:3978/x", "local host:3978", "127.0.0.1:3978:1", ""]
LOOPBACK_HOSTS = ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}",
                  "127.0.0.1", "localhost", "127.0.0.2:{port}"]
HOSTILE_ORIGINS = ["https://evil.example", "http://evil.example:3978", "null",
                   "http://localhost:3978", "http://127.0.0.1:8080", "file://", ""]




def _port(client: BotClient) -> str:
    return client.base.rsplit(":", 1)[1]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
async def test_a_request_for_another_host_is_refused_and_changes_nothing(
    client: BotClient, host: str
) -> None:
    before = await client.event_types("DEMO-1")
    status, payload = await client.post(activity(FINANCE, verb="advise", data=ADVICE),
                                        {"Host": host})
    assert status == 403, payload
    assert await client.event_types("DEMO-1") == before
    async with client.session.get(f"{client.base}/readyz", headers={"Host": host}) as response:
        assert response.status == 403


@pytest.mark.parametrize("host", LOOPBACK_HOSTS)
async def test_a_loopback_host_is_answered(client: BotClient, host: str) -> None:
    status, payload = await client.post(
        activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"}),
        {"Host": host.format(port=_port(client))})
    assert status == 200, payload


@pytest.mark.parametrize("origin", HOSTILE_ORIGINS)
async def test_a_request_from_a_web_page_is_refused_and_changes_nothing(
    client: BotClient, origin: str
) -> None:
    before = await client.event_types("DEMO-1")
    status, payload = await client.post(activity(FINANCE, verb="advise", data=ADVICE),
                                        {"Origin": origin})
    assert status == 403, payload
    assert await client.event_types("DEMO-1") == before


async def test_the_playground_page_origin_is_answered_once_it_listens(client: BotClient) -> None:
    from bot.teams.server import LOCAL_ORIGINS

    body = activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"})
    origin = "http://localhost:56150"
    assert (await client.post(body, {"Origin": origin}))[0] == 403
    client.app[LOCAL_ORIGINS].update(playground_origins(56150))
    assert (await client.post(body, {"Origin": origin}))[0] == 200
    assert (await client.post(body, {"Origin": "http://localhost:56151"}))[0] == 403


async def test_what_the_playground_sends_is_answered(client: BotClient) -> None:
    """The headers the Playground (axios in Node.js) sends, as seen on the wire."""
    headers = {"Accept": "application/json, text/plain, */*", "x-ms-agents-playground": "true",
               "User-Agent": "axios/1.12.2", "Host": f"127.0.0.1:{_port(client)}"}
    body = activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"})
    assert (await client.post(body, headers))[0] == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
async def test_a_form_or_text_body_is_refused(client: BotClient, content_type: str) -> None:
    """What a web page may send cross-origin without asking first (a "simple" request)."""
    before = await client.event_types("DEMO-1")
    raw = json.dumps(activity(FINANCE, verb="advise", data=ADVICE)).encode()
    status, _ = await client.post(None, {"Content-Type": content_type}, raw=raw)
    assert status == 415
    assert await client.event_types("DEMO-1") == before


async def test_production_mode_does_not_restrict_the_host(
    demo_template: Path, tmp_path: Path
) -> None:
    env = {"PARAAF_MODE": "production", "PARAAF_HOST": "127.0.0.1",
           "PARAAF_APP_ID": "11111111-2222-3333-4444-555555555555",
           "PARAAF_APP_PASSWORD": "not-a-real-secret"}
    async with bot_server(copy_demo(demo_template, tmp_path / "data"), env) as prod:
        status, _ = await prod.post({"type": "message"}, {"Host": "paraaf.voorbeeldstad.nl"})
    assert status == 401  # refused for want of a token, not for the host


def test_loopback_host_names() -> None:
    assert all(loopback_host(h.format(port=3978)) for h in LOOPBACK_HOSTS)
    assert not any(loopback_host(h) for h in HOSTILE_HOSTS)
