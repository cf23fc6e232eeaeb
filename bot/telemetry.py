"""Telemetry: correlation ids for the logs, and OpenTelemetry traces and metrics.

The product measures itself through this module only; the OpenTelemetry SDK sits behind it
and is imported only when something is configured:

- traces and metrics go over OTLP (HTTP/protobuf) when ``PARAAF_OTLP_ENDPOINT`` (or the
  standard ``OTEL_EXPORTER_OTLP_ENDPOINT``) names a collector;
- ``PARAAF_METRICS=on`` serves the metrics on ``/metrics`` in the Prometheus text format.

With neither, a :class:`Telemetry` records nothing: its spans are ``nullcontext`` and its
counters return at once. The correlation ids (the Teams activity id, the dossier id and the
W3C trace context) are kept in context variables either way, so every log line of a turn
carries them (:mod:`bot.logs`).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import socket
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from approvals import commands as c
from approvals.errors import DomainError

if TYPE_CHECKING:
    from approvals.ports import DossierStore, OutboxItem
    from approvals.service import Outcome
    from bot.settings import Settings

log = logging.getLogger("paraaf.telemetry")

# --- metric and span names (the README's "Telemetry" section lists them) -----------------------

ACTIONS = "paraaf.actions"  # counter: commands recorded, by kind
REFUSALS = "paraaf.refusals"  # counter: commands refused, by reason (and kind)
CARD_LATENCY = "paraaf.card.latency"  # histogram (s): the server's time for a card action
OUTBOX_DELAY = "paraaf.outbox.delay"  # histogram (s): from the commit to the card sent
OUTBOX_LAG = "paraaf.outbox.lag"  # gauge (s): age of the oldest row this instance saw waiting
DELIVERIES = "paraaf.outbox.deliveries"  # counter: outbox rows handled, by result
GRAPH_THROTTLED = "paraaf.graph.throttled"  # counter: Graph answers 429/503/504, by status

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)  # seconds
DELAY_BUCKETS = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)  # seconds
LAG_GRACE = 120.0  # seconds a row put back for later still counts after its retry time

SPAN_TURN = "paraaf.turn"
SPAN_COMMAND = "paraaf.command"
SPAN_APPEND = "paraaf.store.append"
SPAN_DELIVERY = "paraaf.outbox.deliver"
SPAN_GRAPH = "paraaf.graph.request"

# --- correlation ids ---------------------------------------------------------------------------

_ACTIVITY: ContextVar[str] = ContextVar("paraaf_activity_id", default="")
_DOSSIER: ContextVar[str] = ContextVar("paraaf_dossier_id", default="")
_TRACE: ContextVar[TraceIds | None] = ContextVar("paraaf_trace", default=None)

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


@dataclass(frozen=True)
class TraceIds:
    """The W3C trace context of the current unit of work (a turn, an outbox row)."""

    trace_id: str  # 32 hex digits
    span_id: str  # 16 hex digits
    sampled: bool = True

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{'01' if self.sampled else '00'}"


def parse_traceparent(header: str) -> TraceIds | None:
    """The ids of a ``traceparent`` header, or None when it is not a valid one."""
    match = _TRACEPARENT.match(header.strip().lower())
    if match is None:
        return None
    version, trace_id, span_id, flags = match.groups()
    if version == "ff" or trace_id == "0" * 32 or span_id == "0" * 16:
        return None
    return TraceIds(trace_id, span_id, bool(int(flags, 16) & 1))


def correlation() -> dict[str, str]:
    """The correlation ids in force here, for a log line (empty outside a turn)."""
    fields: dict[str, str] = {}
    activity, dossier, trace = _ACTIVITY.get(), _DOSSIER.get(), _TRACE.get()
    if activity:
        fields["activity_id"] = activity
    if dossier:
        fields["dossier_id"] = dossier
    if trace is not None:
        fields["trace_id"] = trace.trace_id
        fields["span_id"] = trace.span_id
        fields["traceparent"] = trace.traceparent
    return fields


def about_dossier(dossier_id: str) -> None:
    """From here on in this turn (or outbox row), the log lines name this dossier."""
    if dossier_id:
        _DOSSIER.set(dossier_id[:64])


@contextmanager
def _ids(activity: str, dossier: str, trace: TraceIds) -> Iterator[None]:
    tokens = (_ACTIVITY.set(activity), _DOSSIER.set(dossier), _TRACE.set(trace))
    try:
        yield
    finally:
        _TRACE.reset(tokens[2])
        _DOSSIER.reset(tokens[1])
        _ACTIVITY.reset(tokens[0])


def _new_ids(parent: TraceIds | None) -> TraceIds:
    """This unit of work's ids: the caller's trace (a new span in it), or a new trace."""
    span_id = secrets.token_hex(8)
    if parent is None:
        return TraceIds(secrets.token_hex(16), span_id)
    return TraceIds(parent.trace_id, span_id, parent.sampled)


def _activity_fields(body: Mapping[str, Any]) -> tuple[str, str, str]:
    """The activity id, the card verb and the dossier id of a Teams activity (or '')."""
    activity = body.get("id")
    value = body.get("value")
    action = value.get("action") if isinstance(value, dict) else None
    verb = action.get("verb") if isinstance(action, dict) else None
    data = action.get("data") if isinstance(action, dict) else None
    dossier = data.get("dossier_id") if isinstance(data, dict) else None
    return tuple(v[:64] if isinstance(v, str) else "" for v in (activity, verb, dossier))  # type: ignore[return-value]


def command_kind(cmd: c.Command) -> str:
    """A command's kind for the metrics: the action of an Act (``initial``, ``advise``...),
    else the command (``start``, ``return``, ``reject``, ``comment``, ``delegate``...)."""
    if isinstance(cmd, c.Act):
        return str(cmd.action.value)
    name = type(cmd).__name__
    return {"StartDossier": "start", "AddComment": "comment", "ChangeDueDate": "due_date"}.get(
        name, re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower())


def refusal_reason(error: DomainError) -> str:
    """Why the domain refused, as a stable code (``not_your_turn``, ``reason_required``...)."""
    return error.refusal or error.code


# --- the telemetry ------------------------------------------------------------------------------


class GraphConnection(Protocol):
    """What telemetry reads of a Graph connection (graph.client.GraphConnection): its
    throttle counts (``attempts`` and ``gave_up`` by status), and its ``graph`` whose
    ``watch`` wraps each request."""

    @property
    def throttling(self) -> Any: ...

    @property
    def graph(self) -> Any: ...


class Telemetry:
    """Spans and metrics of one server; all methods are cheap no-ops when it is off."""

    def __init__(self) -> None:
        self.tracing = False
        self.prometheus = False
        self._tracer: Any = None
        self._tracer_provider: Any = None
        self._meter_provider: Any = None
        self._registry: Any = None
        self._instruments: dict[str, Any] = {}
        self._graphs: list[GraphConnection] = []
        # outbox rows this instance put back for later: (first seen waiting, forgotten after)
        self._waiting: dict[int | str, tuple[float, float]] = {}

    @property
    def metering(self) -> bool:
        return bool(self._instruments)

    @classmethod
    def from_settings(cls, settings: Settings) -> Telemetry:
        """Off unless an OTLP endpoint or ``/metrics`` is configured."""
        telemetry = cls()
        endpoint = settings.otlp_endpoint.rstrip("/")
        if not endpoint and not settings.metrics:
            return telemetry
        span_exporter, readers = None, []
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
                OTLPMetricExporter,
            )
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            span_exporter = OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces", timeout=5)
            # every OTEL_METRIC_EXPORT_INTERVAL milliseconds (default 60 000)
            readers.append(PeriodicExportingMetricReader(
                OTLPMetricExporter(endpoint=f"{endpoint}/v1/metrics", timeout=5)))
        telemetry.start(span_exporter=span_exporter, metric_readers=readers,
                        prometheus=settings.metrics)
        return telemetry

    def start(self, *, span_exporter: Any = None, metric_readers: Sequence[Any] = (),
              prometheus: bool = False) -> None:
        """Trace to ``span_exporter`` (in batches, every OTEL_BSP_SCHEDULE_DELAY ms), measure
        to the metric readers and, with ``prometheus``, for :meth:`exposition`."""
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.resources import Resource

        resource = Resource.create({
            "service.name": os.environ.get("OTEL_SERVICE_NAME") or "paraaf",
            "service.version": _version(),
            "service.instance.id": f"{socket.gethostname()}-{os.getpid()}",
        })
        if span_exporter is not None:
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            self._tracer_provider = TracerProvider(resource=resource)
            self._tracer_provider.add_span_processor(BatchSpanProcessor(span_exporter))
            self._tracer = self._tracer_provider.get_tracer("paraaf", _version())
            self.tracing = True
        readers = list(metric_readers)
        if prometheus:
            from opentelemetry.exporter.prometheus import PrometheusMetricReader
            from prometheus_client import CollectorRegistry

            self._registry = CollectorRegistry()
            readers.append(PrometheusMetricReader(registry=self._registry,
                                                  scope_info_enabled=False))
            self.prometheus = True
        self._meter_provider = MeterProvider(resource=resource, metric_readers=readers)
        meter = self._meter_provider.get_meter("paraaf", _version())
        self._instruments = {
            ACTIONS: meter.create_counter(
                ACTIONS, unit="1", description="Commands recorded, by kind"),
            REFUSALS: meter.create_counter(
                REFUSALS, unit="1", description="Commands refused, by reason"),
            CARD_LATENCY: meter.create_histogram(
                CARD_LATENCY, unit="s", description="The server's time to answer a card action",
                explicit_bucket_boundaries_advisory=LATENCY_BUCKETS),
            OUTBOX_DELAY: meter.create_histogram(
                OUTBOX_DELAY, unit="s",
                description="From the commit of a notification to its card in the chat",
                explicit_bucket_boundaries_advisory=DELAY_BUCKETS),
            DELIVERIES: meter.create_counter(
                DELIVERIES, unit="1", description="Outbox rows handled, by result"),
        }
        meter.create_observable_gauge(
            OUTBOX_LAG, callbacks=[self._observe_lag], unit="s",
            description="Age of the oldest outbox row this instance saw waiting (0: none)")
        meter.create_observable_counter(
            GRAPH_THROTTLED, callbacks=[self._observe_throttling], unit="1",
            description="Graph answers 429, 503 and 504 (each retried or given up on)")

    def flush(self) -> None:
        """Export the finished spans now (tests; a shutdown does it as well)."""
        if self._tracer_provider is not None:
            self._tracer_provider.force_flush()

    def shutdown(self) -> None:
        """Send what is still buffered and stop the exporters."""
        for provider in (self._tracer_provider, self._meter_provider):
            if provider is not None:
                try:
                    provider.shutdown()
                except Exception:  # a collector that is gone must not stop the shutdown
                    log.warning("telemetry not flushed", exc_info=True)
        self._tracer_provider = self._meter_provider = None
        self._tracer = None
        self._instruments = {}
        self.tracing = self.prometheus = False

    # --- spans ----------------------------------------------------------------------------

    def span(self, name: str, attributes: Mapping[str, str | int | float | bool] | None = None,
             ) -> AbstractContextManager[Any]:
        """A span as a child of the current one (``nullcontext`` when tracing is off)."""
        if self._tracer is None:
            return nullcontext()
        return self._tracer.start_as_current_span(name, attributes=attributes)

    @contextmanager
    def turn(self, headers: Mapping[str, str], body: Mapping[str, Any]) -> Iterator[None]:
        """One activity from Teams: its correlation ids for the logs, a server span (in the
        caller's trace when a ``traceparent`` header names one) and, for a card action, the
        server's time on the card latency histogram."""
        activity, verb, dossier = _activity_fields(body)
        kind = str(body.get("type") or "")[:32]
        parent = parse_traceparent(headers.get("traceparent", ""))
        started = time.perf_counter()
        attributes: dict[str, str] = {"paraaf.activity_id": activity,
                                      "paraaf.activity_type": kind}
        if verb:
            attributes["paraaf.card.verb"] = verb
        if dossier:
            attributes["paraaf.dossier_id"] = dossier
        with self._server_span(SPAN_TURN, headers, attributes) as ids, \
                _ids(activity, dossier, ids or _new_ids(parent)):
            try:
                yield
            finally:
                elapsed = time.perf_counter() - started
                log.info("turn", extra={"activity_type": kind, "verb": verb,
                                        "ms": round(elapsed * 1000, 1)})
        if kind == "invoke" and self.metering:
            self._instruments[CARD_LATENCY].record(elapsed, {"verb": verb or "none"})

    @contextmanager
    def _server_span(self, name: str, headers: Mapping[str, str] | None,
                     attributes: Mapping[str, str]) -> Iterator[TraceIds | None]:
        """A root span (or a child of the caller's, from ``headers``); None when off."""
        if self._tracer is None:
            yield None
            return
        from opentelemetry.trace import SpanKind
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        carrier = {name: value for name in ("traceparent", "tracestate")
                   if (value := (headers or {}).get(name))}  # headers: any case
        parent = TraceContextTextMapPropagator().extract(carrier)
        kind = SpanKind.SERVER if headers is not None else SpanKind.CONSUMER
        with self._tracer.start_as_current_span(name, context=parent, kind=kind,
                                                attributes=attributes) as span:
            context = span.get_span_context()
            yield TraceIds(format(context.trace_id, "032x"), format(context.span_id, "016x"),
                           bool(context.trace_flags & 1))

    @contextmanager
    def command(self, cmd: c.Command) -> Iterator[Callable[[Outcome], None]]:
        """Execute ``cmd`` inside: a span, and the count of what became of it. The body
        calls the yielded function with the outcome; a DomainError raised is a refusal."""
        kind = command_kind(cmd)
        about_dossier(cmd.dossier_id)
        with self.span(SPAN_COMMAND, {"paraaf.command.kind": kind,
                                      "paraaf.dossier_id": cmd.dossier_id[:64]}) as span:
            try:
                yield lambda outcome: self._outcome(kind, outcome, span)
            except DomainError as error:
                self._refused(kind, error, span)
                raise

    def _outcome(self, kind: str, outcome: Outcome, span: Any) -> None:
        if outcome.refusal is not None:
            self._refused(kind, outcome.refusal, span)
            return
        result = "duplicate" if outcome.duplicate else (
            "recorded" if outcome.recorded else "unchanged")
        log.info("command", extra={"kind": kind, "result": result})
        if span is not None:
            span.set_attribute("paraaf.command.result", result)
        if result == "recorded" and self.metering:
            self._instruments[ACTIONS].add(1, {"kind": kind})

    def _refused(self, kind: str, error: DomainError, span: Any) -> None:
        reason = refusal_reason(error)
        log.info("command", extra={"kind": kind, "result": "refused", "reason": reason})
        if span is not None:
            span.set_attribute("paraaf.command.result", "refused")
            span.set_attribute("paraaf.refusal.reason", reason)
        if self.metering:
            self._instruments[REFUSALS].add(1, {"reason": reason, "kind": kind})

    # --- the outbox -----------------------------------------------------------------------

    @contextmanager
    def delivery(self, item: OutboxItem) -> Iterator[None]:
        """Delivering one outbox row: its own trace and log ids (the row's dossier)."""
        n = item.notification
        attributes = {"paraaf.outbox.id": str(item.id), "paraaf.notification.kind": n.kind,
                      "paraaf.dossier_id": n.dossier_id[:64],
                      "paraaf.outbox.attempts": str(item.attempts)}
        with self._server_span(SPAN_DELIVERY, None, attributes) as ids, \
                _ids("", n.dossier_id[:64], ids or _new_ids(None)):
            yield

    def delivered(self, item: OutboxItem, result: str, committed: str = "",
                  retry_after: float = 0.0) -> None:
        """An outbox row was sent (``committed``: its event's timestamp), given up on, or
        put back for later (``retry``, tried again after ``retry_after`` seconds)."""
        if not self.metering:
            return
        if result == "retry":
            now = time.time()
            since = self._waiting.get(item.id, (now, 0.0))[0]
            # not claimed here again by then: another instance has it, and counts it
            self._waiting[item.id] = (since, now + retry_after + LAG_GRACE)
        else:
            self._waiting.pop(item.id, None)
        self._instruments[DELIVERIES].add(1, {"result": result,
                                              "kind": item.notification.kind})
        if result == "sent" and committed:
            delay = _seconds_since(committed)
            if delay is not None:
                self._instruments[OUTBOX_DELAY].record(delay, {"kind": item.notification.kind})

    def _observe_lag(self, options: Any) -> Iterator[Any]:
        from opentelemetry.metrics import Observation

        now = time.time()
        waiting = dict(self._waiting)  # a copy: this runs on the exporter's thread
        for row, (_, until) in waiting.items():
            if until < now:
                self._waiting.pop(row, None)
        oldest = min((since for since, until in waiting.values() if until >= now),
                     default=None)
        yield Observation(0.0 if oldest is None else max(0.0, now - oldest))

    # --- Graph ------------------------------------------------------------------------------

    def watch_graph(self, connection: GraphConnection) -> None:
        """Count the connection's throttled answers, and give each request a span."""
        self._graphs.append(connection)
        if self._tracer is not None:
            connection.graph.watch = self._graph_span

    @contextmanager
    def _graph_span(self, method: str, path: str) -> Iterator[None]:
        with self.span(SPAN_GRAPH, {"http.request.method": method,
                                    "url.path": path.split("?", 1)[0][:200]}) as span:
            try:
                yield
            except Exception as error:
                status = getattr(error, "status", None)
                if span is not None and isinstance(status, int):
                    span.set_attribute("http.response.status_code", status)
                raise

    def _observe_throttling(self, options: Any) -> Iterator[Any]:
        from opentelemetry.metrics import Observation

        totals: dict[int, int] = {}
        for connection in self._graphs:
            stats = connection.throttling
            for counts in (stats.attempts, stats.gave_up):
                for status, count in dict(counts).items():  # a copy: another thread
                    totals[status] = totals.get(status, 0) + count
        for status, count in sorted(totals.items()):
            yield Observation(count, {"status": str(status)})

    # --- the store ----------------------------------------------------------------------------

    def traced_store(self, store: DossierStore) -> DossierStore:
        """``store`` with a span around each append (``store`` itself when tracing is off)."""
        return store if self._tracer is None else _TracedStore(store, self)

    # --- /metrics -----------------------------------------------------------------------------

    def exposition(self) -> tuple[bytes, str]:
        """The metrics in the Prometheus text format, and its content type."""
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return generate_latest(self._registry), CONTENT_TYPE_LATEST


class _TracedStore:
    """A dossier store whose appends are spans; everything else is the store's own."""

    def __init__(self, store: DossierStore, telemetry: Telemetry) -> None:
        self._store = store
        self._telemetry = telemetry

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def append(self, dossier_id: str, expected_version: int, events: Any, *args: Any,
                     **kwargs: Any) -> Any:
        with self._telemetry.span(SPAN_APPEND, {"paraaf.dossier_id": dossier_id[:64],
                                                "paraaf.store.events": len(events),
                                                "paraaf.store.expected_version":
                                                    expected_version}):
            return await self._store.append(dossier_id, expected_version, events, *args,
                                            **kwargs)


def _seconds_since(timestamp: str) -> float | None:
    from datetime import UTC, datetime

    try:
        then = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return max(0.0, (datetime.now(UTC) - then).total_seconds())


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("paraaf")
    except PackageNotFoundError:
        return "0"


# --- the server's telemetry -----------------------------------------------------------------

_active: Telemetry = Telemetry()


def active() -> Telemetry:
    """The telemetry of the running server (off outside one)."""
    return _active


def activate(telemetry: Telemetry) -> Callable[[], None]:
    """Make ``telemetry`` the active one; returns what puts the one before back."""
    global _active
    before, _active = _active, telemetry

    def restore() -> None:
        global _active
        if _active is telemetry:
            _active = before

    return restore
