"""Shared fixtures: users in each role, and where the real source files live."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection, transaction

from releases.curated.loading import curated_data_load
from releases.permissions import ANALYST_GROUP
from releases.services.bundled import bundled_snapshots_import
from releases.services.gap_scores import gap_scores_recompute
from tests.db_state import DatabaseState
from tests.http_server import LOCAL_SERVER_HOST, LeaderboardServer
from tests.run_once import once_per_run, shared_path

REPO_DIR = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_DIR / "fixtures"
# The team's read-only copies of the public sources; CI puts shared/ beside the clone.
SHARED_DIR = Path(os.environ.get("CLAIMSDB_SHARED_DIR", REPO_DIR.parent / "shared"))
SHARED_LEADERBOARDS = SHARED_DIR / "leaderboards"


def _redis_url_for_this_worker() -> str:
    """The Redis database of this test process: under xdist each worker gets its own, so one
    worker's queued tasks and results never meet another's."""
    base = os.environ.get("CLAIMSDB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix, _, number = base.rpartition("/")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    offset = int(worker.removeprefix("gw") or 0)
    return f"{prefix}/{(int(number or 0) - offset) % 16}"


TEST_REDIS_URL = _redis_url_for_this_worker()

# A fixed "today" for scores computed in tests, so the stale flag cannot flip with the calendar.
SCORED_AS_OF = dt.date(2026, 11, 23)
# The published claims of the curated data (fixtures/curated/claims/), which tests count.
PUBLISHED_CLAIMS = 152


def curated_data_build() -> None:
    """Benchmarks, sources, aliases, releases and claims exactly as `make run` loads them."""
    curated_data_load(fixtures_dir=FIXTURES_DIR)


def real_data_build() -> None:
    """The curated data and every bundled snapshot, imported and scored as `make run` does."""
    curated_data_build()
    bundled_snapshots_import(leaderboards_dir=FIXTURES_DIR / "leaderboards")
    if connection.vendor == "postgresql":
        # Statistics of the bulk load: without them the planner takes the tables for empty and
        # picks nested loops that take minutes once there are ~100k measurements.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    gap_scores_recompute(as_of=SCORED_AS_OF)


def _state(name: str, build, tmp_path_factory, worker_id: str) -> DatabaseState:  # type: ignore[no-untyped-def]
    """Built once per run, shared by the xdist workers (see tests/db_state.py)."""
    if connection.vendor != "postgresql" or worker_id == "master":
        return DatabaseState.capture(build)  # one process (or SQLite): nothing to share
    return DatabaseState.shared(
        build, path=shared_path(tmp_path_factory, worker_id, f"claimsdb-{name}.state")
    )


def embedded_env(sqlite_path: Path, **extra: str) -> dict[str, str]:
    """The environment of the embedded default (SQLite at `sqlite_path`, tasks in-process): this
    process's, without the suite's PostgreSQL, Redis and production settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "claimsdb.settings",
        "SQLITE_PATH": str(sqlite_path),
        **extra,
    }


def run_django(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    """`python <args>` in the repository with `env` (e.g. "manage.py", "migrate"); its stdout,
    after asserting it exited 0 (its stderr is the failure message)."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory, worker_id) -> Path:  # type: ignore[no-untyped-def]
    """A freshly migrated, empty SQLite file (the embedded default), made once per run: copy it
    (`sqlite_copy`) rather than migrate again in every module that runs Django on SQLite."""

    def migrate(path: Path) -> None:
        run_django(embedded_env(path), "manage.py", "migrate", "--noinput", "-v", "0")

    path = shared_path(tmp_path_factory, worker_id, "claimsdb-migrated.sqlite3")
    return once_per_run(path, migrate)


def sqlite_copy(migrated: Path, directory: Path) -> Path:
    """A copy of the migrated SQLite file in `directory`, for one test or module to change."""
    target = directory / "claimsdb.sqlite3"
    shutil.copyfile(migrated, target)
    return target


@pytest.fixture(scope="session")
def curated_state(django_db_setup, django_db_blocker, tmp_path_factory, worker_id) -> DatabaseState:  # type: ignore[no-untyped-def]
    """Built once per run; restored by `catalogue` in milliseconds."""
    with django_db_blocker.unblock():
        return _state("curated", curated_data_build, tmp_path_factory, worker_id)


@pytest.fixture(scope="session")
def real_data_state(
    django_db_setup, django_db_blocker, tmp_path_factory, worker_id
) -> DatabaseState:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        return _state("real-data", real_data_build, tmp_path_factory, worker_id)


@pytest.fixture
def catalogue(db, curated_state: DatabaseState) -> None:  # type: ignore[no-untyped-def]
    """The curated data, as `make run` loads it, in this test's transaction."""
    curated_state.restore()


@pytest.fixture(scope="module")
def real_data(django_db_setup, django_db_blocker, real_data_state: DatabaseState):  # type: ignore[no-untyped-def]
    """The curated claims and every bundled snapshot, imported and scored as `make run` does.

    Restored once per test module inside a transaction that is rolled back at the end; each test
    runs in a savepoint inside it, so tests can change data without seeing each other's changes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        real_data_state.restore()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher() -> None:
    """The default hasher costs half a second per user on purpose; tests create hundreds."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_cached_data_version() -> Iterator[None]:
    """The version's copies live up to two seconds (cache) and a quarter (process); a test's
    database (restored, or rolled back after an advance) must not meet those an earlier test
    left."""
    from django.core.cache import cache

    from releases.api.lookups import RECENT_IDS
    from releases.api.representations import RECENT, RECENT_COUNTS
    from releases.api.throttling import forget_reservations
    from releases.services.data_version import DATA_VERSION_CACHE_KEY, data_version_forget_local

    def forget() -> None:
        cache.delete(DATA_VERSION_CACHE_KEY)
        data_version_forget_local()
        forget_reservations()  # rate counts live in the cache, their reservations beside it
        # Keyed on the version, which a restored or rolled-back database gives out again.
        RECENT.clear()
        RECENT_COUNTS.clear()
        RECENT_IDS.clear()

    forget()
    yield
    forget()


@pytest.fixture
def shared_leaderboards() -> Path:
    if not SHARED_LEADERBOARDS.is_dir():
        pytest.fail(
            f"shared leaderboards not found at {SHARED_LEADERBOARDS}; set CLAIMSDB_SHARED_DIR"
        )
    return SHARED_LEADERBOARDS


@pytest.fixture
def analyst(db) -> User:
    user = User.objects.create_user("ana", password="pw-analyst-1", is_staff=True)
    user.groups.add(Group.objects.get(name=ANALYST_GROUP))
    return user


@pytest.fixture
def staff_without_group(db) -> User:
    return User.objects.create_user("sam", password="pw-staff-1", is_staff=True)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="pw-root-1")


@pytest.fixture
def leaderboard_server(settings) -> Iterator[LeaderboardServer]:  # type: ignore[no-untyped-def]
    # Live fetches go to public addresses only; the local server is allowed by name.
    settings.CLAIMSDB_FETCH_ALLOWED_HOSTS = [LOCAL_SERVER_HOST]
    server = LeaderboardServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
