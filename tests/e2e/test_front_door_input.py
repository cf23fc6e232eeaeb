"""Nothing before authentication answers 5xx: the token is checked before the body is read,
bodies are bounded in size and nesting, and a malformed activity is 400 with a short reason,
in local and in production mode alike (over real HTTP)."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.teams.activity_check import ENVELOPE
from tests.e2e.bot_http import BotClient, activity, bot_server, copy_demo
from tests.support.openid_stand_in import APP_ID, SERVICE_URL, KeyServer, Signer

FINANCE = "f.meijer@voorbeeldstad.nl"
LOCAL_SERVICE = "http://127.0.0.1:9/_connector"


@dataclass
class Door:
    """A running server and how to post a well-formed activity to it in its mode."""

    client: BotClient
    service_url: str
    headers: dict[str, str]

    def invoke(self) -> dict[str, Any]:
        return activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"},
                        service_url=self.service_url)

    def message(self) -> dict[str, Any]:
        body = activity(FINANCE, "message", text="mijn taken", service_url=self.service_url)
        body["timestamp"] = "2026-12-02T17:24:55.900Z"
        body["entities"] = [{"type": "clientInfo", "locale": "nl-NL"}]
        body["attachments"] = [{"contentType": "text/html", "content": "<p>mijn taken</p>"}]
        body["membersAdded"] = [{"id": "28:paraaf"}]
        return body

    async def post(self, body: Any = None, raw: bytes | None = None,
                   headers: dict[str, str] | None = None) -> tuple[int, Any]:
        return await self.client.post(body, {**self.headers, **(headers or {})}, raw=raw)


@asynccontextmanager
async def running(mode: str, data: Path, signer: Signer) -> AsyncIterator[Door]:
    """The server in ``mode``; in production with a signing service on 127.0.0.1."""
    if mode == "local":
        async with bot_server(data) as client:
            yield Door(client, LOCAL_SERVICE, {})
        return
    keys = KeyServer(signer)
    await keys.start()
    env = {"PARAAF_MODE": "production", "PARAAF_HOST": "127.0.0.1", "PARAAF_APP_ID": APP_ID,
           "PARAAF_APP_PASSWORD": "not-a-real-secret",
           "PARAAF_BOT_OPENID_METADATA_URL": keys.url}
    try:
        async with bot_server(data, env) as client:
            yield Door(client, SERVICE_URL, {"Authorization": f"Bearer {signer.token()}"})
    finally:
        await keys.stop()


@pytest.fixture(params=["local", "production"])
async def door(request: pytest.FixtureRequest, demo_template: Path, tmp_path: Path,
               signer: Signer) -> AsyncIterator[Door]:
    async with running(request.param, copy_demo(demo_template, tmp_path / "data"),
                       signer) as found:
        yield found


# ---------------------------------------------------------------- the class of malformed input

# each field of the envelope and the JSON kind the Bot Framework's activity schema gives it
KIND = {
    "type": "string", "id": "string", "channelId": "string", "serviceUrl": "string",
    "locale": "string", "text": "string", "textFormat": "string", "name": "string",
    "replyToId": "string", "localTimezone": "string",
    "timestamp": "time", "localTimestamp": "time",
    "from": "object", "recipient": "object", "conversation": "object", "channelData": "object",
    "entities": "list", "attachments": "list", "membersAdded": "list", "membersRemoved": "list",
    "from.id": "string", "from.name": "string", "from.aadObjectId": "string",
    "recipient.id": "string", "conversation.id": "string",
    "conversation.conversationType": "string", "conversation.tenantId": "string",
    "conversation.isGroup": "bool", "channelData.tenant": "object",
    "channelData.tenant.id": "string", "channelData.eventType": "string",
    "entities.0": "object", "entities.0.type": "string",
    "attachments.0": "object", "attachments.0.contentType": "string",
    "membersAdded.0": "object", "membersAdded.0.id": "string",
}
SAMPLE = {"string": "x", "number": 7, "bool": True, "list": ["x"], "object": {"x": 1}}
ACCEPTS = {"string": {"string"}, "time": set(), "object": {"object"}, "list": {"list"},
           "bool": {"bool"}}
BAD_TIMES = ["yesterday", "2026-13-45T99:00:00Z", "2026-12-02", "", "T", "17:24:55"]


def malformed() -> list[tuple[str, Any]]:
    """Every field with every JSON value of a kind it does not take."""
    cases: list[tuple[str, Any]] = []
    for path, kind in KIND.items():
        cases += [(path, value) for sample, value in SAMPLE.items()
                  if sample not in ACCEPTS[kind]]
        if kind == "time":
            cases += [(path, value) for value in BAD_TIMES]
    return cases


def put(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    *parents, last = path.split(".")
    node: Any = body
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return body


async def test_every_malformed_envelope_field_is_400_with_a_reason(
    door: Door, caplog: pytest.LogCaptureFixture
) -> None:
    wrong: list[str] = []
    with caplog.at_level(logging.INFO, logger="paraaf"):
        for path, value in malformed():
            status, payload = await door.post(put(door.message(), path, value))
            reason = payload.get("error", "") if isinstance(payload, dict) else ""
            if status != 400 or path.split(".")[0] not in reason:
                wrong.append(f"{path}={value!r}: {status} {payload!r}")
    assert not wrong, "\n".join(wrong)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("service_url", ["http://[::1", "http://[x]/", "//", "not a url",
                                         "http://evil.example/_connector"])
async def test_a_service_url_that_is_not_ours_is_refused(door: Door, service_url: str) -> None:
    body = door.invoke()
    body["serviceUrl"] = service_url
    status, payload = await door.post(body)
    assert status in (400, 401), payload  # local: not loopback; production: not the token's


@pytest.mark.parametrize("path", ["type", "channelId", "serviceUrl", "conversation",
                                  "conversation.id"])
async def test_a_missing_required_field_is_400(door: Door, path: str) -> None:
    body = put(door.message(), path, None)
    status, payload = await door.post(body)
    assert status == 400 and path.split(".")[0] in payload["error"]


@pytest.mark.parametrize("body", [[], "x", 1, None, True, [{"type": "message"}]])
async def test_a_body_that_is_no_object_is_400(door: Door, body: Any) -> None:
    status, payload = await door.post(None, raw=json.dumps(body).encode())
    assert status == 400, payload


@pytest.mark.parametrize("value", ["x", 5, [], None, {"action": "x"}, {"action": {"data": "x"}},
                                   {"action": {"verb": ["refresh"], "data": {}}},
                                   {"action": {"verb": "refresh", "data": {"dossier_id": [1]}}}])
async def test_any_invoke_value_is_answered_without_a_5xx(door: Door, value: Any) -> None:
    body = door.invoke()
    body["value"] = value
    status, payload = await door.post(body)
    assert status in (200, 400), payload


@pytest.mark.parametrize("name", ["task/fetch", "composeExtension/query", "signin/verifyState",
                                  "config/fetch", "unknown/thing", ""])
async def test_invokes_paraaf_does_not_offer_are_400(door: Door, name: str) -> None:
    body = door.invoke()
    body["name"] = name
    body["value"] = "x"
    status, payload = await door.post(body)
    assert status == 400, payload
    assert "invoke" in payload["error"]


# ---------------------------------------------------------------- size and nesting


@pytest.mark.parametrize("raw", [
    b"[" * 50_000 + b"]" * 50_000,
    b'{"type": "message", "value": ' + b'{"a":' * 40_000 + b"1" + b"}" * 40_001,
    b'{"type": "message", "value": ' + b"[" * 40 + b"]" * 40 + b"}",
    b"{not json",
    b'{"type": "message", "value": NaN}',
    b"\xff\xfe\x00",
])
async def test_deep_nesting_and_non_json_are_400(door: Door, raw: bytes) -> None:
    status, payload = await door.post(None, raw=raw)
    assert status == 400, payload
    assert payload["error"]


async def test_nesting_that_a_real_activity_has_is_fine(door: Door) -> None:
    body = door.invoke()
    body["value"]["action"]["data"]["extra"] = {"a": {"b": {"c": [[{"d": 1}]]}}}
    status, _ = await door.post(body)
    assert status == 200


async def test_an_oversized_body_is_413(door: Door) -> None:
    body = door.message()
    body["text"] = "x" * 300_000
    status, _ = await door.post(body)
    assert status == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", ""])
async def test_only_json_bodies(door: Door, content_type: str) -> None:
    raw = json.dumps(door.message()).encode()
    status, _ = await door.post(None, raw=raw, headers={"Content-Type": content_type})
    assert status == 415


# ---------------------------------------------------------------- production: token first


@pytest.fixture
async def prod(demo_template: Path, tmp_path: Path, signer: Signer) -> AsyncIterator[Door]:
    async with running("production", copy_demo(demo_template, tmp_path / "data"),
                       signer) as found:
        yield found


@pytest.mark.parametrize("raw", [b"[" * 50_000 + b"]" * 50_000, b"{not json", b"x" * 300_000,
                                 json.dumps({"type": 5}).encode()])
@pytest.mark.parametrize("header", [None, "Bearer a.b.c", "forged"])
async def test_the_token_is_checked_before_the_body_is_read(
    prod: Door, signer: Signer, raw: bytes, header: str | None
) -> None:
    if header == "forged":
        header = "Bearer " + signer.token(aud="99999999-2222-3333-4444-555555555555")
    headers = {"Authorization": header} if header is not None else {}
    status, payload = await prod.client.post(None, headers, raw=raw)
    assert (status, payload) == (401, {"error": "unauthorized"})


# ---------------------------------------------------------------- any JSON anywhere

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8)
FIELDS = sorted({*ENVELOPE, *KIND, "value", "value.action", "value.action.data",
                 "value.action.verb", "channelData.team", "channelData.channel",
                 "relatesTo.conversation", "conversation.isGroup", "from.role"})


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(FIELDS), value=JSON)
@example(path="type", value="0")  # another kind of activity: 201
@example(path="type", value="message")
@example(path="recipient", value=None)  # the Agents SDK needs it to build its reference
async def test_any_json_in_any_field_is_never_a_5xx(door: Door, path: str, value: Any) -> None:
    """The server is the same for every example: a refusal changes nothing in it. An
    activity whose type becomes another string is another kind of activity (``message``,
    ``typing``, one Teams adds later): accepted with 201 and left alone, as the channel
    expects; every other change is answered (200) or refused (400), never a 5xx."""
    status, payload = await door.post(put(door.invoke(), path, value))
    other_kind = path == "type" and isinstance(value, str) and value != "invoke"
    assert status in ((200, 201, 400) if other_kind else (200, 400)), (path, value, status,
                                                                       payload)
