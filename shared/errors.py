"""Domain errors; the API maps each to an `application/problem+json` answer in one place."""

from __future__ import annotations


class GazetteError(Exception):
    """Base of the errors a user can be shown."""

    status = 400
    title = "Bad request"


class ArticleNotFound(GazetteError):
    status = 404
    title = "Article not found"

    def __init__(self, article_id: str) -> None:
        super().__init__(f"No article has the id {article_id!r}.")
        self.article_id = article_id


class StoreUnavailable(GazetteError):
    status = 503
    title = "Storage unavailable"
