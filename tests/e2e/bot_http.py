"""A paraaf server on 127.0.0.1 and a client that posts Teams activities to it."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import yaml
from aiohttp import web

from approvals.audit import ChainRecord
from approvals.events import Event
from approvals.ports import DossierStore, Notification
from approvals.readmodels import DossierSummary
from bot.settings import Settings
from bot.teams.server import RUNTIME, Runtime, make_app
from bot.wiring import Ports, Wiring, assemble, ports_for
from tests.e2e.connector import Connector

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = yaml.safe_load((ROOT / "local" / "demo" / "directory.yaml").read_text("utf-8"))
TENANT = DIRECTORY["tenant"]
OIDS = {user["upn"]: user["oid"] for user in DIRECTORY["users"]}
_ids = itertools.count(1)
SDKS = ("botbuilder", "agents")
# The SDK the bot runs on in this test (set by the ``bot_sdk`` fixture of tests/e2e/conftest.py;
# an explicit PARAAF_BOT_SDK in a test's env wins).
current_sdk = os.environ.get("PARAAF_BOT_SDK", "botbuilder")


def activity(upn: str, kind: str = "invoke", *, verb: str = "", data: Any = None,
             text: str = "", locale: str = "nl-NL", tenant: str = TENANT,
             oid: str | None = None,
             service_url: str = "http://127.0.0.1:9/_connector") -> dict[str, Any]:
    """A Teams activity as the Agents Playground sends it."""
    number = next(_ids)
    body: dict[str, Any] = {
        "type": "invoke" if kind == "invoke" else "message",
        "id": f"activity-{number}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:{upn}", "name": upn, "aadObjectId": oid or OIDS.get(upn, "")},
        "recipient": {"id": "28:paraaf", "name": "paraaf"},
        "conversation": {"id": f"a:personal-{upn}", "conversationType": "personal",
                         "tenantId": tenant},
        "channelData": {"tenant": {"id": tenant}},
        "locale": locale,
        "replyToId": f"card-{number}",
    }
    if kind == "invoke":
        body["name"] = "adaptiveCard/action"
        body["value"] = {"action": {"type": "Action.Execute", "verb": verb, "data": data},
                         "trigger": "manual"}
    else:
        body["text"] = text
    return body


class BotClient:
    """Posts activities to /api/messages over real HTTP."""

    def __init__(self, base: str, wiring: Wiring, session: aiohttp.ClientSession,
                 app: web.Application) -> None:
        self.base = base
        self.wiring = wiring
        self.session = session
        self.app = app

    @property
    def app_runtime(self) -> Runtime:
        return self.app[RUNTIME]

    async def post(self, body: Any, headers: dict[str, str] | None = None,
                   raw: bytes | None = None) -> tuple[int, Any]:
        async with self.session.post(
            f"{self.base}/api/messages", json=None if raw is not None else body, data=raw,
            headers={"Content-Type": "application/json", **(headers or {})},
        ) as response:
            text = await response.text()
            try:
                payload = await response.json(content_type=None) if text else None
            except ValueError:
                payload = text
            return response.status, payload

    async def invoke(self, upn: str, verb: str, data: Any, **extra: Any) -> dict[str, Any]:
        status, payload = await self.post(activity(upn, verb=verb, data=data, **extra))
        assert status == 200, (status, payload)
        assert payload["statusCode"] == 200
        card: dict[str, Any] = payload["value"]
        return card

    async def event_types(self, dossier_id: str) -> list[str]:
        return [e.type.value for e in await self.wiring.services.store.load(dossier_id)]


@asynccontextmanager
async def bot_server(data: Path, env: dict[str, str] | None = None,
                     channel_mode: str | None = None,
                     adapters: Callable[[Ports], Ports] | None = None,
                     ) -> AsyncIterator[BotClient]:
    """Serve a copy-free data folder on an ephemeral port, delivery off unless asked; with
    ``channel_mode`` the Teams channel is built as in that mode (served as ``env`` says),
    with ``adapters`` over the adapters that function gives (a counting store, say)."""
    settings = Settings.from_env({"PARAAF_DELIVERY": "off", "PARAAF_BOT_SDK": current_sdk,
                                  **(env or {})}, data_dir=str(data))
    built_as = replace(settings, mode=channel_mode) if channel_mode else settings
    ports = ports_for(settings)
    wiring = replace(assemble(built_as, adapters(ports) if adapters else ports, teams=True),
                     settings=settings)
    app = make_app(wiring)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as session:
            yield BotClient(f"http://127.0.0.1:{port}", wiring, session, app)
    finally:
        await runner.cleanup()
        await wiring.close()


def copy_demo(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


class CountingStore(DossierStore):
    """The dossier store, counting every read of a dossier's events (``load``,
    ``load_for_command``, ``find_event``, ``chain_records``); the rest passes through."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.reads = 0

    async def load(self, dossier_id: str, after: int = 0) -> Sequence[Event]:
        self.reads += 1
        return await self.store.load(dossier_id, after)

    async def load_for_command(self, dossier_id: str, after: int, command_id: str,
                               ) -> tuple[Sequence[Event], Event | None]:
        self.reads += 1
        return await self.store.load_for_command(
            dossier_id, after, command_id)

    async def find_event(self, event_id: str) -> Event | None:
        self.reads += 1
        return await self.store.find_event(event_id)

    def chain_records(self, dossier_id: str | None = None,
                      ) -> AsyncIterator[list[ChainRecord]]:
        self.reads += 1
        return self.store.chain_records(dossier_id)

    async def append(self, dossier_id: str, expected_version: int, events: Sequence[Event],
                     summary: DossierSummary, notifications: Sequence[Notification] = (),
                     ) -> None:
        await self.store.append(dossier_id, expected_version, events, summary, notifications)

    async def get_summary(self, dossier_id: str) -> DossierSummary | None:
        return await self.store.get_summary(dossier_id)

    async def list_summaries(self, *, status: str | None = None, limit: int = 100,
                             offset: int = 0) -> Sequence[DossierSummary]:
        return await self.store.list_summaries(
            status=status, limit=limit, offset=offset)

    async def tasks_for(self, oid: str) -> Sequence[DossierSummary]:
        return await self.store.tasks_for(oid)

    async def chain_heads(self, dossier_id: str | None = None) -> dict[str, tuple[int, str]]:
        return await self.store.chain_heads(dossier_id)


def count_reads(client: BotClient) -> CountingStore:
    """From now on, count the bot's reads of dossiers."""
    counting = CountingStore(client.wiring.services.store)
    client.wiring.services.store = counting
    return counting


def card_text(card: Any) -> str:
    """Every text shown on a card, in one string."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value", "label"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(found)


def execute_actions(card: Any) -> list[dict[str, Any]]:
    """Every Action.Execute on a card (its refresh and those in ShowCards included)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def execute_verbs(card: Any) -> set[str]:
    """The verbs of every Action.Execute on a card (its refresh included)."""
    return {str(action.get("verb")) for action in execute_actions(card)}


async def say(client: BotClient, connector: Connector, upn: str, text: str) -> str:
    """Type ``text`` in ``upn``'s chat; the text of the cards the bot posted for it."""
    before = len(connector.posted)
    status, _ = await client.post(activity(upn, "message", text=text,
                                           service_url=connector.url))
    assert status in (200, 201)
    return "\n".join(card_text(body) for _, _, body in connector.posted[before:])
