"""Percentiles, floors and the shared result shape of the benchmarks.

A figure that depends on how fast (or how busy) the machine is, is judged against a *floor*:
the least work that does the same job, measured in the same run on the same machine, right
before, after or between the measured rounds. The ratio figure / floor is what is judged; the
absolute figure stays in the details, and an absolute target an issue gave is still shown
(``judged=False``) but does not fail the run.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
from dataclasses import dataclass, field


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[rank]


def latency_ms(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 and mean, in milliseconds, of samples in seconds."""
    return {
        "p50": percentile(samples, 50) * 1000,
        "p95": percentile(samples, 95) * 1000,
        "p99": percentile(samples, 99) * 1000,
        "mean": statistics.fmean(samples) * 1000,
    }


@dataclass
class Result:
    """One measured quantity against its target (higher_is_better decides the ratio)."""

    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool = True
    details: dict[str, float | int | str] = field(default_factory=dict)
    judged: bool = True
    """False for an absolute target on a machine-dependent figure: shown, not judged (its
    ratio to the floor measured in the same run is judged in a row of its own)."""

    @property
    def ratio(self) -> float:
        """How far past the target: > 1 means the target is met."""
        if self.higher_is_better:
            return self.value / self.target
        return self.target / self.value if self.value else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio >= 1

    @property
    def verdict(self) -> str:
        """"yes" or "NO"; for a row that is shown but not judged, what it would be."""
        if self.judged:
            return "yes" if self.met else "NO"
        return "yes (shown)" if self.met else "no (shown, not judged)"


def passed(results: list[Result]) -> bool:
    """Whether every judged result meets its target."""
    return all(r.met for r in results if r.judged)


def times_floor(measured: float, floor: float) -> float:
    """How many times the floor's cost the measured cost is (both in the same unit, e.g.
    seconds per item; lower is better). A floor of zero cannot be compared: infinite."""
    if floor <= 0:
        return float("inf")
    return measured / floor


def versus_floor(name: str, measured: float, floor: float, target: float,
                 details: dict[str, float | int | str] | None = None) -> Result:
    """A cost (seconds, ms, seconds per item, ...) judged as a multiple of its floor: met
    when ``measured / floor <= target``."""
    return Result(name, times_floor(measured, floor), "x floor", target,
                  higher_is_better=False, details=dict(details or {}))


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            kib = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
            memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
