"""Audit anchors on the Microsoft 365 backend: the Auditankers list, written and read through
the real msgraph-sdk, protects the Dossiers and Dossiergebeurtenissen lists."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graph.schema import ANCHORS, DOSSIERS, EVENTS
from tests.e2e.m365 import ROOT, Paraaf, call
from tests.support.entra_kit import ADMIN, INITIATOR, LocalEntra
from tests.support.graph_server import GraphServer

pytestmark = pytest.mark.usefixtures("english")  # reads the English words


FLOW = str(ROOT / "local/demo/flows/collegevoorstel.yaml")


async def _dossier(paraaf: Paraaf, entra: LocalEntra) -> str:
    entra.sign_in(ADMIN)
    assert await paraaf("flow", "publish", FLOW) == 0, paraaf.err
    entra.sign_in(INITIATOR)
    assert await paraaf("dossier", "start", "--flow", "collegevoorstel", "--title", "Speeltuin",
                        "--field", "onderwerp=Speeltuin", "--field", "bedrag=25000",
                        "--json") == 0, paraaf.err
    return str(json.loads(paraaf.out)["id"])


def _path(server: GraphServer, title: str, item: Any = None) -> str:
    path = f"/sites/{server.site.id}/lists/{server.get_list(title).id}/items"
    return f"{path}/{item}" if item is not None else path


def _events(server: GraphServer, dossier: str) -> list[dict[str, Any]]:
    return sorted((e for e in server.items(EVENTS.title) if e["DossierId"] == dossier),
                  key=lambda e: e["Seq"])


async def _cut_back(server: GraphServer, dossier: str, keep: int) -> None:
    """What someone with write access to the lists can do: remove the last events and set
    the dossier's row back to match (or remove the row too)."""
    events = _events(server, dossier)
    for event in events[keep:]:
        await call(server, "DELETE", _path(server, EVENTS.title, event["id"]))
    [row] = [d for d in server.items(DOSSIERS.title) if d["DossierId"] == dossier]
    if keep == 0:
        await call(server, "DELETE", _path(server, DOSSIERS.title, row["id"]))
        return
    last = events[keep - 1]
    await call(server, "PATCH", _path(server, DOSSIERS.title, row["id"]) + "/fields",
                {"Version": keep, "HeadHash": last["Hash"]})


@pytest.mark.parametrize("keep, words", [(1, "anchor 1 recorded the dossier at version"),
                                         (0, "the dossier is gone")])
async def test_a_dossier_cut_back_or_removed_on_sharepoint_is_named(
    graph_backend: GraphServer, paraaf: Paraaf, entra: LocalEntra, keep: int, words: str
) -> None:
    dossier = await _dossier(paraaf, entra)
    assert await paraaf("audit", "anchor", "--json") == 0, paraaf.err
    kept = json.loads(paraaf.out)["keep"]
    assert [a["AnchorSeq"] for a in graph_backend.items(ANCHORS.title)] == [1]
    await _cut_back(graph_backend, dossier, keep)
    assert await paraaf("audit", "verify") == 1
    assert f"dossier {dossier}, event {keep + 1}:" in paraaf.out and words in paraaf.out, \
        paraaf.out
    assert await paraaf("audit", "verify", "--anchor", kept) == 1


async def test_an_edited_anchor_item_is_found(
    graph_backend: GraphServer, paraaf: Paraaf, entra: LocalEntra
) -> None:
    await _dossier(paraaf, entra)
    assert await paraaf("audit", "anchor") == 0, paraaf.err
    assert await paraaf("audit", "anchor", "--json") == 0
    assert json.loads(paraaf.out)["anchored"] is False  # nothing changed: no second anchor
    assert await paraaf("audit", "verify") == 0, paraaf.out
    [item] = graph_backend.items(ANCHORS.title)
    await call(graph_backend, "PATCH", _path(graph_backend, ANCHORS.title, item["id"])
                + "/fields", {"Record": item["Record"].replace('"dossiers":1', '"dossiers":0')})
    assert await paraaf("audit", "verify") == 1
    assert "anchor 1: the stored hash does not match" in paraaf.out, paraaf.out
