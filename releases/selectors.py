"""Reads that span relations: kept here so views and the admin don't each grow their own joins."""

from __future__ import annotations

import functools

from django.db.models import FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery

from releases.models import Claim, GapScore, LeaderboardSource, Measurement, Snapshot


def claim_measurements(*, claim: Claim) -> QuerySet[Measurement]:
    """Independent measurements relevant to a claim: same benchmark, any variant of its release.

    Every variant is included, not only the public ones or the one the claim names: an
    experimental build's figures are the context that explains a variant mismatch. Conditions
    are not filtered here; telling comparable from not comparable is the scoring's job.
    Unresolved measurements (no variant yet) cannot belong to the release and are left out.
    """
    if claim.benchmark_id is None:
        return Measurement.objects.none()
    return (
        Measurement.objects.filter(
            benchmark_id=claim.benchmark_id, variant__release_id=claim.release_id
        )
        .select_related("source", "variant", "snapshot", "benchmark")
        .order_by("-as_of", "variant__name", "source__name", "id")
    )


# --- The API's lists: each a fixed number of queries per page, whatever the page size --------


def claims_listed(*, include_drafts: bool) -> QuerySet[Claim]:
    """The claims a reader may list, with `current`, the current score as a join, for
    filtering and ordering on the verdict, gap or z; nothing else is joined. What a list page
    chooses its ids from: its rows are then read with `claim_list`."""
    # A copy of one built per process: building it (the filter, then the filtered relation)
    # took 76 us of CPU, a tenth of an uncached list page's own work; copying takes 3 us.
    # Never evaluated itself, so it holds no rows: every caller gets a fresh, lazy queryset.
    return _claims_listed(include_drafts).all()


@functools.cache
def _claims_listed(include_drafts: bool) -> QuerySet[Claim]:
    claims = Claim.objects.all() if include_drafts else Claim.objects.filter(status="published")
    return claims.annotate(
        current=FilteredRelation("gap_scores", condition=Q(gap_scores__is_current=True))
    )


def claim_list(*, include_drafts: bool) -> QuerySet[Claim]:
    """Claims with what a listing shows beside each: release and vendor, variant, benchmark,
    citation (without its archived bytes), rivals and the current score (without its inputs).

    `current` is the current score as a join, for filtering and ordering on the verdict, gap or
    z; `current_scores` holds it (a one-item list) for display.
    """
    return (
        claims_listed(include_drafts=include_drafts)
        .select_related("release__vendor", "variant", "benchmark", "citation")
        .defer("citation__archived_content")
        .prefetch_related(
            "compared_with",
            Prefetch(
                "gap_scores",
                queryset=GapScore.objects.filter(is_current=True).defer("inputs"),
                to_attr="current_scores",
            ),
        )
    )


def measurement_list() -> QuerySet[Measurement]:
    return Measurement.objects.select_related(
        "benchmark", "variant__release", "source", "snapshot"
    ).defer(
        "snapshot__raw",
        "snapshot__headers",
        "snapshot__changed_measurement_ids",
        "snapshot__unresolved_names",
    )


def snapshot_list() -> QuerySet[Snapshot]:
    """Snapshot metadata; the raw bytes (megabytes each) are read only by the download."""
    return Snapshot.objects.select_related("source").defer("raw", "changed_measurement_ids")


def source_list() -> QuerySet[LeaderboardSource]:
    """Sources with their latest snapshot's id, date, outcome, error and row count, as
    subqueries of the one query."""
    latest = Snapshot.objects.filter(source=OuterRef("pk")).order_by("-fetched_at", "-id")
    return LeaderboardSource.objects.annotate(
        _last_id=Subquery(latest.values("id")[:1]),
        _last_fetched_at=Subquery(latest.values("fetched_at")[:1]),
        _last_status=Subquery(latest.values("status")[:1]),
        _last_error=Subquery(latest.values("error")[:1]),
        _last_rows_parsed=Subquery(latest.values("rows_parsed")[:1]),
    )
