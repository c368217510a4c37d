"""Headless Chromium (Debian's, driven by Playwright) against the live server.

A pytest plugin loaded by tests/conftest.py, so that every test folder
shares one browser per test process (Playwright's sync API may run once).
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from fixtures import demo

# Playwright's sync API runs an event loop in this thread; Django would
# otherwise refuse database access from the tests as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Return a factory of pages, each in its own context (its own cookies)."""
    contexts = []

    def make():
        context = browser.new_context(
            locale="fi-FI", viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo_site(transactional_db, reference_data, live_server):
    """Load the demo companies, users and page trees into the live server."""
    return demo.load()


@pytest.fixture
def log_in():
    """Return a function that fills in the login form a page is showing."""

    def fill(page, username, *, button="main button[type=submit]"):
        page.fill("#id_username", username)
        page.fill("#id_password", demo.demo_password(username))
        page.locator(button).click()
        page.wait_for_load_state()

    return fill
