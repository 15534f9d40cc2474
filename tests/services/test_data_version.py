"""The data version advances on every change to the data, once per transaction, after commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from releases.services.data_version import data_version, data_version_advance
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_orm_save_advances_the_version_once_per_transaction() -> None:
    before = data_version().number
    with transaction.atomic():
        for index in range(3):
            VendorFactory(name=f"Vendor {index}", slug=f"vendor-{index}")
        # Not yet: readers must not key a cache on a version whose data is uncommitted.
        assert data_version().number == before
    assert data_version().number == before + 1


def test_a_rolled_back_transaction_does_not_advance_it_nor_swallow_the_next_advance() -> None:
    before = data_version().number
    with pytest.raises(RuntimeError), transaction.atomic():
        VendorFactory(name="Gone", slug="gone")
        raise RuntimeError("roll back")
    assert data_version().number == before
    with transaction.atomic():
        data_version_advance()
    assert data_version().number == before + 1


def test_outside_a_transaction_it_advances_at_once_and_moves_changed_at() -> None:
    first = data_version()
    data_version_advance()
    second = data_version()
    assert second.number == first.number + 1
    assert second.changed_at >= first.changed_at


def test_an_import_and_the_recompute_it_causes_advance_the_version(catalogue) -> None:
    from releases.models import LeaderboardSource
    from releases.services.gap_scores import gap_scores_recompute
    from releases.services.leaderboard_import import leaderboard_import
    from tests.conftest import FIXTURES_DIR

    polyglot = FIXTURES_DIR / "leaderboards" / "aider" / "polyglot_leaderboard.yml"
    before = data_version().number
    leaderboard_import(
        source_id=LeaderboardSource.objects.get(slug="aider-polyglot").pk,
        raw=polyglot.read_bytes(),
        file_name=polyglot.name,
    )
    after_import = data_version().number
    assert after_import > before
    gap_scores_recompute()
    assert data_version().number > after_import
    # Nothing changed: a second recompute writes nothing and leaves the version alone.
    unchanged = data_version().number
    gap_scores_recompute()
    assert data_version().number == unchanged
