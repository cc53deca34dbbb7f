"""The rows the archive keeps for queries: re-enrichment leaves nothing stale, a dateline
re-orders, a name of several entities pages through all of them."""

from __future__ import annotations

from datetime import date

import pytest

from shared.models import ArticleIn, ArticleStatus, DateMention, Enrichment, EntitySummary
from shared.store import Store
from shared.store.query import ArticleQuery

pytestmark = pytest.mark.integration


def summary(entity_id: str, name: str, label: str) -> EntitySummary:
    return EntitySummary(entity_id=entity_id, name=name, label=label, mentions=1, salience=0.5)


def found(store: Store, **filters: object) -> list[str]:
    items, _ = store.find_articles(ArticleQuery(**filters))  # type: ignore[arg-type]
    return [item.id for item in items]


def test_re_enrichment_replaces_entities_labels_dates_and_counts(store: Store) -> None:
    article_id, _ = store.save_article(
        ArticleIn(title="T", text="Lavrov spoke.", published_at="2016-09-23")
    )
    first = Enrichment(
        entity_summary=[summary("person:sergei-lavrov", "Sergei Lavrov", "PERSON")],
        dates=[DateMention(text="Monday", type="DATE", value="2016-09-19", start=0, end=6)],
    )
    store.mark_enriched(article_id, first)
    store.mark_enriched(article_id, first)  # a redelivery: counted once
    assert found(store, entity_keys=("lavrov",)) == [article_id]
    assert [(e.entity_id, e.articles) for e in store.rank_entities(None, None, 10)] == [
        ("person:sergei-lavrov", 1)
    ]

    second = Enrichment(
        entity_summary=[summary("org:united-nations", "United Nations", "ORG")],
        dates=[DateMention(text="Friday", type="DATE", value="2016-09-23", start=0, end=6)],
    )
    store.mark_enriched(article_id, second)
    assert found(store, entity_keys=("lavrov",)) == []
    assert found(store, entity_ids=("org:united-nations",)) == [article_id]
    assert found(store, label="PERSON") == []
    assert found(store, label="ORG") == [article_id]
    assert found(store, mentions_from=date(2016, 9, 19), mentions_to=date(2016, 9, 19)) == []
    assert found(store, mentions_from=date(2016, 9, 23), mentions_to=date(2016, 9, 23)) == [
        article_id
    ]
    assert [(e.entity_id, e.articles) for e in store.rank_entities(None, None, 10)] == [
        ("org:united-nations", 1)
    ]
    assert store.rank_entities("PERSON", None, 10) == []
    top = store.find_articles(ArticleQuery())[0][0].top_entities
    assert [e.entity_id for e in top] == ["org:united-nations"]


def test_a_batch_replaces_and_counts_like_one_article_at_a_time(store: Store) -> None:
    ids = [store.save_article(ArticleIn(title=f"T{n}", text=f"Lavrov {n}"))[0] for n in range(3)]
    lavrov = Enrichment(entity_summary=[summary("person:sergei-lavrov", "Sergei Lavrov", "PERSON")])
    nations = Enrichment(entity_summary=[summary("org:united-nations", "United Nations", "ORG")])
    store.mark_enriched(ids[0], lavrov)
    answers = store.mark_many_enriched(
        [(ids[2], lavrov), ("gone", nations), (ids[0], nations), (ids[1], lavrov)]
    )
    assert [a.id if a else None for a in answers] == [ids[2], None, ids[0], ids[1]]
    assert [(e.entity_id, e.articles) for e in store.rank_entities(None, None, 10)] == [
        ("person:sergei-lavrov", 2),
        ("org:united-nations", 1),
    ]
    assert found(store, entity_ids=("org:united-nations",)) == [ids[0]]
    assert sorted(found(store, entity_ids=("person:sergei-lavrov",))) == sorted(ids[1:])
    assert store.count_by_status()[ArticleStatus.ENRICHED] == 3


def test_a_dateline_found_at_enrichment_moves_the_article_in_every_index(store: Store) -> None:
    dated, _ = store.save_article(
        ArticleIn(title="Dated", text="Old news.", source="w", published_at="2001-01-01")
    )
    undated, _ = store.save_article(
        ArticleIn(title="Undated", text="News from a dateline.", source="w")
    )
    # Undated: ordered by when it arrived, i.e. newest.
    assert found(store, source="w") == [undated, dated]
    store.mark_enriched(undated, Enrichment(published_at="1999-05-05"))
    assert store.get_article(undated).published_at is not None
    assert found(store, source="w") == [dated, undated]
    assert found(store, text="dateline") == [undated]
    assert found(store) == [dated, undated]


def test_status_filter_follows_status_changes(store: Store) -> None:
    article_id, _ = store.save_article(ArticleIn(title="T", text="Words."))
    assert found(store, status=ArticleStatus.QUEUED) == [article_id]
    store.claim_for_enrichment(article_id, max_attempts=3)
    assert found(store, status=ArticleStatus.QUEUED) == []
    assert found(store, status=ArticleStatus.PROCESSING) == [article_id]
    store.mark_failed(article_id, "boom")
    assert found(store, status=ArticleStatus.FAILED) == [article_id]
    assert found(store, status=ArticleStatus.PROCESSING) == []


def test_a_name_of_several_entities_pages_through_all_of_them_in_order(store: Store) -> None:
    """ "Lavrov" stands for both `person:sergei-lavrov` and `person:lavrov`: one merged walk."""
    people = [("person:sergei-lavrov", "Sergei Lavrov"), ("person:lavrov", "Lavrov")]
    expected = []
    for day in range(1, 26):
        entity_id, name = people[day % 3 == 0]
        article_id, _ = store.save_article(
            ArticleIn(title=f"Day {day}", text=f"{name} spoke.", source=f"s{day % 2}",
                      published_at=f"2016-10-{day:02d}")
        )  # fmt: skip
        store.mark_enriched(
            article_id, Enrichment(entity_summary=[summary(entity_id, name, "PERSON")])
        )
        expected.insert(0, (article_id, day % 2))
    for filters, want in (
        ({}, [a for a, _ in expected]),
        ({"source": "s1"}, [a for a, parity in expected if parity == 1]),
    ):
        seen, cursor = [], None
        while True:
            page, cursor = store.find_articles(
                ArticleQuery(entity_keys=("lavrov",), limit=4, cursor=cursor, **filters)  # type: ignore[arg-type]
            )
            seen.extend(item.id for item in page)
            if cursor is None:
                break
        assert seen == want
    # And as the filter that is not walked: the source set is smaller than the union.
    assert found(store, source="s0", entity_keys=("lavrov",), limit=100) == [
        a for a, parity in expected if parity == 0
    ]


def test_a_long_articles_words_stay_in_its_row_and_its_text_moves_out(store: Store) -> None:
    """The tsvector a word query checks article by article is read in place; the text, read
    only for a page's rows, is the one moved to the TOAST table (migration 0004)."""
    syllables = ["ka", "lo", "mer", "tis", "van", "dru", "pel", "sor", "nith", "qua", "bex"]
    words = [
        syllables[i % 11] + syllables[i // 11 % 11] + syllables[i // 121 % 11] + "ton"
        for i in range(600)
    ]
    article_id, _ = store.save_article(
        ArticleIn(title="Long dispatch", text=" ".join(words) + ".", published_at="2016-09-23")
    )
    with store.database.connection() as conn:
        row = conn.execute(
            "SELECT pg_column_toast_chunk_id(search) IS NULL AS words_in_row, "
            "pg_column_toast_chunk_id(text) IS NOT NULL AS text_moved, "
            "pg_column_size(search) AS words_bytes FROM articles WHERE id = %s",
            (article_id,),
        ).fetchone()
    assert row is not None
    assert row["words_bytes"] > 2_000  # too big to stay in the row without migration 0004
    assert row["words_in_row"] and row["text_moved"]
    assert found(store, text=f'"{words[300]} {words[301]}"') == [article_id]
    assert found(store, text=f'"{words[301]} {words[300]}"') == []
