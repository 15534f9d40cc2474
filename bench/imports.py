"""Import benchmarks (`make bench`): figures printed next to their targets. Not a test.

Runs against the database in DATABASE_URL (make bench points it at a throwaway PostgreSQL
database, migrated fresh). Each measured step prints one line; a final table compares each
figure with its target.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsdb.settings")
django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from releases.curated.loading import curated_data_load  # noqa: E402
from releases.importers import get_importer  # noqa: E402
from releases.models import LeaderboardSource, Measurement, Snapshot  # noqa: E402
from releases.services.leaderboard_import import leaderboard_import  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LEADERBOARDS = REPO / "fixtures" / "leaderboards"
SYNTHETIC_ROWS = 100_000
REPEATS = 3

TARGET_ROWS_PER_SECOND = 10_000
# The import against a raw COPY of the same rows into the same table, in the same run: a ratio
# does not swing with the machine's load as rows/s do (issue 10 point 6).
TARGET_COPY_RATIO = 1 / 3
TARGET_NO_CHANGE_MS = 100
TARGET_PEAK_MB = 300


def rss_mb() -> float:
    """This process's peak resident set, in MB. VmHWM, not getrusage's ru_maxrss: Linux carries
    ru_maxrss over from the parent across fork and exec, so a child would report its parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(source: LeaderboardSource, raw: bytes, **kwargs) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """Wall time of one import, untraced (tracemalloc slows Python code about twofold)."""
    gc.collect()
    started = time.perf_counter()
    summary = leaderboard_import(source_id=source.pk, raw=raw, **kwargs)
    return time.perf_counter() - started, summary


def traced_peak_mb(source: LeaderboardSource, raw: bytes, **kwargs) -> float:  # type: ignore[no-untyped-def]
    """Peak Python memory of one import, measured on a run of its own."""
    gc.collect()
    tracemalloc.start()
    leaderboard_import(source_id=source.pk, raw=raw, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def synthetic_arena(rows: int, offset: float) -> bytes:
    """An arena file that parses to `rows` rows: 10 categories, a rating and a rank per model."""
    per_category = rows // 20
    return json.dumps(
        {
            f"category-{c}": {
                f"synthetic-model-{i:06d}": {
                    "rating": 1000.0 + (i % 700) + offset,
                    "rating_q025": 990.0 + (i % 700) + offset,
                    "rating_q975": 1010.0 + (i % 700) + offset,
                }
                for i in range(per_category)
            }
            for c in range(10)
        }
    ).encode()


def copy_ratio(source: LeaderboardSource, body: bytes) -> tuple[float, float, float, float]:
    """(median import rows/s, median COPY rows/s, ratio, median COPY rows/s without user
    triggers), over REPEATS interleaved runs on the same rows.

    The rows are those the import itself wrote, read back as stored; COPY writes them into the
    same table, with its indexes, constraints and the bounds trigger, under the snapshot the
    import created. The run without triggers shows what the bounds trigger costs."""
    from releases.services.measurement_upsert import COLUMNS

    names = [name for name, _, _ in COLUMNS]
    imports, copies, untriggered = [], [], []
    for _ in range(REPEATS):
        reset_source(source)
        elapsed, summary = timed_import(source, body, as_of=dt.date(2025, 1, 1))
        rows = summary.rows  # type: ignore[attr-defined]
        imports.append(rows / elapsed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(names)} FROM releases_measurement WHERE source_id = %s",
                [source.pk],
            )
            stored = cursor.fetchall()
        for triggers in (True, False):
            Measurement.objects.filter(source=source).delete()
            gc.collect()
            with transaction.atomic(), connection.cursor() as cursor:
                if not triggers:
                    cursor.execute("ALTER TABLE releases_measurement DISABLE TRIGGER USER")
                started = time.perf_counter()
                sql = f"COPY releases_measurement ({', '.join(names)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for values in stored:
                        copy.write_row(
                            [json.dumps(v) if isinstance(v, dict) else v for v in values]
                        )
                # The foreign keys are deferred: check them now, inside the timing (the import
                # pays them at its commit).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                elapsed = time.perf_counter() - started
                if not triggers:
                    cursor.execute("ALTER TABLE releases_measurement ENABLE TRIGGER USER")
            (copies if triggers else untriggered).append(len(stored) / elapsed)
    reset_source(source)
    imported, copied = statistics.median(imports), statistics.median(copies)
    return imported, copied, imported / copied, statistics.median(untriggered)


def reset_source(source: LeaderboardSource) -> None:
    Measurement.objects.filter(source=source).delete()
    Snapshot.objects.filter(source=source).delete()


def one_import_rss(body_path: str) -> None:
    """Child mode: one import of the file at `body_path` in a fresh process; prints RSS in MB."""
    arena = LeaderboardSource.objects.get(slug="lmarena-text")
    reset_source(arena)
    body = Path(body_path).read_bytes()
    before = rss_mb()
    leaderboard_import(source_id=arena.pk, raw=body, as_of=dt.date(2025, 1, 1))
    print(json.dumps({"baseline_mb": before, "peak_mb": rss_mb()}))
    reset_source(arena)


def child_rss(body: bytes) -> dict[str, float]:
    import subprocess
    import tempfile

    # The body is built here: building it in the child would count its construction.
    with tempfile.NamedTemporaryFile(suffix=".json") as file:
        file.write(body)
        file.flush()
        result = subprocess.run(
            [sys.executable, __file__, "--one-import-rss", file.name],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    curated_data_load(fixtures_dir=REPO / "fixtures")
    results: dict[str, tuple[float, float, str]] = {}

    print("\n== bundled files: import time and Python peak memory (median of 3, fresh each time)")
    worst_peak = 0.0
    for source in LeaderboardSource.objects.order_by("slug"):
        for file_name, raw in get_importer(source.importer).bundled_inputs(LEADERBOARDS):
            times = []
            for _ in range(REPEATS):
                reset_source(source)
                elapsed, summary = timed_import(source, raw, file_name=file_name)
                times.append(elapsed)
            reset_source(source)
            peak = traced_peak_mb(source, raw, file_name=file_name)
            worst_peak = max(worst_peak, peak)
            rows = summary.rows  # type: ignore[attr-defined]
            median = statistics.median(times)
            print(
                f"  {source.slug:28} {file_name:40} {rows:>7,} rows  {median * 1000:7.0f} ms "
                f"{rows / median:>8,.0f} rows/s  peak {peak:6.1f} MB"
            )
            reset_source(source)

    arena = LeaderboardSource.objects.get(slug="lmarena-text")
    first_body = synthetic_arena(SYNTHETIC_ROWS, offset=0.0)
    changed_body = synthetic_arena(SYNTHETIC_ROWS, offset=3.0)
    print(
        f"\n== synthetic arena file: {SYNTHETIC_ROWS:,} models x categories -> rows (rating + rank)"
    )
    first, reimport, no_change, no_change_parse = [], [], [], []
    for _ in range(REPEATS):
        reset_source(arena)
        elapsed, summary = timed_import(arena, first_body, as_of=dt.date(2025, 1, 1))
        rows = summary.rows  # type: ignore[attr-defined]
        first.append(rows / elapsed)
        elapsed, summary = timed_import(arena, changed_body, as_of=dt.date(2025, 1, 1))
        # Every rating moves; the ranks do not (all moved alike), so half the rows change.
        assert summary.rows == rows and summary.updated == rows // 2, "unexpected re-import counts"  # type: ignore[attr-defined]
        reimport.append(rows / elapsed)
        elapsed, summary = timed_import(arena, changed_body, as_of=dt.date(2025, 1, 1))
        assert summary.status == "unchanged", "identical bytes were imported again"  # type: ignore[attr-defined]
        no_change.append(elapsed * 1000)
        # The same rows in new bytes (a re-serialised file): parsed and compared, nothing written.
        reordered = json.dumps(json.loads(changed_body), indent=1).encode()
        elapsed, summary = timed_import(arena, reordered, as_of=dt.date(2025, 1, 1))
        assert (summary.created, summary.updated) == (0, 0), "a re-serialised file changed rows"  # type: ignore[attr-defined]
        no_change_parse.append(elapsed * 1000)
    reset_source(arena)
    synthetic_peak = traced_peak_mb(arena, first_body, as_of=dt.date(2025, 1, 1))
    worst_peak = max(worst_peak, synthetic_peak)
    print(
        f"  rows per import: {rows:,}; peak Python memory of the first import {synthetic_peak:.1f} MB"
    )
    print(
        f"  first import:        median {statistics.median(first):>9,.0f} rows/s  (runs: {', '.join(f'{r:,.0f}' for r in first)})"
    )
    print(
        f"  re-import, changed:  median {statistics.median(reimport):>9,.0f} rows/s  (runs: {', '.join(f'{r:,.0f}' for r in reimport)})"
    )
    print(
        f"  no-change re-import (same bytes):       median {statistics.median(no_change):7.1f} ms"
    )
    print(
        f"  same rows in new bytes (parse+compare): median {statistics.median(no_change_parse):7.0f} ms"
    )

    print("\n== SQL queries of one import against its row count")
    query_counts = []
    for models in (1_000, 100_000):
        reset_source(arena)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            leaderboard_import(
                source_id=arena.pk, raw=synthetic_arena(models, 0.0), as_of=dt.date(2025, 1, 1)
            )
        query_counts.append(len(queries))
        print(f"  {models:>9,} rows: {len(queries)} queries")
    reset_source(arena)

    results["first import (rows/s)"] = (statistics.median(first), TARGET_ROWS_PER_SECOND, ">=")
    results["re-import, changed (rows/s)"] = (
        statistics.median(reimport),
        TARGET_ROWS_PER_SECOND,
        ">=",
    )
    results["no-change re-import (ms)"] = (statistics.median(no_change), TARGET_NO_CHANGE_MS, "<")
    results["peak Python memory (MB)"] = (worst_peak, TARGET_PEAK_MB, "<")
    print(f"\n== the import against a raw COPY of the same {rows:,} rows (median of {REPEATS})")
    imported, copied, ratio, untriggered = copy_ratio(arena, first_body)
    print(f"  import:                          median {imported:>9,.0f} rows/s")
    print(f"  raw COPY, same rows and table:   median {copied:>9,.0f} rows/s")
    print(f"  raw COPY without user triggers:  median {untriggered:>9,.0f} rows/s")
    print(f"  ratio import / COPY: {ratio:.2f}")
    results["import / raw COPY (ratio)"] = (ratio, TARGET_COPY_RATIO, ">=")
    rss = child_rss(first_body)
    print(
        f"\n== one {SYNTHETIC_ROWS:,}-row import in a fresh process: RSS {rss['baseline_mb']:.0f} MB "
        f"after start-up, {rss['peak_mb']:.0f} MB at peak"
    )
    results["peak RSS growth of one import (MB)"] = (
        rss["peak_mb"] - rss["baseline_mb"],
        TARGET_PEAK_MB,
        "<",
    )
    print("\n== against the targets")
    for name, (value, target, op) in results.items():
        met = value >= target if op == ">=" else value < target
        print(
            f"  {name:32} {value:>12,.1f}   target {op} {target:,}   {'met' if met else 'MISSED'}"
        )
    same = query_counts[0] == query_counts[1]
    print(
        f"  {'queries independent of rows':32} {query_counts[0]} vs {query_counts[1]}   {'met' if same else 'MISSED'}"
    )


def ratio_only() -> None:
    """`bench/imports.py --copy-ratio`: only the import-against-COPY comparison."""
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    curated_data_load(fixtures_dir=REPO / "fixtures")
    arena = LeaderboardSource.objects.get(slug="lmarena-text")
    imported, copied, ratio, untriggered = copy_ratio(arena, synthetic_arena(SYNTHETIC_ROWS, 0.0))
    print(f"  import:                          median {imported:>9,.0f} rows/s")
    print(f"  raw COPY, same rows and table:   median {copied:>9,.0f} rows/s")
    print(f"  raw COPY without user triggers:  median {untriggered:>9,.0f} rows/s")
    met = "met" if ratio >= TARGET_COPY_RATIO else "MISSED"
    print(f"  ratio import / COPY: {ratio:.2f}   target >= {TARGET_COPY_RATIO:.2f}   {met}")


if __name__ == "__main__":
    if "--one-import-rss" in sys.argv:
        one_import_rss(sys.argv[-1])
    elif "--copy-ratio" in sys.argv:
        ratio_only()
    else:
        main()
