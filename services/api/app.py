"""The HTTP API: built by `create_app`, its connections opened in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from services.api.auth import RequireWriteKey
from services.api.event_hub import EventHub
from services.api.headers import SecurityHeaders
from services.api.limits import BodyLimit, RateLimit
from services.api.openapi import declare_cross_cutting
from services.api.problems import install_problem_handlers
from services.api.routes import (
    articles,
    docs,
    entities,
    events,
    health,
    matches,
    recovery,
    web,
)
from services.api.routes import feeds as feeds_route
from services.api.routes import metrics as metrics_route
from shared.bus import Bus
from shared.heap import long_lived_frozen
from shared.keys import Keys
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings, get_settings
from shared.store import FeedStore, Reader, Store
from shared.store.migrate import migrate


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API application; the database, Redis and the broker are connected at start-up."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Under an advisory lock: API replicas and workers starting together take turns.
        await anyio.to_thread.run_sync(migrate, settings.require_database_url())
        store = Store.from_settings(settings)
        reader = Reader.from_settings(settings)
        await reader.open()
        bus = Bus.from_url(settings.require_redis_url())
        app.state.settings = settings
        app.state.store = store
        app.state.reader = reader
        app.state.bus = bus
        app.state.feed_store = FeedStore(store.database)
        queue = EnrichQueue(create_celery_app(settings), hold_seconds=settings.enrich_hold_seconds)
        app.state.queue = queue
        event_hub = EventHub(settings.require_redis_url(), Keys(), settings.max_event_clients)
        app.state.event_hub = event_hub
        try:
            with long_lived_frozen():
                yield
        finally:
            queue.close()
            await event_hub.close()
            await reader.close()
            bus.close()
            store.close()

    app = FastAPI(
        title="Gazette",
        version="0.1.0",
        summary="News articles enriched with named entities and TIMEX3 dates.",
        lifespan=lifespan,
        # Swagger UI is served from the package (routes/docs.py); ReDoc would need a CDN.
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    install_problem_handlers(app)
    app.include_router(matches.router)  # before /articles/{article_id}
    app.include_router(articles.router)
    app.include_router(health.router)
    app.include_router(recovery.router)
    app.include_router(metrics_route.router)
    app.include_router(feeds_route.router)

    app.include_router(entities.router)
    app.include_router(events.router)
    # Static files first: the web view answers every other /ui path with an HTML page.
    app.mount("/ui/static", web.static, name="web-static")
    app.include_router(web.router)
    app.include_router(docs.router)
    app.mount(docs.STATIC_PATH, docs.static, name="docs-static")
    # The last added runs first: security headers (so every answer has them, refusals too),
    # then the rate limit, then the API key, then the body size.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.api_key_set():
        app.add_middleware(RequireWriteKey, keys=settings.api_key_set())
    if settings.rate_limit_per_minute:
        app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(SecurityHeaders)
    declare_cross_cutting(app)
    return app
