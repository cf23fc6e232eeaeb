"""``python -m playground``: the Agents Playground in front of the local bot, for the demo.

Installs the pinned package with ``npm ci`` when ``playground/node_modules`` does not match the
lock file, writes the config for six demo users (the first is the one you are in the browser),
starts the Playground bound to the bot's endpoint with telemetry off and no browser, prints the
URL to open, and runs until Ctrl-C (or SIGTERM), then stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import tempfile
from pathlib import Path

from cards.strings import CliStrings, cli_strings
from playground import config, runtime

DEFAULT_ENDPOINT = "http://127.0.0.1:3978/api/messages"


def _words() -> CliStrings:
    """The command line's words in PARAAF_LANGUAGE (Dutch unless it asks for English)."""
    english = os.environ.get("PARAAF_LANGUAGE", "").strip().lower() == "en"
    return cli_strings("en" if english else "nl")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m playground",
        description="Start the Agents Playground (a local Teams stand-in) in front of the bot.")
    parser.add_argument("--endpoint", default=DEFAULT_ENDPOINT,
                        help=f"the bot's messaging endpoint (default {DEFAULT_ENDPOINT})")
    parser.add_argument("--port", type=int, default=runtime.DEFAULT_PORT,
                        help="port to serve the Playground on; a busy one makes it pick another "
                             f"(default {runtime.DEFAULT_PORT})")
    parser.add_argument("--users", default=",".join(config.COLLEGEVOORSTEL_CAST),
                        help="six directory users, comma-separated; the first is you "
                             "(default: the collegevoorstel cast)")
    parser.add_argument("--directory", type=Path, default=config.DEMO_DIRECTORY,
                        help="the demo directory file")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "paraaf-playground",
                        help="where the config and the Playground's log go")
    return parser


async def _serve(endpoint: str, text: str, workdir: Path, port: int, me: str) -> int:
    process, port = await runtime.launch(endpoint, text, workdir, port)
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    c = _words()
    print(c.pg_serving.format(url=f"http://localhost:{port}", me=me, endpoint=endpoint,
                              log=workdir / runtime.LOG_NAME), flush=True)
    try:
        assert process.stdout is not None
        async for line in process.stdout:  # anything Node itself prints (crashes)
            sys.stdout.write(line.decode("utf-8", "replace"))
        code = await process.wait()
        print(c.pg_exited.format(code=code, log=workdir / runtime.LOG_NAME), file=sys.stderr)
        return code or 1
    finally:
        await runtime.stop(process)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    c = _words()
    tool = runtime.missing_tool_name()
    if tool:
        print(c.pg_missing_tool.format(tool=tool), file=sys.stderr)
        return 2
    try:
        cast = [who.strip() for who in args.users.split(",") if who.strip()]
        settings = config.build_config(config.read_directory(args.directory), cast)
    except (OSError, ValueError) as error:
        print(c.pg_config_error.format(error=error), file=sys.stderr)
        return 2
    if not runtime.installed_matches_lock():
        print(c.pg_installing, flush=True)
    try:
        runtime.ensure_installed()
    except runtime.InstallError as error:
        print(error, file=sys.stderr)
        return 1
    me = f"{settings['currentUser']['name']} <{settings['currentUser']['userPrincipleName']}>"
    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
        return asyncio.run(_serve(args.endpoint, config.dump(settings), args.workdir,
                                  args.port, me))
    return 0


if __name__ == "__main__":
    sys.exit(main())
