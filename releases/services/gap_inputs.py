"""Reading the scoring's inputs out of the database, in a fixed number of queries.

A full recompute reads every published claim and every measurement its scores can use. The
number of queries does not grow with the number of claims: claims, rivals, releases, variants,
benchmarks and current scores are one query each, and measurements arrive in one streamed
query ordered by release, so only one release's measurements are held in memory at a time.
Comparison claims, which need two releases at once, read theirs in one more query.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from releases.models import (
    AliasCandidate,
    Benchmark,
    Claim,
    GapScore,
    Measurement,
    ModelRelease,
    ModelVariant,
)
from releases.scoring import inputs as scoring
from releases.scoring.context_window import (
    AUTHORS_LENGTH_TABLES,
    LONG_CONTEXT_BENCHMARKS,
    peer_shortfalls,
)
from releases.scoring.coverage import Coverage
from releases.scoring.related import relation_to

# Measurements are streamed from the database in chunks of this many rows.
STREAM_CHUNK = 20_000

_MEASUREMENT_FIELDS = (
    "id",
    "variant__release_id",
    "benchmark_id",
    "variant_id",
    "value",
    "as_of",
    "evaluator",
    "conditions_key",
    "std_error",
    "ci_low",
    "ci_high",
    "sample_size",
    "raw_model_name",
    "source__slug",
    "as_of_known",
    "snapshot_id",
)

# A version's date in its name, as vendors write dated snapshots ("gpt-4o-2024-11-20").
_DATED_NAME = re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")


@dataclass
class ScoringInputs:
    """Claims as scoring inputs, grouped the way the measurement stream arrives."""

    claims: dict[int, scoring.ClaimInput] = field(default_factory=dict)
    release_of: dict[int, int] = field(default_factory=dict)  # claim id -> release id
    by_release: dict[int, list[int]] = field(default_factory=dict)  # figure/context claims
    comparisons: list[int] = field(default_factory=list)
    benchmarks: dict[int, scoring.Benchmark] = field(default_factory=dict)
    current: dict[int, dict[str, Any]] = field(default_factory=dict)  # claim id -> current score

    @property
    def has_context_claims(self) -> bool:
        return any(c.kind == scoring.CONTEXT_WINDOW for c in self.claims.values())


def published_claims(claim_ids: Collection[int] | None):
    claims = Claim.objects.filter(status=Claim.Status.PUBLISHED)
    if claim_ids is not None:
        claims = claims.filter(pk__in=list(claim_ids))
    return claims


def load_inputs(*, claim_ids: Collection[int] | None) -> ScoringInputs:
    """Every published claim (or the given ones) as `releases.scoring` inputs."""
    loaded = ScoringInputs()
    claims = published_claims(claim_ids)
    rows = list(
        claims.annotate(
            claimed_on=Coalesce("citation__published_on", "release__announced_on")
        ).values_list(
            "id",
            "kind",
            "release_id",
            "variant_id",
            "benchmark_id",
            "stated_value",
            "stated_text",
            "stated_std_error",
            "conditions_key",
            "citation__is_secondary",
            "citation__publisher",
            "claimed_on",
            "quote",
        )
    )
    if not rows:
        return loaded
    rivals: dict[int, list[int]] = {}
    for claim_id, release_id in Claim.compared_with.through.objects.filter(
        claim__in=claims
    ).values_list("claim_id", "modelrelease_id"):
        rivals.setdefault(claim_id, []).append(release_id)
    release_ids = {row[2] for row in rows} | {r for ids in rivals.values() for r in ids}
    releases = _releases(release_ids)
    variants = {v.id: v for release in releases.values() for v in release.variants}
    loaded.benchmarks = benchmark_inputs()
    for row in rows:
        claim_id, kind, release_id, variant_id, benchmark_id, value, text, se, key = row[:9]
        secondary, publisher, claimed_on, quote = row[9:]
        loaded.claims[claim_id] = scoring.ClaimInput(
            id=claim_id,
            kind=kind,
            release=releases[release_id],
            variant=variants.get(variant_id) if variant_id else None,
            benchmark=loaded.benchmarks.get(benchmark_id) if benchmark_id else None,
            stated_value=value,
            stated_text=text,
            stated_std_error=se,
            conditions=_conditions(key),
            compared_with=tuple(releases[r] for r in sorted(rivals.get(claim_id, []))),
            reported_by=publisher if secondary else "",
            claimed_on=claimed_on,
            # A comparison's quote is the few words saying what it covers; other kinds' quotes
            # are whole table rows, which no sentence repeats.
            scope_words=quote if kind == scoring.COMPARISON else "",
        )
        loaded.release_of[claim_id] = release_id
        if kind == scoring.COMPARISON:
            loaded.comparisons.append(claim_id)
        else:
            loaded.by_release.setdefault(release_id, []).append(claim_id)
    loaded.current = current_scores(claims=claims)
    return loaded


# What a current score is compared on, and the analyst's review that may carry over.
REVIEW_FIELDS = ("review_status", "reviewed_by_id", "reviewed_at", "review_note")
RESULT_FIELDS = (
    "method_version",
    "verdict",
    "flags",
    "measurement_ids",
    "aggregate",
    "spread",
    "gap",
    "gap_relative",
    "z",
    "explanation",
)


def current_scores(*, claims: Any) -> dict[int, dict[str, Any]]:
    """Claim id -> its current score's result and review fields (claims: ids or a queryset)."""
    rows = GapScore.objects.filter(is_current=True, claim__in=claims).values(
        "claim_id", *RESULT_FIELDS, *REVIEW_FIELDS
    )
    return {row["claim_id"]: row for row in rows}


def stream_measurements(
    loaded: ScoringInputs, *, claim_ids: Collection[int] | None, as_of: dt.date
) -> Iterator[tuple[int, list[scoring.MeasuredFigure]]]:
    """(release id, its measurements) for the figure and context-window claims, release by release.

    One query: measurements on a claimed (release, benchmark) pair, plus the long-context tests
    of releases with a context-window claim. Ordered by release so each release's rows arrive
    together and can be scored and dropped.
    """
    if not loaded.by_release:
        return
    claimed_pair = Exists(
        published_claims(claim_ids).filter(
            release_id=OuterRef("variant__release_id"), benchmark_id=OuterRef("benchmark_id")
        )
    )
    context_releases = {
        loaded.release_of[c]
        for ids in loaded.by_release.values()
        for c in ids
        if loaded.claims[c].kind == scoring.CONTEXT_WINDOW
    }
    wanted = Q(claimed_pair)
    related = related_benchmark_ids(
        loaded.benchmarks,
        {
            loaded.claims[c].benchmark.slug  # type: ignore[union-attr]
            for ids in loaded.by_release.values()
            for c in ids
            if loaded.claims[c].benchmark is not None
        },
    )
    if related:
        # Related benchmarks' figures are shown beside a verdict (never in it).
        wanted |= Q(variant__release_id__in=sorted(loaded.by_release), benchmark_id__in=related)
    if context_releases:
        wanted |= Q(
            variant__release_id__in=sorted(context_releases),
            benchmark__slug__in=LONG_CONTEXT_BENCHMARKS,
        )
    query = (
        Measurement.objects.filter(wanted, variant__isnull=False, as_of__lte=as_of)
        .order_by("variant__release_id")
        .values_list(*_MEASUREMENT_FIELDS)
    )
    current_release: int | None = None
    batch: list[scoring.MeasuredFigure] = []
    for row in query.iterator(chunk_size=STREAM_CHUNK):
        if row[1] != current_release:
            if batch:
                yield current_release, batch  # type: ignore[misc]
            current_release, batch = row[1], []
        batch.append(_measurement(row, loaded.benchmarks))
    if batch:
        yield current_release, batch  # type: ignore[misc]


def comparison_measurements(
    loaded: ScoringInputs, *, as_of: dt.date
) -> list[scoring.MeasuredFigure]:
    """Measurements of every release a comparison claim involves, its own and its rivals'."""
    if not loaded.comparisons:
        return []
    rival_variant_ids = {
        v.id for c in loaded.comparisons for r in loaded.claims[c].compared_with for v in r.variants
    }
    own_release_ids = {loaded.release_of[c] for c in loaded.comparisons}
    query = (
        Measurement.objects.filter(
            Q(variant__release_id__in=sorted(own_release_ids))
            | Q(variant_id__in=sorted(rival_variant_ids)),
            as_of__lte=as_of,
        )
        .order_by()
        .values_list(*_MEASUREMENT_FIELDS)
    )  # no sort: the model's default one spills
    return [_measurement(row, loaded.benchmarks) for row in query.iterator(chunk_size=STREAM_CHUNK)]


def comparison_rows(
    claim: scoring.ClaimInput, by_variant: dict[int, list[scoring.MeasuredFigure]]
) -> list[scoring.MeasuredFigure]:
    """A comparison claim's own release's and its rivals' rows, out of rows grouped by variant.

    Each comparison sees only these, not every row of every compared release (which made the
    cost grow with the square of such claims).
    """
    variants = [v.id for r in (claim.release, *claim.compared_with) for v in r.variants]
    return [row for variant_id in variants for row in by_variant.get(variant_id, ())]


def length_peers(*, as_of: dt.date) -> dict[str, scoring.Peers]:
    """Each long-context benchmark's peers: the shortfall of every model its authors tested.

    Read from the authors' own table of claimed and effective lengths (NoLiMa's), as published
    by `as_of`, one row per model name (its latest). One query per table.
    """
    peers = {}
    for benchmark, table in AUTHORS_LENGTH_TABLES.items():
        latest: dict[str, tuple[dt.date, float, dict[str, Any]]] = {}
        for name, day, value, metadata in Measurement.objects.filter(
            benchmark__slug=table, as_of__lte=as_of
        ).values_list("raw_model_name", "as_of", "value", "metadata"):
            if name not in latest or day > latest[name][0]:
                latest[name] = (day, value, metadata or {})
        if not latest:
            continue
        title = Benchmark.objects.filter(slug=benchmark).values_list("name", flat=True).first()
        peers[benchmark] = scoring.Peers(
            benchmark=benchmark,
            benchmark_name=title or benchmark,
            shortfalls=peer_shortfalls(
                (value, metadata.get("claimed_tokens"), bool(metadata.get("upper_bound")))
                for _, value, metadata in latest.values()
            ),
        )
    return peers


def claim_inputs(
    *, claim_id: int, as_of: dt.date
) -> tuple[scoring.ClaimInput, list[scoring.MeasuredFigure]] | None:
    """One published claim and every measurement the recompute would score it with.

    The same reader as a full recompute, narrowed to one claim, so a score computed from these
    is the stored one (the methodology page's worked examples rest on this).
    """
    loaded = load_inputs(claim_ids=[claim_id])
    claim = loaded.claims.get(claim_id)
    if claim is None:
        return None
    if claim.kind == scoring.COMPARISON:
        by_variant: dict[int, list[scoring.MeasuredFigure]] = {}
        for row in comparison_measurements(loaded, as_of=as_of):
            by_variant.setdefault(row.variant_id, []).append(row)
        return claim, comparison_rows(claim, by_variant)
    rows = [
        m
        for release_id, batch in stream_measurements(loaded, claim_ids=[claim_id], as_of=as_of)
        if release_id == loaded.release_of[claim_id]
        for m in batch
    ]
    return claim, rows


def _measurement(row: tuple, benchmarks: dict[int, scoring.Benchmark]) -> scoring.MeasuredFigure:
    (id_, _, benchmark_id, variant_id, value, as_of, evaluator, key, se, lo, hi, n, name, src) = (
        row[:14]
    )
    known, snapshot_id = row[14:]
    return scoring.MeasuredFigure(
        id=id_,
        benchmark=benchmarks[benchmark_id],
        variant_id=variant_id,
        value=value,
        as_of=as_of,
        evaluator=evaluator,
        conditions=_conditions(key),
        std_error=se,
        ci_low=lo,
        ci_high=hi,
        sample_size=n,
        model_name=name,
        source=src,
        as_of_known=known,
        publication=snapshot_id,
    )


@lru_cache(maxsize=4096)
def _conditions(key: str) -> dict[str, Any]:
    # Thousands of rows share a handful of condition keys; parse each once. Callers never mutate.
    return json.loads(key or "{}")


def benchmark_inputs() -> dict[int, scoring.Benchmark]:
    labels = dict(Benchmark.Relation.choices)
    return {
        pk: scoring.Benchmark(
            slug=slug,
            name=name,
            unit=unit,
            higher_is_better=higher,
            item_count=items,
            related_to=related_to or "",
            relation=labels.get(relation, relation),
            related_to_name=related_name or "",
        )
        for pk, slug, name, unit, higher, items, related_to, relation, related_name in (
            Benchmark.objects.values_list(
                "id",
                "slug",
                "name",
                "unit",
                "higher_is_better",
                "item_count",
                "related_to__slug",
                "relation",
                "related_to__name",
            )
        )
    }


def related_benchmark_ids(
    benchmarks: dict[int, scoring.Benchmark], claimed_slugs: Collection[str]
) -> list[int]:
    """Ids of the benchmarks related to any of these (either way round, or siblings)."""
    by_slug = {b.slug: b for b in benchmarks.values()}
    return sorted(
        pk
        for pk, other in benchmarks.items()
        if any(
            relation_to(by_slug[slug], other) is not None
            for slug in claimed_slugs
            if slug in by_slug
        )
    )


def coverage_by_claim(loaded: ScoringInputs) -> dict[int, Coverage]:
    """What the tracked leaderboards hold for each figure or context claim, to say why it is
    unverified: which sources measure its benchmark at all, and which names that may be its
    release wait in the review queue. Three queries, whatever the number of claims."""
    sources: dict[int, set[str]] = {}
    for benchmark_id, source in (
        Measurement.objects.order_by().values_list("benchmark_id", "source__name").distinct()
    ):
        sources.setdefault(benchmark_id, set()).add(source)
    slug_ids = {b.slug: pk for pk, b in loaded.benchmarks.items()}
    long_context = {slug_ids[s] for s in LONG_CONTEXT_BENCHMARKS if s in slug_ids}

    pending: dict[int, set[tuple[int, str, str]]] = {}
    for release_id, source_id, source, raw_name in AliasCandidate.objects.filter(
        status=AliasCandidate.Status.PENDING,
        suggested_variant__release_id__in=sorted(loaded.by_release),
    ).values_list("suggested_variant__release_id", "source_id", "source__name", "raw_name"):
        pending.setdefault(release_id, set()).add((source_id, source, raw_name))
    measured_by_name: dict[tuple[int, str], set[int]] = {}
    names = {raw for entries in pending.values() for _, _, raw in entries}
    if names:
        for source_id, raw_name, benchmark_id in (
            Measurement.objects.filter(variant__isnull=True, raw_model_name__in=sorted(names))
            .order_by()
            .values_list("source_id", "raw_model_name", "benchmark_id")
            .distinct()
        ):
            measured_by_name.setdefault((source_id, raw_name), set()).add(benchmark_id)

    by_id = {b.slug: pk for pk, b in loaded.benchmarks.items()}
    coverage = {}
    for release_id, claim_ids in loaded.by_release.items():
        for claim_id in claim_ids:
            claim = loaded.claims[claim_id]
            if claim.kind == scoring.CONTEXT_WINDOW:
                wanted = long_context
            elif claim.benchmark is not None:
                wanted = {by_id[claim.benchmark.slug]}
            else:
                continue
            coverage[claim_id] = Coverage(
                sources_measuring=tuple(sorted({s for b in wanted for s in sources.get(b, ())})),
                names_in_review=tuple(
                    sorted(
                        (source, raw)
                        for source_id, source, raw in pending.get(release_id, ())
                        if measured_by_name.get((source_id, raw), set()) & wanted
                    )
                ),
            )
    return coverage


def _releases(release_ids: set[int]) -> dict[int, scoring.Release]:
    variants: dict[int, list[scoring.Variant]] = {}
    for pk, release_id, name, is_public in (
        ModelVariant.objects.filter(release_id__in=sorted(release_ids))
        .values_list("id", "release_id", "name", "is_public")
        .order_by("id")
    ):
        variants.setdefault(release_id, []).append(
            scoring.Variant(id=pk, name=name, is_public=is_public, released_on=_date_in_name(name))
        )
    return {
        pk: scoring.Release(name=name, vendor=vendor, variants=tuple(variants.get(pk, ())))
        for pk, name, vendor in ModelRelease.objects.filter(pk__in=sorted(release_ids)).values_list(
            "id", "name", "vendor__name"
        )
    }


def _date_in_name(name: str) -> dt.date | None:
    """The release day a dated version's name carries, if it carries one."""
    match = _DATED_NAME.search(name)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
