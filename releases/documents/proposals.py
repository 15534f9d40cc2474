"""What `extraction.extract_claims` proposes, and the catalogue it reads names from, as plain values.

Locations are written as the curated claims write them ("table 4, row 'MMLU Pro', column 'Llama
4 Maverick'"): the row label and column header exactly as the document has them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from releases.conditions import conditions_key

# Claim kinds (`Claim.Kind` values), chosen by the benchmark's unit.
BENCHMARK_SCORE = "benchmark_score"
CONTEXT_WINDOW = "context_window"
ARENA_RATING = "arena_rating"
KIND_BY_UNIT = {"tokens": CONTEXT_WINDOW, "elo": ARENA_RATING}


@dataclass(frozen=True)
class BenchmarkInfo:
    slug: str
    unit: str
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class VariantInfo:
    slug: str
    release: str
    name: str
    kind: str
    hub_id: str = ""


@dataclass(frozen=True)
class ReleaseInfo:
    slug: str
    name: str
    vendor: str


@dataclass(frozen=True)
class Catalogue:
    """The catalogue as plain values. `benchmark_names` maps `normalize_name` of each
    benchmark's name, slug and aliases to its slug; `model_aliases` maps alias -> variant slug."""

    releases: Mapping[str, ReleaseInfo]
    variants: Mapping[str, VariantInfo]
    benchmarks: Mapping[str, BenchmarkInfo]
    benchmark_names: Mapping[str, str]
    model_aliases: Mapping[str, str]


@dataclass(frozen=True)
class ProposedClaim:
    release: str
    variant: str | None
    kind: str
    benchmark: str
    stated_value: float
    stated_text: str
    conditions: dict[str, Any]
    quote: str  # the row exactly as the document writes it
    location: str
    table: int
    row: int
    quote_start: int = 0  # byte offsets of the quote in the document's UTF-8 text
    quote_end: int = 0
    quote_readable: str = ""  # the row's cells without markup, joined by " | "
    category: str = ""
    notes: str = ""

    @property
    def key(self) -> tuple[str, str | None, str, str, str]:
        """What identifies a claim across versions of a document."""
        return (
            self.release,
            self.variant,
            self.benchmark,
            self.kind,
            conditions_key(self.conditions),
        )


@dataclass(frozen=True)
class ProposedFigure:
    subject_name: str
    subject_release: str | None
    benchmark: str
    value: float
    value_text: str
    conditions: dict[str, Any]
    quote: str  # the row exactly as the document writes it
    location: str
    table: int
    row: int
    quote_start: int = 0  # byte offsets of the quote in the document's UTF-8 text
    quote_end: int = 0
    quote_readable: str = ""  # the row's cells without markup, joined by " | "


@dataclass(frozen=True)
class Unreadable:
    table: int
    row: int  # 1-based body row; 0 is the header row
    label: str
    column: str
    text: str
    reason: str


@dataclass(frozen=True)
class UnknownBenchmark:
    table: int
    row: int
    label: str


@dataclass(frozen=True)
class Skipped:
    table: int
    row: int
    label: str
    reason: str


@dataclass
class Extraction:
    claims: list[ProposedClaim] = field(default_factory=list)
    figures: list[ProposedFigure] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    unknown_benchmarks: list[UnknownBenchmark] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    tables: list[int] = field(default_factory=list)  # the tables that name a release


class NoClaimTable(ValueError):
    """The document has no table, or none that names the releases."""


def cell_location(table: int, row: str, column: str) -> str:
    return f"table {table}, row '{row}', column '{column}'"
