"""Track records for the API, from `releases.reports` (the one place that counts verdicts).

A year narrows a track record to the releases announced that year. `reports` counts per release
in one query; a vendor's record for the year is the sum of its releases' records, since every
count in a `TrackRecord` is a count of claims and claims belong to exactly one release. The
shares are the dataclass's own properties, computed from the summed counts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from releases import reports
from releases.models import ModelRelease, Vendor
from releases.reports import TrackRecord

# TrackRecord's identity fields; every other field is a count and adds up.
_IDENTITY = {"id", "name", "slug", "vendor"}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclasses.dataclass(frozen=True)
class ApiTrackRecord(TrackRecord):
    """A track record as the API gives it: every share beside its base, whatever the sample.

    The pages show a share only from MIN_CHECKED_FOR_SHARE checked claims, since a reader takes
    "50%" of two claims for a rate; a program reads `checked` beside each share and can weigh
    the sample itself. Held, overstated, substantially overstated and understated are shares of
    the claims checked; unverified and not comparable of the claims scored.
    """

    def _of_checked(self, part: int) -> float | None:
        return _share(part, self.checked)

    @property
    def unverified_share(self) -> float | None:
        return _share(self.unverified, self.scored)

    @property
    def not_comparable_share(self) -> float | None:
        return _share(self.not_comparable, self.scored)


def _for_api(record: TrackRecord) -> ApiTrackRecord:
    return ApiTrackRecord(**dataclasses.asdict(record))


def _sum(records: Iterable[TrackRecord], *, vendor: Vendor) -> ApiTrackRecord:
    counts = {f.name: 0 for f in dataclasses.fields(TrackRecord) if f.name not in _IDENTITY}
    for record in records:
        for name in counts:
            counts[name] += getattr(record, name)
    return ApiTrackRecord(
        id=vendor.pk, name=vendor.name, slug=vendor.slug, vendor=vendor.name, **counts
    )


def release_records(
    *, vendor: Vendor | None = None, year: int | None = None
) -> list[ApiTrackRecord]:
    records = [
        _for_api(r)
        for r in reports.track_record_by_release(vendor_id=vendor.pk if vendor else None)
    ]
    if year is None:
        return records
    in_year = set(ModelRelease.objects.filter(announced_on__year=year).values_list("id", flat=True))
    return [record for record in records if record.id in in_year]


def vendor_records(*, year: int | None = None) -> list[ApiTrackRecord]:
    if year is None:
        return [_for_api(r) for r in reports.track_record_by_vendor()]
    by_vendor: dict[int, list[TrackRecord]] = {}
    vendor_of = dict(ModelRelease.objects.values_list("id", "vendor_id"))
    for record in release_records(year=year):
        by_vendor.setdefault(vendor_of[record.id], []).append(record)
    return [
        _sum(by_vendor.get(vendor.pk, ()), vendor=vendor)
        for vendor in Vendor.objects.order_by("name", "id")
    ]
