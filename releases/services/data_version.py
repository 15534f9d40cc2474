"""Reading and advancing the data version (see `releases.models.data_version`).

`data_version()` is what caches and ETags key on. `data_version_advance()` is called by every
write path: the model signals below cover ORM saves and deletes (the admin, the services), and
the bulk paths that bypass signals (the measurement upsert, stored gap scores) call it directly.

The advance runs after the transaction commits, in its own statement: bumping the row inside a
long import transaction would hold its lock and make every other writer wait for the import.
One transaction advances the version once, however many rows it wrote.

`data_version_cached()` is the same number read through the cache, for the API's reads: one
cache round trip instead of a query. An advance deletes the cached copy once it commits, so the
next read sees the new number. The copy also expires after DATA_VERSION_CACHE_SECONDS: if a
reader read the old number just before an advance and stored it just after, that copy is wrong
for at most that long.

`data_version_local()` keeps that number in the process for DATA_VERSION_LOCAL_SECONDS, so that
a 304 needs no round trip at all. The process that advances forgets its copy at once; another
process answers with the previous version for at most that quarter of a second.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from releases.models import DataVersion

logger = logging.getLogger(__name__)

DATA_VERSION_CACHE_KEY = "data-version"
DATA_VERSION_CACHE_SECONDS = 2
DATA_VERSION_LOCAL_SECONDS = 0.25

# (monotonic time it expires, version): this process's copy.
_local_copy: tuple[float, DataVersionInfo] | None = None


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


def data_version_from_cache(stored: object) -> DataVersionInfo | None:
    """The version a `DATA_VERSION_CACHE_KEY` entry holds, None for a miss (or a stray value)."""
    if not isinstance(stored, tuple) or len(stored) != 2:
        return None
    number, changed_at = stored
    return DataVersionInfo(number, dt.datetime.fromtimestamp(changed_at, tz=dt.UTC))


def data_version_cache_fill() -> DataVersionInfo:
    """Read the version from the database and keep it in the cache (unless a newer copy is
    already there: `add`, not `set`)."""
    version = data_version()
    cache.add(
        DATA_VERSION_CACHE_KEY,
        (version.number, version.changed_at.timestamp()),
        DATA_VERSION_CACHE_SECONDS,
    )
    return version


def data_version_cached() -> DataVersionInfo:
    """The current version through the cache; the database on a miss."""
    return data_version_from_cache(cache.get(DATA_VERSION_CACHE_KEY)) or data_version_cache_fill()


def data_version_local() -> DataVersionInfo:
    """The current version as this process last read it through the cache, at most
    DATA_VERSION_LOCAL_SECONDS ago."""
    global _local_copy
    now = time.monotonic()
    copy = _local_copy
    if copy is not None and copy[0] > now:
        return copy[1]
    version = data_version_cached()
    _local_copy = (now + DATA_VERSION_LOCAL_SECONDS, version)
    return version


def data_version_forget_local() -> None:
    global _local_copy
    _local_copy = None


def data_version_advance_now() -> None:
    now = timezone.now()
    updated = DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now)
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"changed_at": now, "number": 1})
    data_version_forget_local()
    try:
        cache.delete(DATA_VERSION_CACHE_KEY)
    except Exception:
        # The advance is committed; a cache that cannot be reached holds a copy that expires
        # within DATA_VERSION_CACHE_SECONDS. Failing here would fail the import that advanced.
        logger.warning("could not drop the cached data version", exc_info=True)


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
