"""The method's constants and rules as the /methodology/ page words and formats them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from releases.conditions import canonical_conditions
from releases.importers.epoch import PLACEHOLDER_AFTER_ROWS
from releases.scoring import comparison as comparison_method
from releases.scoring import context_window, explanation, method, units
from releases.scoring.units import (
    ELO,
    PERCENT,
    RANK,
    SCORE,
    TOKENS,
    format_number,
    format_share,
    format_threshold,
)


def _threshold_note(value: float, unit: str) -> str:
    """What a threshold means in other words, computed from it."""
    if unit == ELO:
        return f"the higher rating wins {method.win_probability(value):.0%} of head-to-head votes"
    if unit == TOKENS:
        return f"the claimed length is {format_number(2**value)} times the length that works"
    return ""


def ci_level() -> str:
    """The confidence of the interval Z_95 standard errors wide (two-sided, normal): 95%."""
    return f"{math.erf(method.Z_95 / math.sqrt(2)):.0%}"


def fixed(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def conditions_text(conditions: Mapping[str, Any]) -> str:
    canonical = canonical_conditions(conditions)
    return ", ".join(f"{k}={v}" for k, v in canonical.items()) or "none stated"


# --- The method's constants, as the page shows them ------------------------------------------

UNIT_NAMES = {
    PERCENT: "Percentages (accuracy, pass rate)",
    ELO: "Arena ratings (Elo)",
    TOKENS: "Context windows (tokens)",
    RANK: "Leaderboard ranks",
    SCORE: "Other scores (indices, chrF)",
}

GAP_TERMS = {
    PERCENT: "points: stated minus measured",
    ELO: "rating points: stated minus measured",
    TOKENS: "doublings: log2(stated / effective length)",
    RANK: "places: measured rank minus stated rank",
    SCORE: "relative: (stated − measured) / measured",
}


def constants() -> dict[str, Any]:
    """Every constant of the method the page mentions, formatted, read now."""
    return {
        "method_version": method.METHOD_VERSION,
        "method_changes": [
            {"version": version, "change": change} for version, change in method.METHOD_CHANGES
        ],
        "z_95": f"{method.Z_95:.2f}",
        "ci_level": ci_level(),
        "z_significant": format_number(method.Z_SIGNIFICANT),
        "z_significant_level": f"{math.erf(method.Z_SIGNIFICANT / math.sqrt(2)):.0%}",
        "stale_days": format_number(method.STALE_AFTER.days),
        "min_std_error": format_number(method.MIN_STD_ERROR),
        "scope_keys": sorted(method.SCOPE_KEYS),
        "material_settings": list(method.MATERIAL_SETTINGS),
        "setting_defaults": [
            f"{key} = {value}" for key, value in sorted(method.SETTING_DEFAULTS.items())
        ],
        "effective_fraction": format_share(context_window.EFFECTIVE_LENGTH_FRACTION),
        "ruler_threshold": format_number(context_window.RULER_THRESHOLD),
        "long_context_benchmarks": list(context_window.LONG_CONTEXT_BENCHMARKS),
        "length_rules": length_rule_rows(),
        "comparison_holds_above": format_share(comparison_method.COMPARISON_HOLDS_ABOVE),
        "comparison_behind_above": format_share(comparison_method.COMPARISON_BEHIND_ABOVE),
        "comparison_behind_at_least": format_number(comparison_method.COMPARISON_BEHIND_AT_LEAST),
        "aggregate_indices": list(comparison_method.AGGREGATE_INDICES),
        "plus_minus_means": units.PLUS_MINUS_MEANS,
        "placeholder_after_rows": format_number(PLACEHOLDER_AFTER_ROWS),
        "same_benchmark_rule": method.SAME_BENCHMARK_RULE,
        "verdict_words": explanation.VERDICT_WORDS,
    }


def length_rule_rows() -> list[dict[str, Any]]:
    """Each long-context benchmark's effective-length rule, in words, from the constants."""
    words = {
        "relative": "the longest tested length up to which the score stays at or above "
        f"{format_share(context_window.EFFECTIVE_LENGTH_FRACTION)} of the model's own "
        "short-context (base) score",
        "absolute": "the longest tested length up to which the score beats "
        f"{format_number(context_window.RULER_THRESHOLD)}, Llama2-7B's score at 4K tokens, "
        "the same bar for every model",
        "none": "no published rule",
    }
    return [
        {
            "benchmark": slug,
            "authors": rule.authors,
            "rule": words[rule.kind],
            "derives_length": rule.derives_length,
        }
        for slug, rule in context_window.LENGTH_RULES.items()
    ]


def threshold_rows() -> list[dict[str, str]]:
    """The verdict table: one row per unit in THRESHOLDS, in its order."""
    rows = []
    for unit, (holds_within, substantial_from) in method.THRESHOLDS.items():
        rows.append(
            {
                "unit": unit,
                "name": UNIT_NAMES.get(unit, unit),
                "gap": GAP_TERMS.get(unit, "stated minus measured"),
                "holds_within": format_threshold(holds_within, unit),
                "holds_note": _threshold_note(holds_within, unit),
                "substantial_from": format_threshold(substantial_from, unit),
                "substantial_note": _threshold_note(substantial_from, unit),
            }
        )
    return rows


def verdict_rows() -> list[dict[str, str]]:
    z = format_number(method.Z_SIGNIFICANT)
    meanings = {
        method.HOLDS: "The gap is within the unit's “holds” threshold, or larger but within the "
        f"measurements' uncertainty (|z| below {z}).",
        method.OVERSTATED: "The claim is above what was measured, by more than the “holds” "
        f"threshold and by more than the uncertainty (|z| at least {z}, where known).",
        method.SUBSTANTIALLY_OVERSTATED: "Overstated, and the gap reaches the unit's "
        "“substantially overstated” threshold.",
        method.UNDERSTATED: "The model did better than claimed, beyond the “holds” threshold and "
        "the uncertainty.",
        method.UNVERIFIED: "No independent evaluator has published a comparable measurement of "
        "the public model (or, for a context window, the tests cannot decide either way).",
        method.NOT_COMPARABLE: "Independent measurements of the public model exist, but only "
        "under other conditions (another category or slice of the benchmark, another setting), "
        "or only of another checkpoint than the one the figure is for (the instruct model for a "
        "base-model figure): a different model on a different set-up, shown and not compared.",
    }
    return [
        {"name": name, "words": explanation.VERDICT_WORDS[name], "meaning": meaning}
        for name, meaning in meanings.items()
    ]


def flag_rows() -> list[dict[str, str]]:
    stale = format_number(method.STALE_AFTER.days)
    return [
        {
            "name": method.VARIANT_MISMATCH,
            "meaning": "The vendor's figure came from a build users cannot get (the score is "
            "against the public model), or from another checkpoint than the one measured (then "
            "the figure is not comparable, and the measured checkpoint is shown beside it).",
        },
        {
            "name": method.CONDITIONS_MISMATCH,
            "meaning": "A setting that moves scores a lot is stated on one side only, so the "
            "two set-ups cannot be confirmed to be the same.",
        },
        {
            "name": method.SINGLE_SOURCE,
            "meaning": "Only one independent evaluator measured it.",
        },
        {
            "name": method.STALE,
            "meaning": f"The newest measurement used is more than {stale} days older than the "
            "date the score is computed as of.",
        },
    ]
