"""A .docx with comments by two authors: the comments show in the dossier's advice overview.

The dossier runs on the demo data (SQLite, YAML directory) through the real wiring; its Word
document is stored once in the local documents folder (through ``paraaf dossier attach``)
and once in the SharePoint library Dossierstukken on the Graph test server. Either way the
advisers' comments appear in the task card, the status card and ``paraaf dossier show``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from approvals import commands as c
from approvals.events import Channel
from approvals.service import execute
from bot.document_access import reconcile_access
from bot.settings import Settings
from bot.teams.views import card_for, view
from bot.wiring import Wiring, build
from graph.documents import GraphDocumentStore
from graph.rest import Graph
from local.documents import FolderDocumentStore
from tests.e2e.conftest import Cli
from tests.support import hostile_docx
from tests.support.docx_kit import ANS_REMARK, EVI_REMARK, TWO_AUTHORS, docx_with_comments
from tests.support.graph_fixtures import LIBRARY, document_store
from tests.support.graph_server import GraphServer
from tests.support.graph_server.testing import SDK_IMPORT_DEPRECATIONS, graph_env

pytestmark = SDK_IMPORT_DEPRECATIONS

INITIATOR = "t.dejong@voorbeeldstad.nl"
JURIST = "e.vanleeuwen@voorbeeldstad.nl"  # juridisch advies
FINANCE = "f.meijer@voorbeeldstad.nl"  # financieel advies
NAME = "Raadsvoorstel parkeerbeleid 2027.docx"


def _start(cli: Cli) -> str:
    data = cli.json("dossier", "start", "--flow", "collegevoorstel", "--as", INITIATOR,
                    "--title", "Parkeerbeleid 2027", "--field", "onderwerp=Parkeertarieven",
                    "--field", "bedrag=25000")
    return str(data["id"])


@asynccontextmanager
async def wired(cli: Cli) -> AsyncIterator[Wiring]:
    """The product's own wiring of the demo data folder."""
    wiring = build(Settings(data_dir=cli.data))
    try:
        yield wiring
    finally:
        await wiring.close()


async def _cards(wiring: Wiring, dossier_id: str, documents: Any) -> tuple[str, str]:
    """The jurist's task card and the initiator's status card, as JSON text."""
    jurist = await wiring.directory.user(JURIST)
    initiator = await wiring.directory.user(INITIATOR)
    assert jurist is not None and initiator is not None
    dossier = await view(wiring.services, dossier_id, documents)
    task = await card_for(wiring.services, wiring.conversations, dossier, jurist.oid, "nl")
    status = await card_for(wiring.services, wiring.conversations, dossier, initiator.oid, "en")
    task_text, status_text = (json.dumps(card, ensure_ascii=False) for card in (task, status))
    assert '"verb": "advise"' in task_text and '"verb": "advise"' not in status_text
    return task_text, status_text


def _assert_overview(card: str, heading: str) -> None:
    assert heading in card
    assert card.index(f"**{NAME}**") > card.index(heading)
    for remark in TWO_AUTHORS:
        assert remark.author in card
        assert remark.passage[:40] in card
        assert json.dumps(remark.text, ensure_ascii=False)[1:-1] in card


def test_comments_in_a_local_document_show_in_cards_and_dossier_show(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    dossier_id = _start(cli)
    document = tmp_path / NAME
    document.write_bytes(docx_with_comments(TWO_AUTHORS))
    assert cli("dossier", "attach", dossier_id, str(document), "--as", INITIATOR) == 0

    assert cli("dossier", "show", dossier_id) == 0
    lines = cli.out.splitlines()
    at = lines.index("Comments in documents:")
    assert lines[at + 1] == f"  {NAME}"
    assert lines[at + 2] == ("    Ans Claes, 23 Nov 2026 10:15 (CET): Graag onderbouwen "
                             "waarom 10% en niet 5%. Zie ook de APV.")
    assert lines[at + 3] == f'      on "{ANS_REMARK.passage}"'
    assert lines[at + 4].startswith("    Evi de Wit (Ketenpartner), 24 Nov 2026 14:40 (CET): ")
    shown = cli.json("dossier", "show", dossier_id)["document_comments"]
    assert [(d["document"], d["author"], d["passage"]) for d in shown] == [
        (NAME, r.author, r.passage) for r in TWO_AUTHORS]

    async def cards() -> tuple[str, str]:
        async with wired(cli) as wiring:
            return await _cards(wiring, dossier_id, wiring.documents)

    task, status = asyncio.run(cards())
    _assert_overview(task, "Opmerkingen in documenten")
    _assert_overview(status, "Comments in documents")


def test_a_hostile_document_is_named_on_the_card_and_refreshes_never_parse(
    cli: Cli, tmp_path: Path
) -> None:
    dossier_id = _start(cli)
    for name, content in (
        (NAME, docx_with_comments(TWO_AUTHORS)),
        ("Bom.docx", hostile_docx.package(
            {hostile_docx.COMMENTS: hostile_docx.whitespace_bomb()})),
        ("Lachen.docx", hostile_docx.package(
            {hostile_docx.COMMENTS: hostile_docx.billion_laughs()})),
        ("Geen zip.docx", b"%PDF-1.7 met de verkeerde naam"),
    ):
        (tmp_path / name).write_bytes(content)
        assert cli("dossier", "attach", dossier_id, str(tmp_path / name), "--as", INITIATOR) == 0
    assert cli("dossier", "show", dossier_id) == 0
    lines = cli.out.splitlines()
    for name in ("Bom.docx", "Geen zip.docx", "Lachen.docx"):
        assert lines[lines.index(f"  {name}") + 1] == (
            "    (De opmerkingen in dit document konden niet worden gelezen.)")

    async def refreshes() -> tuple[int, list[int]]:
        async with wired(cli) as wiring:
            assert isinstance(wiring.documents, FolderDocumentStore)  # the local backend
            cache = wiring.documents.comment_cache
            seen: list[int] = []
            for _ in range(10):  # card refreshes, deliveries: each builds the view
                task, status = await _cards(wiring, dossier_id, wiring.documents)
                seen.append(cache.parses)
            _assert_overview(task, "Opmerkingen in documenten")
            _assert_overview(status, "Comments in documents")
            for name in ("Bom.docx", "Lachen.docx", "Geen zip.docx"):
                at = task.index(f"**{name}**")
                assert task.index("De opmerkingen in dit document konden niet worden gelezen.",
                                  at) < at + 200
                assert status.index("The comments in this document could not be read.",
                                    status.index(f"**{name}**")) < (
                    status.index(f"**{name}**") + 200)
            assert '"verb": "advise"' in task  # the rest of the card works
            return cache.parses, seen

    parses, seen = asyncio.run(refreshes())
    assert seen == [4] * 10  # each version read once (after a restart), no refresh after that
    assert parses == 4


@pytest.fixture
async def sharepoint(cli: Cli) -> AsyncIterator[tuple[GraphServer, GraphDocumentStore]]:
    options = {"directory": str(cli.data / "directory.yaml")}
    async with graph_env(server_options=options) as (server, client):
        yield server, await document_store(server, Graph(client))


async def test_comments_in_a_sharepoint_document_show_in_the_cards(
    cli: Cli, sharepoint: tuple[GraphServer, GraphDocumentStore]
) -> None:
    server, documents = sharepoint
    dossier_id = await asyncio.to_thread(_start, cli)  # the command line runs its own loop
    async with wired(cli) as wiring:
        await _attach_in_sharepoint(server, documents, wiring, dossier_id)


async def _attach_in_sharepoint(server: GraphServer, documents: GraphDocumentStore,
                                wiring: Wiring, dossier_id: str) -> None:
    initiator = await wiring.directory.user(INITIATOR)
    assert initiator is not None
    await reconcile_access(wiring.services, documents, dossier_id)  # the advisers' stages

    big = docx_with_comments([EVI_REMARK], padding=6 * 1024 * 1024)
    for name, content in ((NAME, docx_with_comments(TWO_AUTHORS)), ("Bijlage.docx", big)):
        stored = await documents.put(dossier_id, name, content)
        await execute(c.Attach(
            dossier_id=dossier_id, actor=initiator, command_id=str(uuid.uuid4()),
            channel=Channel.CLI.value, name=stored.name, uri=stored.uri, sha256=stored.sha256,
            size=stored.size, version=stored.version), wiring.services)
    assert server.stats.count("POST", "*/createUploadSession") == 1  # only the 6 MB one
    assert server.stats.count("PUT", "*/content") == 1

    task, status = await _cards(wiring, dossier_id, documents)
    _assert_overview(task, "Opmerkingen in documenten")
    _assert_overview(status, "Comments in documents")
    assert "**Bijlage.docx**" in task
    assert f"{server.drive(LIBRARY).web_url}/{dossier_id}/Bijlage.docx" in task  # the link
    jurist, finance = (await wiring.directory.user(JURIST), await wiring.directory.user(FINANCE))
    assert jurist is not None and finance is not None
    access = await documents.access(dossier_id)
    assert access[jurist.oid] == access[finance.oid] == "write"
