"""The web view in a real headless Chromium (Selenium) on a whole `gazette up` stack, at a
desktop width (1400 px) and a phone width (390 px): search, article and entity pages, the live
list, error pages, the operations pages, and an axe-core accessibility check.

Screenshots go to the test's tmp_path and, for people, to build/screenshots/.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.polling import wait_until
from tests.servers import gazette_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "articles"
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
DESKTOP, PHONE = 1400, 390
WIDTHS = pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["1400px", "390px"])

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)


class Site:
    def __init__(self, base: str, ids: dict[str, str], api: Any) -> None:
        self.base = base
        self.ids = ids
        self.api = api


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A running stack holding the seed articles, each enriched by the real pipeline."""
    with gazette_stack(tmp_path_factory.mktemp("web"), GAZETTE_ENRICH_CONCURRENCY="1") as up:
        api = up.api
        seed = (SEEDS / "world-powers-fail-to-salvage-syrian-truce.txt").read_text()
        title, _, body = seed.partition("\n")
        articles: list[dict[str, Any]] = [
            {
                "title": title,
                "text": body.strip(),
                "published_at": "2016-09-23",
                "source": "Reuters",
            }
        ]
        for line in (SEEDS / "wikinews-sample.jsonl").read_text().splitlines():
            entry = json.loads(line)
            articles.append({k: entry[k] for k in ("title", "text", "published_at") if k in entry}
                            | {"source": "Wikinews"})  # fmt: skip
        articles.append({"title": HOSTILE, "text": f"Hostile text {HOSTILE}", "source": "x"})
        accepted = api.post("/articles/batch", json={"articles": articles}).json()["items"]
        ids = [item["id"] for item in accepted]
        wait_until(
            lambda: all(api.get(f"/articles/{i}").json()["status"] == "enriched" for i in ids),
            timeout=120,
            what="enrichment of the seed articles",
        )
        yield Site(up.base_url, {"truce": ids[0], "hostile": ids[-1]}, api)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars", f"--window-size={DESKTOP},900",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def open_at(driver: webdriver.Chrome, url: str, width: int) -> None:
    driver.set_window_size(width, 844 if width == PHONE else 900)
    driver.get(url)
    assert driver.execute_script("return document.documentElement.clientWidth") == width


def screenshot(driver: webdriver.Chrome, tmp_path: Path, name: str) -> Path:
    """Save the whole page as PNG under the test's output, and a copy for people."""
    width, height, chrome = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollHeight,"
        " window.outerHeight - window.innerHeight]"
    )
    driver.set_window_size(int(width), min(max(int(height), 700), 4000) + int(chrome))
    path = tmp_path / name
    assert driver.save_screenshot(str(path))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / name)
    return path


def horizontal_overflow(driver: webdriver.Chrome) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scroll)."""
    return int(driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    ))  # fmt: skip


def serious_violations(driver: webdriver.Chrome) -> list[str]:
    """axe-core's serious and critical findings on the current page."""
    driver.execute_script(AXE.read_text())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def shown_count(driver: webdriver.Chrome) -> int:
    """The number of matches the list's heading says, as a reader reads it ("1,204")."""
    heading = driver.find_element(By.ID, "results-heading").text
    words = heading.split()
    assert words[1:] in (["articles", "match"], ["article", "matches"]), heading
    return int(words[0].replace(",", ""))


def titles(driver: webdriver.Chrome) -> list[str]:
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "ul.results a.title")]


@WIDTHS
def test_list_page_fits_the_window_and_keeps_results_in_view(
    site: Site, browser: webdriver.Chrome, tmp_path: Path, width: int
) -> None:
    open_at(browser, f"{site.base}/ui", width)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Articles"
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.results li")) == 6
    assert shown_count(browser) == site.api.get("/articles/count").json()["articles"] == 6
    assert horizontal_overflow(browser) == 0
    # The filters fold away: the first result shows on the first screen, even on a phone.
    first = browser.find_element(By.CSS_SELECTOR, "ul.results li a.title")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", first)
    assert top < browser.execute_script("return window.innerHeight")
    assert screenshot(browser, tmp_path, f"list-{width}.png").stat().st_size > 10_000


def test_the_first_result_is_four_key_presses_away(site: Site, browser: webdriver.Chrome) -> None:
    open_at(browser, f"{site.base}/ui", DESKTOP)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB, Keys.TAB)
    assert browser.switch_to.active_element.text == "Skip to the results"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    browser.switch_to.active_element.send_keys(Keys.TAB)
    first = browser.find_element(By.CSS_SELECTOR, "ul.results a.title")
    assert browser.switch_to.active_element == first


def test_filters_chips_and_pages(site: Site, browser: webdriver.Chrome, tmp_path: Path) -> None:
    open_at(browser, f"{site.base}/ui", DESKTOP)
    form = browser.find_element(By.CSS_SELECTOR, "form.filters")
    form.find_element(By.NAME, "entity").send_keys("lavrov")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: "entity=lavrov" in browser.current_url, timeout=10, what="the filtered list")
    assert titles(browser) == ["World powers fail to salvage Syrian truce"]
    assert browser.find_elements(By.CSS_SELECTOR, "p.snippet mark.hit.entity")
    chip = browser.find_element(By.CSS_SELECTOR, "ul.results a.chip")
    name = (chip.get_attribute("title") or "").removeprefix("Articles that mention ")
    chip.click()
    wait_until(lambda: "entity_id=" in browser.current_url, timeout=10, what="the chip's filter")
    assert browser.find_element(By.NAME, "entity").get_attribute("value") == name
    assert browser.find_element(By.TAG_NAME, "h1").text == f"Articles about {name}"
    assert "World powers fail to salvage Syrian truce" in titles(browser)

    browser.get(f"{site.base}/ui?source=wikinews&limit=1")
    first_page = titles(browser)
    assert len(first_page) == 1
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    wait_until(lambda: "cursor=" in browser.current_url, timeout=10, what="the next page")
    second_page = titles(browser)
    assert len(second_page) == 1 and second_page != first_page
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    wait_until(lambda: "back=" in browser.current_url, timeout=10, what="the third page")
    browser.find_element(By.CSS_SELECTOR, "a[rel=prev]").click()
    wait_until(lambda: titles(browser) == second_page, timeout=10, what="the previous page")
    browser.find_element(By.CSS_SELECTOR, "a[rel=prev]").click()
    wait_until(lambda: titles(browser) == first_page, timeout=10, what="the first page")


def test_entity_suggestions_while_typing(site: Site, browser: webdriver.Chrome) -> None:
    open_at(browser, f"{site.base}/ui", DESKTOP)
    browser.find_element(By.NAME, "entity").send_keys("Lavr")  # the start of the surname
    options = wait_until(
        lambda: browser.find_elements(By.CSS_SELECTOR, "#entity-suggestions option"),
        timeout=10,
        what="suggestions",
    )
    assert "Sergei Lavrov" in [o.get_attribute("value") for o in options]


@WIDTHS
def test_article_page_highlights_and_links(
    site: Site, browser: webdriver.Chrome, tmp_path: Path, width: int
) -> None:
    open_at(browser, f"{site.base}/ui/articles/{site.ids['truce']}", width)
    assert (
        browser.find_element(By.TAG_NAME, "h1").text == "World powers fail to salvage Syrian truce"
    )
    entities = browser.find_elements(By.CSS_SELECTOR, ".body mark.ent[data-label]")
    labels = {mark.get_attribute("data-label") for mark in entities}
    assert {"PERSON", "GPE"} <= labels
    names = browser.find_elements(By.CSS_SELECTOR, ".body a.ent-link[href*='/ui/entities/']")
    assert any("Lavrov" in a.text for a in names)
    dates = browser.find_elements(By.CSS_SELECTOR, ".body mark.date")
    assert dates and all(d.get_attribute("data-value") for d in dates)
    assert any((d.get_attribute("title") or "").endswith("2016-09-22") for d in dates)
    listed = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".date-list li")]
    assert len([t for t in listed if t.startswith("Thu 22 Sep 2016")]) == 1
    legend = {c.text for c in browser.find_elements(By.CSS_SELECTOR, ".legend .chip")}
    assert labels <= legend
    assert horizontal_overflow(browser) == 0
    assert screenshot(browser, tmp_path, f"article-{width}.png").stat().st_size > 10_000


@WIDTHS
def test_entity_page(site: Site, browser: webdriver.Chrome, tmp_path: Path, width: int) -> None:
    open_at(browser, f"{site.base}/ui/articles/{site.ids['truce']}", width)
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, ".entity-list a.chip")
                if a.text.startswith("Sergei Lavrov"))  # fmt: skip
    link.click()
    wait_until(lambda: "/ui/entities/" in browser.current_url, timeout=10, what="entity page")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Sergei Lavrov")
    assert "person" in browser.find_element(By.CSS_SELECTOR, ".lede").text
    assert browser.find_elements(By.CSS_SELECTOR, "ul.forms li")
    assert titles(browser) == ["World powers fail to salvage Syrian truce"]
    api = site.api.get("/entities/person:sergei-lavrov/timeline?interval=week").json()
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
    assert len(bars) == len(api["buckets"]) > 0
    assert [int(b.get_attribute("data-articles") or -1) for b in bars] == [
        b["articles"] for b in api["buckets"]
    ]
    related = browser.find_elements(By.CSS_SELECTOR, "#related-heading + ul.entity-list a.chip")
    expected = site.api.get("/entities/person:sergei-lavrov/related?limit=12").json()["items"]
    assert [a.get_attribute("href").rsplit("/", 1)[-1] for a in related] == [
        e["entity_id"] for e in expected
    ]
    assert horizontal_overflow(browser) == 0
    assert screenshot(browser, tmp_path, f"entity-{width}.png").stat().st_size > 10_000
    browser.find_element(By.LINK_TEXT, "Show per day").click()
    wait_until(lambda: "interval=day" in browser.current_url, timeout=10, what="daily chart")
    daily = site.api.get("/entities/person:sergei-lavrov/timeline?interval=day").json()
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")) == len(
        daily["buckets"]
    )


@WIDTHS
def test_the_count_and_the_downloads_agree_with_the_api(
    site: Site, browser: webdriver.Chrome, tmp_path: Path, width: int
) -> None:
    query = "source=wikinews&limit=2"
    open_at(browser, f"{site.base}/ui?{query}", width)
    count = site.api.get(f"/articles/count?{query}").json()
    assert count["exact"] and shown_count(browser) == count["articles"] > 2
    pages = -(-count["articles"] // 2)
    assert browser.find_element(By.CSS_SELECTOR, ".page-no").text == f"Page 1 of {pages}"
    links = browser.find_elements(By.CSS_SELECTOR, "p.export a.download")
    assert (
        f"Download these {count['articles']} articles"
        in browser.find_element(By.CSS_SELECTOR, "p.export").text
    )
    assert [a.text for a in links] == ["CSV", "JSON lines"]
    for a in links:
        href = a.get_attribute("href") or ""
        answer = site.api.get(href.removeprefix(site.base))
        assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
        if "format=csv" in href:
            rows = list(csv.reader(io.StringIO(answer.text)))[1:]
        else:
            rows = [json.loads(line) for line in answer.text.splitlines()]
        assert len(rows) == count["articles"], href
    assert horizontal_overflow(browser) == 0
    screenshot(browser, tmp_path, f"list-count-{width}.png")


def test_pages_have_no_serious_accessibility_violations(
    site: Site, browser: webdriver.Chrome
) -> None:
    pages = ["/ui", f"/ui/articles/{site.ids['truce']}", "/ui/entities/person:sergei-lavrov",
             "/ui/feeds", "/ui/failed", "/ui/status", "/ui?published_from=nope"]  # fmt: skip
    for width in (DESKTOP, PHONE):
        for path in pages:
            open_at(browser, site.base + path, width)
            assert serious_violations(browser) == [], (path, width)


def test_a_new_article_appears_on_an_open_list(
    site: Site, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    open_at(browser, f"{site.base}/ui?q=zeppelin", DESKTOP)
    assert titles(browser) == []
    wait_until(
        lambda: browser.execute_script(
            "return document.getElementById('results').dataset.liveReady"
        ),
        timeout=15,
        what="the live stream",
    )
    title = "A zeppelin lands in Geneva"
    site.api.post("/articles", json={"title": title, "text": "The zeppelin landed in Geneva."})
    wait_until(lambda: titles(browser) == [title], timeout=60, what="the live update")
    open_at(browser, f"{site.base}/ui", PHONE)
    wait_until(
        lambda: browser.execute_script(
            "return document.getElementById('results').dataset.liveReady"
        ),
        timeout=15,
        what="the live stream",
    )
    second = "A second zeppelin lands in Geneva"
    site.api.post("/articles", json={"title": second, "text": "Another zeppelin landed."})
    wait_until(lambda: second in titles(browser), timeout=60, what="the live update")
    assert "new article" in browser.find_element(By.ID, "live-status").text
    total = site.api.get("/articles/count").json()["articles"]
    assert total == len(titles(browser)) == shown_count(browser)
    assert screenshot(browser, tmp_path, "list-live-390.png").stat().st_size > 10_000


@WIDTHS
def test_errors_are_html_pages(
    site: Site, browser: webdriver.Chrome, tmp_path: Path, width: int
) -> None:
    open_at(browser, f"{site.base}/ui?published_from=2016-13-45", width)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Some of the filters need fixing"
    assert "Published from" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    assert horizontal_overflow(browser) == 0
    screenshot(browser, tmp_path, f"error-{width}.png")
    browser.get(f"{site.base}/ui/articles/no-such-article")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Article not found"
    open_at(browser, f"{site.base}/ui?entity=*", width)  # names nothing: a 422, as a page
    assert browser.find_element(By.TAG_NAME, "h1").text == "Some of the filters need fixing"
    assert "Entity" in browser.find_element(By.CSS_SELECTOR, ".messages").text


@WIDTHS
def test_operations_pages(
    site: Site, browser: webdriver.Chrome, tmp_path: Path, width: int
) -> None:
    open_at(browser, f"{site.base}/ui/feeds", width)
    if width == DESKTOP:  # add a feed through the page: the worker refuses a loopback address
        form = browser.find_element(By.CSS_SELECTOR, "form.op-form")
        form.find_element(By.NAME, "url").send_keys("http://127.0.0.1:9/feed.xml")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_until(lambda: refreshed(browser).find_elements(By.CSS_SELECTOR, "ul.feeds dd.error"),
                   timeout=60, interval=0.5, what="the feed's last error")  # fmt: skip
    assert "127.0.0.1:9" in browser.find_element(By.CSS_SELECTOR, "ul.feeds").text
    assert horizontal_overflow(browser) == 0
    screenshot(browser, tmp_path, f"feeds-{width}.png")
    open_at(browser, f"{site.base}/ui/status", width)
    assert "Enrich workers: 1" in browser.find_element(By.TAG_NAME, "main").text
    assert horizontal_overflow(browser) == 0
    screenshot(browser, tmp_path, f"status-{width}.png")
    open_at(browser, f"{site.base}/ui/failed", width)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Failed articles"
    assert horizontal_overflow(browser) == 0
    screenshot(browser, tmp_path, f"failed-{width}.png")


def refreshed(browser: webdriver.Chrome) -> webdriver.Chrome:
    browser.refresh()
    return browser


def test_user_text_is_escaped(site: Site, browser: webdriver.Chrome) -> None:
    browser.get(f"{site.base}/ui/articles/{site.ids['hostile']}")
    assert browser.find_element(By.TAG_NAME, "h1").text == HOSTILE  # shown, not run
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []
    assert browser.execute_script("return window.__xss === undefined")
    browser.get(f"{site.base}/ui?source=x")
    assert titles(browser) == [HOSTILE]
    assert browser.execute_script("return window.__xss === undefined")
