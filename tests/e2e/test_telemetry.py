"""Telemetry of a running server: OTLP to a collector stand-in, /metrics, and the JSON logs.

The collector stand-in is a small OTLP/HTTP receiver on 127.0.0.1 that decodes what the
exporter sends with opentelemetry-proto; ``paraaf serve`` runs as a real process pointed at
it, and card actions reach it over the bot's HTTP endpoint.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import KeyValue

from tests.e2e.bot_http import BotClient, activity, bot_server, copy_demo
from tests.e2e.connector import Connector
from tests.e2e.server_process import ROOT, free_port

FINANCE = "f.meijer@voorbeeldstad.nl"
INITIATOR = "t.dejong@voorbeeldstad.nl"
ADVICE = {"dossier_id": "DEMO-1", "stage_id": "financieel_advies", "round": 1, "version": 5,
          "advice": "positief", "text": "Dekking is toereikend"}


def _attributes(pairs: Any) -> dict[str, Any]:
    def value(kv: KeyValue) -> Any:
        v = kv.value
        which = v.WhichOneof("value")
        return getattr(v, which) if which else None

    return {kv.key: value(kv) for kv in pairs}


@dataclass
class Span:
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    attributes: dict[str, Any]
    resource: dict[str, Any]


@dataclass
class Point:
    metric: str
    attributes: dict[str, Any]
    value: float  # a sum's or gauge's value, a histogram's count


@dataclass
class Collector:
    """An OTLP/HTTP receiver (protobuf) that keeps every span and data point it is sent."""

    spans: list[Span] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    runner: web.AppRunner | None = None
    url: str = ""

    @staticmethod
    async def _body(request: web.Request) -> bytes:
        raw = await request.read()
        return gzip.decompress(raw) if request.headers.get("Content-Encoding") == "gzip" else raw

    async def _traces(self, request: web.Request) -> web.Response:
        assert request.content_type == "application/x-protobuf"
        message = ExportTraceServiceRequest.FromString(await self._body(request))
        for resource_spans in message.resource_spans:
            resource = _attributes(resource_spans.resource.attributes)
            for scope in resource_spans.scope_spans:
                for s in scope.spans:
                    self.spans.append(Span(s.name, s.trace_id.hex(), s.span_id.hex(),
                                           s.parent_span_id.hex(), _attributes(s.attributes),
                                           resource))
        return web.Response(body=ExportTraceServiceResponse().SerializeToString(),
                            content_type="application/x-protobuf")

    async def _metrics(self, request: web.Request) -> web.Response:
        assert request.content_type == "application/x-protobuf"
        message = ExportMetricsServiceRequest.FromString(await self._body(request))
        for resource_metrics in message.resource_metrics:
            for scope in resource_metrics.scope_metrics:
                for m in scope.metrics:
                    data = m.WhichOneof("data")
                    for p in getattr(m, data).data_points:
                        if data == "histogram":
                            value = float(p.count)
                        else:
                            value = float(p.as_int if p.WhichOneof("value") == "as_int"
                                          else p.as_double)
                        self.points.append(Point(m.name, _attributes(p.attributes), value))
        return web.Response(body=ExportMetricsServiceResponse().SerializeToString(),
                            content_type="application/x-protobuf")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/traces", self._traces)
        app.router.add_post("/v1/metrics", self._metrics)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def named(self, name: str) -> list[Span]:
        return [s for s in self.spans if s.name == name]

    def latest(self, metric: str, **attributes: str) -> float | None:
        """The last value exported for ``metric`` with these attributes (cumulative)."""
        found = [p.value for p in self.points if p.metric == metric
                 and all(p.attributes.get(k) == v for k, v in attributes.items())]
        return found[-1] if found else None


async def _until(check: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen in time: {what}")
        await asyncio.sleep(0.1)


@pytest.fixture
async def collector() -> AsyncIterator[Collector]:
    stand_in = Collector()
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def connector() -> AsyncIterator[Connector]:
    stand_in = Connector()
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


@dataclass
class Served:
    base: str
    log: Path
    session: aiohttp.ClientSession

    async def post(self, body: dict[str, Any], headers: dict[str, str] | None = None,
                   ) -> dict[str, Any]:
        async with self.session.post(f"{self.base}/api/messages", json=body,
                                     headers=headers or {}) as response:
            assert response.status == 200, await response.text()
            payload: dict[str, Any] = await response.json()
            return payload

    def log_lines(self) -> list[dict[str, Any]]:
        lines = self.log.read_text("utf-8").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


@pytest.fixture
async def served(demo_template: Path, tmp_path: Path, collector: Collector,
                 ) -> AsyncIterator[Served]:
    """``paraaf serve`` on a copy of the demo data: OTLP to the collector stand-in (exported
    every few hundred milliseconds), /metrics on, JSON logs to a file."""
    data = copy_demo(demo_template, tmp_path / "data")
    port = free_port()
    env = {**os.environ, "PARAAF_DATA": str(data), "PARAAF_PORT": str(port),
           "PARAAF_DELIVERY": "on", "PARAAF_LANGUAGE": "nl", "PARAAF_LOG_LEVEL": "info",
           "PARAAF_LOG_FORMAT": "json", "PARAAF_METRICS": "on",
           "PARAAF_OTLP_ENDPOINT": collector.url,
           "OTEL_BSP_SCHEDULE_DELAY": "100", "OTEL_METRIC_EXPORT_INTERVAL": "300"}
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve"], cwd=ROOT,
                                   env=env, stdout=subprocess.DEVNULL, stderr=stderr,
                                   start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            async def ready() -> bool:
                try:
                    async with session.get(f"{base}/readyz") as response:
                        return response.status == 200
                except aiohttp.ClientError:
                    return False

            deadline = time.monotonic() + 30
            while not await ready():
                assert process.poll() is None, log.read_text("utf-8")[-2000:]
                assert time.monotonic() < deadline, "the server did not start"
                await asyncio.sleep(0.1)
            yield Served(base, log, session)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def test_spans_metrics_and_logs_of_card_actions_reach_the_collector(
    served: Served, collector: Collector, connector: Connector,
) -> None:
    # a refused click (not her turn), then the advice that is recorded, in a trace of the caller
    refused = activity(INITIATOR, verb="advise", data=ADVICE, service_url=connector.url)
    await served.post(refused)
    trace_id, parent_id = secrets.token_hex(16), secrets.token_hex(8)
    advice = activity(FINANCE, verb="advise", data=ADVICE, service_url=connector.url)
    await served.post(advice, {"traceparent": f"00-{trace_id}-{parent_id}-01"})

    def commands() -> dict[str, Span]:
        return {s.attributes.get("paraaf.command.result", ""): s
                for s in collector.named("paraaf.command")}

    await _until(lambda: {"refused", "recorded"} <= set(commands()), "both command spans")
    await _until(lambda: len(collector.named("paraaf.turn")) >= 2, "both turn spans")
    turns = {s.attributes["paraaf.activity_id"]: s for s in collector.named("paraaf.turn")}

    # the turn of the traced request continues the caller's trace, named by its activity
    turn = turns[advice["id"]]
    assert (turn.trace_id, turn.parent_span_id) == (trace_id, parent_id)
    assert turn.attributes["paraaf.dossier_id"] == "DEMO-1"
    assert turn.attributes["paraaf.card.verb"] == "advise"
    assert turn.resource["service.name"] == "paraaf"
    recorded = commands()["recorded"]
    assert (recorded.trace_id, recorded.parent_span_id) == (trace_id, turn.span_id)
    assert recorded.attributes["paraaf.command.kind"] == "advise"
    assert recorded.attributes["paraaf.dossier_id"] == "DEMO-1"
    append = [s for s in collector.named("paraaf.store.append")
              if s.parent_span_id == recorded.span_id]
    assert append and append[0].attributes["paraaf.dossier_id"] == "DEMO-1"

    # the refused click: its own trace, its reason on the command span
    first = turns[refused["id"]]
    assert first.trace_id != trace_id and first.parent_span_id == ""
    refusal = commands()["refused"]
    assert refusal.trace_id == first.trace_id
    assert refusal.attributes["paraaf.refusal.reason"] == "not_your_turn"

    # the advice's notifications are delivered, each in a span of its own
    await _until(lambda: any(s.attributes.get("paraaf.dossier_id") == "DEMO-1"
                             for s in collector.named("paraaf.outbox.deliver")),
                 "a delivery span")

    # the metrics: actions per kind, refusals per reason, card latency, deliveries
    await _until(lambda: collector.latest("paraaf.actions", kind="advise") == 1, "actions")
    await _until(lambda: collector.latest("paraaf.refusals", reason="not_your_turn") == 1,
                 "refusals")
    await _until(lambda: (collector.latest("paraaf.card.latency", verb="advise") or 0) >= 2,
                 "card latency of both clicks")
    await _until(lambda: (collector.latest("paraaf.outbox.deliveries", result="sent") or 0)
                 >= 1, "a delivery counted")
    assert collector.latest("paraaf.outbox.lag") is not None

    # /metrics says the same in the Prometheus text format
    async with served.session.get(f"{served.base}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    assert _sample(text, "paraaf_actions_total", kind="advise") == 1
    assert _sample(text, "paraaf_refusals_total", reason="not_your_turn") == 1
    assert _sample(text, "paraaf_card_latency_seconds_count", verb="advise") == 2

    # the JSON log lines of one turn share its activity id and its trace id
    await _until(lambda: len(_turn_lines(served, advice["id"])) >= 2, "the advice's log lines")
    lines = _turn_lines(served, advice["id"])
    assert {line["trace_id"] for line in lines} == {trace_id}
    assert {line["dossier_id"] for line in lines} == {"DEMO-1"}
    assert {line["traceparent"].split("-")[1] for line in lines} == {trace_id}
    assert {"command", "turn"} <= {line["message"] for line in lines}
    refused_lines = _turn_lines(served, refused["id"])
    assert len(refused_lines) >= 2
    assert {line["trace_id"] for line in refused_lines} == {first.trace_id}
    assert any(line.get("reason") == "not_your_turn" for line in refused_lines)


def _turn_lines(served: Served, activity_id: str) -> list[dict[str, Any]]:
    return [line for line in served.log_lines() if line.get("activity_id") == activity_id]


def _sample(text: str, name: str, **labels: str) -> float | None:
    """The value of the exposition's sample ``name`` that has these labels (among others)."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        inside = line[len(name) + 1:line.rindex("}")]
        found = dict(part.split("=", 1) for part in inside.split(",") if "=" in part)
        if all(found.get(k) == f'"{v}"' for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


async def test_metrics_is_not_served_by_default(client: BotClient) -> None:
    async with client.session.get(f"{client.base}/metrics") as response:
        assert response.status == 404


async def test_metrics_when_on_counts_actions_and_refusals(demo_template: Path,
                                                           tmp_path: Path) -> None:
    data = copy_demo(demo_template, tmp_path / "data")
    async with bot_server(data, {"PARAAF_METRICS": "on"}) as bot:
        async with bot.session.get(f"{bot.base}/metrics") as response:
            before = await response.text()
        assert response.status == 200
        assert _sample(before, "paraaf_actions_total", kind="advise") is None
        await bot.invoke(INITIATOR, "advise", ADVICE)  # not her turn
        await bot.invoke(FINANCE, "advise", ADVICE)
        await bot.invoke(FINANCE, "advise", ADVICE)  # the same click again: recorded once
        async with bot.session.get(f"{bot.base}/metrics") as response:
            text = await response.text()
    assert _sample(text, "paraaf_actions_total", kind="advise") == 1
    assert _sample(text, "paraaf_refusals_total", reason="not_your_turn", kind="advise") == 1
    assert _sample(text, "paraaf_card_latency_seconds_count", verb="advise") == 3
