"""A refused command changes nothing, anywhere, on both backends.

Every command kind the command line sends (start, each stage action, attach, comment,
delegate, herverdelen, termijn, withdraw, return, reject) is refused in every way it can be:
not your turn, not allowed, a closed dossier, bad input. Around each refusal the test takes a
snapshot of everything the backend holds (the SQLite database with events, projection, tasks,
outbox, flows and conversations, and the documents folder with every version and the access
file; or, on Microsoft 365, every list item, every file with its versions and permissions,
and the invitations sent on the Graph test server) and asserts it is the same afterwards.

The command line runs in process in a worker thread (it starts its own event loop, as from a
shell) while the Graph test server answers on the test's loop.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli.main import main
from tests.e2e.snapshots import Snapshot, difference, graph_snapshot, local_snapshot
from tests.support.entra_kit import LocalEntra
from tests.support.graph_server import GraphServer

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://contoso.sharepoint.com/sites/paraaf"
INITIATOR = "t.dejong@voorbeeldstad.nl"
JURIST = "e.vanleeuwen@voorbeeldstad.nl"
JURIST2 = "k.boukhari@voorbeeldstad.nl"
FINANCE = "f.meijer@voorbeeldstad.nl"
HEAD = "h.vandijk@voorbeeldstad.nl"  # afdelingshoofd of the initiator: the paraaf
DIRECTOR = "r.bakker@voorbeeldstad.nl"
ALDERMAN = "w.vandenberg@voorbeeldstad.nl"
OUTSIDER = "n.yilmaz@voorbeeldstad.nl"  # not involved in the collegevoorstel
ADMIN = "s.vos@voorbeeldstad.nl"  # beheerder
NOBODY = "niemand@voorbeeldstad.nl"
BAD_FLOW = sorted((ROOT / "tests/data/bad_flows").glob("*.yaml"))[0]


@dataclass
class World:
    """Three dossiers: A waits for advice, B for the paraaf, C is withdrawn. A and C have
    a document 'Raadsvoorstel.pdf' (a refused attach of that name would replace it)."""

    a: str
    b: str
    c: str
    files: Path


class Paraaf:
    """`paraaf ...` in a worker thread; keeps what it printed. With ``signed_in`` (the
    Microsoft 365 backend) ``--as USER`` becomes USER signing in with Entra ID, as there."""

    def __init__(self, capsys: pytest.CaptureFixture[str], prefix: list[str],
                 signed_in: LocalEntra | None = None) -> None:
        self._capsys = capsys
        self._prefix = prefix
        self._entra = signed_in
        self.out = ""
        self.err = ""

    def _sign_in(self, args: tuple[str, ...]) -> tuple[str, ...]:
        if self._entra is None or "--as" not in args:
            return args
        at = args.index("--as")
        self._entra.sign_in(args[at + 1])
        return args[:at] + args[at + 2:]

    async def __call__(self, *args: str) -> int:
        self._capsys.readouterr()
        args = self._sign_in(args)
        code = await asyncio.to_thread(main, [*self._prefix, *args])
        captured = self._capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code

    async def ok(self, *args: str) -> str:
        code = await self(*args, "--json")
        assert code == 0, (args, code, self.out, self.err)
        return self.out


# --- the two backends --------------------------------------------------------------------------


def _clear_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("PARAAF_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PARAAF_DATA", str(tmp_path / "data"))


def _entra_directory() -> dict[str, Any]:
    """The demo directory, with the beheerders as the Entra group GraphDirectory reads."""
    data = yaml.safe_load((ROOT / "local/demo/directory.yaml").read_text("utf-8"))
    admins = [u["upn"] for u in data["users"] if u.get("admin")]
    data.setdefault("groups", []).append({"id": "paraaf-beheerders", "name": "paraaf beheerders",
                                          "members": admins})
    return dict(data)


@pytest.fixture(params=["local", "graph"])
async def backend(request: pytest.FixtureRequest, demo_template: Path, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                  entra: LocalEntra) -> AsyncIterator[tuple[Paraaf, Snapshot]]:
    _clear_settings(monkeypatch, tmp_path)
    if request.param == "local":
        data = tmp_path / "data"
        shutil.copytree(demo_template, data)
        yield Paraaf(capsys, ["--data", str(data)]), local_snapshot(data)
        return
    monkeypatch.setenv("PARAAF_GRAPH_AUTH", "none")
    async with GraphServer(seed=11, directory=_entra_directory()) as server:
        monkeypatch.setenv("PARAAF_GRAPH_BASE_URL", server.base_url)
        paraaf = Paraaf(capsys, [], signed_in=entra)
        assert await paraaf("provision", "--site", SITE) == 0, paraaf.err
        monkeypatch.setenv("PARAAF_BACKEND", "graph")
        monkeypatch.setenv("PARAAF_SITE_URL", SITE)
        monkeypatch.setenv("PARAAF_GRAPH_TENANT_ID", "5e0c7a1d-3b94-4f28-8d61-2c9e47b1a8f3")
        for flow in sorted((ROOT / "local/demo/flows").glob("*.yaml")):
            await paraaf.ok("flow", "publish", str(flow), "--as", ADMIN)
        yield paraaf, graph_snapshot(server)


async def _world(paraaf: Paraaf, files: Path) -> World:
    import json

    files.mkdir()
    (files / "Raadsvoorstel.pdf").write_bytes(b"%PDF-1.7 versie 1")
    (files / "new").mkdir()
    (files / "new" / "Raadsvoorstel.pdf").write_bytes(b"%PDF-1.7 vervangen")
    (files / "Bijlage.pdf").write_bytes(b"%PDF-1.7 bijlage")
    (files / ".verborgen").write_bytes(b"verborgen")
    (files / "bijlage\x1b[2J.pdf").write_bytes(b"%PDF-1.7")
    flow = (ROOT / "local/demo/flows/collegevoorstel.yaml").read_text("utf-8")
    (files / "changed.yaml").write_text(flow.replace("title: Collegevoorstel",
                                                     "title: Collegevoorstel (nieuw)", 1))
    (files / "escapes.yaml").write_text(flow.replace("title: Collegevoorstel",
                                                     'title: "Collegevoorstel\\e[2J"', 1)
                                        .replace("version: 1", "version: 2", 1))

    async def start() -> str:
        out = await paraaf.ok("dossier", "start", "--flow", "collegevoorstel", "--as", INITIATOR,
                              "--title", "Speeltuin Parkwijk", "--field", "onderwerp=Speeltuin",
                              "--field", "bedrag=25000")
        return str(json.loads(out)["id"])

    a, b, c = await start(), await start(), await start()
    for dossier in (a, c):
        await paraaf.ok("dossier", "attach", dossier, "--as", INITIATOR,
                        str(files / "Raadsvoorstel.pdf"))
    for adviser in (JURIST, FINANCE):
        await paraaf.ok("dossier", "act", b, "--as", adviser, "--action", "advies",
                        "--advice", "positief")
    await paraaf.ok("dossier", "act", c, "--as", INITIATOR, "--action", "intrekken",
                    "--reason", "Vervalt")
    return World(a, b, c, files)


# --- the refusals ------------------------------------------------------------------------------


def _act(dossier: str, who: str, action: str, *extra: str) -> tuple[str, ...]:
    return ("dossier", "act", dossier, "--as", who, "--action", action, *extra)


def _start(*extra: str) -> tuple[str, ...]:
    return ("dossier", "start", "--flow", "collegevoorstel", "--as", INITIATOR, *extra)


R = ("--reason", "Graag aanpassen")
DUE = ("--due", "2030-01-07")


def refusals(w: World) -> dict[str, tuple[str, ...]]:
    """Each way each command can be refused, as command lines (and the flow commands)."""
    new = str(w.files / "new" / "Raadsvoorstel.pdf")
    other = str(w.files / "Bijlage.pdf")
    closed = {
        "advise": _act(w.c, JURIST, "advies", "--advice", "positief"),
        "initial": _act(w.c, HEAD, "paraferen"),
        "approve": _act(w.c, DIRECTOR, "accorderen"),
        "decide": _act(w.c, ALDERMAN, "besluiten", "--text", "Vastgesteld"),
        "sign": _act(w.c, DIRECTOR, "ondertekenen"),
        "acknowledge": _act(w.c, INITIATOR, "kennisnemen"),
        "return": _act(w.c, HEAD, "terugsturen", "--to-stage", "juridisch_advies", *R),
        "reject": _act(w.c, HEAD, "afwijzen", *R),
        "withdraw": _act(w.c, INITIATOR, "intrekken", *R),
        "comment": _act(w.c, INITIATOR, "opmerking", "--text", "Nog een opmerking"),
        "delegate": _act(w.c, JURIST, "delegeren", "--to", DIRECTOR, *R),
        "reassign": _act(w.c, ADMIN, "herverdelen", "--stage", "juridisch_advies", "--from",
                         JURIST, "--to", OUTSIDER, *R),
        "due date": _act(w.c, ADMIN, "termijn", "--stage", "juridisch_advies", *DUE, *R),
        "attach, replacing": ("dossier", "attach", w.c, "--as", INITIATOR, new),
        "attach, a new document": ("dossier", "attach", w.c, "--as", INITIATOR, other),
    }
    cases = {f"closed dossier: {name}": args for name, args in closed.items()}
    cases |= {
        "not your turn: advise": _act(w.a, INITIATOR, "advies", "--advice", "positief"),
        "not your turn: initial": _act(w.b, DIRECTOR, "paraferen"),
        "not your turn: approve": _act(w.b, DIRECTOR, "accorderen"),
        "not your turn: decide": _act(w.b, ALDERMAN, "besluiten", "--text", "Vastgesteld"),
        "not your turn: sign": _act(w.b, DIRECTOR, "ondertekenen"),
        "not your turn: acknowledge": _act(w.b, INITIATOR, "kennisnemen"),
        "not your turn: return": _act(w.b, INITIATOR, "terugsturen", "--to-stage",
                                      "juridisch_advies", *R),
        "not your turn: reject": _act(w.b, INITIATOR, "afwijzen", *R),
        "not your turn: delegate": _act(w.b, INITIATOR, "delegeren", "--to", DIRECTOR, *R),
        "not allowed: attach, replacing": ("dossier", "attach", w.a, "--as", OUTSIDER, new),
        "not allowed: attach, a new document": ("dossier", "attach", w.a, "--as", OUTSIDER,
                                                other),
        "not allowed: comment": _act(w.a, OUTSIDER, "opmerking", "--text", "Mag dit?"),
        "not allowed: withdraw": _act(w.a, JURIST, "intrekken", *R),
        "not allowed: reassign": _act(w.a, INITIATOR, "herverdelen", "--stage",
                                      "juridisch_advies", "--from", JURIST, "--to", OUTSIDER, *R),
        "not allowed: due date": _act(w.a, INITIATOR, "termijn", "--stage", "juridisch_advies",
                                      *DUE, *R),
        "not allowed: return there": _act(w.b, HEAD, "terugsturen", "--to-stage",
                                          "besluit_college", *R),
        "not allowed: initial in an advice stage": _act(w.a, JURIST, "paraferen"),
        "not allowed: start an unknown flow": ("dossier", "start", "--flow", "onbekend", "--as",
                                               INITIATOR, "--title", "Speeltuin"),
        "not allowed: start as an unknown user": ("dossier", "start", "--flow",
                                                  "collegevoorstel", "--as", NOBODY,
                                                  "--title", "Speeltuin"),
        "not allowed: act on an unknown dossier": _act("2026-ONBEKEND", JURIST, "advies",
                                                       "--advice", "positief"),
        "not allowed: attach to an unknown dossier": ("dossier", "attach", "2026-ONBEKEND",
                                                      "--as", INITIATOR, other),
    }
    cases |= {
        "bad input: advise without an advice": _act(w.a, JURIST, "advies"),
        "bad input: advice text with escapes": _act(w.a, JURIST, "advies", "--advice",
                                                    "positief", "--text", "Akkoord\x1b[2J"),
        "bad input: initial text too long": _act(w.b, HEAD, "paraferen", "--text", "x" * 5000),
        "bad input: return without a reason": _act(w.b, HEAD, "terugsturen", "--to-stage",
                                                   "juridisch_advies"),
        "bad input: reject without a reason": _act(w.b, HEAD, "afwijzen"),
        "bad input: withdraw without a reason": _act(w.a, INITIATOR, "intrekken"),
        "bad input: empty comment": _act(w.a, INITIATOR, "opmerking"),
        "bad input: comment with a bidi override": _act(w.a, INITIATOR, "opmerking", "--text",
                                                        "Bedrag \u202e000.01\u202c euro"),
        "bad input: delegate to yourself": _act(w.b, HEAD, "delegeren", "--to", HEAD, *R),
        "bad input: delegate to the initiator": _act(w.b, HEAD, "delegeren", "--to",
                                                     INITIATOR, *R),
        "bad input: delegate without a reason": _act(w.b, HEAD, "delegeren", "--to", DIRECTOR),
        "bad input: delegate to an unknown user": _act(w.b, HEAD, "delegeren", "--to", NOBODY,
                                                       *R),
        "bad input: reassign to an assignee": _act(w.a, ADMIN, "herverdelen", "--stage",
                                                   "juridisch_advies", "--from", JURIST, "--to",
                                                   JURIST2, *R),
        "bad input: due date in the past": _act(w.a, ADMIN, "termijn", "--stage",
                                                "juridisch_advies", "--due", "2020-01-06", *R),
        "bad input: due date that is no date": _act(w.a, ADMIN, "termijn", "--stage",
                                                    "juridisch_advies", "--due", "morgen", *R),
        "bad input: attach, a name with escapes": ("dossier", "attach", w.a, "--as", INITIATOR,
                                                   str(w.files / "bijlage\x1b[2J.pdf")),
        "bad input: attach, the second file missing": ("dossier", "attach", w.a, "--as",
                                                       INITIATOR, new, str(w.files / "weg.pdf")),
        "bad input: attach, the second name not allowed": (
            "dossier", "attach", w.a, "--as", INITIATOR, new, str(w.files / ".verborgen")),
        "bad input: start without a title": _start("--title", " ", "--field", "onderwerp=x"),
        "bad input: start with a title of two lines": _start("--title", "Speeltuin\nparaaf: ok",
                                                             "--field", "onderwerp=x"),
        "bad input: start with an unknown field": _start("--title", "Speeltuin", "--field",
                                                         "onderwerp=x", "--field", "kleur=rood"),
        "bad input: start with an amount that is none": _start(
            "--title", "Speeltuin", "--field", "onderwerp=x", "--field", "bedrag=veel"),
        "bad input: start without a required field": _start("--title", "Speeltuin"),
    }
    flows = ROOT / "local/demo/flows"
    cases |= {
        "flow: publish by no beheerder": ("flow", "publish", str(flows / "energietoeslag.yaml"),
                                          "--as", INITIATOR),
        "flow: publish a broken file": ("flow", "publish", str(BAD_FLOW), "--as", ADMIN),
        "flow: import a broken file": ("flow", "import", str(BAD_FLOW)),
        "flow: change a published version": ("flow", "publish", str(w.files / "changed.yaml"),
                                             "--as", ADMIN),
        "flow: publish escapes in a title": ("flow", "publish", str(w.files / "escapes.yaml"),
                                             "--as", ADMIN),
        "flow: withdraw by no beheerder": ("flow", "withdraw", "collegevoorstel", "--version",
                                           "1", "--as", INITIATOR),
        "flow: withdraw an unknown version": ("flow", "withdraw", "collegevoorstel",
                                              "--version", "9", "--as", ADMIN),
    }
    return cases


async def _refused_changes(paraaf: Paraaf, snapshot: Snapshot,
                           cases: dict[str, tuple[str, ...]]) -> list[str]:
    problems = []
    for name, args in cases.items():
        before = snapshot()
        code = await paraaf(*args)
        after = snapshot()
        if code != 2:
            problems.append(f"{name}: exit {code}, not 2 ({paraaf.err.strip()[:200]})")
        if after != before:
            problems.append(f"{name}: changed {difference(before, after)}")
    return problems


async def test_a_refused_command_changes_nothing_anywhere(
    backend: tuple[Paraaf, Snapshot], tmp_path: Path
) -> None:
    paraaf, snapshot = backend
    world = await _world(paraaf, tmp_path / "files")
    problems = await _refused_changes(paraaf, snapshot, refusals(world))
    assert not problems, "\n".join(problems)
    # and the world is as it was made: the refusals were refusals, not typos in this test
    assert await paraaf("dossier", "attach", world.a, "--as", INITIATOR,
                        str(world.files / "Bijlage.pdf")) == 0, paraaf.err

