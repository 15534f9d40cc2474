"""The units figures come in, and how each is written: the one formatter every interface uses.

The scoring's sentences, the methodology page and the admin all print figures, gaps and
thresholds through these functions, so "69.8%", "128 rating points" and "3 doublings" are
written one way everywhere. Pure: no Django.
"""

from __future__ import annotations

from datetime import date

# Units, as Benchmark.unit stores them.
PERCENT = "percent"
ELO = "elo"
TOKENS = "tokens"
RANK = "rank"
SCORE = "score"
UNITS = (PERCENT, ELO, TOKENS, RANK, SCORE)

# What "±" means wherever a sentence prints it: one standard error, never a 95% interval (an
# interval is printed as its two ends, with its level).
PLUS_MINUS_MEANS = "one standard error"


def format_number(value: float) -> str:
    """A constant as a reader writes it: 3, 0.5, 1e-06 (no trailing zeros)."""
    return f"{value:g}"


def format_share(value: float) -> str:
    """A fraction as a percentage: 0.85 -> "85%"."""
    return f"{value * 100:g}%"


def format_tokens(value: float) -> str:
    """A length in tokens: 1K, 10M, 400."""
    # Round to three significant digits first, so 999,500 reads "1M", not "1e+03K".
    value = float(f"{value:.3g}")
    for size, suffix in ((1_000_000, "M"), (1_000, "K")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.0f}"


def format_value(value: float, unit: str) -> str:
    """A figure as readers write it: 69.8%, 1417, 10M tokens, #3."""
    if unit == PERCENT:
        return f"{value:.1f}%"
    if unit == ELO:
        return f"{value:.0f}"
    if unit == TOKENS:
        return f"{format_tokens(value)} tokens"
    if unit == RANK:
        return f"#{value:.0f}"
    return f"{value:.0f}" if abs(value) >= 1000 or value == int(value) else f"{value:.1f}"


def format_bare(value: float, unit: str) -> str:
    """A figure without its unit sign, at the same precision (the ends of an interval)."""
    if unit == PERCENT:
        return f"{value:.1f}"
    if unit == TOKENS:
        return format_tokens(value)
    return format_value(value, unit).lstrip("#")


def format_uncertainty(
    unit: str,
    *,
    std_error: float | None = None,
    ci_low: float | None = None,
    ci_high: float | None = None,
) -> str:
    """How sure a figure is, as the source gives it, saying which measure it is.

    A source's own 95% interval is printed as its ends; otherwise a standard error as "± s
    (one standard error)". Empty when neither is known, or for units no uncertainty applies to.
    """
    if unit not in (PERCENT, ELO, SCORE):
        return ""
    if ci_low is not None and ci_high is not None:
        return f"95% interval {format_bare(ci_low, unit)}–{format_bare(ci_high, unit)}"
    if std_error is not None:
        return f"± {std_error:.1f}, {PLUS_MINUS_MEANS}"
    return ""


# What a gap is counted in, per unit: one vocabulary for every place a gap is written.
GAP_WORDS = {PERCENT: "points", ELO: "rating points", TOKENS: "doublings", RANK: "places"}


def format_gap(gap: float | None, unit: str) -> str:
    """A signed gap in the unit's own terms, as the methodology's steps and the admin show it."""
    if gap is None:
        return "–"
    digits = {PERCENT: 2, ELO: 1, TOKENS: 2, RANK: 0}
    if unit not in digits:
        return f"{gap:+.3g}"
    return f"{gap:+.{digits[unit]}f} {GAP_WORDS[unit]}"


def format_gap_size(size: float, unit: str) -> str:
    """An unsigned gap as a sentence says it: "2.8 points", "128 rating points"."""
    size = abs(size)
    digits = {PERCENT: 1, ELO: 0, RANK: 0, TOKENS: 1}
    if unit in digits:
        return f"{size:.{digits[unit]}f} {GAP_WORDS[unit]}"
    if unit == SCORE:
        return f"{size:.0%}"
    return f"{size:.3g}"


def format_threshold(value: float, unit: str) -> str:
    """A threshold in its unit's gap terms, exactly as the methodology page prints it."""
    if unit in GAP_WORDS:
        words = GAP_WORDS[unit]
        if value == 1 and unit in (TOKENS, RANK):
            words = words.removesuffix("s")  # "1 doubling", "1 place"
        return f"{format_number(value)} {words}"
    if unit == SCORE:
        return f"{format_share(value)} of the measured value"
    return format_number(value)


def format_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
