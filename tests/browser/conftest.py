"""Browser tests: Playwright's Python package driving Debian's Chromium against the live server.

The data is loaded once for the module and committed, since the live server (pytest-django's
`live_server`) answers from its own thread and connection and cannot see a test's open
transaction. pytest-django would wrap each test that uses the live server in
`transactional_db`, whose flush after every test throws the data away and makes the next test
load it again (several seconds each); `_live_server_helper` below keeps the rest of what
pytest-django does and leaves that out, and the module flushes once at its end instead. Tests
here touch the database only through the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from releases.services.bundled import bundled_snapshots_import
from releases.services.demo_data import demo_data_load
from releases.services.gap_scores import gap_scores_recompute
from tests.conftest import FIXTURES_DIR, REPO_DIR
from tests.services.conftest import SCORED_AS_OF

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_DIR / "artifacts"
ANALYST_PASSWORD = "pw-browser-analyst-1"


@pytest.fixture(autouse=True)
def _live_server_helper(request):  # type: ignore[no-untyped-def]
    """pytest-django's helper of the same name, without requesting `transactional_db`."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture(scope="module")
def site(live_server, django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The live server's URL, serving the curated data and every bundled snapshot, scored."""
    with django_db_blocker.unblock():
        demo_data_load(fixtures_dir=FIXTURES_DIR)
        bundled_snapshots_import(leaderboards_dir=FIXTURES_DIR / "leaderboards")
        gap_scores_recompute(as_of=SCORED_AS_OF)
        User.objects.create_superuser("browser-analyst", password=ANALYST_PASSWORD)
        cache.clear()
        try:
            yield live_server.url
        finally:
            cache.clear()
            name = connection.settings_dict["NAME"]
            # Never flush anything but the test database.
            assert str(name).startswith("test_"), name
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def browser(site):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page_at(browser):  # type: ignore[no-untyped-def]
    """A fresh page at a viewport width, with the console messages it logged."""
    contexts = []

    def open_page(width: int = 1280):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str, width: int) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
