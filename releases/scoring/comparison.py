"""Scoring a comparison claim ("Maverick beats GPT-4o across widely reported benchmarks").

A comparison names rivals, and sometimes benchmarks; "across widely reported benchmarks" names
none, so every benchmark on which one evaluator measured both models counts. On each, the two
models are compared like for like: the same evaluator's latest figures, the same conditions,
the whole benchmark (not one category of it), the public variants of both. The difference
counts as held or failed only when it is beyond the measurements' uncertainty (|z| >=
Z_SIGNIFICANT), or, where that is unknown, beyond the unit's "holds" threshold; otherwise the
two are level. The verdict follows from the share of comparisons on which the claim held.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
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

# The claim holds when it held on more than this share of the comparisons ("beats X across
# benchmarks" promises at least most of them) ...
COMPARISON_HOLDS_ABOVE = 0.5
# ... and is substantially overstated when it held on fewer than this share.
COMPARISON_SUBSTANTIAL_BELOW = 0.25

# Ranks restate the ratings they are computed from; counting both would count one result twice.
_SKIPPED_UNITS = (RANK,)

HELD = "held"
FAILED = "failed"
LEVEL = "level"


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
        and not (SCOPE_KEYS & canonical_conditions(m.conditions).keys())
        and (claim.benchmark is None or m.benchmark.slug == claim.benchmark.slug)
        and compare_conditions(claim.conditions, m.conditions) != "incompatible"
    ]
    comparisons: list[Comparison] = []
    used: list[Used] = []
    for rival in claim.compared_with:
        rival_ids = {v.id: v.name for v in rival.public_variants}
        for found in _compare_with(claim, rival, rows, own_ids, rival_ids, as_of):
            comparison, own_used = found
            comparisons.append(comparison)
            used.extend(own_used)
    if not comparisons:
        return Score(
            verdict=UNVERIFIED,
            flags=common_flags((), as_of, variant_mismatch=mismatch, unconfirmed=False),
        )
    held = sum(1 for c in comparisons if c.outcome == HELD)
    share = held / len(comparisons)
    if share > COMPARISON_HOLDS_ABOVE:
        verdict = HOLDS
    elif share < COMPARISON_SUBSTANTIAL_BELOW:
        verdict = SUBSTANTIALLY_OVERSTATED
    else:
        verdict = OVERSTATED
    return Score(
        verdict=verdict,
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
        )
        if found is not None:
            yield found


def _one_benchmark(benchmark, own_rows, rival_rows, rival_name, as_of, own_ids):
    # Like for like: a condition set and evaluators both sides share. Prefer the benchmark's
    # default view (the fewest stated conditions), then a stable order.
    own_keys = {_key(m) for m in own_rows}
    shared_keys = sorted(own_keys & {_key(m) for m in rival_rows}, key=lambda k: (len(k), k))
    for key in shared_keys:
        own = latest_per_evaluator([m for m in own_rows if _key(m) == key], as_of)
        theirs = latest_per_evaluator([m for m in rival_rows if _key(m) == key], as_of)
        evaluators = {normalize_name(m.evaluator) for m in own} & {
            normalize_name(m.evaluator) for m in theirs
        }
        if not evaluators:
            continue
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
            )
            for m in own
        ]
        return comparison, own_used
    return None


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
