"""The container image (infra/Dockerfile): what the Helm chart and the Bicep rely on, read
from the Dockerfile always, and the image built and started wherever a Docker daemon answers.

Where no Docker daemon answers (as on the machine these tests were written on), the build
test is skipped and says so: the image has then not been built by this test run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
import uuid
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "infra" / "Dockerfile").read_text("utf-8")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def test_the_image_is_what_the_chart_expects() -> None:
    values = yaml.safe_load((ROOT / "infra/helm/paraaf/values.yaml").read_text("utf-8"))
    user = re.search(r"^USER (\d+):(\d+)$", DOCKERFILE, re.M)
    assert user is not None
    assert (int(user[1]), int(user[2])) == (values["podSecurityContext"]["runAsUser"],
                                           values["podSecurityContext"]["runAsGroup"])
    assert re.search(r"^EXPOSE 3978$", DOCKERFILE, re.M)
    assert "PARAAF_DATA=/home/paraaf/data" in DOCKERFILE
    # no entry point: the chart's `command` runs serve, demo and tick with the same image
    assert not re.search(r"^ENTRYPOINT", DOCKERFILE, re.M)
    assert re.search(r'^CMD \["paraaf", "serve"\]$', DOCKERFILE, re.M)


def test_every_copy_of_the_image_carries_the_licence() -> None:
    copied = " ".join(re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE, re.M)).split()
    assert "LICENSE" in copied  # into the wheel's metadata (License-File)
    assert 'org.opencontainers.image.licenses="EUPL-1.2"' in DOCKERFILE


def test_the_image_copies_every_package_paraaf_installs() -> None:
    """pip installs only what was copied: a package left out is missing at run time."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    included = project["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {name.rstrip("*") for name in included}
    copied = set(re.findall(r"^COPY (\w+) \./\1$", DOCKERFILE, re.M))
    # the Agents Playground runner is for the local demo only (`serve --playground`)
    assert copied == packages - {"playground"}
    assert "word" in copied


def _docker_problem() -> str | None:
    if shutil.which("docker") is None:
        return "the docker command is not installed"
    try:
        info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "docker info did not answer within 20 s"
    if info.returncode != 0:
        return "no Docker daemon answers (docker info: " + (
            info.stderr.strip().splitlines() or ["failed"])[-1][:160] + ")"
    return None


@pytest.mark.slow
def test_the_image_builds_and_runs_read_only_as_its_user() -> None:
    problem = _docker_problem()
    if problem is not None:
        pytest.skip(f"the image was not built: {problem}")
    tag = f"paraaf-test:{uuid.uuid4().hex[:12]}"
    build = subprocess.run(["docker", "build", "-f", "infra/Dockerfile", "-t", tag, "."],
                           cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert build.returncode == 0, build.stderr[-3000:]
    try:
        run = subprocess.run(
            ["docker", "run", "--rm", "--read-only", "--tmpfs", "/tmp",
             "--tmpfs", "/home/paraaf/data:uid=10001,gid=10001", "--cap-drop", "ALL",
             "--security-opt", "no-new-privileges",
             "-e", "PARAAF_APP_ID=00000000-0000-0000-0000-000000000001",
             "-e", "PARAAF_APP_PASSWORD=not-a-real-secret", tag, "sh", "-c",
             "id -u && paraaf --version && paraaf demo --no-samples --json >/dev/null "
             "&& paraaf tick --json >/dev/null && echo ok"],
            capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]
        assert run.stdout.split() == ["10001", "paraaf", VERSION, "ok"]
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)
