"""Logging for every Gazette process: one JSON object per line, carrying the article id."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_article_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("article_id", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


@contextmanager
def article_context(article_id: str) -> Iterator[None]:
    """Tag every log line written inside the block with `article_id`."""
    token = _article_id.set(article_id)
    try:
        yield
    finally:
        _article_id.reset(token)


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line: time, level, logger, message, article id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        article_id = getattr(record, "article_id", None) or _article_id.get()
        if article_id:
            entry["article_id"] = article_id
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in entry:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str, as_json: bool = True) -> None:
    """Send every logger's records to stderr, as JSON lines or as plain text."""
    handler = logging.StreamHandler(sys.stderr)
    if as_json:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
