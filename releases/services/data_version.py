"""Reading and advancing the data version (see `releases.models.data_version`).

`data_version()` is what caches and ETags key on. `data_version_advance()` is called by every
write path: the model signals below cover ORM saves and deletes (the admin, the services), and
the bulk paths that bypass signals (the measurement upsert, stored gap scores) call it directly.

The advance runs after the transaction commits, in its own statement: bumping the row inside a
long import transaction would hold its lock and make every other writer wait for the import.
One transaction advances the version once, however many rows it wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from releases.models import DataVersion


@dataclass(frozen=True)
class DataVersionInfo:
    number: int
    changed_at: dt.datetime

    @property
    def etag_part(self) -> str:
        return str(self.number)


# The version of a database nothing has been written to yet (no row until the first advance).
NO_DATA_VERSION = DataVersionInfo(0, dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def data_version() -> DataVersionInfo:
    """The current version; one primary-key read. A read never writes (a page must answer while
    an import holds SQLite's write lock), so before the first advance it is NO_DATA_VERSION."""
    row = DataVersion.objects.filter(pk=1).values_list("number", "changed_at").first()
    if row is None:
        return NO_DATA_VERSION
    return DataVersionInfo(row[0], row[1])


def data_version_advance_now() -> None:
    now = timezone.now()
    updated = DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now)
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"changed_at": now, "number": 1})


def data_version_advance() -> None:
    """Advance the version once the current transaction commits (at once outside one)."""
    if not connection.in_atomic_block:
        data_version_advance_now()
        return
    # Once per transaction: Django empties this list on commit and on rollback, so a
    # rolled-back transaction leaves nothing behind that would swallow the next advance.
    if any(entry[1] is data_version_advance_now for entry in connection.run_on_commit):
        return
    transaction.on_commit(data_version_advance_now)


def _on_model_change(sender: type, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if sender is DataVersion or meta is None or meta.app_label != "releases":
        return
    data_version_advance()


def connect_signals() -> None:
    post_save.connect(_on_model_change, dispatch_uid="claimsdb-data-version-save")
    post_delete.connect(_on_model_change, dispatch_uid="claimsdb-data-version-delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="claimsdb-data-version-m2m")
