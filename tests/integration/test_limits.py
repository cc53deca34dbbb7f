"""The API's limits: body size (413), rate (429 + Retry-After), API keys on writes (401/403)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.query_fixtures import corpus_on

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"
ARTICLE = {"title": "Limits", "text": "A short article."}


def test_a_body_over_the_limit_is_413(database_url: str, redis_url: str) -> None:
    with corpus_on(database_url, redis_url, max_body_bytes=2_000) as corpus:
        big = {"title": "Big", "text": "x" * 3_000}
        answer = corpus.client.post("/articles", json=big)
        assert answer.status_code == 413
        assert answer.headers["content-type"] == PROBLEM
        assert "2000 bytes" in answer.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"title": "Big", "text": "'
            yield b"y" * 3_000
            yield b'"}'

        streamed = corpus.client.post(
            "/articles", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413 and streamed.headers["content-type"] == PROBLEM
        assert corpus.titles("q=big") == []
        assert corpus.client.post("/articles", json=ARTICLE).status_code == 202


def test_over_the_rate_limit_is_429_with_retry_after(database_url: str, redis_url: str) -> None:
    with corpus_on(database_url, redis_url, rate_limit_per_minute=3) as corpus:
        answers = [corpus.client.get("/articles?limit=1") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused = answers[-1]
        assert refused.headers["content-type"] == PROBLEM
        assert 1 <= int(refused.headers["retry-after"]) <= 20  # one request every 20 s
        assert corpus.client.get("/healthz").status_code == 200  # probes are never limited


def test_writes_need_a_key_when_keys_are_set(database_url: str, redis_url: str) -> None:
    with corpus_on(database_url, redis_url, api_keys="first-key, second-key") as corpus:
        missing = corpus.client.post("/articles", json=ARTICLE)
        assert missing.status_code == 401 and missing.headers["content-type"] == PROBLEM
        assert "X-API-Key" in missing.headers["www-authenticate"]
        wrong = corpus.client.post("/articles", json=ARTICLE, headers={"X-API-Key": "guess"})
        assert wrong.status_code == 403 and wrong.headers["content-type"] == PROBLEM
        batch = {"articles": [ARTICLE]}
        assert corpus.client.post("/articles/batch", json=batch).status_code == 401
        assert corpus.titles("q=limits") == []

        ok = corpus.client.post("/articles", json=ARTICLE, headers={"X-API-Key": "second-key"})
        assert ok.status_code == 202
        bearer = {"Authorization": "Bearer first-key"}
        assert corpus.client.post("/articles/batch", json=batch, headers=bearer).status_code == 202
        # Reads stay open.
        assert corpus.titles("q=limits") == ["Limits"]
        assert corpus.client.get("/entities").status_code == 200


def test_without_keys_writes_are_open(database_url: str, redis_url: str) -> None:
    with corpus_on(database_url, redis_url) as corpus:
        assert corpus.client.post("/articles", json=ARTICLE).status_code == 202
