"""The HTTP API: built by `create_app`, its connections opened in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.api.problems import install_problem_handlers
from services.api.routes import articles, health
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings, get_settings
from shared.store import Store


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API application; Redis and the broker are connected at start-up, not import."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.from_url(settings.require_redis_url())
        app.state.settings = settings
        app.state.store = store
        app.state.queue = EnrichQueue(create_celery_app(settings))
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="Gazette",
        version="0.1.0",
        summary="News articles enriched with named entities and TIMEX3 dates.",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    app.include_router(articles.router)
    app.include_router(health.router)
    return app
