"""Structured logs: key=value text or JSON lines (with correlation ids), user text stripped of
control chars."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any

from bot.settings import Settings
from bot.telemetry import correlation

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def clean(value: Any) -> Any:
    """A log value with control characters (forged line breaks) removed."""
    return _CONTROL.sub(" ", value) if isinstance(value, str) else value


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: clean(v) for k, v in vars(record).items() if k not in _STANDARD}


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the correlation ids in force where the line was logged
    (``activity_id``, ``dossier_id``, ``trace_id``, ``span_id``, ``traceparent``: see
    bot.telemetry); a field the call site gives itself wins."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname,
                 "logger": record.name, "message": clean(record.getMessage()),
                 **correlation(), **_fields(record)}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        line = f"{self.formatTime(record)} {record.levelname} {record.name}: " \
               f"{clean(record.getMessage())}" + (f" {extra}" if extra else "")
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    formatter = JsonFormatter() if settings.log_format == "json" else TextFormatter()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
