"""Gap-score benchmarks (`make bench`): figures printed next to their targets. Not a test.

Runs against the database in DATABASE_URL, which must be PostgreSQL and freshly migrated (make
bench points it at a throwaway database, claimsdb_bench_gaps, dropped and created each time).
Builds 10,000 published claims over 1,000,000 measurements with COPY, then times the full
recompute (first run and a run with nothing changed), one claim's recompute after an import,
counts the SQL queries of a full recompute at 1,000 and at 10,000 claims, and measures its peak
Python memory. Each measured step prints one line; a final table compares each figure with its
target (issue 6, point 8).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
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

from bench.synthetic import (  # noqa: E402
    AS_OF,
    CLAIMS_PER_RELEASE,
    NOW,
    PERCENT_BENCHMARKS,
    RELEASES,
    build_catalogue,
    build_claims,
    copy_measurements,
)
from releases.models import (  # noqa: E402
    Claim,
    GapScore,
    Measurement,
    ModelRelease,
    ModelVariant,
    Snapshot,
)
from releases.scoring.context_window import LONG_CONTEXT_BENCHMARKS  # noqa: E402
from releases.services.data_version import data_version_advance_now  # noqa: E402
from releases.services.gap_scores import (  # noqa: E402
    RecomputeSummary,
    claims_affected_by,
    gap_scores_recompute,
)

SMALL_CLAIMS = 1_000  # the claim count the query count is compared at
REPEATS = 3
ONE_CLAIM_REPEATS = 7

TARGET_FULL_S = 60
TARGET_ONE_CLAIM_MS = 1_000


def streamed_rows() -> int:
    """Measurements a full recompute reads in its streamed query (same filter, counted in SQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM releases_measurement m
            JOIN releases_modelvariant v ON v.id = m.variant_id
            WHERE m.as_of <= %s AND (
              EXISTS (SELECT 1 FROM releases_claim c WHERE c.status = 'published'
                      AND c.release_id = v.release_id AND c.benchmark_id = m.benchmark_id)
              OR (m.benchmark_id IN (SELECT id FROM releases_benchmark WHERE slug = ANY(%s))
                  AND v.release_id IN (SELECT release_id FROM releases_claim
                                       WHERE status = 'published' AND kind = 'context_window')))
            """,
            [AS_OF, list(LONG_CONTEXT_BENCHMARKS)],
        )
        return cursor.fetchone()[0]


def build() -> None:
    print("\n== synthetic data (COPY for measurements, bulk_create for the rest)")
    started = time.perf_counter()
    cat = build_catalogue()
    elapsed = time.perf_counter() - started
    print(
        f"  catalogue: {len(cat.vendors)} vendors, {len(cat.releases):,} releases x 3 variants, "
        f"{PERCENT_BENCHMARKS + 4} benchmarks, {len(cat.sources)} sources, "
        f"{len(cat.snapshots)} snapshots, {len(cat.citations):,} citations   {elapsed:6.1f} s"
    )
    started = time.perf_counter()
    rows = copy_measurements(cat)
    elapsed = time.perf_counter() - started
    print(
        f"  measurements: {rows:>9,} rows (COPY)   {elapsed:6.1f} s  {rows / elapsed:>9,.0f} rows/s"
    )
    started = time.perf_counter()
    claims, kinds = build_claims(cat)
    elapsed = time.perf_counter() - started
    mix = ", ".join(f"{n:,} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    print(f"  claims: {claims:>9,} published ({mix})   {elapsed:6.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE   {time.perf_counter() - started:6.1f} s")
    # The data version row, as the first import of a real database makes it; otherwise the
    # first recompute measured creates it, four queries more than any later one.
    data_version_advance_now()
    print(f"  measurements a full recompute streams (on claimed pairs): {streamed_rows():,}")


def full_recompute(*, fresh: bool) -> tuple[float, int, RecomputeSummary]:
    """Wall time and SQL queries of one full recompute, untraced. `fresh`: delete every score
    first, so that every score is written. Counting the queries (about ten) costs nothing
    measurable next to the recompute."""
    if fresh:
        GapScore.objects.all().delete()
    gc.collect()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        summary = gap_scores_recompute(as_of=AS_OF, now=NOW)
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), summary


def traced_peak_mb() -> float:
    """Peak Python memory of a first full recompute (every score written), on a run of its own."""
    GapScore.objects.all().delete()
    gc.collect()
    tracemalloc.start()
    gap_scores_recompute(as_of=AS_OF, now=NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def one_claim_target() -> tuple[Claim, Measurement]:
    """A benchmark-score claim on a release no comparison involves, and the newest Epoch
    measurement of its (release, benchmark) pair: what a re-import would change."""
    compared = set(
        Claim.objects.filter(kind=Claim.Kind.COMPARISON).values_list("release_id", flat=True)
    ) | set(Claim.compared_with.through.objects.values_list("modelrelease_id", flat=True))
    claim = (
        Claim.objects.filter(
            kind=Claim.Kind.BENCHMARK_SCORE,
            variant__kind=ModelVariant.Kind.INSTRUCT,
            conditions_key="{}",
        )
        .exclude(release_id__in=compared)
        .order_by("id")[RELEASES * CLAIMS_PER_RELEASE // 2 :]
        .first()
    )
    assert claim is not None
    measurement = (
        Measurement.objects.filter(
            variant_id=claim.variant_id,
            benchmark_id=claim.benchmark_id,
            evaluator="Epoch AI",
            conditions_key="{}",
        )
        .order_by("-as_of")
        .first()
    )
    assert measurement is not None
    return claim, measurement


def one_claim_after_import(
    claim: Claim, measurement: Measurement, run: int
) -> tuple[float, float, RecomputeSummary]:
    """One import changes one value: a new snapshot rewrites the measurement. Then, timed, the
    claims it affects are found and recomputed, as leaderboard_import and the task do.
    Returns the two times in ms: claims_affected_by, gap_scores_recompute."""
    snapshot = Snapshot.objects.create(
        source_id=measurement.source_id,
        fetched_at=NOW + dt.timedelta(minutes=run + 1),
        status=Snapshot.Status.IMPORTED,
        as_of=measurement.as_of,
    )
    # Alternate either side of the stored value, so that every run changes the score.
    value = measurement.value + (0.7 if run % 2 == 0 else -0.7)
    Measurement.objects.filter(pk=measurement.pk).update(
        value=value, snapshot_id=snapshot.pk, updated_at=NOW
    )
    gc.collect()
    started = time.perf_counter()
    ids = claims_affected_by(measurements=Measurement.objects.filter(snapshot_id=snapshot.pk))
    found = time.perf_counter()
    summary = gap_scores_recompute(
        claim_ids=ids, as_of=AS_OF, now=NOW + dt.timedelta(minutes=run + 1)
    )
    done = time.perf_counter()
    assert ids == [claim.pk], f"expected only claim {claim.pk} to be affected, got {ids}"
    assert (summary.recomputed, summary.written) == (1, 1), summary.as_json()
    return (found - started) * 1000, (done - found) * 1000, summary


def set_published(claim_ids: list[int] | None) -> None:
    """Publish only these claims (None: all); the rest become drafts."""
    Claim.objects.update(status=Claim.Status.PUBLISHED if claim_ids is None else Claim.Status.DRAFT)
    if claim_ids is not None:
        Claim.objects.filter(pk__in=claim_ids).update(status=Claim.Status.PUBLISHED)


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/gaps.py needs PostgreSQL: run `make bench`, or set DATABASE_URL to a freshly "
            "migrated throwaway database"
        )
    if Claim.objects.exists() or Measurement.objects.exists():
        sys.exit("bench/gaps.py builds its own data: give it an empty, freshly migrated database")
    build()
    claims = Claim.objects.count()
    results: dict[str, tuple[float, float, str]] = {}

    print(f"\n== full recompute of {claims:,} claims, as of {AS_OF} (median of {REPEATS})")
    first, again = [], []
    counts: dict[int, tuple[set[int], set[int]]] = {claims: (set(), set())}
    for _ in range(REPEATS):
        elapsed, queries, summary = full_recompute(fresh=True)
        assert summary.recomputed == claims and summary.written == claims, summary.as_json()
        first.append(elapsed)
        counts[claims][0].add(queries)
    verdicts = ", ".join(f"{n:,} {v}" for v, n in summary.verdicts.most_common())
    print(f"  verdicts: {verdicts}")
    print(
        f"  first run (no scores yet):  median {statistics.median(first):6.1f} s, "
        f"{summary.written:,} rows written  (runs: {', '.join(f'{t:.1f}' for t in first)})"
    )
    for _ in range(REPEATS):
        elapsed, queries, summary = full_recompute(fresh=False)
        assert summary.recomputed == claims and summary.written == 0, summary.as_json()
        again.append(elapsed)
        counts[claims][1].add(queries)
    print(
        f"  nothing changed:            median {statistics.median(again):6.1f} s, "
        f"{summary.written:,} rows written  (runs: {', '.join(f'{t:.1f}' for t in again)})"
    )

    print(
        "\n== one claim after an import: a new snapshot rewrites one measurement, then "
        f"claims_affected_by + gap_scores_recompute(claim_ids=...) (median of {ONE_CLAIM_REPEATS})"
    )
    claim, measurement = one_claim_target()
    runs = [one_claim_after_import(claim, measurement, run) for run in range(ONE_CLAIM_REPEATS)]
    find = statistics.median(r[0] for r in runs)
    recompute = statistics.median(r[1] for r in runs)
    one = statistics.median(r[0] + r[1] for r in runs)
    print(
        f"  claim {claim.pk} (measurement {measurement.pk}): {runs[-1][2].recomputed} claim "
        f"recomputed, {runs[-1][2].written} row written each run"
    )
    print(
        f"  total median {one:7.1f} ms = claims_affected_by {find:.1f} ms + recompute "
        f"{recompute:.1f} ms  (runs: {', '.join(f'{r[0] + r[1]:.0f}' for r in runs)})"
    )

    print("\n== peak Python memory of a first full recompute (tracemalloc, a run of its own)")
    peak = traced_peak_mb()
    print(f"  {claims:,} claims: peak {peak:6.1f} MB")

    print("\n== SQL queries of a full recompute against the number of published claims")
    # The claims of the first releases: every kind, in the same mix as the full set.
    releases = ModelRelease.objects.order_by("id")[: SMALL_CLAIMS // CLAIMS_PER_RELEASE]
    subset = list(Claim.objects.filter(release__in=releases).values_list("id", flat=True))
    assert len(subset) == SMALL_CLAIMS, len(subset)
    set_published(subset)
    try:
        _, written, summary = full_recompute(fresh=True)
        assert summary.written == len(subset), summary.as_json()
        _, unchanged, summary = full_recompute(fresh=False)
        assert summary.written == 0, summary.as_json()
        counts[len(subset)] = ({written}, {unchanged})
    finally:
        set_published(None)
    for n, (written_counts, unchanged_counts) in sorted(counts.items()):
        print(
            f"  {n:>9,} claims: {'/'.join(map(str, sorted(written_counts)))} queries with every "
            f"score written, {'/'.join(map(str, sorted(unchanged_counts)))} with nothing changed"
        )

    results["full recompute, first run (s)"] = (statistics.median(first), TARGET_FULL_S, "<")
    results["full recompute, no change (s)"] = (statistics.median(again), TARGET_FULL_S, "<")
    results["one claim after an import (ms)"] = (one, TARGET_ONE_CLAIM_MS, "<")
    print("\n== against the targets")
    for name, (value, target, op) in results.items():
        met = value >= target if op == ">=" else value < target
        print(
            f"  {name:32} {value:>12,.1f}   target {op} {target:,}   {'met' if met else 'MISSED'}"
        )
    small, large = counts[len(subset)], counts[claims]
    same = small == large and all(len(c) == 1 for c in (*small, *large))
    print(
        f"  {'queries independent of claims':32} {min(small[0])}+{min(small[1])} vs "
        f"{min(large[0])}+{min(large[1])}   {'met' if same else 'MISSED'}"
    )
    print(f"  {'peak Python memory (MB)':32} {peak:>12,.1f}   (issue 6 sets no target)")


if __name__ == "__main__":
    main()
