"""The Redis store: the one owner of Gazette's keys and of every multi-key write."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, cast

import redis

from shared import lifecycle
from shared.article_index import ArticleIndex  # query indexes
from shared.article_query import ArticleQuery, ArticleSummary, Cursor, EntityCount
from shared.article_search import ArticleSearch
from shared.errors import ArticleNotFound, ArticleNotRetryable
from shared.identity import article_id, content_digest, url_digest
from shared.keys import Keys
from shared.metrics import observation_fields
from shared.models import Article, ArticleIn, ArticleStatus, Enrichment

# Dedupe and insert in one step, so that two submissions of one article race to a single id.
# KEYS: article, by_url, by_content, created, queued-status set
# ARGV: id, url digest ('' when none), content digest, created score, then field/value pairs
_SAVE_NEW = """
if ARGV[2] ~= '' then
  local known = redis.call('HGET', KEYS[2], ARGV[2])
  if known then return {known, 0} end
end
local known = redis.call('HGET', KEYS[3], ARGV[3])
if known then return {known, 0} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {ARGV[1], 0} end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[1]) end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
redis.call('SADD', KEYS[5], ARGV[1])
return {ARGV[1], 1}
"""

_SUBMISSION_FIELDS = ("title", "text", "url", "source")


class Store:
    """Articles and worker heartbeats in Redis, behind intention-revealing methods."""

    def __init__(self, client: redis.Redis, keys: Keys | None = None) -> None:
        self._redis = client
        self._keys = keys or Keys()
        self._save_new = client.register_script(_SAVE_NEW)
        self._claim = client.register_script(lifecycle.CLAIM)
        self._requeue = client.register_script(lifecycle.REQUEUE)
        self._retry = client.register_script(lifecycle.RETRY)
        self._index = ArticleIndex(client, self._keys)  # query indexes
        self._search = ArticleSearch(client, self._keys)

    @classmethod
    def from_url(cls, url: str, prefix: str = "gazette") -> Store:
        """A store on its own connection pool; the client answers str, not bytes."""
        client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=5,
            socket_connect_timeout=2,
            health_check_interval=30,
        )
        return cls(client, Keys(prefix))

    def close(self) -> None:
        self._redis.close()

    def ping(self) -> bool:
        """True when Redis answers."""
        try:
            return bool(self._redis.ping())
        except redis.RedisError:
            return False

    # -- articles -----------------------------------------------------------------------------

    def save_article(self, submitted: ArticleIn) -> tuple[str, bool]:
        """Store a submitted article unless it is already known; return its id and whether new."""
        new_id = article_id(submitted)
        now = datetime.now(UTC)
        fields: dict[str, str] = {
            "id": new_id,
            "title": submitted.title,
            "text": submitted.text,
            "status": ArticleStatus.QUEUED.value,
            "created_at": now.isoformat(),
            "attempts": "0",
            "status_since": repr(now.timestamp()),  # when the status last changed (sweeper)
        }
        # Absent fields stay absent, so that HSETNX can fill them later.
        optional = {
            "url": submitted.url,
            "source": submitted.source,
            "published_at": submitted.published_at.isoformat() if submitted.published_at else None,
        }
        fields.update({name: value for name, value in optional.items() if value})
        keys = self._keys
        found_id, created = self._save_new(
            keys=[
                keys.article(new_id),
                keys.article_by_url,
                keys.article_by_content,
                keys.articles_by_created,
                keys.articles_with_status(ArticleStatus.QUEUED.value),
            ],
            args=[
                new_id,
                url_digest(submitted.url) if submitted.url else "",
                content_digest(submitted.title, submitted.text),
                now.timestamp(),
                *[part for pair in fields.items() for part in pair],
            ],
        )
        if int(created):  # index the new article for queries
            pipe = self._redis.pipeline(transaction=False)
            self._index.add_submission(pipe, new_id, submitted, now)
            pipe.execute()
        return str(found_id), bool(int(created))

    def get_article(self, article_id: str) -> Article:
        """The stored article; raises ArticleNotFound."""
        raw = cast(dict[str, str], self._redis.hgetall(self._keys.article(article_id)))
        if not raw:
            raise ArticleNotFound(article_id)
        return _article_from_hash(raw)

    def article_status(self, article_id: str) -> ArticleStatus:
        status = self._redis.hget(self._keys.article(article_id), "status")
        if status is None:
            raise ArticleNotFound(article_id)
        return ArticleStatus(str(status))

    def mark_enriched(
        self,
        article_id: str,
        enrichment: Enrichment,
        observations: Mapping[str, float] | None = None,
    ) -> None:
        """Store the enrichment and mark the article enriched; `observations` feed /metrics."""
        # Indexed first: a crash in between leaves it `processing`, and a redelivery re-indexes.
        self._index.replace_enrichment(article_id, enrichment)
        key = self._keys.article(article_id)
        fields = {
            "entities": _dump_list(enrichment.entities),
            "dates": _dump_list(enrichment.dates),
            "entity_summary": _dump_list(enrichment.entity_summary),
            "enriched_at": datetime.now(UTC).isoformat(),
            "error": "",
        }
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(key, mapping=cast(dict[Any, Any], fields))
        if enrichment.published_at is not None:
            # Fills a missing publication date (a dateline); never overwrites a submitted one.
            pipe.hsetnx(key, "published_at", enrichment.published_at.isoformat())
        self._set_status(pipe, article_id, ArticleStatus.ENRICHED)
        for histogram, seconds in (observations or {}).items():
            self._observe(pipe, histogram, seconds)
        pipe.execute()
        self._index.announce_enriched(article_id)

    def mark_failed(self, article_id: str, error: str) -> None:
        """Record why the article could not be enriched."""
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(self._keys.article(article_id), "error", error)
        self._set_status(pipe, article_id, ArticleStatus.FAILED)
        pipe.execute()

    def count_by_status(self) -> dict[ArticleStatus, int]:
        pipe = self._redis.pipeline(transaction=False)
        for status in ArticleStatus:
            pipe.scard(self._keys.articles_with_status(status.value))
        return dict(zip(ArticleStatus, pipe.execute(), strict=True))

    # -- workers ------------------------------------------------------------------------------

    def record_heartbeat(self, kind: str, worker: str) -> None:
        self._redis.zadd(self._keys.workers(kind), {worker: time.time()})

    def forget_worker(self, kind: str, worker: str) -> None:
        self._redis.zrem(self._keys.workers(kind), worker)

    def live_workers(self, kind: str, max_age_seconds: float) -> list[str]:
        """The workers of one kind whose last heartbeat is younger than `max_age_seconds`."""
        since = time.time() - max_age_seconds
        return [
            str(name) for name in self._redis.zrangebyscore(self._keys.workers(kind), since, "+inf")
        ]

    # -- reliability: claims, sweeping, retries, backpressure, metrics -------------

    def claim_for_enrichment(self, article_id: str, max_attempts: int) -> str:
        """Count a delivery and mark the article processing, or say why not (lifecycle.CLAIM)."""
        error = f"gave up after {max_attempts} attempts: the worker died or timed out each time"
        answer = self._claim(
            keys=self._lifecycle_keys(article_id), args=[repr(time.time()), max_attempts, error]
        )
        return str(answer)

    def stale_articles(self, status: ArticleStatus, older_than: float) -> list[str]:
        """Ids of articles whose status has not changed for `older_than` seconds."""
        ids = [str(i) for i in self._redis.smembers(self._keys.articles_with_status(status.value))]
        pipe = self._redis.pipeline(transaction=False)
        for found in ids:
            pipe.hget(self._keys.article(found), "status_since")
        cutoff = time.time() - older_than
        return [
            found
            for found, since in zip(ids, pipe.execute(), strict=True)
            if float(since or 0) <= cutoff
        ]

    def requeue_stale(self, article_id: str, status: ArticleStatus, older_than: float) -> bool:
        """Move a still-stale article back to `queued`; False when it moved on meanwhile."""
        now = time.time()
        answer = self._requeue(
            keys=self._lifecycle_keys(article_id),
            args=[repr(now), status.value, repr(now - older_than)],
        )
        return bool(int(answer))

    def reopen_failed(self, article_id: str) -> None:
        """Move a failed article back to `queued` with its attempts reset (a user's retry)."""
        found = str(self._retry(keys=self._lifecycle_keys(article_id), args=[repr(time.time())]))
        if not found:
            raise ArticleNotFound(article_id)
        if found != ArticleStatus.FAILED.value:
            raise ArticleNotRetryable(article_id, found)

    def take_sweeper_turn(self, holder: str, seconds: float) -> bool:
        """True for the one caller that may sweep for the next `seconds` (a Redis lock)."""
        lock = self._keys.sweeper_lock
        return bool(self._redis.set(lock, holder, nx=True, px=max(1, int(seconds * 1000))))

    def queue_depth(self, queue: str) -> int:
        """Tasks waiting on a broker queue: one LLEN, no broker connection."""
        return int(self._redis.llen(self._keys.broker_queue(queue)))

    def count_event(self, counter: str) -> None:
        self._redis.hincrby(self._keys.metrics, counter, 1)

    def metrics_snapshot(self) -> dict[str, float]:
        """The counters and histogram buckets the workers recorded."""
        raw = cast(dict[str, str], self._redis.hgetall(self._keys.metrics))
        return {name: float(value) for name, value in raw.items()}

    def _observe(self, pipe: Any, histogram: str, seconds: float) -> None:
        for field, amount in observation_fields(histogram, seconds).items():
            pipe.hincrbyfloat(self._keys.metrics, field, amount)

    def _lifecycle_keys(self, article_id: str) -> list[str]:
        statuses = [self._keys.articles_with_status(status.value) for status in ArticleStatus]
        return [self._keys.article(article_id), *statuses, self._keys.metrics]

    # -- queries: filters over the indexes `shared/article_index.py` keeps ----------

    def find_articles(self, query: ArticleQuery) -> tuple[list[ArticleSummary], Cursor | None]:
        """One page of article summaries matching every filter, newest first."""
        hits, cursor = self._search.find(query)
        return self._index.summaries([article_id for article_id, _ in hits]), cursor

    def get_articles(self, article_ids: list[str]) -> list[Article]:
        """Whole articles in the order given; vanished ones left out."""
        pipe = self._redis.pipeline(transaction=False)
        for found in article_ids:
            pipe.hgetall(self._keys.article(found))
        return [_article_from_hash(raw) for raw in pipe.execute() if raw]

    def resolve_entities(self, entity_ids: list[str], lookup_keys: list[str]) -> list[str]:
        """Known entity ids: those of `entity_ids` and those any normalised name stands for."""
        return self._search.resolve_entities(tuple(entity_ids), tuple(lookup_keys))

    def rank_entities(
        self, label: str | None, entity_ids: list[str] | None, limit: int
    ) -> list[EntityCount]:
        """Entities with their article counts, most first (only `entity_ids` when given)."""
        return self._search.rank_entities(label, entity_ids, limit)

    # -- helpers ------------------------------------------------------------------------------

    def _set_status(self, pipe: Any, article_id: str, status: ArticleStatus) -> None:
        for other in ArticleStatus:
            if other is not status:
                pipe.srem(self._keys.articles_with_status(other.value), article_id)
        pipe.sadd(self._keys.articles_with_status(status.value), article_id)
        pipe.hset(
            self._keys.article(article_id),
            mapping={"status": status.value, "status_since": repr(time.time())},
        )


def _dump_list(items: list[Any]) -> str:
    return "[" + ",".join(item.model_dump_json() for item in items) + "]"


def _article_from_hash(raw: dict[str, str]) -> Article:
    data: dict[str, Any] = {
        "id": raw["id"],
        "status": raw.get("status", ArticleStatus.QUEUED.value),
        "created_at": raw["created_at"],
        "attempts": int(raw.get("attempts", "0")),
        "error": raw.get("error") or None,
        "published_at": raw.get("published_at") or None,
        "enriched_at": raw.get("enriched_at") or None,
    }
    for field in _SUBMISSION_FIELDS:
        data[field] = raw.get(field) or None
    data["title"] = raw.get("title", "")
    data["text"] = raw.get("text", "")
    for field in ("entities", "dates", "entity_summary"):
        if raw.get(field):
            data[field] = raw[field]
    return Article.model_validate_json(_as_json(data))


def _as_json(data: dict[str, Any]) -> str:
    # The list fields are already JSON text; splice them in rather than decoding and re-encoding.
    parts = []
    for name, value in data.items():
        encoded = value if name in ("entities", "dates", "entity_summary") else json.dumps(value)
        parts.append(f"{json.dumps(name)}:{encoded}")
    return "{" + ",".join(parts) + "}"
