"""Every Redis key name Gazette uses. Nothing outside `shared/` builds a key.

Redis holds only what is fleeting or shared between processes: the broker's queues, worker
heartbeats, counters for /metrics, the sweeper's lock and the events channel. The archive is in
PostgreSQL (`shared/store/`), so nothing here grows with the number of articles.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    """Key names under one prefix, so that several deployments (or tests) can share a Redis."""

    prefix: str = "gazette"

    def workers(self, kind: str) -> str:
        """Sorted set: worker name scored by its last heartbeat (unix seconds)."""
        return f"{self.prefix}:workers:{kind}"

    @property
    def sweeper_lock(self) -> str:
        """String with expiry: held by the one sweeper that runs this round."""
        return f"{self.prefix}:sweeper:lock"

    @property
    def pruner_lock(self) -> str:
        """String with expiry: held by the one worker that applies retention this round."""
        return f"{self.prefix}:pruner:lock"

    @property
    def relabeler_lock(self) -> str:
        """String with expiry: held by the one worker that relabels minority articles this round."""
        return f"{self.prefix}:relabeler:lock"

    @property
    def metrics(self) -> str:
        """Hash: counters and histogram buckets the workers write and `/metrics` reads."""
        return f"{self.prefix}:metrics"

    @staticmethod
    def broker_queue(name: str) -> str:
        """List: Celery's (kombu's) queue on Redis is the bare queue name, outside the prefix."""
        return name

    @property
    def enriched_events(self) -> str:
        """Pub/sub channel: one JSON article summary per enriched article."""
        return f"{self.prefix}:events:enriched"
