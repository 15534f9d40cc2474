"""The data version advances on every change to the data, once per transaction, after commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from releases.services.data_version import (
    data_version,
    data_version_advance,
    data_version_advance_now,
)
from tests.factories import VendorFactory

# Each test runs in a transaction that is rolled back; `committed()` runs what a commit would
# run (a transactional test would flush the database under the other tests of its process).
pytestmark = pytest.mark.django_db


@contextmanager
def committed(capture) -> Iterator[list]:  # type: ignore[no-untyped-def]
    """Run the on-commit callbacks queued inside, then forget them, as a real commit does."""
    with capture(execute=True) as callbacks:
        yield callbacks
    connection.run_on_commit = [
        entry for entry in connection.run_on_commit if entry[1] not in callbacks
    ]


def test_an_orm_save_advances_the_version_once_per_transaction(
    django_capture_on_commit_callbacks,
) -> None:
    before = data_version().number
    with committed(django_capture_on_commit_callbacks) as callbacks:
        for index in range(3):
            VendorFactory(name=f"Vendor {index}", slug=f"vendor-{index}")
        # Not yet: readers must not key a cache on a version whose data is uncommitted.
        assert data_version().number == before
    assert callbacks.count(data_version_advance_now) == 1
    assert data_version().number == before + 1


def test_a_rolled_back_transaction_does_not_advance_it_nor_swallow_the_next_advance(
    django_capture_on_commit_callbacks,
) -> None:
    before = data_version().number
    with committed(django_capture_on_commit_callbacks) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            VendorFactory(name="Gone", slug="gone")
            raise RuntimeError("roll back")
        # The savepoint rolled back: its callback is gone, and the next change queues one.
        assert data_version_advance_now not in callbacks
        data_version_advance()
    assert callbacks.count(data_version_advance_now) == 1
    assert data_version().number == before + 1


def test_it_moves_changed_at(django_capture_on_commit_callbacks) -> None:
    first = data_version()
    with committed(django_capture_on_commit_callbacks):
        data_version_advance()
    second = data_version()
    assert second.number == first.number + 1
    assert second.changed_at >= first.changed_at


def test_an_import_and_the_recompute_it_causes_advance_the_version(
    catalogue, django_capture_on_commit_callbacks
) -> None:
    from releases.models import LeaderboardSource
    from releases.services.gap_scores import gap_scores_recompute
    from releases.services.leaderboard_import import leaderboard_import
    from tests.conftest import FIXTURES_DIR

    polyglot = FIXTURES_DIR / "leaderboards" / "aider" / "polyglot_leaderboard.yml"
    before = data_version().number
    with committed(django_capture_on_commit_callbacks):
        leaderboard_import(
            source_id=LeaderboardSource.objects.get(slug="aider-polyglot").pk,
            raw=polyglot.read_bytes(),
            file_name=polyglot.name,
        )
    after_import = data_version().number
    assert after_import > before
    with committed(django_capture_on_commit_callbacks):
        gap_scores_recompute()
    assert data_version().number > after_import
    # Nothing changed: a second recompute writes nothing and leaves the version alone.
    unchanged = data_version().number
    with committed(django_capture_on_commit_callbacks):
        gap_scores_recompute()
    assert data_version().number == unchanged
