"""What each public page reads, in a fixed number of queries whatever the amount of data.

Every page is a handful of queries: the object, then each list on it in one query (related rows
joined with `select_related`, the current score fetched with one `Prefetch`). Archived bytes
(a citation's copy of the document, a snapshot's raw payload) are deferred everywhere except on
the download that serves them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404

from releases.models import (
    Benchmark,
    Citation,
    Claim,
    ClaimRevision,
    GapScore,
    LeaderboardSource,
    Measurement,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    Snapshot,
    Vendor,
)
from releases.web.verdicts import SEVERITY, VerdictStyle, verdict_style

PUBLISHED = Claim.Status.PUBLISHED
HOME_LIST_LENGTH = 10
BENCHMARK_MEASUREMENTS_SHOWN = 300
SEARCH_RESULTS_SHOWN = 50
# A snapshot's columns too large to read for a link to it.
_SNAPSHOT_BULK = (
    "snapshot__raw",
    "snapshot__headers",
    "snapshot__unresolved_names",
    "snapshot__changed_measurement_ids",
)


@dataclass
class ClaimRow:
    """A claim in a list, with its current score (None before the first)."""

    claim: Claim
    score: GapScore | None

    @property
    def style(self) -> VerdictStyle:
        return verdict_style(self.score.verdict if self.score else None)


def _current_score() -> Prefetch:
    return Prefetch(
        "gap_scores", queryset=GapScore.objects.filter(is_current=True), to_attr="current_scores"
    )


def _claim_rows(claims: QuerySet[Claim]) -> list[ClaimRow]:
    """Two queries: the claims with what they name, and their current scores."""
    claims = (
        claims.select_related("release__vendor", "variant", "benchmark", "citation")
        .defer("citation__archived_content")
        .prefetch_related(_current_score())
    )
    return [
        ClaimRow(claim, claim.current_scores[0] if claim.current_scores else None)  # type: ignore[attr-defined]
        for claim in claims
    ]


def published_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(status=PUBLISHED)


# --- Home -------------------------------------------------------------------------------------


def verdict_changes(
    *, release_id: int | None = None, limit: int = HOME_LIST_LENGTH
) -> list[GapScore]:
    """The latest scores whose verdict differs from the one before (a first verdict counts).

    One query: each score is compared with the claim's previous score in a subquery. A score
    stored only because its numbers moved is not a verdict change and is left out.
    """
    previous = GapScore.objects.filter(
        claim_id=OuterRef("claim_id"), computed_at__lt=OuterRef("computed_at")
    ).order_by("-computed_at", "-id")
    scores = (
        GapScore.objects.filter(claim__status=PUBLISHED)
        .annotate(previous_verdict=Subquery(previous.values("verdict")[:1]))
        .filter(Q(previous_verdict__isnull=True) | ~Q(previous_verdict=F("verdict")))
        .select_related("claim__release__vendor", "claim__variant", "claim__benchmark")
        .order_by("-computed_at", "-id")
    )
    if release_id is not None:
        scores = scores.filter(claim__release_id=release_id)
    return list(scores[:limit])


def largest_gaps(limit: int = HOME_LIST_LENGTH) -> list[GapScore]:
    """Current verdicts that say the claim did not hold, worst first: substantially overstated
    before overstated, then by how far beyond the uncertainty (z), then by the relative gap."""
    return list(
        GapScore.objects.filter(is_current=True, claim__status=PUBLISHED, verdict__in=SEVERITY)
        .select_related("claim__release__vendor", "claim__variant", "claim__benchmark")
        .order_by(
            F("verdict").desc(),  # "substantially_overstated" sorts after "overstated"
            F("z").desc(nulls_last=True),
            F("gap_relative").desc(nulls_last=True),
            "claim_id",
        )[:limit]
    )


def releases_by_date() -> QuerySet[ModelRelease]:
    return (
        ModelRelease.objects.select_related("vendor")
        .annotate(published_claims=Count("claims", filter=Q(claims__status=PUBLISHED)))
        .order_by(F("announced_on").desc(nulls_last=True), "name")
    )


# --- Release ----------------------------------------------------------------------------------


@dataclass
class ReleasePage:
    release: ModelRelease
    variants: list[ModelVariant]
    rows: list[ClaimRow]
    groups: list[dict[str, Any]] = field(default_factory=list)


def release_page(slug: str) -> ReleasePage:
    release, rows = release_claim_rows(slug)
    variants = list(release.variants.order_by("-is_public", "name"))
    return ReleasePage(release=release, variants=variants, rows=rows)


def release_claim_rows(slug: str) -> tuple[ModelRelease, list[ClaimRow]]:
    release = get_object_or_404(ModelRelease.objects.select_related("vendor"), slug=slug)
    rows = _claim_rows(
        published_claims().filter(release=release).order_by("benchmark__name", "kind", "id")
    )
    return release, rows


# --- Claim ------------------------------------------------------------------------------------


@dataclass
class ClaimPage:
    claim: Claim
    score: GapScore | None
    history: list[GapScore]
    measurements: list[Measurement]
    revisions: list[ClaimRevision]
    compared_with: list[ModelRelease]


def claim_page(claim_id: int) -> ClaimPage:
    """Six queries: the claim, its scores, its measurements, its revisions, the models a
    comparison names."""
    claim = get_object_or_404(
        published_claims()
        .select_related("release__vendor", "variant", "benchmark", "citation")
        .defer("citation__archived_content"),
        pk=claim_id,
    )
    history = list(claim.gap_scores.select_related("reviewed_by").order_by("-computed_at", "-id"))
    score = next((s for s in history if s.is_current), None)
    return ClaimPage(
        claim=claim,
        score=score,
        history=history,
        measurements=claim_measurement_list(claim, score),
        revisions=list(
            claim.revisions.select_related("old_citation", "new_citation")
            .defer("old_citation__archived_content", "new_citation__archived_content")
            .order_by("-detected_at")
        ),
        compared_with=list(claim.compared_with.order_by("name")),
    )


def score_measurement_ids(score: GapScore | None) -> tuple[set[int], set[int]]:
    """(ids the score used, ids it showed as context), read from its stored inputs."""
    if score is None:
        return set(), set()
    inputs = score.inputs or {}

    def ids(key: str) -> set[int]:
        found: set[int] = set()
        for entry in inputs.get(key, ()):
            found.update(entry.get("measurement_ids", ()))
        return found

    # The stored list also holds the context figures; the inputs say which were which.
    used = ids("used") if "used" in inputs else set(score.measurement_ids or ())
    context = ids("context")
    return used, context - used


def claim_measurement_list(claim: Claim, score: GapScore | None) -> list[Measurement]:
    """Every independent measurement behind a claim, in one query.

    Those on the claim's benchmark for any variant of its release (so an unreleased build's
    figures show as context), and whatever else the score used or showed: a context-window
    claim is scored on long-context tests, which are other benchmarks. Each row is marked
    `role`: used, context or other.
    """
    used, context = score_measurement_ids(score)
    match = Q(id__in=used | context)
    if claim.benchmark_id is not None:
        match |= Q(benchmark_id=claim.benchmark_id, variant__release_id=claim.release_id)
    rows = list(
        Measurement.objects.filter(match)
        .select_related("source", "variant", "snapshot", "benchmark")
        .defer(*_SNAPSHOT_BULK)
        .order_by("benchmark__name", "-as_of", "variant__name", "source__name", "id")
    )
    for row in rows:
        row.role = "used" if row.id in used else "context" if row.id in context else "other"  # type: ignore[attr-defined]
    return rows


# --- Vendor, benchmark, sources, search ------------------------------------------------------


def vendor_by_slug(slug: str) -> Vendor:
    return get_object_or_404(Vendor, slug=slug)


@dataclass
class BenchmarkPage:
    benchmark: Benchmark
    rows: list[ClaimRow]
    measurements: list[Measurement]
    measurements_total: int


def benchmark_claim_rows(slug: str) -> tuple[Benchmark, list[ClaimRow]]:
    benchmark = get_object_or_404(Benchmark, slug=slug)
    rows = _claim_rows(
        published_claims().filter(benchmark=benchmark).order_by("release__name", "id")
    )
    return benchmark, rows


def benchmark_page(slug: str) -> BenchmarkPage:
    benchmark, rows = benchmark_claim_rows(slug)
    tracked = Measurement.objects.filter(benchmark=benchmark, variant__isnull=False)
    measurements = list(
        tracked.select_related("source", "variant__release", "snapshot")
        .defer(*_SNAPSHOT_BULK, "metadata")
        .order_by("variant__release__name", "variant__name", "-as_of", "id")[
            :BENCHMARK_MEASUREMENTS_SHOWN
        ]
    )
    return BenchmarkPage(
        benchmark=benchmark,
        rows=rows,
        measurements=measurements,
        measurements_total=tracked.count(),
    )


def sources_with_last_fetch() -> QuerySet[LeaderboardSource]:
    """Each source with its latest snapshot's status, time and error: one query."""
    latest = Snapshot.objects.filter(source_id=OuterRef("pk")).order_by("-fetched_at", "-id")
    return LeaderboardSource.objects.annotate(
        last_snapshot_id=Subquery(latest.values("id")[:1]),
        last_snapshot_status=Subquery(latest.values("status")[:1]),
        last_snapshot_at=Subquery(latest.values("fetched_at")[:1]),
        last_snapshot_rows=Subquery(latest.values("rows_parsed")[:1]),
        measurement_count=Subquery(
            Measurement.objects.filter(source_id=OuterRef("pk"))
            .order_by()
            .values("source_id")
            .annotate(n=Count("id"))
            .values("n")[:1]
        ),
    ).order_by("name")


@dataclass
class SearchResults:
    query: str
    vendors: list[Vendor]
    releases: list[ModelRelease]
    benchmarks: list[Benchmark]

    @property
    def count(self) -> int:
        return len(self.vendors) + len(self.releases) + len(self.benchmarks)


def search(query: str) -> SearchResults:
    """Vendors, releases and benchmarks whose name (or a variant's name, or a leaderboard's
    name for it) contains the words. Three queries; none for an empty query."""
    query = " ".join(query.split())[:100]
    if not query:
        return SearchResults(query, [], [], [])
    words = query.split()
    release_match = Q()
    for word in words:
        variant_named = ModelVariant.objects.filter(release_id=OuterRef("pk")).filter(
            Q(name__icontains=word) | Q(hub_id__icontains=word)
        )
        alias_named = ModelAlias.objects.filter(
            variant__release_id=OuterRef("pk"), name__icontains=word
        )
        release_match &= (
            Q(name__icontains=word)
            | Q(vendor__name__icontains=word)
            | Q(slug__icontains=word)
            | Exists(variant_named)
            | Exists(alias_named)
        )
    releases = list(
        ModelRelease.objects.filter(release_match)
        .select_related("vendor")
        .order_by(F("announced_on").desc(nulls_last=True), "name")[:SEARCH_RESULTS_SHOWN]
    )
    vendors = list(_all_words(Vendor.objects.all(), words, "name")[:SEARCH_RESULTS_SHOWN])
    benchmark_match = Q()
    for word in words:
        benchmark_match &= (
            Q(name__icontains=word) | Q(slug__icontains=word) | Q(aliases__name__icontains=word)
        )
    benchmarks = list(
        Benchmark.objects.filter(benchmark_match).distinct().order_by("name")[:SEARCH_RESULTS_SHOWN]
    )
    return SearchResults(query, vendors, releases, benchmarks)


def _all_words(queryset: QuerySet, words: Iterable[str], field_name: str) -> QuerySet:
    for word in words:
        queryset = queryset.filter(**{f"{field_name}__icontains": word})
    return queryset


# --- Downloads --------------------------------------------------------------------------------


def citation_archive(citation_id: int) -> Citation:
    return get_object_or_404(Citation.objects.exclude(archived_content=None), pk=citation_id)


def snapshot_detail(snapshot_id: int) -> Snapshot:
    return get_object_or_404(Snapshot.objects.select_related("source").defer("raw"), pk=snapshot_id)


def snapshot_with_raw(snapshot_id: int) -> Snapshot:
    return get_object_or_404(
        Snapshot.objects.select_related("source").exclude(raw=None), pk=snapshot_id
    )
