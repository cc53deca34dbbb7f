"""A cluster created without a UTF-8 locale defaults new databases to SQL_ASCII, on which psycopg
hands back bytes unless the connection asks for UTF-8: the archive must still work there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.models import ArticleIn
from shared.store import Store
from shared.store.migrate import migrate
from tests.servers import scratch_database

pytestmark = pytest.mark.integration


@pytest.fixture
def sql_ascii_url(database_url: str) -> Iterator[str]:
    with scratch_database(database_url, "ascii", "ENCODING 'SQL_ASCII' TEMPLATE template0") as url:
        yield url


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
