"""Figures on related benchmarks: shown beside a verdict, labelled, never in it.

A benchmark can name the one it is only related to (`Benchmark.related_to`, with how it differs):
HELM's GPQA main set and GPQA Diamond, MATH Level 5 and MATH, MMLU-Redux and MMLU. Only the same
benchmark enters a verdict (`figures.score_figure` takes rows of the claim's benchmark only);
this module picks, for the reader, what related benchmarks say about the same model: figures on
a benchmark related to the claim's, on one the claim's is related to, or on a sibling (both
related to the same benchmark, as MATH-500 and MATH Level 5 are to MATH).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from releases.scoring.inputs import Benchmark, ClaimInput, MeasuredFigure, Used
from releases.scoring.method import (
    compare_conditions,
    is_independent,
    latest_per_evaluator,
    measurement_std_error,
)


def relation_to(claimed: Benchmark, other: Benchmark) -> str | None:
    """How `other` relates to the claim's benchmark, in readers' words; None if it does not."""
    if other.slug == claimed.slug:
        return None
    if other.related_to == claimed.slug:
        return f"{other.relation} vs {claimed.name}"
    if claimed.related_to and claimed.related_to == other.slug:
        return f"{claimed.name} is the {claimed.relation} of this one"
    if claimed.related_to and other.related_to == claimed.related_to:
        parent = other.related_to_name or other.related_to
        return f"{other.relation} vs {parent}, as {claimed.name} is a {claimed.relation}"
    return None


def related_context(
    claim: ClaimInput, measurements: Iterable[MeasuredFigure], as_of: date
) -> tuple[Used, ...]:
    """Each evaluator's latest figure on each related benchmark, for the release's public models."""
    benchmark = claim.benchmark
    if benchmark is None:
        return ()
    public = {v.id: v.name for v in claim.release.public_variants}
    by_benchmark: dict[str, list[MeasuredFigure]] = {}
    relations: dict[str, str] = {}
    for m in measurements:
        relation = relation_to(benchmark, m.benchmark)
        if (
            relation is None
            or m.variant_id not in public
            or m.as_of > as_of
            or not is_independent(m.evaluator, claim.release.vendor)
            or compare_conditions(claim.conditions, m.conditions) == "incompatible"
        ):
            continue
        by_benchmark.setdefault(m.benchmark.slug, []).append(m)
        relations[m.benchmark.slug] = relation
    shown = []
    for slug in sorted(by_benchmark):
        for m in latest_per_evaluator(by_benchmark[slug], as_of):
            shown.append(
                Used(
                    evaluator=m.evaluator,
                    value=m.value,
                    std_error=measurement_std_error(m),
                    as_of=m.as_of,
                    variant=public[m.variant_id],
                    measurement_ids=m.part_ids or (m.id,),
                    benchmark=slug,
                    benchmark_name=m.benchmark.name,
                    relation=relations[slug],
                    ci_low=m.ci_low,
                    ci_high=m.ci_high,
                    # A placeholder or mirror's date is never printed as the evaluator's.
                    as_of_known=m.as_of_known,
                )
            )
    return tuple(shown)
