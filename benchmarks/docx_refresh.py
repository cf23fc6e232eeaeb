"""Card refresh of a dossier holding a 10 MB .docx full of comments, against the same dossier
without documents (issue 8: within 1.2x).

The comments are read when the document is stored; a refresh only finds them by content hash
and reads the few the card shows, so it should cost about what a refresh of a dossier without
documents costs. Measured twice, each time the two dossiers interleaved (one refresh of each
in turn, so both see the same machine at the same moments):

- over HTTP, as Teams does it: the ``refresh`` invoke of the card's ``Action.Execute``, posted
  to a running ``paraaf serve`` (local backend) by a client on the same machine. This is the
  refresh a person waits for, so the issue's 1.2x is judged on its round trip p95;
- in process (``view`` + ``card_if_involved``, what the invoke route runs), by the processor
  time of this process per refresh, which other work on a shared machine does not inflate.
  This shows what the document itself costs (a bigger card to build and measure, one more
  event in the dossier) and is reported beside the judged figure, not judged.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import subprocess
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import aiohttp

from approvals import commands as c
from approvals.service import execute
from benchmarks.bot import _free_port, _wait_ready
from benchmarks.stats import Result, latency_ms, percentile
from bot.cli.demo import create_demo
from bot.settings import Settings
from bot.teams.views import card_if_involved, view
from bot.wiring import Wiring, build
from tests.e2e.bot_http import activity
from word.comments import read_comments

INITIATOR = "t.dejong@voorbeeldstad.nl"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORDS = ("college", "besluit", "parkeertarieven", "binnenstad", "verhogen", "onderbouwen",
         "juridisch", "houdbaar", "geoormerkt", "openbaar", "vervoer", "raad", "advies",
         "financieel", "dekking", "begroting", "wethouder", "inspraak", "bezwaar", "termijn")


def _rels(*links: tuple[str, str]) -> str:
    items = "".join(f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(links, 1))
    return f'<?xml version="1.0"?><Relationships xmlns="{PKG}">{items}</Relationships>'


def docx_full_of_comments(size: int, seed: int = 7) -> tuple[bytes, int]:
    """A .docx of about ``size`` bytes: one commented paragraph per comment, all text words
    at random. Returns the bytes and the number of comments."""
    rng = random.Random(seed)

    def sentence(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."

    body: list[str] = []
    comments: list[str] = []

    def add(more: int) -> None:
        for _ in range(more):
            n = len(comments)
            body.append(f'<w:p><w:commentRangeStart w:id="{n}"/><w:r><w:t>{sentence(40)}'
                        f'</w:t></w:r><w:commentRangeEnd w:id="{n}"/>'
                        f'<w:r><w:commentReference w:id="{n}"/></w:r></w:p>')
            comments.append(f'<w:comment w:id="{n}" w:author="Adviseur {n % 37}" '
                            f'w:date="2026-11-23T09:15:00Z"><w:p><w:r><w:t>{sentence(120)}'
                            f"</w:t></w:r></w:p></w:comment>")

    add(1000)
    per_comment = len(_package(body, comments)) / len(comments)
    while True:
        add(max(100, int((size * 1.02) / per_comment) - len(comments)))
        data = _package(body, comments)
        if len(data) >= size:
            return data, len(comments)


def _package(body: list[str], comments: list[str]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_rels/.rels", _rels(("officeDocument", "word/document.xml")))
        archive.writestr("word/_rels/document.xml.rels", _rels(("comments", "comments.xml")))
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body>'
                                              + "".join(body) + "</w:body></w:document>")
        archive.writestr("word/comments.xml", f'<w:comments xmlns:w="{W}">' + "".join(comments)
                         + "</w:comments>")
    return out.getvalue()


async def _start(wiring: Wiring, dossier_id: str) -> None:
    actor = await wiring.directory.user(INITIATOR)
    assert actor is not None
    await execute(c.StartDossier(
        dossier_id=dossier_id, actor=actor, command_id=f"start-{dossier_id}",
        flow_id="collegevoorstel", title=f"Voorstel {dossier_id}",
        fields={"onderwerp": "Benchmark", "bedrag": "5000"}), wiring.services)


async def _attach(wiring: Wiring, dossier_id: str, name: str, content: bytes) -> float:
    """Store and attach the document; the seconds the store took (it reads the comments)."""
    actor = await wiring.directory.user(INITIATOR)
    assert actor is not None
    started = time.perf_counter()
    stored = await wiring.documents.put(dossier_id, name, content)
    took = time.perf_counter() - started
    await execute(c.Attach(dossier_id=dossier_id, actor=actor, command_id=f"att-{dossier_id}",
                           name=stored.name, uri=stored.uri, sha256=stored.sha256,
                           size=stored.size, version=stored.version), wiring.services)
    return took


async def _refresh(wiring: Wiring, dossier_id: str, oid: str) -> tuple[float, float]:
    """Processor and wall-clock seconds of one refresh."""
    cpu, wall = time.process_time(), time.perf_counter()
    dossier = await view(wiring.services, dossier_id, wiring.documents)
    await card_if_involved(wiring.services, wiring.conversations, dossier, oid, "nl")
    return time.process_time() - cpu, time.perf_counter() - wall


async def _prepare(data_dir: Path, size: int) -> dict[str, float | int]:
    """Both dossiers, the document stored in one; what the set-up measured."""
    settings = Settings.from_env({}, data_dir=str(data_dir))
    await create_demo(settings, samples=False)
    wiring = build(settings)
    try:
        content, count = docx_full_of_comments(size)
        cold = time.perf_counter()
        found = read_comments("Raadsvoorstel.docx", content)
        cold = time.perf_counter() - cold
        await _start(wiring, "DOCX-1")
        await _start(wiring, "PLAIN-1")
        put_s = await _attach(wiring, "DOCX-1", "Raadsvoorstel.docx", content)
        outbox: Any = wiring.services.store  # the set-up's own notifications are not measured
        while items := await outbox.claim("bench-setup", 1000, 600):
            for item in items:
                await outbox.mark_sent(item.id)
        return {"size": len(content), "comments": count, "kept": len(found),
                "cold": cold, "put": put_s}
    finally:
        await wiring.close()


async def _in_process(data_dir: Path, refreshes: int) -> dict[str, Any]:
    wiring = build(Settings.from_env({}, data_dir=str(data_dir)))
    try:
        actor = await wiring.directory.user(INITIATOR)
        assert actor is not None
        await wiring.documents.comments("DOCX-1")  # read once, as the store did at put
        cache = getattr(wiring.documents, "comment_cache", None)
        parses = cache.parses if cache else -1
        with_docx: list[tuple[float, float]] = []
        without: list[tuple[float, float]] = []
        for _ in range(20):  # warm up both
            await _refresh(wiring, "DOCX-1", actor.oid)
            await _refresh(wiring, "PLAIN-1", actor.oid)
        for _ in range(refreshes):  # interleaved, so both see the same machine
            with_docx.append(await _refresh(wiring, "DOCX-1", actor.oid))
            without.append(await _refresh(wiring, "PLAIN-1", actor.oid))
        return {"with": with_docx, "without": without,
                "parsed": (cache.parses - parses) if cache else -1}
    finally:
        await wiring.close()


async def _over_http(url: str, refreshes: int) -> dict[str, list[tuple[float, float]]]:
    """Round trip and server seconds of each refresh invoke, interleaved."""
    measured: dict[str, list[tuple[float, float]]] = {"DOCX-1": [], "PLAIN-1": []}
    async with aiohttp.ClientSession() as session:
        for n in range(20 + refreshes):
            for dossier in measured:
                body = activity(INITIATOR, verb="refresh",
                                data={"dossier_id": dossier, "version": 3})
                t0 = time.perf_counter()
                async with session.post(f"{url}/api/messages", json=body) as response:
                    payload = await response.json()
                    timing = response.headers.get("Server-Timing", "app;dur=0")
                elapsed = time.perf_counter() - t0
                assert payload["statusCode"] == 200, payload
                assert (dossier == "DOCX-1") == ("Raadsvoorstel.docx" in str(payload))
                if n >= 20:  # after the warm-up (the server reads the document once)
                    measured[dossier].append((elapsed, float(timing.split("dur=")[1]) / 1000))
    return measured


def _serve_and_refresh(data_dir: Path, refreshes: int) -> dict[str, list[tuple[float, float]]]:
    port = _free_port()
    env = {**os.environ, "PARAAF_DATA": str(data_dir), "PARAAF_PORT": str(port),
           "PARAAF_LOG_LEVEL": "warning", "TZ": "UTC"}
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], env=env,
                               stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        async def measure() -> dict[str, list[tuple[float, float]]]:
            await _wait_ready(url, process)
            return await _over_http(url, refreshes)

        return asyncio.run(measure())
    finally:
        process.terminate()
        process.wait(timeout=30)


def _p95_ms(samples: list[tuple[float, float]], which: int) -> float:
    return round(percentile([s[which] for s in samples], 95) * 1000, 2)


def run(workdir: Path, size: int = 10 * 1024 * 1024, refreshes: int = 500) -> list[Result]:
    data_dir = workdir / "docx"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    setup = asyncio.run(_prepare(data_dir, size))
    local = asyncio.run(_in_process(data_dir, refreshes))
    http = _serve_and_refresh(data_dir, refreshes)
    cpu_with, cpu_without = ([s[0] for s in local[k]] for k in ("with", "without"))
    stats_with, stats_without = (latency_ms([s[1] for s in local[k]])
                                 for k in ("with", "without"))
    http_with, http_without = http["DOCX-1"], http["PLAIN-1"]
    ratio = _p95_ms(http_with, 0) / _p95_ms(http_without, 0)
    return [Result(
        f"card refresh over HTTP, p95, with a {setup['size'] / 1e6:.1f} MB .docx of "
        f"{setup['comments']:,} comments, relative to no documents", ratio, "x", 1.2,
        higher_is_better=False,
        details={
            "HTTP with .docx p95 ms": _p95_ms(http_with, 0),
            "HTTP without p95 ms": _p95_ms(http_without, 0),
            "server time with .docx p95 ms": _p95_ms(http_with, 1),
            "server time without p95 ms": _p95_ms(http_without, 1),
            "in process CPU with .docx p95 ms": round(percentile(cpu_with, 95) * 1000, 2),
            "in process CPU without p95 ms": round(percentile(cpu_without, 95) * 1000, 2),
            "in process CPU ratio p95":
                f"{percentile(cpu_with, 95) / percentile(cpu_without, 95):.2f}x",
            "in process CPU with .docx p50 ms": round(percentile(cpu_with, 50) * 1000, 2),
            "in process CPU without p50 ms": round(percentile(cpu_without, 50) * 1000, 2),
            "in process wall with .docx p95 ms": round(stats_with["p95"], 2),
            "in process wall without p95 ms": round(stats_without["p95"], 2),
            "refreshes each": refreshes,
            "documents parsed during the in-process refreshes": local["parsed"],
            "one cold read of its comments s": round(setup["cold"], 2),
            "comments kept": setup["kept"],
            "store (put, reads the comments) s": round(setup["put"], 2),
        })]
