"""Articles from files: the seed's plain-text format and JSON lines of article objects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from shared.models import ArticleIn

TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_LINES_SUFFIXES


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
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        yield FileArticle(origin, error=f"cannot read the file: {exc}")
        return
    suffix = path.suffix.lower()
    if suffix in JSON_LINES_SUFFIXES:
        yield from parse_json_lines(content, origin)
    elif suffix in TEXT_SUFFIXES:
        try:
            yield FileArticle(origin, article=parse_plain_text(content, source=None))
        except (ValueError, ValidationError) as exc:
            yield FileArticle(origin, error=str(exc))
    else:
        yield FileArticle(origin, error=f"unsupported file type {suffix or '(none)'!r}")


def _validated(item: object, origin: str) -> FileArticle:
    try:
        return FileArticle(origin, article=ArticleIn.model_validate(item))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'article'}: {e['msg']}" for e in exc.errors()
        )
        return FileArticle(origin, error=problems)
