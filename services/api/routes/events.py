"""Server-Sent Events: articles as they are enriched, from the process's one subscription."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Request
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.types import Receive, Scope, Send

from services.api.event_hub import EventHub, Listener
from services.api.problems import problem_responses

router = APIRouter(tags=["events"])

KEEPALIVE_SECONDS = 15
SHUTDOWN_GRACE_SECONDS = 2
# How long a stream waits for an article before it checks whether it should end.
STOP_CHECK_SECONDS = 0.25


async def get_event_hub(request: Request) -> EventHub:
    hub: EventHub = request.app.state.event_hub
    return hub


EventHubDep = Annotated[EventHub, Depends(get_event_hub)]


class ListenerStream(EventSourceResponse):
    """The stream of one listener, which leaves the hub however the response ends (even when
    the client is gone before the first byte, when the generator would never run)."""

    def __init__(self, hub: EventHub, listener: Listener, shutdown: anyio.Event) -> None:
        super().__init__(
            _articles(listener, shutdown),
            ping=KEEPALIVE_SECONDS,
            shutdown_event=shutdown,
            shutdown_grace_period=SHUTDOWN_GRACE_SECONDS,
        )
        self._hub = hub
        self._listener = listener

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._hub.leave(self._listener)


async def _articles(listener: Listener, shutdown: anyio.Event) -> AsyncIterator[ServerSentEvent]:
    yield ServerSentEvent(event="ready", data="{}")
    while not (shutdown.is_set() or listener.ended):
        article = await listener.next(STOP_CHECK_SECONDS)
        if article is not None:
            yield ServerSentEvent(event="article", id=article.id, data=article.model_dump_json())


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
    summary="Stream articles as they are enriched (Server-Sent Events); 503 past the client cap",
)
async def events(hub: EventHubDep) -> EventSourceResponse:
    listener = await hub.join()
    # Set by sse-starlette when the server stops: the stream then ends with a complete
    # response instead of being cut off.
    return ListenerStream(hub, listener, anyio.Event())
