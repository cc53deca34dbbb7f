"""What handlers need, injected by type: `store: StoreDep`, `queue: QueueDep`.

The getters are `async` because they do no I/O: a sync one would cost a thread hop per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.queue import EnrichQueue
from shared.settings import Settings
from shared.store import Store


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_queue(request: Request) -> EnrichQueue:
    queue: EnrichQueue = request.app.state.queue
    return queue


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
QueueDep = Annotated[EnrichQueue, Depends(get_queue)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
