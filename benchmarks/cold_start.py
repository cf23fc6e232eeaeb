"""Cold start of `paraaf --help` (a fresh interpreter each time)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.stats import Result, percentile

PARAAF = Path(sys.executable).parent / "paraaf"


def run(repeats: int = 15) -> Result:
    samples = []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        subprocess.run([str(PARAAF), "--help"], check=True, capture_output=True)
        samples.append(time.perf_counter() - t0)
    samples = samples[1:]  # the first run warms the file cache
    return Result("cold start of `paraaf --help`", percentile(samples, 50), "s", 0.4,
                  higher_is_better=False,
                  details={"p95 s": round(percentile(samples, 95), 3),
                           "min s": round(min(samples), 3), "runs": repeats})
