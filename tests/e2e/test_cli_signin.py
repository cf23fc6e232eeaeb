"""On Microsoft 365 the command line acts only as the person signed in with Entra ID.

The product's own sign-in code runs: its token checks (real PyJWT), the directory lookup and
every command. Only Entra ID itself is stood in for: a credential with azure-identity's
``get_token`` that returns an access token signed by a key made for the test, and that key
as the published signing key.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from graph.schema import EVENTS
from tests.e2e.m365 import ROOT, Paraaf, writes
from tests.support.entra_kit import ADMIN, INITIATOR, OIDS, TENANT, LocalEntra
from tests.support.graph_server import GraphServer

# the Microsoft 365 backend on the Graph test server, provisioned, as `paraaf provision` tests it

FLOW = str(ROOT / "local/demo/flows/collegevoorstel.yaml")
FINANCE = "f.meijer@voorbeeldstad.nl"


def _events(server: GraphServer) -> list[dict[str, Any]]:
    return sorted(server.items(EVENTS.title), key=lambda e: (e["DossierId"], e["Seq"]))


async def _started(paraaf: Paraaf, entra: LocalEntra) -> str:
    entra.sign_in(ADMIN)
    assert await paraaf("flow", "publish", FLOW) == 0, paraaf.err
    entra.sign_in(INITIATOR)
    assert await paraaf("dossier", "start", "--flow", "collegevoorstel", "--title",
                        "Speeltuin", "--field", "onderwerp=Speeltuin", "--field",
                        "bedrag=25000", "--json") == 0, paraaf.err
    return str(json.loads(paraaf.out)["id"])


@pytest.mark.parametrize("command", [
    ("dossier", "start", "--flow", "collegevoorstel", "--title", "T"),
    ("dossier", "act", "{id}", "--action", "advies", "--advice", "positief"),
    ("dossier", "act", "{id}", "--action", "termijn", "--stage", "financieel_advies",
     "--due", "2099-01-01", "--reason", "Uitstel"),
    ("dossier", "attach", "{id}", FLOW),
    ("flow", "publish", FLOW),
    ("flow", "withdraw", "collegevoorstel", "--version", "1"),
])
async def test_as_is_refused_on_microsoft_365(
    graph_backend: GraphServer, paraaf: Paraaf, entra: LocalEntra,
    command: tuple[str, ...]
) -> None:
    dossier = await _started(paraaf, entra)
    entra.asked = 0
    graph_backend.stats.reset()
    args = [part.replace("{id}", dossier) for part in command]
    assert await paraaf(*args, "--as", FINANCE) == 2
    assert "--as works only in local mode" in paraaf.err
    assert writes(graph_backend) == [] and entra.asked == 0


async def test_commands_act_as_the_signed_in_person(
    graph_backend: GraphServer, paraaf: Paraaf, entra: LocalEntra
) -> None:
    dossier = await _started(paraaf, entra)
    [flow] = graph_backend.items("Processtromen")
    assert flow["PublishedBy"] == ADMIN
    assert {e["ActorOid"] for e in _events(graph_backend)} == {OIDS[INITIATOR]}
    entra.sign_in(FINANCE)
    assert await paraaf("dossier", "act", dossier, "--action", "advies", "--advice",
                        "positief", "--text", "Dekking is er") == 0, paraaf.err
    last = _events(graph_backend)[-2:]
    assert {e["ActorOid"] for e in last} == {OIDS[FINANCE]}
    assert json.loads(last[0]["Record"])["actor"]["tenant"] == TENANT


@pytest.mark.parametrize("action, extra", [
    ("termijn", ("--due", "2099-01-01")),
    ("herverdelen", ("--from", FINANCE, "--to", "l.smit@voorbeeldstad.nl")),
])
async def test_beheerder_corrections_need_a_reason_and_record_the_signed_in_beheerder(
    graph_backend: GraphServer, paraaf: Paraaf, entra: LocalEntra,
    action: str, extra: tuple[str, ...]
) -> None:
    dossier = await _started(paraaf, entra)
    args = ("dossier", "act", dossier, "--action", action, "--stage", "financieel_advies",
            *extra)
    entra.sign_in(ADMIN)
    before = len(_events(graph_backend))
    assert await paraaf(*args) == 2
    assert "reason" in paraaf.err.lower()
    entra.sign_in(INITIATOR)  # not a beheerder
    assert await paraaf(*args, "--reason", "Afwezig tot maandag") == 2
    assert len(_events(graph_backend)) == before
    entra.sign_in(ADMIN)
    assert await paraaf(*args, "--reason", "Afwezig tot maandag") == 0, paraaf.err
    [made] = _events(graph_backend)[before:]
    record = json.loads(made["Record"])
    assert made["ActorOid"] == OIDS[ADMIN]
    assert record["payload"]["reason"] == "Afwezig tot maandag"


def _claims(**changes: Any) -> Callable[[LocalEntra], None]:
    return lambda entra: entra.sign_in(INITIATOR, **changes)


def _other_key(entra: LocalEntra) -> None:
    """A well-formed token signed by a key Entra ID does not publish."""
    entra.sign_in(INITIATOR)
    entra.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize("forge", [
    _claims(tid="9b7c1d2e-0000-4000-8000-000000000000"),
    _claims(iss="https://login.microsoftonline.com/9b7c1d2e-0000-4000-8000-000000000000/v2.0"),
    _claims(aud="00000003-0000-0000-c000-000000000000"),  # a token for Microsoft Graph
    _claims(exp=int(time.time()) - 3600),
    _claims(oid="11111111-2222-4333-8444-555555555555"),  # nobody in the directory
    _other_key,
], ids=["other-tenant", "other-issuer", "other-audience", "expired", "unknown-person",
        "not-signed-by-entra"])
async def test_a_sign_in_that_does_not_hold_changes_nothing(
    graph_backend: GraphServer, paraaf: Paraaf, entra: LocalEntra,
    forge: Callable[[LocalEntra], None]
) -> None:
    dossier = await _started(paraaf, entra)
    forge(entra)
    graph_backend.stats.reset()
    assert await paraaf("dossier", "act", dossier, "--action", "opmerking", "--text",
                        "Mag dit?") == 2
    assert paraaf.err.strip()
    assert writes(graph_backend) == []


def test_local_mode_still_needs_as(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli.main import main

    monkeypatch.delenv("PARAAF_LANGUAGE", raising=False)
    data = str(tmp_path / "data")
    assert main(["demo", "--data", data]) == 0
    capsys.readouterr()
    assert main(["--data", data, "dossier", "act", "DEMO-1", "--action", "advies",
                 "--advice", "positief"]) == 2
    assert "--as GEBRUIKER" in capsys.readouterr().err  # Dutch by default
    assert main(["--data", data, "dossier", "act", "DEMO-1", "--as", FINANCE, "--action",
                 "advies", "--advice", "positief"]) == 0
