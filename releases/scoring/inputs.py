"""What the scoring reads and what it returns: plain frozen dataclasses, no ORM.

The service that loads claims and measurements from the database turns rows into these; tests
build them by hand. Every field the method looks at is here, so a stored score's `inputs` can be
turned back into these objects and scored again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The units are defined with their formatting in `units`; importable from here too.
from releases.scoring.units import ELO, PERCENT, RANK, SCORE, TOKENS, UNITS  # noqa: F401

# Claim kinds, as Claim.kind stores them.
BENCHMARK_SCORE = "benchmark_score"
ARENA_RATING = "arena_rating"
CONTEXT_WINDOW = "context_window"
COMPARISON = "comparison"
QUALITATIVE = "qualitative"
CLAIM_KINDS = (BENCHMARK_SCORE, ARENA_RATING, CONTEXT_WINDOW, COMPARISON, QUALITATIVE)


@dataclass(frozen=True)
class Benchmark:
    slug: str
    name: str
    unit: str
    higher_is_better: bool = True
    item_count: int | None = None
    # The benchmark this one is only related to (slug), and the relation as readers see it
    # ("different question subset"): shown beside a verdict, never in it.
    related_to: str = ""
    relation: str = ""
    related_to_name: str = ""


@dataclass(frozen=True)
class Variant:
    """A checkpoint of a release. `is_public`: can users download or call it?"""

    id: int
    name: str
    is_public: bool
    # The day this version became available, where its name says (gpt-4o-2024-11-20): used to
    # pick the version of a rival that was current when a comparison was claimed.
    released_on: date | None = None


@dataclass(frozen=True)
class Release:
    name: str
    vendor: str
    variants: tuple[Variant, ...] = ()

    @property
    def public_variants(self) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.is_public)


@dataclass(frozen=True)
class MeasuredFigure:
    """One independent figure (a stored Measurement), as a leaderboard published it."""

    id: int
    benchmark: Benchmark
    variant_id: int
    value: float
    as_of: date
    evaluator: str
    conditions: Mapping[str, Any] = field(default_factory=dict)
    std_error: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    sample_size: int | None = None
    model_name: str = ""
    source: str = ""  # the leaderboard it came from (an aggregator may republish an evaluator)
    # False when the evaluator gave no date (or a placeholder shared by many rows): `as_of` is
    # then only the date the figure is known to have been published by (the copy's date), used
    # to order and to filter, never printed as the measurement's date.
    as_of_known: bool = True
    # The publication of the leaderboard the row came from (a snapshot id), where known: a
    # comparison of two models uses one publication for both.
    publication: int | None = None
    # A figure pooled from several stored rows (LiveCodeBench over a claim's window of problem
    # dates) lists them all here; empty for a figure that is one stored row.
    part_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ClaimInput:
    """A claim as the scoring reads it: what the vendor stated. `variant` is the checkpoint the figure came from, if known."""

    id: int
    kind: str
    release: Release
    variant: Variant | None = None
    benchmark: Benchmark | None = None
    stated_value: float | None = None
    stated_text: str = ""
    stated_std_error: float | None = None
    conditions: Mapping[str, Any] = field(default_factory=dict)
    compared_with: tuple[Release, ...] = ()
    # Who reported the claim when it is known only from reporting ("The Verge"); else "".
    reported_by: str = ""
    # When the vendor said it (the cited document's date, else the release's announcement).
    claimed_on: date | None = None
    # For a comparison: the claim's own words for what it covers ("across a broad range of
    # widely reported benchmarks"), quoted in its sentence.
    scope_words: str = ""


@dataclass(frozen=True)
class Used:
    """One evaluator's figure as the score used it (after picking its latest measurement).

    For a context-window claim, `value` is the effective length found on that evaluator's curve
    and `measurement_ids` are every point of the curve; `bound` says whether it is exact, an
    upper bound (the model failed even the shortest length tested) or a lower bound (it passed
    the longest length tested).
    """

    evaluator: str
    value: float
    std_error: float | None
    as_of: date
    variant: str
    measurement_ids: tuple[int, ...]
    benchmark: str = ""  # slug
    bound: str = "exact"  # "exact", "upper" or "lower"
    benchmark_name: str = ""
    ci_low: float | None = None  # the source's own 95% interval, where it publishes one
    ci_high: float | None = None
    as_of_known: bool = True  # see MeasuredFigure.as_of_known
    relation: str = ""  # for a related benchmark's figure: how it differs from the claim's


@dataclass(frozen=True)
class Curve:
    """A long-context test's scores per length, shown beside the verdict, not used in it.

    For a benchmark whose authors publish no effective-length rule (Fiction.LiveBench), the
    scores are shown as the source gives them and no effective length is derived.
    """

    evaluator: str
    benchmark: str  # slug
    benchmark_name: str
    variant: str
    as_of: date
    as_of_known: bool
    points: tuple[tuple[int, float], ...]  # (length in tokens, score), 0 = no added context
    measurement_ids: tuple[int, ...]


@dataclass(frozen=True)
class Peers:
    """How every model a long-context benchmark's authors tested fell short of its own claimed
    length: log2(claimed / effective), in doublings, from the authors' own table, for the models
    with an exact effective length (a bound, "<1K", is no value). Puts one model's shortfall in
    context: on NoLiMa every tested model misses its claimed length by at least 4 doublings."""

    benchmark: str  # slug of the curve's benchmark ("nolima")
    benchmark_name: str
    shortfalls: tuple[float, ...]


@dataclass(frozen=True)
class Comparison:
    """One benchmark on which a comparison claim was checked."""

    benchmark: str
    unit: str
    rival: str
    own: float
    theirs: float
    difference: float  # signed: positive = the claimant's model did better
    z: float | None
    outcome: str  # "held", "failed" or "level"
    measurement_ids: tuple[int, ...]
    benchmark_name: str = ""
    rival_variant: str = ""  # the rival's version compared (see comparison.rival_versions)
    evaluators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Score:
    """The reality gap of one claim as of one date, with everything that explains it."""

    verdict: str
    flags: tuple[str, ...] = ()
    aggregate: float | None = None
    spread: float | None = None
    gap: float | None = None
    gap_relative: float | None = None
    z: float | None = None
    measured_std_error: float | None = None
    claim_std_error: float | None = None
    win_probability: float | None = None
    used: tuple[Used, ...] = ()
    context: tuple[Used, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    curves: tuple[Curve, ...] = ()
    peers: tuple[Peers, ...] = ()
    notes: tuple[str, ...] = ()
    explanation: str = ""
    # Figures on related benchmarks (another subset, language or re-grading), shown beside the
    # verdict and never in it; and why a claim could not be checked (`releases.scoring.coverage`).
    related: tuple[Used, ...] = ()
    reason: str = ""

    @property
    def measurement_ids(self) -> tuple[int, ...]:
        """Every measurement the verdict rests on, sorted (context and rivals included)."""
        ids: set[int] = set()
        for used in (*self.used, *self.context):
            ids.update(used.measurement_ids)
        for curve in self.curves:
            ids.update(curve.measurement_ids)
        for comparison in self.comparisons:
            ids.update(comparison.measurement_ids)
        return tuple(sorted(ids))
