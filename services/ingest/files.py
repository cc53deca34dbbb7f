"""Articles from files: the seed's plain-text format, JSON lines of article objects, and feeds
(RSS, Atom, JSON Feed) saved as files."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from services.ingest.entries import candidates_from_feed
from services.ingest.feeds import JSON_FEED_VERSION_PREFIX, FeedParseError, parse_feed
from services.ingest.regular_files import (
    DEFAULT_MAX_FILE_BYTES,
    FileRefused,
    check_regular,
    find_files,
    read_regular_file,
)
from shared.models import ArticleIn

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_LINES_SUFFIXES | FEED_SUFFIXES


@dataclass(frozen=True)
class FileArticle:
    """One article read from a file, or why the piece at `origin` could not be read."""

    origin: str
    article: ArticleIn | None = None
    error: str | None = None


def parse_plain_text(content: str, source: str | None = None) -> ArticleIn:
    """Title on the first non-empty line, the article below it.

    The publication date is left unset: enrichment finds it in the dateline.
    """
    lines = content.lstrip("\ufeff").splitlines()
    for index, line in enumerate(lines):
        if line.strip():
            title = line.strip()
            text = "\n".join(lines[index + 1 :]).strip("\n").rstrip()
            return ArticleIn(title=title, text=text or title, source=source)
    raise ValueError("the file is empty")


def parse_json_lines(content: str, origin: str) -> Iterator[FileArticle]:
    """One article object per line (a `.json` file may also hold one object or a list)."""
    stripped = content.strip()
    if stripped.startswith("["):
        try:
            objects = json.loads(stripped)
        except json.JSONDecodeError as exc:
            yield FileArticle(origin, error=f"invalid JSON: {exc}")
            return
        except RecursionError:
            yield FileArticle(origin, error="invalid JSON: nested too deeply")
            return
        for number, item in enumerate(objects, start=1):
            yield _validated(item, f"{origin}[{number}]")
        return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield FileArticle(f"{origin}:{number}", error=f"invalid JSON: {exc}")
            continue
        except RecursionError:
            yield FileArticle(f"{origin}:{number}", error="invalid JSON: nested too deeply")
            continue
        yield _validated(item, f"{origin}:{number}")


def read_articles(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[FileArticle]:
    """Every article in a file, or in the supported files below a folder (links not followed)."""
    for found in find_files(path, SUPPORTED_SUFFIXES):
        yield from read_file(found, max_bytes)


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> list[FileArticle]:
    """The articles of one file, or why it could not be read; never raises for the file.

    A file that yields nothing says so, as an error: a silent empty result looks like success.
    """
    origin = str(path)
    try:
        items = list(_parse_file(path, max_bytes))
    except FileRefused as exc:
        return [FileArticle(origin, error=str(exc))]
    except OSError as exc:
        return [FileArticle(origin, error=f"cannot read the file: {exc.strerror or exc}")]
    except Exception as exc:
        # A parser bug must cost one file, not the files after it. The message can quote the
        # file, so the note carries only the exception's type; the traceback, for a developer,
        # only at debug level (`gazette ingest` prints no traceback).
        log.debug("reading %s failed", origin, exc_info=True)
        return [FileArticle(origin, error=f"could not be read ({type(exc).__name__})")]
    return items or [FileArticle(origin, error="nothing to ingest: the file holds no articles")]


def _parse_file(path: Path, max_bytes: int) -> Iterator[FileArticle]:
    origin = str(path)
    suffix = path.suffix.lower()
    check_regular(path)  # a device or a link is named as such, whatever its suffix
    if suffix not in SUPPORTED_SUFFIXES:
        yield FileArticle(origin, error=f"unsupported file type {suffix or '(none)'!r}")
        return
    raw = read_regular_file(path, max_bytes)
    # A feed declares its own encoding, so it is handed to the parser as bytes.
    if suffix in FEED_SUFFIXES or (suffix == ".json" and is_json_feed(raw)):
        yield from parse_feed_file(raw, origin)
        return
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield FileArticle(origin, error=f"cannot read the file: not UTF-8 text ({exc.reason})")
        return
    if suffix in JSON_LINES_SUFFIXES:
        yield from parse_json_lines(content, origin)
    else:
        try:
            yield FileArticle(origin, article=parse_plain_text(content, source=None))
        except ValidationError as exc:
            yield FileArticle(origin, error=describe_invalid(exc))
        except ValueError as exc:
            yield FileArticle(origin, error=str(exc))


def is_json_feed(content: bytes) -> bool:
    """Whether a `.json` file is a JSON Feed document rather than article objects."""
    if not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return False
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and str(data.get("version", "")).startswith(
        JSON_FEED_VERSION_PREFIX
    )


def parse_feed_file(content: bytes, origin: str) -> Iterator[FileArticle]:
    """One article per entry of a saved feed, from the entry's own text (nothing is fetched)."""
    try:
        feed = parse_feed(content)
    except FeedParseError as exc:
        yield FileArticle(origin, error=str(exc))
        return
    for number, candidate in enumerate(candidates_from_feed(feed), start=1):
        where = f"{origin}#{number}"
        try:
            article = candidate.to_article_in(source=feed.title)
        except ValidationError as exc:
            yield FileArticle(where, error=describe_invalid(exc))
            continue
        if article is None:
            yield FileArticle(where, error="the entry has no text")
        else:
            yield FileArticle(where, article=article)


def describe_invalid(exc: ValidationError) -> str:
    """Which fields are wrong and why, without quoting their values (pydantic's `str` does)."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'article'}: {e['msg']}" for e in exc.errors()
    )


def _validated(item: object, origin: str) -> FileArticle:
    try:
        return FileArticle(origin, article=ArticleIn.model_validate(item))
    except ValidationError as exc:
        return FileArticle(origin, error=describe_invalid(exc))
