"""Browser test support (a pytest plugin loaded by tests/conftest.py, so every folder can use it):
the real pages, served by a live server on loopback, driven in the system Chromium.

Never a downloaded browser: Playwright launches /usr/bin/chromium (override with GMMP_CHROMIUM).
"""

import os

import pytest

from tests.personas import PASSWORD

CHROMIUM = os.environ.get("GMMP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls made by the test
    # itself (fixtures, assertions) are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live(live_server, transactional_db, personas):
    """The live server, with reference data and personas in its database."""
    return live_server


@pytest.fixture
def new_page(browser, live):
    contexts = []

    def make(accept_downloads: bool = False):
        context = browser.new_context(base_url=live.url, accept_downloads=accept_downloads, locale="fr-FR")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"login failed for {username}"


def choose_language(page, code: str) -> None:
    with page.expect_navigation():
        page.select_option("#lang-select", code)
