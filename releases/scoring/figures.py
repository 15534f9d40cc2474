"""Scoring a stated figure (a benchmark score or an arena rating) against the measurements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from releases.scoring.inputs import ELO, ClaimInput, MeasuredFigure, Score, Used
from releases.scoring.method import (
    NOT_COMPARABLE,
    UNVERIFIED,
    VARIANT_MISMATCH,
    aggregate,
    common_flags,
    compare_conditions,
    is_independent,
    latest_per_evaluator,
    measurement_std_error,
    nearest_per_evaluator,
    relative_gap,
    signed_gap,
    standard_error,
    target_variants,
    verdict_for_gap,
    win_probability,
    z_score,
)


def score_figure(claim: ClaimInput, measurements: Iterable[MeasuredFigure], as_of: date) -> Score:
    benchmark = claim.benchmark
    if benchmark is None or claim.stated_value is None:
        raise ValueError(f"claim {claim.id} states no figure on a benchmark")
    variant_names = {v.id: v.name for v in claim.release.variants}
    # Steps 1 and 2: this benchmark, this release, someone other than the vendor, by the date.
    on_release = [
        m
        for m in measurements
        if m.benchmark.slug == benchmark.slug
        and m.variant_id in variant_names
        and m.as_of <= as_of
        and is_independent(m.evaluator, claim.release.vendor)
    ]
    status = {m.id: compare_conditions(claim.conditions, m.conditions) for m in on_release}
    comparable = [m for m in on_release if status[m.id] != "incompatible"]

    targets, mismatch = target_variants(claim)
    target_ids = {v.id for v in targets}
    on_targets = [m for m in comparable if m.variant_id in target_ids]
    if not on_targets and claim.variant is not None and claim.variant.is_public:
        # The figure is for one public checkpoint (say, the base model, 5-shot) and evaluators
        # tested only another (the instruct model): a different model on a different set-up, so
        # its scores are shown beside the claim and never checked against it.
        others = {v.id for v in claim.release.public_variants} - target_ids
        other_checkpoint = [m for m in comparable if m.variant_id in others]
        if other_checkpoint:
            chosen = nearest_per_evaluator(other_checkpoint, claim, as_of)
            return Score(
                verdict=NOT_COMPARABLE,
                flags=(VARIANT_MISMATCH,),
                context=tuple(_used(m, variant_names) for m in chosen),
            )

    context: tuple[Used, ...] = ()
    if claim.variant is not None and not claim.variant.is_public:
        own = [m for m in comparable if m.variant_id == claim.variant.id]
        context = tuple(_used(m, variant_names) for m in nearest_per_evaluator(own, claim, as_of))

    if not on_targets:
        public_ids = {v.id for v in claim.release.public_variants}
        measured_public = any(m.variant_id in public_ids for m in on_release)
        return Score(
            verdict=NOT_COMPARABLE if measured_public else UNVERIFIED,
            flags=(VARIANT_MISMATCH,) if mismatch else (),
            context=context,
        )

    # Step 3 to 7.
    chosen = latest_per_evaluator(on_targets, as_of)
    used = tuple(_used(m, variant_names) for m in chosen)
    value, measured_se, spread = aggregate(
        [m.value for m in chosen], [measurement_std_error(m) for m in chosen]
    )
    claim_se = standard_error(claim.stated_value, benchmark, std_error=claim.stated_std_error)
    gap = signed_gap(claim.stated_value, value, benchmark)
    relative = relative_gap(claim.stated_value, value, benchmark)
    z = z_score(gap, claim_se, measured_se)
    return Score(
        verdict=verdict_for_gap(gap, relative, z, benchmark.unit),
        flags=common_flags(
            used,
            as_of,
            variant_mismatch=mismatch,
            unconfirmed=any(status[m.id] == "unconfirmed" for m in chosen),
        ),
        aggregate=value,
        spread=spread,
        gap=gap,
        gap_relative=relative,
        z=z,
        measured_std_error=measured_se,
        claim_std_error=claim_se,
        win_probability=win_probability(gap) if benchmark.unit == ELO else None,
        used=used,
        context=context,
    )


def _used(m: MeasuredFigure, variant_names: dict[int, str]) -> Used:
    return Used(
        evaluator=m.evaluator,
        value=m.value,
        std_error=measurement_std_error(m),
        as_of=m.as_of,
        variant=variant_names.get(m.variant_id, m.model_name),
        measurement_ids=m.part_ids or (m.id,),
        benchmark=m.benchmark.slug,
        benchmark_name=m.benchmark.name,
        ci_low=m.ci_low,
        ci_high=m.ci_high,
        as_of_known=m.as_of_known,
    )
