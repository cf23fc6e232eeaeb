"""Percentiles and the shared result shape of the benchmarks."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from dataclasses import dataclass, field


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
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

    @property
    def ratio(self) -> float:
        """How far past the target: > 1 means the target is met."""
        if self.higher_is_better:
            return self.value / self.target
        return self.target / self.value if self.value else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio >= 1


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
