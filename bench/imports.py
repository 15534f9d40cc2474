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

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from releases.importers import get_importer  # noqa: E402
from releases.models import LeaderboardSource, Measurement, Snapshot  # noqa: E402
from releases.services.demo_data import demo_data_load  # noqa: E402
from releases.services.leaderboard_import import leaderboard_import  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LEADERBOARDS = REPO / "fixtures" / "leaderboards"
SYNTHETIC_ROWS = 100_000
REPEATS = 3

TARGET_ROWS_PER_SECOND = 10_000
TARGET_NO_CHANGE_MS = 100
TARGET_PEAK_MB = 300


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def timed_import(source: LeaderboardSource, raw: bytes, **kwargs) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    summary = leaderboard_import(source_id=source.pk, raw=raw, **kwargs)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1024 / 1024, summary


def synthetic_arena(rows: int, offset: float) -> bytes:
    per_category = rows // 10
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


def reset_source(source: LeaderboardSource) -> None:
    Measurement.objects.filter(source=source).delete()
    Snapshot.objects.filter(source=source).delete()


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    demo_data_load(fixtures_dir=REPO / "fixtures")
    results: dict[str, tuple[float, float, str]] = {}

    print("\n== bundled files: import time and Python peak memory (median of 3, fresh each time)")
    worst_peak = 0.0
    for source in LeaderboardSource.objects.order_by("slug"):
        for file_name, raw in get_importer(source.importer).bundled_inputs(LEADERBOARDS):
            times, peaks = [], []
            for _ in range(REPEATS):
                reset_source(source)
                elapsed, peak, summary = timed_import(source, raw, file_name=file_name)
                times.append(elapsed)
                peaks.append(peak)
            worst_peak = max(worst_peak, max(peaks))
            print(
                f"  {source.slug:28} {file_name:40} {summary.rows:>7,} rows  "  # type: ignore[attr-defined]
                f"{statistics.median(times) * 1000:8.0f} ms  peak {max(peaks):6.1f} MB"
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
        elapsed, peak, summary = timed_import(arena, first_body, as_of=dt.date(2025, 1, 1))
        rows = summary.rows  # type: ignore[attr-defined]
        first.append(rows / elapsed)
        worst_peak = max(worst_peak, peak)
        elapsed, peak, summary = timed_import(arena, changed_body, as_of=dt.date(2025, 1, 1))
        assert summary.updated == rows, summary  # type: ignore[attr-defined]
        reimport.append(rows / elapsed)
        worst_peak = max(worst_peak, peak)
        elapsed, _, summary = timed_import(arena, changed_body, as_of=dt.date(2025, 1, 1))
        assert summary.status == "unchanged"  # type: ignore[attr-defined]
        no_change.append(elapsed * 1000)
        # The same rows in new bytes (a re-serialised file): parsed and compared, nothing written.
        reordered = json.dumps(json.loads(changed_body), indent=1).encode()
        elapsed, _, summary = timed_import(arena, reordered, as_of=dt.date(2025, 1, 1))
        assert (summary.created, summary.updated) == (0, 0), summary  # type: ignore[attr-defined]
        no_change_parse.append(elapsed * 1000)
    print(f"  rows per import: {rows:,}")
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
    for models in (100, 10_000):
        reset_source(arena)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            leaderboard_import(
                source_id=arena.pk, raw=synthetic_arena(models * 10, 0.0), as_of=dt.date(2025, 1, 1)
            )
        query_counts.append(len(queries))
        print(f"  {models * 10:>7,} models: {len(queries)} queries")
    reset_source(arena)

    results["first import (rows/s)"] = (statistics.median(first), TARGET_ROWS_PER_SECOND, ">=")
    results["re-import, changed (rows/s)"] = (
        statistics.median(reimport),
        TARGET_ROWS_PER_SECOND,
        ">=",
    )
    results["no-change re-import (ms)"] = (statistics.median(no_change), TARGET_NO_CHANGE_MS, "<")
    results["peak Python memory (MB)"] = (worst_peak, TARGET_PEAK_MB, "<")
    results["peak process RSS (MB)"] = (rss_mb(), TARGET_PEAK_MB, "<")
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


if __name__ == "__main__":
    main()
