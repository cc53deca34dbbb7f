"""Rows straight to the JSON the API serves: byte for byte what `Article` and `ArticleSummary`
would serialise, without building them.

On the hot read paths, validating an article's hundred-odd mentions into models only to
serialise them again was most of the API's CPU per request. The enrichment document is stored
as the models serialise it (`rows.enrichment_rows`), so it is spliced in as it is; the scalars
go through pydantic's own serialiser (`to_json`), so datetimes and strings come out as the
models write them. tests/unit/test_store_wire.py holds both to the models' output.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from pydantic_core import to_json

from shared.store.rows import article_from_row, with_offset

NO_ENRICHMENT = b'"entities":[],"dates":[],"entity_summary":[]'
# The document as `enrichment_rows` writes it: `Article`'s three enrichment members, in order.
DOCUMENT_START = '{"entities":['
DOCUMENT_END = "]}"


def article_json(row: dict[str, Any]) -> bytes:
    """The article of a `rows.ARTICLE_COLUMNS` row as `Article.model_dump_json()` writes it."""
    members = _enrichment_members(row["enrichment"])
    if members is None:
        # A document in another hand (escaped non-ASCII, other spacing): the models decide.
        return article_from_row(row).model_dump_json().encode()
    enriched = row["enriched_at"]
    head = to_json(
        {
            "id": row["id"],
            "title": row["title"],
            "text": row["text"],
            "url": row["url"],
            "source": row["source"],
            "published_at": with_offset(row["published_at"], row["published_offset"]),
            "status": row["status"],
        }
    )
    tail = to_json(
        {
            "error": row["error"] or None,
            "attempts": row["attempts"],
            "created_at": row["created_at"].astimezone(UTC),
            "enriched_at": enriched.astimezone(UTC) if enriched else None,
        }
    )
    # {head} + members + {tail}: three JSON objects' members side by side make one object.
    return b"".join((head[:-1], b",", members, b",", tail[1:]))


def _enrichment_members(document: str | None) -> bytes | None:
    """The document's members as JSON text, or None when it is not in the writer's shape."""
    if not document or document == "{}":
        return NO_ENRICHMENT
    # Escapes (of non-ASCII, by an older writer) are what the models would write otherwise.
    fits = document.startswith(DOCUMENT_START) and document.endswith(DOCUMENT_END)
    return document[1:-1].encode() if fits and "\\u" not in document else None


def summaries_json(rows: Iterable[dict[str, Any]]) -> bytes:
    """A JSON list of the summaries of `rows.SUMMARY_COLUMNS` rows, as `ArticleSummary`
    writes them."""
    return to_json([_summary(row) for row in rows])


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "url": row["url"],
        "source": row["source"],
        "published_at": with_offset(row["published_at"], row["published_offset"]),
        "status": row["status"],
        "top_entities": [
            {"entity_id": e["entity_id"], "name": e["name"], "label": e["label"]}
            for e in row["top_entities"]
        ],
    }
