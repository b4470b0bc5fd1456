"""The fleet HTML page in a real browser: Debian's Chromium driven by Selenium (chromedriver).

The machines table sorts on a header click (numeric-aware: torch 2.5.1 before 2.13.0), every
machine and every cause is visible, and with JavaScript off the page is still complete. Runs in
`nox -s tests` where a Chromium and its driver are installed (skipped with the reason otherwise)
and alone in `nox -s browser`. Chromium's flags are the ones this kind of machine needs: no
sandbox as root, no GPU, no background networking (the network is closed), a fresh profile.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scripts.docs import fleet_sample
from verify.fleet import html, reports
from verify.fleet.summary import summarise

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

BROWSER = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        BROWSER is None or DRIVER is None,
        reason="no Chromium + chromedriver here (Debian: apt-get install chromium chromium-driver)",
    ),
]
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1600,1000",
)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("fleet-browser")
    fleet_sample.write(folder / "reports", 200)
    fleet = summarise(reports.load([str(folder / "reports")]))
    path = folder / "fleet.html"
    path.write_text(html.render(fleet), encoding="utf-8")
    return path, fleet


def browser(tmp_path: Path, *, javascript: bool):
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look online
    opts = Options()
    opts.binary_location = BROWSER
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    if not javascript:
        opts.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(options=opts, service=Service(DRIVER))


def column(driver, index: int) -> list[str]:
    """The rendered text of one column, top to bottom (one round trip)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#machines tbody tr'),"
        " r => r.cells[arguments[0]].innerText.trim());",
        index,
    )


def hidden(driver, selector: str) -> list[str]:
    """Elements matching `selector` that the browser does not show (Element.checkVisibility:
    display, visibility, content-visibility, opacity), by their text."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".filter(e => !e.checkVisibility({opacityProperty: true, visibilityProperty: true})"
        " || e.getClientRects().length === 0).map(e => e.textContent.slice(0, 80));",
        selector,
    )


def visible_everything(driver, fleet) -> None:
    assert sorted(column(driver, 0)) == sorted(m.name for m in fleet.machines)
    assert hidden(driver, "#machines tbody tr") == []
    assert hidden(driver, "#causes article.cause, #causes p, #causes pre") == []
    articles = driver.find_elements(By.CSS_SELECTOR, "#causes article.cause")
    assert len(articles) == len(fleet.causes)
    texts = driver.execute_script(
        "return Array.from(document.querySelectorAll('#causes article.cause'), a => ["
        "a.innerText, Array.from(a.querySelectorAll('p.machines span'), s => s.innerText)]);"
    )
    for (text, names), cause in zip(texts, fleet.causes, strict=True):
        assert names == list(cause.machines)
        assert cause.check_id in text and " ".join(cause.fix.split()) in " ".join(text.split())
    # a sample of rows through WebDriver's own visibility test, too
    rows = driver.find_elements(By.CSS_SELECTOR, "#machines tbody tr")
    assert len(rows) == len(fleet.machines)
    assert all(r.is_displayed() for r in rows[:: max(1, len(rows) // 10)])


def test_the_table_sorts_on_click_and_everything_is_visible(page, tmp_path):
    path, fleet = page
    driver = browser(tmp_path, javascript=True)
    try:
        driver.get(path.as_uri())
        visible_everything(driver, fleet)
        headers = driver.find_elements(By.CSS_SELECTOR, "#machines thead th")
        assert [h.text for h in headers] == list(html.COLUMNS)
        buttons = driver.find_elements(By.CSS_SELECTOR, "#machines thead th button")
        assert len(buttons) == len(html.COLUMNS)  # the script made each header a button

        buttons[0].click()  # machine, ascending: mac-000, mac-001, ...
        names = column(driver, 0)
        assert names == sorted(names, key=lambda n: int(n.split("-")[1]))
        assert headers[0].get_attribute("aria-sort") == "ascending"
        buttons[0].click()  # again: descending
        assert column(driver, 0) == names[::-1]
        assert headers[0].get_attribute("aria-sort") == "descending"

        buttons[5].click()  # torch, ascending and numeric-aware: 2.5.1 before 2.13.0
        torch = column(driver, 5)
        assert max(i for i, v in enumerate(torch) if v == "2.5.1") < min(
            i for i, v in enumerate(torch) if v == "2.13.0"
        )
        assert max(i for i, v in enumerate(torch) if v == "2.2.2") < min(
            i for i, v in enumerate(torch) if v == "2.10.0"
        )

        buttons[7].click()  # verdict: not ready first
        verdicts = column(driver, 7)
        assert verdicts == sorted(verdicts, key=lambda v: v == "ready")
        assert verdicts.count("ready") == fleet.ready_count
        visible_everything(driver, fleet)  # sorting moved rows, lost none
    finally:
        driver.quit()


def test_without_javascript_the_page_is_complete(page, tmp_path):
    path, fleet = page
    driver = browser(tmp_path, javascript=False)
    try:
        driver.get(path.as_uri())
        assert driver.find_elements(By.CSS_SELECTOR, "#machines thead th button") == []
        visible_everything(driver, fleet)
        # the order the page was written in: not-ready machines first
        assert column(driver, 0) == [m.name for m in fleet.machines]
    finally:
        driver.quit()
