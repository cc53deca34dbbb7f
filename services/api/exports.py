"""Articles as download lines: CSV for spreadsheets, JSON lines for programs. Pure: a chunk of
articles in, text out, so that an export is written as it is read."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from enum import StrEnum

from shared.models import Article

CSV_COLUMNS = ("id", "published_at", "source", "title", "url", "status", "entities", "text")
ENTITY_SEPARATOR = "; "


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


MEDIA_TYPES = {ExportFormat.CSV: "text/csv; charset=utf-8",
               ExportFormat.JSONL: "application/x-ndjson"}  # fmt: skip


def csv_rows(articles: list[Article], header: bool) -> str:
    """The articles as CSV rows (the header first when asked); entities by name, most salient
    first."""
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(CSV_COLUMNS)
    for a in articles:
        names = ENTITY_SEPARATOR.join(
            e.name for e in sorted(a.entity_summary, key=lambda e: (-e.salience, e.name))
        )
        published = a.published_at.isoformat() if a.published_at else ""
        writer.writerow(
            (a.id, published, a.source or "", a.title, a.url or "", a.status.value, names, a.text)
        )
    return out.getvalue()


def jsonl_rows(articles: list[Article]) -> str:
    """One article per line, as `GET /articles/{id}` answers it."""
    return "".join(a.model_dump_json() + "\n" for a in articles)


async def encode(chunks: AsyncIterator[list[Article]], fmt: ExportFormat) -> AsyncIterator[str]:
    """The download's text, chunk by chunk; a CSV header even when nothing matches."""
    header = True
    async for chunk in chunks:
        yield csv_rows(chunk, header) if fmt is ExportFormat.CSV else jsonl_rows(chunk)
        header = False
    if header and fmt is ExportFormat.CSV:
        yield csv_rows([], True)
