"""The curated catalogue loaded for real."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from releases.models import LeaderboardSource
from releases.services.bundled import bundled_snapshots_import
from releases.services.demo_data import demo_data_load
from releases.services.gap_scores import gap_scores_recompute
from tests.conftest import FIXTURES_DIR


@pytest.fixture
def catalogue(db) -> None:
    """Benchmarks, sources and aliases exactly as `make run` loads them."""
    demo_data_load(fixtures_dir=FIXTURES_DIR)


@pytest.fixture
def source(catalogue):  # type: ignore[no-untyped-def]
    return lambda slug: LeaderboardSource.objects.get(slug=slug)


# A fixed "today" for scores computed in tests, so the stale flag cannot flip with the calendar.
SCORED_AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def real_data(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The curated claims and every bundled snapshot, imported and scored as `make run` does.

    Loaded once per test module inside a transaction that is rolled back at the end; each test
    runs in a savepoint inside it, so tests can change data without seeing each other's changes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        demo_data_load(fixtures_dir=FIXTURES_DIR)
        bundled_snapshots_import(leaderboards_dir=FIXTURES_DIR / "leaderboards")
        if connection.vendor == "postgresql":
            # Statistics of the bulk load: without them the planner takes the tables for empty
            # and picks nested loops that take minutes once there are ~100k measurements.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        gap_scores_recompute(as_of=SCORED_AS_OF)
        yield
        transaction.set_rollback(True)
