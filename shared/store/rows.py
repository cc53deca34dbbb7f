"""Between models and table rows, both ways: pure functions, no connection."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pydantic import TypeAdapter

from shared.entity_names import entity_id, entity_keys, tidy_name
from shared.models import Article, Enrichment, EntitySummary, Feed
from shared.store.query import ArticleSummary, EntityCount, EntityRef
from shared.store.terms import mentioned_spans, top_entities

# An article with its status (`s`) and enrichment (`e`, absent until enriched).
ARTICLE_FROM = (
    "articles a JOIN article_status s ON s.article_id = a.id "
    "LEFT JOIN enrichments e ON e.article_id = a.id"
)
SUMMARY_COLUMNS = (
    "a.id, a.title, a.url, a.source, a.published_at, a.published_offset, s.status, "
    "COALESCE(e.top_entities, '[]'::jsonb) AS top_entities"
)
# The enrichment comes as JSON text, spliced into the article's JSON and validated in one go:
# several times faster than decoding it into dicts and validating those.
ARTICLE_COLUMNS = (
    "a.id, a.title, a.text, a.url, a.source, a.published_at, a.published_offset, s.status, "
    "e.document::text AS enrichment, s.error, s.attempts, a.created_at, s.enriched_at"
)


def utc_offset(moment: datetime | None) -> int | None:
    """Seconds east of UTC the publisher wrote the time in (None for no time)."""
    if moment is None:
        return None
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def with_offset(moment: datetime | None, offset: int | None) -> datetime | None:
    """An instant read back in the offset it was submitted with."""
    if moment is None:
        return None
    zone = UTC if not offset else timezone(timedelta(seconds=offset))
    return moment.astimezone(zone)


def article_from_row(row: dict[str, Any]) -> Article:
    published = with_offset(row["published_at"], row["published_offset"])
    enriched = row["enriched_at"]
    scalars = {
        "id": row["id"],
        "title": row["title"],
        "text": row["text"],
        "url": row["url"],
        "source": row["source"],
        "published_at": published.isoformat() if published else None,
        "status": row["status"],
        "error": row["error"] or None,
        "attempts": row["attempts"],
        "created_at": row["created_at"].astimezone(UTC).isoformat(),
        "enriched_at": enriched.astimezone(UTC).isoformat() if enriched else None,
    }
    encoded = json.dumps(scalars, ensure_ascii=False)
    document: str | None = row["enrichment"]
    if document and document != "{}":
        # Both are JSON objects: their members side by side make one object.
        encoded = encoded[:-1] + "," + document[1:]
    return Article.model_validate_json(encoded)


def summary_from_row(row: dict[str, Any]) -> ArticleSummary:
    return ArticleSummary(
        id=row["id"],
        title=row["title"],
        url=row["url"],
        source=row["source"],
        published_at=with_offset(row["published_at"], row["published_offset"]),
        status=row["status"],
        top_entities=_REFS.validate_python(row["top_entities"]),
    )


def entity_count_from_row(row: dict[str, Any]) -> EntityCount:
    return EntityCount(
        entity_id=row["id"], name=row["name"], label=row["label"], articles=row["articles"]
    )


def feed_from_row(row: dict[str, Any]) -> Feed:
    data = {name: value for name, value in row.items() if value is not None and value != ""}
    return Feed.model_validate(data)


_REFS = TypeAdapter(list[EntityRef])
DOCUMENT_MEMBERS = {"entities", "dates", "entity_summary"}


@dataclass(frozen=True)
class EnrichmentRows:
    """What one enrichment writes besides the article's own row."""

    document: str  # the enrichment as JSON (entities, dates, entity_summary)
    labels: list[str]
    top_entity_refs: list[EntityRef]
    top_entities: str  # the same as a JSON list
    entities: list[EntitySummary]  # one per entity id
    mentions: list[tuple[str | None, str, int, int]]  # (entity id, label, start, end)
    day_ranges: list[tuple[str, str]]  # (first, last) ISO days, inclusive


def enrichment_rows(enrichment: Enrichment) -> EnrichmentRows:
    """The rows and columns an enrichment is stored as."""
    # Written as `Article` serialises these members, so that a read splices it in unparsed
    # (shared/store/wire.py).
    document = enrichment.model_dump_json(include=DOCUMENT_MEMBERS)
    labels = {e.label.upper() for e in enrichment.entity_summary} or {
        e.label.upper() for e in enrichment.entities
    }
    refs = [
        EntityRef(entity_id=e.entity_id, name=e.name, label=e.label)
        for e in top_entities(enrichment.entity_summary)
    ]
    by_id = {e.entity_id: e for e in enrichment.entity_summary}
    # An article names its entities many times over: each (text, label) is resolved once.
    owners = {
        (text, label): mention_entity(text, label, by_id)
        for text, label in {(m.text, m.label) for m in enrichment.entities}
    }
    mentions = [(owners[m.text, m.label], m.label, m.start, m.end) for m in enrichment.entities]
    spans = sorted(mentioned_spans(enrichment.dates))
    return EnrichmentRows(
        document=document,
        labels=sorted(labels),
        top_entity_refs=refs,
        top_entities="[" + ",".join(r.model_dump_json() for r in refs) + "]",
        entities=sorted(by_id.values(), key=lambda e: e.entity_id),
        mentions=mentions,
        day_ranges=[(s.first.isoformat(), s.last.isoformat()) for s in spans],
    )


def lookup_keys(entity: EntitySummary) -> list[str]:
    """The normalised names an entity answers to in `?entity=`."""
    return entity_keys(entity.entity_id)


def mention_entity(text: str, label: str, by_id: dict[str, EntitySummary]) -> str | None:
    """The summary entity a mention belongs to: its own id when the summary has it, else the
    one entity of the same class whose name ends with the mention ("Lavrov" in "Sergei
    Lavrov"); None when that is ambiguous."""
    own = entity_id(label, tidy_name(text))
    if own in by_id:
        return own
    prefix = own.split(":", 1)[0] + ":"
    tail = own.split(":", 1)[-1]
    fits = [e for e in by_id if e.startswith(prefix) and e.endswith(tail)]
    return fits[0] if len(fits) == 1 else None
