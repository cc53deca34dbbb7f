"""With `GAZETTE_DATABASE_READ_URL` set, the API reads there and writes to the primary (a second
server stands in for a replica: what each one holds shows where a request went)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from shared.models import ArticleIn
from shared.settings import Settings
from shared.store import Store
from tests.servers import empty_archive, postgres_process

pytestmark = pytest.mark.integration


def test_reads_go_to_the_read_url_and_writes_to_the_primary(
    database_url: str, redis_url: str
) -> None:
    empty_archive(database_url)
    body = {"title": "Replicated", "text": "Kerry met Lavrov."}
    with postgres_process() as replica:
        settings = Settings(
            database_url=database_url,
            database_read_url=replica.url,
            redis_url=redis_url.rsplit("/", 1)[0] + "/9",  # no worker takes these tasks
        )
        with TestClient(create_app(settings)) as client:
            article_id = client.post("/articles", json=body).json()["id"]
            primary = Store.from_url(database_url)
            assert primary.get_article(article_id).title == "Replicated"
            primary.close()
            # Not replicated yet: the read server does not have it.
            assert client.get(f"/articles/{article_id}").status_code == 404
            assert client.get("/articles").json()["items"] == []
            copy = Store.from_url(replica.url)
            copy.save_article(ArticleIn(**body))
            copy.close()
            assert client.get(f"/articles/{article_id}").json()["title"] == "Replicated"
            assert [i["id"] for i in client.get("/articles").json()["items"]] == [article_id]
