"""Browser tests: Playwright's Python package driving Debian's Chromium against the live server.

The data is loaded once for the module and committed, since the live server (pytest-django's
`live_server`) answers from its own thread and connection and cannot see a test's open
transaction. pytest-django would wrap each test that uses the live server in
`transactional_db`, whose flush after every test throws the data away and makes the next test
load it again (several seconds each); `_live_server_helper` below keeps the rest of what
pytest-django does and leaves that out. The module restores the session's copy of the real
data once, committed, and at its end empties the tables it filled, keeping what migrations
created (content types, permissions, the analyst group) for the tests that run after it in
this process. Tests here touch the database only through the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection

from tests.conftest import REPO_DIR
from tests.db_state import DatabaseState

# What migrations create, which the tests after this module rely on; every other table is
# emptied at the module's end.
KEPT_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
    }
)

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
def site(  # type: ignore[no-untyped-def]
    live_server, django_db_setup, django_db_blocker, real_data_state: DatabaseState
) -> Iterator[str]:
    """The live server's URL, serving the curated data and every bundled snapshot, scored."""
    with django_db_blocker.unblock():
        real_data_state.restore()  # outside a transaction: committed, so the server sees it
        User.objects.create_superuser("browser-analyst", password=ANALYST_PASSWORD)
        cache.clear()
        try:
            yield live_server.url
        finally:
            cache.clear()
            name = connection.settings_dict["NAME"]
            # Never empty anything but the test database.
            assert str(name).startswith("test_"), name
            with connection.cursor() as cursor:
                tables = [
                    t for t in connection.introspection.table_names(cursor) if t not in KEPT_TABLES
                ]
                quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
                cursor.execute(f"TRUNCATE {quoted} CASCADE")


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
