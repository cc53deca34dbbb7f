"""What the archive is asked for suggestions and counts (pure SQL builders)."""

from __future__ import annotations

from shared.store.explore import count_sql, suggest_params
from shared.store.query import ArticleQuery, Cursor


def test_suggestions_look_for_a_word_start_in_the_id_key() -> None:
    assert suggest_params("Lavr", 8) == {"start": "lavr%", "inner": "%-lavr%", "limit": 8}
    assert suggest_params("Sergei Lav", 8) == {
        "start": "sergei-lav%", "inner": "%-sergei-lav%", "limit": 8,
    }  # fmt: skip
    assert suggest_params("50%_", 8) == {"start": "50%", "inner": "%-50%", "limit": 8}
    assert suggest_params("*?", 8) is None


def test_a_count_ignores_the_page_the_cursor_and_the_sort() -> None:
    query = ArticleQuery(text="truce", by_relevance=True, limit=5, cursor=Cursor(1.0, "a"))
    sql, params = count_sql(query, 100)
    assert params == {"cap": 101, "limit": 101, "q": "truce"}
    assert "ts_rank" not in sql and "after_key" not in sql and "LIMIT %(cap)s" in sql
