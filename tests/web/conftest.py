"""Fixtures for the public pages: the real data once per module, and an empty page cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import timezone

from releases.models import Claim, DataVersion


@pytest.fixture(autouse=True)
def empty_page_cache() -> Iterator[None]:
    """Tests share one data version (their changes roll back, so it never advances), hence
    the cache must not carry a page from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data_version_row(db) -> None:  # type: ignore[no-untyped-def]
    """The data version's row. Imports advance it after commit, which never comes inside the
    module's rolled-back transaction; without the row, the first page view would create it
    and count two queries more."""
    DataVersion.objects.get_or_create(pk=1, defaults={"changed_at": timezone.now()})


@pytest.fixture
def arena_claim(real_data, db) -> Claim:  # type: ignore[no-untyped-def]
    """Meta's 1417 LMArena claim for Llama 4 Maverick."""
    return Claim.objects.get(
        release__slug="llama-4-maverick", kind=Claim.Kind.ARENA_RATING, stated_value=1417
    )
