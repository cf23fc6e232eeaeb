"""Runs the official Adaptive Cards renderer (npm ``adaptivecards`` under jsdom) on cards.

``render.js`` in this folder parses, validates and renders a JSON array of cards in one Node
process; :func:`install` runs ``npm ci`` here once when ``node_modules`` is missing.
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
MARKER = HERE / "node_modules" / "adaptivecards" / "package.json"


def missing_tool() -> str | None:
    """Why the renderer cannot run here (npm or node missing), or None."""
    for tool in ("npm", "node"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed; the Adaptive Cards renderer check needs Node.js"
    return None


def install(timeout: float = 600) -> None:
    """``npm ci`` from package-lock.json, when node_modules is not there yet."""
    if MARKER.exists():
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
