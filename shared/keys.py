"""Every Redis key name Gazette uses. Nothing outside `shared/` builds a key."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    """Key names under one prefix, so that several deployments (or tests) can share a Redis."""

    prefix: str = "gazette"

    def article(self, article_id: str) -> str:
        """Hash: one article's submission, status, enrichment and error."""
        return f"{self.prefix}:article:{article_id}"

    @property
    def article_by_url(self) -> str:
        """Hash: canonical-URL digest -> article id (dedupe)."""
        return f"{self.prefix}:dedupe:url"

    @property
    def article_by_content(self) -> str:
        """Hash: content digest -> article id (dedupe)."""
        return f"{self.prefix}:dedupe:content"

    @property
    def articles_by_created(self) -> str:
        """Sorted set: article id scored by the time it was accepted."""
        return f"{self.prefix}:articles:created"

    def articles_with_status(self, status: str) -> str:
        """Set: the ids of articles in one status."""
        return f"{self.prefix}:articles:status:{status}"

    def workers(self, kind: str) -> str:
        """Sorted set: worker name scored by its last heartbeat (unix seconds)."""
        return f"{self.prefix}:workers:{kind}"
