"""A timestamp authority over HTTP (RFC 3161) for the demo CA: ``paraaf`` signs with it
in process; this serves the same authority on 127.0.0.1, so the HTTP client that production
uses (``PARAAF_TSA_URL``) is exercised too."""

from __future__ import annotations

from aiohttp import web
from asn1crypto import tsp

from signing.keys import demo_timestamper
from signing.pki import DemoPki

CONTENT_TYPE = "application/timestamp-reply"


def tsa_app(pki: DemoPki) -> web.Application:
    stamper = demo_timestamper(pki)

    async def stamp(request: web.Request) -> web.Response:
        if request.content_type != "application/timestamp-query":
            return web.Response(status=415, text="expected application/timestamp-query")
        body = await request.read()
        try:
            query = tsp.TimeStampReq.load(body)
            _ = query.native  # parse it all now: a malformed query is refused
        except ValueError:
            return web.Response(status=400, text="not a timestamp query")
        reply = await stamper.async_request_tsa_response(query)
        return web.Response(body=reply.dump(), content_type=CONTENT_TYPE)

    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/tsa", stamp)
    return app


async def serve_tsa(pki: DemoPki, host: str = "127.0.0.1", port: int = 0,
                    ) -> tuple[web.AppRunner, str]:
    """Start the authority; returns the runner (``await runner.cleanup()`` stops it) and its
    URL."""
    runner = web.AppRunner(tsa_app(pki))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = port
    for address in runner.addresses:  # the port the system chose when ``port`` is 0
        bound = int(address[1])
    return runner, f"http://{host}:{bound}/tsa"
