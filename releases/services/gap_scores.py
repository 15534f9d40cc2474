"""Writes of gap scores: recompute, store a new current score only when the result changed,
and schedule recomputes for the claims an import or an edit touched.

A score's identity is its result (method version, verdict, flags, numbers, the measurements it
used, the sentence), not the day it was computed: recomputing on unchanged data writes nothing,
so the history holds one row per change, each with the date it was first computed as of.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from releases.models import Claim, GapScore, Measurement
from releases.scoring import METHOD_VERSION, score_claim
from releases.scoring.context_window import LONG_CONTEXT_BENCHMARKS
from releases.scoring.inputs import ClaimInput, Score
from releases.services.data_version import data_version_advance
from releases.services.gap_inputs import (
    REVIEW_FIELDS,
    ScoringInputs,
    benchmark_inputs,
    comparison_measurements,
    comparison_rows,
    coverage_by_claim,
    current_scores,
    length_peers,
    load_inputs,
    related_benchmark_ids,
    stream_measurements,
)

Progress = Callable[[str], None]

logger = logging.getLogger(__name__)

# Floats are compared at this many significant digits, so that a value read back from the
# database compares equal to the one computed (it always does on PostgreSQL and SQLite; this
# keeps it so on any backend that rounds in the last bit).
_SIGNIFICANT_DIGITS = 12


@dataclass
class RecomputeSummary:
    as_of: dt.date
    recomputed: int = 0
    changed: int = 0  # claims whose verdict changed (a first verdict counts)
    written: int = 0  # new GapScore rows
    differing: int = 0  # claims whose result differs from their current score
    verdicts: Counter = field(default_factory=Counter)
    changed_claim_ids: list[int] = field(default_factory=list)
    # Claims that already had a verdict and whose verdict this computation changes.
    moved_claim_ids: list[int] = field(default_factory=list)
    # Claims that could not be scored: claim id -> the error. Their current score is kept and
    # every other claim is scored as usual.
    failed: dict[int, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, int]:
        return {"recomputed": self.recomputed, "changed": self.changed, "written": self.written}


def gap_scores_recompute(
    *,
    claim_ids: Collection[int] | None = None,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> RecomputeSummary:
    """Score the published claims (all, or `claim_ids`) as of a date; store what changed.

    For each claim whose result differs from its current score, the current score is retired
    and a new one becomes current. The analyst's review carries over when the verdict is the
    same and reopens ("proposed") when it changed. Nothing is written when nothing changed, or
    with `dry_run`.
    """
    say = progress or (lambda message: None)
    as_of = as_of or timezone.localdate()
    now = now or timezone.now()
    summary = RecomputeSummary(as_of=as_of)
    loaded = load_inputs(claim_ids=claim_ids)
    say(f"scoring {len(loaded.claims):,} published claims as of {as_of.isoformat()}")
    scores = _score_all(loaded, claim_ids=claim_ids, as_of=as_of, say=say, failed=summary.failed)
    for claim_id, error in sorted(summary.failed.items()):
        say(f"claim {claim_id} could not be scored: {error}")
    summary.recomputed = len(scores)
    summary.verdicts = Counter(score.verdict for score in scores.values())

    pending = {
        claim_id: score
        for claim_id, score in scores.items()
        if _row_fingerprint(loaded.current.get(claim_id)) != _fingerprint(score)
    }
    summary.changed_claim_ids = sorted(
        claim_id
        for claim_id in pending
        if (loaded.current.get(claim_id) or {}).get("verdict") != pending[claim_id].verdict
    )
    summary.changed = len(summary.changed_claim_ids)
    summary.moved_claim_ids = [
        claim_id for claim_id in summary.changed_claim_ids if claim_id in loaded.current
    ]
    summary.differing = len(pending)
    if dry_run or not pending:
        return summary
    summary.written = _store(loaded, pending, as_of=as_of, now=now)
    say(f"{summary.written:,} new scores written; {summary.changed:,} verdicts changed")
    return summary


def claims_affected_by(*, measurements: QuerySet[Measurement]) -> list[int]:
    """Published claims whose score can use any of these (changed) measurements.

    Figure claims on the same (release, benchmark); context-window claims of a release whose
    long-context tests changed; comparison claims that involve the release, as claimant or rival.
    Three queries, whatever the number of measurements (an import passes "written by this
    snapshot" as a queryset): the distinct (release, benchmark) pairs written, then the claims
    of those releases and the comparisons naming them as rivals, matched to pairs in Python.
    (A correlated EXISTS per claim costs the same to run but PostgreSQL's JIT spends seconds
    compiling it; this shape stays in milliseconds.)
    """
    pairs = set(
        measurements.filter(variant__isnull=False)
        .order_by()
        .values_list("variant__release_id", "benchmark_id", "benchmark__slug")
        .distinct()
    )
    if not pairs:
        return []
    written = {(release, benchmark) for release, benchmark, _ in pairs}
    # A related benchmark's figures are shown beside a claim's verdict: its claims change too.
    benchmarks = benchmark_inputs()
    for release, benchmark, _ in list(pairs):
        for other in related_benchmark_ids(benchmarks, {benchmarks[benchmark].slug}):
            written.add((release, other))
    releases = {release for release, _, _ in pairs}
    long_context = {release for release, _, slug in pairs if slug in LONG_CONTEXT_BENCHMARKS}
    published = Claim.objects.filter(status=Claim.Status.PUBLISHED).order_by()
    affected = set()
    for pk, kind, release, benchmark in published.filter(
        release_id__in=sorted(releases)
    ).values_list("id", "kind", "release_id", "benchmark_id"):
        if (
            (release, benchmark) in written
            or (kind == Claim.Kind.CONTEXT_WINDOW and release in long_context)
            or kind == Claim.Kind.COMPARISON
        ):
            affected.add(pk)
    affected.update(
        published.filter(
            kind=Claim.Kind.COMPARISON, compared_with__in=sorted(releases)
        ).values_list("id", flat=True)
    )
    return sorted(affected)


def score_inputs_json(claim: ClaimInput, score: Score, as_of: dt.date) -> dict[str, Any]:
    """Everything the score was computed from and with, as stored in GapScore.inputs."""
    return _jsonable(
        {
            "as_of": as_of,
            "claim": dataclasses.asdict(claim),
            "used": [dataclasses.asdict(u) for u in score.used],
            "context": [dataclasses.asdict(u) for u in score.context],
            "related": [dataclasses.asdict(u) for u in score.related],
            "reason": score.reason,
            "comparisons": [dataclasses.asdict(c) for c in score.comparisons],
            "curves": [dataclasses.asdict(c) for c in score.curves],
            "peers": [dataclasses.asdict(p) for p in score.peers],
            "claim_std_error": score.claim_std_error,
            "measured_std_error": score.measured_std_error,
            "win_probability": score.win_probability,
            "notes": list(score.notes),
        }
    )


def _score_all(
    loaded: ScoringInputs,
    *,
    claim_ids: Collection[int] | None,
    as_of: dt.date,
    say: Progress,
    failed: dict[int, str],
) -> dict[int, Score]:
    scores: dict[int, Score] = {}
    peers = length_peers(as_of=as_of) if loaded.has_context_claims else {}
    coverage = coverage_by_claim(loaded)

    def score(claim_id: int, rows: Any) -> None:
        # One claim that cannot be scored (a value that overflows the arithmetic, a bug met by
        # one claim's data) must not stop the others: it keeps its current score, and the error
        # is logged with its traceback and reported in the summary.
        try:
            scores[claim_id] = score_claim(
                loaded.claims[claim_id], rows, as_of, peers=peers, coverage=coverage.get(claim_id)
            )
        except Exception as exc:
            logger.exception("claim %s could not be scored", claim_id)
            failed[claim_id] = f"{exc.__class__.__name__}: {exc}"

    for release_id, rows in stream_measurements(loaded, claim_ids=claim_ids, as_of=as_of):
        for claim_id in loaded.by_release.get(release_id, ()):
            score(claim_id, rows)
        if len(scores) and len(scores) % 1000 < len(loaded.by_release.get(release_id, ())):
            say(f"  {len(scores):,} claims scored")
    # Claims no measurement touches are scored too: "unverified" is a verdict.
    for ids in loaded.by_release.values():
        for claim_id in ids:
            if claim_id not in scores and claim_id not in failed:
                score(claim_id, ())
    if loaded.comparisons:
        by_variant: dict[int, list] = {}
        for row in comparison_measurements(loaded, as_of=as_of):
            by_variant.setdefault(row.variant_id, []).append(row)
        for claim_id in loaded.comparisons:
            claim = loaded.claims[claim_id]
            score(claim_id, comparison_rows(claim, by_variant))
    return scores


def _store(
    loaded: ScoringInputs, pending: dict[int, Score], *, as_of: dt.date, now: dt.datetime
) -> int:
    with transaction.atomic():
        # Two recomputes of the same claims (a task redelivered, a command run by hand) take
        # turns here; the second sees the first's scores and writes only what still differs.
        list(
            Claim.objects.select_for_update()
            .filter(pk__in=sorted(pending))
            .order_by("pk")
            .values_list("pk")
        )
        current = current_scores(claims=sorted(pending))
        new_scores = []
        for claim_id, score in sorted(pending.items()):
            previous = current.get(claim_id)
            if _row_fingerprint(previous) == _fingerprint(score):
                continue
            review: dict[str, Any] = {}
            if previous is not None and previous["verdict"] == score.verdict:
                review = {name: previous[name] for name in REVIEW_FIELDS}
            new_scores.append(
                GapScore(
                    claim_id=claim_id,
                    method_version=METHOD_VERSION,
                    computed_at=now,
                    as_of=as_of,
                    measurement_ids=list(score.measurement_ids),
                    inputs=score_inputs_json(loaded.claims[claim_id], score, as_of),
                    aggregate=score.aggregate,
                    spread=score.spread,
                    gap=score.gap,
                    gap_relative=score.gap_relative,
                    z=score.z,
                    verdict=score.verdict,
                    flags=list(score.flags),
                    explanation=score.explanation,
                    is_current=True,
                    **review,
                )
            )
        if not new_scores:
            return 0
        GapScore.objects.filter(
            is_current=True, claim_id__in=[s.claim_id for s in new_scores]
        ).update(is_current=False)
        GapScore.objects.bulk_create(new_scores)
        data_version_advance()
    return len(new_scores)


def _fingerprint(score: Score) -> tuple:
    return (
        METHOD_VERSION,
        score.verdict,
        tuple(score.flags),
        tuple(score.measurement_ids),
        *(
            _round(x)
            for x in (score.aggregate, score.spread, score.gap, score.gap_relative, score.z)
        ),
        score.explanation,
    )


def _row_fingerprint(row: dict[str, Any] | None) -> tuple | None:
    if row is None:
        return None
    return (
        row["method_version"],
        row["verdict"],
        tuple(row["flags"]),
        tuple(row["measurement_ids"]),
        *(_round(row[name]) for name in ("aggregate", "spread", "gap", "gap_relative", "z")),
        row["explanation"],
    )


def _round(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.{_SIGNIFICANT_DIGITS}g}")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
