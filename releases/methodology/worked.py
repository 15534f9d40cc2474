"""A worked example, step by step: from a claim and the figures its score used to the verdict.

Pure: the inputs are the stored claim and measurements (loaded by
`releases.services.worked_examples`), scored here by `score_claim` exactly as the recompute
scores them, so the result printed is the stored verdict.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from releases.methodology.examples import ExampleSpec
from releases.methodology.rules import ci_level, conditions_text, fixed, flag_rows
from releases.scoring import context_window, explanation, method, score_claim
from releases.scoring.inputs import (
    CONTEXT_WINDOW,
    TOKENS,
    ClaimInput,
    MeasuredFigure,
    Peers,
    Score,
)
from releases.scoring.units import (
    SCORE,
    format_date,
    format_gap,
    format_number,
    format_share,
    format_threshold,
    format_tokens,
    format_value,
)


@dataclass(frozen=True)
class ExampleInputs:
    """What one worked example is computed from: the stored claim, the stored measurements its
    current score used, the date that score is as of, and where each figure came from."""

    spec: ExampleSpec
    claim: ClaimInput
    figures: tuple[MeasuredFigure, ...]
    as_of: date
    provenance: Mapping[int, str] = field(default_factory=dict)  # id -> "source: file"
    peers: Mapping[str, Peers] = field(default_factory=dict)

    def score(self) -> Score:
        return score_claim(self.claim, self.figures, self.as_of, peers=self.peers)


def worked(example: ExampleInputs) -> dict[str, Any]:
    """An example's inputs, the steps from them to the verdict, and the result."""
    score = example.score()
    claim = example.claim
    assert claim.benchmark is not None and claim.stated_value is not None
    unit = claim.benchmark.unit
    spec = example.spec
    flag_meanings = {row["name"]: row["meaning"] for row in flag_rows()}
    variant_names = {v.id: v for v in claim.release.variants}
    used_ids = set(score.measurement_ids)
    return {
        "slug": spec.slug,
        "title": spec.title,
        "lesson": spec.lesson,
        "said_where": spec.said_where,
        "as_of": format_date(example.as_of),
        "claim": {
            "vendor": claim.release.vendor,
            "release": claim.release.name,
            "variant": claim.variant.name if claim.variant else "the release as a whole",
            "variant_public": claim.variant.is_public if claim.variant else True,
            "benchmark": claim.benchmark.name,
            "stated": format_value(claim.stated_value, unit),
            "statement": _statement(claim),
            "conditions": conditions_text(claim.conditions),
        },
        "figures": [
            _figure_row(f, variant_names, example.provenance)
            for f in sorted(example.figures, key=lambda f: (f.benchmark.slug, f.as_of, f.id))
            if f.id in used_ids
        ],
        "steps": _steps(example, score),
        "result": {
            "verdict": score.verdict,
            "verdict_words": explanation.VERDICT_WORDS[score.verdict],
            "flags": [
                {"name": name, "meaning": flag_meanings.get(name, "")} for name in score.flags
            ],
            "gap": format_gap(score.gap, unit),
            "z": fixed(score.z),
            "explanation": score.explanation,
        },
    }


def _statement(claim: ClaimInput) -> str:
    assert claim.benchmark is not None and claim.stated_value is not None
    stated = format_value(claim.stated_value, claim.benchmark.unit)
    if claim.kind == CONTEXT_WINDOW:
        return f"a context window of {stated}"
    return f"{stated} on {claim.benchmark.name}"


def _figure_row(f: MeasuredFigure, variants: Mapping[int, Any], provenance: Mapping[int, str]):
    se = method.measurement_std_error(f)
    if f.ci_low is not None and f.ci_high is not None:
        uncertainty = f"{ci_level()} interval {f.ci_low:.1f} to {f.ci_high:.1f}"
    elif f.std_error is not None:
        uncertainty = f"standard error {f.std_error:.2f}"
    else:
        uncertainty = "none published"
    variant = variants.get(f.variant_id)
    return {
        "evaluator": f.evaluator,
        "model": f.model_name,
        "variant": variant.name if variant else f.model_name,
        "public": variant.is_public if variant else True,
        "benchmark": f.benchmark.name,
        "conditions": conditions_text(f.conditions),
        "value": f"{f.value:.4g}" if abs(f.value) < 1000 else f"{f.value:.1f}",
        "uncertainty": uncertainty,
        "std_error": fixed(se),
        "as_of": f.as_of.isoformat() if f.as_of_known else "unknown (not given by the evaluator)",
        "file": provenance.get(f.id, f.source),
    }


def _steps(example: ExampleInputs, score: Score) -> list[str]:
    claim = example.claim
    assert claim.benchmark is not None and claim.stated_value is not None
    if claim.kind == CONTEXT_WINDOW:
        return _context_steps(example, score)
    unit = claim.benchmark.unit
    steps = []
    z95 = f"{method.Z_95:.2f}"
    for u in score.used:
        when = f" (as of {u.as_of.isoformat()})" if u.as_of_known else ""
        steps.append(
            f"Independent figure used: {u.evaluator} on {u.variant}, {fixed(u.value)} with "
            f"standard error {fixed(u.std_error)}{when}."
        )
        if u.std_error is not None and u.ci_low is not None and u.ci_high is not None:
            steps.append(
                f"Its standard error, from the source's {ci_level()} interval: "
                f"({fixed(u.ci_high)} − {fixed(u.ci_low)}) / (2 × {z95}) = {fixed(u.std_error)}."
            )
    for u in score.context:
        when = f" on {u.as_of.isoformat()}" if u.as_of_known else ""
        claimed_on = (
            f", the measurement nearest the claim's date ({claim.claimed_on.isoformat()})"
            if claim.claimed_on
            else ""
        )
        interval = (
            f" ({ci_level()} interval {fixed(u.ci_low)} to {fixed(u.ci_high)})"
            if u.ci_low is not None and u.ci_high is not None
            else ""
        )
        steps.append(
            f"Context, not used for the verdict: {u.evaluator} rated {u.variant}, the build "
            f"the figure came from, {fixed(u.value)}{interval}{when}{claimed_on}."
        )
    if len(score.used) > 1:
        steps.append(f"Aggregate of the evaluators' figures: {fixed(score.aggregate)}.")
    assert score.gap is not None and score.aggregate is not None
    gap_line = (
        f"Gap: {format_value(claim.stated_value, unit)} claimed − "
        f"{fixed(score.aggregate)} measured = {format_gap(score.gap, unit)}"
    )
    if score.gap_relative is not None:
        gap_line += f" ({score.gap_relative:+.1%} of the measured value)"
    if score.win_probability is not None:
        gap_line += (
            f"; win probability 1/(1+10^(−{score.gap:.1f}/400)) = {score.win_probability:.0%}"
        )
    steps.append(gap_line + ".")
    if score.z is not None and score.measured_std_error is not None:
        if claim.stated_std_error is None and score.claim_std_error is None:
            s_claim = score.measured_std_error
            why = " (the vendor gave no uncertainty, so its figure is taken to be as uncertain "
            why += "as the measurement)"
        else:
            s_claim = score.claim_std_error or 0.0
            why = ""
        steps.append(
            f"z = {fixed(score.gap)} / √({fixed(s_claim)}² + {fixed(score.measured_std_error)}²)"
            f" = {fixed(score.z)}{why}."
        )
    steps.append(_verdict_step(score, unit))
    return steps


def _verdict_step(score: Score, unit: str) -> str:
    words = explanation.VERDICT_WORDS[score.verdict]
    if score.gap is None:
        note = f" ({'; '.join(score.notes)})" if score.notes else ""
        return f"Verdict: no exact figure to take a gap from{note}: {words}."
    holds_within, substantial_from = method.THRESHOLDS[unit]
    size = score.gap_relative if unit == SCORE and score.gap_relative is not None else score.gap
    within = format_threshold(holds_within, unit)
    substantial = format_threshold(substantial_from, unit)
    z_limit = format_number(method.Z_SIGNIFICANT)
    if score.verdict == method.HOLDS:
        if abs(size) <= holds_within:
            return f"Verdict: the gap is within {within}, so {words}."
        return f"Verdict: the gap is larger than {within}, but |z| is below {z_limit}: {words}."
    if score.verdict == method.SUBSTANTIALLY_OVERSTATED:
        return f"Verdict: the gap reaches {substantial}: {words}."
    if score.verdict == method.OVERSTATED:
        return f"Verdict: the gap is beyond {within} but short of {substantial}: {words}."
    return f"Verdict: {words}."


def _context_steps(example: ExampleInputs, score: Score) -> list[str]:
    claim = example.claim
    assert claim.stated_value is not None
    steps = []
    by_id = {f.id: f for f in example.figures}
    for u in score.used:
        rule = context_window.LENGTH_RULES[u.benchmark]
        points = [by_id[i] for i in u.measurement_ids if i in by_id]
        steps.append(_curve_step(u.benchmark_name, u.evaluator, rule, points, u.value, u.bound))
    for c in score.curves:
        listed = ", ".join(f"{format_tokens(n) if n else '0'}: {v:.1f}" for n, v in c.points)
        steps.append(
            f"{c.benchmark_name} ({c.evaluator}) publishes no effective-length rule, so none is "
            f"derived; its scores per length are shown beside the verdict: {listed}."
        )
    exact = [u for u in score.used if u.bound == "exact"]
    if len(exact) > 1:
        lengths = ", ".join(format_tokens(u.value) for u in exact)
        median = statistics.median(math.log2(u.value) for u in exact)
        steps.append(
            f"Aggregate: the median in doublings of the exact lengths, 2^median(log2 of "
            f"{lengths}) = 2^{median:.2f} = {score.aggregate:,.0f} tokens."
        )
    if score.gap is not None and score.aggregate is not None:
        steps.append(
            f"Gap: log2({format_tokens(claim.stated_value)} / {score.aggregate:,.0f}) = "
            f"{score.gap:.2f} doublings (no z: the tests publish no uncertainty for an effective "
            "length)."
        )
    steps.append(_verdict_step(score, TOKENS))
    return steps


def _curve_step(
    benchmark: str,
    evaluator: str,
    rule: context_window.LengthRule,
    points: Sequence[MeasuredFigure],
    length: float,
    bound: str,
) -> str:
    base = next((f.value for f in points if _is_base(f)), None)
    scores = {
        int(f.conditions["context_tokens"]): f.value
        for f in points
        if not _is_base(f) and f.conditions.get("context_tokens")
    }
    threshold = rule.threshold(base) or 0.0
    if rule.kind == "relative" and base is not None:
        line = (
            f"{benchmark} ({evaluator}): short-context score {fixed(base, 1)}; "
            f"{format_share(context_window.EFFECTIVE_LENGTH_FRACTION)} of it is "
            f"{fixed(threshold, 1)}. "
        )
    else:
        line = (
            f"{benchmark} ({evaluator}): a length counts while it scores above "
            f"{fixed(threshold, 1)}. "
        )
    tokens = format_tokens(length)
    if bound == "upper":
        return line + (
            f"Already at the shortest length tested, {tokens} tokens, the score is "
            f"{fixed(scores.get(int(length)), 1)}: effective length under {tokens} tokens (a "
            "bound, not used as a value)."
        )
    if bound == "lower":
        return line + f"Every length tested passes: effective length at least {tokens} tokens."
    failing = [n for n in sorted(scores) if n > length]
    first_fail = failing[0] if failing else None
    line += f"{tokens} tokens scores {fixed(scores.get(int(length)), 1)} (passes)"
    if first_fail is not None:
        line += f", {format_tokens(first_fail)} scores {fixed(scores[first_fail], 1)} (fails)"
    return line + f": effective length {tokens} tokens."


def _is_base(f: MeasuredFigure) -> bool:
    return f.conditions.get("context") == "base" or str(f.conditions.get("context_tokens")) == "0"
