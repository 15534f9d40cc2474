"""Database states the suite builds once per session and restores in a few milliseconds.

Loading the curated data takes about 5,000 queries and loading every bundled snapshot about ten
seconds; many tests need one or the other as their starting point. `DatabaseState.capture`
builds a state once, inside a transaction that is rolled back, and keeps a binary `COPY` of
every table it filled; `restore()` writes those rows back inside the caller's transaction, so a
test still starts from exactly what the real loaders produce, and its changes roll back with it.

On SQLite (a run without DATABASE_URL) there is no COPY: `restore()` runs the loaders again.

Under xdist every worker has its own database, and each would build the same state at the same
time on the same two cores. `DatabaseState.shared` builds it once per run: the first worker to
take the file lock builds and writes the copy, the others wait and read it (the rows are the
same in every worker's database: each is migrated the same way, so ids and content types
agree).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from tests.run_once import once_per_run

# Only the app's own tables are captured; the loaders write nothing else (checked on capture).
CAPTURED_PREFIX = "releases_"
# Restored tables of at least this many rows get fresh planner statistics: a query planned on
# the statistics of an empty table can take minutes on the 60,000 measurements of real_data.
ANALYZE_MIN_ROWS = 1_000


class _Rollback(Exception):
    pass


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    data: bytes
    serial: str  # the column a sequence numbers ("id", "history_id"), or ""


class DatabaseState:
    def __init__(self, build: Callable[[], None], tables: tuple[TableCopy, ...] | None) -> None:
        self._build = build
        self._tables = tables

    @classmethod
    def capture(cls, build: Callable[[], None]) -> DatabaseState:
        """Run `build` in a transaction that is rolled back, keeping a copy of what it wrote."""
        if connection.vendor != "postgresql":
            return cls(build, None)
        tables: list[TableCopy] = []
        try:
            with transaction.atomic():
                before = _row_counts()
                if any(
                    count for table, count in before.items() if table.startswith(CAPTURED_PREFIX)
                ):
                    raise RuntimeError("DatabaseState.capture needs empty app tables to start from")
                build()
                after = _row_counts()
                others = {
                    t
                    for t in after
                    if not t.startswith(CAPTURED_PREFIX) and after[t] != before.get(t)
                }
                if others:
                    raise RuntimeError(
                        f"the loader wrote tables a state does not capture: {sorted(others)}"
                    )
                for table, rows in sorted(after.items()):
                    if table.startswith(CAPTURED_PREFIX) and rows:
                        tables.append(
                            TableCopy(table, rows, _copy_out(table), _serial_column(table))
                        )
                raise _Rollback
        except _Rollback:
            pass
        return cls(build, tuple(tables))

    @classmethod
    def shared(cls, build: Callable[[], None], *, path: Path) -> DatabaseState:
        """`capture(build)`, once for every test process of this run, through the file `path`
        (see tests/run_once.py)."""
        built: list[DatabaseState] = []

        def make(partial: Path) -> None:
            state = cls.capture(build)
            built.append(state)
            partial.write_bytes(pickle.dumps(state._tables))

        once_per_run(path, make)
        return built[0] if built else cls(build, pickle.loads(path.read_bytes()))

    def restore(self) -> None:
        """Write the captured rows in the current transaction (or run the loaders on SQLite)."""
        if self._tables is None:
            self._build()
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self._tables:
                with cursor.cursor.copy(f'COPY "{table.table}" FROM STDIN (FORMAT binary)') as copy:
                    copy.write(table.data)
            for table in self._tables:
                # Past the restored rows, history tables' history_id included: a state read
                # from another worker's file comes to a database whose sequences never moved.
                if table.serial:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, %s), "
                        f'GREATEST((SELECT max("{table.serial}") FROM "{table.table}"), 1))',
                        [f'"{table.table}"', table.serial],
                    )
            # Foreign keys are deferred to commit; checking them once here, after the whole
            # load, is far cheaper than leaving thousands of pending checks to every savepoint.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in self._tables:
                if table.rows >= ANALYZE_MIN_ROWS:
                    cursor.execute(f'ANALYZE "{table.table}"')


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _copy_out(table: str) -> bytes:
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy,
    ):
        return b"".join(bytes(block) for block in copy)


def _serial_column(table: str) -> str:
    """The primary-key column a sequence numbers ("id"; "history_id" in history tables), or ""."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
            "AND pg_get_serial_sequence(%s, a.attname) IS NOT NULL",
            [f'"{table}"', f'"{table}"'],
        )
        row = cursor.fetchone()
    return row[0] if row else ""
