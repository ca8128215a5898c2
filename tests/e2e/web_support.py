"""Browser tests of the web pages: Debian's Chromium driven by Playwright, with
axe-core for accessibility. Import the fixtures into a test module:

    from tests.e2e import web_support
    from tests.e2e.web_support import assert_accessible, screenshot

    browser, page = web_support.browser, web_support.page  # the fixtures

`page` opens a fresh browser context (no cookies) whose base URL is the
gateway of the `system` stack (so `page.goto("/lapor")` works); `screenshot(page, name)` saves
test-output/screenshots/<name>.png; `assert_accessible(page)` fails on any
serious or critical axe-core violation of the page as it is now.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("LAPOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run. Playwright's driver is not stopped
    explicitly: under eventlet (nameko test) its stop() never returns; the
    driver ends by itself when the test process closes its pipe."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


def phone_context(browser, system, **options):
    """A new browser context (its own cookies) on the stack: phone-sized, Indonesian."""
    context = browser.new_context(
        viewport={"width": 412, "height": 915}, locale="id-ID", base_url=system.url(), **options
    )
    context.set_default_timeout(20_000)
    return context


@pytest.fixture
def page(browser, system):
    """A new tab in a new phone context."""
    context = phone_context(browser, system)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def screenshot(page, name: str) -> Path:
    """The whole page as test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.x A and AA rules) on the page as shown; serious and
    critical violations fail the test, each with its rule and elements; and
    the page fits the screen's width."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in bad
    ]
    assert not bad, f"accessibility violations on {page.url}:\n" + "\n".join(lines)
    # mobile first: nothing makes the page wider than the screen (wide tables scroll)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide on a {width[1]} px screen"


def shown_after_reload(page, selector: str, text: str, timeout: float = 15.0) -> None:
    """Reload until `text` is in `selector`: pages show projections, which
    follow the log a moment after the command that changed it."""
    deadline = time.monotonic() + timeout
    while True:
        if text in page.locator(selector).inner_text():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not in {selector} after {timeout} s")
        time.sleep(0.3)
        page.reload()
