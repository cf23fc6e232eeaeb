"""Installing and launching the Agents Playground (shared by the demo and the test harness).

The package is pinned in ``playground/package.json`` and ``package-lock.json``; ``npm ci``
installs it into ``playground/node_modules`` (git-ignored). It is one self-contained package
(its server and web client are bundled), so the install is small and quick.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
LOCK_FILE = HERE / "package-lock.json"
CLI = NODE_MODULES / "@microsoft" / "m365agentsplayground" / "cli.js"

CONFIG_NAME = ".m365agentsplayground.yml"
LOG_NAME = "playground.log"
DEFAULT_PORT = 56150
# environment variables the Playground reads besides its command line
IGNORED_ENV_PREFIXES = ("M365_AGENTS_PLAYGROUND_", "TEAMSAPPTESTER_", "TEAMS_APP_TEST_")
IGNORED_ENV = frozenset({"AUTH_CLIENT_ID", "AUTH_CLIENT_SECRET", "AUTH_TENANT_ID", "BOT_ENDPOINT",
                         "DEFAULT_CHANNEL_ID", "SEND_INSTALLATION_ACTIVITY"})
# npm's messages when the registry cannot be reached at all (as opposed to a broken lock file)
OFFLINE_MARKERS = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET",
                   "ENETUNREACH", "network request")


class InstallError(RuntimeError):
    """``npm ci`` failed; ``offline`` when the registry could not be reached."""

    def __init__(self, message: str, offline: bool) -> None:
        super().__init__(message)
        self.offline = offline


def missing_tool_name() -> str | None:
    """The tool the Playground needs that is not installed here (node or npm), or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return tool
    return None


def missing_tool() -> str | None:
    """Why the Playground cannot run here (Node.js or npm missing), in English, or None."""
    tool = missing_tool_name()
    if tool is None:
        return None
    return f"`{tool}` is not installed; the Agents Playground needs Node.js 18 or newer"


def installed_matches_lock() -> bool:
    """Whether every package of the lock file is installed at its locked version."""
    try:
        packages = json.loads(LOCK_FILE.read_text(encoding="utf-8"))["packages"]
        for path, entry in packages.items():
            if not path:  # the root project itself
                continue
            installed = json.loads((HERE / path / "package.json").read_text(encoding="utf-8"))
            if installed.get("version") != entry.get("version"):
                return False
    except (OSError, ValueError, KeyError):
        return False
    return CLI.is_file()


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """One ``npm ci`` at a time on this machine (parallel test workers share the folder)."""
    name = f"paraaf-playground-npm-{hashlib.sha256(bytes(HERE)).hexdigest()[:12]}.lock"
    with open(Path(tempfile.gettempdir()) / name, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_installed(timeout: float = 600) -> float | None:
    """``npm ci`` unless node_modules already matches the lock; returns its seconds, or None."""
    if installed_matches_lock():
        return None
    with _install_lock():
        if installed_matches_lock():
            return None
        started = time.monotonic()
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE,
            capture_output=True, text=True, timeout=timeout, check=False,
        )
        if done.returncode != 0 or not installed_matches_lock():
            output = (done.stderr + done.stdout)[-3000:]
            offline = any(marker in output for marker in OFFLINE_MARKERS)
            raise InstallError(f"npm ci failed in {HERE} ({done.returncode}): {output}", offline)
        return time.monotonic() - started


def command(endpoint: str, port: int = DEFAULT_PORT) -> list[str]:
    """The Playground's command line: Teams channel, bound to the bot's endpoint, no telemetry.

    ``port`` 0 lets it pick a free port; a busy port makes it pick another one too. Either way
    the real port is the ``Listening on N`` line on its stdout."""
    return ["node", str(CLI), "--app-endpoint", endpoint, "--channel-id", "msteams",
            "--port", str(port), "--disable-telemetry"]


def environment(config_path: Path, log_path: Path,
                base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The Playground's environment: our config, its log file in our folder, no browser.

    Settings the Playground would read from the caller's environment (port, service URL,
    conversation id, recording, channel, and ``AUTH_CLIENT_ID``/``AUTH_CLIENT_SECRET``, which
    would make it fetch real tokens) are dropped so that only the command line counts.
    """
    env = {
        key: value for key, value in (os.environ if base is None else base).items()
        if not key.startswith(IGNORED_ENV_PREFIXES) and key not in IGNORED_ENV
    }
    no_proxy = ",".join(filter(None, [env.get("NO_PROXY", ""), "127.0.0.1,localhost,::1"]))
    env.update({
        "TEAMSAPPTESTER_BROWSER": "none",  # print the URL; never open a browser
        "M365_AGENTS_PLAYGROUND_CONFIG_PATH": str(config_path),
        "M365_AGENTS_PLAYGROUND_LOGFILE": str(log_path),  # else ./devTools/ in the cwd
        "NO_PROXY": no_proxy,  # the Playground honours HTTP(S)_PROXY for the bot endpoint
        "no_proxy": no_proxy,
    })
    return env


def parse_listening(line: str) -> int | None:
    """The port from the Playground's ``Listening on N`` line."""
    words = line.strip().split()
    if len(words) == 3 and words[:2] == ["Listening", "on"] and words[2].isdigit():
        return int(words[2])
    return None


def log_tail(log_path: Path, limit: int = 4000) -> str:
    """The end of the Playground's own log file (its console goes there when not on a TTY)."""
    try:
        return log_path.read_text(encoding="utf-8", errors="replace")[-limit:]
    except OSError:
        return "(no Playground log)"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the Playground gets SIGTERM if the process that started it dies without
    stopping it (a killed test run must not leave a server bound to every interface)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


async def launch(endpoint: str, config_text: str, workdir: Path, port: int = DEFAULT_PORT,
                 timeout: float = 30.0) -> tuple[asyncio.subprocess.Process, int]:
    """Write the config into ``workdir`` and start the Playground in its own process group.

    Returns the process and the port it listens on, read from its ``Listening on N`` line.
    That line comes before the config is checked: a bad config makes the process exit right
    after it (the reason is in ``workdir/playground.log``)."""
    workdir = workdir.resolve()  # the Playground runs in it: relative paths would move
    workdir.mkdir(parents=True, exist_ok=True)
    config_path, log_path = workdir / CONFIG_NAME, workdir / LOG_NAME
    config_path.write_text(config_text, encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        *command(endpoint, port), cwd=workdir, env=environment(config_path, log_path),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no 'Listening on' line from the Playground in {timeout}s")
            line = (await asyncio.wait_for(process.stdout.readline(), remaining)).decode(
                "utf-8", "replace")
            if not line:
                raise RuntimeError(f"the Playground exited ({await process.wait()}) before "
                                   f"listening: {''.join(seen)[-2000:]}\n{log_tail(log_path)}")
            seen.append(line)
            found = parse_listening(line)
            if found is not None:
                return process, found
    except BaseException:
        await stop(process)
        raise


async def stop(process: asyncio.subprocess.Process, grace: float = 5.0) -> None:
    """SIGTERM to the Playground's process group, SIGKILL after ``grace`` seconds; reaped."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.returncode is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), grace)
    if process.returncode is None:  # pragma: no cover - SIGKILL cannot be refused
        await process.wait()
