"""`gazette prune`: old articles go with everything hanging off them; the rest stays whole.
`gazette ingest` of a JSON-lines file stores it in batches."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from services.cli import main
from shared import settings as settings_module
from shared.models import ArticleIn, DateMention, Enrichment, Entity, EntitySummary
from shared.store import Store
from shared.store.query import ArticleQuery

pytestmark = pytest.mark.integration

LAVROV = EntitySummary(
    entity_id="person:sergei-lavrov", name="Sergei Lavrov", label="PERSON", mentions=1,
    salience=0.5,
)  # fmt: skip


def enrichment() -> Enrichment:
    return Enrichment(
        entities=[Entity(text="Lavrov", label="PERSON", start=0, end=6)],
        dates=[DateMention(text="Monday", type="DATE", value="2016-09-19", start=7, end=13)],
        entity_summary=[LAVROV],
    )


def run(monkeypatch: pytest.MonkeyPatch, database_url: str, *args: str) -> int:
    monkeypatch.setenv("GAZETTE_DATABASE_URL", database_url)
    settings_module.get_settings.cache_clear()
    try:
        return main(list(args))
    finally:
        settings_module.get_settings.cache_clear()


def backdate(database_url: str, article_id: str, days: int) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE articles SET created_at = now() - make_interval(days => %s) WHERE id = %s",
            (days, article_id),
        )


def count(database_url: str, table: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_prune_deletes_old_articles_with_their_rows_and_counts(
    store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = []
    for n in range(5):
        article_id, _ = store.save_article(ArticleIn(title=f"T{n}", text=f"Lavrov Monday {n}"))
        store.mark_enriched(article_id, enrichment())
        ids.append(article_id)
    for old in ids[:3]:
        backdate(database_url, old, 40)

    assert run(monkeypatch, database_url, "prune", "--days", "30") == 0

    assert {a.id for a in store.find_articles(ArticleQuery(limit=100))[0]} == set(ids[3:])
    assert count(database_url, "articles") == 2
    assert count(database_url, "mentions") == count(database_url, "mentioned_dates") == 2
    assert count(database_url, "article_entities") == 2
    [lavrov] = store.rank_entities(None, None, 10)
    assert lavrov.articles == 2
    assert run(monkeypatch, database_url, "prune", "--days", "30") == 0  # nothing left to do
    assert count(database_url, "articles") == 2


def test_ingest_of_a_json_lines_file_stores_every_line_in_batches(
    store: Store,
    database_url: str,
    redis_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = [json.dumps({"title": f"Line {n}", "text": f"Body number {n}."}) for n in range(1200)]
    lines.append(lines[7])  # a duplicate, answered as known
    source = tmp_path / "backfill.jsonl"
    source.write_text("\n".join(lines) + "\n")
    # Redis db 11: no worker takes these tasks.
    monkeypatch.setenv("GAZETTE_REDIS_URL", redis_url.rsplit("/", 1)[0] + "/11")
    assert run(monkeypatch, database_url, "ingest", str(source)) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1201
    assert printed[-1].endswith("(already known)")
    assert printed[-1].split("\t")[0] == printed[7].split("\t")[0]
    assert count(database_url, "articles") == 1200
