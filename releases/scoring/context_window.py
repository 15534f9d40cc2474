"""Scoring a context-window claim: how much of the stated length does the model actually use?

A context window is a promise that the model can work with that much text. Long-context tests
(NoLiMa, Fiction.LiveBench) score a model at growing lengths. Following NoLiMa, the *effective
length* is the longest tested length up to which the score stays at or above 85% of the model's
own short-context score; we apply the same definition to Fiction.LiveBench, whose 0-token column
is its short-context score. The gap is log2(stated / effective): how many doublings separate the
claimed length from the length that works.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Mapping
from datetime import date

from releases.conditions import canonical_conditions
from releases.names import normalize_name
from releases.scoring.inputs import TOKENS, ClaimInput, MeasuredFigure, Score, Used
from releases.scoring.method import (
    HOLDS,
    OVERSTATED,
    SUBSTANTIALLY_OVERSTATED,
    UNDERSTATED,
    UNVERIFIED,
    common_flags,
    compare_conditions,
    is_independent,
    setting_value,
    target_variants,
    verdict_for_gap,
)

# Benchmarks that score a model at growing context lengths (slugs of the curated benchmarks).
LONG_CONTEXT_BENCHMARKS = ("nolima", "fiction-livebench")

# NoLiMa's definition: a length counts as effective while the score stays at or above this
# share of the model's own short-context ("base") score.
EFFECTIVE_LENGTH_FRACTION = 0.85

# The two condition keys that place a measurement on the length curve.
_LENGTH = "context_tokens"
_BASE = "context"


def effective_length(base_score: float, scores_by_length: Mapping[int, float]) -> tuple[int, str]:
    """(effective length, bound) from one curve.

    Walks the tested lengths from the shortest and stops at the first whose score falls below
    EFFECTIVE_LENGTH_FRACTION x the base score. The bound says what the number means: "exact";
    "upper" when even the shortest length failed (the effective length is below it); "lower"
    when the longest length tested still passed (it may be longer).
    """
    if not scores_by_length:
        raise ValueError("a curve needs at least one tested length")
    threshold = EFFECTIVE_LENGTH_FRACTION * base_score
    lengths = sorted(scores_by_length)
    passed = None
    for length in lengths:
        if scores_by_length[length] < threshold:
            break
        passed = length
    if passed is None:
        return lengths[0], "upper"
    if passed == lengths[-1]:
        return passed, "lower"
    return passed, "exact"


def score_context_window(
    claim: ClaimInput, measurements: Iterable[MeasuredFigure], as_of: date
) -> Score:
    if claim.stated_value is None or claim.stated_value <= 0:
        raise ValueError(f"claim {claim.id} states no context length")
    targets, mismatch = target_variants(claim)
    names = {v.id: v.name for v in targets}
    curves = _curves(claim, measurements, names, as_of)
    if not curves:
        return Score(verdict=UNVERIFIED, flags=_flags((), as_of, mismatch))

    # One figure per evaluator: its curve with the longest effective length (of its benchmarks
    # and of the public variants), the reading most generous to the vendor.
    best: dict[str, Used] = {}
    for used in curves:
        evaluator = normalize_name(used.evaluator)
        held = best.get(evaluator)
        if held is None or (used.value, used.benchmark) > (held.value, held.benchmark):
            best[evaluator] = used
    used_all = tuple(best[key] for key in sorted(best))

    # Aggregate in doublings: the median of log2(effective length), back in tokens.
    effective = 2 ** statistics.median(math.log2(u.value) for u in used_all)
    gap = math.log2(claim.stated_value / effective)
    verdict = verdict_for_gap(gap, None, None, TOKENS)
    notes: list[str] = []
    if verdict in (OVERSTATED, SUBSTANTIALLY_OVERSTATED) and all(
        u.bound == "lower" for u in used_all
    ):
        # Every test stopped short of the claim while the model still passed: the model may
        # well hold more; the tests cannot say.
        verdict = UNVERIFIED
        notes.append("every test stopped while the model still passed")
    if verdict in (HOLDS, UNDERSTATED) and all(u.bound == "upper" for u in used_all):
        verdict = UNVERIFIED
        notes.append("the model failed even the shortest length tested")
    return Score(
        verdict=verdict,
        flags=_flags(used_all, as_of, mismatch),
        aggregate=effective,
        spread=max(u.value for u in used_all) - min(u.value for u in used_all),
        gap=gap,
        used=used_all,
        notes=tuple(notes),
    )


def _curves(
    claim: ClaimInput, measurements: Iterable[MeasuredFigure], names: dict[int, str], as_of: date
) -> list[Used]:
    """Each (evaluator, benchmark, variant) curve at its latest date, as an effective length."""
    points: dict[tuple[str, str, int, str], list[MeasuredFigure]] = {}
    benchmark_names = {}
    for m in measurements:
        if (
            m.benchmark.slug in LONG_CONTEXT_BENCHMARKS
            and m.variant_id in names
            and m.as_of <= as_of
            and is_independent(m.evaluator, claim.release.vendor)
            and _compatible(claim, m)
        ):
            # Curves under different settings (with and without chain of thought) are
            # different curves, never merged point by point.
            key = (m.evaluator, m.benchmark.slug, m.variant_id, _settings_key(m))
            points.setdefault(key, []).append(m)
            benchmark_names[m.benchmark.slug] = m.benchmark.name
    curves = []
    for (evaluator, benchmark, variant_id, _), rows in sorted(points.items()):
        newest = max(m.as_of for m in rows)
        rows = sorted((m for m in rows if m.as_of == newest), key=lambda m: m.id)
        base = [m for m in rows if _is_base(m)]
        scores = {}
        for m in rows:
            length = _length(m)
            if length:
                scores.setdefault(length, m.value)
        if not base or not scores:
            continue  # half a curve has no effective length
        length, bound = effective_length(base[0].value, scores)
        curves.append(
            Used(
                evaluator=evaluator,
                value=float(length),
                std_error=None,
                as_of=newest,
                variant=names[variant_id],
                measurement_ids=tuple(m.id for m in rows),
                benchmark=benchmark,
                bound=bound,
                benchmark_name=benchmark_names[benchmark],
            )
        )
    return curves


def _settings(m: MeasuredFigure) -> dict:
    """A point's conditions without its place on the curve."""
    conditions = canonical_conditions(m.conditions)
    return {k: v for k, v in conditions.items() if k not in (_LENGTH, _BASE)}


def _settings_key(m: MeasuredFigure) -> str:
    return json.dumps({k: setting_value(v) for k, v in _settings(m).items()}, sort_keys=True)


def _compatible(claim: ClaimInput, m: MeasuredFigure) -> bool:
    return compare_conditions(claim.conditions, _settings(m)) != "incompatible"


def _is_base(m: MeasuredFigure) -> bool:
    conditions = canonical_conditions(m.conditions)
    return conditions.get(_BASE) == "base" or str(conditions.get(_LENGTH)) == "0"


def _length(m: MeasuredFigure) -> int:
    value = canonical_conditions(m.conditions).get(_LENGTH)
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _flags(used: tuple[Used, ...], as_of: date, mismatch: bool) -> tuple[str, ...]:
    return common_flags(used, as_of, variant_mismatch=mismatch, unconfirmed=False)
