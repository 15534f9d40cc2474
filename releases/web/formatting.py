"""Numbers, gaps, conditions and uncertainties as the public pages write them. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from releases.methodology.rules import conditions_text
from releases.scoring import method
from releases.scoring.explanation import format_date, format_value
from releases.scoring.inputs import ELO, PERCENT, RANK, SCORE, TOKENS

__all__ = [
    "conditions_words",
    "date_words",
    "gap_words",
    "uncertainty_words",
    "value_words",
]


def value_words(value: float | None, unit: str | None) -> str:
    if value is None:
        return "–"
    if unit is None:
        return f"{value:g}"
    if unit == PERCENT:
        # Measured percentages keep the precision the source gave, up to two decimals.
        return f"{value:.2f}".rstrip("0").rstrip(".") + "%"
    return format_value(value, unit)


def date_words(day: dt.date | None) -> str:
    """An evaluator's date as a reader writes it; an unknown date is said to be unknown."""
    return format_date(day) if day is not None else "date unknown"


def gap_words(
    gap: float | None, relative: float | None, unit: str | None, win_probability: float | None
) -> str:
    """The gap in the unit's own terms, signed so that positive means the claim flatters."""
    if gap is None:
        return "no gap computed"
    if unit == PERCENT:
        text = f"{gap:+.1f} points"
        if relative is not None:
            text += f" ({relative:+.0%} of the measured value)"
        return text
    if unit == ELO:
        text = f"{gap:+.0f} rating points"
        if win_probability is not None:
            text += (
                f" (the claimed rating would win {win_probability:.0%} of head-to-head votes "
                "against the measured one)"
            )
        return text
    if unit == TOKENS:
        times = 2 ** abs(gap)
        direction = "longer than" if gap >= 0 else "shorter than"
        return f"{gap:+.1f} doublings (the claimed length is {times:,.0f} times {direction} the length that works)"
    if unit == RANK:
        return f"{gap:+.0f} places"
    if unit == SCORE and relative is not None:
        return f"{relative:+.0%} of the measured value"
    return f"{gap:+.3g}"


def uncertainty_words(
    *, std_error: float | None, ci_low: float | None, ci_high: float | None, sample_size: int | None
) -> str:
    """What the source published about a figure's uncertainty, and what it means."""
    parts = []
    if ci_low is not None and ci_high is not None:
        parts.append(f"95% interval {ci_low:g} to {ci_high:g}")
    if std_error is not None:
        parts.append(f"standard error {std_error:.3g}")
    if sample_size is not None:
        parts.append(f"{sample_size:,} samples")
    return "; ".join(parts) if parts else "none published"


# What the uncertainty columns mean, said once under each table of measurements.
UNCERTAINTY_MEANING = (
    "A 95% interval is the range the true value lies in 19 times in 20; a standard error s "
    f"gives such an interval about {method.Z_95:.2f} s either side of the figure. "
    "“None published” means the source gave no uncertainty, and none is guessed."
)


def conditions_words(conditions: Mapping[str, Any] | None) -> str:
    return conditions_text(conditions or {})
