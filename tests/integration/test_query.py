"""GET /articles: each filter, their combinations, the order, the cursor and the errors, against
a real PostgreSQL (emptied per test) with articles stored and enriched through the store."""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.integration.query_fixtures import STORIES, Corpus, Story, corpus_on, store_story

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


@pytest.fixture
def corpus(database_url: str, redis_url: str) -> Iterator[Corpus]:
    with corpus_on(database_url, redis_url) as stories:
        yield stories


def test_no_filter_lists_every_article_newest_published_first(corpus: Corpus) -> None:
    assert corpus.names("") == ["pending", "truce", "aleppo", "assembly", "geneva"]


@pytest.mark.parametrize(
    "entity", ["person:sergei-lavrov", "Sergei Lavrov", "sergei lavrov", "LAVROV", "Lavrov's"]
)
def test_entity_by_id_name_or_surface_form(corpus: Corpus, entity: str) -> None:
    assert corpus.names(f"entity={entity}") == ["truce", "aleppo", "geneva"]


def test_unknown_entity_finds_nothing(corpus: Corpus) -> None:
    assert corpus.names("entity=Putin") == []
    assert corpus.names("entity=person:vladimir-putin") == []


def test_label(corpus: Corpus) -> None:
    assert corpus.names("label=ORG") == ["assembly"]
    assert corpus.names("label=gpe") == ["truce", "aleppo"]


def test_published_range_includes_both_days(corpus: Corpus) -> None:
    assert corpus.names("published_from=2016-09-20&published_to=2016-09-23") == [
        "truce",
        "aleppo",
    ]
    assert corpus.names("published_to=2016-09-13") == ["assembly", "geneva"]
    assert corpus.names("published_from=2016-09-23T12:00:00Z") == ["pending"]


def test_mentioned_dates_match_days_and_wider_mentions(corpus: Corpus) -> None:
    # "this month" (2016-09) in the Aleppo story covers the 21st; the truce story says the 22nd.
    assert corpus.names("mentions_date_from=2016-09-21&mentions_date_to=2016-09-21") == ["aleppo"]
    assert corpus.names("mentions_date_from=2016-09-22&mentions_date_to=2016-09-30") == [
        "truce",
        "aleppo",
    ]
    assert corpus.names("mentions_date_to=2016-09-12") == ["aleppo", "geneva"]
    assert corpus.names("mentions_date_to=2016-08-31") == []
    assert corpus.names("mentions_date_from=2016-10-01") == []


def test_source_is_case_insensitive(corpus: Corpus) -> None:
    assert corpus.names("source=WIRE") == ["pending", "truce", "assembly", "geneva"]
    assert corpus.names("source=agency") == ["aleppo"]


def test_status(corpus: Corpus) -> None:
    assert corpus.names("status=queued") == ["pending"]
    assert corpus.names("status=enriched") == ["truce", "aleppo", "assembly", "geneva"]
    assert corpus.names("status=failed") == []


def test_words_in_title_or_text_all_required(corpus: Corpus) -> None:
    assert corpus.names("q=Geneva") == ["geneva"]
    assert corpus.names("q=convoy%20SYRIA") == ["aleppo"]
    assert corpus.names("q=truce") == ["truce"]  # in the title and the text
    assert corpus.names("q=truce%20geneva") == []


def test_words_take_web_search_syntax_and_are_stemmed(corpus: Corpus) -> None:
    assert corpus.names("q=talk") == ["geneva"]  # "talks" in the title
    assert corpus.names('q="aid convoy"') == ["aleppo"]
    assert corpus.names('q="convoy aid"') == []  # a phrase keeps its order
    assert corpus.names("q=geneva%20or%20refugees") == ["assembly", "geneva"]
    assert corpus.names("q=kerry%20-geneva") == ["truce", "assembly"]


def test_relevance_ranks_by_the_words_and_pages_with_a_cursor(corpus: Corpus) -> None:
    # "Syria" in the Aleppo story's text only; in the truce story's title ("Syrian") and text.
    assert corpus.names("q=syria&sort=relevance") == ["truce", "aleppo"]
    first = corpus.client.get("/articles?q=lavrov&sort=relevance&limit=1").json()
    seen = [first["items"][0]["id"]]
    cursor = first["next_cursor"]
    while cursor:
        page = corpus.client.get(f"/articles?q=lavrov&sort=relevance&limit=1&cursor={cursor}")
        seen += [item["id"] for item in page.json()["items"]]
        cursor = page.json()["next_cursor"]
    everything = corpus.client.get("/articles?q=lavrov&sort=relevance").json()["items"]
    assert seen == [item["id"] for item in everything] and len(seen) == 4
    answer = corpus.client.get("/articles?sort=relevance")
    assert answer.status_code == 400 and answer.headers["content-type"] == PROBLEM


def test_filters_combine_by_and(corpus: Corpus) -> None:
    assert corpus.names("entity=kerry&source=wire&published_from=2016-09-01") == [
        "truce",
        "assembly",
    ]
    assert corpus.names("entity=lavrov&label=GPE&mentions_date_from=2016-09-20") == [
        "truce",
        "aleppo",
    ]
    assert corpus.names("entity=lavrov&status=queued") == []
    assert corpus.names("entity=kerry&q=refugees&status=enriched&source=Wire") == ["assembly"]


def test_items_are_summaries_unless_full_is_asked(corpus: Corpus) -> None:
    summary = corpus.client.get("/articles?entity=lavrov&limit=1").json()["items"][0]
    assert set(summary) == {"id", "title", "url", "source", "published_at", "status",
                            "top_entities"}  # fmt: skip
    assert summary["id"] == corpus.ids["truce"] and summary["status"] == "enriched"
    assert {e["entity_id"] for e in summary["top_entities"]} == {
        "person:sergei-lavrov",
        "person:john-kerry",
        "place:syria",
    }
    full = corpus.client.get("/articles?entity=lavrov&limit=1&include=full").json()["items"][0]
    assert full == corpus.client.get(f"/articles/{corpus.ids['truce']}").json()
    assert full["text"] == STORIES["truce"].text


def walk(client: TestClient, query: str, limit: int) -> tuple[list[str], int]:
    """Every id a query lists, following `next_cursor`; and how many pages it took."""
    seen: list[str] = []
    cursor, pages = None, 0
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        page: dict[str, Any] = client.get(f"/articles?{query}&limit={limit}{suffix}").json()
        pages += 1
        assert len(page["items"]) <= limit
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, pages


def test_cursor_walks_every_article_once_in_order(corpus: Corpus) -> None:
    everything = [item["id"] for item in corpus.client.get("/articles").json()["items"]]
    for limit in (1, 2, 3, 5):
        seen, pages = walk(corpus.client, "", limit)
        assert seen == everything
        assert pages == -(-len(everything) // limit)


def test_pages_stay_correct_while_new_articles_arrive(corpus: Corpus) -> None:
    first = corpus.client.get("/articles?entity=lavrov&limit=2").json()
    # A newer article and one dated between the pages arrive before the next page is read.
    for day in ("2016-09-30", "2016-09-21"):
        store_story(
            corpus.store,
            Story(f"Lavrov on {day}", f"Lavrov spoke on {day}.", day,
                  entities=[("person:sergei-lavrov", "Sergei Lavrov", "PERSON")]),
        )  # fmt: skip
    second = corpus.client.get(f"/articles?entity=lavrov&limit=2&cursor={first['next_cursor']}")
    titles = [item["title"] for item in second.json()["items"]]
    assert titles == ["Geneva talks"]  # older than the first page's last article, none repeated
    assert second.json()["next_cursor"] is None


def test_many_articles_of_one_day_page_without_gaps(corpus: Corpus) -> None:
    ids = {
        store_story(corpus.store, Story(f"Same day {n}", f"Story number {n}.", "2017-01-01"))
        for n in range(30)
    }
    seen, _ = walk(corpus.client, "published_from=2017-01-01", 7)
    assert len(seen) == 30 and set(seen) == ids


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("cursor=not-a-cursor", 400),
        ("cursor=WzEsMl0", 400),  # base64 of [1,2]: well-formed JSON, not a cursor
        ("limit=0", 422),
        ("limit=101", 422),
        ("status=done", 422),
        ("published_from=yesterday", 422),
        ("published_from=2016-09-20&published_to=2016-09-01", 400),
        ("mentions_date_from=2016-09-20&mentions_date_to=2016-09-01", 400),
        ("include=everything", 422),
    ],
)
def test_bad_queries_are_problems(corpus: Corpus, query: str, status: int) -> None:
    answer = corpus.client.get(f"/articles?{query}")
    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["status"] == status


def test_batch_submission_answers_ids_in_order(corpus: Corpus) -> None:
    articles = [{"title": f"Batch {n}", "text": f"Body {n}", "source": "bulk"} for n in range(50)]
    answer = corpus.client.post("/articles/batch", json={"articles": articles})
    assert answer.status_code == 202
    items = answer.json()["items"]
    assert [i["status"] for i in items] == ["queued"] * 50
    for item, article in zip(items, articles, strict=True):
        assert corpus.client.get(f"/articles/{item['id']}").json()["title"] == article["title"]
    assert len(corpus.titles("source=bulk&limit=100")) == 50


def test_batch_over_a_thousand_is_refused(corpus: Corpus) -> None:
    articles = [{"title": "Overflow", "text": f"{n}"} for n in range(1001)]
    answer = corpus.client.post("/articles/batch", json={"articles": articles})
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    assert corpus.titles("q=overflow&limit=5") == []


@pytest.mark.parametrize("walk_size", [2, 5, 10, 15, 2000])
def test_words_find_old_and_new_matches_whatever_the_walk(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, walk_size: int
) -> None:
    """Word queries check the newest articles first and read older matches from the index:
    with a walk shorter than the archive, matches on both sides of it are listed once, newest
    first, page after page, and filters still apply to both."""
    monkeypatch.setattr("shared.store.search.WORDS_WALK", (walk_size, walk_size))
    expected = []
    for n in range(12):  # every third story has the words; the rest have one word or none
        words = "harbour strike" if n % 3 == 0 else ("harbour" if n % 3 == 1 else "weather")
        story = Story(f"Story {n}", f"The {words} was news {n}.", f"2017-02-{n + 1:02d}",
                      source="Port" if n % 2 == 0 else "Wire")  # fmt: skip
        article_id = store_story(corpus.store, story)
        if n % 3 == 0:
            expected.insert(0, article_id)
    for limit in (1, 2, 3, 10):
        seen, _ = walk(corpus.client, "q=harbour+strike", limit)
        assert seen == expected
    port_only = [i for i in expected if i in walk(corpus.client, "source=port", 100)[0]]
    assert walk(corpus.client, "q=harbour+strike&source=port", 2)[0] == port_only
    window = "q=harbour+strike&published_from=2017-02-02&published_to=2017-02-09"
    assert [corpus.client.get(f"/articles/{i}").json()["title"]
            for i in walk(corpus.client, window, 2)[0]] == ["Story 6", "Story 3"]  # fmt: skip


@pytest.mark.parametrize("walk_size", [1, 3, 8, 40])
def test_word_pages_are_the_same_whichever_way_the_walk_runs(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, walk_size: int
) -> None:
    """Words whose other filters only bound the walk (source, publication window, cursor) are
    walked by the database's function; with any other filter (here the status, which every
    article passes) by one statement. Both list the same articles in the same order, page
    after page, whatever the walk's length and the words' syntax."""
    monkeypatch.setattr("shared.store.search.WORDS_WALK", (walk_size, walk_size))
    rng = random.Random(walk_size)
    vocabulary = ["harbour", "strike", "weather", "council", "budget", "flood"]
    for n in range(40):
        words = " ".join(rng.sample(vocabulary, 3))
        story = Story(f"Story {n}", f"The {words} made news {n}.", f"2017-03-{n % 28 + 1:02d}",
                      source=rng.choice(["Port", "Wire"]))  # fmt: skip
        store_story(corpus.store, story)
    assert walk(corpus.client, "q=harbour+strike", 100)[0]  # the words do meet
    for words in ("harbour strike", "council -budget", '"strike weather"', "flood or budget"):
        for bounds in ("", "&source=port", "&published_from=2017-03-05&published_to=2017-03-20"):
            for limit in (2, 25):
                asked = f"q={quote(words)}{bounds}"
                walked, _ = walk(corpus.client, asked, limit)
                assert walked == walk(corpus.client, f"{asked}&status=enriched", limit)[0]


def cursor_of(raw: str) -> str:
    """A cursor token carrying `raw` (JSON), as a client could forge one."""
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        '[NaN,"x"]',
        '[Infinity,"x"]',
        '[-1e999,"x"]',
        "[1" + "0" * 400 + ',"x"]',  # an integer too large for a float: a cursor too long
        '[1.5,"a\\u0000b"]',  # a NUL, which no id holds
        '[1.5,"' + "x" * 5000 + '"]',
    ],
)
def test_a_forged_cursor_is_a_problem_for_every_kind_of_page(corpus: Corpus, raw: str) -> None:
    """A cursor is a position this API handed out: one that names no position (not a finite
    number, an id no article can have, longer than any cursor) is refused, whatever the page."""
    kinds = ("", "q=lavrov&", "q=lavrov&sort=relevance&", "entity=lavrov&",
             "q=lavrov&status=enriched&")  # fmt: skip
    for query in kinds:
        answer = corpus.client.get(f"/articles?{query}cursor={cursor_of(raw)}")
        assert answer.status_code in (400, 422), (query, answer.text)
        assert answer.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("words", ["the of and", "!!! ???", "-", '""', "or"])
def test_words_that_name_nothing_find_nothing(corpus: Corpus, words: str) -> None:
    """Stop words, punctuation and a bare exclusion leave no word to look for: an empty page,
    not an error, whichever way the words are walked."""
    for extra in ("", "&status=enriched", "&sort=relevance"):
        answer = corpus.client.get(f"/articles?q={quote(words)}{extra}")
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("field", ["q", "source", "label"])
def test_a_nul_in_a_filter_is_a_problem_not_a_crash(corpus: Corpus, field: str) -> None:
    """PostgreSQL text holds no NUL: a filter carrying one is refused as the client's error."""
    for extra in ("", "&entity=lavrov", "&status=enriched"):
        answer = corpus.client.get(f"/articles?{field}=lav%00rov{extra}")
        assert answer.status_code in (400, 422), (extra, answer.text)
        assert answer.headers["content-type"] == PROBLEM


def test_entity_pages_are_the_same_whichever_way_the_walks_run(corpus: Corpus) -> None:
    """An entity whose other filters only bound its walks (a publication window, the cursor)
    is walked by the database's function; with any other filter (the status, which every
    article passes) by one statement. Both list the same articles in the same order, page
    after page, for a name that stands for one entity or several."""
    rng = random.Random(3)
    people = [
        ("person:sergei-lavrov", "Sergei Lavrov", "PERSON"),
        ("person:lavrov", "Lavrov", "PERSON"),
        ("person:john-kerry", "John Kerry", "PERSON"),
    ]
    for n in range(40):
        named = rng.sample(people, rng.randint(1, 2))
        story = Story(f"Talks {n}", " and ".join(p[1] for p in named) + f" spoke, day {n}.",
                      f"2017-04-{n % 28 + 1:02d}", entities=named)  # fmt: skip
        store_story(corpus.store, story)
    assert len(walk(corpus.client, "entity=lavrov", 100)[0]) > 20  # both Lavrovs
    for name in ("lavrov", "person:john-kerry", "Sergei Lavrov"):
        for bounds in ("", "&published_from=2017-04-03&published_to=2017-04-20"):
            for limit in (1, 3, 25):
                asked = f"entity={quote(name)}{bounds}"
                walked, _ = walk(corpus.client, asked, limit)
                assert walked == walk(corpus.client, f"{asked}&status=enriched", limit)[0]
