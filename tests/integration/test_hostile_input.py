"""Input an attacker would send: out-of-range dates, wildcards where a name belongs, ids that
are key fragments, numbers where a date belongs, URLs that are scripts. Each is a clean 4xx
problem, and none reaches the store as something else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shared.models import FeedIn
from shared.store import FeedStore
from tests.integration.query_fixtures import Corpus, corpus_on

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def corpus(database_url: str, redis_url: str) -> Iterator[Corpus]:
    with corpus_on(database_url, redis_url) as corpus:
        yield corpus


def assert_problem(answer: object, status: int) -> None:
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    assert answer.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]


# -- dates in queries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "published_to=9999-12-31",
        "published_to=9999-12-31T23:59:59",
        "published_from=0001-01-01",
        "published_from=1799-12-31",
        "published_to=2201-01-01",
        "published_from=1474588800",  # a number is not a date
        "published_to=-62135596801",
        "mentions_date_from=1474588800",
        "mentions_date_to=2016-09-23T10:00",  # a day, not a moment
    ],
)
def test_dates_outside_the_range_or_not_iso_8601_are_a_422(corpus: Corpus, query: str) -> None:
    assert_problem(corpus.client.get(f"/articles?{query}"), 422)


def test_dates_at_the_edges_of_the_range_are_answered(corpus: Corpus) -> None:
    everything = corpus.titles("published_from=1800-01-01&published_to=2200-12-31&limit=100")
    assert len(everything) == 5
    assert corpus.names("published_to=2016-09-13") == ["assembly", "geneva"]
    assert corpus.names("mentions_date_from=0001-01-01&mentions_date_to=9999-12-31&status=enriched")


# -- entity and label filters ----------------------------------------------------------------


@pytest.mark.parametrize("wildcard", ["*", "?", "%", "..", "-", "' '", "***"])
def test_an_entity_that_names_nothing_is_a_422_not_every_article(
    corpus: Corpus, wildcard: str
) -> None:
    answer = corpus.client.get("/articles", params={"entity": wildcard})
    assert_problem(answer, 422)
    assert answer.json()["errors"][0]["loc"] == ["query", "entity"]
    assert_problem(corpus.client.get("/entities", params={"q": wildcard}), 422)


def test_wildcard_labels_are_a_422(corpus: Corpus) -> None:
    assert_problem(corpus.client.get("/articles", params={"label": "*"}), 422)
    assert_problem(corpus.client.get("/entities", params={"label": "*"}), 422)
    assert corpus.names("label=person&entity=kerry") == ["truce", "assembly", "geneva"]


def test_names_and_ids_with_punctuation_still_find_their_entity(corpus: Corpus) -> None:
    assert corpus.names("entity=Lavrov's") == ["truce", "aleppo", "geneva"]
    assert corpus.names("entity=person:sergei-lavrov") == ["truce", "aleppo", "geneva"]


# -- path ids --------------------------------------------------------------------------------


def feed_with_an_article(corpus: Corpus, database_url: str) -> tuple[FeedStore, str]:
    feeds = FeedStore.from_url(database_url)
    feed, _ = feeds.add_feed(FeedIn(url="https://news.example/rss.xml"), 600)
    feeds.add_feed_article(feed.id, corpus.ids["truce"])
    return feeds, feed.id


def test_a_feed_id_that_is_a_key_fragment_is_a_404_and_touches_nothing(
    corpus: Corpus, database_url: str
) -> None:
    feeds, feed_id = feed_with_an_article(corpus, database_url)
    try:
        for path in (f"/feeds/articles:{feed_id}", f"/feeds/claim:{feed_id}", "/feeds/*"):
            assert_problem(corpus.client.delete(path), 404)
            assert_problem(corpus.client.get(path), 404)
            assert_problem(corpus.client.post(f"{path}/poll"), 404)
        assert corpus.client.get(f"/feeds/{feed_id}").json()["articles"] == 1
    finally:
        feeds.close()


@pytest.mark.parametrize(
    "path",
    [
        "/articles/*",
        "/articles/created",
        "/articles/dedupe:url",
        "/articles/" + "A" * 16,  # upper-case hex is not an id this API hands out
        "/articles/" + "a" * 5000,
        "/entities/*",
        "/entities/person:*",
        "/entities/names",
        "/entities/PERSON:Sergei Lavrov",
    ],
)
def test_malformed_ids_are_a_404_problem(corpus: Corpus, path: str) -> None:
    answer = corpus.client.get(path)
    assert_problem(answer, 404)
    assert len(answer.text) < 1_000  # a long id is not echoed back whole


def test_malformed_ids_cannot_be_retried(corpus: Corpus) -> None:
    assert_problem(corpus.client.post("/articles/dedupe:url/retry"), 404)


def test_well_formed_ids_still_answer(corpus: Corpus) -> None:
    assert corpus.client.get(f"/articles/{corpus.ids['truce']}").status_code == 200
    assert corpus.client.get("/entities/person:sergei-lavrov").status_code == 200


# -- submissions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "published_at",
    [
        "0001-01-01",
        "9999-12-31",
        "9999-12-31T23:59:59Z",
        "1799-12-31T23:59:59Z",
        "2201-01-01",
        -62135596801,  # was read as seconds: 1968
        1474588800,
        1474588800000,  # was read as milliseconds
        "1474588800",
        True,
        "next thursday",
    ],
)
def test_publication_dates_outside_the_range_or_not_iso_8601_are_a_422(
    corpus: Corpus, published_at: object
) -> None:
    body = {"title": "Dated", "text": "When?", "published_at": published_at}
    answer = corpus.client.post("/articles", json=body)
    assert_problem(answer, 422)
    assert answer.json()["errors"][0]["loc"][-1] == "published_at"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://news.example/a",
        "//news.example/a",
        "/relative/path",
        "http://",
    ],
)
def test_article_urls_other_than_http_are_a_422(corpus: Corpus, url: str) -> None:
    answer = corpus.client.post("/articles", json={"title": "Linked", "text": "x", "url": url})
    assert_problem(answer, 422)
    batch = {"articles": [{"title": "Linked", "text": "x", "url": url}]}
    assert_problem(corpus.client.post("/articles/batch", json=batch), 422)


def test_edge_dates_and_http_urls_are_accepted(corpus: Corpus) -> None:
    client: TestClient = corpus.client
    for published_at in ("1800-01-01", "2200-12-31T23:59:59Z", "2016-09-23T10:30:00+02:00"):
        body = {"title": "Edge", "text": published_at, "published_at": published_at}
        assert client.post("/articles", json=body).status_code == 202
    for url in ("http://news.example/a", "HTTPS://News.Example/b"):
        body = {"title": "Linked", "text": url, "url": url}
        assert client.post("/articles", json=body).status_code == 202
