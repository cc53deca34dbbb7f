"""Domain errors; the API maps each to an `application/problem+json` answer in one place."""

from __future__ import annotations


class GazetteError(Exception):
    """Base of the errors a user can be shown."""

    status = 400
    title = "Bad request"
    # Seconds a client should wait before trying again (sent as `Retry-After`), when it helps.
    retry_after: int | None = None


class ArticleNotFound(GazetteError):
    status = 404
    title = "Article not found"

    def __init__(self, article_id: str) -> None:
        super().__init__(f"No article has the id {article_id!r}.")
        self.article_id = article_id


class ArticleNotRetryable(GazetteError):
    status = 409
    title = "Article is not failed"

    def __init__(self, article_id: str, status: str) -> None:
        super().__init__(f"Article {article_id!r} is {status}; only a failed article is retried.")
        self.article_id = article_id


class StoreUnavailable(GazetteError):
    status = 503
    title = "Storage unavailable"
    retry_after = 2


class QueryTimedOut(GazetteError):
    """A read ran past its time limit and was cancelled."""

    status = 503
    title = "Query took too long"

    def __init__(self, seconds: float | None) -> None:
        limit = f"its {seconds:g} s limit" if seconds is not None else "its time limit"
        super().__init__(
            f"The query ran past {limit} and was cancelled. Narrow it: rarer words, a "
            "publication window, newest first instead of sort=relevance."
        )


class QueueUnavailable(GazetteError):
    status = 503
    title = "Queue unavailable"
    retry_after = 2


class QueueFull(GazetteError):
    """Backpressure: the enrich queue is past its configured depth."""

    status = 503
    title = "Enrichment queue is full"

    def __init__(self, depth: int, limit: int, retry_after: int) -> None:
        super().__init__(
            f"{depth} articles wait for enrichment (limit {limit}); submit again later."
        )
        self.retry_after = retry_after


class InvalidQuery(GazetteError):
    status = 400
    title = "Invalid query"


class EntityNotFound(GazetteError):
    status = 404
    title = "Entity not found"

    def __init__(self, entity_id: str) -> None:
        super().__init__(f"No article mentions an entity with the id {entity_id!r}.")


class FeedNotFound(GazetteError):
    status = 404
    title = "Feed not found"

    def __init__(self, feed_id: str) -> None:
        super().__init__(f"No feed has the id {feed_id!r}.")
        self.feed_id = feed_id
