"""Card refresh of a dossier holding a 10 MB .docx full of comments, against the same dossier
without documents (local backend, in process: what the bot's ``refresh`` route does).

The comments are read when the document is stored; a refresh only finds them by content
hash, so it should cost about what a refresh of a dossier without documents costs. The ratio
is judged on the processor time of this process per refresh (all its threads), which other
work on a shared machine does not inflate; wall-clock figures are reported beside it.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import time
import zipfile
from io import BytesIO
from pathlib import Path

from approvals import commands as c
from approvals.service import execute
from benchmarks.stats import Result, latency_ms, percentile
from bot.cli.demo import create_demo
from bot.settings import Settings
from bot.teams.views import card_if_involved, view
from bot.wiring import Wiring, build
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


async def _measure(data_dir: Path, size: int, refreshes: int) -> Result:
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
        actor = await wiring.directory.user(INITIATOR)
        assert actor is not None
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
        parsed_in_refreshes = (cache.parses - parses) if cache else -1
    finally:
        await wiring.close()
    cpu_with, cpu_without = ([s[0] for s in samples] for samples in (with_docx, without))
    stats_with, stats_without = (latency_ms([s[1] for s in samples])
                                 for samples in (with_docx, without))
    ratio = percentile(cpu_with, 95) / percentile(cpu_without, 95)
    return Result(
        f"card refresh p95 with a {len(content) / 1e6:.1f} MB .docx of {count:,} comments, "
        "relative to no documents (processor time)", ratio, "x", 1.2, higher_is_better=False,
        details={
            "with .docx CPU p95 ms": round(percentile(cpu_with, 95) * 1000, 2),
            "without CPU p95 ms": round(percentile(cpu_without, 95) * 1000, 2),
            "with .docx p50 ms": round(stats_with["p50"], 2),
            "with .docx p95 ms": round(stats_with["p95"], 2),
            "without p50 ms": round(stats_without["p50"], 2),
            "without p95 ms": round(stats_without["p95"], 2),
            "refreshes each": refreshes,
            "documents parsed during the refreshes": parsed_in_refreshes,
            "one cold read of its comments s": round(cold, 2),
            "comments kept": len(found),
            "store (put, reads the comments) s": round(put_s, 2),
        })


def run(workdir: Path, size: int = 10 * 1024 * 1024, refreshes: int = 500) -> list[Result]:
    data_dir = workdir / "docx"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    return [asyncio.run(_measure(data_dir, size, refreshes))]
