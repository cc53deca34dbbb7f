"""One subscription to the stream of enriched articles per API process, fanned out in-process
to the `/events` clients, of which there are at most `max_clients`.

A Redis connection per client would let anyone who opens streams exhaust Redis' connections;
here a client costs a small queue. A client that falls `BACKLOG` articles behind is ended
rather than let the queue grow; so is every client when the subscription drops, as they may
have missed articles meanwhile (EventSource reconnects by itself).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from shared.article_events import enriched_articles
from shared.errors import GazetteError
from shared.keys import Keys
from shared.store.query import ArticleSummary

log = logging.getLogger(__name__)

BACKLOG = 256
SUBSCRIBE_TIMEOUT_SECONDS = 5.0
RECONNECT_SECONDS = 1.0


class TooManyEventClients(GazetteError):
    status = 503
    title = "Too many event streams"
    retry_after = 10

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} clients stream events from this server already; try later.")


class EventsUnavailable(GazetteError):
    status = 503
    title = "Event stream unavailable"
    retry_after = 2

    def __init__(self) -> None:
        super().__init__("The stream of enriched articles cannot be subscribed to right now.")


class Listener:
    """One client's share of the stream: the summaries not yet sent to it."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[ArticleSummary] = asyncio.Queue(BACKLOG)
        self.ended = False

    def offer(self, summary: ArticleSummary) -> None:
        try:
            self._queue.put_nowait(summary)
        except asyncio.QueueFull:
            self.ended = True  # too slow: it would only fall further behind

    async def next(self, timeout: float) -> ArticleSummary | None:
        """The next summary, or None when none came within `timeout` seconds."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


class EventHub:
    """The shared subscription and the listeners it feeds."""

    def __init__(self, redis_url: str, keys: Keys, max_clients: int) -> None:
        self._url = redis_url
        self._keys = keys
        self.max_clients = max_clients
        self._listeners: set[Listener] = set()
        self._subscribed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def clients(self) -> int:
        return len(self._listeners)

    async def join(self) -> Listener:
        """A new listener, once the subscription is in place: nothing published after this
        returns is missed. 503 past `max_clients`, or when Redis cannot be subscribed to."""
        if len(self._listeners) >= self.max_clients:
            raise TooManyEventClients(self.max_clients)
        listener = Listener()
        self._listeners.add(listener)  # before any await: the count is never overshot
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="event-hub")
        try:
            await asyncio.wait_for(self._subscribed.wait(), SUBSCRIBE_TIMEOUT_SECONDS)
        except TimeoutError:
            self.leave(listener)
            raise EventsUnavailable() from None
        return listener

    def leave(self, listener: Listener) -> None:
        self._listeners.discard(listener)

    async def close(self) -> None:
        """Stop the subscription (at server shutdown)."""
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while not self._closing:
            try:
                async with enriched_articles(self._url, self._keys, self._is_closing) as articles:
                    self._subscribed.set()
                    async for summary in articles:
                        for listener in list(self._listeners):
                            listener.offer(summary)
            except Exception:
                # The loop outlives any one failure (Redis restarting, a message it cannot
                # read); its clients are told by their streams ending, below.
                log.exception("event subscription lost; resubscribing")
            finally:
                self._subscribed.clear()
                for listener in self._listeners:
                    listener.ended = True
            if not self._closing:
                await asyncio.sleep(RECONNECT_SECONDS)

    def _is_closing(self) -> bool:
        return self._closing
