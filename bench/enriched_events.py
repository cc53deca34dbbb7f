"""Learning that an article is enriched the way a client would without polling: from `/events`.

Polling `GET /articles/{id}` adds up to its interval to every measurement and spends the CPU
the worker wants on the requests; the event is published right after the enrichment commits.
"""

from __future__ import annotations

import threading
from types import TracebackType

import httpx

# Failed articles publish no event: past this, the article's status is read instead.
EVENT_WAIT_SECONDS = 10.0


class EnrichedEvents:
    """A `/events` subscription in a thread: `wait(article_id)` returns once it was enriched."""

    def __init__(self, base_url: str) -> None:
        self._client = httpx.Client(base_url=base_url, timeout=httpx.Timeout(5, read=None))
        self._seen: set[str] = set()
        self._changed = threading.Condition()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)

    def __enter__(self) -> EnrichedEvents:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("no `ready` event from /events")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._client.close()  # ends the stream; the daemon thread goes with it

    def _listen(self) -> None:
        try:
            with self._client.stream("GET", "/events") as stream:
                for line in stream.iter_lines():
                    if line.startswith("event: ready"):
                        self._ready.set()
                    elif line.startswith("id: "):
                        with self._changed:
                            self._seen.add(line[4:].strip())
                            self._changed.notify_all()
        except httpx.HTTPError:
            pass  # closed by __exit__

    def wait(self, article_id: str, client: httpx.Client) -> None:
        """Until the article's event arrives; a failed article (no event) after a while."""
        with self._changed:
            if self._changed.wait_for(lambda: article_id in self._seen, EVENT_WAIT_SECONDS):
                self._seen.discard(article_id)
                return
        status = client.get(f"/articles/{article_id}").json()["status"]
        if status not in ("enriched", "failed"):
            raise RuntimeError(f"article {article_id} is {status} after {EVENT_WAIT_SECONDS} s")
