"""``paraaf serve --playground``: the Agents Playground in front of the local bot (demo only).

The Playground listens on every network interface, so it only ever runs in local mode, for
the demo and the tests; it is not part of a deployment.
"""

from __future__ import annotations

import asyncio
import sys

from bot.local_guard import playground_origins
from bot.settings import Settings, SettingsError


async def run_playground(settings: Settings, origins: set[str] | None = None) -> None:
    """Install (once) and run the Playground until it stops or the server is interrupted.

    Its web page's origin is added to ``origins``, the only ones local mode answers."""
    from cards.strings import cli_strings

    c = cli_strings("en" if settings.language == "en" else "nl")
    if settings.mode != "local":
        raise SettingsError(c.pg_local_only)
    from playground import config, runtime

    tool = runtime.missing_tool_name()
    if tool:
        raise SettingsError(c.pg_missing_tool.format(tool=tool))
    if not runtime.installed_matches_lock():
        print(c.pg_installing, flush=True)
    await asyncio.to_thread(runtime.ensure_installed)
    directory = config.read_directory(settings.directory_file)
    playground_config = config.build_config(directory, list(config.COLLEGEVOORSTEL_CAST))
    me = playground_config["currentUser"]
    endpoint = f"http://127.0.0.1:{settings.port}/api/messages"
    workdir = settings.data_dir / "playground"
    process, port = await runtime.launch(endpoint, config.dump(playground_config), workdir)
    if origins is not None:
        origins |= playground_origins(port)
    print(c.pg_open.format(url=f"http://localhost:{port}", name=me["name"],
                           upn=me["userPrincipleName"]), flush=True)
    try:
        assert process.stdout is not None
        async for line in process.stdout:  # anything Node itself prints (crashes)
            sys.stdout.write(line.decode("utf-8", "replace"))
        print(c.pg_stopped.format(log=workdir / runtime.LOG_NAME), flush=True)
    finally:
        await runtime.stop(process)
