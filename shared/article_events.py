"""The stream of newly enriched articles: Redis pub/sub, published by the store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import redis.asyncio as aioredis

from shared.keys import Keys
from shared.store.query import ArticleSummary

# How long a listener waits for a message before it checks whether it should stop.
STOP_CHECK_SECONDS = 0.25


@asynccontextmanager
async def enriched_articles(
    url: str, keys: Keys, stopped: Callable[[], bool]
) -> AsyncIterator[AsyncIterator[ArticleSummary]]:
    """Subscribe, then hand out the summaries of articles as they are enriched, until
    `stopped()` says so.

    The subscription is in place when the block starts, so nothing published after that is
    missed; the connection closes when the block ends (a client leaving, the server stopping).
    """
    client = aioredis.Redis.from_url(url, decode_responses=True, socket_connect_timeout=2)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(keys.enriched_events)
        yield _summaries(pubsub, stopped)
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await client.aclose()


async def _summaries(
    pubsub: aioredis.client.PubSub, stopped: Callable[[], bool]
) -> AsyncIterator[ArticleSummary]:
    while not stopped():
        message = await pubsub.get_message(
            ignore_subscribe_messages=True, timeout=STOP_CHECK_SECONDS
        )
        if message is not None and message.get("type") == "message":
            yield ArticleSummary.model_validate_json(message["data"])
