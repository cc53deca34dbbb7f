"""`/docs` in a real headless Chromium: Swagger UI comes from the package (this machine has no
CDN to reach), renders the API, and runs under the Content-Security-Policy without breaking it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.polling import wait_until
from tests.servers import free_port, gazette_env, gazette_process

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Recorded from before the page's first script: every CSP violation the page causes.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)


@pytest.fixture
def api(redis_url: str, database_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = gazette_env(
        GAZETTE_REDIS_URL=redis_url.rsplit("/", 1)[0] + "/15",
        GAZETTE_DATABASE_URL=database_url,
        GAZETTE_API_PORT=str(port),
    )
    base = f"http://127.0.0.1:{port}"
    with gazette_process(["api"], env, tmp_path / "api.log"):
        wait_until(lambda: _answers(f"{base}/healthz"), timeout=30, what="the API")
        yield base


def _answers(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.TransportError:
        return False


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
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    try:
        yield driver
    finally:
        driver.quit()


def test_docs_render_from_the_package_under_the_csp(api: str, browser: webdriver.Chrome) -> None:
    page = httpx.get(f"{api}/docs")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text and "cdn" not in page.text.lower()
    browser.get(f"{api}/docs")

    def rendered() -> bool:
        titles = browser.find_elements(By.CSS_SELECTOR, ".swagger-ui .info .title")
        return bool(titles) and titles[0].text.startswith("Gazette")

    wait_until(rendered, timeout=30, what="Swagger UI showing the API")
    operations = browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    by_path = {op.text.replace("\u200b", ""): op for op in operations}
    by_path["/articles/{article_id}"].click()  # an operation opened shows its schemas
    wait_until(
        lambda: browser.find_elements(By.CSS_SELECTOR, ".opblock.is-open .responses-table"),
        timeout=10,
        what="the operation's answers",
    )
    assert browser.execute_script("return window.__violations") == []
    assert httpx.get(f"{api}/redoc").status_code == 404  # ReDoc would need a CDN: off
