"""The decision register in the ZGW shape through the command line: `paraaf decisions --zgw
FILE` writes every decision as a besluit with its signed PDF, each object valid against the
official specs; `paraaf decisions --register` registers them in a ZGW API (the stand-in),
once; a wrong RSIN is refused at start and nothing is sent."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from approvals.signatures import sha256_hex
from tests.e2e.conftest import Cli
from tests.support.zgw.server import ZgwStandIn
from tests.support.zgw.spec import validate_request_body

INITIATOR = "t.dejong@voorbeeldstad.nl"
ALDERMAN, MAYOR = "w.vandenberg@voorbeeldstad.nl", "m.jansen@voorbeeldstad.nl"
RSIN = "002220647"
BESLUITTYPE = "https://oz.example/catalogi/api/v1/besluittypen/11"
IOTYPE = "https://oz.example/catalogi/api/v1/informatieobjecttypen/22"
CLIENT_ID, SECRET = "paraaf", "een-geheim-voor-de-zgw-api-van-32-tekens"
FLOW = """\
schema: paraaf/flow/v1
id: besluitmetzegel
version: 1
title: Besluit met ondertekening
fields:
  - name: onderwerp
    type: text
    label: Onderwerp
    required: true
stages:
  - id: besluit
    kind: decide
    title: Besluit college
    assignees:
      - user: w.vandenberg@voorbeeldstad.nl
  - id: burgemeester
    kind: sign
    title: Ondertekening burgemeester
    assignees:
      - user: m.jansen@voorbeeldstad.nl
"""


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    monkeypatch.setenv("PARAAF_RENDERER", "text")


@pytest.fixture
def organisation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_ZGW_RSIN", RSIN)
    monkeypatch.setenv("PARAAF_ZGW_BESLUITTYPE", BESLUITTYPE)
    monkeypatch.setenv("PARAAF_ZGW_INFORMATIEOBJECTTYPE", IOTYPE)


@pytest.fixture
def stand_in() -> Iterator[ZgwStandIn]:
    """The stand-in on its own event loop in a thread (the command line runs its own)."""
    server = ZgwStandIn(clients={CLIENT_ID: SECRET}, besluittypen={BESLUITTYPE},
                        informatieobjecttypen={IOTYPE})
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(30)
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()
    assert server.spec_errors == []


def _api(monkeypatch: pytest.MonkeyPatch, server: ZgwStandIn) -> None:
    monkeypatch.setenv("PARAAF_ZGW_BESLUITEN_URL", server.besluiten_url)
    monkeypatch.setenv("PARAAF_ZGW_DOCUMENTEN_URL", server.documenten_url)
    monkeypatch.setenv("PARAAF_ZGW_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("PARAAF_ZGW_SECRET", SECRET)


def _decided_and_signed(cli: Cli, tmp_path: Path, sign: bool = True) -> str:
    flow = tmp_path / "besluitmetzegel.yaml"
    if not flow.exists():
        flow.write_text(FLOW, "utf-8")
        assert cli("flow", "publish", str(flow)) == 0, cli.err
    dossier = str(cli.json("dossier", "start", "--flow", "besluitmetzegel", "--as", INITIATOR,
                           "--title", "Subsidie buurthuis De Wiek",
                           "--field", "onderwerp=Buurthuis")["id"])
    assert cli("dossier", "act", dossier, "--as", ALDERMAN, "--action", "besluiten",
               "--text", "Het college kent de subsidie toe.") == 0, cli.err
    if sign:
        assert cli("dossier", "act", dossier, "--as", MAYOR, "--action", "sign") == 0, cli.err
    return dossier


def test_without_the_settings_the_export_says_what_to_set(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "besluiten.json"
    assert cli("decisions", "--zgw", str(target)) != 0
    assert "PARAAF_ZGW_RSIN" in cli.out and not target.exists()


@pytest.mark.usefixtures("organisation")
def test_the_export_holds_every_decision_valid_against_the_specs(cli: Cli,
                                                                 tmp_path: Path) -> None:
    dossier = _decided_and_signed(cli, tmp_path)
    target = tmp_path / "besluiten.json"
    assert cli("decisions", "--zgw", str(target)) == 0, cli.err
    exported = json.loads(target.read_text("utf-8"))
    assert exported["verantwoordelijkeOrganisatie"] == RSIN
    entry = next(e for e in exported["besluiten"] if e["dossier"] == dossier)
    assert entry["besluit"]["toelichting"] == "Het college kent de subsidie toe."
    document = entry["enkelvoudiginformatieobject"]
    pdf = base64.b64decode(document["inhoud"])
    shown = cli.json("dossier", "show", dossier)
    signed = next(d for d in shown["documents"] if d["name"].endswith("ondertekend.pdf"))
    assert pdf.startswith(b"%PDF-") and sha256_hex(pdf) == signed["sha256"]
    assert document["integriteit"]["waarde"] == signed["sha256"]
    assert document["ondertekening"]["soort"] == "pki"
    for e in exported["besluiten"]:
        validate_request_body("/besluiten/api/v1/besluiten", json.dumps(e["besluit"]).encode())
        validate_request_body("/documenten/api/v1/enkelvoudiginformatieobjecten",
                              json.dumps(e["enkelvoudiginformatieobject"]).encode())
        validate_request_body("/besluiten/api/v1/besluitinformatieobjecten",
                              json.dumps(e["besluitinformatieobject"]).encode())


@pytest.mark.usefixtures("organisation")
def test_register_sends_every_decision_once(cli: Cli, tmp_path: Path, stand_in: ZgwStandIn,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    dossier = _decided_and_signed(cli, tmp_path)
    _api(monkeypatch, stand_in)
    first = cli.json("decisions", "--register")
    mine = next(d for d in first if d["dossier"] == dossier)
    assert mine["url"].startswith(stand_in.besluiten_url) and mine["refusal"] is None
    assert len(stand_in.besluiten) == len(first)
    again = cli.json("decisions", "--register")
    assert again == first and len(stand_in.besluiten) == len(first)
    assert len(stand_in.links) == len(stand_in.documenten) == len(first)


def test_a_wrong_rsin_is_refused_at_start_and_nothing_is_sent(
        cli: Cli, stand_in: ZgwStandIn, monkeypatch: pytest.MonkeyPatch,
        organisation: None) -> None:
    _api(monkeypatch, stand_in)
    monkeypatch.setenv("PARAAF_ZGW_RSIN", "002220648")
    assert cli("decisions", "--register") != 0
    assert "elfproef" in cli.err + cli.out
    assert stand_in.requests == 0


@pytest.mark.usefixtures("organisation")
def test_the_outbox_registers_a_decided_dossier_and_the_dossier_records_it(
        cli: Cli, tmp_path: Path, stand_in: ZgwStandIn,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The commit that ends a decided, signed dossier writes a register row; the worker of
    `paraaf serve` (as the wiring builds it, on the real store) registers the decision in the
    API and records DecisionRegistered, which `dossier show` then lists."""
    import os

    from bot.settings import Settings
    from bot.wiring import build

    _api(monkeypatch, stand_in)
    dossier = _decided_and_signed(cli, tmp_path)

    async def work() -> None:
        wiring = build(Settings.from_env(os.environ, data_dir=str(cli.data)), teams=True)
        try:
            assert wiring.teams is not None
            while await wiring.teams.bot.delivery.run_once(100):
                pass
        finally:
            await wiring.close()

    asyncio.run(work())
    (besluit,) = [b for b in stand_in.besluiten.values() if b["identificatie"] == dossier]
    shown = cli.json("dossier", "show", dossier)
    registered = [e for e in shown["timeline"] if e["type"] == "DecisionRegistered"]
    assert len(registered) == 1 and besluit["url"] in registered[0]["text"]
    assert cli.json("decisions", "--register")[0]["url"] == besluit["url"]  # found, not made
    assert len([b for b in stand_in.besluiten.values() if b["identificatie"] == dossier]) == 1


@pytest.mark.usefixtures("organisation")
def test_a_decision_still_to_be_signed_waits_for_its_signature(
        cli: Cli, tmp_path: Path, stand_in: ZgwStandIn,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A dossier is done when its signed document exists: one decided but not yet signed
    is neither exported nor registered (its entry gets the signed PDF later)."""
    waiting = _decided_and_signed(cli, tmp_path, sign=False)
    target = tmp_path / "besluiten.json"
    assert cli("decisions", "--zgw", str(target)) == 0, cli.err
    assert waiting not in [e["dossier"] for e in json.loads(target.read_text("utf-8"))[
        "besluiten"]]
    _api(monkeypatch, stand_in)
    assert waiting not in [d["dossier"] for d in cli.json("decisions", "--register")]
    assert all(b["identificatie"] != waiting for b in stand_in.besluiten.values())
