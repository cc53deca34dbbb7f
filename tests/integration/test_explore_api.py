"""GET /articles/count, /articles/export, /entities/{id}/timeline, /entities/{id}/related and
the prefix suggestions of /entities?q=, on the real PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from shared.store import explore
from tests.integration.query_fixtures import Corpus, corpus_on

pytestmark = pytest.mark.integration

LAVROV = "/entities/person:sergei-lavrov"


@pytest.fixture
def corpus(database_url: str, redis_url: str) -> Iterator[Corpus]:
    with corpus_on(database_url, redis_url) as stories:
        yield stories


def count(corpus: Corpus, query: str) -> dict[str, object]:
    answer = corpus.client.get(f"/articles/count?{query}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@pytest.mark.parametrize(
    "query",
    ["", "entity=Lavrov", "entity=person:john-kerry&source=wire", "q=truce", "status=queued",
     "label=GPE", "published_from=2016-09-14&published_to=2016-09-22", "q=lavrov&sort=relevance",
     "mentions_date_from=2016-09-01&mentions_date_to=2016-09-30", "entity=Kerry&q=met"],
)  # fmt: skip
def test_the_count_is_how_many_the_list_pages_through(corpus: Corpus, query: str) -> None:
    listed = len(corpus.titles(f"{query}&limit=100"))
    assert count(corpus, f"{query}&limit=1") == {"articles": listed, "exact": True}


def test_the_count_stops_at_the_cap(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explore, "COUNT_CAP", 3)
    assert count(corpus, "") == {"articles": 3, "exact": False}
    assert count(corpus, "entity=Kerry") == {"articles": 3, "exact": True}


def test_a_bad_count_query_is_a_problem(corpus: Corpus) -> None:
    answer = corpus.client.get("/articles/count?published_from=2016-10-01&published_to=2016-09-01")
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert corpus.client.get("/articles/count?entity=*").status_code == 422


@pytest.mark.parametrize("chunk", [explore.EXPORT_CHUNK, 2])
def test_export_streams_every_match_in_both_formats(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(explore, "EXPORT_CHUNK", chunk)  # 2: every chunk boundary crossed
    newest_first = corpus.titles("limit=100")
    answer = corpus.client.get("/articles/export?format=csv&limit=1")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="gazette-articles.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["title"] for r in rows] == newest_first
    truce = next(r for r in rows if r["id"] == corpus.ids["truce"])
    assert truce["entities"].split("; ") == ["John Kerry", "Sergei Lavrov", "Syria"]
    assert truce["published_at"].startswith("2016-09-23") and "Lavrov and Kerry" in truce["text"]

    lines = corpus.client.get("/articles/export?format=jsonl&entity=Lavrov").text.splitlines()
    articles = [json.loads(line) for line in lines]
    assert [a["title"] for a in articles] == corpus.titles("entity=Lavrov")
    assert articles[0] == corpus.client.get(f"/articles/{articles[0]['id']}").json()


def test_export_of_nothing_is_a_header_or_nothing(corpus: Corpus) -> None:
    empty = corpus.client.get("/articles/export?format=csv&q=zeppelin").text
    assert empty.strip() == "id,published_at,source,title,url,status,entities,text"
    assert corpus.client.get("/articles/export?format=jsonl&q=zeppelin").text == ""
    assert corpus.client.get("/articles/export?format=xml").status_code == 422


def test_a_query_the_archive_refuses_is_a_problem_not_a_cut_download(corpus: Corpus) -> None:
    for path in ("/articles/export?format=jsonl&q=a%00b", "/articles/count?q=a%00b"):
        answer = corpus.client.get(path)
        assert answer.status_code == 400, path
        assert answer.headers["content-type"] == "application/problem+json"


def test_timeline_per_week_and_per_day(corpus: Corpus) -> None:
    # Lavrov: Geneva talks (Sat 27 Aug), Aleppo (Tue 20 Sep), truce (Fri 23 Sep).
    weekly = corpus.client.get(f"{LAVROV}/timeline").json()
    assert weekly["interval"] == "week"
    assert [(b["date"], b["articles"]) for b in weekly["buckets"]] == [
        ("2016-08-22", 1), ("2016-08-29", 0), ("2016-09-05", 0), ("2016-09-12", 0),
        ("2016-09-19", 2),
    ]  # fmt: skip
    daily = corpus.client.get(f"{LAVROV}/timeline?interval=day").json()["buckets"]
    assert len(daily) == 28 and sum(b["articles"] for b in daily) == 3
    assert (daily[0]["date"], daily[-1]["date"]) == ("2016-08-27", "2016-09-23")
    assert corpus.client.get(f"{LAVROV}/timeline?interval=month").status_code == 422


def test_timeline_keeps_the_most_recent_buckets(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(explore, "MAX_BUCKETS", 4)
    daily = corpus.client.get(f"{LAVROV}/timeline?interval=day").json()["buckets"]
    assert [b["date"] for b in daily] == ["2016-09-20", "2016-09-21", "2016-09-22", "2016-09-23"]


def test_related_entities_with_how_many_articles_together(corpus: Corpus) -> None:
    items = corpus.client.get(f"{LAVROV}/related").json()["items"]
    assert [(i["entity_id"], i["articles"]) for i in items] == [
        ("person:john-kerry", 2), ("place:syria", 2),
    ]  # fmt: skip
    assert len(corpus.client.get(f"{LAVROV}/related?limit=1").json()["items"]) == 1


def test_unknown_or_malformed_entities_are_404_problems(corpus: Corpus) -> None:
    for path in ("/entities/person:nobody/timeline", "/entities/*/related"):
        answer = corpus.client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("typed", "found"),
    [("Lavr", ["person:sergei-lavrov"]), ("serg", ["person:sergei-lavrov"]),
     ("Unit", ["org:united-nations"]), ("nati", ["org:united-nations"]),
     ("united nat", ["org:united-nations"]), ("k", ["person:john-kerry"]), ("erry", [])],
)  # fmt: skip
def test_suggestions_match_the_start_of_a_word(
    corpus: Corpus, typed: str, found: list[str]
) -> None:
    items = corpus.client.get(f"/entities?q={typed}").json()["items"]
    assert [i["entity_id"] for i in items] == found


def test_the_new_endpoints_are_in_the_openapi_document(corpus: Corpus) -> None:
    paths = corpus.client.get("/openapi.json").json()["paths"]
    for path in ("/articles/count", "/articles/export", "/entities/{entity_id}/timeline",
                 "/entities/{entity_id}/related"):  # fmt: skip
        assert "get" in paths[path], path
    export = paths["/articles/export"]["get"]
    assert {p["name"] for p in export["parameters"]} >= {"format", "entity", "q", "source"}
