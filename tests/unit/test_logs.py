"""JSON log lines carry the article id, from `extra=` or from the surrounding context."""

import json
import logging

from shared.logs import JsonFormatter, article_context


def formatted(record: logging.LogRecord) -> dict[str, object]:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    loaded: dict[str, object] = json.loads(line)
    return loaded


def record(msg: str, **extra: object) -> logging.LogRecord:
    made = logging.makeLogRecord({"name": "gazette.test", "levelname": "INFO", "msg": msg})
    made.__dict__.update(extra)
    return made


def test_a_line_is_one_json_object_with_level_logger_and_message() -> None:
    entry = formatted(record("hello"))
    assert (entry["level"], entry["logger"], entry["message"]) == ("INFO", "gazette.test", "hello")
    assert "article_id" not in entry


def test_article_id_comes_from_the_context_and_extras_are_kept() -> None:
    with article_context("abc123"):
        entry = formatted(record("done", entities=4))
    assert entry["article_id"] == "abc123" and entry["entities"] == 4
    assert "article_id" not in formatted(record("after"))


def test_an_explicit_article_id_wins_over_the_context() -> None:
    with article_context("outer"):
        assert formatted(record("x", article_id="inner"))["article_id"] == "inner"
