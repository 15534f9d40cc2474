"""Which published claims the tracked leaderboards can check, and why the others are unverified.

A read path for `manage.py coverage_report`: per release and benchmark, each published claim with
its current verdict, the leaderboards whose measurements it used, and for a claim that could not
be checked the reason its score stored (`releases.scoring.coverage`), in words an analyst can act
on. Four queries, whatever the number of claims.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from releases.models import Claim, GapScore, Measurement
from releases.reports import NOT_CHECKED
from releases.scoring.coverage import REASONS


@dataclass
class ClaimCoverage:
    id: int
    variant: str | None
    kind: str
    stated: str
    verdict: str | None
    reason: str
    reason_text: str
    sources: list[str]
    related: list[str]


@dataclass
class BenchmarkCoverage:
    benchmark: str | None
    claims: list[ClaimCoverage] = field(default_factory=list)


@dataclass
class ReleaseCoverage:
    release: str
    name: str
    benchmarks: list[BenchmarkCoverage] = field(default_factory=list)


@dataclass
class CoverageReport:
    claims: int
    scored: int
    checked: int
    by_verdict: dict[str, int]
    by_reason: dict[str, int]
    checked_by_source: dict[str, list[int]]
    releases: list[ReleaseCoverage]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def coverage_report() -> CoverageReport:
    claims = list(
        Claim.objects.filter(status=Claim.Status.PUBLISHED)
        .order_by("release__slug", "benchmark__slug", "id")
        .values_list(
            "id",
            "release__slug",
            "release__name",
            "benchmark__slug",
            "variant__slug",
            "kind",
            "stated_text",
        )
    )
    scores = {
        claim_id: (verdict, inputs or {})
        for claim_id, verdict, inputs in GapScore.objects.filter(
            is_current=True, claim__status=Claim.Status.PUBLISHED
        ).values_list("claim_id", "verdict", "inputs")
    }
    used_ids = {
        i
        for _, inputs in scores.values()
        for u in inputs.get("used", ())
        for i in u.get("measurement_ids", ())
    }
    source_of = dict(
        Measurement.objects.filter(pk__in=sorted(used_ids)).values_list("pk", "source__slug")
    )

    releases: dict[str, ReleaseCoverage] = {}
    by_verdict: Counter[str] = Counter()
    by_reason: Counter[str] = Counter()
    checked_by_source: dict[str, list[int]] = {}
    for claim_id, release, release_name, benchmark, variant, kind, stated in claims:
        verdict, inputs = scores.get(claim_id, (None, {}))
        sources = sorted(
            {
                source_of[i]
                for u in inputs.get("used", ())
                for i in u.get("measurement_ids", ())
                if i in source_of
            }
        )
        reason = inputs.get("reason", "") if verdict in NOT_CHECKED else ""
        entry = ClaimCoverage(
            id=claim_id,
            variant=variant,
            kind=kind,
            stated=stated,
            verdict=verdict,
            reason=reason,
            reason_text=REASONS.get(reason, ""),
            sources=sources,
            related=sorted({u["benchmark"] for u in inputs.get("related", ())}),
        )
        if verdict is not None:
            by_verdict[verdict] += 1
        if reason:
            by_reason[reason] += 1
        if verdict is not None and verdict not in NOT_CHECKED:
            for source in sources:
                checked_by_source.setdefault(source, []).append(claim_id)
        group = releases.setdefault(release, ReleaseCoverage(release=release, name=release_name))
        if not group.benchmarks or group.benchmarks[-1].benchmark != benchmark:
            group.benchmarks.append(BenchmarkCoverage(benchmark=benchmark))
        group.benchmarks[-1].claims.append(entry)
    checked = sum(n for verdict, n in by_verdict.items() if verdict not in NOT_CHECKED)
    return CoverageReport(
        claims=len(claims),
        scored=sum(by_verdict.values()),
        checked=checked,
        by_verdict=dict(sorted(by_verdict.items())),
        by_reason=dict(sorted(by_reason.items())),
        checked_by_source=dict(sorted(checked_by_source.items())),
        releases=list(releases.values()),
    )
