"""Durable SQLite appends per second: one writer, and 8 writer processes on one dossier."""

from __future__ import annotations

import asyncio
import multiprocessing
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from approvals import commands as c
from approvals.service import execute
from benchmarks.stats import Result, latency_ms
from bot.cli.demo import create_demo
from bot.settings import Settings
from bot.wiring import build

INITIATOR = "t.dejong@voorbeeldstad.nl"


async def _prepare(data: Path) -> str:
    settings = Settings.from_env({}, data_dir=str(data))
    await create_demo(settings, samples=False)
    wiring = build(settings)
    try:
        actor = await wiring.directory.user(INITIATOR)
        assert actor is not None
        outcome = await execute(c.StartDossier(
            dossier_id="BENCH-1", actor=actor, command_id="bench-start",
            flow_id="collegevoorstel", title="Benchmark", fields={"onderwerp": "x"}),
            wiring.services)
        return outcome.state.id
    finally:
        await wiring.close()


async def _comment(data: Path, dossier: str, worker: int, count: int) -> dict[str, Any]:
    wiring = build(Settings.from_env({}, data_dir=str(data)))
    samples: list[float] = []
    retries = 0
    began = time.time()
    try:
        actor = await wiring.directory.user(INITIATOR)
        assert actor is not None
        for n in range(count):
            t0 = time.perf_counter()
            outcome = await execute(c.AddComment(
                dossier_id=dossier, actor=actor, command_id=f"w{worker}-{n}",
                text=f"Opmerking {n}"), wiring.services)
            samples.append(time.perf_counter() - t0)
            retries += outcome.attempts - 1
        return {"samples": samples, "retries": retries, "began": began, "ended": time.time()}
    finally:
        await wiring.close()


def _worker(args: tuple[str, str, int, int], barrier: Any) -> dict[str, Any]:
    data, dossier, worker, count = args
    barrier.wait(timeout=120)
    return asyncio.run(_comment(Path(data), dossier, worker, count))


def run(workdir: Path, single: int = 2000, writers: int = 8, each: int = 250) -> list[Result]:
    if workdir.exists():
        shutil.rmtree(workdir)
    dossier = asyncio.run(_prepare(workdir))
    t0 = time.perf_counter()
    one = asyncio.run(_comment(workdir, dossier, 0, single))
    elapsed = time.perf_counter() - t0
    results = [Result("SQLite durable appends/s, one writer", single / elapsed, "appends/s",
                      500, details={f"{k} ms": round(v, 3)
                                    for k, v in latency_ms(one["samples"]).items()})]
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(writers)
        with ProcessPoolExecutor(writers, mp_context=context) as pool:
            futures = [pool.submit(_worker, (str(workdir), dossier, w + 1, each), barrier)
                       for w in range(writers)]
            t0 = time.time()
            done = [f.result(timeout=600) for f in futures]
    samples = [s for d in done for s in d["samples"]]
    wall = max(d["ended"] for d in done) - min(d["began"] for d in done)  # barrier to last one
    retries = sum(d["retries"] for d in done)
    results.append(Result(
        f"SQLite durable appends/s, {writers} concurrent writers on one dossier",
        len(samples) / wall, "appends/s", 500,
        details={"appends": len(samples), "conflicts retried": retries,
                 "wall s": round(wall, 2),
                 **{f"{k} ms": round(v, 3) for k, v in latency_ms(samples).items()},
                 "wall incl. start-up s": round(time.time() - t0, 2)}))
    return results
