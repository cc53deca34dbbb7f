"""The lean routes of `GET /articles` and `GET /articles/{id}` (services/api/lean.py) answer
exactly as the documented FastAPI routes would: every status, header and byte, the errors
included, on a real PostgreSQL with the query fixtures' stories."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from starlette.requests import Request
from starlette.responses import Response

from services.api.lean import LeanEndpoint
from services.api.routes import articles
from tests.integration.query_fixtures import Corpus, corpus_on

pytestmark = pytest.mark.integration

SERVED_LEAN = [
    "",
    "entity=Lavrov",
    "entity=person:sergei-lavrov&published_from=2016-09-20",
    "entity=Lavrov&entity=Geneva",  # the last of a repeated key, as FastAPI reads it
    f"q={quote('convoy SYRIA')}",
    "q=" + quote('"peace talks" or truce -aleppo'),
    "q=syria&sort=relevance",
    "source=WIRE&status=enriched",
    "label=gpe",
    "mentions_date_from=2016-09-22&mentions_date_to=2016-09-30",
    "published_to=2016-09-13",
    "limit=2",
    "include=summary&unknown=ignored",
    "entity=",
]
# Left to the documented route: whole articles, and what the filters refuse.
LEFT_TO_FASTAPI = [
    "include=full",
    "include=everything",
    "limit=0",
    "limit=many",
    "published_from=yesterday",
    "status=lost",
    "sort=relevance",
    "cursor=not-a-cursor",
    "label=" + "X" * 50,
]
QUERIES = SERVED_LEAN + LEFT_TO_FASTAPI


@pytest.fixture(scope="module")
def corpus(database_url: str, redis_url: str) -> Iterator[Corpus]:
    with corpus_on(database_url, redis_url) as stories:
        yield stories


@pytest.fixture
def lean_endpoints() -> list[LeanEndpoint]:
    found = [route.app for route in articles.router.routes if isinstance(route.app, LeanEndpoint)]
    assert len(found) == 2
    return found


def answers(corpus: Corpus, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    answer = corpus.client.request(method, path)
    headers = {k: v for k, v in answer.headers.items() if k not in ("date",)}
    return answer.status_code, headers, answer.content


def compare(
    corpus: Corpus,
    endpoints: list[LeanEndpoint],
    method: str,
    path: str,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[int, int]:
    """The lean and the documented answers to one request, asserted equal; (status, how many
    of them the lean routes answered themselves)."""
    served = 0

    def counted(serve):  # type: ignore[no-untyped-def]
        async def counting(request: Request) -> Response | None:
            nonlocal served
            response = await serve(request)
            served += response is not None
            return response

        return counting

    with monkeypatch.context() as patch:
        for endpoint in endpoints:
            patch.setattr(endpoint, "serve", counted(endpoint.serve))
        lean = answers(corpus, method, path)
    with monkeypatch.context() as patch:

        async def decline(request: Request) -> None:
            return None

        for endpoint in endpoints:
            patch.setattr(endpoint, "serve", decline)
        documented = answers(corpus, method, path)
    assert lean == documented, path
    return lean[0], served


@pytest.mark.parametrize("query", QUERIES)
def test_a_search_answers_as_documented(
    corpus: Corpus, lean_endpoints: list[LeanEndpoint], query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, served = compare(corpus, lean_endpoints, "GET", f"/articles?{query}", monkeypatch)
    left_to_fastapi = query in LEFT_TO_FASTAPI
    assert served == (0 if left_to_fastapi else 1)
    assert (status == 200) == (not left_to_fastapi or query == "include=full")


def test_the_next_page_answers_as_documented(
    corpus: Corpus, lean_endpoints: list[LeanEndpoint], monkeypatch: pytest.MonkeyPatch
) -> None:
    cursor = corpus.client.get("/articles?limit=2").json()["next_cursor"]
    assert cursor
    status, served = compare(
        corpus, lean_endpoints, "GET", f"/articles?limit=2&cursor={quote(cursor)}", monkeypatch
    )
    assert (status, served) == (200, 1)


def test_an_article_answers_as_documented(
    corpus: Corpus, lean_endpoints: list[LeanEndpoint], monkeypatch: pytest.MonkeyPatch
) -> None:
    for article_id in corpus.ids.values():
        assert compare(corpus, lean_endpoints, "GET", f"/articles/{article_id}", monkeypatch) == (
            200,
            1,
        )
    for missing in ("0123456789abcdef", "not-an-id", "BATCH", "x" * 300):
        status, _ = compare(corpus, lean_endpoints, "GET", f"/articles/{missing}", monkeypatch)
        assert status == 404
    some_id = next(iter(corpus.ids.values()))
    assert compare(corpus, lean_endpoints, "HEAD", f"/articles/{some_id}", monkeypatch) == (405, 0)
    assert compare(corpus, lean_endpoints, "HEAD", "/articles", monkeypatch) == (405, 0)
