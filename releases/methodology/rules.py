"""The method's constants and rules as the /methodology/ page words and formats them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from releases.conditions import canonical_conditions
from releases.scoring import comparison as comparison_method
from releases.scoring import context_window, explanation, method
from releases.scoring.inputs import (
    ELO,
    PERCENT,
    RANK,
    SCORE,
    TOKENS,
)

# --- Formatting: one place, so the page and its tests agree ----------------------------------


def format_number(value: float) -> str:
    """A constant as a reader writes it: 3, 0.5, 1e-06 (no trailing zeros)."""
    return f"{value:g}"


def format_share(value: float) -> str:
    """A fraction as a percentage: 0.85 -> "85%"."""
    return f"{value * 100:g}%"


def format_threshold(value: float, unit: str) -> str:
    """A THRESHOLDS value in its unit's gap terms, exactly as the page prints it."""
    if unit == PERCENT:
        return f"{format_number(value)} points"
    if unit == ELO:
        return f"{format_number(value)} rating points"
    if unit == TOKENS:
        return f"{format_number(value)} {'doubling' if value == 1 else 'doublings'}"
    if unit == RANK:
        return f"{format_number(value)} {'place' if value == 1 else 'places'}"
    if unit == SCORE:
        return f"{format_share(value)} of the measured value"
    return format_number(value)


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
        "long_context_benchmarks": list(context_window.LONG_CONTEXT_BENCHMARKS),
        "comparison_holds_above": format_share(comparison_method.COMPARISON_HOLDS_ABOVE),
        "comparison_substantial_below": format_share(
            comparison_method.COMPARISON_SUBSTANTIAL_BELOW
        ),
        "verdict_words": explanation.VERDICT_WORDS,
    }


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
        "under other conditions: another category or slice of the benchmark, another setting.",
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
            "meaning": "The vendor's figure came from a build users cannot get (or another "
            "checkpoint than the one measured); the score is against the public model.",
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
