"""Run every benchmark, print the figures and write BENCHMARKS.md.

    python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import (  # noqa: E402
    audit_verify,
    bot,
    cold_start,
    docx_refresh,
    engine,
    front_door,
    graph,
    sdks,
    sqlite_appends,
)
from benchmarks.stats import Result, machine  # noqa: E402


def _report(results: list[Result], quick: bool) -> str:
    info = machine()
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python benchmarks/run.py`); do not edit by hand.",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        + (" (quick run, smaller sizes)" if quick else "") + ".",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; "
        f"Python {info['python']}; {info['platform']}.",
        "",
        "| benchmark | result | target | ratio | met |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        sign = ">=" if r.higher_is_better else "<="
        lines.append(f"| {r.name} | {r.value:,.3f} {r.unit} | {sign} {r.target:,} {r.unit} | "
                     f"{r.ratio:.2f}x | {'yes' if r.met else 'NO'} |")
    lines += ["", "## Details", ""]
    for r in results:
        details = ", ".join(f"{k}: {v}" for k, v in r.details.items())
        lines.append(f"- **{r.name}**: {details}")
    lines += ["", "Ratios above 1 meet the target. Latencies are per command, percentiles by "
              "nearest rank.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    work = ROOT / ".bench"
    results: list[Result] = []
    for name, step in (
        ("engine", lambda: [engine.run(200 if args.quick else 2000)]),
        ("sqlite", lambda: sqlite_appends.run(work / "sqlite", single=200 if args.quick else 2000,
                                              each=25 if args.quick else 250)),
        ("audit", lambda: [audit_verify.run(work, *((100, 100) if args.quick else (1000, 1000)))]),
        ("cold start", lambda: [cold_start.run(5 if args.quick else 15)]),
        ("bot", lambda: bot.run(work, *((500, 200, 50) if args.quick else (10_000, 1000, 100)))),
        ("bot SDKs", lambda: sdks.run(work, *((300, 150, 30) if args.quick else (2000, 500, 50)))),
        ("microsoft 365", lambda: graph.run(work / "graph")),
        ("front door", lambda: front_door.run(work / "front_door",
                                              rounds=200 if args.quick else 2000)),
        ("word documents", lambda: docx_refresh.run(
            work, refreshes=100 if args.quick else 500)),
    ):
        print(f"== {name}", flush=True)
        for result in step():
            print(f"{result.name}: {result.value:,.3f} {result.unit} "
                  f"(target {result.target:,}, ratio {result.ratio:.2f}x) {result.details}",
                  flush=True)
            results.append(result)
    Path(args.output).write_text(_report(results, args.quick), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0 if all(r.met for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
