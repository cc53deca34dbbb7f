"""Operations pages: the feeds followed, the failed articles, the queue and the workers.

The pages only read: the article pages on the async pool, the feeds page (sync `FeedStore`)
in the threadpool, Redis calls in a worker thread. Their buttons write through the API itself
(operations.js sends the reader's API key in the header the API expects), so the web view adds
no second write path."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from services.api.deps import BusDep, FeedStoreDep, ReaderDep, SettingsDep
from services.api.web.pages import HTMLErrorRoute, link, render
from shared.models import ArticleStatus
from shared.queue import ENRICH_QUEUE
from shared.store.query import ArticleQuery, Cursor

router = APIRouter(route_class=HTMLErrorRoute)
WORKER_KINDS = {"enrich": "Enrich workers", "ingest": "Ingest workers"}
FAILED_PAGE = 25


@router.get("/feeds", response_class=HTMLResponse, name="web_feeds")
def web_feeds(request: Request, feeds: FeedStoreDep, settings: SettingsDep) -> HTMLResponse:
    context = {"feeds": feeds.list_feeds(), "needs_key": bool(settings.api_key_set())}
    return render(request, "feeds.html", context)


@router.get("/failed", response_class=HTMLResponse, name="web_failed")
async def web_failed(
    request: Request,
    reader: ReaderDep,
    settings: SettingsDep,
    cursor: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    query = ArticleQuery(
        status=ArticleStatus.FAILED,
        limit=FAILED_PAGE,
        cursor=Cursor.decode(cursor) if cursor else None,
    )
    found, next_cursor = await reader.find_articles(query)
    context = {
        "articles": await reader.get_articles([summary.id for summary in found]),
        "next": link(request, "web_failed", {"cursor": next_cursor.encode()})
        if next_cursor
        else None,
        "first": link(request, "web_failed") if cursor else None,
        "needs_key": bool(settings.api_key_set()),
    }
    return render(request, "failed.html", context)


@router.get("/status", response_class=HTMLResponse, name="web_status")
async def web_status(
    request: Request, reader: ReaderDep, bus: BusDep, settings: SettingsDep
) -> HTMLResponse:
    heartbeat = settings.worker_heartbeat_seconds
    by_status = await reader.count_by_status()
    workers = {
        title: await anyio.to_thread.run_sync(bus.live_workers, kind, heartbeat)
        for kind, title in WORKER_KINDS.items()
    }
    context = {
        "queue_depth": await anyio.to_thread.run_sync(bus.queue_depth, ENRICH_QUEUE),
        "max_queue_depth": settings.max_queue_depth,
        "by_status": {status.value: count for status, count in by_status.items()},
        "workers": workers,
        "heartbeat": heartbeat,
    }
    return render(request, "status.html", context)
