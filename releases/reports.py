"""Reads that summarise the scores: track records per vendor and per release, and the export.

Each is one query, whatever the number of vendors, releases or claims: the counts are computed
by the database (`Count(..., filter=Q(...))`, grouped by vendor or release), and the export
reads each claim with its current score through one join.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FilteredRelation, Q

from releases.models import Claim, GapScore, ModelRelease, Vendor

Verdict = GapScore.Verdict

# Verdicts that say the claim could not be checked against comparable independent data.
NOT_CHECKED = (Verdict.UNVERIFIED, Verdict.NOT_COMPARABLE)

# A share is shown only from this many checked claims: of 2 to 4 claims, "50% held" reads as a
# rate the sample cannot support; the counts are shown instead.
MIN_CHECKED_FOR_SHARE = 5


@dataclass(frozen=True)
class TrackRecord:
    """How one vendor's (or one release's) published claims fared, as counts.

    `claims` counts published claims; `scored` those with a current score; `checked` those whose
    verdict compared them with independent data (not unverified, not comparable); `reviewed`
    those whose current verdict an analyst confirmed (the others are proposed). Held, overstated,
    substantially overstated and understated are disjoint and add up to `checked`; their shares
    are of the claims checked (one base for the row), and only from MIN_CHECKED_FOR_SHARE checked
    claims. Unverified and not comparable are counts: they were not checked at all.
    """

    id: int
    name: str
    slug: str
    vendor: str
    claims: int
    scored: int
    checked: int
    holds: int
    overstated: int  # overstated only; substantially overstated is counted apart
    substantially_overstated: int
    understated: int
    unverified: int
    not_comparable: int
    reviewed: int = 0

    @property
    def shares_shown(self) -> bool:
        return self.checked >= MIN_CHECKED_FOR_SHARE

    @property
    def proposed(self) -> int:
        """Verdicts no analyst has confirmed yet."""
        return self.scored - self.reviewed

    @property
    def not_yet_scored(self) -> int:
        return self.claims - self.scored

    @property
    def holds_share(self) -> float | None:
        return self._of_checked(self.holds)

    @property
    def overstated_share(self) -> float | None:
        return self._of_checked(self.overstated)

    @property
    def substantially_overstated_share(self) -> float | None:
        return self._of_checked(self.substantially_overstated)

    @property
    def understated_share(self) -> float | None:
        return self._of_checked(self.understated)

    def _of_checked(self, part: int) -> float | None:
        return _share(part, self.checked) if self.shares_shown else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _counts(claims: str) -> dict[str, Count]:
    """The track-record counts over the claims reached through the relation path `claims`.

    Every count follows the same join (claims, then their gap scores), so the database joins
    once. Old scores stay in the table as history; only the current one counts.
    """
    scores = f"{claims}__gap_scores"
    current = Q(**{f"{claims}__status": Claim.Status.PUBLISHED, f"{scores}__is_current": True})

    def verdict(*verdicts: str) -> Count:
        return Count(f"{scores}__id", filter=current & Q(**{f"{scores}__verdict__in": verdicts}))

    return {
        # A claim with several scores in its history appears once per score in the join.
        "n_claims": Count(
            f"{claims}__id",
            filter=Q(**{f"{claims}__status": Claim.Status.PUBLISHED}),
            distinct=True,
        ),
        "n_scored": Count(f"{scores}__id", filter=current),
        "n_checked": Count(
            f"{scores}__id",
            filter=current & ~Q(**{f"{scores}__verdict__in": NOT_CHECKED}),
        ),
        "n_holds": verdict(Verdict.HOLDS),
        "n_overstated": verdict(Verdict.OVERSTATED),
        "n_substantially_overstated": verdict(Verdict.SUBSTANTIALLY_OVERSTATED),
        "n_understated": verdict(Verdict.UNDERSTATED),
        "n_unverified": verdict(Verdict.UNVERIFIED),
        "n_not_comparable": verdict(Verdict.NOT_COMPARABLE),
        "n_reviewed": Count(
            f"{scores}__id",
            filter=current & Q(**{f"{scores}__review_status": GapScore.Review.CONFIRMED}),
        ),
    }


def _record(row: Mapping[str, Any], vendor: str) -> TrackRecord:
    return TrackRecord(
        id=row["id"],
        name=row["name"],
        slug=row["slug"],
        vendor=vendor,
        claims=row["n_claims"],
        scored=row["n_scored"],
        checked=row["n_checked"],
        holds=row["n_holds"],
        overstated=row["n_overstated"],
        substantially_overstated=row["n_substantially_overstated"],
        understated=row["n_understated"],
        unverified=row["n_unverified"],
        not_comparable=row["n_not_comparable"],
        reviewed=row["n_reviewed"],
    )


def _record_by_vendor(row: Mapping[str, Any]) -> TrackRecord:
    return _record(row, vendor=row["name"])


def _record_by_release(row: Mapping[str, Any]) -> TrackRecord:
    return _record(row, vendor=row["vendor_name"])


def track_record_by_vendor() -> list[TrackRecord]:
    """Every vendor with published claims, with the counts over them. One query."""
    rows = (
        Vendor.objects.values("id", "name", "slug")
        .annotate(**_counts("releases__claims"))
        .order_by("name", "id")
    )
    # A row with no published claims says nothing: left out (still one query).
    return [record for record in map(_record_by_vendor, rows) if record.claims]


def track_record_by_release(vendor_id: int | None = None) -> list[TrackRecord]:
    """Every release with published claims (of one vendor, if given), with their counts.

    One query. Ordered by vendor, then newest announcement first.
    """
    releases = ModelRelease.objects.all()
    if vendor_id is not None:
        releases = releases.filter(vendor_id=vendor_id)
    rows = (
        releases.values("id", "name", "slug", vendor_name=F("vendor__name"))
        .annotate(**_counts("claims"))
        .order_by("vendor_name", F("announced_on").desc(nulls_last=True), "name", "id")
    )
    return [record for record in map(_record_by_release, rows) if record.claims]


# --- Export -----------------------------------------------------------------------------------

# The export's keys, in order: the list, plus `conditions` (the issue names conditions
# among the contents of the export, but not among the JSON keys).
EXPORT_FIELDS = (
    "id",
    "release",
    "variant",
    "benchmark",
    "kind",
    "stated",
    "unit",
    "conditions",
    "verdict",
    "gap",
    "z",
    "flags",
    "explanation",
    "method_version",
    "measurements",
)


def claim_export_rows() -> Generator[dict[str, Any], None, None]:
    """Every published claim with its current score, as plain values, ordered by id.

    One query: the claim, its release, variant and benchmark, and its current score (joined on
    `is_current`, so a claim's history does not multiply its row). A claim not scored yet has
    None for every score field.
    """
    rows = (
        Claim.objects.filter(status=Claim.Status.PUBLISHED)
        .annotate(current=FilteredRelation("gap_scores", condition=Q(gap_scores__is_current=True)))
        .order_by("id")
        .values_list(
            "id",
            "release__slug",
            "variant__slug",
            "benchmark__slug",
            "kind",
            "stated_value",
            "benchmark__unit",
            "conditions",
            "current__id",
            "current__verdict",
            "current__gap",
            "current__z",
            "current__flags",
            "current__explanation",
            "current__method_version",
            "current__measurement_ids",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        (
            claim_id,
            release,
            variant,
            benchmark,
            kind,
            stated,
            unit,
            conditions,
            score_id,
            verdict,
            gap,
            z,
            flags,
            explanation,
            method_version,
            measurement_ids,
        ) = row
        scored = score_id is not None
        yield {
            "id": claim_id,
            "release": release,
            "variant": variant,
            "benchmark": benchmark,
            "kind": kind,
            "stated": stated,
            "unit": unit,
            "conditions": conditions or {},
            "verdict": verdict,
            "gap": gap,
            "z": z,
            "flags": list(flags) if scored else None,
            "explanation": explanation,
            "method_version": method_version,
            "measurements": list(measurement_ids) if scored else None,
        }


def export_csv_cell(name: str, value: Any) -> str:
    """One export value as a CSV cell: lists joined with ";", conditions as compact JSON,
    None as empty."""
    if value is None:
        return ""
    if name == "conditions":
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    return str(value)
