"""`gazette healthcheck KIND`: the container health check of each service (exit 0 = healthy)."""

from __future__ import annotations

import urllib.request

from shared.bus import Bus
from shared.settings import Settings


def check_health(settings: Settings, kind: str) -> bool:
    """The API answers /healthz; a worker of `kind` has a recent heartbeat."""
    if kind == "api":
        url = f"http://127.0.0.1:{settings.api_port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=3) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False
    bus = Bus.from_url(settings.require_redis_url())
    try:
        return bool(bus.live_workers(kind, settings.worker_heartbeat_seconds * 3))
    finally:
        bus.close()
