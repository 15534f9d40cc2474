"""The curated catalogue loaded for real."""

from __future__ import annotations

import pytest

from releases.models import LeaderboardSource
from releases.services.demo_data import demo_data_load
from tests.conftest import FIXTURES_DIR


@pytest.fixture
def catalogue(db) -> None:
    """Benchmarks, sources and aliases exactly as `make run` loads them."""
    demo_data_load(fixtures_dir=FIXTURES_DIR)


@pytest.fixture
def source(catalogue):  # type: ignore[no-untyped-def]
    return lambda slug: LeaderboardSource.objects.get(slug=slug)
