"""A real Celery worker process enriches what the store and queue hand it."""

import subprocess
import uuid
from pathlib import Path

import pytest

from shared.bus import Bus
from shared.models import Article, ArticleIn, ArticleStatus
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from shared.submission import submit_article, submit_articles
from tests.polling import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("enrich_worker")]


def enriched(store: Store, article_id: str) -> Article | None:
    article = store.get_article(article_id)
    return article if article.status in (ArticleStatus.ENRICHED, ArticleStatus.FAILED) else None


def test_worker_enriches_a_submitted_article(settings: Settings) -> None:
    store = Store.from_url(settings.require_database_url())
    bus = Bus.from_url(settings.require_redis_url())
    queue = EnrichQueue(create_celery_app(settings))
    marker = uuid.uuid4().hex[:6]
    text = f"John Kerry met Sergei Lavrov in Geneva on Monday. Ref {marker}."
    accepted, created = submit_article(
        store, bus, queue, ArticleIn(title="Talks", text=text, published_at="2016-09-23")
    )
    assert created
    article = wait_until(lambda: enriched(store, accepted.id), timeout=30, what="enrichment")
    assert article.status is ArticleStatus.ENRICHED and article.error is None
    people = {e.text for e in article.entities if e.label == "PERSON"}
    assert {"John Kerry", "Sergei Lavrov"} <= people
    for mention in [*article.entities, *article.dates]:
        assert text[mention.start : mention.end] == mention.text
    assert any(d.text == "Monday" and d.type == "DATE" for d in article.dates)
    assert article.attempts == 1
    store.close()
    bus.close()


def test_pool_processes_stay_single_threaded(
    settings: Settings, enrich_worker: subprocess.Popen[bytes]
) -> None:
    """A process that ever started a second thread runs spaCy ~20 % slower for good (see
    shared/store/db.py, OneConnection): the pool processes keep to their one thread."""
    store = Store.from_url(settings.require_database_url())
    bus = Bus.from_url(settings.require_redis_url())
    queue = EnrichQueue(create_celery_app(settings))
    text = f"Angela Merkel spoke in Berlin. ({uuid.uuid4().hex[:6]})"
    accepted, _ = submit_article(store, bus, queue, ArticleIn(title="Threads", text=text))
    wait_until(lambda: enriched(store, accepted.id), timeout=30, what="enrichment")
    pid = enrich_worker.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert children
    assert {child: len(list(Path(f"/proc/{child}/task").iterdir())) for child in children} == {
        child: 1 for child in children
    }
    store.close()
    bus.close()


def test_article_without_publication_date_gets_it_from_its_dateline(settings: Settings) -> None:
    store = Store.from_url(settings.require_database_url())
    bus = Bus.from_url(settings.require_redis_url())
    queue = EnrichQueue(create_celery_app(settings))
    text = f"23 September, 2016\nDiplomats met in New York on Thursday. ({uuid.uuid4().hex[:6]})"
    accepted, _ = submit_article(store, bus, queue, ArticleIn(title="Dateline", text=text))
    article = wait_until(lambda: enriched(store, accepted.id), timeout=30, what="enrichment")
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == "2016-09-23"
    store.close()
    bus.close()


def test_a_batch_is_enriched_in_one_task_each_article_once(settings: Settings) -> None:
    store = Store.from_url(settings.require_database_url())
    bus = Bus.from_url(settings.require_redis_url())
    queue = EnrichQueue(create_celery_app(settings))
    run = uuid.uuid4().hex[:6]
    text = "Angela Merkel met Emmanuel Macron on Monday."
    batch = [
        ArticleIn(title=f"Talks {n}", text=f"{text} {run}-{n}", published_at="2017-06-01")
        for n in range(10)
    ]
    ids = [accepted.id for accepted, _ in submit_articles(store, bus, queue, batch)]

    def all_enriched() -> list[Article] | None:
        found = [enriched(store, i) for i in ids]
        return None if None in found else [a for a in found if a is not None]

    articles = wait_until(all_enriched, timeout=60, what="a batch enriched")
    for article in articles:
        assert article.status is ArticleStatus.ENRICHED and article.attempts == 1
        assert {"Angela Merkel", "Emmanuel Macron"} <= {e.text for e in article.entities}
        assert [d.value for d in article.dates if d.text == "Monday"] == ["2017-05-29"]
    store.close()
    bus.close()
