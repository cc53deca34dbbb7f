"""Articles with known entities, dates and sources, stored and enriched straight through the
store, for the query tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from services.api.app import create_app
from shared.models import ArticleIn, DateMention, Enrichment, Entity, EntitySummary
from shared.settings import Settings
from shared.store import Store
from tests.servers import empty_archive

LAVROV = ("person:sergei-lavrov", "Sergei Lavrov", "PERSON")
KERRY = ("person:john-kerry", "John Kerry", "PERSON")
SYRIA = ("place:syria", "Syria", "GPE")
UN = ("org:united-nations", "United Nations", "ORG")


@dataclass
class Story:
    title: str
    text: str
    published: str | None
    source: str | None = "Wire"
    entities: list[tuple[str, str, str]] = field(default_factory=list)
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (words, TIMEX3 value)
    enrich: bool = True


def enrichment_of(story: Story) -> Enrichment:
    """Entities and dates placed on the words of the text that name them."""
    mentions, summary = [], []
    for entity_id, name, label in story.entities:
        surface = name.split()[-1]
        start = story.text.find(surface)
        if start >= 0:
            mentions.append(
                Entity(text=surface, label=label, start=start, end=start + len(surface))
            )
        summary.append(
            EntitySummary(entity_id=entity_id, name=name, label=label, mentions=1, salience=0.5)
        )
    dates = []
    for surface, value in story.mentions:
        start = max(story.text.find(surface), 0)
        end = start + len(surface)
        dates.append(DateMention(text=surface, type="DATE", value=value, start=start, end=end))
    return Enrichment(entities=mentions, dates=dates, entity_summary=summary)


def store_story(store: Store, story: Story) -> str:
    article_id, _ = store.save_article(
        ArticleIn(
            title=story.title, text=story.text, source=story.source, published_at=story.published
        )
    )
    if story.enrich:
        store.claim_for_enrichment(article_id, max_attempts=3)
        store.mark_enriched(article_id, enrichment_of(story))
    return article_id


STORIES = {
    "truce": Story(
        "World powers fail to salvage Syrian truce",
        "On Thursday Lavrov and Kerry met in New York; the truce in Syria collapsed on Monday.",
        "2016-09-23",
        entities=[LAVROV, KERRY, SYRIA],
        mentions=[("Thursday", "2016-09-22"), ("Monday", "2016-09-19")],
    ),
    "aleppo": Story(
        "Aleppo convoy hit",
        "Lavrov blamed rebels for this month's attack on the aid convoy near Aleppo in Syria.",
        "2016-09-20",
        source="Agency",
        entities=[LAVROV, SYRIA],
        mentions=[("this month", "2016-09")],
    ),
    "assembly": Story(
        "United Nations General Assembly opens",
        "Kerry spoke at the United Nations about refugees today.",
        "2016-09-13",
        entities=[KERRY, UN],
        mentions=[("today", "2016-09-13")],
    ),
    "geneva": Story(
        "Geneva talks",
        "Lavrov and Kerry agreed a ceasefire plan in Geneva, to start on September 12.",
        "2016-08-27",
        source="wire",
        entities=[LAVROV, KERRY],
        mentions=[("September 12", "2016-09-12")],
    ),
    "pending": Story(
        "Lavrov speech awaited",
        "A speech is expected next week.",
        "2016-09-24",
        enrich=False,
    ),
}


@dataclass
class Corpus:
    client: TestClient
    store: Store
    ids: dict[str, str]

    def titles(self, query: str) -> list[str]:
        """The titles `GET /articles?query` lists, in order (one page)."""
        answer = self.client.get(f"/articles?{query}")
        assert answer.status_code == 200, answer.text
        return [item["title"] for item in answer.json()["items"]]

    def names(self, query: str) -> list[str]:
        by_title = {story.title: name for name, story in STORIES.items()}
        return [by_title[title] for title in self.titles(query)]


@contextmanager
def corpus_on(database_url: str, redis_url: str, **settings: object) -> Iterator[Corpus]:
    """The stories in an emptied archive, and an API client on it."""
    empty_archive(database_url)
    store = Store.from_url(database_url)
    try:
        ids = {name: store_story(store, story) for name, story in STORIES.items()}
        app = create_app(
            Settings(redis_url=redis_url, database_url=database_url, **settings)  # type: ignore[arg-type]
        )
        with TestClient(app) as client:
            yield Corpus(client, store, ids)
    finally:
        store.close()
