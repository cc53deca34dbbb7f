import asyncio

from services.api.event_hub import BACKLOG, Listener
from shared.models import ArticleStatus
from shared.store.query import ArticleSummary


def summary(n: int) -> ArticleSummary:
    return ArticleSummary(
        id=f"{n:016x}", title=str(n), status=ArticleStatus.ENRICHED, top_entities=[]
    )


def test_a_listener_gets_what_it_is_offered_in_order() -> None:
    async def scenario() -> list[str | None]:
        listener = Listener()
        listener.offer(summary(1))
        listener.offer(summary(2))
        got = [await listener.next(0.1), await listener.next(0.1), await listener.next(0.01)]
        return [s.title if s else None for s in got]

    assert asyncio.run(scenario()) == ["1", "2", None]


def test_a_listener_that_falls_too_far_behind_is_ended_not_grown() -> None:
    async def scenario() -> Listener:
        listener = Listener()
        for n in range(BACKLOG + 10):
            listener.offer(summary(n))
        return listener

    listener = asyncio.run(scenario())
    assert listener.ended
