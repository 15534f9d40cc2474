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

# Units, as Benchmark.unit stores them.
PERCENT = "percent"
ELO = "elo"
TOKENS = "tokens"
RANK = "rank"
SCORE = "score"

# Claim kinds, as Claim.kind stores them.
BENCHMARK_SCORE = "benchmark_score"
ARENA_RATING = "arena_rating"
CONTEXT_WINDOW = "context_window"
COMPARISON = "comparison"
QUALITATIVE = "qualitative"


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


@dataclass(frozen=True)
class Release:
    name: str
    vendor: str
    variants: tuple[Variant, ...] = ()

    @property
    def public_variants(self) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.is_public)


@dataclass(frozen=True)
class Measurement:
    """One independent figure, as a leaderboard published it."""

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
    # A figure pooled from several stored rows (LiveCodeBench over a claim's window of problem
    # dates) lists them all here; empty for a figure that is one stored row.
    part_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Claim:
    """What the vendor stated. `variant` is the checkpoint the figure came from, if known."""

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
    relation: str = ""  # for a related benchmark's figure: how it differs from the claim's


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
        for item in (*self.used, *self.context):
            ids.update(item.measurement_ids)
        for comparison in self.comparisons:
            ids.update(comparison.measurement_ids)
        return tuple(sorted(ids))
