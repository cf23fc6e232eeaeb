"""Run the Graph test server by hand:

    python -m tests.support.graph_server --port 8765 --seed-directory local/demo/directory.yaml

Point msgraph-sdk at the printed base URL (`client.request_adapter.base_url = ...`); any
non-empty bearer token is accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from tests.support.graph_server.server import DEFAULT_HOST, GraphServer


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.support.graph_server",
                                     description="Local Microsoft Graph test server")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    parser.add_argument("--seed", default="0", help="seed for ids and random faults")
    parser.add_argument("--seed-directory", help="directory YAML (users, managers, groups)")
    parser.add_argument("--hostname", default=DEFAULT_HOST, help="SharePoint host name")
    parser.add_argument("--site", action="append", dest="sites",
                        help="server-relative site path (repeatable; default /sites/paraaf)")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds added to every request")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    server = GraphServer(seed=args.seed, directory=args.seed_directory, hostname=args.hostname,
                         sites=tuple(args.sites or ["/sites/paraaf"]), host=args.host,
                         port=args.port)
    async with server:
        server.faults.latency = args.latency
        print(f"Graph test server at {server.base_url}", flush=True)
        for site in server.sites:
            print(f"  site {site.web_url}  id {site.id}", flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parse(argv)))


if __name__ == "__main__":
    main()
