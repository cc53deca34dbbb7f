"""The JSON the read paths build straight from rows is byte for byte the models' own."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import TypeAdapter

from services.api.models import ArticlePage
from services.api.routes.articles import page_json
from shared.models import DateMention, Enrichment, Entity, EntitySummary
from shared.store.query import ArticleSummary
from shared.store.rows import article_from_row, enrichment_rows, summary_from_row
from shared.store.wire import article_json, summaries_json

PARIS = ZoneInfo("Europe/Paris")  # as psycopg hands timestamps over in the session's zone
MOMENT = datetime(2016, 9, 23, 6, 30, 15, 123456, tzinfo=UTC)

ENRICHMENT = Enrichment(
    entities=[
        Entity(text="Sergeï Lavrov", label="PERSON", start=0, end=13),
        Entity(text="Lavrov", label="PERSON", start=30, end=36, label_corrected_from="ORG"),
        Entity(text='Genève "🇨🇭"\u2028\\u', label="GPE", start=40, end=46),
    ],
    dates=[DateMention(text="September", type="DATE", value="2016-09", start=50, end=59)],
    entity_summary=[
        EntitySummary(entity_id="person:sergei-lavrov", name="Sergeï Lavrov", label="PERSON",
                      mentions=2, salience=0.9),
        EntitySummary(entity_id="place:geneve", name="Genève", label="GPE", mentions=1,
                      salience=1.0, label_corrected_from="ORG"),
        EntitySummary(entity_id="org:un", name="UN", label="ORG", mentions=1, salience=0.001),
    ],
)  # fmt: skip
PLAIN = Enrichment(
    entities=[Entity(text="Geneva", label="GPE", start=0, end=6)],
    entity_summary=[
        EntitySummary(entity_id="place:geneva", name="Geneva", label="GPE", mentions=1,
                      salience=0.333),
    ],
)  # fmt: skip


def article_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "3f2a9c1d0b7e4a66",
        "title": "Talks in Genève «today»",
        "text": 'Line one\nLine "two"\t\x01 </script> ✓',
        "url": "https://news.example/1?a=1&b=<2>",
        "source": "Reuters",
        "published_at": MOMENT,
        "published_offset": 0,
        "status": "enriched",
        "enrichment": enrichment_rows(ENRICHMENT).document,
        "error": None,
        "attempts": 1,
        "created_at": MOMENT.astimezone(PARIS),
        "enriched_at": (MOMENT + timedelta(seconds=2)).astimezone(PARIS),
    }
    return {**row, **changes}


def older_writer(enrichment: Enrichment, **dumps: Any) -> str:
    """A document as an earlier `enrichment_rows` wrote it: `json.dumps` of the dumps."""
    return json.dumps(enrichment.model_dump(include={"entities", "dates", "entity_summary"}),
                      **dumps)  # fmt: skip


ARTICLE_ROWS = {
    "enriched": article_row(),
    "plain ascii": article_row(enrichment=enrichment_rows(PLAIN).document),
    "publisher's offset": article_row(published_offset=8 * 3600),
    "offset west, half hours": article_row(published_offset=-(3 * 3600 + 1800)),
    "no date, url or source": article_row(
        published_at=None, published_offset=None, url=None, source=None
    ),
    "queued": article_row(status="queued", enrichment=None, enriched_at=None, attempts=0),
    "empty document": article_row(enrichment="{}"),
    "failed": article_row(status="failed", error="spaCy ran out of memory", enriched_at=None),
    "blank error": article_row(error=""),
    "older writer, escaped": article_row(enrichment=older_writer(ENRICHMENT)),
    "older writer, padded": article_row(enrichment=older_writer(PLAIN)),
    "older writer, compact": article_row(enrichment=older_writer(PLAIN, separators=(",", ":"))),
}


@pytest.mark.parametrize("row", ARTICLE_ROWS.values(), ids=ARTICLE_ROWS.keys())
def test_an_article_row_becomes_the_json_the_model_would_write(row: dict[str, Any]) -> None:
    assert article_json(row) == article_from_row(row).model_dump_json().encode()


def summary_row(**changes: Any) -> dict[str, Any]:
    row = {
        key: article_row()[key]
        for key in ("id", "title", "url", "source", "published_at", "published_offset", "status")
    }
    # As psycopg loads the jsonb column: its keys in jsonb's order, not the model's.
    refs = json.loads(enrichment_rows(ENRICHMENT).top_entities)
    row["top_entities"] = [{k: r[k] for k in ("name", "label", "entity_id")} for r in refs]
    return {**row, **changes}


SUMMARY_ROWS = [
    summary_row(),
    summary_row(published_at=None, published_offset=None, url=None, source=None),
    summary_row(published_offset=-5 * 3600, status="queued", top_entities=[]),
]


def test_summary_rows_become_the_json_the_models_would_write() -> None:
    summaries = [summary_from_row(r) for r in SUMMARY_ROWS]
    expected = TypeAdapter(list[ArticleSummary]).dump_json(summaries)
    assert summaries_json(SUMMARY_ROWS) == expected
    for cursor in (None, "WzE3MDAwMDAwMDAuMCwiM2YyYTljMWQwYjdlNGE2NiJd"):
        page = ArticlePage(items=list(summaries), next_cursor=cursor)
        assert page_json(summaries_json(SUMMARY_ROWS), cursor) == page.model_dump_json().encode()
