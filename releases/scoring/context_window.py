"""Scoring a context-window claim: how much of the stated length does the model actually use?

A context window is a promise that the model can work with that much text. Long-context tests
score a model at growing lengths, and each is read with the effective-length rule its own
authors publish:

- NoLiMa: the longest tested length up to which the score stays at or above 85% of the model's
  own short-context ("base") score;
- RULER: the longest tested length up to which the score beats an absolute bar, the score of
  Llama2-7B at 4K tokens (85.6), the same for every model;
- Fiction.LiveBench publishes no rule, and its 0-token column is about eight questions, too few
  to be a base: its scores per length are shown beside the verdict and no effective length is
  derived from them.

The gap is log2(stated / effective): how many doublings separate the claimed length from the
length that works. Only exact effective lengths enter the median and the doublings: a bound
("under 1K", "at least 128K") can decide a verdict on its own, but is never used as a value.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from releases.conditions import canonical_conditions
from releases.names import normalize_name
from releases.scoring.inputs import TOKENS, ClaimInput, Curve, MeasuredFigure, Peers, Score, Used
from releases.scoring.method import (
    HOLDS,
    OVERSTATED,
    SUBSTANTIALLY_OVERSTATED,
    THRESHOLDS,
    UNVERIFIED,
    common_flags,
    compare_conditions,
    is_independent,
    setting_value,
    target_variants,
    verdict_for_gap,
)


@dataclass(frozen=True)
class LengthRule:
    """How a benchmark's authors define effective length: against a share of the model's own
    base score ("relative"), against one absolute score ("absolute"), or not at all ("none").
    The numbers are this module's constants, read when a curve is scored."""

    authors: str
    kind: str

    @property
    def derives_length(self) -> bool:
        return self.kind != "none"

    def threshold(self, base_score: float | None) -> float | None:
        """The score a length must reach on a curve, or None when the rule cannot apply."""
        if self.kind == "relative":
            return None if base_score is None else EFFECTIVE_LENGTH_FRACTION * base_score
        if self.kind == "absolute":
            return RULER_THRESHOLD
        return None


# NoLiMa's definition: a length counts as effective while the score stays at or above this
# share of the model's own short-context ("base") score.
EFFECTIVE_LENGTH_FRACTION = 0.85
# RULER's definition: a length counts while the score beats Llama2-7B's score at 4K tokens, the
# bar its authors set for every model (RULER README).
RULER_THRESHOLD = 85.6

# Benchmarks that score a model at growing context lengths (slugs of the curated benchmarks),
# each with its authors' effective-length rule.
LENGTH_RULES: Mapping[str, LengthRule] = {
    "nolima": LengthRule(authors="NoLiMa", kind="relative"),
    "ruler": LengthRule(authors="RULER", kind="absolute"),
    # No published rule; its 0-token column is about eight questions, too few to be a base.
    "fiction-livebench": LengthRule(authors="Fiction.LiveBench", kind="none"),
}
LONG_CONTEXT_BENCHMARKS = tuple(LENGTH_RULES)

# Where a benchmark's authors publish each tested model's claimed and effective length (slugs of
# the curated benchmarks): the source of `Peers`.
AUTHORS_LENGTH_TABLES: Mapping[str, str] = {"nolima": "nolima-effective-length"}


def peer_shortfalls(rows: Iterable[tuple[float, float | None, bool]]) -> tuple[float, ...]:
    """Shortfalls in doublings from (effective, claimed, effective is a bound) rows, sorted.

    Bounds ("<1K") and rows without a claimed length are left out: a bound is no value.
    """
    return tuple(
        sorted(
            math.log2(claimed / effective)
            for effective, claimed, bound in rows
            if not bound and claimed and effective > 0
        )
    )


# The two condition keys that place a measurement on the length curve.
_LENGTH = "context_tokens"
_BASE = "context"


def effective_length(base_score: float, scores_by_length: Mapping[int, float]) -> tuple[int, str]:
    """NoLiMa's rule on one curve: (effective length, bound); see `length_on_curve`."""
    return length_on_curve(EFFECTIVE_LENGTH_FRACTION * base_score, scores_by_length)


def ruler_effective_length(scores_by_length: Mapping[int, float]) -> tuple[int, str]:
    """RULER's rule on one curve: lengths must score above RULER_THRESHOLD ("beat" it)."""
    return length_on_curve(RULER_THRESHOLD, scores_by_length, strictly_above=True)


def length_on_curve(
    threshold: float, scores_by_length: Mapping[int, float], *, strictly_above: bool = False
) -> tuple[int, str]:
    """(effective length, bound) from one curve and the score a length must reach.

    Walks the tested lengths from the shortest and stops at the first that falls short. The
    bound says what the number means: "exact"; "upper" when even the shortest length failed (the
    effective length is below it); "lower" when the longest length tested still passed (it may
    be longer).
    """
    if not scores_by_length:
        raise ValueError("a curve needs at least one tested length")
    lengths = sorted(scores_by_length)
    passed = None
    for length in lengths:
        score = scores_by_length[length]
        if score < threshold or (strictly_above and score == threshold):
            break
        passed = length
    if passed is None:
        return lengths[0], "upper"
    if passed == lengths[-1]:
        return passed, "lower"
    return passed, "exact"


def score_context_window(
    claim: ClaimInput,
    measurements: Iterable[MeasuredFigure],
    as_of: date,
    *,
    peers: Mapping[str, Peers] | None = None,
) -> Score:
    if claim.stated_value is None or claim.stated_value <= 0:
        raise ValueError(f"claim {claim.id} states no context length")
    targets, mismatch = target_variants(claim)
    names = {v.id: v.name for v in targets}
    lengths, shown = _curves(claim, measurements, names, as_of)
    if not lengths:
        return Score(verdict=UNVERIFIED, flags=_flags((), as_of, mismatch), curves=shown)

    # One figure per evaluator: its curve with the longest effective length (of its benchmarks
    # and of the public variants), the reading most generous to the vendor; an exact length is
    # preferred to a bound, which says less.
    best: dict[str, Used] = {}
    for used in lengths:
        evaluator = normalize_name(used.evaluator)
        held = best.get(evaluator)
        if held is None or _preference(used) > _preference(held):
            best[evaluator] = used
    used_all = tuple(best[key] for key in sorted(best))
    exact = [u for u in used_all if u.bound == "exact"]
    flags = _flags(used_all, as_of, mismatch)
    stated = claim.stated_value

    if exact:
        # Aggregate in doublings: the median of log2(effective length), back in tokens.
        effective = 2 ** statistics.median(math.log2(u.value) for u in exact)
        gap = math.log2(stated / effective)
        verdict = verdict_for_gap(gap, None, None, TOKENS)
        known = peers or {}
        return Score(
            verdict=verdict,
            flags=flags,
            aggregate=effective,
            spread=max(u.value for u in exact) - min(u.value for u in exact),
            gap=gap,
            used=used_all,
            curves=shown,
            peers=tuple(known[u.benchmark] for u in exact if u.benchmark in known),
        )
    # Only bounds: a verdict only where every bound points the same way and decides it.
    verdict, note = _verdict_from_bounds(stated, used_all)
    return Score(verdict=verdict, flags=flags, used=used_all, curves=shown, notes=(note,))


def _preference(u: Used) -> tuple:
    return (u.bound == "exact", u.value, u.benchmark)


def _verdict_from_bounds(stated: float, used: tuple[Used, ...]) -> tuple[str, str]:
    """The verdict when no test found an exact effective length, and why."""
    holds_within, substantial_from = THRESHOLDS[TOKENS]
    bounds = {u.bound for u in used}
    if bounds == {"upper"}:
        # Effective length below the shortest length tested: the shortfall is at least this.
        shortest_gap = min(math.log2(stated / u.value) for u in used)
        if shortest_gap >= substantial_from:
            return SUBSTANTIALLY_OVERSTATED, "the model failed even the shortest length tested"
        if shortest_gap > holds_within:
            return OVERSTATED, "the model failed even the shortest length tested"
        return UNVERIFIED, "the model failed even the shortest length tested"
    if bounds == {"lower"}:
        if all(u.value >= stated for u in used):
            return HOLDS, "the model passed every length tested, up to the claimed one"
        return UNVERIFIED, "every test stopped while the model still passed"
    return UNVERIFIED, "the tests' bounds point different ways"


def _curves(
    claim: ClaimInput, measurements: Iterable[MeasuredFigure], names: dict[int, str], as_of: date
) -> tuple[list[Used], tuple[Curve, ...]]:
    """Each (evaluator, benchmark, variant) curve at its latest date: as an effective length
    where its benchmark has a rule, else as its scores per length."""
    points: dict[tuple[str, str, int, str], list[MeasuredFigure]] = {}
    benchmark_names = {}
    for m in measurements:
        if (
            m.benchmark.slug in LENGTH_RULES
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
    lengths: list[Used] = []
    shown: list[Curve] = []
    for (evaluator, benchmark, variant_id, _), rows in sorted(points.items()):
        newest = max(m.as_of for m in rows)
        rows = sorted((m for m in rows if m.as_of == newest), key=lambda m: m.id)
        known = all(m.as_of_known for m in rows)
        base = [m for m in rows if _is_base(m)]
        scores: dict[int, float] = {}
        for m in rows:
            length = _length(m)
            if length:
                scores.setdefault(length, m.value)
        rule = LENGTH_RULES[benchmark]
        if not rule.derives_length:
            per_length = dict(scores)
            if base:
                per_length.setdefault(0, base[0].value)
            shown.append(
                Curve(
                    evaluator=evaluator,
                    benchmark=benchmark,
                    benchmark_name=benchmark_names[benchmark],
                    variant=names[variant_id],
                    as_of=newest,
                    as_of_known=known,
                    points=tuple(sorted(per_length.items())),
                    measurement_ids=tuple(m.id for m in rows),
                )
            )
            continue
        threshold = rule.threshold(base[0].value if base else None)
        if not scores or threshold is None:
            continue  # half a curve has no effective length
        # RULER's lengths must beat its bar; NoLiMa's may equal 85% of the base.
        length, bound = length_on_curve(threshold, scores, strictly_above=rule.kind == "absolute")
        lengths.append(
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
                as_of_known=known,
            )
        )
    return lengths, tuple(shown)


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
