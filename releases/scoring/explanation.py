"""The one sentence a journalist can quote, built from the score alone.

Every interface (public pages, the API, the admin, the CSV export) shows this sentence, so it is
made here, once, from the same numbers stored beside it: who claimed what (for which variant,
under which conditions), what independent evaluators measured on which model and when, and the
verdict. A date is printed only when it is the evaluator's own; "±" is always one standard
error, and a source's own 95% interval is printed as its two ends.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from releases.conditions import canonical_conditions
from releases.scoring.comparison import FAILED, HELD, rival_versions
from releases.scoring.inputs import (
    COMPARISON,
    CONTEXT_WINDOW,
    QUALITATIVE,
    ClaimInput,
    Comparison,
    Curve,
    Peers,
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
from releases.scoring.units import (
    ELO,
    SCORE,
    format_date,
    format_gap_size,
    format_tokens,
    format_uncertainty,
    format_value,
)

VERDICT_WORDS = {
    HOLDS: "the claim holds",
    OVERSTATED: "overstated",
    SUBSTANTIALLY_OVERSTATED: "substantially overstated",
    UNDERSTATED: "understated (the model did better than claimed)",
    UNVERIFIED: "unverified",
    NOT_COMPARABLE: "not comparable",
}

# How the settings that tell two claims apart are written in the claimed half of a sentence.
_SETTING_WORDS = {
    "shots": lambda v: f"{_plain(v)}-shot",
    "cot": lambda v: "with chain of thought" if _truthy(v) else "without chain of thought",
    "pass@k": lambda v: f"pass@{_plain(v)}",
    "attempts": lambda v: f"{_plain(v)} attempts",
    "tools": lambda v: "with tools" if _truthy(v) else "without tools",
    "style_control": lambda v: "with style control" if _truthy(v) else "",
    "prompt": lambda v: f"“{_plain(v)}” system prompt",
}
# Keys that describe the set-up without telling two claims apart (the metric is the benchmark's).
_UNSPOKEN_KEYS = frozenset({"metric"})


def explain(claim: ClaimInput, score: Score, as_of: date) -> str:
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


def conditions_words(conditions: Mapping[str, Any]) -> str:
    """The settings of a claim as a reader says them: "0-shot", "pass@1, with tools"."""
    words = []
    for key, value in sorted(canonical_conditions(conditions).items()):
        if key in _UNSPOKEN_KEYS:
            continue
        said = _SETTING_WORDS[key](value) if key in _SETTING_WORDS else f"{key} {_plain(value)}"
        if said:
            words.append(said)
    return ", ".join(words)


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().casefold() in ("true", "1", "yes")


def _subject(claim: ClaimInput) -> str:
    """The model the claim is about: the public variant it names, else the release."""
    if claim.variant is not None and claim.variant.is_public:
        return claim.variant.name
    return claim.release.name


def _reported(claim: ClaimInput) -> str:
    """ ", as reported by The Verge" for a claim known only from reporting."""
    return f", as reported by {claim.reported_by}," if claim.reported_by else ""


def claimed_words(claim: ClaimInput) -> str:
    """The claimed half of every figure claim's sentence: who said what, on which benchmark and
    setting, for which variant (and who reported it, for a claim known from reporting)."""
    assert claim.benchmark is not None and claim.stated_value is not None
    settings = conditions_words(claim.conditions)
    text = (
        f"{claim.release.vendor}{_reported(claim)} claimed "
        f"{format_value(claim.stated_value, claim.benchmark.unit)} "
        f"on {claim.benchmark.name}{f' ({settings})' if settings else ''} for {_subject(claim)}"
    )
    if claim.variant is not None and not claim.variant.is_public:
        text += f", a figure from the unreleased {claim.variant.name}"
    return text


def date_words(day: date, known: bool) -> str:
    """ " (8 April 2025)" for an evaluator's own date; nothing for an unknown one."""
    return f" ({format_date(day)})" if known else ""


def _figure_text(u: Used, unit: str) -> str:
    value = format_value(u.value, unit)
    uncertainty = format_uncertainty(
        unit, std_error=u.std_error, ci_low=u.ci_low, ci_high=u.ci_high
    )
    return f"{value} ({uncertainty})" if uncertainty else value


def _figure(claim: ClaimInput, score: Score, as_of: date) -> str:
    assert claim.benchmark is not None and claim.stated_value is not None
    unit = claim.benchmark.unit
    claimed = claimed_words(claim)
    if score.verdict == UNVERIFIED:
        # Only the tracked leaderboards are known: never "nobody has measured it".
        sentence = (
            f"{claimed}; none of the leaderboards claimsdb tracks has measured the public model "
            f"on it"
        )
        if score.context:
            sentence += f" ({_measured_list(score.context, unit)}, a build users cannot get)"
        return f"{sentence}: unverified."
    if score.verdict == NOT_COMPARABLE and score.context and VARIANT_MISMATCH in score.flags:
        return (
            f"{claimed}; the independent measurements are of another checkpoint of "
            f"{claim.release.name} ({_measured_list(score.context, unit)}), a different model "
            f"from {_subject(claim)}, so they are shown and not compared: not comparable."
        )
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
            f"{format_value(score.aggregate, unit)} combined "
            f"({_measured_list(score.used, unit, verb=False)})"
        )
    sentence = f"{claimed}; {measured}, {_gap_words(score, unit)}"
    if (
        score.verdict == HOLDS
        and score.z is not None
        and abs(at_threshold_precision(_gap_size(score, unit))) > THRESHOLDS[unit][0]
    ):
        sentence += f", within the measurements' uncertainty (z = {score.z:.1f})"
    if score.context and VARIANT_MISMATCH in score.flags:
        sentence += "; " + _unreleased_build(claim, score.context, unit)
    sentence += _stale_words(score, as_of)
    return f"{sentence}: {VERDICT_WORDS[score.verdict]}."


def _unreleased_build(claim: ClaimInput, context: Sequence[Used], unit: str) -> str:
    """What the build the vendor quoted scored when the claim was made."""
    assert claim.stated_value is not None
    parts = []
    matched = True
    for u in context:
        on = f" on {format_date(u.as_of)}" if u.as_of_known else ""
        parts.append(f"{u.evaluator} rated it {_figure_text(u, unit)}{on}")
        matched = matched and _matches(claim.stated_value, u, unit)
    measured = "; ".join(parts)
    if matched:
        return f"the unreleased build did score what {claim.release.vendor} said: {measured}"
    return f"the unreleased build itself had {measured}"


def _matches(stated: float, u: Used, unit: str) -> bool:
    # Within the source's own interval, else within the unit's "holds" threshold.
    if u.ci_low is not None and u.ci_high is not None:
        return u.ci_low <= stated <= u.ci_high
    return abs(stated - u.value) <= THRESHOLDS[unit][0]


def _gap_size(score: Score, unit: str) -> float:
    if unit == SCORE and score.gap_relative is not None:
        return score.gap_relative
    return score.gap or 0.0


def _measured_list(used: Sequence[Used], unit: str, verb: bool = True) -> str:
    parts = []
    for u in used:
        value = _figure_text(u, unit)
        if verb:
            parts.append(
                f"{u.evaluator} measured {value} on {u.variant}{date_words(u.as_of, u.as_of_known)}"
            )
        else:
            parts.append(f"{u.evaluator} {value} on {u.variant}")
    return "; ".join(parts) if verb else ", ".join(parts)


def _gap_words(score: Score, unit: str) -> str:
    gap = score.gap
    assert gap is not None
    direction = "below" if gap > 0 else "above"
    if unit == ELO:
        assert score.win_probability is not None
        return (
            f"{format_gap_size(gap, unit)} {direction} the claim (the claimed rating would win "
            f"{score.win_probability:.0%} of head-to-head votes against the measured one)"
        )
    if unit == SCORE and score.gap_relative is not None:
        return f"{format_gap_size(score.gap_relative, unit)} {direction} the claim"
    return f"{format_gap_size(gap, unit)} {direction} the claim"


def _stale_words(score: Score, as_of: date) -> str:
    if STALE not in score.flags or not score.used:
        return ""
    newest = max(score.used, key=lambda u: u.as_of)
    return (
        f", and the newest independent measurement is over a year old"
        f"{date_words(newest.as_of, newest.as_of_known)}"
    )


def context_claimed_words(claim: ClaimInput) -> str:
    """The claimed half of a context-window claim's sentence."""
    assert claim.stated_value is not None
    return (
        f"{claim.release.vendor}{_reported(claim)} claimed a "
        f"{format_tokens(claim.stated_value)}-token context window for {_subject(claim)}"
    )


def _context_window(claim: ClaimInput, score: Score, as_of: date) -> str:
    claimed = context_claimed_words(claim)
    curves = _curves_words(score.curves)
    if not score.used:
        if curves:
            return (
                f"{claimed}; no independent test with a published effective-length rule has "
                f"measured the public model ({curves}): unverified."
            )
        return (
            f"{claimed}; none of the leaderboards claimsdb tracks has published a long-context "
            f"test of the public model: unverified."
        )
    found = []
    for u in score.used:
        length = format_tokens(u.value)
        if u.bound == "upper":
            reach = f"under {length} tokens (it failed the shortest length tested)"
        elif u.bound == "lower":
            reach = f"at least {length} tokens (the longest length tested)"
        else:
            reach = f"{length} tokens"
        found.append(
            f"{reach} on {u.benchmark_name or u.benchmark} ({u.evaluator}, {u.variant}"
            f"{', ' + format_date(u.as_of) if u.as_of_known else ''})"
        )
    sentence = (
        f"{claimed}; by each test's own rule, independent long-context tests put its effective "
        f"length at {' and '.join(found)}"
    )
    if score.gap is not None:
        side = "short of" if score.gap >= 0 else "beyond"
        sentence += f", {abs(score.gap):.1f} doublings {side} the claim"
    for peers in score.peers:
        sentence += _peers_words(claim, score, peers)
    if curves:
        sentence += f"; {curves}"
    return f"{sentence}{_stale_words(score, as_of)}: {VERDICT_WORDS[score.verdict]}."


def _peers_words(claim: ClaimInput, score: Score, peers: Peers) -> str:
    """This model's shortfall beside every model the benchmark's authors tested."""
    own = next(
        (u for u in score.used if u.benchmark == peers.benchmark and u.bound == "exact"), None
    )
    if own is None or not peers.shortfalls or claim.stated_value is None:
        return ""
    mine = math.log2(claim.stated_value / own.value)
    low, high = peers.shortfalls[0], peers.shortfalls[-1]
    count = len(peers.shortfalls)
    smaller = sum(1 for s in peers.shortfalls if s < round(mine, 6))
    if low > 0:
        field = (
            f"every one of the {count} models {peers.benchmark_name}'s authors tested with an "
            f"exact effective length misses its claimed length, by {low:.1f} to {high:.1f} "
            f"doublings, median {statistics.median(peers.shortfalls):.1f}"
        )
    else:
        field = (
            f"of the {count} models {peers.benchmark_name}'s authors tested with an exact "
            f"effective length, shortfalls run from {low:.1f} to {high:.1f} doublings"
        )
    if mine >= high:
        place = "the largest of them"
    elif mine <= low:
        place = "the smallest of them"
    else:
        place = f"more than {smaller} of the {count}"
    return f" (on {peers.benchmark_name}, {field}; this one, {mine:.1f}, is {place})"


def _curves_words(curves: Sequence[Curve]) -> str:
    parts = []
    for c in curves:
        points = ", ".join(
            f"{value:.1f}% at {format_tokens(length)}" if length else f"{value:.1f}% at 0 tokens"
            for length, value in c.points
        )
        why = "which publishes no effective-length rule"
        parts.append(
            f"{c.benchmark_name} ({c.evaluator}, {c.variant}"
            f"{', ' + format_date(c.as_of) if c.as_of_known else ''}), {why}, scored it "
            f"{points}"
        )
    return "; ".join(parts)


def _comparison(claim: ClaimInput, score: Score, as_of: date) -> str:
    rivals = " and ".join(r.name for r in claim.compared_with) or "its rivals"
    claimed = f"{claim.release.vendor}{_reported(claim)} claimed {_subject(claim)} beats {rivals}"
    if claim.scope_words:
        claimed += f" “{claim.scope_words.strip()}”"
    if not score.comparisons:
        return (
            f"{claimed}; none of the leaderboards claimsdb tracks has measured both on the same "
            f"benchmark: unverified."
        )
    held = sum(1 for c in score.comparisons if c.outcome == HELD)
    failed = sum(1 for c in score.comparisons if c.outcome == FAILED)
    level = len(score.comparisons) - held - failed
    benchmarks = len({c.benchmark for c in score.comparisons})
    per_rival = []
    for rival in claim.compared_with:
        mine = [c for c in score.comparisons if c.rival == rival.name]
        if not mine:
            per_rival.append(f"no benchmark compares it with {rival.name}")
            continue
        per_rival.append(f"against {_rival_version(claim, rival.name, mine)}, {_outcomes(mine)}")
    return (
        f"{claimed}; independent measurements on {benchmarks} "
        f"benchmark{'s' if benchmarks != 1 else ''} put it ahead in "
        f"{held} of {len(score.comparisons)} head-to-head comparisons (behind in {failed}, level "
        f"in {level}): {'; '.join(per_rival)}{_stale_words(score, as_of)}: "
        f"{VERDICT_WORDS[score.verdict]}."
    )


def _rival_version(claim: ClaimInput, rival_name: str, comparisons: Sequence[Comparison]) -> str:
    versions = sorted({c.rival_variant for c in comparisons if c.rival_variant})
    rival = next(r for r in claim.compared_with if r.name == rival_name)
    chosen = rival_versions(rival, claim.claimed_on)
    if claim.claimed_on is not None and len(chosen) == 1 and len(rival.public_variants) > 1:
        return f"{chosen[0].name} (the version current on {format_date(claim.claimed_on)})"
    if versions and versions != [rival_name]:
        return f"{rival_name} ({', '.join(versions)})"
    return rival_name


def _outcomes(comparisons: Sequence[Comparison]) -> str:
    groups = {"ahead on": HELD, "level on": "level", "behind on": FAILED}
    said = []
    for words, outcome in groups.items():
        names = [c.benchmark_name or c.benchmark for c in comparisons if c.outcome == outcome]
        if names:
            said.append(f"{words} {', '.join(names)}")
    return ", ".join(said)
