"""The web view's pages over HTTP, against a real Redis: links, error pages, snippets, paging
and the operations pages. The browser-level checks are in tests/e2e/test_web_view.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import redis
from fastapi.testclient import TestClient

from services.api.app import create_app
from services.api.auth import API_KEY_HEADER
from services.api.routes import web as web_routes
from shared.models import ArticleIn, DateMention, Enrichment, Entity, EntitySummary
from shared.settings import Settings
from shared.store import Store, explore

pytestmark = pytest.mark.integration

TEXT = (
    "Sergei Lavrov met John Kerry in Geneva on Thursday. Lavrov said the truce in Aleppo "
    "could hold. Kerry said on Thursday that talks would go on."
)


def _span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def truce_enrichment() -> Enrichment:
    def ent(word: str, label: str, nth: int = 0) -> Entity:
        start, end = _span(TEXT, word, nth)
        return Entity(text=word, label=label, start=start, end=end)

    def day(nth: int) -> DateMention:
        start, end = _span(TEXT, "Thursday", nth)
        return DateMention(text="Thursday", type="DATE", value="2016-09-22", start=start, end=end)

    return Enrichment(
        entities=[ent("Sergei Lavrov", "PERSON"), ent("John Kerry", "PERSON"),
                  ent("Geneva", "GPE"), ent("Lavrov", "PERSON", 1), ent("Aleppo", "GPE")],
        dates=[day(0), day(1)],
        entity_summary=[
            EntitySummary(entity_id="person:sergei-lavrov", name="Sergei Lavrov", label="PERSON",
                          mentions=2, salience=0.9),
            EntitySummary(entity_id="person:john-kerry", name="John Kerry", label="PERSON",
                          mentions=1, salience=0.5),
            EntitySummary(entity_id="place:geneva", name="Geneva", label="GPE", mentions=1,
                          salience=0.3),
            EntitySummary(entity_id="place:aleppo", name="Aleppo", label="GPE", mentions=1,
                          salience=0.3),
        ],
    )  # fmt: skip


class Web:
    def __init__(self, client: TestClient, store: Store) -> None:
        self.client = client
        self.store = store

    def add(self, title: str, text: str, enrichment: Enrichment | None = None, **extra: str) -> str:
        article_id, _ = self.store.save_article(ArticleIn(title=title, text=text, **extra))
        if enrichment is not None:
            self.store.mark_enriched(article_id, enrichment)
        return article_id


@pytest.fixture
def web(store: Store, redis_url: str, database_url: str) -> Iterator[Web]:
    """The API on an emptied archive and a Redis database of its own (no worker beats there)."""
    url = redis_url.rsplit("/", 1)[0] + "/3"
    raw = redis.Redis.from_url(url, decode_responses=True)
    raw.flushdb()
    with TestClient(create_app(Settings(redis_url=url, database_url=database_url))) as client:
        yield Web(client, store)
    raw.flushdb()
    raw.close()


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def test_links_never_come_from_the_host_header(web: Web) -> None:
    article_id = web.add("Truce", TEXT, truce_enrichment(), published_at="2016-09-23")
    paths = ["/ui", f"/ui/articles/{article_id}", "/ui/entities/person:sergei-lavrov", "/ui/feeds",
             "/ui/failed", "/ui/status", "/ui/nowhere", "/ui?published_from=x"]  # fmt: skip
    for path in paths:
        page = web.client.get(path, headers={"Host": "evil.example"})
        assert page.headers["content-type"].startswith("text/html"), path
        assert "evil.example" not in page.text, path
        assert all(h.startswith(("/", "#", "http://", "https://")) for h in hrefs(page.text))


def test_a_bad_date_in_the_url_is_an_html_page_in_the_form_s_terms(web: Web) -> None:
    page = web.client.get("/ui?published_from=2016-13-45&limit=7")
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>" in page.text
    assert "Published from: “2016-13-45” is not a date" in unescape(page.text)
    assert "published_from" not in page.text.replace('name="published_from"', "")
    assert 'href="/ui?limit=7"' in page.text  # the same search without the wrong field


def test_inverted_dates_are_explained_with_the_form_s_labels(web: Web) -> None:
    page = web.client.get("/ui?published_from=2016-10-01&published_to=2016-09-01")
    assert page.status_code == 400
    text = unescape(page.text)
    assert "“Published from” must be before “Published to”" in text
    assert "published_from must" not in text


def test_unknown_article_entity_and_page_are_html_404s(web: Web) -> None:
    for path in ("/ui/articles/nope", "/ui/entities/person:nobody", "/ui/no/such/page"):
        page = web.client.get(path)
        assert page.status_code == 404, path
        assert page.headers["content-type"].startswith("text/html"), path
        assert "<h1>" in page.text
    assert web.client.get("/ui/static/gazette.css").status_code == 200
    slash = web.client.get("/ui/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert (slash.status_code, slash.headers["location"]) == (308, "/ui")


def test_every_page_has_an_h1_a_skip_link_and_the_navigation(web: Web) -> None:
    article_id = web.add("Truce", TEXT, truce_enrichment())
    for path in ("/ui", f"/ui/articles/{article_id}", "/ui/entities/place:geneva", "/ui/feeds",
                 "/ui/failed", "/ui/status", "/ui/missing"):  # fmt: skip
        html = web.client.get(path).text
        assert html.count("<h1") == 1, path
        assert 'href="#main"' in html and 'id="main"' in html
        for target in ("/ui/feeds", "/ui/failed", "/ui/status", "/docs"):
            assert f'href="{target}"' in html, (path, target)
        # A `default-src 'self'` policy blocks inline styles, scripts and handlers.
        assert "style=" not in html and "<script>" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_empty_archive_says_how_to_add_articles(web: Web) -> None:
    html = web.client.get("/ui").text
    assert "The archive is empty" in html
    for way in ("POST /articles", "gazette ingest", "inbox", "/ui/feeds"):
        assert way in html
    web.add("One", "Some words.")
    assert "The archive is empty" not in web.client.get("/ui").text


def test_hits_show_a_snippet_with_the_words_and_the_name_marked(web: Web) -> None:
    web.add("Truce", TEXT, truce_enrichment())
    html = web.client.get("/ui?q=truce&entity=Lavrov").text
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S)
    assert snippet
    assert '<mark class="hit word">truce</mark>' in snippet[1]
    assert '<mark class="hit entity">Lavrov</mark>' in snippet[1] or (
        '<mark class="hit entity">Sergei Lavrov</mark>' in snippet[1]
    )


def test_chips_show_the_name_and_filter_by_the_entity(web: Web) -> None:
    web.add("Truce", TEXT, truce_enrichment())
    web.add("Other", "Kerry went home.", Enrichment(
        entities=[Entity(text="Kerry", label="PERSON", start=0, end=5)],
        entity_summary=[EntitySummary(entity_id="person:kerry", name="Kerry", label="PERSON",
                                      mentions=1, salience=1)]))  # fmt: skip
    html = web.client.get("/ui").text
    chip = next(h for h in hrefs(html) if "entity_id=person%3Ajohn-kerry" in h)
    assert parse_qs(urlsplit(chip).query)["entity"] == ["John Kerry"]
    page = web.client.get(chip).text
    assert (
        'value="John Kerry"' in page
        and "person:john-kerry" not in page.split("<form")[1].split('name="entity"')[1][:60]
    )
    assert re.findall(r'class="title"[^>]*>([^<]*)<', page) == ["Truce"]
    # An id typed in the box is shown as the entity's name.
    assert 'value="Sergei Lavrov"' in web.client.get("/ui?entity=person:sergei-lavrov").text


def test_previous_and_next_walk_the_pages_both_ways(web: Web) -> None:
    for n in range(5):
        web.add(f"Story {n}", f"Words number {n}.", published_at=f"2016-09-0{n + 1}")

    def titles(html: str) -> list[str]:
        return re.findall(r'class="title"[^>]*>([^<]*)<', html)

    def rel(html: str, name: str) -> str | None:
        found = re.search(rf'rel="{name}" href="([^"]*)"', html)
        return unescape(found[1]) if found else None

    first = web.client.get("/ui?limit=2").text
    assert titles(first) == ["Story 4", "Story 3"] and rel(first, "prev") is None
    second = web.client.get(rel(first, "next") or "").text
    third = web.client.get(rel(second, "next") or "").text
    assert titles(second) == ["Story 2", "Story 1"] and titles(third) == ["Story 0"]
    assert "Page 3" in third and rel(third, "next") is None
    assert titles(web.client.get(rel(third, "prev") or "").text) == titles(second)
    assert titles(web.client.get(rel(second, "prev") or "").text) == titles(first)


def test_label_options_are_only_labels_enrichment_keeps(web: Web) -> None:
    html = web.client.get("/ui").text
    select = html.split('name="label"')[1].split("</select>")[0]
    for never in ("MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "DATE", "TIME"):
        assert f'value="{never}"' not in select
    assert "GPE — countries, cities, states" in unescape(select)


def test_relevance_is_offered_only_with_words_and_kept_across_pages(web: Web) -> None:
    assert 'value="relevance"' not in web.client.get("/ui").text
    for n in range(3):
        web.add(f"Truce {n}", f"The truce number {n}.")
    html = web.client.get("/ui?q=truce&sort=relevance&limit=1").text
    assert '<option value="relevance" selected>' in html
    following = re.search(r'rel="next" href="([^"]*)"', html)
    assert following and "sort=relevance" in unescape(following[1])
    assert web.client.get("/ui?sort=sideways").status_code == 422


def test_article_page_links_names_and_dates_and_lists_each_date_once(web: Web) -> None:
    article_id = web.add("Truce", TEXT, truce_enrichment(), published_at="2016-09-23")
    html = unescape(web.client.get(f"/ui/articles/{article_id}").text)
    body = html.split('class="body">')[1].split("</div>")[0]
    assert body.count('href="/ui/entities/person:sergei-lavrov"') == 2  # "Sergei Lavrov", "Lavrov"
    assert 'href="/ui?mentions_date_from=2016-09-22&mentions_date_to=2016-09-22"' in body
    assert 'title="TIMEX3 DATE 2016-09-22"' in body
    dates = html.split('class="date-list">')[1].split("</ul>")[0]
    assert dates.count("<li>") == 1
    assert "Thu 22 Sep 2016" in dates and "×2" in dates
    assert "GPE</span> countries, cities, states" in html


def test_entity_page_shows_name_label_forms_and_recent_articles(web: Web) -> None:
    article_id = web.add("Truce", TEXT, truce_enrichment())
    html = unescape(web.client.get("/ui/entities/person:sergei-lavrov").text)
    assert "<h1>Sergei Lavrov" in html
    assert "A person (PERSON" in html
    assert '“Sergei Lavrov” <span class="count">×1' in html and "“Lavrov” <span" in html
    assert f'href="/ui/articles/{article_id}"' in html


def test_operations_pages_read_the_store(web: Web) -> None:
    failed = web.add("Broken", "Nothing works.")
    web.store.mark_failed(failed, "spaCy ran out of memory")
    html = web.client.get("/ui/failed").text
    assert "spaCy ran out of memory" in html and f'data-url="/articles/{failed}/retry"' in html
    status = web.client.get("/ui/status").text
    assert "Enrichment queue" in status and "Enrich workers: 0" in status
    feed = web.client.post("/feeds", json={"url": "https://example.org/rss"}).json()
    feeds = web.client.get("/ui/feeds").text
    assert "https://example.org/rss" in feeds
    assert f'data-url="/feeds/{feed["id"]}/poll"' in feeds and 'id="api-key"' not in feeds


def test_the_pages_send_the_key_in_the_header_the_api_reads() -> None:
    script = (web_routes.WEB / "static" / "operations.js").read_text()
    assert f'headers["{API_KEY_HEADER}"] = keyInput.value' in script


def test_writes_ask_for_the_key_when_keys_are_on(redis_url: str, database_url: str) -> None:
    url = redis_url.rsplit("/", 1)[0] + "/4"
    settings = Settings(redis_url=url, database_url=database_url, api_keys="sekret")
    with TestClient(create_app(settings)) as client:
        assert 'id="api-key"' in client.get("/ui/feeds").text
        assert 'id="api-key"' in client.get("/ui/failed").text


def test_label_colours_come_from_a_stylesheet(web: Web) -> None:
    css = web.client.get("/ui/labels.css")
    assert css.headers["content-type"].startswith("text/css")
    assert ".l-PERSON { background: #aa9cfc; }" in css.text


def test_the_list_says_how_many_match_with_pages_and_download_links(web: Web) -> None:
    for n in range(3):
        web.add(f"Truce {n}", TEXT, truce_enrichment(), published_at=f"2016-09-2{n}")
    web.add("Other", "Nothing to see.")
    html = unescape(web.client.get("/ui?entity=Lavrov&limit=2").text)
    assert "3</span> articles match" in html and "Page 1 of 2" in html
    assert web.client.get("/articles/count?entity=Lavrov").json() == {"articles": 3, "exact": True}
    links = [h for h in hrefs(html) if h.startswith("/articles/export")]
    assert "Download these 3 articles" in html and len(links) == 2
    for href in links:
        assert "limit" not in href and "entity=Lavrov" in href
        rows = web.client.get(href).text.strip().splitlines()
        assert len(rows) == 3 + ("format=csv" in href)  # CSV has a header row
    one = unescape(web.client.get("/ui?q=nothing").text)
    assert "1</span> article matches" in one and "Download this article" in one


def test_a_picked_entity_exports_by_its_id(web: Web) -> None:
    web.add("Truce", TEXT, truce_enrichment())
    html = unescape(web.client.get("/ui?entity=John+Kerry&entity_id=person:john-kerry").text)
    href = next(h for h in hrefs(html) if h.startswith("/articles/export?format=jsonl"))
    assert parse_qs(urlsplit(href).query)["entity"] == ["person:john-kerry"]
    assert len(web.client.get(href).text.splitlines()) == 1


def test_past_the_cap_the_count_says_more_than(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explore, "COUNT_CAP", 2)
    for n in range(3):
        web.add(f"Story {n}", f"Words number {n}.")
    html = unescape(web.client.get("/ui?limit=1").text)
    assert "More than <span" in html and "2</span> articles match" in html
    assert "Page 1 of more than 2" in html and "(more than 2)" in html
    assert web.client.get("/articles/count").json() == {"articles": 2, "exact": False}


def test_entity_page_draws_the_timeline_and_the_names_alongside(web: Web) -> None:
    for day in ("2016-09-05", "2016-09-20", "2016-09-23"):
        web.add(f"Truce {day}", f"{TEXT} {day}", truce_enrichment(), published_at=day)
    for interval in ("week", "day"):
        html = web.client.get(f"/ui/entities/person:sergei-lavrov?interval={interval}").text
        api = web.client.get(f"/entities/person:sergei-lavrov/timeline?interval={interval}")
        buckets = api.json()["buckets"]
        assert html.count('<rect class="bar"') == len(buckets) == (3 if interval == "week" else 19)
        drawn = re.findall(r'data-date="([^"]+)" data-articles="(\d+)"', html)
        assert drawn == [(b["date"], str(b["articles"])) for b in buckets]
    assert 'href="/ui/entities/person:john-kerry"' in html and "in 3 articles together" in html
    assert "data-pending" not in html


def test_bad_ids_and_names_are_html_pages(web: Web) -> None:
    page = web.client.get("/ui?entity=*")
    assert (page.status_code, page.headers["content-type"][:9]) == (422, "text/html")
    assert "Entity: must name an entity" in unescape(page.text)
    for path in ("/ui/entities/*", "/ui/articles/articles:1", "/ui/entities/x?interval=year"):
        page = web.client.get(path)
        assert page.headers["content-type"].startswith("text/html"), path
        assert page.status_code in (404, 422) and "<h1>" in page.text, path
