"""Every answer, HTML or JSON, success or refusal, carries the security headers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.integration.query_fixtures import Corpus, corpus_on

pytestmark = pytest.mark.integration

BIG = {"title": "t", "text": "x" * 3_000}


@pytest.fixture(scope="module")
def corpus(database_url: str, redis_url: str) -> Iterator[Corpus]:
    with corpus_on(
        database_url,
        redis_url,
        api_keys="the-key",
        max_body_bytes=2_000,
        rate_limit_per_minute=1_000,
    ) as corpus:
        yield corpus


def assert_secured(answer: httpx.Response) -> None:
    policy = answer.headers.get("content-security-policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in policy.split(";") if d.strip()}
    assert directives.get("default-src") == "default-src 'self'", (answer.url, policy)
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-frame-options"] == "DENY"


def test_every_kind_of_answer_carries_the_security_headers(corpus: Corpus) -> None:
    client = corpus.client
    article = f"/articles/{corpus.ids['truce']}"
    answers = {
        "json": client.get(article),
        "list": client.get("/articles?entity=lavrov"),
        "html": client.get("/ui"),
        "html article": client.get(f"/ui{article}"),
        "css": client.get("/ui/static/gazette.css"),
        "docs": client.get("/docs"),
        "docs asset": client.get("/docs/static/init.js"),
        "openapi": client.get("/openapi.json"),
        "metrics": client.get("/metrics"),
        "health": client.get("/healthz"),
        "404": client.get("/articles/0000000000000000"),
        "422": client.get("/articles?published_to=9999-12-31"),
        "401": client.post("/articles", json={"title": "t", "text": "x"}),
        "413": client.post("/articles", json=BIG, headers={"X-API-Key": "the-key"}),
        "no route": client.get("/nowhere"),
    }
    for name, answer in answers.items():
        assert answer.status_code < 500, name
        assert_secured(answer)
    assert answers["401"].status_code == 401 and answers["413"].status_code == 413
