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
    idle,
    sdks,
    sign_pdf,
    sqlite_appends,
    tab,
    tab_load,
)
from benchmarks.stats import Result, machine, passed  # noqa: E402

FLOORS = """\
Figures that depend on how fast or how busy the machine is are judged against a *floor*
measured in the same run on the same machine, interleaved with (or right before and after)
the measured rounds, so that a slower or busier machine slows both alike. The judged figure is
the ratio measured / floor (unit "x floor", lower is better; its target is the largest ratio
allowed); the absolute figure is in the details. Where an issue gave an absolute target for
such a figure, it is still shown, marked "shown", but does not fail the run.

- **audit verify**: the floor reads the same records from the same file in the same order
  (one plain `SELECT`) and computes plain `hashlib.sha256` over each record's canonical
  bytes: the least any verifier of the chain must do. Best of three interleaved rounds
  each; target 4x.
- **SQLite appends**: the floor is a bare SQLite insert loop, one row of an event's size per
  transaction, with the store's durability settings (`journal_mode=WAL`,
  `synchronous=FULL`) in the same folder, in rounds interleaved with the appends (targets:
  3x for one writer, 5x for 8 writers on one dossier).
- **invokes**: the floor is a bare bot (`benchmarks/bare_bot.py`: botbuilder's
  `CloudAdapter` behind paraaf's thin gateway, the same aiohttp timing middleware, no
  product logic, one durable SQLite commit per click) answering an already built card of
  paraaf's (the same size) to the same invoke over HTTP, from the same client, one click
  right before each click to paraaf, the same number at the same pace. Card action p95 is
  judged as paraaf's server time over the bare bot's (target 5x); commit-to-next-card p95
  as a ratio to the bare bot's round trip p95 (target 10x).
- **tab**: the API's operations on the embedded store with 32,000 dossiers and 640,000
  events (`benchmarks/tab.py`; built once, kept in the temp folder), server time in the
  process after the identity is known; the issue's absolute targets are shown, not judged.
- **tab first load**: `paraaf serve` on the local demo store, Debian chromium (Playwright)
  opening the werkvoorraad in a new context each time, from navigation start to the tasks
  listed with nothing loading (`benchmarks/tab_load.py`); shown, not judged. Left out, with a
  line saying so, where chromium or the built web app is missing. The JavaScript's gzipped size
  is judged against its budget.
- **Word document refresh**: the floor is the refresh of the same kind of dossier without
  documents, interleaved; judged on the HTTP refresh (what a person waits for), with the
  processor time of the in-process refresh beside it.
"""


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
                     f"{r.ratio:.2f}x | {r.verdict} |")
    lines += ["", FLOORS, "## Details", ""]
    for r in results:
        details = ", ".join(f"{k}: {v}" for k, v in r.details.items())
        lines.append(f"- **{r.name}**: {details}")
    lines += ["", "Ratios above 1 in the ratio column meet the target. Latencies are per "
              "command, percentiles by nearest rank.", ""]
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
        ("audit", lambda: audit_verify.run(work, *((100, 100) if args.quick else (1000, 1000)))),
        ("cold start", lambda: [cold_start.run(5 if args.quick else 15)]),
        ("bot", lambda: bot.run(work, *((500, 200, 50) if args.quick else (10_000, 1000, 100)))),
        ("bot SDKs", lambda: sdks.run(work, *((300, 150, 30) if args.quick else (2000, 500, 50)))),
        ("microsoft 365", lambda: graph.run(work / "graph")),
        ("idle instance", lambda: idle.run(30 if args.quick else 100)),
        ("front door", lambda: front_door.run(work / "front_door",
                                              rounds=200 if args.quick else 2000)),
        ("word documents", lambda: docx_refresh.run(
            work, refreshes=100 if args.quick else 500)),
        ("tab", lambda: tab.run(2000 if args.quick else tab.DOSSIERS,
                                rounds=50 if args.quick else 200)),
        ("tab first load", lambda: tab_load.run(3 if args.quick else 10)),
        ("ondertekenen", lambda: sign_pdf.run(5 if args.quick else 20)),
    ):
        print(f"== {name}", flush=True)
        for result in step():
            print(f"{result.name}: {result.value:,.3f} {result.unit} "
                  f"(target {result.target:,}, ratio {result.ratio:.2f}x) {result.details}",
                  flush=True)
            results.append(result)
    Path(args.output).write_text(_report(results, args.quick), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0 if passed(results) else 1


if __name__ == "__main__":
    sys.exit(main())
