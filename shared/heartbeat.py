"""A worker's heartbeat on the bus (Redis): what readiness probes and health checks read."""

from __future__ import annotations

import logging
import threading

import redis

from shared.bus import Bus

log = logging.getLogger(__name__)


class Heartbeat:
    """Records, every few seconds from a daemon thread, that a worker is alive."""

    def __init__(self, store: Bus, kind: str, name: str, every_seconds: float) -> None:
        self._store = store
        self._kind = kind
        self._name = name
        self._every = every_seconds
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{kind}-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
        try:
            self._store.forget_worker(self._kind, self._name)
        except redis.RedisError as exc:
            log.warning("could not deregister %s: %s", self._name, exc)

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                self._store.record_heartbeat(self._kind, self._name)
            except redis.RedisError as exc:  # a missed beat is retried on the next tick
                log.warning("heartbeat not recorded: %s", exc)
            self._stopped.wait(self._every)
