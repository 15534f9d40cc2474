"""Scoring a comparison claim ("Maverick beats GPT-4o across widely reported benchmarks").

A comparison names rivals, and sometimes benchmarks; "across widely reported benchmarks" names
none, so every benchmark on which one evaluator measured both models counts. Aggregate indices
(Epoch Capabilities Index) and figures derived from another benchmark are not benchmarks: they
restate results already counted, so they never count as one.

On each benchmark the two models are compared like for like: one publication of the leaderboard
for both (LiveBench's 2025-04-25 release against its 2025-04-02 release would compare two
different question sets), the same evaluator, the same conditions, the whole benchmark (not one
category of it), the public variants of both, and of a rival with dated versions
(gpt-4o-2024-05-13, -08-06, -11-20) the version current at the claim's date. The difference
counts as ahead ("held") or behind ("failed") only when it is beyond the measurements'
uncertainty (|z| >= Z_SIGNIFICANT), or, where that is unknown, beyond the unit's "holds"
threshold; otherwise the two are level.

The verdict is a count, per rival: the claim holds against a rival when the model was ahead on
more than half of the benchmarks compared, is substantially overstated when it was behind on
more than half (and on at least two: one benchmark is too little to show a model trails across
the board), and is overstated otherwise (mostly level, or mixed). "Beats A and B" is only as
true as its weakest half, so the claim's verdict is the worst of its rivals'. With these
majorities, leaving out any one benchmark moves the verdict by at most one grade.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from datetime import date

from releases.conditions import canonical_conditions
from releases.names import normalize_name
from releases.scoring.inputs import (
    RANK,
    SCORE,
    Benchmark,
    ClaimInput,
    Comparison,
    MeasuredFigure,
    Release,
    Score,
    Used,
    Variant,
)
from releases.scoring.method import (
    HOLDS,
    OVERSTATED,
    SCOPE_KEYS,
    SUBSTANTIALLY_OVERSTATED,
    THRESHOLDS,
    UNVERIFIED,
    Z_SIGNIFICANT,
    aggregate,
    at_threshold_precision,
    common_flags,
    compare_conditions,
    is_independent,
    latest_per_evaluator,
    measurement_std_error,
    setting_value,
    signed_gap,
    target_variants,
)

# The claim holds against a rival when it was ahead on more than this share of the benchmarks
# compared ("beats X across benchmarks" promises at least most of them) ...
COMPARISON_HOLDS_ABOVE = 0.5
# ... and is substantially overstated when it was behind on more than this share, and on at
# least this many benchmarks: one benchmark is too little evidence that a model trails a rival
# across the board.
COMPARISON_BEHIND_ABOVE = 0.5
COMPARISON_BEHIND_AT_LEAST = 2

# Not benchmarks (slugs of the curated catalogue): an aggregate index averages benchmarks that
# may be counted on their own, and NoLiMa's effective length restates its own curve.
AGGREGATE_INDICES = ("epoch-capabilities-index", "nolima-effective-length")

# Ranks restate the ratings they are computed from; counting both would count one result twice.
_SKIPPED_UNITS = (RANK,)

HELD = "held"
FAILED = "failed"
LEVEL = "level"

# Grades from best to worst: the claim's verdict is its worst rival's.
_GRADES = (HOLDS, OVERSTATED, SUBSTANTIALLY_OVERSTATED)


def rival_versions(rival: Release, claimed_on: date | None) -> tuple[Variant, ...]:
    """The rival's public variants the claim is compared with.

    A rival with dated versions (its variants carry the day they were released) is compared in
    the version current at the claim's date: the newest released on or before it. A vendor
    claiming to beat GPT-4o in April 2025 meant the GPT-4o of April 2025, not the one of May
    2024. Undated variants, or a claim without a date, keep every public variant.
    """
    public = rival.public_variants
    dated = [v for v in public if v.released_on is not None]
    if not dated or claimed_on is None:
        return public
    current = [v for v in dated if v.released_on <= claimed_on]  # type: ignore[operator]
    if not current:
        return public
    return (max(current, key=lambda v: (v.released_on, v.id)),)


def verdict_from_counts(ahead: int, behind: int, compared: int) -> str:
    """One rival's verdict from its counts of benchmarks (see the module docstring)."""
    if compared <= 0:
        return UNVERIFIED
    if ahead > COMPARISON_HOLDS_ABOVE * compared:
        return HOLDS
    if behind > COMPARISON_BEHIND_ABOVE * compared and behind >= COMPARISON_BEHIND_AT_LEAST:
        return SUBSTANTIALLY_OVERSTATED
    return OVERSTATED


def score_comparison(
    claim: ClaimInput, measurements: Iterable[MeasuredFigure], as_of: date
) -> Score:
    targets, mismatch = target_variants(claim)
    own_ids = {v.id: v.name for v in targets}
    rows = [
        m
        for m in measurements
        if m.as_of <= as_of
        and m.benchmark.unit not in _SKIPPED_UNITS
        and m.benchmark.slug not in AGGREGATE_INDICES
        and not (SCOPE_KEYS & canonical_conditions(m.conditions).keys())
        and (claim.benchmark is None or m.benchmark.slug == claim.benchmark.slug)
        and compare_conditions(claim.conditions, m.conditions) != "incompatible"
    ]
    comparisons: list[Comparison] = []
    used: list[Used] = []
    verdicts: list[str] = []
    for rival in claim.compared_with:
        versions = rival_versions(rival, claim.claimed_on)
        rival_ids = {v.id: v.name for v in versions}
        found = list(_compare_with(claim, rival, rows, own_ids, rival_ids, as_of))
        for comparison, own_used in found:
            comparisons.append(comparison)
            used.extend(own_used)
        if found:
            verdicts.append(
                verdict_from_counts(
                    sum(1 for c, _ in found if c.outcome == HELD),
                    sum(1 for c, _ in found if c.outcome == FAILED),
                    len(found),
                )
            )
    if not comparisons:
        return Score(
            verdict=UNVERIFIED,
            flags=common_flags((), as_of, variant_mismatch=mismatch, unconfirmed=False),
        )
    held = sum(1 for c in comparisons if c.outcome == HELD)
    share = held / len(comparisons)
    return Score(
        verdict=max(verdicts, key=_GRADES.index),
        flags=common_flags(tuple(used), as_of, variant_mismatch=mismatch, unconfirmed=False),
        aggregate=share,
        gap=1 - share,
        comparisons=tuple(comparisons),
    )


def _compare_with(claim, rival: Release, rows, own_ids, rival_ids, as_of):
    """One comparison per benchmark both models were measured on by the same evaluator."""
    vendor = claim.release.vendor
    by_benchmark: dict[str, dict[str, list[MeasuredFigure]]] = {}
    benchmarks: dict[str, Benchmark] = {}
    for m in rows:
        side = "own" if m.variant_id in own_ids else "rival" if m.variant_id in rival_ids else None
        # Neither side's vendor judges the race it runs in.
        if side is None or not is_independent(m.evaluator, vendor):
            continue
        if not is_independent(m.evaluator, rival.vendor):
            continue
        benchmarks[m.benchmark.slug] = m.benchmark
        by_benchmark.setdefault(m.benchmark.slug, {}).setdefault(side, []).append(m)
    for slug in sorted(by_benchmark):
        sides = by_benchmark[slug]
        found = _one_benchmark(
            benchmarks[slug],
            sides.get("own", []),
            sides.get("rival", []),
            rival.name,
            as_of,
            own_ids,
            rival_ids,
        )
        if found is not None:
            yield found


def _publication(m: MeasuredFigure) -> tuple:
    # The snapshot a row came from; rows built without one (tests, hand-made inputs) count as
    # one publication per source and date.
    return (
        ("snapshot", m.publication) if m.publication is not None else ("dated", m.source, m.as_of)
    )


def _one_benchmark(benchmark, own_rows, rival_rows, rival_name, as_of, own_ids, rival_ids):
    # Like for like: a condition set both sides share, then the newest publication of the
    # leaderboard holding both. Prefer the benchmark's default view (the fewest stated
    # conditions), then a stable order.
    own_keys = {_key(m) for m in own_rows}
    shared_keys = sorted(own_keys & {_key(m) for m in rival_rows}, key=lambda k: (len(k), k))
    for key in shared_keys:
        own_here = [m for m in own_rows if _key(m) == key]
        theirs_here = [m for m in rival_rows if _key(m) == key]
        for publication in _shared_publications(own_here, theirs_here):
            found = _in_publication(
                benchmark,
                [m for m in own_here if _publication(m) == publication],
                [m for m in theirs_here if _publication(m) == publication],
                rival_name,
                as_of,
                own_ids,
                rival_ids,
            )
            if found is not None:
                return found
    return None


def _shared_publications(own: Sequence[MeasuredFigure], theirs: Sequence[MeasuredFigure]):
    """Publications holding both sides, newest first."""
    newest: dict[tuple, date] = {}
    for m in (*own, *theirs):
        key = _publication(m)
        newest[key] = max(newest.get(key, m.as_of), m.as_of)
    shared = {_publication(m) for m in own} & {_publication(m) for m in theirs}
    return sorted(shared, key=lambda p: (newest[p], str(p)), reverse=True)


def _in_publication(benchmark, own_rows, rival_rows, rival_name, as_of, own_ids, rival_ids):
    own = latest_per_evaluator(own_rows, as_of)
    theirs = latest_per_evaluator(rival_rows, as_of)
    evaluators = {normalize_name(m.evaluator) for m in own} & {
        normalize_name(m.evaluator) for m in theirs
    }
    if not evaluators:
        return None
    own = [m for m in own if normalize_name(m.evaluator) in evaluators]
    theirs = [m for m in theirs if normalize_name(m.evaluator) in evaluators]
    own_value, own_se, _ = aggregate(
        [m.value for m in own], [measurement_std_error(m) for m in own]
    )
    their_value, their_se, _ = aggregate(
        [m.value for m in theirs], [measurement_std_error(m) for m in theirs]
    )
    difference = signed_gap(own_value, their_value, benchmark)
    z = None
    if own_se is not None and their_se is not None and (own_se or their_se):
        z = difference / math.sqrt(own_se**2 + their_se**2)
    comparison = Comparison(
        benchmark=benchmark.slug,
        unit=benchmark.unit,
        rival=rival_name,
        own=own_value,
        theirs=their_value,
        difference=difference,
        z=z,
        outcome=_outcome(difference, their_value, z, benchmark),
        measurement_ids=tuple(sorted(m.id for m in (*own, *theirs))),
        benchmark_name=benchmark.name,
        rival_variant=", ".join(
            sorted({rival_ids.get(m.variant_id, m.model_name) for m in theirs})
        ),
        evaluators=tuple(sorted({m.evaluator for m in own})),
    )
    own_used = [
        Used(
            evaluator=m.evaluator,
            value=m.value,
            std_error=measurement_std_error(m),
            as_of=m.as_of,
            variant=own_ids.get(m.variant_id, m.model_name),
            measurement_ids=(m.id,),
            benchmark=benchmark.slug,
            benchmark_name=benchmark.name,
            as_of_known=m.as_of_known,
        )
        for m in own
    ]
    return comparison, own_used


def _key(m: MeasuredFigure) -> str:
    # 5, 5.0 and "5" are one setting, as compare_conditions sees them.
    conditions = {k: setting_value(v) for k, v in canonical_conditions(m.conditions).items()}
    return json.dumps(conditions, sort_keys=True, default=str)


def _outcome(difference: float, theirs: float, z: float | None, benchmark: Benchmark) -> str:
    if z is not None:
        if z >= Z_SIGNIFICANT:
            return HELD
        if z <= -Z_SIGNIFICANT:
            return FAILED
        return LEVEL
    band = THRESHOLDS[benchmark.unit][0]
    size = at_threshold_precision(
        difference / abs(theirs) if benchmark.unit == SCORE and theirs else difference
    )
    if size > band:
        return HELD
    if size < -band:
        return FAILED
    return LEVEL
