"""The claimsdb domain, one module per part of it.

- `catalogue`: who released what: vendors, releases, variants, the names leaderboards use for
  them, and the benchmarks figures are reported on.
- `claims`: what vendors said, with the evidence: citations, claims, figures vendors reported
  about other vendors' models, and revisions of a claim between versions of a document.
- `leaderboards`: what independent evaluators measured: sources, the raw snapshots fetched from
  them, measurements parsed from those, and name candidates waiting for an analyst.
- `scores`: the reality gap computed for each claim, with its history and its review.
"""

from releases.models.catalogue import (
    Benchmark,
    BenchmarkAlias,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    Vendor,
)
from releases.models.claims import Citation, Claim, ClaimRevision, ReportedFigure
from releases.models.data_version import DataVersion
from releases.models.leaderboards import AliasCandidate, LeaderboardSource, Measurement, Snapshot
from releases.models.scores import GapScore

__all__ = [
    "AliasCandidate",
    "Benchmark",
    "BenchmarkAlias",
    "Citation",
    "Claim",
    "ClaimRevision",
    "DataVersion",
    "GapScore",
    "LeaderboardSource",
    "Measurement",
    "ModelAlias",
    "ModelRelease",
    "ModelVariant",
    "ReportedFigure",
    "Snapshot",
    "Vendor",
]
