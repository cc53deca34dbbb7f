"""GET /entities and GET /entities/{entity_id} (db 9, flushed per test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.query_fixtures import Corpus, corpus_on

pytestmark = pytest.mark.integration


@pytest.fixture
def corpus(database_url: str, redis_url: str) -> Iterator[Corpus]:
    with corpus_on(database_url, redis_url) as stories:
        yield stories


def test_entities_most_frequent_first_with_their_counts(corpus: Corpus) -> None:
    items = corpus.client.get("/entities").json()["items"]
    assert [i["articles"] for i in items] == [3, 3, 2, 1]
    assert {i["entity_id"] for i in items[:2]} == {"person:john-kerry", "person:sergei-lavrov"}
    assert [i["entity_id"] for i in items[2:]] == ["place:syria", "org:united-nations"]
    assert set(items[0]) == {"entity_id", "name", "label", "articles"}


def test_entities_by_label_name_and_limit(corpus: Corpus) -> None:
    by_label = corpus.client.get("/entities?label=gpe").json()["items"]
    assert [(i["name"], i["label"]) for i in by_label] == [("Syria", "GPE")]
    found = corpus.client.get("/entities?q=Lavrov").json()["items"]
    assert [i["entity_id"] for i in found] == ["person:sergei-lavrov"]
    assert corpus.client.get("/entities?q=nobody%20known").json()["items"] == []
    assert len(corpus.client.get("/entities?limit=2").json()["items"]) == 2


def test_one_entity_with_its_recent_articles(corpus: Corpus) -> None:
    answer = corpus.client.get("/entities/person:sergei-lavrov?limit=2")
    assert answer.status_code == 200
    entity = answer.json()
    assert (entity["name"], entity["label"], entity["articles"]) == ("Sergei Lavrov", "PERSON", 3)
    assert [a["id"] for a in entity["recent_articles"]] == [
        corpus.ids["truce"],
        corpus.ids["aleppo"],
    ]
    assert "lavrov" in entity["aliases"]


def test_unknown_entity_is_a_404_problem(corpus: Corpus) -> None:
    answer = corpus.client.get("/entities/person:nobody")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "Entity not found"
