"""Runs the official Adaptive Cards renderer (npm ``adaptivecards`` under jsdom) on cards.

``render.js`` in this folder parses, validates and renders a JSON array of cards in one Node
process; :func:`install` runs ``npm ci`` here when ``node_modules`` is missing or older than
the lock file. :func:`high_contrast_host_config` derives the host config of Teams'
high-contrast theme from Fluent UI's tokens (``teams_high_contrast.js``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "render.js"
MARKER = HERE / "node_modules" / ".package-lock.json"  # written by npm ci
LOCK = HERE / "package-lock.json"


def missing_tool() -> str | None:
    """Why the renderer cannot run here (npm or node missing), or None."""
    for tool in ("npm", "node"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed; the Adaptive Cards renderer check needs Node.js"
    return None


def install(timeout: float = 600) -> None:
    """``npm ci`` from package-lock.json, when node_modules is missing or older than it."""
    if MARKER.exists() and MARKER.stat().st_mtime >= LOCK.stat().st_mtime:
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=False, timeout=timeout,
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm ci failed in {HERE} ({done.returncode}): {done.stderr[-4000:]}")


def render(cards: Sequence[Mapping[str, Any]], timeout: float = 300) -> list[dict[str, Any]]:
    """One result per card: parse/validation events, render error, Execute actions, links."""
    done = subprocess.run(
        ["node", str(SCRIPT)], cwd=HERE, input=json.dumps(list(cards)), capture_output=True,
        text=True, timeout=timeout, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"render.js failed ({done.returncode}): {done.stderr[-4000:]}")
    results: list[dict[str, Any]] = json.loads(done.stdout)
    if len(results) != len(cards):
        raise RuntimeError(f"render.js answered {len(results)} results for {len(cards)} cards")
    return results


def high_contrast_host_config(timeout: float = 60) -> dict[str, Any]:
    """The host config ``teams_high_contrast.js`` derives from Fluent UI's Teams
    high-contrast theme (needs :func:`install` first)."""
    done = subprocess.run(["node", str(HERE / "teams_high_contrast.js")], cwd=HERE, check=True,
                          timeout=timeout, capture_output=True, text=True)
    config: dict[str, Any] = json.loads(done.stdout)
    return config
