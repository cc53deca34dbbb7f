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

    # -- reliability --

    @property
    def sweeper_lock(self) -> str:
        """String with expiry: held by the one sweeper that runs this round."""
        return f"{self.prefix}:sweeper:lock"

    @property
    def metrics(self) -> str:
        """Hash: counters and histogram buckets the workers write and `/metrics` reads."""
        return f"{self.prefix}:metrics"

    @staticmethod
    def broker_queue(name: str) -> str:
        """List: Celery's (kombu's) queue on Redis is the bare queue name, outside the prefix."""
        return name

    # -- query indexes: sorted sets scored by an article's order score ---------------

    def index(self, kind: str, value: str) -> str:
        """Sorted set: the ids of articles with one filter value (source, status, entity, word,
        label, or `all`), scored by publication time (see `article_terms.order_score`)."""
        return f"{self.prefix}:idx:{kind}:{value}"

    def mentioned_dates(self, bucket: str) -> str:
        """Sorted set: `<last day ordinal>|<article id>` scored by the first day ordinal of a date
        an article mentions; one set per span bucket (day, month, year)."""
        return f"{self.prefix}:idx:mentions:{bucket}"

    def entity_alias(self, key: str) -> str:
        """Set: the entity ids a normalised lookup key ("lavrov") stands for."""
        return f"{self.prefix}:entity:alias:{key}"

    def entity_ranking(self, label: str = "*") -> str:
        """Sorted set: entity id scored by its article count (`*`: every label)."""
        return f"{self.prefix}:entity:ranking:{label}"

    @property
    def entity_names(self) -> str:
        """Hash: entity id -> JSON {name, label} as last seen."""
        return f"{self.prefix}:entity:names"

    def article_postings(self, article_id: str, part: str) -> str:
        """Set: `<index key>\\t<member>` of every index entry of one article (`base` entries
        from submission, `enrichment` entries); what a re-enrichment or re-score must touch."""
        return f"{self.prefix}:postings:{part}:{article_id}"

    def scratch(self, token: str) -> str:
        """A short-lived sorted set a query builds (a union) and deletes."""
        return f"{self.prefix}:tmp:{token}"

    @property
    def enriched_events(self) -> str:
        """Pub/sub channel: one JSON article summary per enriched article."""
        return f"{self.prefix}:events:enriched"

    # -- feeds -----------------------------------------------------------------------

    def feed(self, feed_id: str) -> str:
        """Hash: one feed's settings, validators and last poll outcome."""
        return f"{self.prefix}:feed:{feed_id}"

    @property
    def feeds_by_created(self) -> str:
        """Sorted set: feed id scored by the time it was added."""
        return f"{self.prefix}:feeds:created"

    @property
    def feeds_due(self) -> str:
        """Sorted set: feed id scored by the unix time of its next poll."""
        return f"{self.prefix}:feeds:due"

    def feed_claim(self, feed_id: str) -> str:
        """String with expiry: the ingest worker polling this feed right now."""
        return f"{self.prefix}:feed:claim:{feed_id}"

    def feed_articles(self, feed_id: str) -> str:
        """Set: the ids of the articles this feed contributed."""
        return f"{self.prefix}:feed:articles:{feed_id}"

    def seen_entries(self, kind: str) -> str:
        """Set: digests of every feed entry ever queued, by kind (url, guid, hash)."""
        return f"{self.prefix}:feeds:seen:{kind}"
