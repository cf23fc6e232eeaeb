"""Runs the offline manifest validator (``validator/validate.js``) on an app package.

``python -m manifest.validate paraaf-teams-app.zip`` prints the validator's report and exits
with its code (0 valid, 1 errors, 2 unreadable input). ``npm ci`` runs in ``validator/`` once,
when its node_modules is missing (it needs the npm registry that one time).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

VALIDATOR = Path(__file__).resolve().parent / "validator"
SCRIPT = VALIDATOR / "validate.js"
MARKER = VALIDATOR / "node_modules" / "@microsoft" / "app-manifest" / "package.json"


def missing_tool() -> str | None:
    """Why the validator cannot run here (node or npm missing), or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed; the Teams manifest validator needs Node.js"
    return None


def install(timeout: float = 600) -> None:
    """``npm ci`` from the lock file, when node_modules is not there yet."""
    if MARKER.exists():
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"], cwd=VALIDATOR, check=False, timeout=timeout,
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm ci failed in {VALIDATOR} ({done.returncode}): "
                           f"{done.stderr[-4000:]}")


def validate_folder(folder: Path, timeout: float = 120) -> tuple[int, dict[str, Any]]:
    """The validator's exit code and report for an unzipped package (or a manifest.json)."""
    done = subprocess.run(
        ["node", str(SCRIPT), str(folder)], cwd=VALIDATOR, capture_output=True, text=True,
        timeout=timeout, check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"validate.js failed ({done.returncode}): {done.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return done.returncode, report


def validate_package(package: bytes | Path) -> tuple[int, dict[str, Any]]:
    """Unzip an app package into a temporary folder and validate it."""
    data = package.read_bytes() if isinstance(package, Path) else package
    with tempfile.TemporaryDirectory(prefix="paraaf-manifest-") as tmp, \
            zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if "/" in name or "\\" in name or name.startswith("."):
                raise ValueError(f"{name!r}: an app package keeps its files at the root")
        archive.extractall(tmp)
        return validate_folder(Path(tmp))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m manifest.validate PACKAGE.zip", file=sys.stderr)
        sys.exit(2)
    install()
    code, result = validate_package(Path(sys.argv[1]))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    sys.exit(code)
