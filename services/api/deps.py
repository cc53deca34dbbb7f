"""What handlers need, injected by type: `store: StoreDep`, `reader: ReaderDep`, ...

The getters are `async` because they do no I/O: a sync one would cost a thread hop per request.
`Reader` (async pool) serves the read handlers; `Store` (sync pool) the writes, which run in
the threadpool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.bus import Bus
from shared.queue import EnrichQueue
from shared.settings import Settings
from shared.store import FeedStore, Reader, Store


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_reader(request: Request) -> Reader:
    reader: Reader = request.app.state.reader
    return reader


async def get_bus(request: Request) -> Bus:
    bus: Bus = request.app.state.bus
    return bus


async def get_feed_store(request: Request) -> FeedStore:
    feeds: FeedStore = request.app.state.feed_store
    return feeds


async def get_queue(request: Request) -> EnrichQueue:
    queue: EnrichQueue = request.app.state.queue
    return queue


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
ReaderDep = Annotated[Reader, Depends(get_reader)]
BusDep = Annotated[Bus, Depends(get_bus)]
FeedStoreDep = Annotated[FeedStore, Depends(get_feed_store)]
QueueDep = Annotated[EnrichQueue, Depends(get_queue)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
