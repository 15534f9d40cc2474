"""The reality gap, step by step: the method the /methodology/ page explains.

Read top to bottom, this module is the methodology. Every threshold is a named constant with the
reason for its value; the methodology page renders these same constants, so the page and the
code cannot drift apart. Pure functions: plain inputs (`releases.scoring.inputs`), an `as_of`
date passed in, no database, no I/O, no clock.

1. Comparable measurements: same benchmark, the same slice of it, compatible settings, an
   evaluator other than the vendor, published on or before `as_of`.
2. The model users get: the claim is scored against the release's public variants. A figure
   from an unreleased build is scored against the public model, with the unreleased build's own
   measurements kept as context and the variant-mismatch flag set.
3. One figure per evaluator: its latest comparable measurement as of the date.
4. Uncertainty: the source's standard error, else its 95% interval, else binomial from the
   number of items; otherwise unknown.
5. Aggregate: inverse-variance weighted mean when every figure's uncertainty is known, else the
   median. The spread (highest minus lowest) is kept.
6. Gap, signed so that positive means the claim flatters the model, in the unit's own terms.
7. z = gap / sqrt(s_claim^2 + s_measured^2), when the measured uncertainty is known.
8. Verdict from the gap, the unit's thresholds and z; flags beside it.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from releases.conditions import canonical_conditions
from releases.names import normalize_name
from releases.scoring.inputs import (
    ELO,
    PERCENT,
    RANK,
    SCORE,
    TOKENS,
    Benchmark,
    ClaimInput,
    MeasuredFigure,
    Used,
    Variant,
)

# Bump when a change to this package can change a verdict; every stored score keeps the version
# it was computed with, so old verdicts stay explainable.
METHOD_VERSION = "2.1"

# What each version changed, newest first (shown on the methodology page).
METHOD_CHANGES: tuple[tuple[str, str], ...] = (
    (
        "2.1",
        "A figure stated for one public checkpoint (a base model, few-shot) is no longer scored "
        "against another checkpoint's measurements (the instruct model): it is not comparable, "
        "and the other checkpoint's scores are shown beside it.",
    ),
    (
        "2.0",
        "Each long-context test read by its authors' rule; bounds never used as values; only "
        "evaluators' own dates printed; the unreleased build read at the claim's date; "
        "comparisons on one leaderboard publication, without aggregate indices.",
    ),
)

# --- Verdicts and flags (the words readers see) ---------------------------------------------

HOLDS = "holds"
OVERSTATED = "overstated"
SUBSTANTIALLY_OVERSTATED = "substantially_overstated"
UNDERSTATED = "understated"
UNVERIFIED = "unverified"
NOT_COMPARABLE = "not_comparable"
VERDICTS = (HOLDS, OVERSTATED, SUBSTANTIALLY_OVERSTATED, UNDERSTATED, UNVERIFIED, NOT_COMPARABLE)

VARIANT_MISMATCH = "variant_mismatch"
CONDITIONS_MISMATCH = "conditions_mismatch"
SINGLE_SOURCE = "single_source"
STALE = "stale"

# --- 1. Which measurements are comparable ----------------------------------------------------

# Only the same benchmark enters a verdict, and "the same" is one rule for every source, vendor
# or evaluator: a figure is filed under a subset (GPQA Diamond) only when its source names that
# subset; a bare "GPQA" is the benchmark as a whole, a different benchmark from its Diamond
# subset, whoever wrote it. Related benchmarks are shown beside a verdict, never in it.
SAME_BENCHMARK_RULE = (
    "A figure is filed under a subset of a benchmark (GPQA Diamond) only when its source names "
    "the subset; a bare name (GPQA) is the benchmark as a whole, whoever wrote it, a vendor's "
    "post or an evaluator's table alike."
)

# Keys that say which slice of a benchmark a figure covers: LMArena's "coding" category, one
# LiveBench task, NoLiMa at 8K tokens. A figure for one slice says nothing about another slice
# or the whole, so these must match exactly; absent means the whole benchmark.
SCOPE_KEYS = frozenset(
    {
        "category",
        "task",
        "context",
        "context_tokens",
        "book",
        "direction",
        "subset",
        "language",
        # LiveCodeBench's problems of one release date: a slice, pooled over a claim's window
        # of dates by `releases.scoring.windows` before it can stand for a claim.
        "problem_date",
    }
)

# Settings that move a score a lot (the number of examples in the prompt, chain of thought,
# pass@k or attempts, tool use, LMArena's style control). Stated on both sides and different:
# not comparable. Stated on one side only: comparable, but we cannot confirm the setup was the
# same, so the score carries the conditions-mismatch flag. Other keys (metric names, prompt,
# edit format, scaffold) describe the setup without being a different test; they are shown, not
# matched.
MATERIAL_SETTINGS = ("shots", "cot", "pass@k", "attempts", "tools", "style_control")

# A setting a source leaves unstated takes the default it documents. LMArena's default view had
# no style control until May 2025, and the launch claims of that time quote the default view.
SETTING_DEFAULTS: Mapping[str, Any] = {"style_control": False}


def compare_conditions(claim: Mapping[str, Any], measured: Mapping[str, Any]) -> str:
    """ "same", "unconfirmed" (a material setting stated on one side only) or "incompatible"."""
    claim = {**SETTING_DEFAULTS, **canonical_conditions(claim)}
    measured = {**SETTING_DEFAULTS, **canonical_conditions(measured)}
    for key in SCOPE_KEYS:
        if _same_value(claim.get(key), measured.get(key)) is False:
            return "incompatible"
    unconfirmed = False
    for key in MATERIAL_SETTINGS:
        if key in claim and key in measured:
            if not _same_value(claim[key], measured[key]):
                return "incompatible"
        elif key in claim or key in measured:
            unconfirmed = True
    return "unconfirmed" if unconfirmed else "same"


def _same_value(a: Any, b: Any) -> bool:
    # Sources write the same setting as 5, 5.0 and "5", or True and "true".
    return setting_value(a) == setting_value(b)


def setting_value(value: Any) -> Any:
    """A condition's value in one form for comparing: numbers as floats, text case-folded."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().casefold()
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text


def is_independent(evaluator: str, vendor: str) -> bool:
    """A vendor's own figures are its claims, never a measurement of them."""
    return normalize_name(evaluator) != normalize_name(vendor)


# --- 2. The model users get ---------------------------------------------------------------------


def target_variants(claim: ClaimInput) -> tuple[tuple[Variant, ...], bool]:
    """The variants the claim is scored against, and whether that is a variant mismatch.

    A figure stated for a public variant is checked on that variant. A figure from an
    unreleased build, or from the release as a whole, is checked on every public variant.
    """
    public = claim.release.public_variants
    if claim.variant is None:
        return public, False
    if claim.variant.is_public:
        return (claim.variant,), False
    return public, True


# --- 3. One figure per evaluator ---------------------------------------------------------------


def latest_per_evaluator(
    measurements: Iterable[MeasuredFigure], as_of: date
) -> list[MeasuredFigure]:
    """Each evaluator's latest measurement on or before `as_of`, one per evaluator.

    An aggregator's copy of an evaluator's result (Epoch republishing Aider's score, dated by
    Epoch's snapshot) is the same measurement, not a newer one: rows of one evaluator with the
    same value for the same variant from different sources count once, as the copy that says
    most about its uncertainty, then the earliest. Several rows left on the evaluator's latest date (the same
    model served by two providers) are reduced to the median value. Rows that differ only in
    id count once, so a duplicated measurement cannot move the result, and nothing depends on
    the order rows arrive in.
    """
    by_evaluator: dict[str, list[MeasuredFigure]] = {}
    for m in measurements:
        if m.as_of <= as_of:
            by_evaluator.setdefault(normalize_name(m.evaluator), []).append(m)
    chosen = []
    for key in sorted(by_evaluator):
        rows = _without_republications(by_evaluator[key])
        newest = max(m.as_of for m in rows)
        distinct: dict[tuple, MeasuredFigure] = {}
        for m in sorted((m for m in rows if m.as_of == newest), key=lambda m: m.id):
            distinct.setdefault(_content(m), m)
        candidates = sorted(distinct.values(), key=_content)
        chosen.append(candidates[(len(candidates) - 1) // 2])
    return chosen


def nearest_per_evaluator(
    measurements: Iterable[MeasuredFigure], claim: ClaimInput, as_of: date
) -> list[MeasuredFigure]:
    """Each evaluator's measurement nearest the claim's date (on or before `as_of`).

    Context figures (what the unreleased build the vendor quoted scored) describe the claim, so
    they are read when the claim was made: the build's rating a month later says nothing about
    what the vendor could see. Ties go to the earlier measurement; a measurement whose date is
    unknown is never "nearest" while a dated one exists. Without a claim date, the latest.
    """
    rows = [m for m in measurements if m.as_of <= as_of]
    if claim.claimed_on is None:
        return latest_per_evaluator(rows, as_of)
    claimed_on = claim.claimed_on
    by_evaluator: dict[str, list[MeasuredFigure]] = {}
    for m in rows:
        by_evaluator.setdefault(normalize_name(m.evaluator), []).append(m)
    chosen = []
    for key in sorted(by_evaluator):
        group = by_evaluator[key]
        nearest = min(
            group, key=lambda m: (not m.as_of_known, abs((m.as_of - claimed_on).days), m.as_of)
        )
        chosen.extend(latest_per_evaluator([m for m in group if m.as_of == nearest.as_of], as_of))
    return chosen


def _without_republications(rows: list[MeasuredFigure]) -> list[MeasuredFigure]:
    """Drop other sources' copies of a result: same evaluator, variant and value.

    Only copies in *another* source are dropped: the same source publishing the same value
    again later (a re-run that came back to an earlier figure) is a newer measurement.
    """
    keeper: dict[tuple[int, float], str] = {}
    for m in sorted(rows, key=_most_informative_first):
        keeper.setdefault((m.variant_id, m.value), m.source)
    return [m for m in rows if keeper[(m.variant_id, m.value)] == m.source]


def _most_informative_first(m: MeasuredFigure) -> tuple:
    unknown = m.std_error is None and m.ci_low is None and m.sample_size is None
    return (unknown, m.as_of, m.source, _content(m), m.id)


def _content(m: MeasuredFigure) -> tuple:
    # Everything but the id: two rows equal here are the same figure.
    # The value comes first: the median of an evaluator's rows on one date is taken in this order.
    return (
        m.value,
        -1.0 if m.std_error is None else m.std_error,
        m.ci_low or 0.0,
        m.ci_high or 0.0,
        m.sample_size or 0,
        m.variant_id,
        m.model_name,
        json.dumps(canonical_conditions(m.conditions), sort_keys=True, default=str),
    )


# --- 4. Uncertainty -------------------------------------------------------------------------------

# A 95% interval is this many standard errors either side of the value (normal approximation).
Z_95 = 1.959963984540054


def standard_error(
    value: float,
    benchmark: Benchmark,
    *,
    std_error: float | None = None,
    ci_low: float | None = None,
    ci_high: float | None = None,
    sample_size: int | None = None,
) -> float | None:
    """The figure's standard error: stated, else from its 95% interval, else binomial.

    Binomial applies to percentages with a known number of items (the source's sample size, else
    the benchmark's item count): sqrt(p(1-p)/n), in points. p is kept half an item away from 0
    and 1, where the formula would claim a certainty no finite test has. None when unknown.
    """
    if std_error is not None:
        return std_error
    if ci_low is not None and ci_high is not None and ci_high > ci_low:
        return (ci_high - ci_low) / (2 * Z_95)
    n = sample_size or benchmark.item_count
    if n and benchmark.unit == PERCENT:
        p = min(max(value / 100, 0.5 / n), 1 - 0.5 / n)
        return 100 * math.sqrt(p * (1 - p) / n)
    return None


def measurement_std_error(m: MeasuredFigure) -> float | None:
    return standard_error(
        m.value,
        m.benchmark,
        std_error=m.std_error,
        ci_low=m.ci_low,
        ci_high=m.ci_high,
        sample_size=m.sample_size,
    )


# --- 5. Aggregate -----------------------------------------------------------------------------

# A stated standard error of 0 would take all the weight; no finite test is that certain.
MIN_STD_ERROR = 1e-6


def aggregate(values: Sequence[float], std_errors: Sequence[float | None]):
    """(aggregate, its standard error or None, spread) of one figure per evaluator.

    Inverse-variance weighting when every uncertainty is known: precise measurements count
    more, and the result's standard error is sqrt(1 / sum(1/s^2)). With any uncertainty unknown,
    the median, which one outlying evaluator cannot drag, and no standard error.
    """
    if not values:
        raise ValueError("nothing to aggregate")
    spread = max(values) - min(values)
    known = [s for s in std_errors if s is not None]
    if len(known) == len(std_errors):
        weights = [1 / max(s, MIN_STD_ERROR) ** 2 for s in known]
        total = sum(weights)
        mean = sum(w * v for w, v in zip(weights, values, strict=True)) / total
        return mean, math.sqrt(1 / total), spread
    return statistics.median(values), None, spread


# --- 6. The gap, in each unit's terms -----------------------------------------------------------


def signed_gap(stated: float, measured: float, benchmark: Benchmark) -> float:
    """Positive when the claim flatters the model.

    Percentages, scores and Elo ratings: stated minus measured (points, native units, rating
    points). Ranks: places, measured minus stated (a claimed #2 measured #7 is 5 places).
    Tokens (context length): log2(stated / measured), the number of doublings between the
    claimed length and the length that works.
    """
    direction = 1 if benchmark.higher_is_better else -1
    if benchmark.unit == TOKENS:
        return direction * math.log2(stated / max(measured, 1.0))
    return direction * (stated - measured)


def relative_gap(stated: float, measured: float, benchmark: Benchmark) -> float | None:
    """The gap as a share of the measured value, for percentages and scores."""
    if benchmark.unit not in (PERCENT, SCORE) or measured == 0:
        return None
    return signed_gap(stated, measured, benchmark) / abs(measured)


def win_probability(rating_difference: float) -> float:
    """Elo: the chance the claimed rating beats the measured one head to head."""
    exponent = -rating_difference / 400
    # 10 ** 309 overflows a float; long before that the chance is 0 to any printed precision.
    if exponent > 300:
        return 0.0
    return 1 / (1 + 10**exponent)


def z_score(gap: float, claim_se: float | None, measured_se: float | None) -> float | None:
    """gap / sqrt(s_claim^2 + s_measured^2); None when the measured uncertainty is unknown.

    A vendor rarely states an uncertainty. When it doesn't, and none follows from the item
    count, the claim is taken to be as uncertain as the measurement: both ran the same test.
    """
    if measured_se is None:
        return None
    s_claim = measured_se if claim_se is None else claim_se
    denominator = math.sqrt(s_claim**2 + measured_se**2)
    if denominator == 0:
        return None
    return gap / denominator


# --- 7. The verdict ------------------------------------------------------------------------------

# How far a claim may sit from the measurement and still hold, and from where it is
# substantially overstated, in each unit's gap terms.
THRESHOLDS: Mapping[str, tuple[float, float]] = {
    # Points. Independent re-runs of the same model on the same benchmark commonly differ by a
    # couple of points (prompt format, answer extraction, sampling): 3 points is within that.
    # 10 points is the distance between model generations on most benchmarks.
    PERCENT: (3.0, 10.0),
    # Rating points. 20 points is a 53% head-to-head win rate, inside the arena's own week-to-week
    # drift; 70 points is a 60% win rate, a difference users notice.
    ELO: (20.0, 70.0),
    # Doublings (log2). NoLiMa and Fiction.LiveBench test at lengths a factor of 2 to 4 apart, so
    # one doubling is the resolution of the test; 3 doublings means the claimed length is 8 times
    # the length that works.
    TOKENS: (1.0, 3.0),
    # Places. Neighbouring ranks are usually within each other's intervals; 10 places is another
    # tier of the table.
    RANK: (2.0, 10.0),
    # Relative gap for open-ended scores (ratings, indices, chrF): 5% and 20% of the measured value.
    SCORE: (0.05, 0.20),
}

# |z| at or above this is beyond the measurements' uncertainty (two-sided 95%).
Z_SIGNIFICANT = 2.0

# The newest comparable measurement older than this (counted back from `as_of`) is stale:
# models are re-served, leaderboards re-run, arena ratings drift.
STALE_AFTER = timedelta(days=365)


# Gaps are compared with thresholds at this many decimals, so that floating-point error
# (64.4 - 61.4 = 3.000000000000007) cannot move a gap of exactly 3 points across the line.
THRESHOLD_DECIMALS = 9


def at_threshold_precision(value: float) -> float:
    return round(value, THRESHOLD_DECIMALS)


def verdict_for_gap(gap: float, relative: float | None, z: float | None, unit: str) -> str:
    """Holds, overstated, substantially overstated or understated.

    The gap is compared with the unit's thresholds (for scores, the relative gap). A gap inside
    the "holds" threshold holds; so does a larger one that is within the uncertainty (|z| below
    Z_SIGNIFICANT), since the measurements cannot tell it apart from no gap at all.
    """
    holds_within, substantial_from = THRESHOLDS[unit]
    size = at_threshold_precision(relative if unit == SCORE and relative is not None else gap)
    if abs(size) <= holds_within or (z is not None and abs(z) < Z_SIGNIFICANT):
        return HOLDS
    if size < 0:
        return UNDERSTATED
    return SUBSTANTIALLY_OVERSTATED if size >= substantial_from else OVERSTATED


def common_flags(used: Sequence[Used], as_of: date, *, variant_mismatch: bool, unconfirmed: bool):
    flags = []
    if variant_mismatch:
        flags.append(VARIANT_MISMATCH)
    if unconfirmed:
        flags.append(CONDITIONS_MISMATCH)
    if len({normalize_name(u.evaluator) for u in used}) == 1:
        flags.append(SINGLE_SOURCE)
    if used and max(u.as_of for u in used) < as_of - STALE_AFTER:
        flags.append(STALE)
    return tuple(flags)
