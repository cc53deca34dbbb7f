"""The Redis side of Gazette: heartbeats, counters, the sweeper's lock, queue depth and the
events channel. Small and bounded: the archive itself is in PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import cast

import redis

from shared.keys import Keys
from shared.metrics import observation_fields
from shared.store.query import ArticleSummary


class Bus:
    """What the services share through Redis, behind intention-revealing methods."""

    def __init__(self, client: redis.Redis, keys: Keys | None = None) -> None:
        self._redis = client
        self._keys = keys or Keys()

    @classmethod
    def from_url(cls, url: str, prefix: str = "gazette") -> Bus:
        """A bus on its own connection pool; the client answers str, not bytes."""
        client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=5,
            socket_connect_timeout=2,
            health_check_interval=30,
        )
        return cls(client, Keys(prefix))

    @property
    def keys(self) -> Keys:
        return self._keys

    def close(self) -> None:
        self._redis.close()

    def ping(self) -> bool:
        """True when Redis answers."""
        try:
            return bool(self._redis.ping())
        except redis.RedisError:
            return False

    # -- workers ------------------------------------------------------------------------------

    def record_heartbeat(self, kind: str, worker: str) -> None:
        self._redis.zadd(self._keys.workers(kind), {worker: time.time()})

    def forget_worker(self, kind: str, worker: str) -> None:
        self._redis.zrem(self._keys.workers(kind), worker)

    def live_workers(self, kind: str, max_age_seconds: float) -> list[str]:
        """The workers of one kind whose last heartbeat is younger than `max_age_seconds`."""
        since = time.time() - max_age_seconds
        key = self._keys.workers(kind)
        return [str(name) for name in self._redis.zrangebyscore(key, since, "+inf")]

    def take_turn(self, lock: str, holder: str, seconds: float) -> bool:
        """True for the one caller that may act for the next `seconds` (a Redis lock)."""
        return bool(self._redis.set(lock, holder, nx=True, px=max(1, int(seconds * 1000))))

    def take_sweeper_turn(self, holder: str, seconds: float) -> bool:
        return self.take_turn(self._keys.sweeper_lock, holder, seconds)

    # -- queue and metrics --------------------------------------------------------------------

    def queue_depth(self, queue: str) -> int:
        """Tasks waiting on a broker queue: one LLEN, no broker connection."""
        return int(self._redis.llen(self._keys.broker_queue(queue)))

    def count_event(self, counter: str, amount: int = 1) -> None:
        self._redis.hincrby(self._keys.metrics, counter, amount)

    def observe(self, *observations: Mapping[str, float]) -> None:
        """Record histogram observations (seconds; one mapping per article) for /metrics, in
        one round trip."""
        pipe = self._redis.pipeline(transaction=True)
        self._queue_observations(pipe, observations)
        if len(pipe):
            pipe.execute()

    def _queue_observations(
        self, pipe: redis.client.Pipeline, observations: Sequence[Mapping[str, float]]
    ) -> None:
        for observed in observations:
            for histogram, seconds in observed.items():
                for field, amount in observation_fields(histogram, seconds).items():
                    pipe.hincrbyfloat(self._keys.metrics, field, amount)

    def metrics_snapshot(self) -> dict[str, float]:
        """The counters and histogram buckets the workers recorded."""
        raw = cast(dict[str, str], self._redis.hgetall(self._keys.metrics))
        return {name: float(value) for name, value in raw.items()}

    # -- events -------------------------------------------------------------------------------

    def announce_enriched(self, *summaries: ArticleSummary) -> None:
        """Publish enriched articles' summaries on the events channel (fire and forget)."""
        self.record_enriched(summaries, ())

    def record_enriched(
        self, summaries: Sequence[ArticleSummary], observations: Sequence[Mapping[str, float]]
    ) -> None:
        """Publish enriched articles' summaries (first: clients wait for them) and record
        their observations (as `observe`), in one round trip."""
        pipe = self._redis.pipeline(transaction=True)
        for summary in summaries:
            pipe.publish(self._keys.enriched_events, summary.model_dump_json())
        self._queue_observations(pipe, observations)
        if len(pipe):
            pipe.execute()
