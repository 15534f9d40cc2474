"""The suite's restored database states (tests/db_state.py) behave like the loads they copy."""

from __future__ import annotations

from django.db import connection

from releases.models import Vendor
from tests.db_state import DatabaseState


def test_a_restore_moves_every_sequence_past_the_rows_it_wrote(
    db, curated_state: DatabaseState
) -> None:  # type: ignore[no-untyped-def]
    """A state read from another xdist worker's file comes to a database whose sequences never
    moved; history tables number their rows by history_id, not id."""
    serials = [(t.table, t.serial) for t in curated_state._tables or () if t.serial]
    assert ("releases_historicalvendor", "history_id") in serials
    with connection.cursor() as cursor:
        for table, column in serials:  # as in a database the state was never built in
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), 1, false)", [table, column]
            )

    curated_state.restore()
    vendor = Vendor.objects.create(slug="restored-then-added", name="Restored then added")

    assert vendor.history.count() == 1  # a new history row, numbered past the restored ones
