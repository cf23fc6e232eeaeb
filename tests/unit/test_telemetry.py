"""bot.telemetry: correlation ids, spans and metrics (in-memory exporters), and the settings."""

from __future__ import annotations

import ast
import io
import json
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from multidict import CIMultiDict
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from approvals import commands as c
from approvals.errors import NotYourTurn
from approvals.identity import Person
from approvals.ports import Notification, OutboxItem
from bot.logs import JsonFormatter
from bot.settings import Settings, SettingsError
from bot.telemetry import (
    Telemetry,
    TraceIds,
    about_dossier,
    command_kind,
    correlation,
    parse_traceparent,
)
from graph.client import GraphConfig, GraphConnection, connect
from tests.support.graph_server import GraphServer

ROOT = Path(__file__).resolve().parents[2]
TRACE, SPAN = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
ALICE = Person(oid="oid-a", upn="a@x.nl", name="A", tenant="t")


def invoke(activity_id: str = "act-1", dossier: str = "D-1") -> dict[str, Any]:
    return {"type": "invoke", "id": activity_id, "name": "adaptiveCard/action",
            "value": {"action": {"verb": "advise", "data": {"dossier_id": dossier}}}}


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """What the JSON formatter writes for the 'paraaf' loggers."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("paraaf")
    logger.addHandler(handler)
    level, logger.level = logger.level, logging.INFO
    yield out
    logger.removeHandler(handler)
    logger.setLevel(level)


def parsed(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


# --- the trace context ----------------------------------------------------------------------


def test_a_valid_traceparent_is_read() -> None:
    assert parse_traceparent(f"00-{TRACE}-{SPAN}-01") == TraceIds(TRACE, SPAN, True)
    assert parse_traceparent(f" 00-{TRACE.upper()}-{SPAN}-00 ") == TraceIds(TRACE, SPAN, False)
    assert TraceIds(TRACE, SPAN).traceparent == f"00-{TRACE}-{SPAN}-01"


@pytest.mark.parametrize("header", [
    "", "garbage", f"00-{TRACE}-{SPAN}", f"ff-{TRACE}-{SPAN}-01", f"00-{'0' * 32}-{SPAN}-01",
    f"00-{TRACE}-{'0' * 16}-01", f"00-{TRACE[:-1]}-{SPAN}-01", f"00-{TRACE}\n-{SPAN}-01",
    f"00-{TRACE}-{SPAN}-01-extra",
])
def test_an_invalid_traceparent_is_ignored(header: str) -> None:
    assert parse_traceparent(header) is None


def test_log_lines_of_a_turn_carry_its_activity_dossier_and_trace(lines: io.StringIO) -> None:
    telemetry = Telemetry()  # off: the ids are kept all the same
    log = logging.getLogger("paraaf.test")
    log.info("before")
    with telemetry.turn({"traceparent": f"00-{TRACE}-{SPAN}-01"}, invoke()):
        log.info("one")
        log.info("two", extra={"dossier_id": "given"})  # the call site's own field wins
    log.info("after")
    before, one, two, _turn, after = parsed(lines)
    assert "activity_id" not in before and "trace_id" not in after
    assert (one["activity_id"], one["dossier_id"], one["trace_id"]) == ("act-1", "D-1", TRACE)
    assert one["span_id"] != SPAN and len(one["span_id"]) == 16  # this turn's own span
    assert one["traceparent"] == f"00-{TRACE}-{one['span_id']}-01"
    assert two["dossier_id"] == "given" and two["trace_id"] == TRACE
    assert correlation() == {}


def test_a_turn_without_traceparent_starts_a_trace_of_its_own(lines: io.StringIO) -> None:
    telemetry = Telemetry()
    log = logging.getLogger("paraaf.test")
    for number in (1, 2):
        with telemetry.turn({"traceparent": "nonsense"}, invoke(f"act-{number}", "")):
            about_dossier("D-9")  # named later in the turn, e.g. by a start
            log.info("in the turn")
    first, _, second, _ = parsed(lines)
    assert first["trace_id"] != second["trace_id"]
    assert len(first["trace_id"]) == 32 and first["dossier_id"] == "D-9"


# --- spans and metrics ------------------------------------------------------------------------


@pytest.fixture
def traced() -> Iterator[tuple[Telemetry, InMemorySpanExporter, InMemoryMetricReader]]:
    spans, reader = InMemorySpanExporter(), InMemoryMetricReader()
    telemetry = Telemetry()
    telemetry.start(span_exporter=spans, metric_readers=[reader], prometheus=True)
    yield telemetry, spans, reader
    telemetry.shutdown()


def points(reader: InMemoryMetricReader, name: str) -> dict[tuple[tuple[str, Any], ...], Any]:
    data = reader.get_metrics_data()
    found: dict[tuple[tuple[str, Any], ...], Any] = {}
    for resource in data.resource_metrics if data else ():
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                if metric.name == name:
                    for point in metric.data.data_points:
                        key = tuple(sorted((point.attributes or {}).items()))
                        found[key] = getattr(point, "value", None) if hasattr(
                            point, "value") else point.count
    return found


def test_a_refused_command_is_a_span_and_a_count_by_reason(traced: Any) -> None:
    telemetry, spans, reader = traced
    act = c.Act(dossier_id="D-1", actor=ALICE, channel="card", command_id="x",
                stage_id="s", action=c.Action.INITIAL)
    with telemetry.turn({"traceparent": f"00-{TRACE}-{SPAN}-01"}, invoke()), \
            pytest.raises(NotYourTurn), telemetry.command(act):
        raise NotYourTurn("D-1")
    telemetry.flush()
    command, turn = spans.get_finished_spans()
    assert (command.name, turn.name) == ("paraaf.command", "paraaf.turn")
    assert command.parent is not None and command.parent.span_id == turn.context.span_id
    assert format(turn.context.trace_id, "032x") == TRACE
    assert turn.parent is not None and format(turn.parent.span_id, "016x") == SPAN
    assert turn.attributes is not None and turn.attributes["paraaf.activity_id"] == "act-1"
    assert command.attributes is not None
    assert command.attributes["paraaf.refusal.reason"] == "not_your_turn"
    assert command.attributes["paraaf.command.kind"] == "initial"
    assert points(reader, "paraaf.refusals") == {
        (("kind", "initial"), ("reason", "not_your_turn")): 1}
    assert points(reader, "paraaf.card.latency") == {(("verb", "advise"),): 1}
    text = telemetry.exposition()[0].decode()
    assert 'paraaf_refusals_total{kind="initial",reason="not_your_turn"} 1.0' in text


def test_the_callers_trace_is_found_in_headers_of_any_case(traced: Any) -> None:
    telemetry, spans, _ = traced
    headers = CIMultiDict({"TraceParent": f"00-{TRACE}-{SPAN}-01"})  # as aiohttp has them
    with telemetry.turn(headers, invoke()):
        pass
    telemetry.flush()
    [turn] = spans.get_finished_spans()
    assert format(turn.context.trace_id, "032x") == TRACE


def test_the_kind_of_each_command() -> None:
    base: dict[str, Any] = {"dossier_id": "D", "actor": ALICE, "channel": "card",
                            "command_id": "x"}
    assert command_kind(c.Act(**base, stage_id="s", action=c.Action.ADVISE)) == "advise"
    assert command_kind(c.StartDossier(**base, flow_id="f", flow_version=1, title="t")) == \
        "start"
    assert command_kind(c.Return(**base, stage_id="s", to_stage="a", reason="r")) == "return"
    assert command_kind(c.AddComment(**base, text="t")) == "comment"


def _item(row: int) -> OutboxItem:
    return OutboxItem(row, Notification(dossier_id="D-1", event_id="e", kind="task",
                                        recipient=ALICE), attempts=1)


def test_outbox_lag_is_the_oldest_row_put_back_and_clears_when_sent(traced: Any) -> None:
    telemetry, _, reader = traced
    assert points(reader, "paraaf.outbox.lag") == {(): 0.0}
    telemetry.delivered(_item(1), "retry", retry_after=30)
    telemetry.delivered(_item(2), "retry", retry_after=30)
    assert points(reader, "paraaf.outbox.lag")[()] >= 0.0
    telemetry.delivered(_item(1), "sent", "2020-01-01T00:00:00.000000Z")
    telemetry.delivered(_item(2), "given_up")
    assert points(reader, "paraaf.outbox.lag") == {(): 0.0}
    assert points(reader, "paraaf.outbox.delay")[(("kind", "task"),)] == 1
    deliveries = points(reader, "paraaf.outbox.deliveries")
    assert deliveries[(("kind", "task"), ("result", "retry"))] == 2
    assert deliveries[(("kind", "task"), ("result", "sent"))] == 1


def test_off_records_nothing_and_changes_nothing() -> None:
    telemetry = Telemetry.from_settings(Settings())
    assert not (telemetry.tracing or telemetry.metering or telemetry.prometheus)
    store: Any = object()
    assert telemetry.traced_store(store) is store
    with telemetry.span("x") as span:
        assert span is None
    telemetry.delivered(_item(1), "retry", retry_after=1)
    telemetry.shutdown()


def test_off_loads_no_exporter() -> None:
    """Not configured, the server does not even import the exporters (near-zero cost)."""
    script = ("import sys\n"
              "from bot.settings import Settings\n"
              "from bot.teams.server import make_app\n"
              "from bot.telemetry import Telemetry\n"
              "Telemetry.from_settings(Settings())\n"
              "loaded = [m for m in sys.modules if m.startswith(('opentelemetry.exporter', "
              "'prometheus_client'))]\n"
              "assert not loaded, loaded\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# --- Graph ------------------------------------------------------------------------------------


@pytest.fixture
async def graph() -> AsyncIterator[tuple[GraphServer, GraphConnection]]:
    async with GraphServer(seed=3) as server:
        connection = connect(GraphConfig(auth="none", base_url=server.base_url, retry_delay=0))
        yield server, connection
        await connection.close()


async def test_graph_requests_are_spans_and_throttling_is_counted(
    graph: tuple[GraphServer, GraphConnection], traced: Any,
) -> None:
    server, connection = graph
    telemetry, spans, reader = traced
    telemetry.watch_graph(connection)
    lists = "/sites/contoso.sharepoint.com:/sites/paraaf:/lists"
    server.faults.throttle(retry_after=0, method="GET", path="/sites/*/lists", times=2)
    await connection.graph.request("GET", lists + "?$top=1")
    telemetry.flush()
    [span] = spans.get_finished_spans()
    assert span.name == "paraaf.graph.request"
    assert span.attributes == {"http.request.method": "GET", "url.path": lists}
    assert points(reader, "paraaf.graph.throttled") == {(("status", "429"),): 2}


# --- settings and the layers --------------------------------------------------------------------


def test_telemetry_settings() -> None:
    assert (Settings.from_env({}).metrics, Settings.from_env({}).otlp_endpoint) == (False, "")
    assert Settings.from_env({"PARAAF_METRICS": "on"}).metrics
    standard = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"}
    assert Settings.from_env(standard).otlp_endpoint == "http://collector:4318"
    ours = {**standard, "PARAAF_OTLP_ENDPOINT": "https://otel.gemeente.nl"}
    assert Settings.from_env(ours).otlp_endpoint == "https://otel.gemeente.nl"
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"PARAAF_OTLP_ENDPOINT": "collector:4318"})
    assert error.value.code == "otlp_endpoint"
    assert "PARAAF_OTLP_ENDPOINT" in error.value.text("nl")
    with pytest.raises(SettingsError):
        Settings.from_env({"PARAAF_METRICS": "yes"})


def test_only_bot_telemetry_imports_the_telemetry_sdk() -> None:
    sdk = {"opentelemetry", "prometheus_client"}
    importers = set()
    for package in ("approvals", "cards", "word", "bot", "graph", "local"):
        for file in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text("utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if any(name.split(".")[0] in sdk for name in names):
                    importers.add(str(file.relative_to(ROOT)))
    assert importers == {"bot/telemetry.py"}
