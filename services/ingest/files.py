"""Articles from files: the seed's plain-text format, JSON lines of article objects, and feeds
(RSS, Atom, JSON Feed) saved as files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from services.ingest.entries import candidates_from_feed
from services.ingest.feeds import JSON_FEED_VERSION_PREFIX, FeedParseError, parse_feed
from shared.models import ArticleIn

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
        yield _validated(item, f"{origin}:{number}")


def read_articles(path: Path) -> Iterator[FileArticle]:
    """Every article in a file, or in the supported files below a folder."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.suffix.lower() in SUPPORTED_SUFFIXES:
                yield from read_articles(child)
        return
    origin = str(path)
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
        # A feed declares its own encoding, so it is handed to the parser as bytes.
        if suffix in FEED_SUFFIXES or (suffix == ".json" and is_json_feed(raw)):
            yield from parse_feed_file(raw, origin)
            return
        content = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        yield FileArticle(origin, error=f"cannot read the file: {exc}")
        return
    if suffix in JSON_LINES_SUFFIXES:
        yield from parse_json_lines(content, origin)
    elif suffix in TEXT_SUFFIXES:
        try:
            yield FileArticle(origin, article=parse_plain_text(content, source=None))
        except (ValueError, ValidationError) as exc:
            yield FileArticle(origin, error=str(exc))
    else:
        yield FileArticle(origin, error=f"unsupported file type {suffix or '(none)'!r}")


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
            yield FileArticle(where, error=str(exc))
            continue
        if article is None:
            yield FileArticle(where, error="the entry has no text")
        else:
            yield FileArticle(where, article=article)


def _validated(item: object, origin: str) -> FileArticle:
    try:
        return FileArticle(origin, article=ArticleIn.model_validate(item))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'article'}: {e['msg']}" for e in exc.errors()
        )
        return FileArticle(origin, error=problems)
