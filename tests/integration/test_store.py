import psycopg
import pytest

from shared.bus import Bus
from shared.entity_names import entity_id
from shared.errors import ArticleNotFound
from shared.models import (
    ArticleIn,
    ArticleStatus,
    DateMention,
    Enrichment,
    Entity,
    EntitySummary,
)
from shared.store import Store
from shared.store.query import ArticleQuery

pytestmark = pytest.mark.integration


def test_saved_article_reads_back_exactly_as_submitted(store: Store) -> None:
    text = "  Leading spaces,\ttabs and a trailing newline\n"
    article_id, created = store.save_article(
        ArticleIn(title="T", text=text, source="wire", published_at="2016-09-23")
    )
    assert created
    article = store.get_article(article_id)
    assert article.text == text
    assert article.status is ArticleStatus.QUEUED
    assert article.source == "wire" and article.url is None
    assert article.published_at is not None and article.published_at.year == 2016
    assert store.count_by_status()[ArticleStatus.QUEUED] == 1


def test_the_same_article_again_is_not_stored_twice(store: Store) -> None:
    first, created = store.save_article(ArticleIn(title="T", text="Body"))
    again, created_again = store.save_article(ArticleIn(title="T", text="Body"))
    assert (first, created, created_again) == (again, True, False)
    by_url, _ = store.save_article(ArticleIn(title="T", text="Other", url="https://x.org/a"))
    same_url, new = store.save_article(ArticleIn(title="T2", text="Edited", url="https://x.org/a"))
    assert by_url == same_url and not new
    # Same words under another URL: the content digest finds the known article.
    mirror, new = store.save_article(ArticleIn(title="T", text="Other", url="https://y.org/b"))
    assert mirror == by_url and not new


def test_enrichment_is_stored_and_a_missing_publication_date_filled(store: Store) -> None:
    article_id, _ = store.save_article(ArticleIn(title="T", text="Kerry met Lavrov on Thursday."))
    assert store.claim_for_enrichment(article_id, max_attempts=3) == "run"
    assert store.get_article(article_id).attempts == 1
    enrichment = Enrichment(
        entities=[Entity(text="Kerry", label="PERSON", start=0, end=5)],
        dates=[DateMention(text="Thursday", type="DATE", value="2016-09-22", start=20, end=28)],
        published_at="2016-09-23",
    )
    store.mark_enriched(article_id, enrichment)
    article = store.get_article(article_id)
    assert article.status is ArticleStatus.ENRICHED
    assert article.entities == enrichment.entities and article.dates == enrichment.dates
    assert article.published_at == enrichment.published_at
    assert article.enriched_at is not None
    counts = store.count_by_status()
    assert counts[ArticleStatus.ENRICHED] == 1 and counts[ArticleStatus.PROCESSING] == 0


def test_a_submitted_publication_date_is_never_overwritten(store: Store) -> None:
    article_id, _ = store.save_article(
        ArticleIn(title="T", text="x", published_at="2020-01-01T12:00:00Z")
    )
    store.mark_enriched(article_id, Enrichment(published_at="1999-01-01"))
    published = store.get_article(article_id).published_at
    assert published is not None and published.year == 2020


def test_failure_is_recorded(store: Store) -> None:
    article_id, _ = store.save_article(ArticleIn(title="T", text="x"))
    store.mark_failed(article_id, "ValueError: bad")
    article = store.get_article(article_id)
    assert (article.status, article.error) == (ArticleStatus.FAILED, "ValueError: bad")


def test_unknown_article(store: Store) -> None:
    with pytest.raises(ArticleNotFound):
        store.get_article("0000000000000000")
    assert store.claim_for_enrichment("0000000000000000", max_attempts=3) == "missing"


def test_heartbeats_make_a_worker_live_until_they_stop(bus: Bus) -> None:
    bus.record_heartbeat("enrich", "w1")
    assert bus.live_workers("enrich", 5) == ["w1"]
    assert bus.live_workers("enrich", -1) == []  # a beat older than the window counts for nothing
    bus.forget_worker("enrich", "w1")
    assert bus.live_workers("enrich", 5) == []


def test_a_publication_time_keeps_the_publishers_offset(store: Store) -> None:
    article_id, _ = store.save_article(
        ArticleIn(title="T", text="Beijing", published_at="2016-09-23T08:30:00+08:00")
    )
    published = store.get_article(article_id).published_at
    assert published is not None and published.isoformat() == "2016-09-23T08:30:00+08:00"
    # A dateline found at enrichment keeps its own offset too.
    other, _ = store.save_article(ArticleIn(title="T", text="Delhi"))
    store.mark_enriched(other, Enrichment(published_at="2016-09-23T10:00:00+05:30"))
    filled = store.get_article(other).published_at
    assert filled is not None and filled.isoformat() == "2016-09-23T10:00:00+05:30"


def test_a_batch_is_stored_in_order_with_duplicates_answered(store: Store) -> None:
    batch = [ArticleIn(title=f"T{n}", text=f"Body {n}") for n in range(5)]
    answers = store.save_articles([*batch, batch[2]])
    assert [created for _, created in answers] == [True] * 5 + [False]
    assert answers[5][0] == answers[2][0]
    assert store.count_by_status()[ArticleStatus.QUEUED] == 5


def test_an_entity_draws_one_key_however_often_it_is_named(store: Store, database_url: str) -> None:
    """Entity keys are integers (migration 0005): re-enrichments and the thousands of articles
    naming a known entity must not use up the key space."""

    def keys() -> tuple[int, int]:
        """How many entities there are, and how many keys their span holds."""
        with psycopg.connect(database_url) as conn:
            row = conn.execute(
                "SELECT count(*), coalesce(max(key) - min(key) + 1, 0) FROM entities"
            ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def enrichment(*names: str) -> Enrichment:
        mentions, summary, at = [], [], 0
        for name in names:
            mentions.append(Entity(text=name, label="PERSON", start=at, end=at + len(name)))
            summary.append(EntitySummary(entity_id=entity_id("PERSON", name), name=name,
                                         label="PERSON", mentions=1, salience=0.5))  # fmt: skip
            at += len(name) + len(" and ")
        return Enrichment(entities=mentions, entity_summary=summary)

    ids = [store.save_article(ArticleIn(title=f"T{n}", text=f"Body {n}"))[0] for n in range(6)]
    store.mark_many_enriched([(i, enrichment("John Kerry", "Sergei Lavrov")) for i in ids[:3]])
    for article_id in ids[3:]:
        store.mark_enriched(article_id, enrichment("John Kerry", "Ban Ki-moon"))
    store.mark_enriched(ids[0], enrichment("John Kerry", "Sergei Lavrov"))  # enriched again
    # The three entities took three consecutive keys: none was drawn for a name already known.
    assert keys() == (3, 3)
    found, _ = store.find_articles(ArticleQuery(entity_ids=("person:john-kerry",), limit=50))
    assert sorted(a.id for a in found) == sorted(ids)
