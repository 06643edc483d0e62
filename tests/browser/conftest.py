"""
The browser-test harness: Playwright (Python) driving Debian's Chromium
against pytest-django's live server, with axe-core (from npm) injected into
pages to check the WCAG 2.0, 2.1 and 2.2 A and AA rules.

A missing browser is a failure, not a skip: CI must never pass without having
run these tests.
"""

import json
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the Django ORM
# calls the tests make there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium`.")
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is not installed at {AXE_JS}: run `npm ci`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def _new_page(browser, **context_options):
    """A fresh browser context and page. Fails the test if the page broke the
    Content-Security-Policy (an inline style or script the browser refused)
    or threw a JavaScript error."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    # A message without a source address comes from what the test itself
    # evaluated in the page (axe-core, whose CSSOM preload re-parses any
    # stylesheet with an @import, such as the admin's forms.css, in <style>
    # elements the policy refuses): not the page's doing.
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error"
            and "Content Security Policy" in message.text
            and message.location.get("url")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, "The browser reported:\n" + "\n".join(problems)


@pytest.fixture
def page(browser, live_server):
    with _new_page(browser, base_url=live_server.url) as page:
        yield page


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized window, 320 CSS pixels wide (WCAG 1.4.10 reflow)."""
    with _new_page(browser, base_url=live_server.url, viewport={"width": 320, "height": 640}) as page:
        yield page


@pytest.fixture
def no_js_phone_page(browser, live_server):
    """320 CSS pixels wide with JavaScript off, as some visitors have it.
    (axe-core cannot run here: it is JavaScript.)"""
    with _new_page(
        browser, base_url=live_server.url, viewport={"width": 320, "height": 640}, java_script_enabled=False
    ) as page:
        yield page


def axe_violations(page):
    """Run axe-core in the page; return its WCAG A/AA violations."""
    # Evaluated through the DevTools protocol, not as a <script> tag, so that
    # the site's Content-Security-Policy (no inline script) does not block it.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def assert_accessible(page):
    violations = axe_violations(page)
    summary = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in violations
    ]
    assert not violations, f"axe-core found WCAG violations on {page.url}:\n{json.dumps(summary, indent=2)}"


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} scrolls sideways at {viewport}px: content is {width}px wide"
