"""Structured logs: one JSON object per line, with the request id, and no personal data.

This module is imported by the settings, so it uses the standard library only and touches
nothing of Django at import time.

What keeps personal data out:
- the access line carries method, path (never the query string), status and duration only;
- the user appears, if at all, as its uuid;
- exceptions are written as their class and stack frames (file, line, function), never with their
  message or local variables, because messages often quote the input that caused them;
- e-mail addresses that a message still contains are replaced by `[email]`;
- the loggers of django-axes, which name the attempted user, are kept at ERROR.
"""

import contextvars
import json
import logging
import re
import traceback
from datetime import UTC, datetime
from typing import Any

# Set by the request-id middleware for the duration of one request (per thread under gthread).
request_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "wegweiser_request_context", default=None
)

EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# Fields an access line may add through `extra=`; any other extra is ignored.
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "view", "user")
MAX_FRAMES = 30


def request_context_clear(**kwargs: Any) -> None:
    """`request_finished` receiver: lines logged after the response carry no stale request id."""
    request_context.set(None)


def scrub(text: str) -> str:
    return EMAIL_PATTERN.sub("[email]", text)


def _exception_fields(exc_info: Any) -> dict[str, Any]:
    exc_type, _exc, tb = exc_info
    frames = [
        f"{frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(tb)[-MAX_FRAMES:]
    ]
    return {"type": f"{exc_type.__module__}.{exc_type.__qualname__}", "frames": frames}


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON with a fixed set of keys."""

    def format(self, record: logging.LogRecord) -> str:
        context = request_context.get() or {}
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": context.get("request_id"),
            "method": context.get("method"),
            "path": context.get("path"),
            "status": None,
            "duration_ms": None,
        }
        for name in ACCESS_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        # Django's request logger passes the status as `status_code`.
        if entry["status"] is None and isinstance(getattr(record, "status_code", None), int):
            entry["status"] = record.status_code
        if isinstance(entry["path"], str):
            entry["path"] = scrub(entry["path"])
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = _exception_fields(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class ConsoleFormatter(logging.Formatter):
    """Human-readable lines for development, with the request id when there is one.

    Like the JSON formatter it leaves out exception messages, so that dev logs pasted into an
    issue carry no input either.
    """

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        context = request_context.get() or {}
        line = scrub(super().formatMessage(self._prepare(record)))
        if context.get("request_id"):
            line += f" [request_id={context['request_id']}]"
        if record.exc_info and record.exc_info[0] is not None:
            fields = _exception_fields(record.exc_info)
            line += "\n  " + fields["type"] + "\n    " + "\n    ".join(fields["frames"])
        return line

    def _prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record.message = record.getMessage()
        record.asctime = self.formatTime(record, self.datefmt)
        return record


def logging_config(*, json_lines: bool, level: str = "INFO") -> dict[str, Any]:
    """The LOGGING setting: JSON lines in production, readable lines in development."""
    formatter = "json" if json_lines else "console"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "wegweiser.ops.logs.JsonFormatter"},
            "console": {"()": "wegweiser.ops.logs.ConsoleFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": formatter},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers would mail admins or print tracebacks with messages; send
            # everything through the handler above instead.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            # The request-id middleware writes the access line; the dev server's own line
            # would repeat it with the query string.
            "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
            # Axes logs the attempted user name with every failed login and lockout.
            "axes": {"level": "ERROR"},
        },
    }
