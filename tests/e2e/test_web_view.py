"""The web view in a real headless Chromium (Selenium): the list page with its filters and the
article page with entities and dates highlighted, on a whole `gazette up` stack.

Screenshots go to the test's tmp_path and, for people, to build/screenshots/.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.polling import wait_until
from tests.servers import gazette_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "articles"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)


class Site:
    def __init__(self, base: str, ids: dict[str, str]) -> None:
        self.base = base
        self.ids = ids


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
        yield Site(up.base_url, {"truce": ids[0], "hostile": ids[-1]})


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1400",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: webdriver.Chrome, tmp_path: Path, name: str) -> Path:
    """Save the whole page as PNG under the test's output, and a copy for people."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(int(height), 800), 4000))
    path = tmp_path / name
    assert driver.save_screenshot(str(path))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / name)
    return path


def test_list_page_filters_and_pages(site: Site, browser: webdriver.Chrome, tmp_path: Path) -> None:
    browser.get(f"{site.base}/ui")
    results = browser.find_elements(By.CSS_SELECTOR, "ul.results li")
    assert len(results) == 6
    form = browser.find_element(By.CSS_SELECTOR, "form.filters")
    form.find_element(By.NAME, "entity").send_keys("lavrov")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: "entity=lavrov" in browser.current_url, timeout=10, what="the filtered list")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ul.results a.title")]
    assert titles == ["World powers fail to salvage Syrian truce"]
    chips = browser.find_elements(By.CSS_SELECTOR, "ul.results a.chip")
    assert chips and all(c.text and "?entity=" in (c.get_attribute("href") or "") for c in chips)
    assert browser.find_element(By.NAME, "entity").get_attribute("value") == "lavrov"

    browser.get(f"{site.base}/ui?source=wikinews&limit=2")
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.results li")) == 2
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    wait_until(lambda: "cursor=" in browser.current_url, timeout=10, what="the next page")
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.results li")) == 2
    browser.get(f"{site.base}/ui")
    assert screenshot(browser, tmp_path, "list.png").stat().st_size > 10_000


def test_article_page_highlights_entities_and_dates(
    site: Site, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    browser.get(f"{site.base}/ui/articles/{site.ids['truce']}")
    assert (
        browser.find_element(By.TAG_NAME, "h1").text == "World powers fail to salvage Syrian truce"
    )
    entities = browser.find_elements(By.CSS_SELECTOR, ".body mark.ent[data-label]")
    labels = {mark.get_attribute("data-label") for mark in entities}
    assert {"PERSON", "GPE"} <= labels
    people = {m.text.split("\n")[0] for m in entities if m.get_attribute("data-label") == "PERSON"}
    assert any("Lavrov" in person for person in people)
    dates = browser.find_elements(By.CSS_SELECTOR, ".body mark.date")
    assert dates and all(d.get_attribute("data-value") for d in dates)
    assert any((d.get_attribute("title") or "").endswith("2016-09-22") for d in dates)
    # Each highlighted entity has a different colour per label, explained by the legend.
    legend = {chip.text for chip in browser.find_elements(By.CSS_SELECTOR, ".legend .chip")}
    assert labels <= legend
    assert screenshot(browser, tmp_path, "article.png").stat().st_size > 10_000


def test_user_text_is_escaped(site: Site, browser: webdriver.Chrome) -> None:
    browser.get(f"{site.base}/ui/articles/{site.ids['hostile']}")
    assert browser.find_element(By.TAG_NAME, "h1").text == HOSTILE  # shown, not run
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []
    assert browser.execute_script("return window.__xss === undefined")
    browser.get(f"{site.base}/ui?source=x")
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, "a.title")] == [HOSTILE]
    assert browser.execute_script("return window.__xss === undefined")
