"""An archive written under an older schema keeps answering the same after the migrations that
follow it: rows are converted, not dropped."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine

from shared.models import ArticleIn, Enrichment
from shared.store import Store
from shared.store.migrate import alembic_config, migrate, sqlalchemy_url
from shared.store.query import ArticleQuery
from shared.store.rows import enrichment_rows, lookup_keys
from tests.servers import scratch_database

pytestmark = pytest.mark.integration

TEXT = "Sergei Lavrov met John Kerry in Geneva. Lavrov said Kerry and Lavrov agreed."


def lavrov_enrichment() -> Enrichment:
    def mention(text: str, label: str, at: int) -> dict[str, object]:
        return {"text": text, "label": label, "start": at, "end": at + len(text)}

    return Enrichment.model_validate(
        {
            "entities": [
                mention("Sergei Lavrov", "PERSON", 0),
                mention("John Kerry", "PERSON", 18),
                mention("Geneva", "GPE", 32),
                mention("Lavrov", "PERSON", 40),
                mention("Kerry", "PERSON", 52),
                # No entity of the summary ends with this name: a mention of no one entity.
                mention("Lavrov", "ORG", 62),
            ],
            "entity_summary": [
                {
                    "entity_id": "person:sergei-lavrov",
                    "name": "Sergei Lavrov",
                    "label": "PERSON",
                    "mentions": 2,
                    "salience": 0.9,
                },
                {
                    "entity_id": "person:john-kerry",
                    "name": "John Kerry",
                    "label": "PERSON",
                    "mentions": 2,
                    "salience": 0.7,
                },
                {
                    "entity_id": "place:geneva",
                    "name": "Geneva",
                    "label": "GPE",
                    "mentions": 1,
                    "salience": 0.4,
                },
            ],
        }
    )


@pytest.fixture
def fresh_url(database_url: str) -> Iterator[str]:
    with scratch_database(database_url, "migrations") as url:
        yield url


def store_as_revision_0004(url: str, article_id: str, enrichment: Enrichment) -> None:
    """What the store wrote for an enriched article while entities were named by id."""
    rows = enrichment_rows(enrichment)
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO enrichments (article_id, document, labels, top_entities) "
            "VALUES (%s, %s::json, %s, %s::jsonb)",
            (article_id, rows.document, rows.labels, rows.top_entities),
        )
        for e in rows.entities:
            conn.execute(
                "INSERT INTO entities (id, name, label, articles, lookup_keys) "
                "VALUES (%s, %s, %s, 1, %s)",
                (e.entity_id, e.name, e.label.upper(), lookup_keys(e)),
            )
            conn.execute(
                "INSERT INTO article_entities (article_id, entity_id, label, mentions, "
                "salience, order_key) SELECT %s, %s, %s, %s, %s, order_key FROM articles "
                "WHERE id = %s",
                (article_id, e.entity_id, e.label.upper(), e.mentions, e.salience, article_id),
            )
        conn.execute(
            "INSERT INTO mentions (article_id, entity_ids, labels, starts, ends) "
            "VALUES (%s, %s, %s, %s, %s)",
            (article_id, *map(list, zip(*rows.mentions, strict=True))),
        )
        conn.execute(
            "UPDATE article_status SET status = 'enriched', enriched_at = now() "
            "WHERE article_id = %s",
            (article_id,),
        )


def test_entity_keys_migration_keeps_every_entity_and_mention(fresh_url: str) -> None:
    migrate(fresh_url, "0004")
    store = Store.from_url(fresh_url)
    try:
        article_id, _ = store.save_article(ArticleIn(title="Talks", text=TEXT))
        store_as_revision_0004(fresh_url, article_id, lavrov_enrichment())

        migrate(fresh_url)

        found, _ = store.find_articles(ArticleQuery(entity_ids=("person:sergei-lavrov",)))
        assert [a.id for a in found] == [article_id]
        found, _ = store.find_articles(ArticleQuery(entity_keys=("geneva",)))
        assert [a.id for a in found] == [article_id]
        assert store.get_article(article_id).entities == lavrov_enrichment().entities
        with psycopg.connect(fresh_url) as conn:
            mentions = conn.execute(
                "SELECT e.id FROM mentions m, unnest(m.entity_keys) WITH ORDINALITY u(key, n) "
                "LEFT JOIN entities e ON e.key = u.key ORDER BY u.n"
            ).fetchall()
        assert [m[0] for m in mentions] == [
            "person:sergei-lavrov",
            "person:john-kerry",
            "place:geneva",
            "person:sergei-lavrov",
            "person:john-kerry",
            None,
        ]

        # Enriched again under the new schema: the same entities, one row each, counted once.
        store.mark_enriched(article_id, lavrov_enrichment())
        with psycopg.connect(fresh_url) as conn:
            rows = conn.execute(
                "SELECT e.id, e.articles, count(ae.article_id) FROM entities e "
                "LEFT JOIN article_entities ae ON ae.entity_key = e.key "
                "GROUP BY e.id, e.articles ORDER BY e.id"
            ).fetchall()
        assert rows == [
            ("person:john-kerry", 1, 1),
            ("person:sergei-lavrov", 1, 1),
            ("place:geneva", 1, 1),
        ]
    finally:
        store.close()


def test_entity_keys_migration_goes_back_down(fresh_url: str) -> None:
    migrate(fresh_url)
    store = Store.from_url(fresh_url)
    try:
        article_id, _ = store.save_article(ArticleIn(title="Talks", text=TEXT))
        store.mark_enriched(article_id, lavrov_enrichment())
    finally:
        store.close()
    engine = create_engine(sqlalchemy_url(fresh_url))
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
    finally:
        engine.dispose()
    with psycopg.connect(fresh_url) as conn:
        entities = conn.execute(
            "SELECT entity_id, label FROM article_entities ORDER BY entity_id"
        ).fetchall()
        mentions = conn.execute("SELECT entity_ids FROM mentions").fetchone()
    assert entities == [
        ("person:john-kerry", "PERSON"),
        ("person:sergei-lavrov", "PERSON"),
        ("place:geneva", "GPE"),
    ]
    assert mentions is not None and mentions[0][-1] is None
    assert mentions[0][:3] == ["person:sergei-lavrov", "person:john-kerry", "place:geneva"]
