"""One name, one label: a lone article's label for a name yields to the archive's clear
majority, at storage and, for articles stored before the majority formed, by `gazette
relabel`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from services.cli import main
from shared import settings as settings_module
from shared.models import ArticleIn
from shared.settings import Settings
from shared.store import Store
from shared.store.query import ArticleQuery
from tests.integration.query_fixtures import Story, enrichment_of, store_story

pytestmark = pytest.mark.integration

SPOTIFY_ORG = ("org:spotify", "Spotify", "ORG")
SPOTIFY_GPE = ("place:spotify", "Spotify", "GPE")
APPLE = ("org:apple", "Apple", "ORG")


def spotify(n: int, label: tuple[str, str, str] = SPOTIFY_ORG) -> Story:
    return Story(
        f"Streaming story {n}",
        f"Spotify and Apple reported subscriber numbers, story {n}.",
        f"2024-03-{n + 1:02d}",
        entities=[label, APPLE],
    )


@pytest.fixture
def client(store: Store, redis_url: str, database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(redis_url=redis_url, database_url=database_url))
    with TestClient(app) as found:
        yield found


def ids_listed(client: TestClient, query: str) -> list[str]:
    answer = client.get(f"/articles?{query}")
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


def filed_under(store: Store, entity_id: str) -> set[str]:
    """The articles the index files under this id (no name matching)."""
    found, _ = store.find_articles(ArticleQuery(entity_ids=(entity_id,), limit=50))
    return {summary.id for summary in found}


def entity(client: TestClient, entity_id: str) -> dict[str, object] | None:
    answer = client.get(f"/entities/{entity_id}")
    if answer.status_code == 404:
        return None
    assert answer.status_code == 200, answer.text
    found: dict[str, object] = answer.json()
    return found


def test_a_lone_article_takes_the_archives_majority_label(store: Store, client: TestClient) -> None:
    majority = [store_story(store, spotify(n)) for n in range(3)]
    lone = store_story(store, spotify(3, SPOTIFY_GPE))

    assert set(ids_listed(client, "entity=org:spotify")) == {*majority, lone}
    # The index files it under the majority's id only.
    assert filed_under(store, "org:spotify") == {*majority, lone}
    assert filed_under(store, "place:spotify") == set()
    found = entity(client, "org:spotify")
    assert found is not None and found["articles"] == 4 and found["label"] == "ORG"
    assert entity(client, "place:spotify") is None
    # The label filter and the list's top entities say ORG too.
    assert ids_listed(client, "label=GPE") == []
    assert lone in ids_listed(client, "label=ORG")
    listed = client.get("/articles?entity=org:spotify").json()["items"]
    tops = [e for item in listed if item["id"] == lone for e in item["top_entities"]]
    assert {"entity_id": "org:spotify", "name": "Spotify", "label": "ORG"} in tops

    article = client.get(f"/articles/{lone}").json()
    by_id = {e["entity_id"]: e for e in article["entity_summary"]}
    assert by_id["org:spotify"]["label"] == "ORG"
    assert by_id["org:spotify"]["label_corrected_from"] == "GPE"
    assert "label_corrected_from" not in by_id["org:apple"]
    mention = next(m for m in article["entities"] if m["text"] == "Spotify")
    assert (mention["label"], mention["label_corrected_from"]) == ("ORG", "GPE")
    # The majority's own articles are untouched.
    first = client.get(f"/articles/{majority[0]}").json()
    assert all("label_corrected_from" not in e for e in first["entity_summary"])


def test_articles_earlier_in_the_same_batch_count(store: Store, client: TestClient) -> None:
    saved = [store.save_article(ArticleIn(title=f"T{n}", text=f"Spotify {n}"))[0] for n in range(4)]
    *majority, lone = sorted(saved)  # a batch is stored in id order: the GPE one comes last
    batch = [(i, enrichment_of(spotify(n))) for n, i in enumerate(majority)]
    store.mark_many_enriched([*batch, (lone, enrichment_of(spotify(3, SPOTIFY_GPE)))])

    assert filed_under(store, "org:spotify") == set(saved)
    found = entity(client, "org:spotify")
    assert found is not None and found["articles"] == 4


def test_no_correction_before_the_majority_is_clear(store: Store, client: TestClient) -> None:
    for n in range(2):
        store_story(store, spotify(n))
    lone = store_story(store, spotify(2, SPOTIFY_GPE))  # 2 ORG of 3: not yet clear

    assert filed_under(store, "place:spotify") == {lone}
    found = entity(client, "place:spotify")
    assert found is not None and found["articles"] == 1 and found["label"] == "GPE"
    article = client.get(f"/articles/{lone}").json()
    assert all("label_corrected_from" not in e for e in article["entity_summary"])


def test_relabel_files_articles_stored_before_the_majority_formed(
    store: Store, client: TestClient, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    early = store_story(store, spotify(0, SPOTIFY_GPE))
    majority = [store_story(store, spotify(n)) for n in range(1, 4)]  # 3 ORG of 4: clear now
    enriched_at = store.get_article(early).enriched_at
    assert filed_under(store, "place:spotify") == {early}

    assert run(monkeypatch, database_url, "relabel") == 0

    assert set(ids_listed(client, "entity=org:spotify")) == {early, *majority}
    assert filed_under(store, "org:spotify") == {early, *majority}
    assert filed_under(store, "place:spotify") == set()
    found = entity(client, "org:spotify")
    assert found is not None and found["articles"] == 4
    assert entity(client, "place:spotify") is None
    article = store.get_article(early)
    summary = {e.entity_id: e for e in article.entity_summary}
    assert summary["org:spotify"].label_corrected_from == "GPE"
    assert article.enriched_at == enriched_at  # a relabelling is not an enrichment
    assert store.relabel() == 0  # nothing left to do


def run(monkeypatch: pytest.MonkeyPatch, database_url: str, *args: str) -> int:
    monkeypatch.setenv("GAZETTE_DATABASE_URL", database_url)
    settings_module.get_settings.cache_clear()
    try:
        return main(list(args))
    finally:
        settings_module.get_settings.cache_clear()
