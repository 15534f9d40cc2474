"""The one sentence a journalist can quote, built from the score alone.

Every interface (public pages, the API, the admin, the CSV export) shows this sentence, so it is
made here, once, from the same numbers stored beside it: who claimed what, what independent
evaluators measured on which model, and the verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from releases.scoring.inputs import (
    COMPARISON,
    CONTEXT_WINDOW,
    ELO,
    PERCENT,
    QUALITATIVE,
    RANK,
    SCORE,
    TOKENS,
    Claim,
    Score,
    Used,
)
from releases.scoring.method import (
    HOLDS,
    NOT_COMPARABLE,
    OVERSTATED,
    STALE,
    SUBSTANTIALLY_OVERSTATED,
    THRESHOLDS,
    UNDERSTATED,
    UNVERIFIED,
    VARIANT_MISMATCH,
    at_threshold_precision,
)

VERDICT_WORDS = {
    HOLDS: "the claim holds",
    OVERSTATED: "overstated",
    SUBSTANTIALLY_OVERSTATED: "substantially overstated",
    UNDERSTATED: "understated (the model did better than claimed)",
    UNVERIFIED: "unverified",
    NOT_COMPARABLE: "not comparable",
}


def explain(claim: Claim, score: Score, as_of: date) -> str:
    if claim.kind == QUALITATIVE:
        return (
            f"{claim.release.vendor} made a qualitative claim about {claim.release.name}; "
            f"claimsdb scores only figures and comparisons: {VERDICT_WORDS[score.verdict]}."
        )
    if claim.kind == COMPARISON:
        return _comparison(claim, score, as_of)
    if claim.stated_value is None or (claim.kind != CONTEXT_WINDOW and claim.benchmark is None):
        # The database requires both for these kinds; say so rather than fail if one is missing.
        return (
            f"{claim.release.vendor} made a claim about {claim.release.name} that states no "
            f"figure to check: {VERDICT_WORDS[score.verdict]}."
        )
    if claim.kind == CONTEXT_WINDOW:
        return _context_window(claim, score, as_of)
    return _figure(claim, score, as_of)


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


def format_tokens(value: float) -> str:
    # Round to three significant digits first, so 999,500 reads "1M", not "1e+03K".
    value = float(f"{value:.3g}")
    for size, suffix in ((1_000_000, "M"), (1_000, "K")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.0f}"


def format_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _subject(claim: Claim) -> str:
    return claim.release.name


def _claimed(claim: Claim) -> str:
    assert claim.benchmark is not None and claim.stated_value is not None
    text = (
        f"{claim.release.vendor} claimed {format_value(claim.stated_value, claim.benchmark.unit)} "
        f"on {claim.benchmark.name} for {_subject(claim)}"
    )
    if claim.variant is not None and not claim.variant.is_public:
        text += f", a figure from the unreleased {claim.variant.name}"
    return text


def _figure(claim: Claim, score: Score, as_of: date) -> str:
    assert claim.benchmark is not None
    unit = claim.benchmark.unit
    claimed = _claimed(claim)
    if score.verdict == UNVERIFIED:
        # Only the tracked leaderboards are known: never "nobody has measured it".
        sentence = (
            f"{claimed}; none of the leaderboards claimsdb tracks has measured the public model "
            f"on it"
        )
        if score.context:
            sentence += f" ({_measured_list(score.context, unit)}, a build users cannot get)"
        return f"{sentence}: unverified."
    if score.verdict == NOT_COMPARABLE:
        return (
            f"{claimed}; independent measurements of the public model exist only under other "
            f"conditions (another category, setting or slice of the benchmark): not comparable."
        )
    assert score.gap is not None and score.aggregate is not None
    if len(score.used) == 1:
        measured = _measured_list(score.used, unit)
    else:
        measured = (
            f"{len(score.used)} independent evaluators measured "
            f"{format_value(score.aggregate, unit)} combined ({_measured_list(score.used, unit, verb=False)})"
        )
    sentence = f"{claimed}; {measured}, {_gap_words(score, unit)}"
    if (
        score.verdict == HOLDS
        and score.z is not None
        and abs(at_threshold_precision(_gap_size(score, unit))) > THRESHOLDS[unit][0]
    ):
        sentence += f", within the measurements' uncertainty (z = {score.z:.1f})"
    if score.context and VARIANT_MISMATCH in score.flags:
        context = _measured_list(score.context, unit, verb=False)
        sentence += f"; the unreleased build itself had {context}"
    sentence += _stale_words(score, as_of)
    return f"{sentence}: {VERDICT_WORDS[score.verdict]}."


def _gap_size(score: Score, unit: str) -> float:
    if unit == SCORE and score.gap_relative is not None:
        return score.gap_relative
    return score.gap or 0.0


def _measured_list(used: Sequence[Used], unit: str, verb: bool = True) -> str:
    parts = []
    for u in used:
        value = format_value(u.value, unit)
        if u.std_error is not None and unit in (PERCENT, ELO):
            value += f" ± {u.std_error:.1f}"
        if verb:
            parts.append(f"{u.evaluator} measured {value} on {u.variant} ({format_date(u.as_of)})")
        else:
            parts.append(f"{u.evaluator} {value} on {u.variant}")
    return "; ".join(parts) if verb else ", ".join(parts)


def _gap_words(score: Score, unit: str) -> str:
    gap = score.gap
    assert gap is not None
    direction = "below" if gap > 0 else "above"
    if unit == PERCENT:
        return f"{abs(gap):.1f} points {direction} the claim"
    if unit == ELO:
        assert score.win_probability is not None
        return (
            f"{abs(gap):.0f} rating points {direction} the claim (the claimed rating would win "
            f"{score.win_probability:.0%} of head-to-head votes against the measured one)"
        )
    if unit == RANK:
        return f"{abs(gap):.0f} places {direction} the claim"
    if unit == TOKENS:
        return f"{abs(gap):.1f} doublings {direction} the claim"
    if unit == SCORE and score.gap_relative is not None:
        return f"{abs(score.gap_relative):.0%} {direction} the claim"
    return f"{abs(gap):.3g} {direction} the claim"


def _stale_words(score: Score, as_of: date) -> str:
    if STALE not in score.flags or not score.used:
        return ""
    newest = max(u.as_of for u in score.used)
    return f", and the newest measurement dates from {format_date(newest)}"


def _context_window(claim: Claim, score: Score, as_of: date) -> str:
    assert claim.stated_value is not None
    claimed = (
        f"{claim.release.vendor} claimed a {format_tokens(claim.stated_value)}-token context "
        f"window for {_subject(claim)}"
    )
    if score.verdict == UNVERIFIED and not score.used:
        return (
            f"{claimed}; none of the leaderboards claimsdb tracks has published a long-context "
            f"test of the public model: unverified."
        )
    found = []
    for u in score.used:
        length = format_tokens(u.value)
        if u.bound == "upper":
            reach = f"under {length} tokens"
        elif u.bound == "lower":
            reach = f"at least {length} tokens (the longest length tested)"
        else:
            reach = f"{length} tokens"
        found.append(f"{reach} on {u.benchmark_name or u.benchmark} ({u.evaluator}, {u.variant})")
    assert score.gap is not None
    side = "short of" if score.gap >= 0 else "beyond"
    return (
        f"{claimed}; independent long-context tests put its effective length at "
        f"{' and '.join(found)}, {abs(score.gap):.1f} doublings {side} the claim"
        f"{_stale_words(score, as_of)}: {VERDICT_WORDS[score.verdict]}."
    )


def _comparison(claim: Claim, score: Score, as_of: date) -> str:
    rivals = " and ".join(r.name for r in claim.compared_with) or "its rivals"
    claimed = f"{claim.release.vendor} claimed {_subject(claim)} beats {rivals}"
    if not score.comparisons:
        return (
            f"{claimed}; none of the leaderboards claimsdb tracks has measured both on the same "
            f"benchmark: unverified."
        )
    held = sum(1 for c in score.comparisons if c.outcome == "held")
    failed = sum(1 for c in score.comparisons if c.outcome == "failed")
    level = len(score.comparisons) - held - failed
    benchmarks = len({c.benchmark for c in score.comparisons})
    return (
        f"{claimed}; independent measurements on {benchmarks} "
        f"benchmark{'s' if benchmarks != 1 else ''} put it ahead in "
        f"{held} of {len(score.comparisons)} head-to-head comparisons (behind in {failed}, level "
        f"in {level}){_stale_words(score, as_of)}: {VERDICT_WORDS[score.verdict]}."
    )
