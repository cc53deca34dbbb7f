"""A cluster created without a UTF-8 locale defaults new databases to SQL_ASCII, on which psycopg
hands back bytes unless the connection asks for UTF-8: the archive must still work there."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from shared.models import ArticleIn
from shared.store import Store
from shared.store.migrate import migrate

pytestmark = pytest.mark.integration


@pytest.fixture
def sql_ascii_url(database_url: str) -> Iterator[str]:
    name = f"ascii_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} ENCODING 'SQL_ASCII' TEMPLATE template0")
    yield database_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_the_archive_migrates_and_keeps_text_on_a_sql_ascii_database(sql_ascii_url: str) -> None:
    migrate(sql_ascii_url)
    store = Store.from_url(sql_ascii_url)
    try:
        article_id, created = store.save_article(
            ArticleIn(title="Zürich café", text="Der Bürgermeister sprach am Donnerstag.")
        )
        assert created
        article = store.get_article(article_id)
        assert (article.title, article.text) == (
            "Zürich café",
            "Der Bürgermeister sprach am Donnerstag.",
        )
    finally:
        store.close()
