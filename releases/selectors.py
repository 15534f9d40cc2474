"""Reads that span relations: kept here so views and the admin don't each grow their own joins."""

from __future__ import annotations

from django.db.models import QuerySet

from releases.models import Claim, Measurement


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
