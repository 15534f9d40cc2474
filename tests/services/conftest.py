"""The curated catalogue loaded for real (restored from the session's copy: see tests/db_state.py)."""

from __future__ import annotations

import pytest

from releases.models import LeaderboardSource
from tests.conftest import SCORED_AS_OF

__all__ = ["SCORED_AS_OF"]


@pytest.fixture
def source(catalogue):  # type: ignore[no-untyped-def]
    return lambda slug: LeaderboardSource.objects.get(slug=slug)
