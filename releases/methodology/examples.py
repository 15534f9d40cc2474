"""Worked examples on real figures from the bundled snapshots, scored by the real code."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from releases.methodology.rules import (
    ci_level,
    conditions_text,
    fixed,
    flag_rows,
    format_number,
    format_share,
    format_threshold,
)
from releases.scoring import context_window, explanation, method, score_claim
from releases.scoring.inputs import (
    ARENA_RATING,
    BENCHMARK_SCORE,
    CONTEXT_WINDOW,
    ELO,
    PERCENT,
    RANK,
    SCORE,
    TOKENS,
    Benchmark,
    ClaimInput,
    MeasuredFigure,
    Release,
    Score,
    Variant,
)

# --- Worked examples: real figures from the bundled snapshots ----------------------------------


@dataclass(frozen=True)
class QuotedFigure:
    """One measurement exactly as a bundled snapshot gives it, and the variant it is about.

    `file` is relative to fixtures/leaderboards/ and `importer` is the slug of the importer that
    parses it; the test re-parses the file and finds this row by raw name, benchmark and
    conditions. `as_of` is the row's own date, else the file's (the as-of manifest or its name),
    as the import pipeline dates it; `evaluator` is the row's, else its source's.
    """

    file: str
    importer: str
    raw_model_name: str
    benchmark: Benchmark
    conditions: Mapping[str, Any]
    value: float
    as_of: date
    evaluator: str
    variant: Variant
    variant_slug: str  # the curated variant the alias in fixtures/curated/aliases.yaml names
    std_error: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    lesson: str
    said_where: str  # where the vendor stated the figure
    claim: ClaimInput
    release_slug: str  # the curated claim this example restates
    figures: tuple[QuotedFigure, ...]
    as_of: date

    def measurements(self) -> list[MeasuredFigure]:
        return [
            MeasuredFigure(
                id=index,
                benchmark=f.benchmark,
                variant_id=f.variant.id,
                value=f.value,
                as_of=f.as_of,
                evaluator=f.evaluator,
                conditions=dict(f.conditions),
                std_error=f.std_error,
                ci_low=f.ci_low,
                ci_high=f.ci_high,
                model_name=f.raw_model_name,
            )
            for index, f in enumerate(self.figures, start=1)
        ]

    def score(self) -> Score:
        return score_claim(self.claim, self.measurements(), self.as_of)


# The benchmarks as fixtures/curated/benchmarks.yaml defines them (no item counts are stored).
GPQA_DIAMOND = Benchmark(slug="gpqa-diamond", name="GPQA Diamond", unit=PERCENT)
LMARENA_TEXT = Benchmark(slug="lmarena-text", name="LMArena text arena rating", unit=ELO)
CONTEXT_LENGTH = Benchmark(slug="context-window", name="Context window", unit=TOKENS)
NOLIMA = Benchmark(slug="nolima", name="NoLiMa", unit=PERCENT)
FICTION_LIVEBENCH = Benchmark(slug="fiction-livebench", name="Fiction.LiveBench", unit=PERCENT)

# The releases and variants as fixtures/curated/releases.yaml defines them.
MAVERICK_BASE = Variant(id=1, name="Llama 4 Maverick (pre-trained)", is_public=True)
MAVERICK_INSTRUCT = Variant(id=2, name="Llama 4 Maverick (instruction tuned)", is_public=True)
MAVERICK_EXPERIMENTAL = Variant(id=3, name="Llama-4-Maverick-03-26-Experimental", is_public=False)
MAVERICK = Release(
    name="Llama 4 Maverick",
    vendor="Meta",
    variants=(MAVERICK_BASE, MAVERICK_INSTRUCT, MAVERICK_EXPERIMENTAL),
)
SCOUT_BASE = Variant(id=11, name="Llama 4 Scout (pre-trained)", is_public=True)
SCOUT_INSTRUCT = Variant(id=12, name="Llama 4 Scout (instruction tuned)", is_public=True)
SCOUT = Release(name="Llama 4 Scout", vendor="Meta", variants=(SCOUT_BASE, SCOUT_INSTRUCT))


def _scout_curve(
    file: str,
    importer: str,
    raw_model_name: str,
    benchmark: Benchmark,
    evaluator: str,
    as_of: date,
    base: tuple[Mapping[str, Any], float],
    points: Sequence[tuple[int, float]],
) -> tuple[QuotedFigure, ...]:
    """A long-context curve of Llama 4 Scout: its short-context score, then score per length."""
    rows = [(base[0], base[1]), *(({"context_tokens": n}, v) for n, v in points)]
    return tuple(
        QuotedFigure(
            file=file,
            importer=importer,
            raw_model_name=raw_model_name,
            benchmark=benchmark,
            conditions=conditions,
            value=value,
            as_of=as_of,
            evaluator=evaluator,
            variant=SCOUT_INSTRUCT,
            variant_slug="llama-4-scout-instruct",
        )
        for conditions, value in rows
    )


EXAMPLES: tuple[Example, ...] = (
    Example(
        slug="gpqa",
        title="A claim that holds: Llama 4 Maverick on GPQA Diamond",
        lesson="A gap inside the threshold, checked against one evaluator's own run.",
        said_where="Meta, Llama 4 model card, instruction-tuned models table",
        # fixtures/curated/claims/meta-llama4-model-card.yaml
        claim=ClaimInput(
            id=1,
            kind=BENCHMARK_SCORE,
            release=MAVERICK,
            variant=MAVERICK_INSTRUCT,
            benchmark=GPQA_DIAMOND,
            stated_value=69.8,
            stated_text="69.8",
            conditions={"shots": 0, "metric": "accuracy"},
        ),
        release_slug="llama-4-maverick",
        figures=(
            # fixtures/leaderboards/epoch/gpqa_diamond.csv: Epoch AI's own run, dated by its
            # "Started at" column; the fraction 0.6698... is stored as percent.
            QuotedFigure(
                file="epoch/gpqa_diamond.csv",
                importer="epoch",
                raw_model_name="Llama-4-Maverick-17B-128E-Instruct-FP8",
                benchmark=GPQA_DIAMOND,
                conditions={},
                value=66.9823232323,
                std_error=2.824482353,
                as_of=date(2025, 4, 8),
                evaluator="Epoch AI",
                variant=MAVERICK_INSTRUCT,
                variant_slug="llama-4-maverick-instruct",
            ),
        ),
        as_of=date(2025, 4, 10),
    ),
    Example(
        slug="arena",
        title="A figure from a build users cannot get: Llama 4 Maverick's arena rating",
        lesson="The claim is scored against the released model; the unreleased build's own "
        "rating is shown as context, and the verdict carries the variant-mismatch flag.",
        said_where="Meta's launch post, as The Verge reported it; the rating came from the "
        "unreleased Llama-4-Maverick-03-26-Experimental",
        # fixtures/curated/claims/verge-llama4-reporting.yaml
        claim=ClaimInput(
            id=2,
            kind=ARENA_RATING,
            release=MAVERICK,
            variant=MAVERICK_EXPERIMENTAL,
            benchmark=LMARENA_TEXT,
            stated_value=1417,
            stated_text="1417",
        ),
        release_slug="llama-4-maverick",
        figures=(
            # fixtures/leaderboards/lmarena/leaderboard-text.json ("full" category), dated
            # 2025-12-11 by fixtures/leaderboards_as_of.yaml.
            QuotedFigure(
                file="lmarena/leaderboard-text.json",
                importer="lmarena-text",
                raw_model_name="llama-4-maverick-17b-128e-instruct",
                benchmark=LMARENA_TEXT,
                conditions={},
                value=1288.6930455673798,
                ci_low=1284.4837125805007,
                ci_high=1292.902378554259,
                as_of=date(2025, 12, 11),
                evaluator="LMArena",
                variant=MAVERICK_INSTRUCT,
                variant_slug="llama-4-maverick-instruct",
            ),
            # fixtures/leaderboards/lmarena/leaderboard-text@2025-04-07.json ("full"), dated by
            # its file name.
            QuotedFigure(
                file="lmarena/leaderboard-text@2025-04-07.json",
                importer="lmarena-text",
                raw_model_name="llama-4-maverick-03-26-experimental",
                benchmark=LMARENA_TEXT,
                conditions={},
                value=1416.5816841191147,
                ci_low=1404.9460568599302,
                ci_high=1429.2209314093607,
                as_of=date(2025, 4, 7),
                evaluator="LMArena",
                variant=MAVERICK_EXPERIMENTAL,
                variant_slug="llama-4-maverick-experimental",
            ),
        ),
        as_of=date(2025, 12, 11),
    ),
    Example(
        slug="context",
        title="A context window: Llama 4 Scout's 10M tokens",
        lesson="Effective length on two long-context tests, and the gap in doublings.",
        said_where="Meta, Llama 4 model card, model table (“Context length: 10M”)",
        # fixtures/curated/claims/meta-llama4-model-card.yaml
        claim=ClaimInput(
            id=3,
            kind=CONTEXT_WINDOW,
            release=SCOUT,
            variant=None,
            benchmark=CONTEXT_LENGTH,
            stated_value=10_000_000,
            stated_text="10M",
        ),
        release_slug="llama-4-scout",
        figures=(
            # fixtures/leaderboards/nolima/nolima_results.md, main table, row "Llama 4 Scout";
            # dated 2025-05-05 by fixtures/leaderboards_as_of.yaml.
            *_scout_curve(
                "nolima/nolima_results.md",
                "nolima",
                "Llama 4 Scout",
                NOLIMA,
                "Adobe Research",
                date(2025, 5, 5),
                base=({"context": "base"}, 81.7),
                points=(
                    (1000, 72.3),
                    (2000, 61.8),
                    (4000, 50.8),
                    (8000, 35.5),
                    (16000, 26.9),
                    (32000, 21.6),
                ),
            ),
            # fixtures/leaderboards/epoch/fictionlivebench_external.csv: Fiction.LiveBench's
            # results as Epoch republishes them (fractions stored as percent); dated 2026-04-19
            # by fixtures/leaderboards_as_of.yaml. The 0-token column is the base score.
            *_scout_curve(
                "epoch/fictionlivebench_external.csv",
                "epoch",
                "chutes/Llama-4-Scout-17B-16E Instruct",
                FICTION_LIVEBENCH,
                "Fiction.LiveBench",
                date(2026, 4, 19),
                base=({"context_tokens": 0}, 62.5),
                points=(
                    (400, 52.0),
                    (1000, 50.0),
                    (2000, 36.0),
                    (4000, 32.0),
                    (8000, 40.0),
                    (16000, 36.0),
                    (32000, 16.0),
                    (60000, 24.0),
                    (120000, 27.3),
                ),
            ),
        ),
        as_of=date(2026, 4, 19),
    ),
)


# --- A worked example, step by step ------------------------------------------------------------


def worked_examples() -> list[dict[str, Any]]:
    return [worked(example) for example in EXAMPLES]


def worked(example: Example) -> dict[str, Any]:
    """An example's inputs, the steps from them to the verdict, and the result."""
    score = example.score()
    claim = example.claim
    assert claim.benchmark is not None and claim.stated_value is not None
    unit = claim.benchmark.unit
    flag_meanings = {row["name"]: row["meaning"] for row in flag_rows()}
    return {
        "slug": example.slug,
        "title": example.title,
        "lesson": example.lesson,
        "said_where": example.said_where,
        "as_of": explanation.format_date(example.as_of),
        "claim": {
            "vendor": claim.release.vendor,
            "release": claim.release.name,
            "variant": claim.variant.name if claim.variant else "the release as a whole",
            "variant_public": claim.variant.is_public if claim.variant else True,
            "benchmark": claim.benchmark.name,
            "stated": explanation.format_value(claim.stated_value, unit),
            "statement": _statement(claim),
            "conditions": conditions_text(claim.conditions),
        },
        "figures": [_figure_row(f) for f in example.figures],
        "steps": _steps(example, score),
        "result": {
            "verdict": score.verdict,
            "verdict_words": explanation.VERDICT_WORDS[score.verdict],
            "flags": [
                {"name": name, "meaning": flag_meanings.get(name, "")} for name in score.flags
            ],
            "gap": gap_text(score.gap, unit),
            "z": fixed(score.z),
            "explanation": score.explanation,
        },
    }


def _statement(claim: ClaimInput) -> str:
    assert claim.benchmark is not None and claim.stated_value is not None
    stated = explanation.format_value(claim.stated_value, claim.benchmark.unit)
    if claim.kind == CONTEXT_WINDOW:
        return f"a context window of {stated}"
    return f"{stated} on {claim.benchmark.name}"


def _figure_row(f: QuotedFigure) -> dict[str, Any]:
    se = method.standard_error(
        f.value, f.benchmark, std_error=f.std_error, ci_low=f.ci_low, ci_high=f.ci_high
    )
    if f.std_error is not None:
        uncertainty = f"standard error {f.std_error}"
    elif f.ci_low is not None and f.ci_high is not None:
        uncertainty = f"{ci_level()} interval {f.ci_low} to {f.ci_high}"
    else:
        uncertainty = "none published"
    return {
        "evaluator": f.evaluator,
        "model": f.raw_model_name,
        "variant": f.variant.name,
        "public": f.variant.is_public,
        "benchmark": f.benchmark.name,
        "conditions": conditions_text(f.conditions),
        "value": f.value,
        "uncertainty": uncertainty,
        "std_error": fixed(se),
        "as_of": f.as_of.isoformat(),
        "file": f.file,
    }


def gap_text(gap: float | None, unit: str) -> str:
    if gap is None:
        return "–"
    return {
        PERCENT: f"{gap:+.2f} points",
        ELO: f"{gap:+.1f} rating points",
        TOKENS: f"{gap:+.2f} doublings",
        RANK: f"{gap:+.0f} places",
    }.get(unit, f"{gap:+.3g}")


def _steps(example: Example, score: Score) -> list[str]:
    claim = example.claim
    assert claim.benchmark is not None and claim.stated_value is not None
    if claim.kind == CONTEXT_WINDOW:
        return _context_steps(example, score)
    unit = claim.benchmark.unit
    steps = []
    z95 = f"{method.Z_95:.2f}"
    for u in score.used:
        steps.append(
            f"Independent figure used: {u.evaluator} on {u.variant}, {fixed(u.value)} with "
            f"standard error {fixed(u.std_error)} (as of {u.as_of.isoformat()})."
        )
    for f in example.figures:
        if f.std_error is None and f.ci_low is not None and f.ci_high is not None:
            se = (f.ci_high - f.ci_low) / (2 * method.Z_95)
            steps.append(
                f"Standard error of {f.variant.name} from its interval: "
                f"({fixed(f.ci_high)} − {fixed(f.ci_low)}) / (2 × {z95}) = {fixed(se)}."
            )
    for u in score.context:
        steps.append(
            f"Context, not used for the verdict: {u.evaluator} rated {u.variant}, the build "
            f"the figure came from, {fixed(u.value)} (as of {u.as_of.isoformat()})."
        )
    if len(score.used) > 1:
        steps.append(f"Aggregate of the evaluators' figures: {fixed(score.aggregate)}.")
    assert score.gap is not None and score.aggregate is not None
    gap_line = (
        f"Gap: {explanation.format_value(claim.stated_value, unit)} claimed − "
        f"{fixed(score.aggregate)} measured = {gap_text(score.gap, unit)}"
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
    assert score.gap is not None
    holds_within, substantial_from = method.THRESHOLDS[unit]
    size = score.gap_relative if unit == SCORE and score.gap_relative is not None else score.gap
    within = format_threshold(holds_within, unit)
    substantial = format_threshold(substantial_from, unit)
    z_limit = format_number(method.Z_SIGNIFICANT)
    words = explanation.VERDICT_WORDS[score.verdict]
    if score.verdict == method.HOLDS:
        if abs(size) <= holds_within:
            return f"Verdict: the gap is within {within}, so {words}."
        return f"Verdict: the gap is larger than {within}, but |z| is below {z_limit}: {words}."
    if score.verdict == method.SUBSTANTIALLY_OVERSTATED:
        return f"Verdict: the gap reaches {substantial}: {words}."
    if score.verdict == method.OVERSTATED:
        return f"Verdict: the gap is beyond {within} but short of {substantial}: {words}."
    return f"Verdict: {words}."


def _context_steps(example: Example, score: Score) -> list[str]:
    claim = example.claim
    assert claim.stated_value is not None and score.gap is not None
    fraction = context_window.EFFECTIVE_LENGTH_FRACTION
    steps = []
    curves: dict[tuple[str, str], list[QuotedFigure]] = {}
    for f in example.figures:
        curves.setdefault((f.evaluator, f.benchmark.name), []).append(f)
    for (evaluator, benchmark), points in curves.items():
        base = next(f.value for f in points if _is_base(f))
        scores = {
            int(f.conditions["context_tokens"]): f.value
            for f in points
            if not _is_base(f) and f.conditions.get("context_tokens")
        }
        length, bound = context_window.effective_length(base, scores)
        threshold = fraction * base
        failing = [n for n in sorted(scores) if scores[n] < threshold]
        line = (
            f"{benchmark} ({evaluator}): short-context score {fixed(base, 1)}; "
            f"{format_share(fraction)} of it is {fixed(threshold, 1)}. "
        )
        if bound == "upper":
            line += (
                f"Already at the shortest length tested, {explanation.format_tokens(length)} "
                f"tokens, the score is {fixed(scores[length], 1)}: effective length under "
                f"{explanation.format_tokens(length)} tokens."
            )
        elif bound == "lower":
            line += f"Every length tested passes: effective length at least {length} tokens."
        else:
            first_fail = failing[0]
            line += (
                f"{explanation.format_tokens(length)} tokens scores {fixed(scores[length], 1)}"
                f" (passes), {explanation.format_tokens(first_fail)} scores "
                f"{fixed(scores[first_fail], 1)} (fails): effective length "
                f"{explanation.format_tokens(length)} tokens."
            )
        steps.append(line)
    if len(score.used) > 1:
        lengths = ", ".join(explanation.format_tokens(u.value) for u in score.used)
        median = statistics.median(math.log2(u.value) for u in score.used)
        steps.append(
            f"Aggregate: the median in doublings, 2^median(log2 of {lengths}) = 2^{median:.2f}"
            f" = {score.aggregate:,.0f} tokens."
        )
    steps.append(
        f"Gap: log2({explanation.format_tokens(claim.stated_value)} / "
        f"{score.aggregate:,.0f}) = {score.gap:.2f} doublings (no z: the tests publish no "
        "uncertainty for an effective length)."
    )
    steps.append(_verdict_step(score, TOKENS))
    return steps


def _is_base(f: QuotedFigure) -> bool:
    return f.conditions.get("context") == "base" or f.conditions.get("context_tokens") == 0
