"""The whole database as JSON lines, for bulk users: one object per line, each tagged with its
`type`. Streamed in chunks straight from `.values()` (no serializer, no model instances), so a
million measurements cost memory for one chunk only. Archived bytes are left out: every
snapshot and citation line carries its sha256, and the API serves the bytes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

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

EXPORT_CONTENT_TYPE = "application/x-ndjson"
CHUNK = 2000


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _tables(*, include_drafts: bool) -> list[tuple[str, QuerySet, list[str]]]:
    claims = Claim.objects.all() if include_drafts else Claim.objects.filter(status="published")
    claim_ids = claims.values("id")
    return [
        ("vendor", Vendor.objects.all(), ["id", "slug", "name", "url"]),
        (
            "release",
            ModelRelease.objects.all(),
            [
                "id",
                "slug",
                "name",
                "vendor_id",
                "announced_on",
                "announcement_url",
                "architecture",
                "total_params_b",
                "active_params_b",
                "context_window_tokens",
            ],
        ),
        (
            "variant",
            ModelVariant.objects.all(),
            ["id", "slug", "name", "release_id", "kind", "is_public", "hub_id"],
        ),
        (
            "alias",
            ModelAlias.objects.all(),
            ["id", "name", "variant_id", "source_id", "confirmed_at"],
        ),
        (
            "benchmark",
            Benchmark.objects.all(),
            [
                "id",
                "slug",
                "name",
                "unit",
                "higher_is_better",
                "min_value",
                "max_value",
                "item_count",
                "url",
            ],
        ),
        (
            "citation",
            Citation.objects.all(),
            [
                "id",
                "url",
                "title",
                "publisher",
                "published_on",
                "commit",
                "sha256",
                "is_secondary",
                "primary_url",
            ],
        ),
        (
            "claim",
            claims,
            [
                "id",
                "release_id",
                "variant_id",
                "kind",
                "benchmark_id",
                "stated_value",
                "stated_text",
                "stated_std_error",
                "conditions",
                "quote",
                "citation_id",
                "location",
                "status",
            ],
        ),
        (
            "gap_score",
            GapScore.objects.filter(claim_id__in=claim_ids),
            [
                "id",
                "claim_id",
                "is_current",
                "method_version",
                "computed_at",
                "as_of",
                "verdict",
                "gap",
                "gap_relative",
                "z",
                "aggregate",
                "spread",
                "flags",
                "explanation",
                "measurement_ids",
                "review_status",
                "reviewed_at",
            ],
        ),
        (
            "revision",
            ClaimRevision.objects.filter(claim_id__in=claim_ids),
            [
                "id",
                "claim_id",
                "field",
                "old_value",
                "new_value",
                "old_citation_id",
                "new_citation_id",
                "detected_at",
            ],
        ),
        (
            "source",
            LeaderboardSource.objects.all(),
            ["id", "slug", "name", "evaluator", "live_url", "last_success_at", "last_error"],
        ),
        (
            "snapshot",
            Snapshot.objects.all(),
            [
                "id",
                "source_id",
                "fetched_at",
                "url",
                "file_name",
                "sha256",
                "size_bytes",
                "status",
                "error",
                "as_of",
                "rows_parsed",
            ],
        ),
        (
            "measurement",
            Measurement.objects.all(),
            [
                "id",
                "source_id",
                "snapshot_id",
                "benchmark_id",
                "raw_model_name",
                "variant_id",
                "value",
                "ci_low",
                "ci_high",
                "std_error",
                "sample_size",
                "conditions",
                "as_of",
                "evaluator",
            ],
        ),
    ]


def export_lines(*, include_drafts: bool = False) -> Iterator[bytes]:
    for kind, queryset, fields in _tables(include_drafts=include_drafts):
        rows = queryset.order_by("pk").values(*fields).iterator(chunk_size=CHUNK)
        buffer: list[str] = []
        for row in rows:
            buffer.append(json.dumps({"type": kind, **row}, default=_default, ensure_ascii=False))
            if len(buffer) >= 500:
                yield ("\n".join(buffer) + "\n").encode()
                buffer = []
        if buffer:
            yield ("\n".join(buffer) + "\n").encode()
