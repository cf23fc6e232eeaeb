"""One bootstrap: the wiring builds every object of a channel once, and sets nothing on them
afterwards; what follows a commit is the wiring's tables, not a callback on the context.
Also: a crash between a commit and its document access change loses nothing (the access
work is an outbox row, written in the commit)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from approvals import commands as c
from approvals.access import ACCESS_KIND
from approvals.notifications import RECALL_KIND
from approvals.service import execute
from bot.cli.demo import create_demo
from bot.post_commit import GrantDocumentAccess, RecallSigning
from bot.settings import Settings
from bot.teams.after_commit import NoteRecordedInTurn, RefreshEarlierCards, WakeOutboxWorker
from bot.teams.delivery import NOTIFICATION_KINDS, SendNotificationCard
from bot.wiring import Wiring, build
from tests.e2e.bot_http import OIDS, activity
from tests.e2e.connector import Connector

ROOT = Path(__file__).resolve().parents[2]
FINANCE, FINANCE2 = "f.meijer@voorbeeldstad.nl", "d.hendriks@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data folder made once; tests get a copy."""
    import asyncio

    folder = tmp_path_factory.mktemp("bootstrap") / "data"
    asyncio.run(create_demo(Settings.from_env({}, data_dir=str(folder))))
    return folder


@pytest.fixture
def settings(demo: Path, tmp_path: Path) -> Settings:
    import shutil

    shutil.copytree(demo, tmp_path / "data")
    return Settings.from_env({"PARAAF_DELIVERY": "off"}, data_dir=str(tmp_path / "data"))


async def test_with_a_zgw_register_the_table_registers_decided_dossiers(
    settings: Settings,
) -> None:
    from approvals.notifications import REGISTER_KIND
    from bot.post_commit import RegisterDecision

    zgw = dataclasses.replace(
        settings, zgw_rsin="002220647",
        zgw_besluittype="https://oz.example/catalogi/api/v1/besluittypen/1",
        zgw_informatieobjecttype="https://oz.example/catalogi/api/v1/informatieobjecttypen/2",
        zgw_besluiten_url="https://oz.example/besluiten/api/v1",
        zgw_documenten_url="https://oz.example/documenten/api/v1", zgw_client_id="paraaf",
        zgw_secret="een-geheim-voor-de-zgw-api-van-32-tekens")
    wiring = build(zgw, teams=True)
    try:
        assert wiring.teams is not None and wiring.services.register_decisions
        table = wiring.teams.bot.delivery.handlers
        assert table.kinds == NOTIFICATION_KINDS | {ACCESS_KIND, REGISTER_KIND, RECALL_KIND}
        assert isinstance(table.for_kind(REGISTER_KIND), RegisterDecision)
    finally:
        await wiring.close()
    plain = build(settings, teams=True)
    try:
        assert not plain.services.register_decisions
    finally:
        await plain.close()


def _built(wiring: Wiring) -> Iterator[object]:
    """Every object the wiring built for the Teams channel (ours, not the SDK's)."""
    channel = wiring.teams
    assert channel is not None
    bot = channel.bot
    yield from (wiring, channel, bot, bot.ctx, bot.delivery, bot.delivery.handlers,
                bot.personas, bot.earlier_cards, wiring.services)
    yield from wiring.services.after_commit
    yield from bot.delivery.handlers.handlers


def _bindings(objects: list[object]) -> list[dict[str, int]]:
    """Which object each attribute of each built object is bound to."""
    return [{name: id(value) for name, value in vars(obj).items()} if hasattr(obj, "__dict__")
            else {f.name: id(getattr(obj, f.name)) for f in dataclasses.fields(obj)}  # type: ignore[arg-type]
            for obj in objects]


async def test_the_wiring_builds_the_teams_channel_and_sets_nothing_afterwards(
    settings: Settings,
) -> None:
    wiring, connector = build(settings, teams=True), Connector()
    await connector.start()
    try:
        objects = list(_built(wiring))
        before = _bindings(objects)
        for obj in objects:  # the wiring's own records and the bot's context cannot change
            if dataclasses.is_dataclass(obj) and type(obj).__module__.startswith("bot."):
                assert vars(type(obj))["__dataclass_params__"].frozen, type(obj)
        assert wiring.teams is not None
        with pytest.raises(dataclasses.FrozenInstanceError):
            wiring.teams.bot.ctx.local_demo = False  # type: ignore[misc]
        status, answer = await wiring.teams.intake(
            None, activity(FINANCE, verb="advise", data=ADVICE, service_url=connector.url))
        assert status == 200 and "Gelukt" in json.dumps(answer)  # a click, through the SDK
        await wiring.teams.bot.drain()
        assert await wiring.teams.bot.delivery.run_once(limit=100)  # what the commits left
        assert connector.posted  # a card went out
        assert _bindings(list(_built(wiring))) == before  # nothing rebound by the click
    finally:
        await connector.stop()
        await wiring.close()


async def test_the_wiring_builds_the_telemetry_around_the_services_and_serving_sets_nothing(
    settings: Settings,
) -> None:
    """The store the services append to is the telemetry's traced one from the start (the
    server once swapped it in when it made its app); closing the wiring shuts it down."""
    from bot.teams.server import make_app

    traced = build(dataclasses.replace(settings, otlp_endpoint="http://127.0.0.1:9"),
                   teams=True)  # a collector nobody runs: nothing is sent in this test
    try:
        assert traced.telemetry is not None and traced.telemetry.tracing
        assert traced.services.store is not traced.outbox  # the traced store, around it
        before = _bindings(list(_built(traced)))
        make_app(traced)
        assert _bindings(list(_built(traced))) == before
    finally:
        await traced.close()
    assert not traced.telemetry.tracing
    off = build(settings, teams=True)
    try:
        assert off.telemetry is not None and not off.telemetry.tracing
        assert off.services.store is off.outbox  # off: the backend's own store, unwrapped
    finally:
        await off.close()


@pytest.mark.parametrize("sdk", ["botbuilder", "agents"])
async def test_the_wiring_picks_the_sdk_and_the_intake_answers_through_it(
    settings: Settings, sdk: str,
) -> None:
    wiring = build(dataclasses.replace(settings, bot_sdk=sdk), teams=True)
    try:
        assert wiring.teams is not None
        status, answer = await wiring.teams.intake(
            None, activity(FINANCE, verb="refresh", data={"dossier_id": "DEMO-1"}))
        assert status == 200 and "DEMO-1" in json.dumps(answer)
    finally:
        await wiring.close()


async def test_the_tables_hold_one_handler_for_each_thing_a_commit_leaves(
    settings: Settings,
) -> None:
    wiring = build(settings, teams=True)
    try:
        assert wiring.teams is not None
        bot = wiring.teams.bot
        after = wiring.services.after_commit
        assert [type(h) for h in after] == [NoteRecordedInTurn, WakeOutboxWorker,
                                            RefreshEarlierCards]
        assert bot.earlier_cards in after and bot.ctx.services is wiring.services
        table = bot.delivery.handlers
        assert table.kinds == NOTIFICATION_KINDS | {ACCESS_KIND, RECALL_KIND}
        assert isinstance(table.for_kind(ACCESS_KIND), GrantDocumentAccess)
        assert isinstance(table.for_kind(RECALL_KIND), RecallSigning)
        assert {type(table.for_kind(kind)) for kind in NOTIFICATION_KINDS} == {
            SendNotificationCard}
    finally:
        await wiring.close()


async def test_the_command_line_builds_no_teams_channel_and_no_post_commit_handlers(
    settings: Settings,
) -> None:
    wiring = build(settings)
    try:
        assert wiring.teams is None
        assert wiring.services.after_commit == ()
    finally:
        await wiring.close()


def _access(settings: Settings, dossier_id: str) -> dict[str, Any]:
    path = settings.documents_dir / dossier_id / ".access.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


async def test_a_crash_between_the_commit_and_the_access_change_still_grants(
    settings: Settings,
) -> None:
    """The command is recorded and the process stops before any access changed; after a
    restart the outbox worker finds the access row and the next stage's people get the
    documents."""
    first = build(settings, teams=True)
    try:
        assert first.teams is not None
        await first.teams.bot.delivery.run_once(limit=100)  # the demo's own rows: settled
        before = _access(settings, "DEMO-1")
        assert before.get(OIDS[FINANCE]) == "write" and OIDS[HEAD] not in before
        actor = await first.directory.user(FINANCE)
        assert actor is not None
        await execute(c.Act(dossier_id="DEMO-1", actor=actor, command_id="advies-crash",
                            stage_id="financieel_advies", action=c.Action.ADVISE,
                            advice=c.Advice.POSITIEF, text="Dekking is toereikend", round=1),
                      first.services)
    finally:
        await first.close()  # the crash: nothing ran after the commit
    assert _access(settings, "DEMO-1") == before
    assert _pending_access(settings) == 1

    again = build(settings, teams=True)  # the restart
    try:
        assert again.teams is not None
        await again.teams.bot.delivery.run_once(limit=100)
    finally:
        await again.close()
    after = _access(settings, "DEMO-1")
    assert (after.get(OIDS[HEAD]), after.get(OIDS[FINANCE]), after.get(OIDS[FINANCE2])) == (
        "write", "read", None)
    assert _pending_access(settings) == 0


def _pending_access(settings: Settings) -> int:
    """The access rows not yet done, as the database holds them."""
    with sqlite3.connect(settings.database) as db:
        count = db.execute("SELECT count(*) FROM outbox WHERE kind = ? AND sent_at IS NULL",
                           (ACCESS_KIND,)).fetchone()[0]
    return int(count)


COLLABORATORS = {"ctx", "bot", "wiring", "services", "runtime", "delivery", "channel"}


def test_no_module_of_bot_sets_a_collaborator_after_construction() -> None:
    """No field filled in after ``__init__`` and no attribute of a built object assigned
    from outside it (as ``ctx.after_commit = ...``, ``bot.personas = ...`` and
    ``wiring.services.store = ...`` were)."""
    import ast

    found = []
    for file in sorted((ROOT / "bot").rglob("*.py")):
        where = file.relative_to(ROOT)
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            if (isinstance(node, ast.keyword) and node.arg == "init"
                    and isinstance(node.value, ast.Constant) and node.value.value is False):
                found.append(f"{where}:{node.value.lineno} init=False")
            targets = (node.targets if isinstance(node, ast.Assign)
                       else [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign)
                       else [])
            for target in targets:
                root = target.value if isinstance(target, ast.Attribute) else None
                while isinstance(root, ast.Attribute):  # wiring.services.store = ...
                    root = root.value
                if isinstance(root, ast.Name) and root.id in COLLABORATORS:
                    found.append(f"{where}:{target.lineno} {ast.unparse(target)}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "setattr"):
                found.append(f"{where}:{getattr(node, 'lineno', 0)} setattr")
    assert not found, "set after construction:\n" + "\n".join(found)


async def test_the_tab_gets_what_the_adapters_give_beyond_their_ports(
    settings: Settings,
) -> None:
    """The embedded backend's store answers the overview and keeps the facts, and its
    directory lists the demo users: the ports say so, typed, and the tab takes them from the
    wiring (no adapter recognised by its class)."""
    import ast

    from bot.wiring import tab

    wiring = build(settings)
    try:
        the_tab = tab(wiring)
        assert the_tab.queries is wiring.outbox and the_tab.facts is wiring.outbox
        users = the_tab.demo_users or ()
        jurist = next(u for u in users if u.person.upn == "e.vanleeuwen@voorbeeldstad.nl")
        assert jurist.department and len(users) == len({u.person.oid for u in users}) > 3
        assert any(u.beheerder for u in users) and not all(u.beheerder for u in users)
    finally:
        await wiring.close()
    tree = ast.parse((ROOT / "bot" / "wiring.py").read_text("utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name) and n.func.id == "isinstance"]
