"""Server-Sent Events: articles as they are enriched."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent

from services.api.deps import SettingsDep
from services.api.problems import problem_responses
from shared.article_events import enriched_articles
from shared.keys import Keys

router = APIRouter(tags=["events"])

KEEPALIVE_SECONDS = 15
SHUTDOWN_GRACE_SECONDS = 2


@router.get(
    "/events",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": "An endless `text/event-stream`: one `ready` event once subscribed, "
            "then an `article` event (an article summary as JSON) per enriched article.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        **problem_responses(503),
    },
    summary="Stream articles as they are enriched (Server-Sent Events)",
)
async def events(settings: SettingsDep) -> EventSourceResponse:
    url = settings.require_redis_url()
    # Set by sse-starlette when the server stops: the stream then ends with a complete
    # response instead of being cut off.
    shutdown = anyio.Event()

    async def stream() -> AsyncIterator[ServerSentEvent]:
        async with enriched_articles(url, Keys(), shutdown.is_set) as articles:
            yield ServerSentEvent(event="ready", data="{}")
            async for article in articles:
                data = article.model_dump_json()
                yield ServerSentEvent(event="article", id=article.id, data=data)

    return EventSourceResponse(
        stream(),
        ping=KEEPALIVE_SECONDS,
        shutdown_event=shutdown,
        shutdown_grace_period=SHUTDOWN_GRACE_SECONDS,
    )
